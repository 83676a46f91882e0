#include "schemaguard/base/jackson_tree.h"

#include <gtest/gtest.h>

#include <string>

namespace sg {
namespace {

std::string reserialized(std::string_view json, bool sort_keys = false) {
  JacksonTreeOptions options;
  options.sort_keys = sort_keys;
  auto out = jackson_reserialize(json, options);
  EXPECT_TRUE(out.ok()) << json << ": " << out.error().message();
  return out.ok() ? *out : std::string();
}

// What Confluent's registry stores for each input (Jackson tree with exact BigDecimals).
TEST(JacksonTreeTest, ReserialisesAsConfluentStoresJsonSchemas) {
  struct Case {
    std::string_view input;
    std::string_view stored;
  };
  const Case cases[] = {
      {R"( { "type" : "object" ,
             "properties" : { } } )",
       R"({"type":"object","properties":{}})"},
      {R"({"b": 1, "a": 2})", R"({"b":1,"a":2})"},          // input order kept
      {R"({"a": 1, "b": 2, "a": 3})", R"({"a":3,"b":2})"},  // first place, last value
      {"[1, -0, 12345678901234567890123]", "[1,0,12345678901234567890123]"},
      {"[1.0, 1.50, -0.0, 0.5]", "[1.0,1.50,0.0,0.5]"},  // digits as written
      {"[1e2, 1E2, 1.0e2, 12e-1, 1e0]", "[1E+2,1E+2,1.0E+2,1.2,1]"},
      {"[0.000001, 0.0000001, 123e-9, 0e5]", "[0.000001,1E-7,1.23E-7,0E+5]"},
      {"[-1.5e3, 2.5E+1]", "[-1.5E+3,25]"},
      {R"(["\u0041\/\t", "caf\u00e9", "\ud83d\ude00"])",
       "[\"A/\\t\",\"caf\xc3\xa9\",\"\xf0\x9f\x98\x80\"]"},
      {"[true,false,null]", "[true,false,null]"},
      {R"("just a string")", R"("just a string")"},
  };
  for (const Case& c : cases) EXPECT_EQ(reserialized(c.input), c.stored) << c.input;
}

TEST(JacksonTreeTest, SortsKeysRecursivelyLikeJavasTreeMap) {
  EXPECT_EQ(reserialized(R"({"b": {"z": 1, "y": [{"d": 1, "c": 2}]}, "a": 0, "B": 1})", true),
            R"({"B":1,"a":0,"b":{"y":[{"c":2,"d":1}],"z":1}})");
  // U+FF21 (a BMP character above the surrogates) sorts after U+1F600 in UTF-16, before it in
  // UTF-8 byte order.
  EXPECT_EQ(reserialized("{\"\xef\xbc\xa1\": 1, \"\xf0\x9f\x98\x80\": 2}", true),
            "{\"\xf0\x9f\x98\x80\":2,\"\xef\xbc\xa1\":1}");
}

TEST(JacksonTreeTest, RefusesWhatIsNotOneJsonValue) {
  const std::string_view bad[] = {
      "",
      "{",
      "{\"a\" 1}",
      "[1,]",
      "{\"a\":1,}",
      "01",
      "1.",
      "-",
      "1e",
      "NaN",
      "[Infinity]",
      "{} {}",
      "'single'",
      "\"\\x\"",
      "\"\\ud800\"",
      "\"\\udc00\"",
      "\"a\nb\"",
      "\"\xc3\"",
      "\"\xed\xa0\x80\"",  // an encoded surrogate
      "1e99999999999",     // BigDecimal's scale is an int
  };
  for (std::string_view json : bad) {
    auto out = jackson_reserialize(json);
    EXPECT_FALSE(out.ok()) << json;
    if (!out.ok()) {
      EXPECT_EQ(out.error().code(), ErrorCode::kInvalidArgument) << json;
    }
  }
}

TEST(JacksonTreeTest, DeepNestingIsRefusedNotACrash) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  auto out = jackson_reserialize(deep);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message().find("too deep"), std::string::npos);
  const std::string fine = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(reserialized(fine), fine);
}

}  // namespace
}  // namespace sg
