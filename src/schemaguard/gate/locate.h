// Finding where a JSON pointer's node is in the text of a schema file, so that a report can
// point at a line and column of the file a person edits rather than at a path.
#pragma once

#include <string_view>

#include "schemaguard/model/incompatibility.h"

namespace sg::gate {

// The 1-based line and column where the value `pointer` (RFC 6901; "" is the whole document)
// names begins in the JSON `text`. When the node does not exist, the nearest existing ancestor;
// {0, 0} when `text` is not JSON that far. Columns count bytes.
TextPosition locate_json_pointer(std::string_view text, std::string_view pointer);

}  // namespace sg::gate
