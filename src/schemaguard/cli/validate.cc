#include "schemaguard/cli/validate.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <iostream>
#include <sstream>

#include "schemaguard/base/file.h"
#include "schemaguard/cli/commands.h"
#include "schemaguard/compat/engine.h"
#include "schemaguard/jsonschema/document.h"
#include "schemaguard/jsonschema/format/format.h"
#include "schemaguard/protobuf/wire.h"

namespace sg::cli {
namespace {

// One problem with one document.
struct Finding {
  std::string instance_path;  // JSON pointer; "" for the whole document
  std::string message;
  std::string schema_path;  // JSON Schema only
};

// One document to check: where it came from and its text.
struct Document {
  std::string source;  // "file" or "file:line"
  std::string text;
};

Result<SchemaType> parse_type(std::string name) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "json" || name == "jsonschema" || name == "json_schema") return SchemaType::kJson;
  if (name == "protobuf" || name == "proto") return SchemaType::kProtobuf;
  return Error(
      ErrorCode::kInvalidArgument,
      fmt::format("unknown schema type '{}' for validate (expected json or protobuf)", name));
}

Result<std::string> read_input(const std::string& path, std::istream& in) {
  if (path != "-") return read_file(path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Splits the inputs into documents: each file is one, or with `lines` each non-blank line is.
Result<std::vector<Document>> collect_documents(const ValidateArgs& args, std::istream& in) {
  std::vector<std::string> files = args.documents;
  if (files.empty()) files.push_back("-");
  std::vector<Document> documents;
  for (const std::string& file : files) {
    SG_ASSIGN_OR_RETURN(std::string text, read_input(file, in));
    const std::string name = file == "-" ? "<stdin>" : file;
    if (!args.lines) {
      documents.push_back({name, std::move(text)});
      continue;
    }
    std::size_t start = 0;
    for (int line = 1; start < text.size(); ++line) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string_view row(text.data() + start, end - start);
      if (row.find_first_not_of(" \t\r") != std::string_view::npos) {
        documents.push_back({fmt::format("{}:{}", name, line), std::string(row)});
      }
      start = end + 1;
    }
  }
  return documents;
}

// Checks one document against the schema; empty when it is valid.
std::vector<Finding> check_document(SchemaType type, const ParsedSchema& schema,
                                    const std::string& message, const std::string& text) {
  if (type == SchemaType::kProtobuf) {
    auto encoded = protobuf::json_to_binary(schema, message, text);
    if (encoded.ok()) return {};
    return {Finding{"", encoded.error().message(), ""}};
  }
  // Straight into the validator's own form: recorded traffic can be millions of lines.
  auto document = jsonschema::Document::parse(text);
  if (!document.ok()) return {Finding{"", document.error().message(), ""}};
  std::vector<Finding> findings;
  for (auto& error : jsonschema::compiled_schema(schema).validate(*document)) {
    findings.push_back(Finding{std::move(error.instance_path), std::move(error.message),
                               std::move(error.schema_path)});
  }
  return findings;
}

}  // namespace

int run_validate(const ValidateArgs& args, std::istream& in, std::ostream& out, std::ostream& err) {
  auto fail = [&](const Error& error) {
    err << "error: " << error.message() << "\n";
    return kExitUsage;
  };
  auto type = parse_type(args.type);
  if (!type.ok()) return fail(type.error());

  compat::Engine engine;
  NamedReferences references;
  for (const std::string& spec : args.references) {
    const std::size_t equals = spec.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size()) {
      return fail(Error(ErrorCode::kInvalidArgument,
                        fmt::format("--reference '{}': expected NAME=FILE", spec)));
    }
    const std::string file = spec.substr(equals + 1);
    auto text = read_file(file);
    if (!text.ok()) return fail(text.error());
    auto parsed = engine.parse(*type, *text, references);
    if (!parsed.ok()) return fail(parsed.error().with_context(file));
    references.push_back({spec.substr(0, equals), *std::move(parsed)});
  }
  auto text = read_file(args.schema_file);
  if (!text.ok()) return fail(text.error());
  auto schema = engine.parse(*type, *text, references);
  if (!schema.ok()) return fail(schema.error().with_context(args.schema_file));

  std::string message = args.message;
  if (*type == SchemaType::kProtobuf && message.empty()) {
    auto first = protobuf::message_at(**schema, {0});
    if (!first.ok()) return fail(first.error().with_context(args.schema_file));
    message = *std::move(first);
  } else if (*type != SchemaType::kProtobuf && !message.empty()) {
    return fail(Error(ErrorCode::kInvalidArgument, "--message applies to Protobuf schemas only"));
  }

  auto documents = collect_documents(args, in);
  if (!documents.ok()) return fail(documents.error());

  std::size_t invalid = 0;
  boost::json::array results;
  for (const Document& document : *documents) {
    const std::vector<Finding> findings = check_document(*type, **schema, message, document.text);
    if (!findings.empty()) ++invalid;
    if (args.output == "json") {
      boost::json::array errors;
      for (const Finding& finding : findings) {
        boost::json::object entry{{"instance_path", finding.instance_path},
                                  {"message", finding.message}};
        if (!finding.schema_path.empty()) entry["schema_path"] = finding.schema_path;
        errors.push_back(std::move(entry));
      }
      results.push_back(boost::json::object{{"document", document.source},
                                            {"valid", findings.empty()},
                                            {"errors", std::move(errors)}});
      continue;
    }
    if (findings.empty()) {
      out << document.source << ": valid\n";
      continue;
    }
    for (const Finding& finding : findings) {
      std::string line = fmt::format("{}: invalid: ", document.source);
      if (!finding.instance_path.empty()) line += finding.instance_path + ": ";
      line += finding.message;
      if (!finding.schema_path.empty()) line += fmt::format(" (schema {})", finding.schema_path);
      out << line << "\n";
    }
  }
  if (args.output == "json") {
    out << boost::json::serialize(
               boost::json::object{{"valid", invalid == 0},
                                   {"documents", static_cast<std::int64_t>(documents->size())},
                                   {"invalid", static_cast<std::int64_t>(invalid)},
                                   {"results", std::move(results)}})
        << "\n";
  } else {
    out << fmt::format("{} of {} document(s) valid against {}\n", documents->size() - invalid,
                       documents->size(), args.schema_file);
  }
  return invalid == 0 ? kExitOk : kExitIncompatible;
}

}  // namespace sg::cli
