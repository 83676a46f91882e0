#include "schemaguard/gate/command.h"

#include <fmt/format.h>

#include <fstream>

#include "schemaguard/client/registry_client.h"
#include "schemaguard/compat/engine.h"
#include "schemaguard/gate/baseline.h"
#include "schemaguard/gate/check.h"
#include "schemaguard/gate/config.h"
#include "schemaguard/gate/export.h"
#include "schemaguard/gate/plan.h"
#include "schemaguard/gate/report.h"

namespace sg::gate {
namespace {

bool is_url(const std::string& text) {
  return text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
}

// A client for `url` (empty: the config's registry.url), logging in with the credentials the
// config names.
Result<std::unique_ptr<client::RegistryClient>> open_registry(std::string url,
                                                              const Config* config) {
  const RegistryConfig* registry = config && config->registry ? &*config->registry : nullptr;
  if (url.empty()) {
    if (registry == nullptr) {
      return Error(ErrorCode::kInvalidArgument,
                   "no registry: pass --registry URL or set registry.url in schemaguard.yaml");
    }
    url = registry->url;
  }
  client::ClientOptions options;
  options.url = std::move(url);
  if (registry != nullptr) {
    SG_ASSIGN_OR_RETURN(options.credentials,
                        client::credentials_from_env(registry->username_env, registry->password_env,
                                                     registry->token_env));
    // The TLS files apply to https URLs only, the config's or one given on the command line.
    if (options.url.rfind("https://", 0) == 0) {
      options.ca_file = registry->ca_file;
      options.cert_file = registry->cert_file;
      options.key_file = registry->key_file;
    }
  }
  return client::RegistryClient::open(std::move(options));
}

Result<std::unique_ptr<Baseline>> open_baseline(const Config& config, const std::string& against) {
  if (against.empty() || against.rfind("git:", 0) == 0) {
    const std::string ref = against.empty() ? "" : against.substr(4);
    if (!against.empty() && ref.empty()) {
      return Error(ErrorCode::kInvalidArgument, "--against git: needs a ref, e.g. git:origin/main");
    }
    SG_ASSIGN_OR_RETURN(std::unique_ptr<GitBaseline> git, GitBaseline::open(config, ref));
    return std::unique_ptr<Baseline>(std::move(git));
  }
  if (is_url(against) || against == "registry") {
    SG_ASSIGN_OR_RETURN(auto client, open_registry(against == "registry" ? "" : against, &config));
    return std::unique_ptr<Baseline>(std::make_unique<RegistryBaseline>(std::move(client)));
  }
  SG_ASSIGN_OR_RETURN(std::unique_ptr<ExportBaseline> file, ExportBaseline::open(against));
  return std::unique_ptr<Baseline>(std::move(file));
}

// The config of an export or import: only when one is named, for the registry's URL and
// credentials.
Result<std::optional<Config>> optional_config(const RegistryTarget& target) {
  if (target.config.empty()) return std::optional<Config>();
  SG_ASSIGN_OR_RETURN(Config config, load_config(target.config));
  return std::optional<Config>(std::move(config));
}

int fail(std::ostream& err, const Error& error) {
  err << "error: " << error.message() << "\n";
  return kCheckError;
}

}  // namespace

int run_check_command(const CheckCommand& command, std::ostream& out, std::ostream& err) {
  const auto format = output_format_from_string(command.format);
  if (!format) {
    err << fmt::format("error: unknown format '{}' (expected text, json, github, sarif or junit)\n",
                       command.format);
    return kCheckError;
  }
  auto config = load_config(command.config);
  if (!config.ok()) return fail(err, config.error());
  auto baseline = open_baseline(*config, command.against);
  if (!baseline.ok()) return fail(err, baseline.error());
  compat::Engine engine;
  auto report = run_check(*config, **baseline, engine);
  if (!report.ok()) return fail(err, report.error());

  ReportOptions options;
  options.colour = command.colour && *format == OutputFormat::kText;
  options.tool_version = command.tool_version;
  make_reporter(*format, options)->write(*report, out);
  if (*format != OutputFormat::kText) {
    for (const std::string& line : plain_messages(*report)) err << line << "\n";
  }
  return report->exit_status() == 0 ? kCheckCompatible : kCheckIncompatible;
}

int run_export_command(const ExportCommand& command, std::ostream& out, std::ostream& err) {
  auto config = optional_config(command.target);
  if (!config.ok()) return fail(err, config.error());
  auto registry = open_registry(command.target.registry, config->has_value() ? &**config : nullptr);
  if (!registry.ok()) return fail(err, registry.error());
  auto document = export_registry(**registry);
  if (!document.ok()) return fail(err, document.error());
  const std::string text = format_export(*document);
  if (command.output.empty() || command.output == "-") {
    out << text;
  } else {
    std::ofstream file(command.output, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      return fail(err, Error(ErrorCode::kIoError,
                             fmt::format("{}: cannot write the export", command.output)));
    }
  }
  std::size_t versions = 0;
  for (const auto& [name, subject] : document->subjects) versions += subject.versions.size();
  err << fmt::format("exported {} subject(s), {} version(s) from {}\n", document->subjects.size(),
                     versions, (*registry)->url());
  return kCheckCompatible;
}

int run_import_command(const ImportCommand& command, std::ostream& out, std::ostream& err) {
  auto config = optional_config(command.target);
  if (!config.ok()) return fail(err, config.error());
  auto document = read_export(command.file);
  if (!document.ok()) return fail(err, document.error());
  auto registry = open_registry(command.target.registry, config->has_value() ? &**config : nullptr);
  if (!registry.ok()) return fail(err, registry.error());
  ImportOptions options;
  options.force = command.force;
  auto imported = import_registry(**registry, *document, options, out);
  if (!imported.ok()) return fail(err, imported.error());
  return kCheckCompatible;
}

int run_plan_command(const PlanCommand& command, std::ostream& out, std::ostream& err) {
  const bool json = command.format == "json";
  if (!json && command.format != "text") {
    err << fmt::format("error: unknown format '{}' (expected text or json)\n", command.format);
    return kCheckError;
  }
  auto config = load_config(command.target.config);
  if (!config.ok()) return fail(err, config.error());
  auto registry = open_registry(command.target.registry, &*config);
  if (!registry.ok()) return fail(err, registry.error());

  // The registry would refuse an incompatible version half-way through; find out first, and
  // say why the way `check` does.
  RegistryBaseline baseline(std::move(*registry));
  compat::Engine engine;
  auto report = run_check(*config, baseline, engine);
  if (!report.ok()) return fail(err, report.error());
  if (!report->compatible()) {
    ReportOptions options;
    options.colour = command.colour && !json;
    options.tool_version = command.tool_version;
    make_reporter(json ? OutputFormat::kJson : OutputFormat::kText, options)->write(*report, out);
    if (json) {
      for (const std::string& line : plain_messages(*report)) err << line << "\n";
    }
    err << fmt::format("error: {} would register an incompatible schema; nothing was {}\n",
                       command.apply ? "apply" : "the plan", command.apply ? "changed" : "planned");
    return kCheckIncompatible;
  }

  auto plan = make_plan(*config, baseline.client());
  if (!plan.ok()) return fail(err, plan.error());
  if (!command.apply) {
    write_plan(*plan, json, out);
    return kCheckCompatible;
  }
  if (plan->empty()) {
    out << fmt::format("registry {} is up to date: nothing to do\n", plan->registry);
    return kCheckCompatible;
  }
  auto applied = apply_plan(*config, *plan, baseline.client(), out);
  if (!applied.ok()) {
    // A 409 despite the check: the registry's own level or rules differ from ours.
    fail(err, applied.error());
    return applied.error().code() == ErrorCode::kIncompatibleSchema ? kCheckIncompatible
                                                                    : kCheckError;
  }
  out << fmt::format("applied {} registration(s) and {} config change(s) to {}\n",
                     plan->registrations(), plan->config_changes(), plan->registry);
  return kCheckCompatible;
}

}  // namespace sg::gate
