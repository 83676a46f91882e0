#include "schemaguard/jsonschema/uri.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace sg::jsonschema {
namespace {

// RFC 3986 section 5.4: the normal and abnormal examples.
TEST(UriTest, ResolvesAsRfc3986Says) {
  const std::string base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> cases[] = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {";x", "http://a/b/c/;x"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/../y", "http://a/b/c/y"},
  };
  for (const auto& [ref, expected] : cases) {
    EXPECT_EQ(resolve_uri(base, ref), expected) << ref;
  }
}

TEST(UriTest, ResolvesAgainstEmptyAndUrnBases) {
  EXPECT_EQ(resolve_uri("", "other.json"), "other.json");
  EXPECT_EQ(resolve_uri("", "#/definitions/a"), "#/definitions/a");
  EXPECT_EQ(resolve_uri("schemas/order.json", "customer.json"), "schemas/customer.json");
  EXPECT_EQ(resolve_uri("urn:uuid:deadbeef", "#foo"), "urn:uuid:deadbeef#foo");
  EXPECT_EQ(resolve_uri("http://x/y/z.json", "http://other/a.json#/b"), "http://other/a.json#/b");
}

TEST(UriTest, PointersAndEscapes) {
  EXPECT_EQ(percent_decode("a%25b%22"), "a%b\"");
  EXPECT_EQ(percent_decode("%2"), std::nullopt);
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
  EXPECT_EQ(parse_json_pointer(""), std::vector<std::string>{});
  EXPECT_EQ(parse_json_pointer("/a~1b/~0c/0"), (std::vector<std::string>{"a/b", "~c", "0"}));
  EXPECT_EQ(parse_json_pointer("/"), std::vector<std::string>{""});
  EXPECT_EQ(parse_json_pointer("a"), std::nullopt);
  EXPECT_EQ(parse_json_pointer("/~2"), std::nullopt);
  std::string pointer;
  append_pointer_token(pointer, "a/b~c");
  EXPECT_EQ(pointer, "/a~1b~0c");
  EXPECT_EQ(split_fragment("x.json#/a").first, "x.json");
  EXPECT_EQ(split_fragment("x.json#/a").second, "/a");
}

TEST(UriTest, LocalRefsResolveInTheDocument) {
  const boost::json::value root = boost::json::parse(
      R"({"definitions": {"a b": {"type": "string"}, "x/y": 1, "t~": 2}, "list": [10, 20]})");
  EXPECT_EQ(resolve_local_ref(root, "#"), &root);
  const boost::json::value* a = resolve_local_ref(root, "#/definitions/a%20b");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->at("type"), "string");
  EXPECT_EQ(*resolve_local_ref(root, "#/definitions/x~1y"), 1);
  EXPECT_EQ(*resolve_local_ref(root, "#/definitions/t~0"), 2);
  EXPECT_EQ(*resolve_local_ref(root, "#/list/1"), 20);
  for (const char* missing : {"", "other.json#/a", "#anchor", "#/list/2", "#/list/01x",
                              "#/definitions/nope", "#/definitions/%zz", "#/list/99999999999"}) {
    EXPECT_EQ(resolve_local_ref(root, missing), nullptr) << missing;
  }
}

}  // namespace
}  // namespace sg::jsonschema
