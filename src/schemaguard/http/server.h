// The HTTP/1.1 server: Boost.Beast on Asio, one coroutine per connection.
//
//   TerminationSignals signals;                      // catch SIGTERM/SIGINT from here on
//   Router router;                                   // routes and handlers: router.h
//   ServerOptions options;                           // (GCC 12 warns on designated inits)
//   options.port = 8081;
//   SG_ASSIGN_OR_RETURN(auto server, Server::start(options, router));
//   signals.wait();
//   server->stop();                                  // graceful: in-flight requests finish
//
// The connection layer owns everything a handler should not see:
// - keep-alive and pipelining: requests on one connection are answered in order, one at a time;
//   read-ahead is bounded by the connection buffer (max_header_bytes + 64 KiB) and by TCP flow
//   control, so a pipelining client cannot make the server buffer more;
// - limits: body size (413), header size (431), a deadline for the headers and one for the body
//   of each request (408, then the connection closes), a write deadline, an idle keep-alive
//   timeout (the connection closes quietly), a connection cap (503 with Retry-After);
// - the Confluent conventions of rest-api.md section 1: the error envelope on every framework
//   error (400/404/405/406/408/413/415/431/500/503), Content-Type checks (415) and Accept
//   negotiation (negotiation.h), X-Request-ID echoed or generated, HEAD and OPTIONS;
// - the metrics hook (metrics.h) and the JSON access log (access_log.h).
//
// Threads: `io_threads` threads run the I/O and the handlers (Router: handlers must be fast; a
// handler that waits is marked `RouteOptions::blocking` and runs on `blocking_threads` instead).
// Each I/O thread has its own event loop; a connection stays on the one it was accepted onto, so
// a handler never runs concurrently with another request of the same connection. Timeouts are
// enforced by a periodic sweep, up to an eighth of the shortest timeout late (at most 250 ms).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "schemaguard/base/result.h"
#include "schemaguard/http/router.h"

namespace spdlog {
class logger;
}

namespace sg::http {

class RequestObserver;

struct ServerOptions {
  // Address to listen on (an IP literal or a host name such as "localhost"); port 0 picks a
  // free port (Server::port() says which).
  std::string host = "0.0.0.0";
  std::uint16_t port = 8081;
  // Threads running the I/O and the non-blocking handlers; 0 = one per CPU the process may use
  // (its affinity mask: taskset, a container's cpuset).
  unsigned io_threads = 0;
  // Threads running the handlers of routes marked `blocking`.
  unsigned blocking_threads = 4;

  std::size_t max_body_bytes = 16 * 1024 * 1024;  // larger: 413
  std::size_t max_header_bytes = 32 * 1024;       // request line + fields; larger: 431
  std::size_t max_connections = 10'000;           // more: 503 and close

  // From the first byte of a request to the end of its headers (a slow client gets 408).
  std::chrono::milliseconds header_timeout{10'000};
  // From the end of the headers to the end of the body (408).
  std::chrono::milliseconds body_timeout{30'000};
  // For writing one response; a client that does not read is disconnected.
  std::chrono::milliseconds write_timeout{30'000};
  // How long a keep-alive connection may wait for its next request before it is closed.
  std::chrono::milliseconds idle_timeout{60'000};
  // How long stop() lets in-flight requests run before it closes their connections.
  std::chrono::milliseconds shutdown_timeout{10'000};

  // Called for every request; must outlive the server. Null: no metrics.
  RequestObserver* observer = nullptr;
  // The access log and server errors (access_log.h). Null: make_access_logger(), i.e. JSON
  // lines on stderr at info level.
  std::shared_ptr<spdlog::logger> logger;
};

class Server {
 public:
  // Binds host:port, starts the threads and returns a running server; an error (kIoError,
  // kInvalidArgument) if the address cannot be resolved or bound. `router` must outlive the
  // server and must not change while it runs.
  static Result<std::unique_ptr<Server>> start(ServerOptions options, const Router& router);

  // Stops the server (stop()) if it still runs.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the one picked when ServerOptions::port was 0).
  std::uint16_t port() const;
  // The bound address, e.g. "127.0.0.1:34567".
  std::string endpoint() const;
  // Connections currently open.
  std::size_t open_connections() const;

  // Graceful shutdown, blocking until done: stops accepting (new connections are refused),
  // closes idle keep-alive connections, lets requests in progress finish (their responses carry
  // `Connection: close`) for up to `shutdown_timeout`, then closes whatever is left and joins the
  // threads. Idempotent; thread-safe. Must not be called from a handler (it would wait for
  // itself): call it from main, e.g. after wait_for_termination_signal().
  void stop();

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Catches SIGTERM and SIGINT while it exists, instead of their default action (ending the
// process at once). Create it early in main, before the server starts, so a signal that arrives
// during startup is not lost:
//
//   TerminationSignals signals;
//   SG_ASSIGN_OR_RETURN(auto server, Server::start(options, router));
//   signals.wait();
//   server->stop();
//
// It uses asio::signal_set: the signal handler only records the signal, and wait() returns in
// ordinary thread context, where anything (stop() included) may be called.
class TerminationSignals {
 public:
  TerminationSignals();
  ~TerminationSignals();
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;

  // Blocks until SIGTERM or SIGINT has arrived (possibly before the call) and returns its number.
  int wait();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// TerminationSignals().wait(): blocks until SIGTERM or SIGINT and returns the signal number.
int wait_for_termination_signal();

}  // namespace sg::http
