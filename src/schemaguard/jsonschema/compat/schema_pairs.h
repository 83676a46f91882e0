// Test only: random (older, newer) JSON Schema pairs for the compatibility property test.
//
// The older schema is a realistic event: an object with typed properties (strings, integers,
// numbers, booleans, enums, consts, nullable types), nested objects, arrays, numeric and length
// bounds, required lists, additionalProperties true/false/a schema, anyOf/oneOf, and `$ref`s to
// definitions (`definitions` in draft 7, `$defs` in 2020-12). The newer schema is the older one
// after one to three random evolutions, safe and unsafe alike: properties added or removed,
// required names added or removed, types widened or narrowed, bounds moved, enum values added or
// removed, content models opened or closed, anyOf/oneOf branches added or removed...
//
// Deterministic for a seed with the same standard library (the distributions of <random> are
// not portable between libstdc++ and libc++).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "schemaguard/jsonschema/draft.h"

namespace sg::jsonschema {

struct SchemaPair {
  boost::json::value older;
  boost::json::value newer;
  Draft draft = Draft::k7;
  // What was changed, e.g. "add required property /properties/customer/properties/tier".
  std::vector<std::string> mutations;
};

class SchemaPairGenerator {
 public:
  explicit SchemaPairGenerator(std::uint64_t seed);

  SchemaPair next();

 private:
  boost::json::value property_schema(int depth);
  boost::json::value object_schema(int depth);
  boost::json::value primitive_schema();
  // Applies one random mutation to `schema`; returns its description (empty: none applied).
  std::string mutate(boost::json::value& schema, bool alone);

  int pick(int n);
  bool coin(double probability);
  std::string name();

  std::mt19937_64 random_;
  Draft draft_ = Draft::k7;
  std::vector<std::string> definitions_;  // the names refs may use while generating
};

}  // namespace sg::jsonschema
