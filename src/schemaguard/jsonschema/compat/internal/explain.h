// Messages and fix hints for JSON Schema differences.
#pragma once

#include <memory>
#include <string>

#include "schemaguard/jsonschema/compat/diff.h"

namespace sg::jsonschema::compat_internal {

// What the diff knows about one difference, for its message.
struct Finding {
  std::string type;
  std::string path;  // Confluent's path, "#/..."
  std::string original_pointer;
  std::string update_pointer;
  // The values involved as JSON text ("" when absent on that side): the keyword's value for
  // bounds, enums and unsupported keywords; a description of the node for type changes.
  std::string before;
  std::string after;
  // COMBINED_TYPE_SUBSCHEMAS_CHANGED: an incompatible difference inside the subschemas that
  // shows what changed; its path is relative to this finding's path.
  std::shared_ptr<const Finding> cause;
};

// Fills `message` and `hint` (hint left empty for compatible differences).
void explain(const Finding& finding, const DiffOptions& options, std::string& message,
             std::string& hint);

}  // namespace sg::jsonschema::compat_internal
