#include "schemaguard/cli/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "schemaguard/base/file.h"
#include "schemaguard/cli/serve.h"
#include "schemaguard/cli/validate.h"
#include "schemaguard/compat/engine.h"
#include "schemaguard/gate/command.h"
#include "schemaguard/gate/init.h"
#include "schemaguard/gate/report.h"

namespace sg::cli {

namespace {

std::string_view direction_name(const Incompatibility& problem) {
  if (!problem.direction) return "";
  return *problem.direction == Direction::kBackward ? "backward" : "forward";
}

// "/fields/2" or "(root)" for the whole schema.
std::string show_path(const std::string& path) {
  return path.empty() ? "(root)" : path;
}

struct CompatArgs {
  std::string type = "avro";
  std::string level = "BACKWARD";
  std::string output = "text";
  std::string new_file;
  std::vector<std::string> old_files;
};

int run_compat(const CompatArgs& args, std::ostream& out, std::ostream& err) {
  const auto level = compatibility_level_from_string(args.level);
  if (!level) {
    err << fmt::format(
        "error: unknown compatibility level '{}' (expected NONE, BACKWARD, "
        "BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or "
        "FULL_TRANSITIVE)\n",
        args.level);
    return kExitUsage;
  }
  std::string type_name = args.type;
  for (char& c : type_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (type_name == "JSONSCHEMA" || type_name == "JSON_SCHEMA") type_name = "JSON";
  if (type_name == "PROTO") type_name = "PROTOBUF";
  const auto type = schema_type_from_string(type_name);
  if (!type) {
    err << fmt::format("error: unknown schema type '{}' (expected avro, json or protobuf)\n",
                       args.type);
    return kExitUsage;
  }

  compat::Engine engine;
  auto load = [&](const std::string& path) -> Result<ParsedSchemaPtr> {
    SG_ASSIGN_OR_RETURN(std::string text, read_file(path));
    auto parsed = engine.parse(*type, text);
    if (!parsed.ok()) return parsed.error().with_context(path);
    return parsed;
  };
  auto candidate = load(args.new_file);
  if (!candidate.ok()) {
    err << "error: " << candidate.error().message() << "\n";
    return kExitUsage;
  }
  std::vector<ParsedSchemaPtr> previous;
  for (const std::string& path : args.old_files) {
    auto parsed = load(path);
    if (!parsed.ok()) {
      err << "error: " << parsed.error().message() << "\n";
      return kExitUsage;
    }
    previous.push_back(*std::move(parsed));
  }

  const compat::CheckResult result = engine.check(*level, **candidate, previous);

  auto old_file = [&](const Incompatibility& problem) -> const std::string& {
    return args.old_files[static_cast<std::size_t>(problem.version.value_or(1) - 1)];
  };
  // One line a person can act on: which versions, what, where in each schema, how to fix.
  auto describe = [&](const Incompatibility& problem) {
    const bool backward = problem.direction == Direction::kBackward;
    std::string line = fmt::format(
        "{}: version {} ({}), {}: {} at {} in the new schema, {} in the old: {}", args.new_file,
        problem.version.value_or(0), old_file(problem), direction_name(problem), problem.type,
        show_path(backward ? problem.reader_path : problem.writer_path),
        show_path(backward ? problem.writer_path : problem.reader_path), problem.message);
    if (!problem.hint.empty()) line += fmt::format(" Fix: {}", problem.hint);
    if (!problem.counterexample.empty()) {
      line += fmt::format(" Example: {} schema accepts {}, the {} one rejects it.",
                          backward ? "the old" : "the new", problem.counterexample,
                          backward ? "new" : "old");
    }
    return line;
  };

  if (args.output == "json") {
    boost::json::array messages;
    boost::json::array problems;
    for (const Incompatibility& problem : result.incompatibilities) {
      messages.emplace_back(describe(problem));
      problems.emplace_back(boost::json::object{
          {"type", problem.type},
          {"message", problem.message},
          {"reader_path", problem.reader_path},
          {"writer_path", problem.writer_path},
          {"hint", problem.hint},
          {"counterexample", gate::counterexample_json(problem)},
          {"version", problem.version.value_or(0)},
          {"direction", direction_name(problem)},
          {"old_file", old_file(problem)},
      });
    }
    boost::json::object doc{{"compatible", result.compatible},
                            {"level", to_string(*level)},
                            {"messages", std::move(messages)},
                            {"incompatibilities", std::move(problems)}};
    out << boost::json::serialize(doc) << "\n";
  } else {
    for (const Incompatibility& problem : result.incompatibilities)
      out << describe(problem) << "\n";
    if (result.compatible) {
      out << fmt::format("compatible: {} is {} with {} earlier version(s)\n", args.new_file,
                         to_string(*level), args.old_files.size());
    } else {
      out << fmt::format("incompatible: {} problem(s) under {}\n", result.incompatibilities.size(),
                         to_string(*level));
    }
  }
  return result.compatible ? kExitOk : kExitIncompatible;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  // `serve` parses its own arguments: its settings also come from the environment and a config
  // file (serve.h), which CLI11's precedence rules do not express.
  if (args.size() >= 2 && args[1] == "serve") {
    return run_serve(std::vector<std::string>(args.begin() + 2, args.end()), out, err);
  }

  CLI::App app("SchemaGuard: schema registry and event-contract checks for Kafka", "schemaguard");
  app.set_version_flag("--version", fmt::format("schemaguard {}", kVersion));
  app.require_subcommand(1);

  CompatArgs compat_args;
  CLI::App* compat =
      app.add_subcommand("compat",
                         "Check whether a new schema is compatible with earlier versions.\n"
                         "Exit status: 0 compatible, 1 incompatible, 2 usage or parse error.");
  compat->add_option("--type", compat_args.type, "Schema type: avro, json or protobuf")
      ->capture_default_str();
  compat
      ->add_option("--level", compat_args.level,
                   "NONE, BACKWARD, FORWARD, FULL or one of the *_TRANSITIVE forms; "
                   "non-transitive levels check the newest OLD_FILE only")
      ->capture_default_str();
  compat->add_option("--output", compat_args.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  compat->add_option("NEW_FILE", compat_args.new_file, "The proposed schema")->required();
  compat->add_option("OLD_FILE", compat_args.old_files, "Earlier versions, oldest first")
      ->required();

  ValidateArgs validate_args;
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check JSON documents against a schema, as a consumer using it would accept them.\n"
      "Exit status: 0 all valid, 1 some document invalid or not JSON, 2 usage or schema error.");
  validate->add_option("--type", validate_args.type, "json (JSON Schema) or protobuf")
      ->capture_default_str();
  validate->add_option("--reference", validate_args.references,
                       "NAME=FILE: a schema the schema references by NAME ($ref URL or import "
                       "path); repeat, in dependency order");
  validate->add_option("--message", validate_args.message,
                       "Protobuf: the message's full name (default: the file's first message)");
  validate->add_flag("--lines", validate_args.lines,
                     "Each file holds one document per line (JSON Lines)");
  validate->add_option("--output", validate_args.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  validate->add_option("SCHEMA_FILE", validate_args.schema_file, "The schema")->required();
  validate->add_option("DOCUMENT", validate_args.documents,
                       "Files to check (default, or '-': standard input)");

  gate::CheckCommand check_args;
  CLI::App* check = app.add_subcommand(
      "check",
      "CI gate: check every changed schema of schemaguard.yaml against a baseline.\n"
      "Exit status: 0 compatible, 1 incompatible, 2 configuration, parse or git error.");
  check->add_option("--config", check_args.config, "The configuration (docs/ci-gate.md)")
      ->capture_default_str();
  check->add_option("--against", check_args.against,
                    "git:REF (default: origin/main, else main; the merge base when the branch "
                    "has diverged), a registry URL (http://...), 'registry' (the config's "
                    "registry.url) or an export file");
  check->add_option("--format", check_args.format, "text, json, github, sarif or junit")
      ->check(CLI::IsMember({"text", "json", "github", "sarif", "junit"}))
      ->capture_default_str();

  gate::InitCommand init_args;
  CLI::App* init = app.add_subcommand(
      "init",
      "Write a commented starter schemaguard.yaml for the schema files (.avsc, .proto, JSON\n"
      "Schema .json) found under a directory. Exit status: 0 written, 2 otherwise.");
  init->add_option("--dir", init_args.directory, "Where to look for schema files")
      ->capture_default_str();
  init->add_option("--output,-o", init_args.output,
                   "The file to write (default: DIR/schemaguard.yaml)");
  init->add_flag("--force", init_args.force, "Replace an existing file");

  gate::ExportCommand export_args;
  CLI::App* export_cmd = app.add_subcommand(
      "export",
      "Write a registry's subjects, versions (soft-deleted ones flagged), ids, levels and modes\n"
      "to one JSON file (docs/ci-gate.md). Exit status: 0 done, 2 error.");
  export_cmd->add_option("--registry", export_args.target.registry,
                         "The registry URL (default: registry.url of --config)");
  export_cmd->add_option("--config", export_args.target.config,
                         "A schemaguard.yaml for the registry URL and credentials");
  export_cmd->add_option("-o,--output", export_args.output, "The file to write (default: stdout)");

  gate::ImportCommand import_args;
  CLI::App* import_cmd = app.add_subcommand(
      "import",
      "Register everything of an export file into a registry, keeping ids and versions\n"
      "(IMPORT mode). Exit status: 0 done, 2 error.");
  import_cmd->add_option("--registry", import_args.target.registry,
                         "The registry URL (default: registry.url of --config)");
  import_cmd->add_option("--config", import_args.target.config,
                         "A schemaguard.yaml for the registry URL and credentials");
  import_cmd->add_flag("--force", import_args.force,
                       "Import into a registry that already holds subjects");
  import_cmd->add_option("FILE", import_args.file, "The export file")->required();

  gate::PlanCommand plan_args;
  gate::PlanCommand apply_args;
  apply_args.apply = true;
  auto plan_options = [](CLI::App* command, gate::PlanCommand& plan_command) {
    command
        ->add_option("--config", plan_command.target.config, "The configuration (docs/ci-gate.md)")
        ->capture_default_str();
    command->add_option("--registry", plan_command.target.registry,
                        "The registry URL (default: the config's registry.url)");
    command->add_option("--format", plan_command.format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
  };
  CLI::App* plan = app.add_subcommand(
      "plan",
      "What apply would register (new versions, in dependency order) and which levels it would\n"
      "change. Exit status: 0, 1 a registration would be incompatible, 2 error.");
  plan_options(plan, plan_args);
  CLI::App* apply = app.add_subcommand(
      "apply",
      "Register the configured schemas and levels into the registry, references first;\n"
      "idempotent. Exit status: 0 done, 1 incompatible (nothing changed), 2 error.");
  plan_options(apply, apply_args);

  // Listed for --help only: run() dispatches `serve` before parsing.
  app.add_subcommand("serve",
                     "Run the schema registry server (Confluent Schema Registry REST API).\n"
                     "schemaguard serve --help lists its settings.");

  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    // Help for the subcommand that asked for it, else the overview.
    const CLI::App* target = &app;
    for (const CLI::App* command : {compat, validate, check, export_cmd, import_cmd, plan, apply}) {
      if (command->parsed()) target = command;
    }
    out << target->help();
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    out << "schemaguard " << kVersion << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "error: " << e.what() << "\nRun with --help for usage.\n";
    return kExitUsage;
  }

  if (compat->parsed()) return run_compat(compat_args, out, err);
  if (validate->parsed()) return run_validate(validate_args, std::cin, out, err);
  if (check->parsed()) {
    // Colour only for a person at a terminal, and never when NO_COLOR asks for none.
    check_args.colour =
        &out == &std::cout && ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
    check_args.tool_version = std::string(kVersion);
    return gate::run_check_command(check_args, out, err);
  }
  if (init->parsed()) return gate::run_init_command(init_args, out, err);
  if (export_cmd->parsed()) return gate::run_export_command(export_args, out, err);
  if (import_cmd->parsed()) return gate::run_import_command(import_args, out, err);
  for (auto [command, plan_command] :
       {std::pair{plan, &plan_args}, std::pair{apply, &apply_args}}) {
    if (!command->parsed()) continue;
    plan_command->colour =
        &out == &std::cout && ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
    plan_command->tool_version = std::string(kVersion);
    return gate::run_plan_command(*plan_command, out, err);
  }
  return kExitUsage;
}

}  // namespace sg::cli
