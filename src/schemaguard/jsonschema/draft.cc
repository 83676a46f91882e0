#include "schemaguard/jsonschema/draft.h"

namespace sg::jsonschema {

std::optional<Draft> draft_from_uri(std::string_view uri) {
  // Meta-schema URIs are compared without scheme and empty fragment: authors write both
  // http and https, with and without "#", and every validator in use accepts all four.
  if (uri.starts_with("https://")) {
    uri.remove_prefix(8);
  } else if (uri.starts_with("http://")) {
    uri.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  if (uri.ends_with('#')) uri.remove_suffix(1);
  if (uri == "json-schema.org/draft-04/schema") return Draft::k4;
  if (uri == "json-schema.org/draft-06/schema") return Draft::k6;
  if (uri == "json-schema.org/draft-07/schema") return Draft::k7;
  if (uri == "json-schema.org/draft/2019-09/schema") return Draft::k2019_09;
  if (uri == "json-schema.org/draft/2020-12/schema") return Draft::k2020_12;
  return std::nullopt;
}

std::string_view draft_uri(Draft draft) {
  switch (draft) {
    case Draft::k4: return "http://json-schema.org/draft-04/schema#";
    case Draft::k6: return "http://json-schema.org/draft-06/schema#";
    case Draft::k7: return "http://json-schema.org/draft-07/schema#";
    case Draft::k2019_09: return "https://json-schema.org/draft/2019-09/schema";
    case Draft::k2020_12: return "https://json-schema.org/draft/2020-12/schema";
  }
  return {};
}

std::string_view draft_name(Draft draft) {
  switch (draft) {
    case Draft::k4: return "draft4";
    case Draft::k6: return "draft6";
    case Draft::k7: return "draft7";
    case Draft::k2019_09: return "draft2019-09";
    case Draft::k2020_12: return "draft2020-12";
  }
  return {};
}

}  // namespace sg::jsonschema
