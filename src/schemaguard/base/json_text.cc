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

  const std::string problem = json_text_problem(text, consumed, ec.message(), "schema");
  return Error(ErrorCode::kInvalidSchema, fmt::format("Invalid {}: {}", what, problem));
}

std::string json_text_problem(std::string_view text, std::size_t consumed, std::string_view reason,
                              std::string_view what) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fmt::format("the {} is empty", what);
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
  return fmt::format("not valid JSON at line {}, column {}: {}", line, column, reason);
}

}  // namespace sg
