#include "schemaguard/avro/format.h"

#include <cassert>

#include "schemaguard/avro/compat.h"
#include "schemaguard/avro/parse.h"
#include "schemaguard/avro/render.h"
#include "schemaguard/base/digest.h"

namespace sg::avro {
namespace {

class AvroParsedSchema final : public ParsedSchema {
 public:
  AvroParsedSchema(SchemaPtr schema, std::string text, ContentKey key)
      : schema_(std::move(schema)), text_(std::move(text)), key_(key) {}

  SchemaType type() const override { return SchemaType::kAvro; }
  const ContentKey& content_key() const override { return key_; }
  const std::string& canonical_text() const override { return text_; }
  const Schema& schema() const { return *schema_; }
  const SchemaPtr& shared() const { return schema_; }

 private:
  SchemaPtr schema_;
  std::string text_;
  ContentKey key_;
};

class AvroFormat final : public Format {
 public:
  SchemaType type() const override { return SchemaType::kAvro; }

  Result<ParsedSchemaPtr> parse(std::string_view text,
                                const NamedReferences& references) const override {
    ParseOptions options;
    // The key covers the text and, through their keys, everything the references mean. Avro
    // finds referenced types by their full names, so the reference names play no part.
    std::string key_material(text);
    for (const auto& [name, reference] : references) {
      if (reference->type() != SchemaType::kAvro) {
        return Error(ErrorCode::kInvalidSchema, "an Avro schema can only reference Avro schemas");
      }
      options.references.push_back(static_cast<const AvroParsedSchema&>(*reference).shared());
      key_material.append(reinterpret_cast<const char*>(reference->content_key().data()),
                          reference->content_key().size());
    }
    SG_ASSIGN_OR_RETURN(SchemaPtr schema, avro::parse(text, options));
    return ParsedSchemaPtr(std::make_shared<AvroParsedSchema>(std::move(schema), std::string(text),
                                                              sha256(key_material)));
  }

  Incompatibilities check(const ParsedSchema& reader, const ParsedSchema& writer,
                          CompatibilityPolicy /*policy: no effect on this format*/) const override {
    return check_compatibility(avro_schema(reader), avro_schema(writer));
  }

  std::string render(const ParsedSchema& schema, bool normalize) const override {
    RenderOptions options;
    options.normalize = normalize;
    return avro::render(avro_schema(schema), options);
  }
};

}  // namespace

const Format& format() {
  static const AvroFormat instance;
  return instance;
}

const Schema& avro_schema(const ParsedSchema& schema) {
  assert(schema.type() == SchemaType::kAvro);
  return static_cast<const AvroParsedSchema&>(schema).schema();
}

}  // namespace sg::avro
