#include "schemaguard/http/negotiation.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace sg::http {
namespace {

TEST(HttpNegotiationTest, RequestContentTypes) {
  const std::pair<std::optional<std::string>, bool> cases[] = {
      {std::nullopt, true},  // no header: octet-stream, parsed as JSON
      {"", true},
      {"application/vnd.schemaregistry.v1+json", true},
      {"application/vnd.schemaregistry+json", true},
      {"application/json", true},
      {"application/octet-stream", true},
      {"application/json; charset=utf-8", true},
      {"application/vnd.schemaregistry.v1+json;charset=UTF-8", true},
      {"  Application/JSON  ", true},
      {"text/plain", false},
      {"application/xml", false},
      {"application/x-www-form-urlencoded", false},
      {"application/*", false},
      {"*/*", false},
      {"application/jsonx", false},
      {"json", false},
  };
  for (const auto& [content_type, accepted] : cases) {
    EXPECT_EQ(is_supported_request_type(content_type), accepted) << content_type.value_or("<none>");
  }
}

TEST(HttpNegotiationTest, ResponseContentTypes) {
  const std::optional<std::string_view> v1 = kSchemaRegistryV1Json;
  const std::optional<std::string_view> sr = kSchemaRegistryJson;
  const std::optional<std::string_view> json = kJson;
  const std::optional<std::string_view> none;
  const std::pair<std::optional<std::string>, std::optional<std::string_view>> cases[] = {
      {std::nullopt, v1},
      {"", v1},
      {"*/*", v1},
      {"application/*", v1},
      {"application/json", json},
      {"APPLICATION/JSON", json},
      {"application/vnd.schemaregistry+json", sr},
      {"application/vnd.schemaregistry.v1+json", v1},
      // Equal q: the server's preference decides.
      {"application/json, application/vnd.schemaregistry+json", sr},
      {"application/json, application/vnd.schemaregistry.v1+json", v1},
      // What the Java client sends (qs= is not q=).
      {"application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, "
       "application/json; qs=0.5",
       v1},
      // The client's q ranks first.
      {"application/json;q=0.9, application/vnd.schemaregistry+json;q=0.5", json},
      {"application/json ; q=0.5 , application/vnd.schemaregistry+json ; q=0.6", sr},
      {"application/*;q=0.2, application/json", json},
      {"*/*;q=0.1, application/json;q=0.2", json},
      // The most specific range sets a type's q: v1 excluded, the next one wins.
      {"*/*, application/vnd.schemaregistry.v1+json;q=0", sr},
      {"application/json;q=0", none},
      {"application/*;q=0", none},
      {"text/html", none},
      {"text/*", none},
      {"text/html, */*;q=0.1", v1},
      {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", v1},
      {"application/json;q=1.000", json},
      // Unreadable ranges are skipped; nothing readable at all means no preference.
      {"application/json;q=abc", v1},
      {"application/json;q=1.5, text/html", none},
      {"garbage", v1},
      {"*/json", v1},
      {"text/html, garbage", none},
  };
  for (const auto& [accept, expected] : cases) {
    EXPECT_EQ(negotiate_response_type(accept), expected) << accept.value_or("<none>");
  }
}

}  // namespace
}  // namespace sg::http
