#include "schemaguard/gate/command.h"

#include <fmt/format.h>

#include "schemaguard/compat/engine.h"
#include "schemaguard/gate/baseline.h"
#include "schemaguard/gate/check.h"
#include "schemaguard/gate/config.h"
#include "schemaguard/gate/report.h"

namespace sg::gate {
namespace {

Result<std::unique_ptr<Baseline>> open_baseline(const Config& config, const std::string& against) {
  if (against.empty() || against.rfind("git:", 0) == 0) {
    const std::string ref = against.empty() ? "" : against.substr(4);
    if (!against.empty() && ref.empty()) {
      return Error(ErrorCode::kInvalidArgument, "--against git: needs a ref, e.g. git:origin/main");
    }
    SG_ASSIGN_OR_RETURN(std::unique_ptr<GitBaseline> git, GitBaseline::open(config, ref));
    return std::unique_ptr<Baseline>(std::move(git));
  }
  if (against.rfind("http://", 0) == 0 || against.rfind("https://", 0) == 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--against {}: checking against a live registry is not supported "
                             "yet; use git:REF or an export file",
                             against));
  }
  SG_ASSIGN_OR_RETURN(std::unique_ptr<ExportBaseline> file, ExportBaseline::open(against));
  return std::unique_ptr<Baseline>(std::move(file));
}

}  // namespace

int run_check_command(const CheckCommand& command, std::ostream& out, std::ostream& err) {
  const auto format = output_format_from_string(command.format);
  if (!format) {
    err << fmt::format("error: unknown format '{}' (expected text, json, github, sarif or junit)\n",
                       command.format);
    return kCheckError;
  }
  auto fail = [&](const Error& error) {
    err << "error: " << error.message() << "\n";
    return kCheckError;
  };
  auto config = load_config(command.config);
  if (!config.ok()) return fail(config.error());
  auto baseline = open_baseline(*config, command.against);
  if (!baseline.ok()) return fail(baseline.error());
  compat::Engine engine;
  auto report = run_check(*config, **baseline, engine);
  if (!report.ok()) return fail(report.error());

  ReportOptions options;
  options.colour = command.colour && *format == OutputFormat::kText;
  options.tool_version = command.tool_version;
  make_reporter(*format, options)->write(*report, out);
  if (*format != OutputFormat::kText) {
    for (const std::string& line : plain_messages(*report)) err << line << "\n";
  }
  return report->exit_status() == 0 ? kCheckCompatible : kCheckIncompatible;
}

}  // namespace sg::gate
