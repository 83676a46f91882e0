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
  const std::string stored = format.render(**parsed, false);
  for (const std::string& again_text : {stored, *format.convert(**parsed, "serialized")}) {
    auto again = format.parse(again_text, {});
    if (!again.ok()) {
      std::fprintf(stderr, "stored form does not parse: %s\n%s\n", again.error().message().c_str(),
                   again_text.c_str());
      std::abort();
    }
    if (format.render(**again, false) != stored) {
      std::fprintf(stderr, "stored form changes when read again:\n%s\n---\n%s\n", stored.c_str(),
                   format.render(**again, false).c_str());
      std::abort();
    }
  }
  format.render(**parsed, true);
  return 0;
}
