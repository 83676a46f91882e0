#include "schemaguard/gate/report.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <map>

namespace sg::gate {
namespace {

std::string_view direction_name(const Incompatibility& problem) {
  if (!problem.direction) return "";
  return *problem.direction == Direction::kBackward ? "backward" : "forward";
}

std::string location(const SubjectResult& subject, const Finding& finding) {
  if (finding.position.line == 0) return subject.file;
  return fmt::format("{}:{}:{}", subject.file, finding.position.line, finding.position.column);
}

// "this event is accepted by v1 and rejected by this change: {...}", the direction's way round.
std::string counterexample_sentence(const Finding& finding) {
  const bool backward =
      finding.problem.direction.value_or(Direction::kBackward) == Direction::kBackward;
  return backward ? fmt::format("an event v{} accepts and this change rejects: {}",
                                finding.old_version, finding.problem.counterexample)
                  : fmt::format("an event this change accepts and v{} rejects: {}",
                                finding.old_version, finding.problem.counterexample);
}

// "message Consumers ... Fix: hint": the parts a person needs, in reading order.
std::string explanation(const Finding& finding, std::string_view separator) {
  std::string text = finding.problem.message;
  text += separator;
  text += fmt::format("Breaks: {}.", finding.consequence);
  if (!finding.problem.hint.empty()) {
    text += separator;
    text += fmt::format("Fix: {}", finding.problem.hint);
  }
  if (!finding.problem.counterexample.empty()) {
    text += separator;
    text += fmt::format("Example: {}", counterexample_sentence(finding));
  }
  return text;
}

std::string summary(const CheckReport& report) {
  return fmt::format("{} incompatible, {} compatible, {} new, {} unchanged (baseline: {})",
                     report.count(SubjectStatus::kIncompatible),
                     report.count(SubjectStatus::kCompatible), report.count(SubjectStatus::kNew),
                     report.count(SubjectStatus::kUnchanged), report.baseline);
}

// The old versions the level compared with: "v3", "v1..v3", "v1, v3", or "no version" (NONE).
std::string checked_versions(const SubjectResult& subject) {
  const std::vector<int>& versions = subject.checked_versions;
  if (versions.empty()) return "no version";
  bool contiguous = true;
  for (std::size_t i = 1; i < versions.size(); ++i) {
    contiguous = contiguous && versions[i] == versions[i - 1] + 1;
  }
  if (versions.size() == 1) return fmt::format("v{}", versions[0]);
  if (contiguous) return fmt::format("v{}..v{}", versions.front(), versions.back());
  std::string list;
  for (int version : versions) list += fmt::format("{}v{}", list.empty() ? "" : ", ", version);
  return list;
}

// --- text ------------------------------------------------------------------------------------

class TextReporter : public Reporter {
 public:
  explicit TextReporter(ReportOptions options) : options_(std::move(options)) {}

  void write(const CheckReport& report, std::ostream& out) const override {
    out << fmt::format("schemaguard check against {}\n", report.baseline);
    for (const std::string& warning : report.warnings) {
      out << paint("33", "warning: ") << warning << "\n";
    }
    for (const SubjectResult& subject : report.subjects) {
      const std::string level = subject.level ? std::string(to_string(*subject.level)) : "";
      switch (subject.status) {
        case SubjectStatus::kUnchanged: continue;
        case SubjectStatus::kNew:
          out << fmt::format("{} {} ({}): new subject, nothing to check against\n",
                             paint("36", "NEW "), paint("1", subject.subject), subject.file);
          continue;
        case SubjectStatus::kCompatible:
          out << fmt::format("{} {} ({}): {} with {} under {}{}\n", paint("32", "OK  "),
                             paint("1", subject.subject), subject.file, "compatible",
                             checked_versions(subject), level, reason(subject));
          continue;
        case SubjectStatus::kIncompatible: break;
      }
      out << fmt::format("{} {} ({}): {} problem(s) under {}{}\n", paint("31", "FAIL"),
                         paint("1", subject.subject), subject.file, subject.findings.size(), level,
                         reason(subject));
      for (const Finding& finding : subject.findings) {
        out << fmt::format("  {}: {} {} against v{} ({})\n", location(subject, finding),
                           paint("31", "error:"), finding.problem.type, finding.old_version,
                           finding.old_origin);
        out << "    " << finding.problem.message << "\n";
        out << fmt::format("    {} {}\n", paint("1", "Breaks:"), finding.consequence);
        if (!finding.problem.hint.empty()) {
          out << fmt::format("    {} {}\n", paint("32", "Fix:"), finding.problem.hint);
        }
        if (!finding.problem.counterexample.empty()) {
          out << fmt::format("    {} {}\n", paint("1", "Example:"),
                             counterexample_sentence(finding));
        }
      }
    }
    const std::string line = summary(report);
    out << (report.compatible() ? paint("32", line) : paint("31", line)) << "\n";
  }

 private:
  std::string paint(std::string_view code, std::string_view text) const {
    if (!options_.colour) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
  static std::string reason(const SubjectResult& subject) {
    return subject.reason == "changed" || subject.reason.empty()
               ? ""
               : fmt::format(" ({})", subject.reason);
  }
  ReportOptions options_;
};

// --- json ------------------------------------------------------------------------------------

class JsonReporter : public Reporter {
 public:
  void write(const CheckReport& report, std::ostream& out) const override {
    boost::json::array subjects;
    for (const SubjectResult& subject : report.subjects) {
      boost::json::array findings;
      for (const Finding& finding : subject.findings) {
        findings.emplace_back(boost::json::object{
            {"type", finding.problem.type},
            {"message", finding.problem.message},
            {"hint", finding.problem.hint},
            {"counterexample", counterexample_json(finding.problem)},
            {"direction", direction_name(finding.problem)},
            {"version", finding.old_version},
            {"origin", finding.old_origin},
            {"consequence", finding.consequence},
            {"file", subject.file},
            {"line", finding.position.line},
            {"column", finding.position.column},
            {"reader_path", finding.problem.reader_path},
            {"writer_path", finding.problem.writer_path},
        });
      }
      boost::json::array checked;
      for (int version : subject.checked_versions) checked.emplace_back(version);
      boost::json::object entry{
          {"subject", subject.subject},
          {"file", subject.file},
          {"type", to_string(subject.type)},
          {"status", to_string(subject.status)},
          {"reason", subject.reason},
          {"baseline_versions", subject.baseline_versions},
          {"new_version", subject.new_version},
          {"checked_versions", std::move(checked)},
          {"incompatibilities", std::move(findings)},
      };
      if (subject.level) {
        entry["level"] = to_string(*subject.level);
      } else {
        entry["level"] = nullptr;
      }
      subjects.emplace_back(std::move(entry));
    }
    boost::json::array warnings;
    for (const std::string& warning : report.warnings) warnings.emplace_back(warning);
    boost::json::object doc{
        {"baseline", report.baseline},
        {"compatible", report.compatible()},
        {"exit_status", report.exit_status()},
        {"summary",
         boost::json::object{{"incompatible", report.count(SubjectStatus::kIncompatible)},
                             {"compatible", report.count(SubjectStatus::kCompatible)},
                             {"new", report.count(SubjectStatus::kNew)},
                             {"unchanged", report.count(SubjectStatus::kUnchanged)}}},
        {"warnings", std::move(warnings)},
        {"subjects", std::move(subjects)},
    };
    out << boost::json::serialize(doc) << "\n";
  }
};

// --- github ----------------------------------------------------------------------------------

class GithubReporter : public Reporter {
 public:
  void write(const CheckReport& report, std::ostream& out) const override {
    for (const std::string& warning : report.warnings) {
      out << "::warning title=schemaguard::" << github_escape_data(warning) << "\n";
    }
    for (const SubjectResult& subject : report.subjects) {
      for (const Finding& finding : subject.findings) {
        // GitHub needs a line to annotate; the top of the file when the node cannot be placed.
        const int line = finding.position.line > 0 ? finding.position.line : 1;
        const int column = finding.position.line > 0 ? finding.position.column : 1;
        const std::string title = fmt::format("{}: {} breaks v{}", subject.subject,
                                              finding.problem.type, finding.old_version);
        out << fmt::format("::error file={},line={},col={},title={}::{}\n",
                           github_escape_property(subject.file), line, column,
                           github_escape_property(title),
                           github_escape_data(explanation(finding, "\n")));
      }
    }
    out << "schemaguard check: " << summary(report) << "\n";
  }
};

// --- sarif -----------------------------------------------------------------------------------

// What each kind of problem means, for the rule list code-scanning UIs show.
std::string rule_description(std::string_view type) {
  static const std::map<std::string_view, std::string_view> kDescriptions = {
      {"READER_FIELD_MISSING_DEFAULT_VALUE",
       "A field the reader expects is missing from the writer's data and has no default"},
      {"TYPE_MISMATCH", "A value's type changed in a way the reader cannot resolve"},
      {"NAME_MISMATCH", "A named type's name changed without an alias for the old name"},
      {"FIXED_SIZE_MISMATCH", "A fixed type's size changed"},
      {"MISSING_ENUM_SYMBOLS", "The writer can write enum symbols the reader does not know"},
      {"MISSING_UNION_BRANCH", "The writer can write a union branch the reader cannot read"},
      {"DIFFERENT_SCHEMA_TYPE", "The schema type of a subject changed"},
  };
  if (const auto it = kDescriptions.find(type); it != kDescriptions.end()) {
    return std::string(it->second);
  }
  return fmt::format("Schema incompatibility {}", type);
}

// "READER_FIELD_MISSING_DEFAULT_VALUE" -> "ReaderFieldMissingDefaultValue", SARIF's rule name.
std::string rule_name(std::string_view type) {
  std::string name;
  bool upper = true;
  for (char c : type) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name += upper ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    upper = false;
  }
  return name;
}

class SarifReporter : public Reporter {
 public:
  explicit SarifReporter(ReportOptions options) : options_(std::move(options)) {}

  void write(const CheckReport& report, std::ostream& out) const override {
    boost::json::array rules;
    std::map<std::string, std::size_t> rule_index;
    boost::json::array results;
    for (const SubjectResult& subject : report.subjects) {
      for (const Finding& finding : subject.findings) {
        const std::string& type = finding.problem.type;
        auto [it, inserted] = rule_index.emplace(type, rules.size());
        if (inserted) {
          rules.emplace_back(boost::json::object{
              {"id", type},
              {"name", rule_name(type)},
              {"shortDescription", boost::json::object{{"text", rule_description(type)}}},
              {"defaultConfiguration", boost::json::object{{"level", "error"}}},
          });
        }
        boost::json::object region{
            {"startLine", finding.position.line > 0 ? finding.position.line : 1},
            {"startColumn", finding.position.line > 0 ? finding.position.column : 1}};
        // %SRCROOT% is left for the consumer to bind: uris are relative to the repository root.
        boost::json::object physical{
            {"artifactLocation",
             boost::json::object{{"uri", subject.file}, {"uriBaseId", "%SRCROOT%"}}},
            {"region", std::move(region)}};
        results.emplace_back(boost::json::object{
            {"ruleId", type},
            {"ruleIndex", it->second},
            {"level", "error"},
            {"message",
             boost::json::object{
                 {"text", fmt::format("{} v{} against v{} ({}): {}", subject.subject,
                                      subject.new_version, finding.old_version, finding.old_origin,
                                      explanation(finding, " "))}}},
            {"locations",
             boost::json::array{boost::json::object{{"physicalLocation", std::move(physical)}}}},
            {"properties", boost::json::object{{"subject", subject.subject},
                                               {"direction", direction_name(finding.problem)},
                                               {"version", finding.old_version}}},
        });
      }
    }
    boost::json::object driver{
        {"name", "schemaguard"},
        {"version", options_.tool_version},
        {"informationUri", "https://github.com/schemaguard/schemaguard"},
        {"rules", std::move(rules)},
    };
    boost::json::object run{
        {"tool", boost::json::object{{"driver", std::move(driver)}}},
        {"results", std::move(results)},
    };
    boost::json::object doc{
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", boost::json::array{std::move(run)}},
    };
    out << boost::json::serialize(doc) << "\n";
  }

 private:
  ReportOptions options_;
};

// --- junit -----------------------------------------------------------------------------------

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 has no place for other control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

class JunitReporter : public Reporter {
 public:
  void write(const CheckReport& report, std::ostream& out) const override {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::string cases;
    for (const SubjectResult& subject : report.subjects) {
      if (subject.status == SubjectStatus::kUnchanged) continue;
      ++tests;
      cases += fmt::format("    <testcase classname=\"schemaguard.check\" name=\"{}\" file=\"{}\"",
                           xml_escape(subject.subject), xml_escape(subject.file));
      if (subject.findings.empty()) {
        cases += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                             xml_escape(subject.status == SubjectStatus::kNew
                                            ? "new subject, nothing to check against"
                                            : "compatible with " + checked_versions(subject)));
        continue;
      }
      ++failures;
      std::string body;
      for (const Finding& finding : subject.findings) {
        body += fmt::format("{}: {} against v{} ({}): {}\n", location(subject, finding),
                            finding.problem.type, finding.old_version, finding.old_origin,
                            explanation(finding, " "));
      }
      cases += fmt::format(
          ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
          xml_escape(fmt::format("{} problem(s) under {}: {}", subject.findings.size(),
                                 subject.level ? to_string(*subject.level) : "",
                                 subject.findings.front().problem.message)),
          xml_escape(subject.findings.front().problem.type), xml_escape(body));
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format("<testsuites tests=\"{}\" failures=\"{}\" errors=\"0\">\n", tests, failures);
    out << fmt::format(
        "  <testsuite name=\"schemaguard check\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
        "skipped=\"0\">\n",
        tests, failures);
    out << fmt::format(
        "    <properties>\n      <property name=\"baseline\" value=\"{}\"/>\n"
        "    </properties>\n",
        xml_escape(report.baseline));
    out << cases;
    out << "  </testsuite>\n</testsuites>\n";
  }
};

std::string github_escape(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string github_escape_data(std::string_view text) {
  return github_escape(text, false);
}

std::string github_escape_property(std::string_view text) {
  return github_escape(text, true);
}

std::optional<OutputFormat> output_format_from_string(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "github") return OutputFormat::kGithub;
  if (name == "sarif") return OutputFormat::kSarif;
  if (name == "junit") return OutputFormat::kJunit;
  return std::nullopt;
}

std::unique_ptr<Reporter> make_reporter(OutputFormat format, ReportOptions options) {
  switch (format) {
    case OutputFormat::kText: return std::make_unique<TextReporter>(std::move(options));
    case OutputFormat::kJson: return std::make_unique<JsonReporter>();
    case OutputFormat::kGithub: return std::make_unique<GithubReporter>();
    case OutputFormat::kSarif: return std::make_unique<SarifReporter>(std::move(options));
    case OutputFormat::kJunit: return std::make_unique<JunitReporter>();
  }
  return std::make_unique<TextReporter>(std::move(options));
}

std::vector<std::string> plain_messages(const CheckReport& report) {
  std::vector<std::string> lines;
  for (const std::string& warning : report.warnings) lines.push_back("warning: " + warning);
  for (const SubjectResult& subject : report.subjects) {
    for (const Finding& finding : subject.findings) {
      lines.push_back(fmt::format("{}: {}: {} against v{} ({}): {}", location(subject, finding),
                                  subject.subject, finding.problem.type, finding.old_version,
                                  finding.old_origin, explanation(finding, " ")));
    }
  }
  lines.push_back(summary(report));
  return lines;
}

boost::json::value counterexample_json(const Incompatibility& problem) {
  if (problem.counterexample.empty()) return nullptr;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(problem.counterexample, ec);
  return ec ? boost::json::value(problem.counterexample) : value;
}

}  // namespace sg::gate
