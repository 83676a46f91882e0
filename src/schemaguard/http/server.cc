#include "schemaguard/http/server.h"

#include <fmt/format.h>
#include <sched.h>
#include <spdlog/logger.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "schemaguard/http/access_log.h"
#include "schemaguard/http/metrics.h"
#include "schemaguard/http/negotiation.h"

namespace sg::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCodeT = boost::system::error_code;
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Read size while waiting for the next request; Beast reads in chunks of its own afterwards.
constexpr std::size_t kReadChunk = 16 * 1024;
// Room for pipelined bytes beyond one request's headers.
constexpr std::size_t kReadAhead = 64 * 1024;
// Before closing after an error response, the unread rest of the request is drained for at
// most this long and this much, so the close does not reset the connection (RST) before the
// client has read the response.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 1024 * 1024;
// Connections answered 503 at once, at most; beyond this they are closed without a word.
constexpr std::size_t kMaxRejecting = 64;
constexpr std::size_t kMaxRequestIdLength = 200;

// Beast's string_view is Boost's own type in 1.81.
std::string_view view(beast::string_view text) {
  return {text.data(), text.size()};
}

bool is_http_parse_error(const ErrorCodeT& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::need_more;
}

void append_decimal(std::string& out, std::uint64_t value) {
  std::array<char, 20> digits;
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  out.append(digits.data(), end);
}

// A version 4 UUID, for requests that come without X-Request-ID (most do): written digit by
// digit, as it is made for nearly every request.
std::string generate_request_id() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  const std::uint64_t high = (engine() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  const std::uint64_t low = (engine() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t at = 0;
  auto put = [&](std::uint64_t bits, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
      out[at++] = kHex[(bits >> shift) & 0xf];
  };
  put(high >> 32, 8);
  ++at;
  put((high >> 16) & 0xffff, 4);
  ++at;
  put(high & 0xffff, 4);
  ++at;
  put(low >> 48, 4);
  ++at;
  put(low & 0xffffffffffffULL, 12);
  return out;
}

// The client's X-Request-ID if it is a sane token to echo and log, else a fresh one.
std::string request_id_for(std::optional<std::string_view> sent) {
  if (sent && !sent->empty() && sent->size() <= kMaxRequestIdLength) {
    bool printable = true;
    for (char c : *sent) printable = printable && c > 0x20 && c < 0x7f;
    if (printable) return std::string(*sent);
  }
  return generate_request_id();
}

// The Date header value, formatted at most once a second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local std::array<char, 64> cached{};
  thread_local std::size_t cached_size = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    cached_size = std::strftime(cached.data(), cached.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {cached.data(), cached_size};
}

// The CPUs this process may run on: its affinity mask (taskset, a container's cpuset), which
// can be far fewer than the machine's cores that hardware_concurrency() counts.
unsigned usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int count = CPU_COUNT(&set);
    if (count > 0) return static_cast<unsigned>(count);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

bool has_request_body(Method method) {
  return method == Method::kPost || method == Method::kPut || method == Method::kPatch;
}

// Splits a request target into its path and query: origin-form ("/a?b"), absolute-form
// ("http://host/a?b", which HTTP/1.1 servers must accept) and anything else ("*") as it is.
std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  if (!target.empty() && target.front() != '/') {
    if (const auto scheme = target.find("://"); scheme != std::string_view::npos) {
      const auto path = target.find('/', scheme + 3);
      target = path == std::string_view::npos ? std::string_view("/") : target.substr(path);
    }
  }
  target = target.substr(0, target.find('#'));
  const auto question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

}  // namespace

class Server::Impl {
 public:
  class Session;

  Impl(ServerOptions options, const Router& router)
      : options_(std::move(options)),
        router_(router),
        logger_(options_.logger ? options_.logger : make_access_logger()) {}

  ~Impl() { stop(); }

  Status listen();
  void start_threads();
  void stop();

  std::uint16_t port() const { return port_; }
  std::string endpoint() const { return endpoint_; }
  std::size_t open_connections() const { return connections_.load(); }

  // For sessions.
  const ServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  spdlog::logger& logger() { return *logger_; }
  RequestObserver* observer() const { return options_.observer; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  asio::thread_pool& blocking_pool() { return *blocking_pool_; }
  void register_session(const std::shared_ptr<Session>& session);
  void unregister_session(const Session* session);

 private:
  // One I/O thread and its own io_context. A connection lives on one thread for its whole life:
  // it needs no strand, and its completions never wake another thread (with one shared
  // io_context, most of a small request's cost was threads waking each other). The deadlines
  // of the thread's connections are enforced by a periodic sweep on the same thread rather
  // than a timer per connection, which would be re-armed (a timerfd update in the reactor)
  // several times per request.
  struct IoThread {
    std::unique_ptr<asio::io_context> context = std::make_unique<asio::io_context>(1);
    // Added to by the acceptor, removed from by ~Session (on this thread, or on any once the
    // threads have stopped); read by the sweep.
    std::mutex mutex;
    std::unordered_set<Session*> sessions;
    std::thread thread;
  };

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> sweep_deadlines(IoThread& thread);
  void close_acceptor();
  std::vector<std::shared_ptr<Session>> live_sessions();

  const ServerOptions options_;
  const Router& router_;
  std::shared_ptr<spdlog::logger> logger_;
  std::uint16_t port_ = 0;
  std::string endpoint_;

  // Declared before the io_context: sessions destroyed with it still unregister here.
  std::mutex mutex_;
  std::condition_variable sessions_changed_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
  std::atomic<std::size_t> connections_{0};  // served, i.e. not answered 503
  std::atomic<std::size_t> rejecting_{0};
  std::atomic<bool> stopping_{false};
  std::once_flag stop_once_;

  // io_threads_[0] also runs the acceptor; connections are handed out round-robin.
  std::vector<std::unique_ptr<IoThread>> io_threads_;
  std::size_t next_io_thread_ = 0;  // acceptor only
  std::chrono::milliseconds sweep_period_{100};
  std::optional<asio::basic_socket_acceptor<tcp, Executor>> acceptor_;
  std::optional<asio::thread_pool> blocking_pool_;
  bool threads_started_ = false;
};

// One connection: a coroutine that reads, dispatches and writes requests in order, on its I/O
// thread. The thread's sweep (sweep_deadlines) cancels its I/O once the current deadline passes.
class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& server, IoThread& home, Socket socket, bool reject)
      : server_(server),
        home_(home),
        socket_(std::move(socket)),
        buffer_(server.options().max_header_bytes + kReadAhead),
        reject_(reject) {
    ErrorCodeT ec;
    const auto remote = socket_.remote_endpoint(ec);
    if (!ec) remote_ = fmt::format("{}:{}", remote.address().to_string(), remote.port());
    socket_.set_option(tcp::no_delay(true), ec);  // responses are small; never wait for an ACK
    if (reject_) {
      ++server_.rejecting_;
    } else {
      ++server_.connections_;
      if (auto* observer = server_.observer()) observer->on_connection_opened();
    }
    std::lock_guard lock(home_.mutex);
    home_.sessions.insert(this);
  }

  ~Session() {
    {
      std::lock_guard lock(home_.mutex);
      home_.sessions.erase(this);
    }
    if (reject_) {
      --server_.rejecting_;
    } else {
      --server_.connections_;
      if (auto* observer = server_.observer()) observer->on_connection_closed();
    }
    server_.unregister_session(this);
  }

  void start() {
    server_.register_session(shared_from_this());
    asio::co_spawn(socket_.get_executor(), run(shared_from_this()),
                   [self = shared_from_this()](auto error) {
                     if (!error) return;
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       log_event(self->server_.logger(), spdlog::level::err,
                                 fmt::format("connection failed: {}", e.what()));
                     }
                     self->close();
                   });
  }

  Executor executor() { return socket_.get_executor(); }

  // On the I/O thread, from the sweep: cancels the pending I/O if the deadline has passed.
  void enforce_deadline(Clock::time_point now) {
    if (closed_ || deadline_ > now) return;
    timed_out_ = true;
    deadline_ = Clock::time_point::max();
    ErrorCodeT ec;
    socket_.cancel(ec);
  }

  // On the I/O thread: the server is stopping. An idle connection closes now; a busy one finishes
  // its request and closes after the response (serve_one checks `stopping()`).
  void on_server_stopping() {
    if (idle_) {
      ErrorCodeT ec;
      socket_.cancel(ec);
    }
  }

  // On the I/O thread: closes the socket, which ends the connection's coroutine.
  void close() {
    if (closed_) return;
    closed_ = true;
    ErrorCodeT ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  // `self` keeps the session alive until the coroutine has finished.
  asio::awaitable<void> run(std::shared_ptr<Session> /*self*/) {
    if (reject_) {
      if (auto* observer = server_.observer()) observer->on_connection_rejected();
      Response response = framework_error(503);
      response.headers.add("Retry-After", "1");
      co_await write_error(std::move(response), 11, generate_request_id());
    } else {
      while (!closed_ && co_await serve_one()) {
      }
    }
    close();
  }

  // The sweep enforces deadlines up to one sweep period late.
  void set_deadline(std::chrono::milliseconds from_now) {
    timed_out_ = false;
    deadline_ = Clock::now() + from_now;
  }
  void clear_deadline() { deadline_ = Clock::time_point::max(); }

  // Reads, answers and writes one request; false when the connection is done.
  asio::awaitable<bool> serve_one() {
    const auto& options = server_.options();
    if (buffer_.size() == 0) {
      idle_ = true;
      if (server_.stopping()) co_return false;
      set_deadline(options.idle_timeout);
      auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
      if (ec) co_return false;  // the client left, the idle timeout, or stop()
      buffer_.commit(n);
    }
    idle_ = false;
    const auto started = Clock::now();

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    // Usually the whole request is already buffered: parse it in place, without the composed
    // read operations (and their completions through the event loop) that would find it there.
    // Whatever is missing is read below, by Beast, from where this left off.
    if (auto ec = parse_buffered(parser); ec) co_return co_await fail_read(ec, parser, started);
    set_deadline(options.header_timeout);
    if (!parser.is_header_done()) {
      if (auto [ec, n] = co_await bhttp::async_read_header(socket_, buffer_, parser, kUseTuple);
          ec) {
        co_return co_await fail_read(ec, parser, started);
      }
    }
    if (!parser.is_done()) {
      const auto& header = parser.get();
      if (header.version() >= 11 && beast::iequals(header[bhttp::field::expect], "100-continue")) {
        set_deadline(options.write_timeout);
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [ec, n] = co_await asio::async_write(
            socket_, asio::buffer(kContinue.data(), kContinue.size()), kUseTuple);
        if (ec) co_return false;
      }
      set_deadline(options.body_timeout);
      if (auto [ec, n] = co_await bhttp::async_read(socket_, buffer_, parser, kUseTuple); ec) {
        co_return co_await fail_read(ec, parser, started);
      }
    }
    clear_deadline();

    auto message = parser.release();
    Request request;
    request.method = parse_method(view(message.method_string()));
    request.target = std::string(view(message.target()));
    for (const auto& field : message) {
      request.headers.add(std::string(view(field.name_string())), std::string(view(field.value())));
    }
    request.request_id = request_id_for(request.headers.get("X-Request-ID"));
    request.body = std::move(message.body());
    const auto [path, query] = split_target(request.target);
    request.path = std::string(path);

    // Negotiated once: dispatch answers 406 when it is nullopt, respond labels JSON bodies with it
    // (errors fall back to v1+json, the 406 itself included).
    const auto media_type = negotiate_response_type(request.headers.get("Accept"));
    Response response;
    if (auto params = parse_query(query)) {
      request.query = std::move(*params);
      response = co_await dispatch(request, media_type.has_value());
    } else {
      response = framework_error(400);
    }

    const bool keep_alive = message.keep_alive() && !server_.stopping();
    co_return co_await respond(request, std::move(response),
                               media_type.value_or(kSchemaRegistryV1Json), message.version(),
                               keep_alive, started);
  }

  // Feeds the buffered bytes to `parser`: the header, and the body as far as it is there. Not
  // enough bytes is not an error; the parser then waits for the rest.
  ErrorCodeT parse_buffered(bhttp::request_parser<bhttp::string_body>& parser) {
    ErrorCodeT ec;
    if (buffer_.size() == 0) return ec;
    parser.eager(true);
    const std::size_t used = parser.put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == bhttp::error::need_more) ec = {};
    // Beast's reads go on in their default mode: the header alone first (Expect: 100-continue).
    parser.eager(false);
    return ec;
  }

  // `acceptable`: the client accepts one of the JSON media types (else 406 for JSON routes).
  asio::awaitable<Response> dispatch(Request& request, bool acceptable) {
    auto match = server_.router().match(request.method, request.path);
    switch (match.outcome) {
      case RouteMatch::Outcome::kBadPath: co_return framework_error(400);
      case RouteMatch::Outcome::kNotFound: co_return framework_error(404);
      case RouteMatch::Outcome::kMethodNotAllowed: {
        Response response =
            request.method == Method::kOptions ? Response::no_content() : framework_error(405);
        response.headers.add("Allow", allow_header(match.allowed));
        co_return response;
      }
      case RouteMatch::Outcome::kFound: break;
    }
    const Route& route = *match.route;
    request.route = route.pattern;
    request.path_params = std::move(match.params);

    // JAX-RS order: path (404), method (405), Content-Type (415), Accept (406).
    if (has_request_body(request.method) &&
        !is_supported_request_type(request.headers.get("Content-Type"))) {
      co_return framework_error(415);
    }
    if (route.options.produces.empty() && !acceptable) {
      co_return framework_error(406);
    }

    std::optional<Result<Response>> result;
    if (route.options.blocking && route.options.fast_path) {
      result = invoke_fast_path(route.options.fast_path, request);
    }
    if (result) {
      // Settled on the I/O thread.
    } else if (route.options.blocking) {
      // Hop to the blocking pool and back: this connection waits, its I/O thread
      // goes on serving other connections.
      co_await asio::co_spawn(
          server_.blocking_pool(),
          [&]() -> asio::awaitable<void> {
            result.emplace(invoke(route.handler, request));
            co_return;
          },
          asio::use_awaitable);
    } else {
      result.emplace(invoke(route.handler, request));
    }
    Response response = result->ok() ? std::move(*result).value() : error_response(result->error());
    if (!route.options.produces.empty() && response.content_type.empty()) {
      response.content_type = route.options.produces;
    }
    co_return response;
  }

  // A fast path that throws is logged and skipped: the blocking handler then answers.
  std::optional<Result<Response>> invoke_fast_path(
      const std::function<std::optional<Result<Response>>(const Request&)>& fast_path,
      const Request& request) {
    try {
      return fast_path(request);
    } catch (const std::exception& e) {
      log_event(server_.logger(), spdlog::level::err,
                fmt::format("fast path for {} {} threw: {}", method_name(request.method),
                            request.route, e.what()),
                request.request_id);
    }
    return std::nullopt;
  }

  Result<Response> invoke(const Handler& handler, const Request& request) {
    try {
      return handler(request);
    } catch (const std::exception& e) {
      log_event(server_.logger(), spdlog::level::err,
                fmt::format("handler for {} {} threw: {}", method_name(request.method),
                            request.route, e.what()),
                request.request_id);
    } catch (...) {
      log_event(server_.logger(), spdlog::level::err,
                fmt::format("handler for {} {} threw", method_name(request.method), request.route),
                request.request_id);
    }
    return framework_error(500);
  }

  // Builds the wire response, reports it, writes it; false when the connection is done.
  // `media_type` labels a body that has no content type of its own.
  asio::awaitable<bool> respond(const Request& request, Response response,
                                std::string_view media_type, unsigned version, bool keep_alive,
                                Clock::time_point started) {
    if (response.status < 100 || response.status > 999) {
      log_event(server_.logger(), spdlog::level::err,
                fmt::format("handler returned HTTP status {}", response.status),
                request.request_id);
      response = framework_error(500);
    }
    const std::size_t body_bytes = response.body.size();
    report(request.method, request.target, request.route, response.status, request.body.size(),
           body_bytes, request.request_id, started);

    // HEAD: the same head as GET, Content-Length included, and no body.
    const bool send_body = request.method != Method::kHead;
    auto [ec, n] = co_await write_response(response, version, keep_alive, request.request_id,
                                           media_type, send_body);
    clear_deadline();
    if (ec) co_return false;
    if (!keep_alive) {
      co_await linger_close();
      co_return false;
    }
    co_return true;
  }

  // Writes `response` under the write deadline. `media_type` is the Content-Type of a body
  // whose response sets none. The head is formatted here rather than by Beast's serializer,
  // which was a measurable share of a small response's cost; head and body go out in one write.
  asio::awaitable<std::tuple<ErrorCodeT, std::size_t>> write_response(
      const Response& response, unsigned version, bool keep_alive, std::string_view request_id,
      std::string_view media_type, bool send_body) {
    const bool bodiless = response.status == 204 || response.status == 304 || response.status < 200;
    head_.clear();
    auto field = [this](std::string_view name, std::string_view value) {
      head_ += name;
      head_ += ": ";
      head_ += value;
      head_ += "\r\n";
    };
    head_ += version >= 11 ? "HTTP/1.1 " : "HTTP/1.0 ";
    append_decimal(head_, static_cast<std::uint64_t>(response.status));
    head_ += ' ';
    head_ += reason_phrase(response.status);
    head_ += "\r\n";
    if (!bodiless) {
      field("Content-Type",
            response.content_type.empty() ? media_type : std::string_view(response.content_type));
      head_ += "Content-Length: ";
      append_decimal(head_, response.body.size());
      head_ += "\r\n";
    }
    field("Date", http_date());
    field("X-Request-ID", request_id);
    for (const auto& [name, value] : response.headers) field(name, value);
    // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
    if (version >= 11 && !keep_alive) head_ += "Connection: close\r\n";
    if (version < 11 && keep_alive) head_ += "Connection: keep-alive\r\n";
    head_ += "\r\n";

    set_deadline(server_.options().write_timeout);
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head_),
        asio::buffer(response.body.data(), send_body && !bodiless ? response.body.size() : 0)};
    co_return co_await asio::async_write(socket_, buffers, kUseTuple);
  }

  void report(Method method, std::string_view target, std::string_view route, int status,
              std::size_t bytes_in, std::size_t bytes_out, std::string_view request_id,
              Clock::time_point started) {
    const auto duration =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started);
    if (auto* observer = server_.observer()) {
      observer->on_request(RequestRecord{.method = method_name(method),
                                         .route = route,
                                         .status = status,
                                         .duration = duration,
                                         .request_bytes = bytes_in,
                                         .response_bytes = bytes_out});
    }
    log_access(server_.logger(), AccessEntry{.method = method_name(method),
                                             .target = target,
                                             .route = route,
                                             .status = status,
                                             .bytes_in = bytes_in,
                                             .bytes_out = bytes_out,
                                             .duration = duration,
                                             .request_id = request_id,
                                             .remote = remote_});
  }

  // A request could not be read. Answers what deserves an answer, then ends the connection.
  asio::awaitable<bool> fail_read(ErrorCodeT ec,
                                  const bhttp::request_parser<bhttp::string_body>& parser,
                                  Clock::time_point started) {
    int status = 0;
    if (ec == asio::error::operation_aborted && timed_out_) {
      status = 408;
    } else if (ec == bhttp::error::body_limit) {
      status = 413;
    } else if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      status = 431;
    } else if (is_http_parse_error(ec)) {
      status = 400;
    }
    if (status == 0) co_return false;  // the client went away, or stop() closed us

    // Whatever of the request was read, for the log and the metrics label.
    Method method = Method::kOther;
    std::string target;
    std::string_view route;
    std::string request_id;
    if (parser.is_header_done()) {
      const auto& header = parser.get();
      method = parse_method(view(header.method_string()));
      target = std::string(view(header.target()));
      const auto sent_id = view(header["X-Request-ID"]);
      request_id =
          request_id_for(sent_id.empty() ? std::nullopt : std::optional<std::string_view>(sent_id));
      const auto match = server_.router().match(method, split_target(target).first);
      if (match.route) route = match.route->pattern;
    } else {
      request_id = generate_request_id();
    }
    report(method, target, route, status, 0, 0, request_id, started);
    co_await write_error(framework_error(status), 11, request_id);
    co_return false;
  }

  // Writes an error response with `Connection: close` and lingers before the close.
  asio::awaitable<void> write_error(Response response, unsigned version,
                                    std::string_view request_id) {
    auto [ec, n] = co_await write_response(response, version, /*keep_alive=*/false, request_id,
                                           kSchemaRegistryV1Json, /*send_body=*/true);
    if (!ec) co_await linger_close();
  }

  // Half-closes and reads (discarding) until the client closes too, for a bounded time and
  // amount: closing a socket with unread input makes the kernel send RST, which can destroy the
  // response before the client reads it.
  asio::awaitable<void> linger_close() {
    ErrorCodeT ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    set_deadline(std::chrono::duration_cast<std::chrono::milliseconds>(kLingerTime));
    std::array<char, 4096> discard;
    std::size_t total = 0;
    while (total < kLingerBytes) {
      auto [read_ec, n] = co_await socket_.async_read_some(asio::buffer(discard), kUseTuple);
      if (read_ec) break;
      total += n;
    }
    close();
  }

  Server::Impl& server_;
  IoThread& home_;
  Socket socket_;
  beast::flat_buffer buffer_;
  std::string head_;  // the response head being written, reused across requests
  std::string remote_;
  Clock::time_point deadline_ = Clock::time_point::max();
  const bool reject_;
  bool timed_out_ = false;
  bool idle_ = true;
  bool closed_ = false;
};

Status Server::Impl::listen() {
  const auto& o = options_;
  auto invalid = [](std::string_view what) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("server options: {}", what));
  };
  if (o.max_header_bytes == 0 || o.max_header_bytes > (1u << 30)) {
    return invalid("max_header_bytes must be in (0, 1 GiB]");
  }
  if (o.max_connections == 0) return invalid("max_connections must be positive");
  if (o.blocking_threads == 0) return invalid("blocking_threads must be positive");
  for (auto timeout : {o.header_timeout, o.body_timeout, o.write_timeout, o.idle_timeout}) {
    if (timeout.count() <= 0) return invalid("timeouts must be positive");
  }

  unsigned thread_count = o.io_threads;
  if (thread_count == 0) thread_count = usable_cpus();
  for (unsigned i = 0; i < thread_count; ++i) io_threads_.push_back(std::make_unique<IoThread>());
  // Timeouts are enforced up to one sweep late: a small fraction of the shortest one.
  auto shortest = std::min({o.header_timeout, o.body_timeout, o.write_timeout, o.idle_timeout,
                            std::chrono::duration_cast<std::chrono::milliseconds>(kLingerTime)});
  sweep_period_ =
      std::clamp(shortest / 8, std::chrono::milliseconds(5), std::chrono::milliseconds(250));

  asio::io_context& main_context = *io_threads_.front()->context;
  ErrorCodeT ec;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(o.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, o.port);
  } else {
    tcp::resolver resolver(main_context);
    auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
    if (ec || results.empty()) {
      return Error(ErrorCode::kIoError,
                   fmt::format("cannot resolve {}: {}", o.host, ec ? ec.message() : "no address"));
    }
    endpoint = results.begin()->endpoint();
  }

  acceptor_.emplace(main_context.get_executor());
  auto fail = [&](std::string_view step) {
    return Error(ErrorCode::kIoError, fmt::format("cannot listen on {}:{}: {} failed: {}", o.host,
                                                  o.port, step, ec.message()));
  };
  if (acceptor_->open(endpoint.protocol(), ec); ec) return fail("open");
  // Lets a restarted server bind while old connections sit in TIME_WAIT.
  if (acceptor_->set_option(tcp::acceptor::reuse_address(true), ec); ec) return fail("setsockopt");
  if (acceptor_->bind(endpoint, ec); ec) return fail("bind");
  if (acceptor_->listen(asio::socket_base::max_listen_connections, ec); ec) return fail("listen");
  const auto local = acceptor_->local_endpoint(ec);
  if (ec) return fail("getsockname");
  port_ = local.port();
  endpoint_ = local.address().is_v6() ? fmt::format("[{}]:{}", local.address().to_string(), port_)
                                      : fmt::format("{}:{}", local.address().to_string(), port_);
  return ok_status();
}

void Server::Impl::start_threads() {
  blocking_pool_.emplace(options_.blocking_threads);
  asio::co_spawn(*io_threads_.front()->context, accept_loop(), asio::detached);
  threads_started_ = true;
  for (auto& io_thread : io_threads_) {
    asio::co_spawn(*io_thread->context, sweep_deadlines(*io_thread), asio::detached);
    io_thread->thread = std::thread([this, &context = *io_thread->context] {
      for (;;) {
        try {
          context.run();
          return;
        } catch (const std::exception& e) {
          // Handlers catch their own exceptions; this is a bug elsewhere. Keep the thread.
          log_event(*logger_, spdlog::level::err, fmt::format("I/O thread: {}", e.what()));
        }
      }
    });
  }
}

asio::awaitable<void> Server::Impl::accept_loop() {
  asio::steady_timer backoff(*io_threads_.front()->context);
  for (;;) {
    IoThread& home = *io_threads_[next_io_thread_];
    next_io_thread_ = (next_io_thread_ + 1) % io_threads_.size();
    auto [ec, socket] = co_await acceptor_->async_accept(*home.context, kUseTuple);
    if (stopping() || !acceptor_->is_open()) co_return;
    if (ec) {
      // Out of file descriptors and the like: wait for connections to close rather than spin.
      log_event(*logger_, spdlog::level::warn, fmt::format("accept failed: {}", ec.message()));
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    const bool reject = connections_.load() >= options_.max_connections;
    if (reject && rejecting_.load() >= kMaxRejecting) continue;  // the socket closes here
    std::make_shared<Session>(*this, home, std::move(socket), reject)->start();
  }
}

asio::awaitable<void> Server::Impl::sweep_deadlines(IoThread& thread) {
  asio::steady_timer timer(*thread.context);
  for (;;) {
    timer.expires_after(sweep_period_);
    co_await timer.async_wait(kUseTuple);
    const auto now = Clock::now();
    std::lock_guard lock(thread.mutex);
    for (Session* session : thread.sessions) session->enforce_deadline(now);
  }
}

void Server::Impl::register_session(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
}

void Server::Impl::unregister_session(const Session* session) {
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
  }
  sessions_changed_.notify_all();
}

auto Server::Impl::live_sessions() -> std::vector<std::shared_ptr<Session>> {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mutex_);
  for (const auto& [key, weak] : sessions_) {
    if (auto session = weak.lock()) out.push_back(std::move(session));
  }
  return out;
}

void Server::Impl::close_acceptor() {
  std::promise<void> closed;
  asio::post(*io_threads_.front()->context, [&] {
    ErrorCodeT ec;
    acceptor_->close(ec);
    closed.set_value();
  });
  closed.get_future().wait();
}

void Server::Impl::stop() {
  std::call_once(stop_once_, [this] {
    if (io_threads_.empty()) return;  // never started
    stopping_.store(true, std::memory_order_release);
    if (threads_started_) {
      const auto deadline = Clock::now() + options_.shutdown_timeout;
      close_acceptor();
      for (auto& session : live_sessions()) {
        asio::post(session->executor(), [session] { session->on_server_stopping(); });
      }
      std::unique_lock lock(mutex_);
      if (!sessions_changed_.wait_until(lock, deadline, [&] { return sessions_.empty(); })) {
        lock.unlock();
        log_event(*logger_, spdlog::level::warn,
                  "shutdown timeout: closing connections with requests in progress");
        for (auto& session : live_sessions()) {
          asio::post(session->executor(), [session] { session->close(); });
        }
        lock.lock();
        // Sessions whose handler still runs on the blocking pool cannot unwind until it
        // returns; the io_context is stopped below and their frames destroyed with it.
        sessions_changed_.wait_for(lock, std::chrono::milliseconds(500),
                                   [&] { return sessions_.empty(); });
      }
    }
    for (auto& io_thread : io_threads_) io_thread->context->stop();
    for (auto& io_thread : io_threads_) {
      if (io_thread->thread.joinable()) io_thread->thread.join();
    }
    if (blocking_pool_) blocking_pool_->join();
    acceptor_.reset();
    // Destroys what is still suspended (and with it the sessions) while the registry lives; the
    // sessions unregister from their IoThread, so every context goes before any IoThread.
    for (auto& io_thread : io_threads_) io_thread->context.reset();
    io_threads_.clear();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  stop();
}

Result<std::unique_ptr<Server>> Server::start(ServerOptions options, const Router& router) {
  auto impl = std::make_unique<Impl>(std::move(options), router);
  SG_RETURN_IF_ERROR(impl->listen());
  impl->start_threads();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const {
  return impl_->port();
}

std::string Server::endpoint() const {
  return impl_->endpoint();
}

std::size_t Server::open_connections() const {
  return impl_->open_connections();
}

void Server::stop() {
  impl_->stop();
}

struct TerminationSignals::State {
  asio::io_context io_context;
  asio::signal_set signals{io_context, SIGINT, SIGTERM};
};

TerminationSignals::TerminationSignals() : state_(std::make_unique<State>()) {}

TerminationSignals::~TerminationSignals() = default;

int TerminationSignals::wait() {
  int received = 0;
  // A signal that arrived before this call is queued in the signal_set and delivered now.
  state_->signals.async_wait([&](const ErrorCodeT& ec, int signal_number) {
    if (!ec) received = signal_number;
  });
  state_->io_context.restart();
  state_->io_context.run();
  return received;
}

int wait_for_termination_signal() {
  return TerminationSignals().wait();
}

}  // namespace sg::http
