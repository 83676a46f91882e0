// Test-only: a real registry (api routes over service::Registry over an in-memory log) served
// by http::Server on 127.0.0.1 at an ephemeral port, for tests of the client and of the CI
// gate's registry commands. Header-only; link sg::api, sg::storage and sg::compat.
//
//   client::testing::LiveRegistry registry;          // started; stopped when it goes
//   auto client = registry.client();                 // a RegistryClient for it
//   registry.url();                                  // "http://127.0.0.1:34567"
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "schemaguard/api/routes.h"
#include "schemaguard/client/registry_client.h"
#include "schemaguard/compat/engine.h"
#include "schemaguard/http/access_log.h"
#include "schemaguard/http/server.h"
#include "schemaguard/registry/log_store.h"
#include "schemaguard/service/registry.h"
#include "schemaguard/storage/memory_log.h"

namespace sg::client::testing {

class LiveRegistry {
 public:
  // `idle_timeout`: how long the server keeps an idle keep-alive connection.
  explicit LiveRegistry(std::chrono::milliseconds idle_timeout = std::chrono::seconds(60)) {
    auto store = registry::LogStore::open(std::make_unique<storage::MemoryLog>());
    if (!store.ok()) {
      ADD_FAILURE() << store.error().to_string();
      return;
    }
    store_ = std::move(*store);
    registry_ = std::make_unique<service::Registry>(*store_, engine_);
    router_ = std::make_unique<http::Router>();
    auto added = api::add_registry_routes(*router_, *registry_);
    if (!added.ok()) {
      ADD_FAILURE() << added.error().to_string();
      return;
    }
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    options.blocking_threads = 2;
    options.shutdown_timeout = std::chrono::seconds(5);
    options.idle_timeout = idle_timeout;
    options.logger = http::make_quiet_logger();
    auto server = http::Server::start(options, *router_);
    if (!server.ok()) {
      ADD_FAILURE() << server.error().to_string();
      return;
    }
    server_ = std::move(*server);
  }
  ~LiveRegistry() {
    if (server_) server_->stop();
  }
  LiveRegistry(const LiveRegistry&) = delete;
  LiveRegistry& operator=(const LiveRegistry&) = delete;

  std::string url() const {
    return server_ ? "http://127.0.0.1:" + std::to_string(server_->port()) : "http://127.0.0.1:1";
  }

  // The port it listens on (1, where nothing listens, if it failed to start).
  unsigned short port() const { return server_ ? server_->port() : 1; }

  std::unique_ptr<RegistryClient> client() const {
    ClientOptions options;
    options.url = url();
    auto opened = RegistryClient::open(options);
    EXPECT_TRUE(opened.ok());
    return opened.ok() ? std::move(*opened) : nullptr;
  }

 private:
  compat::Engine engine_;
  std::unique_ptr<registry::LogStore> store_;
  std::unique_ptr<service::Registry> registry_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace sg::client::testing
