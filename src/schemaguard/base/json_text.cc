#include "schemaguard/base/json_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/error.hpp>
#include <boost/json/stream_parser.hpp>

namespace sg {

Result<boost::json::value> parse_json_text(std::string_view text, std::string_view what,
                                           std::size_t max_depth) {
  boost::json::parse_options options;
  options.max_depth = max_depth;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec && !parser.done()) ec = boost::json::error::incomplete;
  if (!ec) return parser.release();

  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Error(ErrorCode::kInvalidSchema, fmt::format("Invalid {}: the schema is empty", what));
  }
  consumed = std::min(consumed, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < consumed; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return Error(ErrorCode::kInvalidSchema,
               fmt::format("Invalid {}: not valid JSON at line {}, column {}: {}", what, line,
                           column, ec.message()));
}

}  // namespace sg
