#include "schemaguard/api/routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "schemaguard/api/entities.h"
#include "schemaguard/api/json.h"

namespace sg::api {
namespace {

using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();

// The service's errors as Confluent answers them. SchemaGuard's own codes never reach a client
// as such: storage failures are Confluent's store error, anything else its generic 500.
Response to_response(const Error& error) {
  const std::int32_t code = error_code_value(error.code());
  if (code < 1000) return http::error_response(code, code, error.message());  // framework
  switch (error.code()) {
    case ErrorCode::kIoError:
    case ErrorCode::kLogConflict:
      return http::error_response(500, error_code_value(ErrorCode::kStoreError), error.message());
    case ErrorCode::kInternal:
    case ErrorCode::kInvalidArgument: return http::error_response(500, 500, error.message());
    default: return http::error_response(error);
  }
}

// --- Parameters -------------------------------------------------------------------------------

std::optional<std::string> query_string(const Request& request, std::string_view name) {
  auto value = request.query_param(name);
  if (!value) return std::nullopt;
  return std::string(*value);
}

// A JAX-RS `int` query parameter with a default: absent or empty is the default, anything that
// is not an integer the framework's 404.
Result<int> query_int(const Request& request, std::string_view name, int fallback) {
  auto value = request.query_param(name);
  if (!value || value->empty()) return fallback;
  return parse_int_param(*value);
}

struct Page {
  std::size_t offset = 0;
  std::size_t limit = kUnlimited;
};

// offset/limit (rest-api.md §4.3): a limit <= 0 or above the maximum is the default.
Result<Page> page_of(const Request& request, std::size_t default_limit, std::size_t max_limit) {
  SG_ASSIGN_OR_RETURN(int offset, query_int(request, "offset", 0));
  SG_ASSIGN_OR_RETURN(int limit, query_int(request, "limit", -1));
  Page page;
  // Java's Stream.skip throws on a negative offset (a 500); starting at 0 serves the client.
  page.offset = offset > 0 ? static_cast<std::size_t>(offset) : 0;
  const auto wanted = static_cast<std::size_t>(limit);
  page.limit = limit <= 0 || wanted > max_limit ? default_limit : wanted;
  return page;
}

template <typename T>
std::vector<T> paged(std::vector<T> items, const Page& page) {
  if (page.offset >= items.size()) return {};
  items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(page.offset));
  if (items.size() > page.limit) items.resize(page.limit);
  return items;
}

Result<int> id_param(const Request& request) {
  return parse_int_param(request.path_param("id"));
}

Result<int> version_param(const Request& request) {
  return service::parse_version(request.path_param("version"));
}

std::string subject_param(const Request& request) {
  return std::string(request.path_param("subject"));
}

// The config/mode scope a route names: its `{subject}`, or nullopt (global) without one. The
// service treats "" and ":.:" as global too.
std::optional<std::string> scope_param(const Request& request) {
  const std::string_view subject = request.path_param("subject");
  if (subject.empty()) return std::nullopt;
  return std::string(subject);
}

// --- Contexts in the URL (rest-api.md §4.7) ---------------------------------------------------

// QualifiedSubject.normalizeContext: "ctx", ".ctx", ":.ctx:" -> ":.ctx:"; the default context
// -> "". A colon inside the name is the 400 Confluent's ContextFilter answers.
Result<std::string> context_prefix(std::string_view context) {
  if (context.starts_with(':')) context.remove_prefix(1);
  if (context.ends_with(':')) context.remove_suffix(1);
  if (context.find(':') != std::string_view::npos) {
    return framework_failure(400, fmt::format("Context name '{}' cannot contain a colon", context));
  }
  std::string name(context);
  if (!name.starts_with('.')) name.insert(name.begin(), '.');
  if (name == ".") return std::string();
  return ":" + name + ":";
}

bool has_context(std::string_view subject) {
  return subject.starts_with(":.") || subject.starts_with(":*:");
}

void replace_query(http::QueryParams& query, const std::string& name,
                   const std::vector<std::string>& values) {
  query.erase(name);
  for (const std::string& value : values) query.emplace(name, value);
}

// /contexts/{context}/<pattern>: rewrites the request as Confluent's ContextFilter rewrites the
// URI (subjects qualified with the context, /config and /mode addressing the context's record,
// the `subject` / `subjectPrefix` query parameters prefixed), then runs the plain route.
http::Handler in_context(std::string pattern, http::Handler handler) {
  return [pattern = std::move(pattern),
          handler = std::move(handler)](const Request& request) -> Result<Response> {
    SG_ASSIGN_OR_RETURN(std::string prefix, context_prefix(request.path_param("context")));
    Request rewritten = request;
    std::erase_if(rewritten.path_params,
                  [](const auto& param) { return param.first == "context"; });
    for (auto& [name, value] : rewritten.path_params) {
      if (name == "subject" && !has_context(value)) value = prefix + value;
    }
    if ((pattern == "/config" || pattern == "/mode") && !prefix.empty()) {
      rewritten.path_params.emplace_back("subject", prefix);
    }
    if (pattern.starts_with("/schemas/ids")) {
      const std::string subject = query_string(request, "subject").value_or("");
      if (!has_context(subject) && !(prefix.empty() && subject.empty())) {
        replace_query(rewritten.query, "subject", {prefix + subject});
      }
    } else if (pattern == "/schemas" || pattern == "/subjects") {
      std::vector<std::string> prefixes;
      auto [begin, end] = request.query.equal_range(std::string_view("subjectPrefix"));
      for (auto it = begin; it != end; ++it) prefixes.push_back(it->second);
      if (prefixes.empty()) prefixes.emplace_back();
      for (std::string& value : prefixes) {
        if (!has_context(value)) value = prefix + value;
      }
      replace_query(rewritten.query, "subjectPrefix", prefixes);
    }
    return handler(rewritten);
  };
}

// --- Handlers ---------------------------------------------------------------------------------

Response json(std::string body) {
  return Response::json(std::move(body));
}

// A schema's text as the body, unquoted; Confluent still labels it with the negotiated JSON
// media type (the resource's @Produces), so the content type is left to negotiation.
Response raw_schema(const registry::StoredSchema& schema) {
  return Response::json(schema.schema);
}

class Api {
 public:
  Api(service::Registry& registry, ApiOptions options)
      : registry_(registry), options_(std::move(options)) {}

  // The schema in the form `?format=` asks for, when its format has one (Protobuf's
  // "serialized"); nullopt keeps the stored text, as Confluent does for a form it does not know.
  std::optional<std::string> requested_form(const Request& request,
                                            const registry::StoredSchema& schema) const {
    const auto form = request.query_param("format");
    if (!form || form->empty()) return std::nullopt;
    return registry_.convert_schema(schema, *form);
  }

  // --- Root and metadata ----------------------------------------------------------------------

  Result<Response> root(const Request&) { return json("{}"); }

  Result<Response> post_root(const Request& request) {
    // Map<String, String>: any JSON object of scalars; answered with an empty map.
    SG_ASSIGN_OR_RETURN(auto body, parse_entity(request.body, "Map"));
    if (body) {
      for (const auto& member : *body) {
        if (!member.value().is_null()) SG_RETURN_IF_ERROR(coerce_string(member.value()));
      }
    }
    return json("{}");
  }

  Result<Response> schema_types(const Request&) {
    return json(json_string_array({"JSON", "PROTOBUF", "AVRO"}));
  }

  Result<Response> cluster_id(const Request&) {
    JsonWriter out;
    out.begin_object().key("scope").begin_object();
    out.key("path").begin_array().end_array();
    out.key("clusters").begin_object();
    if (!options_.kafka_cluster_id.empty()) {
      out.key("kafka-cluster").string(options_.kafka_cluster_id);
    }
    out.key("schema-registry-cluster").string(options_.cluster_id);
    out.end_object().end_object().end_object();
    return json(out.take());
  }

  Result<Response> server_version(const Request&) {
    JsonWriter out;
    out.begin_object()
        .key("version")
        .string(options_.version)
        .key("commitId")
        .string(options_.commit_id)
        .end_object();
    return json(out.take());
  }

  Result<Response> deployment(const Request&) {
    JsonWriter out;
    out.begin_object().key("attributes").raw(json_string_array(options_.deployment_attributes));
    out.end_object();
    return json(out.take());
  }

  // --- Schemas by id and guid -----------------------------------------------------------------

  Result<Response> schema_by_id(const Request& request) {
    SG_ASSIGN_OR_RETURN(int id, id_param(request));
    SG_ASSIGN_OR_RETURN(service::SchemaById found,
                        registry_.schema_by_id(id, query_string(request, "subject")));
    SchemaStringFields fields;
    fields.use = found.use;
    if (request.query_flag("fetchMaxId")) fields.max_id = found.max_id;
    fields.schema_text = requested_form(request, *found.schema);
    return json(schema_string_entity(*found.schema, fields));
  }

  Result<Response> raw_schema_by_id(const Request& request) {
    SG_ASSIGN_OR_RETURN(int id, id_param(request));
    SG_ASSIGN_OR_RETURN(service::SchemaById found,
                        registry_.schema_by_id(id, query_string(request, "subject")));
    return raw_schema(*found.schema);
  }

  Result<Response> subjects_of_id(const Request& request) {
    SG_ASSIGN_OR_RETURN(int id, id_param(request));
    SG_ASSIGN_OR_RETURN(Page page, page_of(request, kUnlimited, kUnlimited));
    SG_ASSIGN_OR_RETURN(auto subjects,
                        registry_.subjects_of_id(id, query_string(request, "subject"),
                                                 request.query_flag("deleted")));
    return json(json_string_array(paged(std::move(subjects), page)));
  }

  Result<Response> versions_of_id(const Request& request) {
    SG_ASSIGN_OR_RETURN(int id, id_param(request));
    SG_ASSIGN_OR_RETURN(Page page, page_of(request, kUnlimited, kUnlimited));
    SG_ASSIGN_OR_RETURN(auto uses, registry_.versions_of_id(id, query_string(request, "subject"),
                                                            request.query_flag("deleted")));
    JsonWriter out;
    out.begin_array();
    for (const service::IdUse& use : paged(std::move(uses), page)) {
      out.begin_object()
          .key("subject")
          .string(use.subject)
          .key("version")
          .number(use.version)
          .end_object();
    }
    out.end_array();
    return json(out.take());
  }

  Result<Response> list_schemas(const Request& request) {
    SG_ASSIGN_OR_RETURN(Page page, page_of(request, options_.schema_search_default_limit,
                                           options_.schema_search_max_limit));
    auto versions =
        registry_.list_schemas(query_string(request, "subjectPrefix").value_or(""),
                               request.query_flag("deleted"), request.query_flag("latestOnly"));
    JsonWriter out;
    out.begin_array();
    for (const service::VersionInfo& version : paged(std::move(versions), page)) {
      write_schema(out, version);
    }
    out.end_array();
    return json(out.take());
  }

  Result<Response> schema_by_guid(const Request& request) {
    const std::string guid(request.path_param("guid"));
    for (const service::VersionInfo& version : registry_.list_schemas(":*:", true, false)) {
      if (version.schema->guid() == guid) {
        return json(schema_string_entity(*version.schema, SchemaStringFields{}));
      }
    }
    return Error(ErrorCode::kSchemaNotFound, fmt::format("Schema {} not found", guid));
  }

  Result<Response> ids_of_guid(const Request& request) {
    const std::string guid(request.path_param("guid"));
    std::set<std::pair<std::string, int>> ids;
    for (const service::VersionInfo& version : registry_.list_schemas(":*:", true, false)) {
      if (version.schema->guid() == guid) {
        ids.emplace(version.schema->context, version.schema->id);
      }
    }
    JsonWriter out;
    out.begin_array();
    for (const auto& [context, id] : ids) {
      out.begin_object().key("context").string(context).key("id").number(id).end_object();
    }
    out.end_array();
    return json(out.take());
  }

  // --- Subjects -------------------------------------------------------------------------------

  Result<Response> list_subjects(const Request& request) {
    SG_ASSIGN_OR_RETURN(Page page, page_of(request, kUnlimited, kUnlimited));
    auto subjects =
        registry_.list_subjects(query_string(request, "subjectPrefix").value_or(":*:"),
                                request.query_flag("deleted"), request.query_flag("deletedOnly"));
    return json(json_string_array(paged(std::move(subjects), page)));
  }

  Result<Response> lookup(const Request& request) {
    SG_ASSIGN_OR_RETURN(SchemaRequest body,
                        parse_schema_request(request.body, "lookUpSchemaUnderSubject.request"));
    if (body.invalid_type) return *body.invalid_type;
    SG_ASSIGN_OR_RETURN(
        service::VersionInfo found,
        registry_.lookup(subject_param(request), body.input, request.query_flag("normalize"),
                         request.query_flag("deleted")));
    return json(schema_entity(found));
  }

  Result<Response> delete_subject(const Request& request) {
    SG_ASSIGN_OR_RETURN(auto versions, registry_.delete_subject(subject_param(request),
                                                                request.query_flag("permanent")));
    return json(json_int_array(versions));
  }

  Result<Response> list_versions(const Request& request) {
    SG_ASSIGN_OR_RETURN(Page page, page_of(request, kUnlimited, kUnlimited));
    SG_ASSIGN_OR_RETURN(auto versions, registry_.list_versions(
                                           subject_param(request), request.query_flag("deleted"),
                                           request.query_flag("deletedOnly"),
                                           request.query_flag("deletedAsNegative")));
    return json(json_int_array(paged(std::move(versions), page)));
  }

  // The same for register_schema and its fast path, so both answer the same request alike.
  static service::RegisterOptions register_options(const Request& request) {
    service::RegisterOptions options;
    options.normalize = request.query_flag("normalize");
    options.force = request.query_flag("force");
    return options;
  }

  Result<Response> register_schema(const Request& request) {
    SG_ASSIGN_OR_RETURN(SchemaRequest body, parse_schema_request(request.body, "register.request"));
    // Confluent's order: the rule set (42210), the subject name (42208), then the schema.
    if (body.invalid_rule_set) return *body.invalid_rule_set;
    const std::string subject = subject_param(request);
    SG_RETURN_IF_ERROR(service::validate_subject(subject));
    if (body.invalid_type) return *body.invalid_type;
    SG_ASSIGN_OR_RETURN(service::VersionInfo registered,
                        registry_.register_schema(subject, body.input, register_options(request)));
    return json(register_response(registered));
  }

  // The register route's fast path: a schema the subject already has is answered on the I/O
  // thread (no write, no hop to the blocking pool). Anything else, errors included, goes on to
  // register_schema, which reports it.
  std::optional<Result<Response>> register_if_known(const Request& request) {
    auto body = parse_schema_request(request.body, "register.request");
    if (!body.ok() || body->invalid_rule_set || body->invalid_type) return std::nullopt;
    auto known = registry_.registered_version(subject_param(request), body->input,
                                              register_options(request));
    if (!known) return std::nullopt;
    return Result<Response>(json(register_response(*known)));
  }

  Result<Response> get_version(const Request& request) {
    SG_ASSIGN_OR_RETURN(int version, version_param(request));
    SG_ASSIGN_OR_RETURN(
        service::VersionInfo found,
        registry_.get_version(subject_param(request), version, request.query_flag("deleted")));
    return json(schema_entity(found, requested_form(request, *found.schema)));
  }

  Result<Response> raw_schema_of_version(const Request& request) {
    SG_ASSIGN_OR_RETURN(int version, version_param(request));
    SG_ASSIGN_OR_RETURN(
        service::VersionInfo found,
        registry_.get_version(subject_param(request), version, request.query_flag("deleted")));
    return raw_schema(*found.schema);
  }

  Result<Response> referenced_by(const Request& request) {
    SG_ASSIGN_OR_RETURN(int version, version_param(request));
    SG_ASSIGN_OR_RETURN(Page page, page_of(request, options_.schema_search_default_limit,
                                           options_.schema_search_max_limit));
    SG_ASSIGN_OR_RETURN(auto ids, registry_.referenced_by(subject_param(request), version,
                                                          request.query_flag("deleted")));
    return json(json_int_array(paged(std::move(ids), page)));
  }

  Result<Response> delete_version(const Request& request) {
    SG_ASSIGN_OR_RETURN(int version, version_param(request));
    SG_ASSIGN_OR_RETURN(int deleted, registry_.delete_version(subject_param(request), version,
                                                              request.query_flag("permanent")));
    return json(std::to_string(deleted));
  }

  Result<Response> latest_with_metadata(const Request& request) {
    // `key` and `value` repeat and pair up by position (a multimap keeps arrival order).
    std::vector<std::string> keys;
    std::vector<std::string> values;
    for (auto [it, end] = request.query.equal_range(std::string_view("key")); it != end; ++it) {
      keys.push_back(it->second);
    }
    for (auto [it, end] = request.query.equal_range(std::string_view("value")); it != end; ++it) {
      values.push_back(it->second);
    }
    std::vector<std::pair<std::string, std::string>> properties;
    for (std::size_t i = 0; i < std::min(keys.size(), values.size()); ++i) {
      properties.emplace_back(keys[i], values[i]);
    }
    SG_ASSIGN_OR_RETURN(service::VersionInfo found,
                        registry_.latest_with_metadata(subject_param(request), properties,
                                                       request.query_flag("deleted")));
    return json(schema_entity(found, requested_form(request, *found.schema)));
  }

  // --- Compatibility --------------------------------------------------------------------------

  Result<Response> check_compatibility(const Request& request, bool with_version) {
    std::optional<int> version;
    if (with_version) {
      SG_ASSIGN_OR_RETURN(version, version_param(request));
    }
    SG_ASSIGN_OR_RETURN(
        SchemaRequest body,
        parse_schema_request(request.body, "testCompatibilityBySubjectName.request"));
    const std::string subject = subject_param(request);
    const bool verbose = request.query_flag("verbose");
    service::CompatibilityAnswer answer;
    if (body.invalid_type) {
      // The named version must exist before the candidate is parsed at all.
      if (version && *version != service::kLatestVersion &&
          !registry_.get_version(subject, *version, false).ok()) {
        return Error(ErrorCode::kVersionNotFound, fmt::format("Version {} not found.", *version));
      }
      if (!verbose) return *body.invalid_type;
      answer.compatible = false;
      answer.messages.push_back(body.invalid_type->message());
    } else {
      SG_ASSIGN_OR_RETURN(answer,
                          registry_.check_compatibility(subject, version, body.input,
                                                        request.query_flag("normalize"), verbose));
    }
    JsonWriter out;
    out.begin_object().key("is_compatible").boolean(answer.compatible);
    if (verbose) {
      // Present even when empty (rest-api.md §2.5).
      out.key("messages").raw(json_string_array(answer.messages));
    }
    out.end_object();
    return json(out.take());
  }

  // --- Config and mode ------------------------------------------------------------------------

  Result<Response> get_config(const Request& request) {
    SG_ASSIGN_OR_RETURN(
        registry::ConfigRecord config,
        registry_.get_config(scope_param(request), request.query_flag("defaultToGlobal")));
    return json(config_entity(config, ConfigForm::kConfig));
  }

  Result<Response> put_config(const Request& request) {
    SG_ASSIGN_OR_RETURN(service::ConfigUpdate update, parse_config_update(request.body));
    SG_ASSIGN_OR_RETURN(registry::ConfigRecord merged,
                        registry_.put_config(scope_param(request), update));
    return json(config_entity(merged, ConfigForm::kUpdate));
  }

  Result<Response> delete_config(const Request& request) {
    SG_ASSIGN_OR_RETURN(registry::ConfigRecord previous,
                        registry_.delete_config(scope_param(request)));
    return json(config_entity(previous, ConfigForm::kConfig));
  }

  static Response mode_entity(const std::optional<std::string>& mode) {
    JsonWriter out;
    out.begin_object().key("mode");
    if (mode) {
      out.string(*mode);
    } else {
      out.null();
    }
    out.end_object();
    return json(out.take());
  }

  Result<Response> get_mode(const Request& request) {
    SG_ASSIGN_OR_RETURN(
        std::string mode,
        registry_.get_mode(scope_param(request), request.query_flag("defaultToGlobal")));
    return mode_entity(mode);
  }

  Result<Response> put_mode(const Request& request) {
    SG_ASSIGN_OR_RETURN(std::optional<std::string> mode, parse_mode_update(request.body));
    SG_RETURN_IF_ERROR(registry_.put_mode(scope_param(request), mode, request.query_flag("force")));
    // Confluent echoes the request, not the stored (upper-cased) value.
    return mode_entity(mode);
  }

  Result<Response> delete_mode(const Request& request) {
    SG_ASSIGN_OR_RETURN(
        std::string previous,
        registry_.delete_mode(scope_param(request), request.query_flag("recursive")));
    return mode_entity(previous);
  }

  // --- Contexts -------------------------------------------------------------------------------

  Result<Response> list_contexts(const Request& request) {
    SG_ASSIGN_OR_RETURN(Page page, page_of(request, kUnlimited, kUnlimited));
    std::vector<std::string> contexts = registry_.list_contexts();
    if (auto prefix = request.query_param("contextPrefix"); prefix && !prefix->empty()) {
      std::erase_if(contexts, [&](const std::string& c) { return !c.starts_with(*prefix); });
    }
    return json(json_string_array(paged(std::move(contexts), page)));
  }

  Result<Response> delete_context(const Request& request) {
    SG_ASSIGN_OR_RETURN(std::string prefix, context_prefix(request.path_param("context")));
    // ":.ctx:" -> ".ctx"; "" is the default context.
    const std::string context = prefix.empty() ? "." : prefix.substr(1, prefix.size() - 2);
    SG_RETURN_IF_ERROR(registry_.delete_context(context));
    return Response::no_content();
  }

 private:
  service::Registry& registry_;
  const ApiOptions options_;
};

struct RouteSpec {
  Method method;
  std::string_view pattern;
  Result<Response> (Api::*handler)(const Request&);
  bool blocking = false;  // waits for a durable write (RouteOptions::blocking)
  // RouteOptions::fast_path, for the plain form only (the /contexts/{context} form is rare).
  std::optional<Result<Response>> (Api::*fast_path)(const Request&) = nullptr;
};

}  // namespace

Status add_registry_routes(http::Router& router, service::Registry& registry,
                           const ApiOptions& options) {
  auto api = std::make_shared<Api>(registry, options);

  // Every route, and the same under /contexts/{context} (except the root and /contexts itself).
  const RouteSpec routes[] = {
      {Method::kGet, "/schemas/types", &Api::schema_types},
      {Method::kGet, "/v1/metadata/id", &Api::cluster_id},
      {Method::kGet, "/v1/metadata/version", &Api::server_version},
      {Method::kGet, "/v1/metadata/deployment", &Api::deployment},

      {Method::kGet, "/schemas", &Api::list_schemas},
      {Method::kGet, "/schemas/ids/{id}", &Api::schema_by_id},
      {Method::kGet, "/schemas/ids/{id}/schema", &Api::raw_schema_by_id},
      {Method::kGet, "/schemas/ids/{id}/subjects", &Api::subjects_of_id},
      {Method::kGet, "/schemas/ids/{id}/versions", &Api::versions_of_id},
      {Method::kGet, "/schemas/guids/{guid}", &Api::schema_by_guid},
      {Method::kGet, "/schemas/guids/{guid}/ids", &Api::ids_of_guid},

      {Method::kGet, "/subjects", &Api::list_subjects},
      {Method::kPost, "/subjects/{subject}", &Api::lookup},
      {Method::kDelete, "/subjects/{subject}", &Api::delete_subject, true},
      {Method::kGet, "/subjects/{subject}/metadata", &Api::latest_with_metadata},
      {Method::kGet, "/subjects/{subject}/versions", &Api::list_versions},
      {Method::kPost, "/subjects/{subject}/versions", &Api::register_schema, true,
       &Api::register_if_known},
      {Method::kGet, "/subjects/{subject}/versions/{version}", &Api::get_version},
      {Method::kDelete, "/subjects/{subject}/versions/{version}", &Api::delete_version, true},
      {Method::kGet, "/subjects/{subject}/versions/{version}/schema", &Api::raw_schema_of_version},
      {Method::kGet, "/subjects/{subject}/versions/{version}/referencedby", &Api::referenced_by},

      {Method::kGet, "/config", &Api::get_config},
      {Method::kPut, "/config", &Api::put_config, true},
      {Method::kDelete, "/config", &Api::delete_config, true},
      {Method::kGet, "/config/{subject}", &Api::get_config},
      {Method::kPut, "/config/{subject}", &Api::put_config, true},
      {Method::kDelete, "/config/{subject}", &Api::delete_config, true},

      {Method::kGet, "/mode", &Api::get_mode},
      {Method::kPut, "/mode", &Api::put_mode, true},
      {Method::kDelete, "/mode", &Api::delete_mode, true},
      {Method::kGet, "/mode/{subject}", &Api::get_mode},
      {Method::kPut, "/mode/{subject}", &Api::put_mode, true},
      {Method::kDelete, "/mode/{subject}", &Api::delete_mode, true},
  };

  auto wrap = [](http::Handler handler) -> http::Handler {
    return [handler = std::move(handler)](const Request& request) -> Result<Response> {
      Result<Response> result = handler(request);
      if (!result.ok()) return to_response(result.error());
      return result;
    };
  };
  auto add = [&](Method method, std::string_view pattern, http::Handler handler, bool blocking,
                 decltype(RouteSpec::fast_path) fast_path = nullptr) -> Status {
    http::RouteOptions route_options;
    route_options.blocking = blocking;
    http::RouteOptions plain_options = route_options;
    if (fast_path) {
      plain_options.fast_path = [api, fast_path](const Request& request) {
        return ((*api).*fast_path)(request);
      };
    }
    SG_RETURN_IF_ERROR(router.add(method, pattern, wrap(handler), plain_options));
    return router.add(method, fmt::format("/contexts/{{context}}{}", pattern),
                      wrap(in_context(std::string(pattern), handler)), route_options);
  };

  for (const RouteSpec& route : routes) {
    http::Handler handler = [api, member = route.handler](const Request& request) {
      return ((*api).*member)(request);
    };
    SG_RETURN_IF_ERROR(
        add(route.method, route.pattern, std::move(handler), route.blocking, route.fast_path));
  }
  for (std::string_view pattern : {"/compatibility/subjects/{subject}/versions",
                                   "/compatibility/subjects/{subject}/versions/{version}"}) {
    const bool with_version = pattern.ends_with("{version}");
    SG_RETURN_IF_ERROR(add(
        Method::kPost, pattern,
        [api, with_version](const Request& request) {
          return api->check_compatibility(request, with_version);
        },
        false));
  }

  // Not repeated under /contexts/{context}: the root, and the contexts resource itself.
  auto plain = [&](Method method, std::string_view pattern,
                   Result<Response> (Api::*member)(const Request&), bool blocking) {
    http::RouteOptions route_options;
    route_options.blocking = blocking;
    return router.add(method, pattern, wrap([api, member](const Request& request) {
                        return ((*api).*member)(request);
                      }),
                      route_options);
  };
  SG_RETURN_IF_ERROR(plain(Method::kGet, "/", &Api::root, false));
  SG_RETURN_IF_ERROR(plain(Method::kPost, "/", &Api::post_root, false));
  SG_RETURN_IF_ERROR(plain(Method::kGet, "/contexts", &Api::list_contexts, false));
  SG_RETURN_IF_ERROR(plain(Method::kDelete, "/contexts/{context}", &Api::delete_context, true));
  return ok_status();
}

}  // namespace sg::api
