// Compiling a JSON Schema (drafts 4, 6, 7, 2019-09, 2020-12) and validating documents with it.
//
//   sg::jsonschema::CompileOptions options;
//   options.resolve = [&](std::string_view uri) { return registry_reference(uri); };
//   SG_ASSIGN_OR_RETURN(auto schema, sg::jsonschema::compile(text, options));
//   SG_ASSIGN_OR_RETURN(auto document, sg::jsonschema::Document::parse(event_text));
//   if (!schema->is_valid(document)) { for (auto& e : schema->validate(document)) ... }
//
// Compilation resolves every `$ref` (local, anchors, ids, and other documents through
// `CompileOptions::resolve`), checks each keyword's shape against its draft's meta-schema rules,
// compiles every `pattern` once, and flattens the schema into a vector of nodes. The result is
// immutable: share it between threads and validate any number of documents with it.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/jsonschema/document.h"
#include "schemaguard/jsonschema/draft.h"

namespace sg::jsonschema {

// Maps an absolute URI (without fragment) to the schema document it names, or nullopt.
// Registry references are served this way (a reference named "other.json" is asked for as
// "other.json" when the referring schema has no `$id`, else resolved against that `$id`).
// The validator never touches the network: a URI the resolver does not know is an error.
using Resolver = std::function<std::optional<boost::json::value>(std::string_view uri)>;

struct CompileOptions {
  // The draft of a schema without `$schema` (or with a `$schema` URI that names no draft and
  // that `resolve` cannot serve).
  Draft default_draft = Draft::k7;
  Resolver resolve;
  // Make `format` an assertion for the formats SchemaGuard knows (date-time, date, time,
  // duration, email, hostname, ipv4, ipv6, uri, uri-reference, uuid, json-pointer,
  // relative-json-pointer, regex). By default, as the drafts since 2019-09 say, `format` is
  // an annotation and never fails validation.
  bool assert_formats = false;
};

// One reason a document is invalid.
struct ValidationError {
  std::string instance_path;  // JSON pointer into the document ("" for the document itself)
  std::string schema_path;    // where the failing keyword is: "#/properties/a/minLength", or
                              // "<uri>#/pointer" for a keyword in another document
  std::string message;
};

class CompiledSchema;
using CompiledSchemaPtr = std::shared_ptr<const CompiledSchema>;

// Compiles `schema`. On failure returns kInvalidSchema with a message that starts with the JSON
// pointer of the offending keyword ("at /properties/a/minLength: must be a non-negative
// integer"), prefixed by the document's URI when the keyword is in a referenced document.
Result<CompiledSchemaPtr> compile(const boost::json::value& schema,
                                  const CompileOptions& options = {});

// How deeply the JSON text of a schema may nest. Each property of an object schema costs two
// levels (`properties`, then the property), so this allows far more than any real schema needs
// while keeping recursion well inside the stack.
inline constexpr std::size_t kMaxJsonSchemaDepth = 512;

// Parses `text` as JSON first (line and column in the message when it is not JSON; nesting
// deeper than kMaxJsonSchemaDepth is refused).
Result<CompiledSchemaPtr> compile(std::string_view text, const CompileOptions& options = {});

class CompiledSchema {
 public:
  struct Impl;
  explicit CompiledSchema(std::unique_ptr<Impl> impl);
  ~CompiledSchema();
  CompiledSchema(const CompiledSchema&) = delete;
  CompiledSchema& operator=(const CompiledSchema&) = delete;

  // The draft of the root schema.
  Draft draft() const;

  // True if `document` is valid. Stops at the first failure and builds no messages.
  bool is_valid(const Document& document) const;

  // Every reason `document` is invalid (empty if it is valid). Failures inside `anyOf`,
  // `oneOf`, `not`, `if` and `contains` are reported as one error of that keyword.
  std::vector<ValidationError> validate(const Document& document) const;

  // The same for a Boost.JSON value, converted to a Document first: where documents arrive
  // as text, parse them with Document::parse instead.
  bool is_valid(const boost::json::value& document) const;
  std::vector<ValidationError> validate(const boost::json::value& document) const;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sg::jsonschema
