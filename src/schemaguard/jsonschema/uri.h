// URI references (RFC 3986) and JSON pointers (RFC 6901), as `$id` and `$ref` use them.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sg::jsonschema {

// `ref` resolved against `base` (RFC 3986 section 5.2, dot segments removed). `base` may be
// empty or relative (a schema without `$id`): the result is then as relative as they are.
std::string resolve_uri(std::string_view base, std::string_view ref);

// The URI without its fragment, and the fragment (without '#'; empty if none).
std::pair<std::string_view, std::string_view> split_fragment(std::string_view uri);

// "%25" -> "%"; nullopt when an escape is malformed.
std::optional<std::string> percent_decode(std::string_view text);

// The reference tokens of a JSON pointer ("/a~1b/0" -> {"a/b", "0"}); nullopt if malformed.
std::optional<std::vector<std::string>> parse_json_pointer(std::string_view pointer);

// Appends "/" and `token` escaped (~ -> ~0, / -> ~1) to `pointer`.
void append_pointer_token(std::string& pointer, std::string_view token);

// The value a local `$ref` names in `root`: "#" is the root, "#/definitions/a%20b" a JSON
// pointer (percent-encoded, as a URI fragment is). nullptr for anything else: a reference to
// another document, an anchor, a malformed pointer, or a pointer to nothing. No `$id` is
// followed: for tools that read a schema's own JSON (the generator, counterexamples), not for
// the validator, which resolves references properly when it compiles.
const boost::json::value* resolve_local_ref(const boost::json::value& root, std::string_view ref);

}  // namespace sg::jsonschema
