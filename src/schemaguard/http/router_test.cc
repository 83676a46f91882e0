#include "schemaguard/http/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "schemaguard/http/request.h"

namespace sg::http {
namespace {

using Outcome = RouteMatch::Outcome;

Response ok(const Request&) {
  return Response::json("{}");
}

// The routes of a registry, plus two made-up pairs that make the matcher backtrack.
Router registry_router() {
  Router router;
  const std::pair<Method, const char*> routes[] = {
      {Method::kGet, "/"},
      {Method::kGet, "/subjects"},
      {Method::kGet, "/subjects/{subject}/versions"},
      {Method::kPost, "/subjects/{subject}/versions"},
      {Method::kPost, "/subjects/{subject}"},
      {Method::kDelete, "/subjects/{subject}"},
      {Method::kGet, "/subjects/{subject}/versions/{version}"},
      {Method::kDelete, "/subjects/{subject}/versions/{version}"},
      {Method::kGet, "/subjects/{subject}/versions/{version}/schema"},
      {Method::kGet, "/schemas/ids/{id}"},
      {Method::kGet, "/schemas/types"},
      {Method::kPost, "/compatibility/subjects/{subject}/versions/{version}"},
      {Method::kGet, "/x/{p}/y"},
      {Method::kGet, "/x/lit/{q}"},
      {Method::kGet, "/b/lit"},
      {Method::kGet, "/b/{p}/c"},
  };
  for (const auto& [method, pattern] : routes) {
    auto status = router.add(method, pattern, ok);
    EXPECT_TRUE(status.ok()) << pattern << ": " << status.error().to_string();
  }
  return router;
}

struct MatchCase {
  Method method;
  std::string path;
  Outcome outcome;
  std::string pattern;  // for kFound
  PathParams params;    // for kFound
};

TEST(RouterTest, MatchesAndDecodesPathSegments) {
  const Router router = registry_router();
  const MatchCase cases[] = {
      {Method::kGet, "/", Outcome::kFound, "/", {}},
      {Method::kGet, "/subjects", Outcome::kFound, "/subjects", {}},
      {Method::kGet, "/subjects/", Outcome::kFound, "/subjects", {}},
      {Method::kGet,
       "/subjects/orders-value/versions",
       Outcome::kFound,
       "/subjects/{subject}/versions",
       {{"subject", "orders-value"}}},
      // A subject with '/' arrives as %2F and stays one segment.
      {Method::kGet,
       "/subjects/a%2Fb/versions",
       Outcome::kFound,
       "/subjects/{subject}/versions",
       {{"subject", "a/b"}}},
      {Method::kGet, "/subjects/a/b/versions", Outcome::kNotFound, "", {}},
      {Method::kGet,
       "/subjects/%3A.ctx%3Aorders/versions/latest",
       Outcome::kFound,
       "/subjects/{subject}/versions/{version}",
       {{"subject", ":.ctx:orders"}, {"version", "latest"}}},
      {Method::kGet,
       "/subjects/:.ctx:orders/versions/1",
       Outcome::kFound,
       "/subjects/{subject}/versions/{version}",
       {{"subject", ":.ctx:orders"}, {"version", "1"}}},
      // '+' is only a space in query strings.
      {Method::kGet,
       "/subjects/a+b%20c%2B/versions",
       Outcome::kFound,
       "/subjects/{subject}/versions",
       {{"subject", "a+b c+"}}},
      {Method::kGet,
       "/subjects/%E2%9C%93.%2a/versions",
       Outcome::kFound,
       "/subjects/{subject}/versions",
       {{"subject", "\xE2\x9C\x93.*"}}},
      {Method::kGet,
       "/subjects/%25/versions",
       Outcome::kFound,
       "/subjects/{subject}/versions",
       {{"subject", "%"}}},
      {Method::kGet,
       "/subjects/%2F/versions/1/schema/",
       Outcome::kFound,
       "/subjects/{subject}/versions/{version}/schema",
       {{"subject", "/"}, {"version", "1"}}},
      {Method::kGet, "/subjects/%zz/versions", Outcome::kBadPath, "", {}},
      {Method::kGet, "/subjects/%2/versions", Outcome::kBadPath, "", {}},
      {Method::kGet, "/subjects/x%/versions", Outcome::kBadPath, "", {}},
      // A parameter matches one non-empty segment, as JAX-RS's default template does.
      {Method::kGet, "/subjects//versions", Outcome::kNotFound, "", {}},
      {Method::kGet, "/subjects/x/versions/1/extra", Outcome::kNotFound, "", {}},
      {Method::kGet, "/nope", Outcome::kNotFound, "", {}},
      {Method::kGet, "/schemas/types", Outcome::kFound, "/schemas/types", {}},
      {Method::kGet, "/schemas/ids/7", Outcome::kFound, "/schemas/ids/{id}", {{"id", "7"}}},
      {Method::kGet, "/schemas/ids", Outcome::kNotFound, "", {}},
      {Method::kPost, "/compatibility/subjects/s/versions/", Outcome::kNotFound, "", {}},
      {Method::kPost,
       "/compatibility/subjects/s/versions/latest/",
       Outcome::kFound,
       "/compatibility/subjects/{subject}/versions/{version}",
       {{"subject", "s"}, {"version", "latest"}}},
      // Literal segments win over parameters, and the matcher backtracks when they lead nowhere.
      {Method::kGet, "/x/lit/y", Outcome::kFound, "/x/lit/{q}", {{"q", "y"}}},
      {Method::kGet, "/x/other/y", Outcome::kFound, "/x/{p}/y", {{"p", "other"}}},
      {Method::kGet, "/b/lit", Outcome::kFound, "/b/lit", {}},
      {Method::kGet, "/b/lit/c", Outcome::kFound, "/b/{p}/c", {{"p", "lit"}}},
      // Methods.
      {Method::kPost, "/subjects/s", Outcome::kFound, "/subjects/{subject}", {{"subject", "s"}}},
      {Method::kHead,
       "/subjects/s/versions",
       Outcome::kFound,
       "/subjects/{subject}/versions",
       {{"subject", "s"}}},
      {Method::kPut, "/subjects/s/versions", Outcome::kMethodNotAllowed, "", {}},
      {Method::kDelete, "/subjects", Outcome::kMethodNotAllowed, "", {}},
      {Method::kOptions, "/subjects", Outcome::kMethodNotAllowed, "", {}},
      {Method::kOther, "/subjects", Outcome::kMethodNotAllowed, "", {}},
      {Method::kGet, "/subjects/s", Outcome::kMethodNotAllowed, "", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(method_name(c.method)) + " " + c.path);
    const auto match = router.match(c.method, c.path);
    EXPECT_EQ(match.outcome, c.outcome);
    if (c.outcome == Outcome::kFound) {
      ASSERT_NE(match.route, nullptr);
      EXPECT_EQ(match.route->pattern, c.pattern);
      EXPECT_EQ(match.params, c.params);
    } else {
      EXPECT_EQ(match.route, nullptr);
    }
  }
}

TEST(RouterTest, MethodNotAllowedListsWhatThePathAccepts) {
  const Router router = registry_router();
  auto match = router.match(Method::kPut, "/subjects/s/versions");
  EXPECT_EQ(allow_header(match.allowed), "GET, HEAD, POST, OPTIONS");
  match = router.match(Method::kGet, "/subjects/s");
  EXPECT_EQ(allow_header(match.allowed), "POST, DELETE, OPTIONS");
  match = router.match(Method::kGet, "/subjects");
  EXPECT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(allow_header(match.allowed), "GET, HEAD, OPTIONS");
}

TEST(RouterTest, ExplicitHeadAndOptionsRoutesWin) {
  Router router;
  ASSERT_TRUE(router.add(Method::kGet, "/a", ok).ok());
  ASSERT_TRUE(router.add(Method::kHead, "/a", ok).ok());
  ASSERT_TRUE(router.add(Method::kOptions, "/a", ok).ok());
  EXPECT_EQ(router.match(Method::kHead, "/a").route->method, Method::kHead);
  EXPECT_EQ(router.match(Method::kOptions, "/a").route->method, Method::kOptions);
  EXPECT_EQ(router.routes().size(), 3u);
}

TEST(RouterTest, RejectsMalformedAndDuplicateRoutes) {
  Router router;
  ASSERT_TRUE(router.add(Method::kGet, "/a/{x}", ok).ok());
  const std::pair<Method, const char*> bad[] = {
      {Method::kGet, "/a/{y}"},  // same shape as /a/{x}
      {Method::kOther, "/b"},       {Method::kGet, ""},       {Method::kGet, "b"},
      {Method::kGet, "/b/"},        {Method::kGet, "/b//c"},  {Method::kGet, "/{"},
      {Method::kGet, "/{}"},        {Method::kGet, "/{a-b}"}, {Method::kGet, "/{a}x"},
      {Method::kGet, "/c/{x}/{x}"}, {Method::kGet, "/c%20d"}, {Method::kGet, "/c}"},
  };
  for (const auto& [method, pattern] : bad) {
    const auto status = router.add(method, pattern, ok);
    ASSERT_FALSE(status.ok()) << pattern;
    EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(router.add(Method::kGet, "/d", Handler()).ok());
  EXPECT_TRUE(router.add(Method::kPost, "/a/{y}", ok).ok());
}

TEST(RouterTest, HandlersMayReturnResponsesOrErrors) {
  Router router;
  ASSERT_TRUE(router
                  .add(Method::kGet, "/fails",
                       [](const Request&) -> Result<Response> {
                         return Error(ErrorCode::kSubjectNotFound, "Subject 's' not found.");
                       })
                  .ok());
  ASSERT_TRUE(router.add(Method::kGet, "/works", ok).ok());
  Request request;
  auto result = router.match(Method::kGet, "/fails").route->handler(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kSubjectNotFound);
  result = router.match(Method::kGet, "/works").route->handler(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->body, "{}");
}

TEST(HttpRequestTest, PercentDecoding) {
  struct Case {
    std::string in;
    bool plus_is_space;
    std::optional<std::string> out;
  };
  const Case cases[] = {
      {"", false, ""},
      {"abc", false, "abc"},
      {"a%2Fb", false, "a/b"},
      {"a%2fb", false, "a/b"},
      {"%3A%2E%2e", false, ":.."},
      {"a+b", false, "a+b"},
      {"a+b", true, "a b"},
      {"%2B", true, "+"},
      {"%00", false, std::string(1, '\0')},
      {"%", false, std::nullopt},
      {"%4", false, std::nullopt},
      {"%g0", false, std::nullopt},
      {"ab%", false, std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(percent_decode(c.in, c.plus_is_space), c.out) << c.in;
  }
}

TEST(HttpRequestTest, QueryParsing) {
  auto query = parse_query("normalize=true&verbose&subject=a%2Fb&x=1&x=2&&sp=a+b%20c&=v");
  ASSERT_TRUE(query.has_value());
  Request request;
  request.query = *query;
  EXPECT_EQ(request.query_param("normalize"), "true");
  EXPECT_EQ(request.query_param("verbose"), "");
  EXPECT_EQ(request.query_param("subject"), "a/b");
  EXPECT_EQ(request.query_param("sp"), "a b c");
  EXPECT_EQ(request.query_param(""), "v");
  EXPECT_EQ(request.query_param("missing"), std::nullopt);
  const auto [first, last] = request.query.equal_range("x");
  std::vector<std::string> xs;
  for (auto it = first; it != last; ++it) xs.push_back(it->second);
  EXPECT_EQ(xs, (std::vector<std::string>{"1", "2"}));
  EXPECT_FALSE(parse_query("a=%zz").has_value());
  EXPECT_TRUE(parse_query("")->empty());
}

TEST(HttpRequestTest, BooleanQueryParametersFollowJaxRs) {
  Request request;
  request.query = *parse_query("a=true&b=TRUE&c=True&d=yes&e=1&f=&g=truex");
  EXPECT_TRUE(request.query_flag("a"));
  EXPECT_TRUE(request.query_flag("b"));
  EXPECT_TRUE(request.query_flag("c"));
  EXPECT_FALSE(request.query_flag("d"));
  EXPECT_FALSE(request.query_flag("e"));
  EXPECT_FALSE(request.query_flag("f"));
  EXPECT_FALSE(request.query_flag("g"));
  EXPECT_FALSE(request.query_flag("missing"));
}

TEST(HttpRequestTest, HeadersAreCaseInsensitive) {
  Headers headers;
  headers.add("Content-Type", "application/json");
  headers.add("X-A", "1");
  headers.add("x-a", "2");
  EXPECT_EQ(headers.get("content-type"), "application/json");
  EXPECT_EQ(headers.get("X-A"), "1");
  EXPECT_FALSE(headers.contains("Accept"));
  headers.set("X-a", "3");
  EXPECT_EQ(headers.get("x-A"), "3");
  EXPECT_EQ(headers.size(), 2u);
}

TEST(HttpRequestTest, MethodNames) {
  for (Method method : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kDelete,
                        Method::kPatch, Method::kOptions}) {
    EXPECT_EQ(parse_method(method_name(method)), method);
  }
  EXPECT_EQ(parse_method("get"), Method::kOther);
  EXPECT_EQ(parse_method("PROPFIND"), Method::kOther);
}

TEST(HttpRequestTest, ErrorEnvelopes) {
  auto response = error_response(Error(ErrorCode::kSubjectNotFound, "Subject 'x' not found."));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, R"({"error_code":40401,"message":"Subject 'x' not found."})");
  EXPECT_TRUE(response.content_type.empty());

  response = error_response(Error(ErrorCode::kIncompatibleSchema, "a \"quoted\"\nline\\"));
  EXPECT_EQ(response.status, 409);
  const auto parsed = boost::json::parse(response.body).as_object();
  EXPECT_EQ(parsed.at("error_code").as_int64(), 40901);
  EXPECT_EQ(parsed.at("message").as_string(), "a \"quoted\"\nline\\");

  EXPECT_EQ(error_response(Error(ErrorCode::kInvalidSchema, "x")).status, 422);
  EXPECT_EQ(error_response(Error(ErrorCode::kStoreError, "x")).status, 500);
  EXPECT_EQ(error_response(409, 409, "legacy").body, R"({"error_code":409,"message":"legacy"})");

  const std::pair<int, const char*> framework[] = {
      {400, R"({"error_code":400,"message":"HTTP 400 Bad Request"})"},
      {404, R"({"error_code":404,"message":"HTTP 404 Not Found"})"},
      {405, R"({"error_code":405,"message":"HTTP 405 Method Not Allowed"})"},
      {406, R"({"error_code":406,"message":"HTTP 406 Not Acceptable"})"},
      {408, R"({"error_code":408,"message":"HTTP 408 Request Timeout"})"},
      {413, R"({"error_code":413,"message":"HTTP 413 Payload Too Large"})"},
      {415, R"({"error_code":415,"message":"HTTP 415 Unsupported Media Type"})"},
      {431, R"({"error_code":431,"message":"HTTP 431 Request Header Fields Too Large"})"},
      {500, R"({"error_code":500,"message":"Internal Server Error"})"},
      {503, R"({"error_code":503,"message":"HTTP 503 Service Unavailable"})"},
  };
  for (const auto& [status, body] : framework) {
    const auto r = framework_error(status);
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.body, body);
  }
}

}  // namespace
}  // namespace sg::http
