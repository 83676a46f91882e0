// The Confluent Schema Registry REST API (../shared/api/rest-api.md §4) on the HTTP router:
// JSON in, typed calls to service::Registry, JSON out in Confluent's entity shapes.
//
//   http::Router router;
//   SG_RETURN_IF_ERROR(api::add_registry_routes(router, registry, api::ApiOptions{}));
//
// Handlers only translate: request bodies and parameters to service types (with Confluent's
// framework errors for malformed input: 400 bad JSON, 404 non-integer ids, 422 missing body),
// results to entities (null and empty members omitted, as Jackson's NON_EMPTY does). Every
// registry rule lives in the service. Each route is also served under /contexts/{context}/, with
// subjects qualified by that context as Confluent's ContextFilter rewrites them (§4.7).
// Writes run as blocking routes (they wait for a durable append).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/http/router.h"
#include "schemaguard/service/registry.h"

namespace sg::api {

struct ApiOptions {
  // GET /v1/metadata/version.
  std::string version = "0.1.0";
  std::string commit_id = "unknown";
  // GET /v1/metadata/id: the `schema-registry-cluster` value (Confluent's
  // schema.registry.group.id).
  std::string cluster_id = "schema-registry";
  // GET /v1/metadata/id: the `kafka-cluster` value; omitted when empty (no Kafka behind the log).
  std::string kafka_cluster_id;
  // GET /v1/metadata/deployment: `attributes` (Confluent's schema.registry.metadata.deployment).
  std::vector<std::string> deployment_attributes;
  // Pagination caps (rest-api.md §4.3): a `limit` <= 0 or above the max falls back to the default.
  std::size_t schema_search_default_limit = 1000;
  std::size_t schema_search_max_limit = 1000;
};

// Registers every route of the REST API. `registry` must outlive the router.
Status add_registry_routes(http::Router& router, service::Registry& registry,
                           const ApiOptions& options = {});

}  // namespace sg::api
