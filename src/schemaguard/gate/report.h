// Rendering a CheckReport (check.h) for people and for CI systems. One Reporter per format,
// all reading the same result model:
//   text    for a terminal or a CI log (colour only when asked for)
//   json    the whole result, for scripts
//   github  GitHub Actions workflow commands (annotations on the changed lines)
//   sarif   SARIF 2.1.0, for code-scanning UIs
//   junit   JUnit XML, one test case per checked subject
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/gate/check.h"

namespace sg::gate {

enum class OutputFormat { kText, kJson, kGithub, kSarif, kJunit };

// "text", "json", "github", "sarif", "junit".
std::optional<OutputFormat> output_format_from_string(std::string_view name);

struct ReportOptions {
  bool colour = false;       // ANSI colours in text output
  std::string tool_version;  // the schemaguard version SARIF names
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void write(const CheckReport& report, std::ostream& out) const = 0;
};

std::unique_ptr<Reporter> make_reporter(OutputFormat format, ReportOptions options = {});

// The findings, warnings and a summary as plain one-line messages ("file:line:col: subject:
// TYPE against v1 (commit 1a2b3c4): message ... Fix: hint"), for a CI log when stdout carries
// a machine format.
std::vector<std::string> plain_messages(const CheckReport& report);

// An incompatibility's counterexample as a JSON value for machine-readable output: the
// document itself, or null when there is none.
boost::json::value counterexample_json(const Incompatibility& problem);

// GitHub's escaping for a workflow command's message (% CR LF) and for a property value
// (those and also ':' and ',').
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

}  // namespace sg::gate
