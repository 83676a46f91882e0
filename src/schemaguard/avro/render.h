// Renders a parsed Avro schema back to JSON text, byte for byte as Avro Java's
// `Schema.toString()` prints it: the text the registry stores, hashes and shares ids by
// (rest-api.md §5.9). Confluent's registry computes that text with Avro Java 1.11 and Jackson 2,
// so 1.11's rules are followed where Avro Java 1.8.2 differs (render.cc lists the differences).
#pragma once

#include <string>

#include "schemaguard/avro/schema.h"

namespace sg::avro {

struct RenderOptions {
  // Confluent's normalize=true (compat-rules.md §5): the text Confluent gets by writing its
  // normalised form (full names, aliases and custom properties sorted, defaults converted to
  // their field's type) and printing the re-parsed result. In the output: aliases are sorted,
  // custom properties follow the logical type's own keys in key order, object keys inside
  // defaults and property values are sorted, numeric defaults take their field's type (3 for a
  // double field becomes 3.0, a float default is rounded to float precision), an empty doc of a
  // named type and the `error` keyword (written as `record`) disappear.
  bool normalize = false;
};

// The schema as Avro Java's Schema.toString() renders it: compact JSON with a fixed key order
// per node type, inherited namespaces elided, every named type defined at its first use and
// written by name after that. Named types that come from referenced schemas
// (ParseOptions::references) are written by name only, as Confluent passes them to Avro as
// known types.
std::string render(const Schema& schema, const RenderOptions& options = {});

// Java's Double.toString as JDK 19 and later print it: the shortest digits that read back as
// `value` (when one digit does, the closest decimal of one or two digits: 4.9E-324), laid out
// as "123.45" for 1e-3 <= |value| < 1e7 (at least one fractional digit: "3.0") and as
// "1.2345E-5" otherwise; "NaN", "Infinity", "-Infinity". JDK 18 and older sometimes print
// more digits (1e23 as 9.999999999999999E22, JDK-4511638).
std::string java_double_string(double value);

// Java's Float.toString: the same layout, with the shortest digits that read back as `value`
// as a float.
std::string java_float_string(float value);

}  // namespace sg::avro
