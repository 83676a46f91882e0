// libFuzzer target for the Protobuf schema path (libprotoc parsing behind sg::protobuf::format(),
// import resolution, the stored rendering, the compatibility diff). Beyond "no crash, no hang, no
// sanitizer report", every schema that parses must satisfy:
//   - it is compatible with itself, both ways;
//   - its stored text parses again, to the same stored text (the registry stores that text and
//     re-reads it for every later check);
//   - its serialized form (?format=serialized) parses again, to the same stored text.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "schemaguard/protobuf/format/format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sg::Format& format = sg::protobuf::format();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = format.parse(text, {});
  if (!parsed.ok()) {
    if (parsed.error().message().empty()) std::abort();
    return 0;
  }
  if (!format.check(**parsed, **parsed).empty()) {
    std::fprintf(stderr, "schema is not compatible with itself\n");
    std::abort();
  }
  // The stored text reads back to itself. The serialized form reads back to a schema of its
  // own text (Confluent prints a descriptor with qualified types and map entry messages, not
  // the source's layout) that is compatible with the original both ways and stable itself.
  const std::string stored = format.render(**parsed, false);
  for (const std::string& again_text : {stored, *format.convert(**parsed, "serialized")}) {
    auto again = format.parse(again_text, {});
    if (!again.ok()) {
      std::fprintf(stderr, "stored form does not parse: %s\n%s\n", again.error().message().c_str(),
                   again_text.c_str());
      std::abort();
    }
    const std::string again_stored = format.render(**again, false);
    auto third = format.parse(again_stored, {});
    const bool stable = third.ok() && format.render(**third, false) == again_stored;
    if ((again_text == stored && again_stored != stored) || !stable) {
      std::fprintf(stderr, "stored form changes when read again:\n%s\n---\n%s\n",
                   again_text.c_str(), again_stored.c_str());
      std::abort();
    }
    if (!format.check(**again, **parsed).empty() || !format.check(**parsed, **again).empty()) {
      std::fprintf(stderr, "stored form is not compatible with the schema\n");
      std::abort();
    }
  }
  // The normalised text is what a registry stores under normalize=true: it must read back, as
  // the same schema.
  const std::string normalized_text = format.render(**parsed, true);
  auto normalized = format.parse(normalized_text, {});
  if (!normalized.ok()) {
    std::fprintf(stderr, "normalized form does not parse: %s\n%s\n",
                 normalized.error().message().c_str(), normalized_text.c_str());
    std::abort();
  }
  if (!format.check(**normalized, **parsed).empty() ||
      !format.check(**parsed, **normalized).empty()) {
    std::fprintf(stderr, "normalized form is not compatible with the schema:\n%s\n",
                 normalized_text.c_str());
    std::abort();
  }
  return 0;
}
