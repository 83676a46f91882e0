#include "schemaguard/http/metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "schemaguard/http/router.h"

namespace sg::http {
namespace {

TEST(MetricsTest, RendersCountersAndGauges) {
  MetricsRegistry registry;
  auto& requests = registry.counter("requests_total", "Requests.\nBy code \\ path.", {"code"});
  requests.with({"200"}).inc();
  requests.with({"200"}).inc(2);
  requests.with({"404"}).inc();
  registry.counter("plain_total", "No labels.").with({}).inc(7);
  registry.gauge("temperature", "Degrees.").with({}).set(-1.5);
  registry.gauge("empty", "Registered, never used.");

  EXPECT_EQ(registry.render(),
            "# HELP empty Registered, never used.\n"
            "# TYPE empty gauge\n"
            "# HELP plain_total No labels.\n"
            "# TYPE plain_total counter\n"
            "plain_total 7\n"
            "# HELP requests_total Requests.\\nBy code \\\\ path.\n"
            "# TYPE requests_total counter\n"
            "requests_total{code=\"200\"} 3\n"
            "requests_total{code=\"404\"} 1\n"
            "# HELP temperature Degrees.\n"
            "# TYPE temperature gauge\n"
            "temperature -1.5\n");
}

TEST(MetricsTest, RendersHistograms) {
  MetricsRegistry registry;
  auto& latency = registry.histogram("latency_seconds", "Latency.", {"route"}, {0.25, 1});
  auto& root = latency.with({"/"});
  root.observe(0.125);
  root.observe(0.25);  // bounds are inclusive
  root.observe(0.5);
  root.observe(4);
  EXPECT_EQ(registry.render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"/\",le=\"0.25\"} 2\n"
            "latency_seconds_bucket{route=\"/\",le=\"1\"} 3\n"
            "latency_seconds_bucket{route=\"/\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{route=\"/\"} 4.875\n"
            "latency_seconds_count{route=\"/\"} 4\n");
}

TEST(MetricsTest, EscapesLabelValues) {
  MetricsRegistry registry;
  registry.counter("c", "h", {"a", "b"}).with({"x\"y", "1\\2\n3"}).inc();
  EXPECT_NE(registry.render().find("c{a=\"x\\\"y\",b=\"1\\\\2\\n3\"} 1\n"), std::string::npos)
      << registry.render();
}

TEST(MetricsTest, RegisteringAgainReturnsTheSameFamily) {
  MetricsRegistry registry;
  auto& first = registry.counter("c_total", "h", {"a"});
  auto& second = registry.counter("c_total", "other help", {"a"});
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(&first.with({"x"}), &second.with({"x"}));
}

TEST(MetricsDeathTest, ContractViolationsAbort) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  MetricsRegistry registry;
  registry.counter("c_total", "h", {"a"});
  EXPECT_DEATH(registry.counter("bad name", "h"), "invalid metric name");
  EXPECT_DEATH(registry.gauge("c_total", "h", {"a"}), "registered twice");
  EXPECT_DEATH(registry.counter("c_total", "h", {"a"}).with({"x", "y"}), "label values");
  EXPECT_DEATH(registry.histogram("h", "h", {"le"}), "invalid label name");
  EXPECT_DEATH(registry.histogram("h2", "h", {}, {1, 1}), "ascending");
}

TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  MetricsRegistry registry;
  auto& counter = registry.counter("c_total", "h", {"thread"});
  auto& histogram = registry.histogram("h_seconds", "h", {}, {0.5});
  constexpr int kThreads = 4;
  constexpr int kIterations = 20'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        // Half the series are shared between threads, and created concurrently.
        counter.with({std::to_string(i % 2 == 0 ? t : 99)}).inc();
        histogram.with({}).observe(i % 2 == 0 ? 0.25 : 1.0);
        if (i % 1000 == 0) (void)registry.render();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.with({"99"}).value(), std::uint64_t{kThreads * kIterations / 2});
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(counter.with({std::to_string(t)}).value(), std::uint64_t{kIterations / 2});
  }
  const auto snapshot = histogram.with({}).snapshot();
  EXPECT_EQ(snapshot.count, std::uint64_t{kThreads * kIterations});
  EXPECT_EQ(snapshot.cumulative[0], std::uint64_t{kThreads * kIterations / 2});
  EXPECT_DOUBLE_EQ(snapshot.sum, kThreads * kIterations / 2 * 1.25);
}

TEST(MetricsTest, HttpMetricsCountPerRoute) {
  MetricsRegistry registry;
  HttpMetrics metrics(registry);
  using std::chrono::milliseconds;
  metrics.on_request({"GET", "/subjects", 200, milliseconds(3), 0, 10});
  metrics.on_request({"GET", "/subjects", 200, milliseconds(30), 0, 10});
  metrics.on_request({"GET", "", 404, milliseconds(1), 0, 10});
  metrics.on_connection_opened();
  metrics.on_connection_opened();
  metrics.on_connection_closed();
  metrics.on_connection_rejected();
  const auto text = registry.render();
  for (const char* line : {
           "schemaguard_http_requests_total{method=\"GET\",route=\"/subjects\",status=\"200\"} 2\n",
           "schemaguard_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n",
           "schemaguard_http_request_duration_seconds_bucket{method=\"GET\",route=\"/subjects\","
           "le=\"0.005\"} 1\n",
           "schemaguard_http_request_duration_seconds_count{method=\"GET\",route=\"/subjects\"} "
           "2\n",
           "# TYPE schemaguard_http_request_duration_seconds histogram\n",
           "schemaguard_http_connections_open 1\n",
           "schemaguard_http_connections_rejected_total 1\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin\n" << text;
  }
}

TEST(MetricsTest, MetricsRouteServesPrometheusText) {
  MetricsRegistry registry;
  registry.counter("c_total", "h").with({}).inc();
  Router router;
  ASSERT_TRUE(add_metrics_route(router, registry).ok());
  const auto match = router.match(Method::kGet, "/metrics");
  ASSERT_NE(match.route, nullptr);
  auto response = match.route->handler(Request{});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response->body, "# HELP c_total h\n# TYPE c_total counter\nc_total 1\n");
}

}  // namespace
}  // namespace sg::http
