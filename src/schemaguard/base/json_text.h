// Reading JSON text that a person wrote, such as a schema, into a Boost.JSON value.
//
//   SG_ASSIGN_OR_RETURN(boost::json::value json, parse_json_text(text, "Avro schema"));
//
// Boost.JSON's own parse() stops at 32 levels of nesting, which real schemas exceed (a JSON
// Schema nests two levels per property: `properties`, then the property), and its errors do not
// say where the text is wrong. This one takes the limit from the caller and reports the line and
// column where parsing stopped.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "schemaguard/base/result.h"

namespace sg {

// Parses `text` as one JSON document nested at most `max_depth` levels deep. On failure returns
// kInvalidSchema with a message that starts "Invalid <what>: ", then says the text is empty or
// gives the 1-based line and column where it stops being JSON and why.
Result<boost::json::value> parse_json_text(std::string_view text, std::string_view what,
                                           std::size_t max_depth);

// Why JSON text that failed to parse after `consumed` bytes is not JSON, for a message:
// "the <what> is empty" when it holds only white space, else "not valid JSON at line L,
// column C: <reason>" (1-based, at the byte where parsing stopped).
std::string json_text_problem(std::string_view text, std::size_t consumed, std::string_view reason,
                              std::string_view what);

}  // namespace sg
