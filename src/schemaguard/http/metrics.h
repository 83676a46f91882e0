// Prometheus metrics: a small thread-safe registry of counters, gauges and histograms with
// labels, rendered in the text exposition format 0.0.4, and the per-request hook the server
// calls (`RequestObserver`) with an implementation that feeds the registry (`HttpMetrics`).
//
//   MetricsRegistry registry;
//   auto& hits = registry.counter("cache_hits_total", "Cache hits.", {"cache"});
//   Counter& schema_hits = hits.with({"schema"});    // look up once, keep the reference
//   schema_hits.inc();                               // one relaxed atomic add
//
//   HttpMetrics http_metrics(registry);              // per-route request counts and latencies
//   options.observer = &http_metrics;
//   SG_RETURN_IF_ERROR(add_metrics_route(router, registry));   // GET /metrics
//
// Updates are lock-free atomics on cache-line-aligned cells. Looking a series up by label values
// takes a shared (reader) lock on its family; only the first use of a label set takes it
// exclusively. Registration and rendering take the registry's mutex.
//
// Names, label names and the label-value count are programming contracts (REQUIRES below); a
// violation aborts with a message rather than returning an error, as they never come from input.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"

namespace sg::http {

class Router;

// A monotonically increasing count.
class alignas(64) Counter {
 public:
  void inc(std::uint64_t amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down.
class alignas(64) Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into buckets with fixed upper bounds (plus +Inf), and keeps their sum.
class alignas(64) Histogram {
 public:
  // REQUIRES: `bounds` strictly ascending and finite.
  explicit Histogram(std::vector<double> bounds);

  void observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  // The count is the sum of the bucket counts read, so a snapshot is consistent in itself even
  // while other threads observe.
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket, not cumulative
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, 0.5 ms to 10 s.
std::vector<double> default_latency_buckets();

// The series of one metric name, one per label-value set.
template <typename Metric>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds);
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  // The series for `label_values` (one per label name, in order), created on first use. The
  // reference stays valid as long as the registry. REQUIRES: as many values as label names.
  Metric& with(std::span<const std::string_view> label_values);
  Metric& with(std::initializer_list<std::string_view> label_values) {
    return with(std::span<const std::string_view>(label_values.begin(), label_values.size()));
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Appends this family's HELP, TYPE and sample lines.
  void render(std::string& out) const;

 private:
  struct LabelsLess {
    using is_transparent = void;
    bool operator()(const std::vector<std::string>& a, const std::vector<std::string>& b) const;
    bool operator()(const std::vector<std::string>& a, std::span<const std::string_view> b) const;
    bool operator()(std::span<const std::string_view> a, const std::vector<std::string>& b) const;
  };

  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;  // histograms only
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, LabelsLess> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Registers a metric family, or returns the one already registered under `name`.
  // REQUIRES: `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* and
  // not "le" for histograms; a name registered again has the same type and label names.
  CounterFamily& counter(std::string_view name, std::string_view help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string_view name, std::string_view help,
                     std::vector<std::string> label_names = {});
  HistogramFamily& histogram(std::string_view name, std::string_view help,
                             std::vector<std::string> label_names,
                             std::vector<double> bounds = default_latency_buckets());

  // Every family in name order, series in label-value order: the text exposition format 0.0.4.
  std::string render() const;

 private:
  struct Entry;

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> families_;
};

// One answered request, as the server reports it.
struct RequestRecord {
  std::string_view method;  // "GET", ...; "OTHER" for methods the server does not know
  std::string_view route;   // the matched pattern; empty if no route matched
  int status = 0;
  std::chrono::nanoseconds duration{0};  // first byte of the request to the response ready
  std::size_t request_bytes = 0;         // body
  std::size_t response_bytes = 0;        // body
};

// The server's metrics hook. Called on I/O threads, concurrently: implementations must be
// thread-safe and fast (no I/O).
class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // Once per answered request (framework errors included), just before the response is written.
  virtual void on_request(const RequestRecord& record) = 0;
  virtual void on_connection_opened() {}
  virtual void on_connection_closed() {}
  // A connection refused with 503 because the server was at its connection limit.
  virtual void on_connection_rejected() {}
};

// The HTTP server metrics, under `prefix` ("schemaguard_http"):
//   <prefix>_requests_total{method,route,status}            counter
//   <prefix>_request_duration_seconds{method,route}         histogram
//   <prefix>_connections_open                               gauge
//   <prefix>_connections_rejected_total                     counter
// `route` is the pattern, or "unmatched", so label cardinality stays bounded by the routes.
class HttpMetrics final : public RequestObserver {
 public:
  explicit HttpMetrics(MetricsRegistry& registry, std::string_view prefix = "schemaguard_http");

  void on_request(const RequestRecord& record) override;
  void on_connection_opened() override;
  void on_connection_closed() override;
  void on_connection_rejected() override;

 private:
  CounterFamily& requests_;
  HistogramFamily& durations_;
  Gauge& connections_open_;
  Counter& connections_rejected_;
};

// Registers GET `path` answering `registry.render()` as Prometheus text. `registry` must outlive
// the router.
Status add_metrics_route(Router& router, const MetricsRegistry& registry,
                         std::string_view path = "/metrics");

}  // namespace sg::http
