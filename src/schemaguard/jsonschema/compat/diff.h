// JSON Schema compatibility: Confluent's structural diff of two JSON Schemas, with every
// difference explained.
//
// The diff compares an `original` schema (the writer side: the data that exists) with an
// `update` schema (the reader side: what must accept that data). BACKWARD runs it as
// (original = older version, update = new schema), FORWARD as (new, older). It reports every
// difference Confluent's JSON Schema checker reports, compatible ones included, with Confluent's
// difference type names (e.g. "REQUIRED_ATTRIBUTE_ADDED") and its "#/properties/foo" paths; the
// pair is compatible when every difference type is in the policy's compatible set.
//
// The schemas are read as the everit model Confluent uses reads them (drafts 4, 6, 7 natively;
// 2019-09 and 2020-12 translated as Confluent translates them); see
// ../shared/api/compat-rules.md §3. Where that model cannot tell whether a change is safe (a
// changed `format`, `contains`, `propertyNames`, `if`/`then`/`else`, patternProperties, or a
// keyword nobody defines), SchemaGuard reports "UNSUPPORTED_KEYWORD_CHANGED", which no policy
// accepts, instead of ignoring the change as Confluent does (set `fail_closed = false` for
// Confluent's exact behaviour).
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/jsonschema/draft.h"
#include "schemaguard/model/incompatibility.h"

namespace sg::jsonschema {

// The per-subject compatibility policy (Confluent's `compatibilityPolicy`): LENIENT also accepts
// changes to open or closed content models that old data is unlikely to trip over.
enum class CompatPolicy { kStrict, kLenient };

// Drafts (draft.h, shared with the validator): a schema's `$schema` picks one, else
// `DiffOptions::default_draft` does.

// Registry references of one schema: the name a `$ref` uses (as written in the schema, or as
// resolved against the schema's base URI) to the referenced schema's JSON.
using References = std::map<std::string, boost::json::value, std::less<>>;

struct DiffOptions {
  CompatPolicy policy = CompatPolicy::kStrict;
  Draft default_draft = Draft::k7;
  // Not owned; must outlive the diff() call. Null: the schema has no references.
  const References* original_references = nullptr;
  const References* update_references = nullptr;
  // Report changes the model cannot judge as UNSUPPORTED_KEYWORD_CHANGED (see above).
  bool fail_closed = true;
  // Keywords to treat as annotations (never compared), besides the drafts' own annotations and
  // any keyword starting with "x-" or "connect.".
  std::vector<std::string> annotation_keywords;
  // How messages name the two sides: who wrote the data the original schema describes, and who
  // reads it with the update. The defaults fit BACKWARD; a FORWARD check swaps the roles.
  std::string writer_events = "events written before this version";
  std::string readers = "readers using the new schema";
};

struct Difference {
  // Confluent's difference type, or SchemaGuard's "UNSUPPORTED_KEYWORD_CHANGED".
  std::string type;
  // Confluent's path of the difference: "#/", "#/properties/foo", "#/items/2",
  // "#/allOf/1/enum". It follows the original side (member indexes of combined schemas are the
  // original's) and ignores `$ref` hops. `confluent_path_to_pointer` turns it into RFC 6901.
  std::string path;
  // RFC 6901 JSON pointers ("" is the root) into the original's and the update's JSON text:
  // the keyword that differs, or the nearest enclosing schema when it is absent on that side.
  // Through a `$ref` they point into the definition; nodes from a registry reference point at
  // the `$ref` in this schema.
  std::string original_pointer;
  std::string update_pointer;
  // A sentence about what goes wrong for real events (or why nothing does), and for
  // incompatible differences how to make the change safe.
  std::string message;
  std::string hint;

  friend bool operator==(const Difference&, const Difference&) = default;
};

// Every difference between `original` (writer) and `update` (reader), compatible ones included.
// Fails with kInvalidSchema when a `$ref` cannot be resolved (within the schema or through its
// references) or a schema is not an object or a boolean. Pure; linear in the size of the
// schemas for tree-shaped schemas, recursive ones are visited once per (original, update) pair.
Result<std::vector<Difference>> diff(const boost::json::value& original,
                                     const boost::json::value& update,
                                     const DiffOptions& options = {});

// A schema (and its registry references) read into the diff's model once, to diff against many
// others without reading it again: the registry compares a new version with every earlier one.
// Holds its own copies of the documents; immutable, so share it between threads.
class PreparedSchema {
 public:
  struct Impl;
  explicit PreparedSchema(std::unique_ptr<Impl> impl);
  ~PreparedSchema();
  PreparedSchema(const PreparedSchema&) = delete;
  PreparedSchema& operator=(const PreparedSchema&) = delete;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Reads `schema` with `references` (may be null) as diff() would, under `options`'s draft,
// annotation keywords and fail_closed (which diffs of the result must share; the policy and the
// wording may differ per diff). Fails as diff() does.
Result<std::shared_ptr<const PreparedSchema>> prepare(const boost::json::value& schema,
                                                      const References* references,
                                                      const DiffOptions& options = {});

// diff() of two prepared schemas.
Result<std::vector<Difference>> diff(const PreparedSchema& original, const PreparedSchema& update,
                                     const DiffOptions& options = {});

// Whether `type` is in the policy's compatible set (Confluent's sets, §3.6).
bool is_compatible_type(std::string_view type, CompatPolicy policy);

// True when every difference is in the policy's compatible set.
bool is_compatible(const std::vector<Difference>& differences, CompatPolicy policy);

// The incompatible differences as sg::Incompatibility records: reader_path = update_pointer,
// writer_path = original_pointer (the diff runs original = writer, update = reader).
Incompatibilities incompatibilities(const std::vector<Difference>& differences,
                                    CompatPolicy policy);

// A Confluent path as an RFC 6901 pointer: "#/properties/a~b" -> "/properties/a~0b", "#/" -> "".
// Confluent's paths do not escape '/' inside names, so a name containing '/' cannot be told
// apart; `original_pointer` / `update_pointer` are exact.
std::string confluent_path_to_pointer(std::string_view path);

}  // namespace sg::jsonschema
