// Test-only: a blocking HTTP/1.1 client for tests that run a real Server on 127.0.0.1
// (http/server_test.cc, api/api_test.cc). Header-only; not part of the library.
//
//   http_testing::Client client(server->port());
//   ASSERT_FALSE(client.connect());
//   auto reply = client.request(bhttp::verb::get, "/subjects");
//   EXPECT_EQ(reply.status(), 200);
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sg::http::http_testing {

// Generous: only a broken server makes a test wait this long.
inline constexpr std::chrono::milliseconds kClientTimeout{10'000};

struct Reply {
  boost::system::error_code ec;
  boost::beast::http::response<boost::beast::http::string_body> message;

  int status() const { return static_cast<int>(message.result_int()); }
  const std::string& body() const { return message.body(); }
  std::string header(std::string_view name) const {
    const auto value = message[boost::beast::string_view(name.data(), name.size())];
    return std::string(value.data(), value.size());
  }
};

// Every call drives a private io_context until the operation completes or its timeout passes
// (Beast's tcp_stream then closes the socket).
class Client {
 public:
  using ErrorCode = boost::system::error_code;
  using Headers = std::vector<std::pair<std::string, std::string>>;

  explicit Client(std::uint16_t port) : port_(port) {}

  ErrorCode connect() {
    ErrorCode result;
    stream_.expires_after(kClientTimeout);
    stream_.async_connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_),
        [&](ErrorCode ec) { result = ec; });
    drive();
    return result;
  }

  // Raw bytes, for what a well-formed request cannot express (pipelining, garbage, slow clients).
  ErrorCode write(std::string_view bytes) {
    ErrorCode result;
    stream_.expires_after(kClientTimeout);
    boost::asio::async_write(stream_, boost::asio::buffer(bytes.data(), bytes.size()),
                             [&](ErrorCode ec, std::size_t) { result = ec; });
    drive();
    return result;
  }

  // Reads one response; `head`: the response to a HEAD request (no body follows).
  Reply read(bool head = false) {
    Reply reply;
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 << 20);
    stream_.expires_after(kClientTimeout);
    boost::beast::http::async_read(stream_, buffer_, parser,
                                   [&](ErrorCode ec, std::size_t) { reply.ec = ec; });
    drive();
    reply.message = parser.release();
    return reply;
  }

  Reply request(boost::beast::http::verb verb, std::string_view target, std::string body = {},
                const Headers& headers = {}) {
    boost::beast::http::request<boost::beast::http::string_body> request(
        verb, boost::beast::string_view(target.data(), target.size()), 11);
    request.set(boost::beast::http::field::host, "localhost");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = std::move(body);
    request.prepare_payload();
    ErrorCode result;
    stream_.expires_after(kClientTimeout);
    boost::beast::http::async_write(stream_, request,
                                    [&](ErrorCode ec, std::size_t) { result = ec; });
    drive();
    if (result) return Reply{result, {}};
    return read(verb == boost::beast::http::verb::head);
  }

  // Reads until the server closes the connection. True if it did (EOF or reset) within
  // `timeout`; `received` gets whatever arrived first.
  bool wait_closed(std::chrono::milliseconds timeout = kClientTimeout,
                   std::string* received = nullptr) {
    if (received) received->append(boost::beast::buffers_to_string(buffer_.data()));
    buffer_.clear();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<char, 4096> chunk;
    for (;;) {
      ErrorCode result;
      std::size_t n = 0;
      stream_.expires_at(deadline);
      stream_.async_read_some(boost::asio::buffer(chunk), [&](ErrorCode ec, std::size_t bytes) {
        result = ec;
        n = bytes;
      });
      drive();
      if (result) return result != boost::beast::error::timeout;
      if (received) received->append(chunk.data(), n);
    }
  }

 private:
  void drive() {
    io_context_->restart();
    io_context_->run();
  }

  std::uint16_t port_;
  // On the heap so that a Client can move (the stream refers to it).
  std::unique_ptr<boost::asio::io_context> io_context_ =
      std::make_unique<boost::asio::io_context>();
  boost::beast::tcp_stream stream_{*io_context_};
  boost::beast::flat_buffer buffer_;
};

}  // namespace sg::http::http_testing
