#include "schemaguard/http/server.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <latch>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "schemaguard/http/access_log.h"
#include "schemaguard/http/metrics.h"
#include "schemaguard/http/testing.h"

namespace sg::http {
namespace {

namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

using http_testing::Client;
using http_testing::kClientTimeout;
using http_testing::Reply;

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds within = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Holds handlers until the test opens it.
class Gate {
 public:
  void enter_and_wait() {
    std::unique_lock lock(mutex_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  bool wait_entered(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kClientTimeout, [&] { return entered_ >= count; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int entered_ = 0;
  bool open_ = false;
};

std::string thread_name() {
  std::ostringstream out;
  out << std::this_thread::get_id();
  return out.str();
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    add(Method::kGet, "/hello",
        [](const Request&) -> Result<Response> { return Response::json(R"({"hello":"world"})"); });
    add(Method::kPost, "/echo",
        [](const Request& r) -> Result<Response> { return Response::json(r.body); });
    add(Method::kGet, "/subjects/{subject}/versions/{version}",
        [](const Request& r) -> Result<Response> {
          boost::json::object body;
          body["subject"] = r.path_param("subject");
          body["version"] = r.path_param("version");
          body["verbose"] = r.query_flag("verbose");
          body["request_id"] = r.request_id;
          return Response::json(boost::json::serialize(body));
        });
    add(Method::kGet, "/missing", [](const Request&) -> Result<Response> {
      return Error(ErrorCode::kSubjectNotFound, "Subject 'x' not found.");
    });
    add(Method::kGet, "/throws",
        [](const Request&) -> Result<Response> { throw std::runtime_error("boom"); });
    add(
        Method::kGet, "/slow",
        [this](const Request&) -> Result<Response> {
          gate_.enter_and_wait();
          return Response::json(R"({"slow":true})");
        },
        blocking_route());
    add(Method::kGet, "/thread", [](const Request&) -> Result<Response> {
      return Response::json(boost::json::serialize(boost::json::value(thread_name())));
    });
    add(
        Method::kGet, "/blocking-thread",
        [](const Request&) -> Result<Response> {
          return Response::json(boost::json::serialize(boost::json::value(thread_name())));
        },
        blocking_route());
    // A blocking route whose fast path settles "?known=true" without the blocking handler.
    RouteOptions with_fast_path = blocking_route();
    with_fast_path.fast_path = [this](const Request& r) -> std::optional<Result<Response>> {
      fast_path_calls_.fetch_add(1);
      if (!r.query_flag("known")) return std::nullopt;
      return Result<Response>(Response::json(R"("fast")"));
    };
    add(
        Method::kGet, "/maybe-fast",
        [this](const Request&) -> Result<Response> {
          blocking_calls_.fetch_add(1);
          return Response::json(R"("blocking")");
        },
        with_fast_path);
    EXPECT_TRUE(add_metrics_route(router_, registry_).ok());
  }

  ~ServerTest() override { gate_.open(); }

  std::atomic<int> fast_path_calls_{0};
  std::atomic<int> blocking_calls_{0};

  void add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {}) {
    auto status = router_.add(method, pattern, std::move(handler), std::move(options));
    EXPECT_TRUE(status.ok()) << status.error().to_string();
  }

  ServerOptions options(const std::function<void(ServerOptions&)>& customize = {}) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.blocking_threads = 2;
    options.shutdown_timeout = 5s;
    options.observer = &metrics_;
    options.logger = make_quiet_logger();
    if (customize) customize(options);
    return options;
  }

  void start(const std::function<void(ServerOptions&)>& customize = {}) {
    auto server = Server::start(options(customize), router_);
    ASSERT_TRUE(server.ok()) << server.error().to_string();
    server_ = std::move(server).value();
  }

  Client connected() {
    Client client(server_->port());
    EXPECT_FALSE(client.connect());
    return client;
  }

  Gate gate_;
  Router router_;
  MetricsRegistry registry_;
  HttpMetrics metrics_{registry_};
  std::ostringstream log_;
  std::unique_ptr<Server> server_;  // last: stopped before what it uses goes away
};

void expect_envelope(const Reply& reply, int status, std::int64_t code, std::string_view message) {
  EXPECT_EQ(reply.status(), status);
  EXPECT_EQ(reply.header("Content-Type"), "application/vnd.schemaregistry.v1+json");
  const auto body = boost::json::parse(reply.body()).as_object();
  EXPECT_EQ(body.at("error_code").as_int64(), code) << reply.body();
  EXPECT_EQ(body.at("message").as_string(), message) << reply.body();
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  EXPECT_FALSE(server_->endpoint().empty());
  auto client = connected();
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int version = 1; version <= 5; ++version) {
    auto reply = client.request(bhttp::verb::get,
                                fmt::format("/subjects/a%2Fb/versions/{}?verbose=TRUE", version));
    ASSERT_FALSE(reply.ec) << reply.ec.message();
    EXPECT_EQ(reply.status(), 200);
    EXPECT_TRUE(reply.message.keep_alive());
    EXPECT_EQ(reply.header("Content-Type"), "application/vnd.schemaregistry.v1+json");
    EXPECT_FALSE(reply.header("Date").empty());
    const auto body = boost::json::parse(reply.body()).as_object();
    EXPECT_EQ(body.at("subject").as_string(), "a/b");
    EXPECT_EQ(body.at("version").as_string(), std::to_string(version));
    EXPECT_TRUE(body.at("verbose").as_bool());
    EXPECT_TRUE(std::regex_match(reply.header("X-Request-ID"), uuid))
        << reply.header("X-Request-ID");
    EXPECT_EQ(body.at("request_id").as_string(), reply.header("X-Request-ID"));
  }
  auto reply = client.request(bhttp::verb::get, "/hello", {},
                              {{"X-Request-ID", "trace-42"}, {"Accept", "application/json"}});
  EXPECT_EQ(reply.status(), 200);
  EXPECT_EQ(reply.body(), R"({"hello":"world"})");
  EXPECT_EQ(reply.header("X-Request-ID"), "trace-42");
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  auto client = connected();
  std::string batch;
  for (int version = 1; version <= 3; ++version) {
    batch += fmt::format("GET /subjects/s/versions/{} HTTP/1.1\r\nHost: x\r\n\r\n", version);
  }
  batch +=
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 7\r\n\r\n{\"a\":1}";
  batch += "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_FALSE(client.write(batch));
  for (int version = 1; version <= 3; ++version) {
    const auto reply = client.read();
    ASSERT_FALSE(reply.ec) << reply.ec.message();
    EXPECT_EQ(boost::json::parse(reply.body()).at("version").as_string(), std::to_string(version));
  }
  EXPECT_EQ(client.read().body(), R"({"a":1})");
  const auto last = client.read();
  EXPECT_EQ(last.body(), R"({"hello":"world"})");
  EXPECT_FALSE(last.message.keep_alive());
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, FrameworkErrorsUseTheConfluentEnvelope) {
  start();
  // One connection throughout: error responses keep the connection open.
  auto client = connected();
  using V = bhttp::verb;

  expect_envelope(client.request(V::get, "/nope"), 404, 404, "HTTP 404 Not Found");
  auto reply = client.request(V::put, "/hello", "{}");
  expect_envelope(reply, 405, 405, "HTTP 405 Method Not Allowed");
  EXPECT_EQ(reply.header("Allow"), "GET, HEAD, OPTIONS");
  expect_envelope(client.request(V::delete_, "/hello"), 405, 405, "HTTP 405 Method Not Allowed");
  expect_envelope(client.request(V::post, "/echo", "{}", {{"Content-Type", "text/plain"}}), 415,
                  415, "HTTP 415 Unsupported Media Type");
  expect_envelope(client.request(V::post, "/echo", "<a/>", {{"Content-Type", "application/xml"}}),
                  415, 415, "HTTP 415 Unsupported Media Type");
  expect_envelope(client.request(V::get, "/hello", {}, {{"Accept", "text/html"}}), 406, 406,
                  "HTTP 406 Not Acceptable");
  expect_envelope(client.request(V::get, "/missing"), 404, 40401, "Subject 'x' not found.");
  expect_envelope(client.request(V::get, "/throws"), 500, 500, "Internal Server Error");
  expect_envelope(client.request(V::get, "/subjects/%zz/versions/1"), 400, 400,
                  "HTTP 400 Bad Request");
  expect_envelope(client.request(V::get, "/hello?a=%zz"), 400, 400, "HTTP 400 Bad Request");

  // Media types that are accepted, a body without Content-Type included.
  for (const char* type :
       {"application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
        "application/json", "application/octet-stream", ""}) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (*type) headers.emplace_back("Content-Type", type);
    reply = client.request(V::post, "/echo", R"({"k":1})", headers);
    EXPECT_EQ(reply.status(), 200) << type;
    EXPECT_EQ(reply.body(), R"({"k":1})");
  }

  EXPECT_EQ(client.request(V::get, "/hello/").status(), 200);
  reply = client.request(V::options, "/hello");
  EXPECT_EQ(reply.status(), 204);
  EXPECT_EQ(reply.header("Allow"), "GET, HEAD, OPTIONS");
  reply = client.request(V::head, "/hello");
  EXPECT_EQ(reply.status(), 200);
  EXPECT_EQ(reply.header("Content-Length"), "17");
  EXPECT_TRUE(reply.body().empty());
  // The connection survived all of that.
  EXPECT_EQ(client.request(V::get, "/hello").body(), R"({"hello":"world"})");
  EXPECT_EQ(server_->open_connections(), 1u);

  // Not HTTP at all.
  auto garbage = connected();
  ASSERT_FALSE(garbage.write("HELLO\r\n\r\n"));
  expect_envelope(garbage.read(), 400, 400, "HTTP 400 Bad Request");
  EXPECT_TRUE(garbage.wait_closed());
}

TEST_F(ServerTest, BodyTooLargeIs413AndTheConnectionCloses) {
  start([](ServerOptions& o) { o.max_body_bytes = 1024; });
  auto client = connected();
  auto reply = client.request(bhttp::verb::post, "/echo", std::string(5000, 'x'),
                              {{"Content-Type", "application/json"}});
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  expect_envelope(reply, 413, 413, "HTTP 413 Payload Too Large");
  EXPECT_FALSE(reply.message.keep_alive());
  EXPECT_TRUE(client.wait_closed());

  // Chunked bodies are counted as they arrive.
  auto chunked = connected();
  const std::string chunk(600, 'y');
  ASSERT_FALSE(chunked.write(
      fmt::format("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "258\r\n{}\r\n258\r\n{}\r\n0\r\n\r\n",
                  chunk, chunk)));
  expect_envelope(chunked.read(), 413, 413, "HTTP 413 Payload Too Large");
  EXPECT_TRUE(chunked.wait_closed());

  // Exactly at the limit is fine.
  auto fits = connected();
  reply = fits.request(bhttp::verb::post, "/echo", std::string(1024, 'z'));
  EXPECT_EQ(reply.status(), 200);
  EXPECT_EQ(reply.body().size(), 1024u);
}

TEST_F(ServerTest, LargeBodiesWithinTheLimitPassThroughTheBoundedBuffer) {
  start([](ServerOptions& o) { o.max_header_bytes = 1024; });
  auto client = connected();
  for (std::size_t size : {std::size_t{3} << 20, std::size_t{100'000}}) {
    const auto reply = client.request(bhttp::verb::post, "/echo", std::string(size, 'b'));
    ASSERT_FALSE(reply.ec) << reply.ec.message();
    EXPECT_EQ(reply.status(), 200);
    EXPECT_EQ(reply.body().size(), size);
  }
}

TEST_F(ServerTest, HeaderTooLargeIs431) {
  start([](ServerOptions& o) { o.max_header_bytes = 1024; });
  auto client = connected();
  auto reply = client.request(bhttp::verb::get, "/hello", {}, {{"X-Big", std::string(4000, 'a')}});
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  expect_envelope(reply, 431, 431, "HTTP 431 Request Header Fields Too Large");
  EXPECT_TRUE(client.wait_closed());

  auto fits = connected();
  EXPECT_EQ(
      fits.request(bhttp::verb::get, "/hello", {}, {{"X-Big", std::string(500, 'a')}}).status(),
      200);
}

TEST_F(ServerTest, SlowClientsAreTimedOut) {
  start([](ServerOptions& o) {
    o.header_timeout = 300ms;
    o.body_timeout = 300ms;
  });
  auto headers = connected();
  ASSERT_FALSE(headers.write("GET /hello HTTP/1.1\r\nHost: x\r\n"));  // and no end of headers
  expect_envelope(headers.read(), 408, 408, "HTTP 408 Request Timeout");
  EXPECT_TRUE(headers.wait_closed());

  auto body = connected();
  ASSERT_FALSE(body.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  expect_envelope(body.read(), 408, 408, "HTTP 408 Request Timeout");
  EXPECT_TRUE(body.wait_closed());
}

TEST_F(ServerTest, IdleConnectionsAreClosedQuietly) {
  start([](ServerOptions& o) { o.idle_timeout = 300ms; });
  auto client = connected();
  EXPECT_EQ(client.request(bhttp::verb::get, "/hello").status(), 200);
  std::string received;
  EXPECT_TRUE(client.wait_closed(kClientTimeout, &received));
  EXPECT_EQ(received, "");

  auto silent = connected();
  EXPECT_TRUE(silent.wait_closed(kClientTimeout, &received));
  EXPECT_EQ(received, "");
  EXPECT_TRUE(eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(ServerTest, HttpOneZeroAndExpectContinue) {
  start();
  auto old = connected();
  ASSERT_FALSE(old.write("GET /hello HTTP/1.0\r\n\r\n"));
  const auto reply = old.read();
  EXPECT_EQ(reply.status(), 200);
  EXPECT_EQ(reply.message.version(), 10u);
  EXPECT_TRUE(old.wait_closed());

  auto client = connected();
  ASSERT_FALSE(
      client.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(client.read().status(), 100);
  ASSERT_FALSE(client.write("{}"));
  const auto echoed = client.read();
  EXPECT_EQ(echoed.status(), 200);
  EXPECT_EQ(echoed.body(), "{}");
}

TEST_F(ServerTest, TwoHundredConcurrentConnections) {
  start();
  constexpr int kConnections = 200;
  constexpr int kRequests = 5;
  std::latch connected_all(kConnections);
  std::latch go(1);
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  threads.reserve(kConnections);
  const auto port = server_->port();
  for (int i = 0; i < kConnections; ++i) {
    threads.emplace_back([&, i] {
      Client client(port);
      const bool up = !client.connect();
      connected_all.count_down();
      go.wait();
      if (!up) {
        ++failed;
        return;
      }
      for (int version = 1; version <= kRequests; ++version) {
        const auto reply =
            client.request(bhttp::verb::get, fmt::format("/subjects/s{}/versions/{}", i, version));
        const bool ok =
            !reply.ec && reply.status() == 200 &&
            reply.body().find(fmt::format(R"("subject":"s{}")", i)) != std::string::npos;
        ++(ok ? answered : failed);
      }
    });
  }
  connected_all.wait();
  // Every connection is open on the server at the same time.
  EXPECT_TRUE(eventually([&] { return server_->open_connections() == kConnections; }))
      << server_->open_connections();
  go.count_down();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered.load(), kConnections * kRequests);
  EXPECT_EQ(failed.load(), 0);
}

TEST_F(ServerTest, BlockingHandlersDoNotStallTheIoThread) {
  start([](ServerOptions& o) { o.io_threads = 1; });
  Reply slow;
  std::thread waiting([&] {
    Client client(server_->port());
    if (!client.connect()) slow = client.request(bhttp::verb::get, "/slow");
  });
  ASSERT_TRUE(gate_.wait_entered(1));
  // The only I/O thread is free while the slow handler waits on the blocking pool.
  auto client = connected();
  EXPECT_EQ(client.request(bhttp::verb::get, "/hello").status(), 200);
  const auto io_thread = client.request(bhttp::verb::get, "/thread").body();
  const auto pool_thread = client.request(bhttp::verb::get, "/blocking-thread").body();
  EXPECT_NE(io_thread, pool_thread);
  gate_.open();
  waiting.join();
  EXPECT_EQ(slow.status(), 200);
  EXPECT_EQ(slow.body(), R"({"slow":true})");
}

TEST_F(ServerTest, AFastPathAnswersOrHandsOverToTheBlockingHandler) {
  start();
  auto client = connected();
  auto fast = client.request(bhttp::verb::get, "/maybe-fast?known=true");
  EXPECT_EQ(fast.status(), 200);
  EXPECT_EQ(fast.body(), R"("fast")");
  EXPECT_EQ(fast_path_calls_.load(), 1);
  EXPECT_EQ(blocking_calls_.load(), 0);
  auto handed_over = client.request(bhttp::verb::get, "/maybe-fast");
  EXPECT_EQ(handed_over.status(), 200);
  EXPECT_EQ(handed_over.body(), R"("blocking")");
  EXPECT_EQ(fast_path_calls_.load(), 2);
  EXPECT_EQ(blocking_calls_.load(), 1);
}

TEST_F(ServerTest, GracefulStopLetsInFlightRequestsFinish) {
  start();
  auto idle = connected();
  EXPECT_EQ(idle.request(bhttp::verb::get, "/hello").status(), 200);

  Reply in_flight;
  bool in_flight_closed = false;
  std::thread requester([&] {
    Client client(server_->port());
    if (client.connect()) return;
    in_flight = client.request(bhttp::verb::get, "/slow");
    in_flight_closed = client.wait_closed();
  });
  ASSERT_TRUE(gate_.wait_entered(1));

  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->stop();
    stopped = true;
  });
  // New connections are refused once the listener is closed.
  EXPECT_TRUE(eventually([&] {
    Client probe(server_->port());
    return static_cast<bool>(probe.connect());
  }));
  // The idle keep-alive connection is closed without waiting for the slow request.
  EXPECT_TRUE(idle.wait_closed());
  EXPECT_FALSE(stopped.load());  // the slow request still holds stop() up

  gate_.open();
  requester.join();
  stopper.join();
  EXPECT_TRUE(stopped.load());
  ASSERT_FALSE(in_flight.ec) << in_flight.ec.message();
  EXPECT_EQ(in_flight.status(), 200);
  EXPECT_EQ(in_flight.body(), R"({"slow":true})");
  EXPECT_FALSE(in_flight.message.keep_alive());
  EXPECT_TRUE(in_flight_closed);
  server_->stop();  // idempotent
}

TEST_F(ServerTest, ConnectionLimitAnswers503) {
  start([](ServerOptions& o) { o.max_connections = 2; });
  auto first = std::make_unique<Client>(connected());
  auto second = connected();
  EXPECT_EQ(first->request(bhttp::verb::get, "/hello").status(), 200);
  EXPECT_EQ(second.request(bhttp::verb::get, "/hello").status(), 200);

  auto third = connected();
  const auto reply = third.request(bhttp::verb::get, "/hello");
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  expect_envelope(reply, 503, 503, "HTTP 503 Service Unavailable");
  EXPECT_EQ(reply.header("Retry-After"), "1");
  EXPECT_TRUE(third.wait_closed());

  first.reset();  // frees a slot
  EXPECT_TRUE(eventually([&] { return server_->open_connections() < 2; }));
  auto fourth = connected();
  EXPECT_EQ(fourth.request(bhttp::verb::get, "/hello").status(), 200);
  EXPECT_NE(registry_.render().find("schemaguard_http_connections_rejected_total 1\n"),
            std::string::npos);
}

TEST_F(ServerTest, MetricsCountRequestsPerRoute) {
  start();
  auto client = connected();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.request(bhttp::verb::get, "/hello").status(), 200);
  EXPECT_EQ(client.request(bhttp::verb::get, "/nope").status(), 404);
  EXPECT_EQ(client.request(bhttp::verb::get, "/subjects/a/versions/1").status(), 200);
  // Prometheus scrapers send their own Accept; the metrics route ignores it.
  const auto reply = client.request(bhttp::verb::get, "/metrics", {},
                                    {{"Accept", "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"}});
  EXPECT_EQ(reply.status(), 200);
  EXPECT_EQ(reply.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const char* line : {
           "schemaguard_http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 3\n",
           "schemaguard_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n",
           "schemaguard_http_requests_total{method=\"GET\",route=\"/subjects/{subject}/versions/"
           "{version}\",status=\"200\"} 1\n",
           "schemaguard_http_request_duration_seconds_count{method=\"GET\",route=\"/hello\"} 3\n",
           "schemaguard_http_request_duration_seconds_bucket{method=\"GET\",route=\"/hello\","
           "le=\"+Inf\"} 3\n",
           "schemaguard_http_connections_open 1\n",
       }) {
    EXPECT_NE(reply.body().find(line), std::string::npos) << line << "\nin\n" << reply.body();
  }
}

TEST_F(ServerTest, AccessLogWritesOneJsonObjectPerRequest) {
  start([this](ServerOptions& o) {
    o.logger = make_access_logger(spdlog::level::info,
                                  {std::make_shared<spdlog::sinks::ostream_sink_mt>(log_)});
  });
  auto client = connected();
  EXPECT_EQ(
      client.request(bhttp::verb::get, "/hello?x=1", {}, {{"X-Request-ID", "trace-1"}}).status(),
      200);
  EXPECT_EQ(client.request(bhttp::verb::post, "/echo", "[1,2]").status(), 200);
  EXPECT_EQ(client.request(bhttp::verb::get, "/nope").status(), 404);
  server_->stop();

  std::vector<boost::json::object> lines;
  std::istringstream in(log_.str());
  for (std::string line; std::getline(in, line);) {
    boost::system::error_code ec;
    auto value = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    lines.push_back(value.as_object());
  }
  ASSERT_EQ(lines.size(), 3u) << log_.str();
  const auto& first = lines[0];
  EXPECT_EQ(first.at("level").as_string(), "info");
  EXPECT_EQ(first.at("logger").as_string(), "schemaguard.http");
  EXPECT_EQ(first.at("msg").as_string(), "request");
  EXPECT_EQ(first.at("method").as_string(), "GET");
  EXPECT_EQ(first.at("target").as_string(), "/hello?x=1");
  EXPECT_EQ(first.at("route").as_string(), "/hello");
  EXPECT_EQ(first.at("status").as_int64(), 200);
  EXPECT_EQ(first.at("bytes_out").as_int64(), 17);
  EXPECT_EQ(first.at("request_id").as_string(), "trace-1");
  EXPECT_TRUE(first.at("duration_ms").is_number());
  EXPECT_TRUE(first.at("ts").as_string().ends_with("Z"));
  EXPECT_TRUE(first.at("remote").as_string().starts_with("127.0.0.1:"));
  EXPECT_EQ(lines[1].at("bytes_in").as_int64(), 5);
  EXPECT_EQ(lines[2].at("status").as_int64(), 404);
  EXPECT_EQ(lines[2].at("route").as_string(), "");
}

TEST_F(ServerTest, StartFailsCleanly) {
  start();
  auto taken = Server::start(options([&](ServerOptions& o) { o.port = server_->port(); }), router_);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code(), ErrorCode::kIoError);
  EXPECT_NE(taken.error().message().find("bind"), std::string::npos) << taken.error().message();

  auto invalid = Server::start(options([](ServerOptions& o) { o.max_connections = 0; }), router_);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code(), ErrorCode::kInvalidArgument);

  // The first server is unaffected.
  auto client = connected();
  EXPECT_EQ(client.request(bhttp::verb::get, "/hello").status(), 200);
}

TEST(HttpSignalsTest, TerminationSignalsAreCaughtAndReported) {
  TerminationSignals signals;
  // Raised before wait(): the signal is kept, and the process is not terminated.
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_EQ(signals.wait(), SIGTERM);
  ASSERT_EQ(std::raise(SIGINT), 0);
  EXPECT_EQ(signals.wait(), SIGINT);
}

}  // namespace
}  // namespace sg::http
