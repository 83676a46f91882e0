#include "schemaguard/protobuf/format/format.h"

#include <fmt/format.h>
#include <google/protobuf/compiler/parser.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/stubs/strutil.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "schemaguard/base/digest.h"
#include "schemaguard/protobuf/compat/diff.h"
#include "schemaguard/protobuf/format/known_files.h"
#include "schemaguard/protobuf/format/wire_text.h"

namespace sg::protobuf {
namespace {

namespace gp = google::protobuf;

// The name a schema's own file has in its pool (and in its serialized form, unless it came
// serialized with a name of its own).
constexpr std::string_view kMainFile = "schema.proto";
// References nest at most this deep (a cycle is refused by the registry long before).
constexpr int kMaxImportDepth = 64;

Error invalid(std::string message) {
  return Error(ErrorCode::kInvalidSchema, std::move(message));
}

// The first syntax error of a parse, with its 1-based line and column.
class FirstError final : public gp::io::ErrorCollector {
 public:
  void AddError(int line, gp::io::ColumnNumber column, const std::string& message) override {
    if (!message_.empty()) return;
    message_ = fmt::format("line {}, column {}: {}", line + 1, column + 1, message);
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// Semantic errors of building a file into a pool, placed with the parser's source locations.
class BuildErrors final : public gp::DescriptorPool::ErrorCollector {
 public:
  explicit BuildErrors(const gp::compiler::SourceLocationTable* locations)
      : locations_(locations) {}
  void AddError(const std::string& filename, const std::string& element_name,
                const gp::Message* descriptor, ErrorLocation location,
                const std::string& message) override {
    if (!message_.empty()) return;
    int line = -1;
    int column = -1;
    if (locations_ != nullptr) locations_->Find(descriptor, location, &line, &column);
    message_ = line >= 0 ? fmt::format("line {}, column {}: {}", line + 1, column + 1, message)
                         : fmt::format("{}: {}: {}", filename, element_name, message);
  }
  const std::string& message() const { return message_; }

 private:
  const gp::compiler::SourceLocationTable* locations_;
  std::string message_;
};

// .proto text to a FileDescriptorProto (source locations included); nullopt-free: an error
// names line and column.
Result<gp::FileDescriptorProto> parse_text(std::string_view text,
                                           gp::compiler::SourceLocationTable* locations) {
  gp::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  FirstError errors;
  gp::io::Tokenizer tokenizer(&input, &errors);
  gp::compiler::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (locations != nullptr) parser.RecordSourceLocationsTo(locations);
  gp::FileDescriptorProto file;
  if (!parser.Parse(&tokenizer, &file) || !errors.message().empty()) {
    return invalid(errors.message().empty() ? "not a .proto file" : errors.message());
  }
  return file;
}

// A base64-encoded FileDescriptorProto, as the Confluent serializers register schemas.
std::optional<gp::FileDescriptorProto> parse_serialized(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  const bool base64 = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
  });
  std::string bytes;
  if (!base64 || !gp::Base64Unescape(gp::StringPiece(text.data(), text.size()), &bytes)) {
    return std::nullopt;
  }
  gp::FileDescriptorProto file;
  if (!file.ParseFromString(bytes)) return std::nullopt;
  return file;
}

class ProtoParsedSchema;
using Reference = std::pair<std::string, std::shared_ptr<const ProtoParsedSchema>>;

class ProtoParsedSchema final : public ParsedSchema {
 public:
  SchemaType type() const override { return SchemaType::kProtobuf; }
  const ContentKey& content_key() const override { return key_; }
  const std::string& canonical_text() const override { return text_; }

  std::string text_;  // Confluent's canonical text (wire_text.h)
  ContentKey key_{};
  std::shared_ptr<const WireFile> wire_;  // null when Wire's parser would refuse the text
  std::vector<Reference> references_;
  gp::FileDescriptorProto main_;                       // as parsed, source locations included
  std::vector<gp::FileDescriptorProto> dependencies_;  // in build order
  std::unique_ptr<gp::DescriptorPool> pool_;
  const gp::FileDescriptor* file_ = nullptr;
};

const ProtoParsedSchema& as_proto(const ParsedSchema& schema) {
  return static_cast<const ProtoParsedSchema&>(schema);
}

// Builds a file's imports into `pool`, dependencies first, from the references that `scope`
// (the importing schema's) offers, libprotobuf's well-known types and the bundled files.
class ImportResolver {
 public:
  ImportResolver(gp::DescriptorPool& pool, std::vector<gp::FileDescriptorProto>& built)
      : pool_(pool), built_(built) {}

  Status add_imports(const gp::FileDescriptorProto& file, const std::vector<Reference>& scope,
                     int depth) {
    for (const std::string& name : file.dependency()) {
      SG_RETURN_IF_ERROR(add(name, scope, depth + 1));
    }
    return ok_status();
  }

 private:
  Status add(const std::string& name, const std::vector<Reference>& scope, int depth) {
    if (depth > kMaxImportDepth) return invalid("imports nest too deeply (a cycle?)");
    if (pool_.FindFileByName(name) != nullptr) return ok_status();
    gp::FileDescriptorProto file;
    const std::vector<Reference>* inner_scope = &scope;
    static const std::vector<Reference> kNoReferences;
    auto reference = std::find_if(scope.begin(), scope.end(),
                                  [&](const Reference& r) { return r.first == name; });
    if (reference != scope.end()) {
      file = reference->second->main_;
      inner_scope = &reference->second->references_;
    } else if (const gp::FileDescriptor* well_known =
                   gp::DescriptorPool::generated_pool()->FindFileByName(name);
               well_known != nullptr && name.starts_with("google/protobuf/")) {
      well_known->CopyTo(&file);
      inner_scope = &kNoReferences;
    } else if (auto text = known_file(name)) {
      SG_ASSIGN_OR_RETURN(file, parse_text(*text, nullptr));
      inner_scope = &kNoReferences;
    } else {
      return invalid(
          fmt::format("import \"{}\" not found: register it and pass it as a reference "
                      "named \"{}\"",
                      name, name));
    }
    file.set_name(name);
    SG_RETURN_IF_ERROR(add_imports(file, *inner_scope, depth));
    BuildErrors errors(nullptr);
    if (pool_.BuildFileCollectingErrors(file, &errors) == nullptr) {
      return invalid(fmt::format("imported file \"{}\": {}", name, errors.message()));
    }
    built_.push_back(std::move(file));
    return ok_status();
  }

  gp::DescriptorPool& pool_;
  std::vector<gp::FileDescriptorProto>& built_;
};

// protoc's default JSON name of a field: underscores dropped, the letter after each upper-cased.
std::string default_json_name(const std::string& name) {
  std::string out;
  bool upper = false;
  for (char c : name) {
    if (c == '_') {
      upper = true;
    } else {
      out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
  }
  return out;
}

// Descriptors made by protoc (the Confluent serializers send those) spell out every field's
// json_name; written in the file they are noise, and text without them would not be the same
// schema. Drops the ones that say what the default says.
void drop_default_json_names(gp::DescriptorProto& message) {
  for (auto& field : *message.mutable_field()) {
    if (field.has_json_name() && field.json_name() == default_json_name(field.name())) {
      field.clear_json_name();
    }
  }
  for (auto& field : *message.mutable_extension()) {
    if (field.has_json_name() && field.json_name() == default_json_name(field.name())) {
      field.clear_json_name();
    }
  }
  for (auto& nested : *message.mutable_nested_type()) drop_default_json_names(nested);
}

// Normalisation (compat-rules.md §5) on the descriptor: fields by number, enum values by
// number then name, imports sorted. Top-level message order stays.
void sort_message(gp::DescriptorProto& message) {
  auto* fields = message.mutable_field();
  std::stable_sort(fields->begin(), fields->end(),
                   [](const auto& a, const auto& b) { return a.number() < b.number(); });
  for (auto& nested : *message.mutable_nested_type()) sort_message(nested);
  for (auto& nested : *message.mutable_enum_type()) {
    std::stable_sort(nested.mutable_value()->begin(), nested.mutable_value()->end(),
                     [](const auto& a, const auto& b) {
                       return a.number() != b.number() ? a.number() < b.number()
                                                       : a.name() < b.name();
                     });
  }
}

void normalize(gp::FileDescriptorProto& file) {
  auto* dependencies = file.mutable_dependency();
  std::sort(dependencies->begin(), dependencies->end());
  dependencies->erase(std::unique(dependencies->begin(), dependencies->end()), dependencies->end());
  file.clear_public_dependency();  // indexes into the old order: public imports are rare
  file.clear_weak_dependency();
  for (auto& message : *file.mutable_message_type()) sort_message(message);
  for (auto& nested : *file.mutable_enum_type()) {
    std::stable_sort(nested.mutable_value()->begin(), nested.mutable_value()->end(),
                     [](const auto& a, const auto& b) {
                       return a.number() != b.number() ? a.number() < b.number()
                                                       : a.name() < b.name();
                     });
  }
}

class ProtobufFormat final : public Format {
 public:
  // libprotobuf logs what it refuses straight to stderr (invalid UTF-8 in an option, bad option
  // data), beside the server's JSON log lines. Every refusal reaches the caller as an error
  // anyway, so its own log is discarded.
  ProtobufFormat() { gp::SetLogHandler(nullptr); }

  SchemaType type() const override { return SchemaType::kProtobuf; }

  Result<ParsedSchemaPtr> parse(std::string_view text,
                                const NamedReferences& references) const override {
    auto parsed = std::make_shared<ProtoParsedSchema>();
    std::string key_material(text);
    for (const auto& [name, reference] : references) {
      if (reference->type() != SchemaType::kProtobuf) {
        return invalid("a Protobuf schema can only reference Protobuf schemas");
      }
      parsed->references_.emplace_back(
          name, std::static_pointer_cast<const ProtoParsedSchema>(reference));
      key_material += fmt::format("\n{}:{}", name.size(), name);
      key_material.append(reinterpret_cast<const char*>(reference->content_key().data()),
                          reference->content_key().size());
    }
    parsed->key_ = sha256(key_material);

    gp::compiler::SourceLocationTable locations;
    auto from_text = parse_text(text, &locations);
    const gp::compiler::SourceLocationTable* placed = &locations;
    if (from_text.ok()) {
      parsed->main_ = *std::move(from_text);
      parsed->main_.set_name(std::string(kMainFile));
      parsed->wire_ = read_wire(text);
    } else if (auto serialized = parse_serialized(text)) {
      parsed->main_ = std::move(*serialized);
      // Printed as Confluent converts the descriptor: json_name kept wherever it was given.
      parsed->wire_ = wire_from_descriptor(parsed->main_);
      for (auto& message : *parsed->main_.mutable_message_type()) drop_default_json_names(message);
      if (parsed->main_.name().empty()) parsed->main_.set_name(std::string(kMainFile));
      placed = nullptr;
    } else {
      return invalid(fmt::format("Invalid schema: {}", from_text.error().message()));
    }

    parsed->pool_ = std::make_unique<gp::DescriptorPool>();
    ImportResolver imports(*parsed->pool_, parsed->dependencies_);
    if (auto status = imports.add_imports(parsed->main_, parsed->references_, 0); !status.ok()) {
      return invalid(fmt::format("Invalid schema: {}", status.error().message()));
    }
    BuildErrors errors(placed);
    parsed->file_ = parsed->pool_->BuildFileCollectingErrors(parsed->main_, &errors);
    if (parsed->file_ == nullptr) {
      return invalid(fmt::format("Invalid schema: {}", errors.message()));
    }
    // Text libprotoc takes but Wire refuses (Confluent would reject it) is stored as Confluent
    // would print libprotobuf's printing of it, so that the stored text reads back to itself.
    if (parsed->wire_ == nullptr) parsed->wire_ = read_wire(parsed->file_->DebugString());
    parsed->text_ =
        parsed->wire_ != nullptr ? print_wire(*parsed->wire_) : parsed->file_->DebugString();
    return ParsedSchemaPtr(std::move(parsed));
  }

  Incompatibilities check(const ParsedSchema& reader, const ParsedSchema& writer,
                          CompatibilityPolicy /*policy: no effect on this format*/) const override {
    return incompatibilities(diff(file_descriptor(writer), file_descriptor(reader)));
  }

  std::string render(const ParsedSchema& schema, bool normalized) const override {
    const ProtoParsedSchema& proto = as_proto(schema);
    if (!normalized) return proto.text_;
    if (proto.wire_ != nullptr) return print_wire_normalized(*proto.wire_, *proto.file_);
    // Text Wire would refuse (Confluent refuses it too): the normalised file, built beside its
    // imports in a scratch pool to be printed.
    gp::DescriptorPool pool;
    for (const auto& dependency : proto.dependencies_) pool.BuildFile(dependency);
    gp::FileDescriptorProto file = proto.main_;
    file.clear_source_code_info();
    normalize(file);
    const gp::FileDescriptor* built = pool.BuildFile(file);
    return built != nullptr ? built->DebugString() : proto.file_->DebugString();
  }

  std::optional<std::string> convert(const ParsedSchema& schema,
                                     std::string_view form) const override {
    if (form != "serialized") return std::nullopt;
    return serialized(schema);
  }
};

}  // namespace

const Format& format() {
  static const ProtobufFormat instance;
  return instance;
}

const gp::FileDescriptor& file_descriptor(const ParsedSchema& schema) {
  return *as_proto(schema).file_;
}

std::string serialized(const ParsedSchema& schema) {
  gp::FileDescriptorProto file;
  as_proto(schema).file_->CopyTo(&file);
  std::string base64;
  gp::Base64Escape(file.SerializeAsString(), &base64);
  return base64;
}

}  // namespace sg::protobuf
