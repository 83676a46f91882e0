// JSON Schema drafts and the `$schema` URIs that name them.
#pragma once

#include <optional>
#include <string_view>

namespace sg::jsonschema {

// The drafts SchemaGuard reads. Ordered: a later draft compares greater.
enum class Draft { k4, k6, k7, k2019_09, k2020_12 };

// The draft a `$schema` URI names, with or without a trailing "#" and for either http or
// https ("http://json-schema.org/draft-07/schema#"). nullopt for any other URI.
std::optional<Draft> draft_from_uri(std::string_view uri);

// The canonical `$schema` URI of `draft`.
std::string_view draft_uri(Draft draft);

// "draft4", "draft6", "draft7", "draft2019-09", "draft2020-12" (the test suite's folder names).
std::string_view draft_name(Draft draft);

}  // namespace sg::jsonschema
