// libFuzzer target for the Avro schema parser. Beyond "no crash, no hang, no sanitizer report",
// every schema that parses must satisfy two properties:
//   - it is compatible with itself (reader = writer), unless a field's alias names another field
//     of its record (Avro Java then cannot tell which writer field to read, and neither do we),
//   - its Parsing Canonical Form parses again to the same canonical form, unless a type in the
//     null namespace sits beside namespaced ones (the specification's canonical form writes it
//     without a namespace, so re-reading it inherits the enclosing one: a known gap of PCF).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "schemaguard/avro/compat.h"
#include "schemaguard/avro/parse.h"

namespace {

bool has_ambiguous_field_alias(const sg::avro::Schema& schema) {
  for (const sg::avro::Node* node : schema.named_types()) {
    for (const sg::avro::Field& field : node->fields) {
      for (const std::string& alias : field.aliases) {
        if (alias != field.name && node->find_field(alias) != nullptr) return true;
      }
    }
  }
  return false;
}

// True if the schema mixes named types in the null namespace with namespaced ones.
bool mixes_null_namespace(const sg::avro::Schema& schema) {
  bool any_null = false;
  bool any_named_space = false;
  for (const sg::avro::Node* node : schema.named_types()) {
    (node->space.empty() ? any_null : any_named_space) = true;
  }
  return any_null && any_named_space;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sg::avro::parse(text);
  if (!parsed.ok()) {
    if (parsed.error().message().empty()) std::abort();
    return 0;
  }
  const sg::avro::Schema& schema = **parsed;
  const auto self = sg::avro::check_compatibility(schema, schema);
  if (!self.empty() && !has_ambiguous_field_alias(schema)) {
    std::fprintf(stderr, "schema is not compatible with itself: %s at %s\n",
                 self.front().type.c_str(), self.front().reader_path.c_str());
    std::abort();
  }
  if (mixes_null_namespace(schema)) return 0;
  sg::avro::ParseOptions lenient;
  lenient.validate_defaults = false;
  auto again = sg::avro::parse(schema.canonical_form(), lenient);
  if (!again.ok() || (*again)->canonical_form() != schema.canonical_form()) {
    std::fprintf(stderr, "canonical form does not round-trip: %s\n",
                 schema.canonical_form().c_str());
    std::abort();
  }
  return 0;
}
