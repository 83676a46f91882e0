// JSON text re-serialised the way Confluent's registry stores a JSON Schema (rest-api.md §5.9):
// read by Jackson into a tree and written back compactly. The stored bytes decide schema ids and
// are what Confluent's own registry would store, so they must match it exactly:
//
//   sg::jackson_reserialize(R"({ "b": 1.50, "a": [1e2, -0] })", {})   -> {"b":1.50,"a":[1E+2,0]}
//   sg::jackson_reserialize(..., {.sort_keys = true})                  -> {"a":[1E+2,0],"b":1.50}
//
// What Confluent's mapper does, and so this does:
// - object keys keep their input order; a repeated key keeps its first position and its last
//   value (Jackson's tree replaces the value in place);
// - integers print as integers ("-0" as "0"); every other number is an exact BigDecimal printed
//   by BigDecimal.toString: the digits as written ("1.50" stays "1.50"), exponents in Java's
//   scientific layout ("1e2" -> "1E+2", "0.0000001" -> "1E-7");
// - strings are decoded and written with Jackson's escapes (jackson.h);
// - with `sort_keys` (normalize=true) every object's keys are sorted as Java's TreeMap sorts
//   strings: by UTF-16 code units.
#pragma once

#include <string>
#include <string_view>

#include "schemaguard/base/result.h"

namespace sg {

struct JacksonTreeOptions {
  bool sort_keys = false;
  // Deeper nesting is refused (the parser is recursive).
  int max_depth = 512;
};

// Re-serialises `json`. kInvalidArgument with the byte offset for text that is not one JSON
// value (trailing content, invalid UTF-8, a lone surrogate escape, NaN and other non-JSON
// tokens, an exponent BigDecimal cannot hold, nesting deeper than `max_depth`).
Result<std::string> jackson_reserialize(std::string_view json,
                                        const JacksonTreeOptions& options = {});

}  // namespace sg
