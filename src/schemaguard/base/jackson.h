// JSON text exactly as Jackson's default generator writes it, for bytes that must equal what
// Confluent's Java code produces (`_schemas` keys compared by Kafka compaction, stored schema
// text whose bytes decide ids). Boost.JSON's serializer escapes differently.
#pragma once

#include <string>
#include <string_view>

namespace sg {

// Appends `text` as a quoted JSON string the way Jackson does (CharTypes.sOutputEscapes128):
// '"' and '\\' escaped, the short forms \b \t \n \f \r, other control characters as \u00XX with
// upper-case hex, and '/', DEL and non-ASCII (raw UTF-8) left alone.
void append_jackson_string(std::string& out, std::string_view text);

}  // namespace sg
