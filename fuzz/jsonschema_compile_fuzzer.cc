// libFuzzer target for the JSON Schema compiler. Beyond "no crash, no hang, no sanitizer
// report", every input must either be rejected with kInvalidSchema and a message, or compile
// into a schema whose two validation paths agree: is_valid() is true exactly when validate()
// finds no error, on the schema text itself and on a few fixed documents. Each input is
// compiled under two default drafts (7 and 2020-12), since `$schema` is often absent.
//
// The input is also read as a document: Document::parse must accept exactly the texts
// Boost.JSON accepts (at the same depth limit), and read them as the same value.
#include <boost/json/parse.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "schemaguard/jsonschema/validator.h"

namespace {

const boost::json::value& fixed_document(std::size_t i) {
  static const boost::json::value documents[] = {
      boost::json::parse("null"),
      boost::json::parse("-1.5"),
      boost::json::parse("18446744073709551615"),
      boost::json::parse(R"("caf\u00e9 \ud83d\udca9")"),
      boost::json::parse(R"([1, 1.0, "a", [], {}, null, true])"),
      boost::json::parse(R"({"a": {"b": [1, {"c": "d"}]}, "": 0, "x-y": false})"),
  };
  return documents[i % std::size(documents)];
}

constexpr std::size_t kDocuments = 6;

// Value equality in which NaN equals NaN: Boost.JSON 1.81 reads 0e400 as NaN, and so do we.
bool same_value(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_double() && b.is_double() && std::isnan(a.get_double())) {
    return std::isnan(b.get_double());
  }
  if (a.is_array() && b.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!same_value(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& member : x) {
      const boost::json::value* other = y.if_contains(member.key());
      if (other == nullptr || !same_value(member.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

// Document::parse against Boost.JSON's own parser, at the same depth limit.
void check_document(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = sg::jsonschema::Document::kDefaultMaxDepth;
  boost::system::error_code ec;
  const boost::json::value expected = boost::json::parse(text, ec, {}, options);
  auto document = sg::jsonschema::Document::parse(text);
  if (document.ok() != !ec) {
    std::fprintf(stderr, "Boost.JSON says %s, Document::parse says %s\n",
                 ec ? ec.message().c_str() : "valid",
                 document.ok() ? "valid" : document.error().message().c_str());
    std::abort();
  }
  if (document.ok() && !same_value(document->to_json(), expected)) {
    std::fprintf(stderr, "Document::parse read a different value\n");
    std::abort();
  }
}

void check_agreement(const sg::jsonschema::CompiledSchema& schema,
                     const boost::json::value& document) {
  const bool valid = schema.is_valid(document);
  const auto errors = schema.validate(document);
  if (valid != errors.empty()) {
    std::fprintf(stderr, "is_valid() says %s but validate() found %zu errors\n",
                 valid ? "valid" : "invalid", errors.size());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_document(text);
  for (const auto draft : {sg::jsonschema::Draft::k7, sg::jsonschema::Draft::k2020_12}) {
    sg::jsonschema::CompileOptions options;
    options.default_draft = draft;
    options.assert_formats = draft == sg::jsonschema::Draft::k2020_12;
    auto compiled = sg::jsonschema::compile(text, options);
    if (!compiled.ok()) {
      if (compiled.error().message().empty() ||
          compiled.error().code() != sg::ErrorCode::kInvalidSchema) {
        std::abort();
      }
      continue;
    }
    const sg::jsonschema::CompiledSchema& schema = **compiled;
    boost::system::error_code ec;
    const boost::json::value self = boost::json::parse(text, ec);
    if (!ec) check_agreement(schema, self);
    for (std::size_t i = 0; i < kDocuments; ++i) check_agreement(schema, fixed_document(i));
  }
  return 0;
}
