#include "schemaguard/jsonschema/format/format.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "schemaguard/base/digest.h"
#include "schemaguard/base/jackson_tree.h"
#include "schemaguard/base/json_text.h"
#include "schemaguard/jsonschema/compat/counterexample.h"
#include "schemaguard/jsonschema/compat/diff.h"

namespace sg::jsonschema {
namespace {

namespace json = boost::json;

class JsonParsedSchema;
using Reference = std::pair<std::string, std::shared_ptr<const JsonParsedSchema>>;

class JsonParsedSchema final : public ParsedSchema {
 public:
  JsonParsedSchema(json::value document, std::string text, ContentKey key,
                   std::vector<Reference> references)
      : document_(std::move(document)),
        text_(std::move(text)),
        key_(key),
        references_(std::move(references)) {}

  SchemaType type() const override { return SchemaType::kJson; }
  const ContentKey& content_key() const override { return key_; }
  const std::string& canonical_text() const override { return text_; }

  const json::value& document() const { return document_; }
  const CompiledSchema& compiled() const { return *compiled_; }
  const std::vector<Reference>& references() const { return references_; }
  void set_compiled(CompiledSchemaPtr compiled) { compiled_ = std::move(compiled); }
  // The schema read into the diff's model, or null when it could not be (diff() then reports
  // why, for each check).
  const PreparedSchema* prepared() const { return prepared_.get(); }
  void set_prepared(std::shared_ptr<const PreparedSchema> prepared) {
    prepared_ = std::move(prepared);
  }

  // Every reference, nested ones too, by name (the first of a name wins), for the diff.
  References all_references(int depth = 0) const {
    References out;
    if (depth > 32) return out;
    for (const auto& [name, schema] : references_) {
      out.emplace(name, schema->document());
      for (auto& [inner_name, document] : schema->all_references(depth + 1)) {
        out.emplace(inner_name, std::move(document));
      }
    }
    return out;
  }

  // The document a `$ref` URI names among this schema's references and theirs: by the
  // reference's name (as written, or as the last segments of the resolved URI) or by the
  // referenced document's own `$id`.
  const json::value* find(std::string_view uri, int depth = 0) const {
    if (depth > 32) return nullptr;
    for (const auto& [name, schema] : references_) {
      if (names(uri, name) || has_id(schema->document(), uri)) return &schema->document();
    }
    for (const auto& [name, schema] : references_) {
      if (const json::value* found = schema->find(uri, depth + 1)) return found;
    }
    return nullptr;
  }

 private:
  static bool names(std::string_view uri, std::string_view name) {
    if (uri == name) return true;
    return uri.size() > name.size() && uri.ends_with(name) &&
           uri[uri.size() - name.size() - 1] == '/';
  }
  static bool has_id(const json::value& document, std::string_view uri) {
    if (!document.is_object()) return false;
    for (std::string_view key : {"$id", "id"}) {
      const json::value* id = document.get_object().if_contains(key);
      if (id == nullptr || !id->is_string()) continue;
      std::string_view text = id->get_string();
      if (text.ends_with('#')) text.remove_suffix(1);
      if (text == uri) return true;
    }
    return false;
  }

  json::value document_;
  std::string text_;
  ContentKey key_;
  std::vector<Reference> references_;
  CompiledSchemaPtr compiled_;
  std::shared_ptr<const PreparedSchema> prepared_;
};

const JsonParsedSchema& as_json(const ParsedSchema& schema) {
  return static_cast<const JsonParsedSchema&>(schema);
}

Error invalid(std::string_view what) {
  return Error(ErrorCode::kInvalidSchema, fmt::format("Invalid schema: {}", what));
}

// Longer examples explain nothing a reader can take in at a glance; the search shrinks what it
// finds, so this only drops examples of unusually wide schemas.
constexpr std::size_t kMaxCounterexampleLength = 1024;

// Attaches to `problems` a document the writer's schema accepts and the reader's rejects, on the
// problem it was built for (the first one when it came from generated documents). Nothing when
// the search finds none within its budget.
void add_counterexample(const JsonParsedSchema& writer, const JsonParsedSchema& reader,
                        const std::vector<Difference>& differences, CompatPolicy policy,
                        Incompatibilities& problems) {
  const References writer_references = writer.all_references();
  const References reader_references = reader.all_references();
  CounterexampleOptions options;
  options.differences = &differences;
  options.accepted_references = &writer_references;
  options.rejected_references = &reader_references;
  const auto found = find_counterexample(writer.compiled(), writer.document(), reader.compiled(),
                                         reader.document(), options);
  if (!found) return;
  // Jackson's printing: 1.5 rather than Boost's 1.5E0.
  auto text = jackson_reserialize(json::serialize(found->document));
  if (!text.ok() || text->size() > kMaxCounterexampleLength) return;
  std::size_t target = 0;
  std::size_t index = 0;
  for (const Difference& difference : differences) {
    if (is_compatible_type(difference.type, policy)) continue;
    if (found->found_by == difference.type + " " + difference.path) {
      target = index;
      break;
    }
    ++index;
  }
  problems[target].counterexample = *std::move(text);
}

class JsonFormat final : public Format {
 public:
  SchemaType type() const override { return SchemaType::kJson; }

  Result<ParsedSchemaPtr> parse(std::string_view text,
                                const NamedReferences& references) const override {
    SG_ASSIGN_OR_RETURN(json::value document,
                        parse_json_text(text, "JSON Schema", kMaxJsonSchemaDepth));
    // The stored text is Confluent's (Jackson's) printing of the same JSON; a second reader,
    // because Boost.JSON keeps neither BigDecimal digits nor Jackson's number forms.
    auto stored = jackson_reserialize(text);
    if (!stored.ok()) return invalid(stored.error().message());

    std::string key_material(text);
    std::vector<Reference> resolved;
    for (const auto& [name, reference] : references) {
      if (reference->type() != SchemaType::kJson) {
        return invalid("a JSON schema can only reference JSON schemas");
      }
      resolved.emplace_back(name, std::static_pointer_cast<const JsonParsedSchema>(reference));
      key_material += fmt::format("\n{}:{}", name.size(), name);
      key_material.append(reinterpret_cast<const char*>(reference->content_key().data()),
                          reference->content_key().size());
    }
    auto parsed = std::make_shared<JsonParsedSchema>(std::move(document), std::move(*stored),
                                                     sha256(key_material), std::move(resolved));
    CompileOptions options;
    const JsonParsedSchema* self = parsed.get();
    options.resolve = [self](std::string_view uri) -> std::optional<json::value> {
      if (const json::value* found = self->find(uri)) return *found;
      return std::nullopt;
    };
    auto compiled = compile(parsed->document(), options);
    if (!compiled.ok()) return invalid(compiled.error().message());
    parsed->set_compiled(*std::move(compiled));
    // Read once for the compatibility checks against every other version.
    const References references_for_diff = parsed->all_references();
    if (auto prepared = prepare(parsed->document(), &references_for_diff); prepared.ok()) {
      parsed->set_prepared(*std::move(prepared));
    }
    return ParsedSchemaPtr(std::move(parsed));
  }

  Incompatibilities check(const ParsedSchema& reader, const ParsedSchema& writer,
                          CompatibilityPolicy policy) const override {
    // Confluent's diff runs with original = the writer's schema, update = the reader's.
    const JsonParsedSchema& original = as_json(writer);
    const JsonParsedSchema& update = as_json(reader);
    const CompatPolicy json_policy =
        policy == CompatibilityPolicy::kLenient ? CompatPolicy::kLenient : CompatPolicy::kStrict;
    DiffOptions options;
    options.policy = json_policy;
    Result<std::vector<Difference>> differences = [&] {
      if (original.prepared() && update.prepared()) {
        return diff(*original.prepared(), *update.prepared(), options);
      }
      const References original_references = original.all_references();
      const References update_references = update.all_references();
      options.original_references = &original_references;
      options.update_references = &update_references;
      return diff(original.document(), update.document(), options);
    }();
    if (!differences.ok()) {
      Incompatibility problem;
      problem.type = "SCHEMA_NOT_COMPARABLE";
      problem.message = differences.error().message();
      return {problem};
    }
    Incompatibilities problems = incompatibilities(*differences, json_policy);
    if (!problems.empty()) {
      add_counterexample(original, update, *differences, json_policy, problems);
    }
    return problems;
  }

  std::string render(const ParsedSchema& schema, bool normalize) const override {
    if (!normalize) return schema.canonical_text();
    JacksonTreeOptions options;
    options.sort_keys = true;
    auto sorted = jackson_reserialize(schema.canonical_text(), options);
    return sorted.ok() ? *std::move(sorted) : schema.canonical_text();
  }
};

}  // namespace

const Format& format() {
  static const JsonFormat instance;
  return instance;
}

const json::value& json_document(const ParsedSchema& schema) {
  return as_json(schema).document();
}

const CompiledSchema& compiled_schema(const ParsedSchema& schema) {
  return as_json(schema).compiled();
}

}  // namespace sg::jsonschema
