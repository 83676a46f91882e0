#include "schemaguard/http/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "schemaguard/http/negotiation.h"
#include "schemaguard/http/router.h"

namespace sg::http {
namespace {

[[noreturn]] void contract_violation(std::string_view what) {
  std::fprintf(stderr, "sg::http metrics: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Sample values: integers as integers, the rest in the shortest form that reads back exactly.
void append_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void append_value(std::string& out, std::uint64_t value) {
  fmt::format_to(std::back_inserter(out), "{}", value);
}

// Label values escape backslash, double quote and line feed; HELP text backslash and line feed.
void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// `{a="x",b="y"}` (plus `le` for histogram buckets); nothing at all without labels.
void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, std::string_view le = {}) {
  if (names.empty() && le.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out += '"';
  }
  if (!le.empty()) {
    if (!names.empty()) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

constexpr std::span<const std::string_view> kNoLabels;

template <typename Metric>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<Metric, Counter>) return "counter";
  if constexpr (std::is_same_v<Metric, Gauge>) return "gauge";
  if constexpr (std::is_same_v<Metric, Histogram>) return "histogram";
}

void check_bounds(const std::vector<double>& bounds) {
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      contract_violation("histogram bounds must be finite and strictly ascending");
    }
  }
}

template <typename A, typename B>
bool labels_less(const A& a, const B& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](std::string_view x, std::string_view y) { return x < y; });
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  check_bounds(bounds_);
}

void Histogram::observe(double value) {
  // `le` is inclusive: the first bucket whose bound is >= value; past the end is +Inf.
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  const auto index = static_cast<std::size_t>(it - bounds_.begin());
  counts_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

template <typename Metric>
bool Family<Metric>::LabelsLess::operator()(const std::vector<std::string>& a,
                                            const std::vector<std::string>& b) const {
  return a < b;
}
template <typename Metric>
bool Family<Metric>::LabelsLess::operator()(const std::vector<std::string>& a,
                                            std::span<const std::string_view> b) const {
  return labels_less(a, b);
}
template <typename Metric>
bool Family<Metric>::LabelsLess::operator()(std::span<const std::string_view> a,
                                            const std::vector<std::string>& b) const {
  return labels_less(a, b);
}

template <typename Metric>
Family<Metric>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                       std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

template <typename Metric>
Metric& Family<Metric>::with(std::span<const std::string_view> label_values) {
  if (label_values.size() != label_names_.size()) {
    contract_violation(fmt::format("{}: {} label values for {} label names", name_,
                                   label_values.size(), label_names_.size()));
  }
  {
    std::shared_lock lock(mutex_);
    if (auto it = series_.find(label_values); it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto it = series_.find(label_values);
  if (it == series_.end()) {
    std::unique_ptr<Metric> metric;
    if constexpr (std::is_same_v<Metric, Histogram>) {
      metric = std::make_unique<Histogram>(bounds_);
    } else {
      metric = std::make_unique<Metric>();
    }
    it = series_
             .emplace(std::vector<std::string>(label_values.begin(), label_values.end()),
                      std::move(metric))
             .first;
  }
  return *it->second;
}

template <typename Metric>
void Family<Metric>::render(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_escaped(out, help_, false);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += type_name<Metric>();
  out += '\n';

  std::shared_lock lock(mutex_);
  for (const auto& entry : series_) {
    // (Not a structured binding: clang 14 cannot capture one in the lambda below.)
    const auto& values = entry.first;
    const auto& metric = entry.second;
    // `<name><suffix>{labels[,le]} <value>`
    auto sample = [&](std::string_view suffix, auto value, std::string_view le = {}) {
      out += name_;
      out += suffix;
      append_labels(out, label_names_, values, le);
      out += ' ';
      append_value(out, value);
      out += '\n';
    };
    if constexpr (std::is_same_v<Metric, Histogram>) {
      const auto snapshot = metric->snapshot();
      const auto& bounds = metric->bounds();
      std::string le;
      for (std::size_t i = 0; i < bounds.size(); ++i) {
        le.clear();
        append_value(le, bounds[i]);
        sample("_bucket", snapshot.cumulative[i], le);
      }
      sample("_bucket", snapshot.cumulative.back(), "+Inf");
      sample("_sum", snapshot.sum);
      sample("_count", snapshot.count);
    } else {
      sample("", metric->value());
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct MetricsRegistry::Entry {
  std::variant<std::unique_ptr<CounterFamily>, std::unique_ptr<GaugeFamily>,
               std::unique_ptr<HistogramFamily>>
      family;
};

namespace {

template <typename Metric, typename Families>
Family<Metric>& get_or_register(std::mutex& mutex, Families& families, std::string_view name,
                                std::string_view help, std::vector<std::string> label_names,
                                std::vector<double> bounds = {}) {
  if (!valid_name(name, true)) contract_violation(fmt::format("invalid metric name '{}'", name));
  for (const auto& label : label_names) {
    if (!valid_name(label, false) || label.starts_with("__") ||
        (std::is_same_v<Metric, Histogram> && label == "le")) {
      contract_violation(fmt::format("{}: invalid label name '{}'", name, label));
    }
  }
  std::lock_guard lock(mutex);
  auto it = families.find(name);
  if (it != families.end()) {
    auto* existing = std::get_if<std::unique_ptr<Family<Metric>>>(&it->second->family);
    if (!existing || (*existing)->label_names() != label_names) {
      contract_violation(fmt::format("metric '{}' registered twice, differently", name));
    }
    return **existing;
  }
  auto family = std::make_unique<Family<Metric>>(std::string(name), std::string(help),
                                                 std::move(label_names), std::move(bounds));
  auto& ref = *family;
  using Entry = typename Families::mapped_type::element_type;  // MetricsRegistry::Entry
  families.emplace(std::string(name), std::make_unique<Entry>(Entry{std::move(family)}));
  return ref;
}

}  // namespace

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

CounterFamily& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names) {
  return get_or_register<Counter>(mutex_, families_, name, help, std::move(label_names));
}

GaugeFamily& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names) {
  return get_or_register<Gauge>(mutex_, families_, name, help, std::move(label_names));
}

HistogramFamily& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names,
                                            std::vector<double> bounds) {
  check_bounds(bounds);
  return get_or_register<Histogram>(mutex_, families_, name, help, std::move(label_names),
                                    std::move(bounds));
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, entry] : families_) {
    std::visit([&](const auto& family) { family->render(out); }, entry->family);
  }
  return out;
}

HttpMetrics::HttpMetrics(MetricsRegistry& registry, std::string_view prefix)
    : requests_(registry.counter(fmt::format("{}_requests_total", prefix),
                                 "HTTP requests answered, by method, route and status.",
                                 {"method", "route", "status"})),
      durations_(registry.histogram(
          fmt::format("{}_request_duration_seconds", prefix),
          "Time from the first byte of a request to its response being ready, in seconds.",
          {"method", "route"})),
      connections_open_(
          registry.gauge(fmt::format("{}_connections_open", prefix), "Open HTTP connections.")
              .with(kNoLabels)),
      connections_rejected_(
          registry
              .counter(fmt::format("{}_connections_rejected_total", prefix),
                       "Connections answered 503 because the server was at its connection limit.")
              .with(kNoLabels)) {}

void HttpMetrics::on_request(const RequestRecord& record) {
  const std::string_view route = record.route.empty() ? "unmatched" : record.route;
  char status[16];
  const auto [end, ec] = std::to_chars(status, status + sizeof status, record.status);
  const std::string_view status_text(
      status, ec == std::errc() ? static_cast<std::size_t>(end - status) : 0);
  requests_.with({record.method, route, status_text}).inc();
  durations_.with({record.method, route})
      .observe(std::chrono::duration<double>(record.duration).count());
}

void HttpMetrics::on_connection_opened() {
  connections_open_.add(1);
}

void HttpMetrics::on_connection_closed() {
  connections_open_.add(-1);
}

void HttpMetrics::on_connection_rejected() {
  connections_rejected_.inc();
}

Status add_metrics_route(Router& router, const MetricsRegistry& registry, std::string_view path) {
  RouteOptions options;
  options.produces = std::string(kPrometheusText);  // scrapers' Accept headers are not ours
  return router.add(
      Method::kGet, path,
      [&registry](const Request&) -> Result<Response> {
        Response response;
        response.body = registry.render();
        response.content_type = std::string(kPrometheusText);
        return response;
      },
      std::move(options));
}

}  // namespace sg::http
