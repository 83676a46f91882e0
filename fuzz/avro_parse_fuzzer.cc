// libFuzzer target for the Avro schema parser. Beyond "no crash, no hang, no sanitizer report",
// every schema that parses must satisfy two properties:
//   - it is compatible with itself (reader = writer), and
//   - its Parsing Canonical Form parses again to the same canonical form.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "schemaguard/avro/compat.h"
#include "schemaguard/avro/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sg::avro::parse(text);
  if (!parsed.ok()) {
    if (parsed.error().message().empty()) std::abort();
    return 0;
  }
  const sg::avro::Schema& schema = **parsed;
  const auto self = sg::avro::check_compatibility(schema, schema);
  if (!self.empty()) {
    std::fprintf(stderr, "schema is not compatible with itself: %s at %s\n",
                 self.front().type.c_str(), self.front().reader_path.c_str());
    std::abort();
  }
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
