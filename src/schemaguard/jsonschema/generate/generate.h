// Documents for a JSON Schema: small, varied, and meant to be valid under it.
//
//   sg::jsonschema::InstanceGenerator generator(schema, options);
//   for (int i = 0; i < 100; ++i) {
//     boost::json::value doc = generator.next();
//     if (validator.is_valid(doc)) ...     // the generator aims at valid, it does not promise it
//   }
//
// Two uses: counterexamples for the compatibility engine (a document the old schema accepts and
// the new one rejects shows what an incompatibility means), and property tests (whatever the
// engine calls compatible must accept every document the old schema accepts). Both need
// documents that reach the corners: optional properties present and absent, every enum value,
// each branch of anyOf/oneof, bounds of numbers and lengths, and, in objects that allow
// additional properties, extra members with names the other schema of the pair uses, carrying
// values of any type (that is how an open content model breaks a reader).
//
// The generator follows $ref within the document (JSON pointers, `definitions`, `$defs`, ids are
// not resolved) and reads the keywords of drafts 4 to 2020-12; what it cannot satisfy (a
// `pattern`, `not`, `if`) it ignores, which is why callers validate.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace sg::jsonschema {

struct GenerateOptions {
  std::uint64_t seed = 1;
  // Nesting below which objects get only required properties and arrays stay minimal.
  int max_depth = 6;
  int max_array_items = 4;
  // Names to try as additional properties where the schema allows them, e.g. the properties
  // the other schema of a compared pair declares.
  std::vector<std::string> extra_property_names;
};

class InstanceGenerator {
 public:
  // `schema` must outlive the generator.
  InstanceGenerator(const boost::json::value& schema, GenerateOptions options);

  // The next document; successive calls vary it.
  boost::json::value next();

 private:
  boost::json::value generate(const boost::json::value& schema, int depth);
  boost::json::value generate_object(const boost::json::object& schema, int depth);
  boost::json::value generate_array(const boost::json::object& schema, int depth);
  boost::json::value generate_string(const boost::json::object& schema);
  boost::json::value generate_number(const boost::json::object& schema, bool integer);
  boost::json::value any_value(int depth);
  const boost::json::value* resolve(std::string_view ref) const;
  bool coin(double probability);

  const boost::json::value& root_;
  GenerateOptions options_;
  std::mt19937_64 random_;
};

}  // namespace sg::jsonschema
