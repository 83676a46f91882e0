// The settings of `schemaguard serve`: parsing, validation and precedence, without a server.
// tests/server/ starts the real binary.
#include "schemaguard/cli/serve.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "schemaguard/cli/commands.h"

namespace sg::cli {
namespace {

using ::testing::HasSubstr;

Environment env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ServeSettingsTest, NamesDeriveFromTheKey) {
  EXPECT_EQ(setting_flag("data.dir"), "--data-dir");
  EXPECT_EQ(setting_env("data.dir"), "SCHEMAGUARD_DATA_DIR");
  EXPECT_EQ(setting_env("schema.compatibility.level"), "SCHEMAGUARD_SCHEMA_COMPATIBILITY_LEVEL");
}

TEST(ServeSettingsTest, Defaults) {
  auto settings = resolve_settings(SettingSources{});
  ASSERT_TRUE(settings.ok()) << settings.error().message();
  EXPECT_EQ(settings->host, "0.0.0.0");
  EXPECT_EQ(settings->port, 8081);
  EXPECT_EQ(settings->data_dir, "./data");
  EXPECT_EQ(settings->io_threads, 0u);
  EXPECT_EQ(settings->max_body_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(settings->max_header_bytes, 32u * 1024);
  EXPECT_EQ(settings->max_connections, 10'000u);
  EXPECT_EQ(settings->header_timeout, std::chrono::milliseconds(10'000));
  EXPECT_EQ(settings->idle_timeout, std::chrono::milliseconds(60'000));
  EXPECT_EQ(settings->shutdown_timeout, std::chrono::milliseconds(10'000));
  // rest-api.md §5.11.
  EXPECT_EQ(settings->compatibility_level, CompatibilityLevel::kBackward);
  EXPECT_TRUE(settings->mode_mutability);
  EXPECT_TRUE(settings->validate_new_schemas);
  EXPECT_EQ(settings->group_id, "schema-registry");
  EXPECT_EQ(settings->log_level, "info");
}

TEST(ServeSettingsTest, FlagBeatsEnvironmentBeatsConfigBeatsDefault) {
  SettingSources sources;
  sources.config = {{"listen", "127.0.0.1:1"},
                    {"io.threads", "3"},
                    {"data.dir", "/from/config"},
                    {"log.level", "debug"}};
  sources.config_file = "test.properties";
  sources.env = env_of({{"SCHEMAGUARD_LISTEN", "127.0.0.1:2"}, {"SCHEMAGUARD_IO_THREADS", "5"}});
  sources.flags = {{"listen", "127.0.0.1:3"}};
  auto settings = resolve_settings(sources);
  ASSERT_TRUE(settings.ok()) << settings.error().message();
  EXPECT_EQ(settings->port, 3);                   // flag
  EXPECT_EQ(settings->io_threads, 5u);            // environment
  EXPECT_EQ(settings->data_dir, "/from/config");  // config file
  EXPECT_EQ(settings->log_level, "debug");        // config file
  EXPECT_EQ(settings->blocking_threads, 64u);     // default
}

TEST(ServeSettingsTest, EmptyEnvironmentVariableCountsAsUnset) {
  SettingSources sources;
  sources.config = {{"listen", "127.0.0.1:1"}};
  sources.env = env_of({{"SCHEMAGUARD_LISTEN", ""}});
  auto settings = resolve_settings(sources);
  ASSERT_TRUE(settings.ok()) << settings.error().message();
  EXPECT_EQ(settings->port, 1);
}

TEST(ServeSettingsTest, ParsesEveryKind) {
  SettingSources sources;
  sources.flags = {{"listen", "[::1]:0"},
                   {"schema.compatibility.level", "full_transitive"},
                   {"mode.mutability", "FALSE"},
                   {"schema.validate.new.schemas", "false"},
                   {"shutdown.timeout.ms", "0"},
                   {"log.level", "WARNING"},
                   {"schema.registry.group.id", "cluster-a"}};
  auto settings = resolve_settings(sources);
  ASSERT_TRUE(settings.ok()) << settings.error().message();
  EXPECT_EQ(settings->host, "::1");
  EXPECT_EQ(settings->port, 0);
  EXPECT_EQ(settings->compatibility_level, CompatibilityLevel::kFullTransitive);
  EXPECT_FALSE(settings->mode_mutability);
  EXPECT_FALSE(settings->validate_new_schemas);
  EXPECT_EQ(settings->shutdown_timeout, std::chrono::milliseconds(0));
  EXPECT_EQ(settings->log_level, "warn");
  EXPECT_EQ(settings->group_id, "cluster-a");
}

TEST(ServeSettingsTest, BadValuesNameTheSettingTheValueAndTheirOrigin) {
  struct Case {
    std::string key, value, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"listen", "8081", "expected HOST:PORT"},
           {"listen", "localhost:65536", "port from 0"},
           {"listen", ":8081", "with a host"},
           {"io.threads", "-1", "expected an integer from 0 to 1024"},
           {"io.threads", "2x", "expected an integer"},
           {"blocking.threads", "0", "from 1 to"},
           {"header.timeout.ms", "0", "from 1 to"},
           {"schema.compatibility.level", "sideways", "expected none, backward"},
           {"mode.mutability", "yes", "expected true or false"},
           {"log.level", "loud", "expected trace"},
           {"data.dir", "", "expected a directory"},
       }) {
    SettingSources sources;
    sources.flags = {{c.key, c.value}};
    auto settings = resolve_settings(sources);
    ASSERT_FALSE(settings.ok()) << c.key << "=" << c.value;
    EXPECT_EQ(settings.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(settings.error().message(), HasSubstr(c.key));
    EXPECT_THAT(settings.error().message(), HasSubstr("'" + c.value + "'"));
    EXPECT_THAT(settings.error().message(), HasSubstr(setting_flag(c.key)));
    EXPECT_THAT(settings.error().message(), HasSubstr(c.expected));
  }

  SettingSources from_env;
  from_env.env = env_of({{"SCHEMAGUARD_MAX_CONNECTIONS", "lots"}});
  auto settings = resolve_settings(from_env);
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.error().message(), HasSubstr("SCHEMAGUARD_MAX_CONNECTIONS"));
}

TEST(ServeConfigTest, ParsesJavaProperties) {
  auto config = parse_config(
      "# a comment\n"
      "! another\n"
      "\n"
      "   listen = 127.0.0.1:9000  \r\n"
      "data.dir:/var/lib/sg\n"
      "log.level warn\n"
      "schema.registry.group.id = a\\\n"
      "    b\n"
      "io.threads=1\n"
      "io.threads=2\n",
      "x.properties");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->at("listen"), "127.0.0.1:9000");
  EXPECT_EQ(config->at("data.dir"), "/var/lib/sg");
  EXPECT_EQ(config->at("log.level"), "warn");
  EXPECT_EQ(config->at("schema.registry.group.id"), "ab");
  EXPECT_EQ(config->at("io.threads"), "2");  // the last one wins, as in java.util.Properties
  EXPECT_EQ(config->size(), 5u);
}

TEST(ServeConfigTest, UnknownKeyIsAnErrorNamingItAndItsLine) {
  auto config =
      parse_config("listen=127.0.0.1:1\n\nlisteners=http://0.0.0.0:8081\n", "x.properties");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(config.error().message(), HasSubstr("x.properties:3"));
  EXPECT_THAT(config.error().message(), HasSubstr("'listeners'"));
}

TEST(ServeCommandTest, HelpListsEverySettingWithItsDefaultAndEnvironmentVariable) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run({"schemaguard", "serve", "--help"}, out, err), kExitOk);
  for (const SettingInfo& info : serve_settings()) {
    EXPECT_THAT(out.str(), HasSubstr(setting_flag(info.key) + " "));
    EXPECT_THAT(out.str(), HasSubstr(setting_env(info.key)));
    EXPECT_THAT(out.str(), HasSubstr(std::string("default ") + std::string(info.default_value)));
    EXPECT_THAT(out.str(), HasSubstr(std::string("config ") + std::string(info.key)));
  }
  EXPECT_THAT(out.str(), HasSubstr("--port-file"));
  EXPECT_THAT(out.str(), HasSubstr("--config"));
}

TEST(ServeCommandTest, TopLevelHelpMentionsServe) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run({"schemaguard", "--help"}, out, err), kExitOk);
  EXPECT_THAT(out.str(), HasSubstr("serve"));
}

TEST(ServeCommandTest, UsageErrorsExitWithTwo) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run({"schemaguard", "serve", "--no-such-flag"}, out, err), kExitUsage);
  EXPECT_THAT(err.str(), HasSubstr("--no-such-flag"));

  err.str("");
  EXPECT_EQ(run_serve({"--listen", "nonsense"}, out, err, env_of({})), kExitUsage);
  EXPECT_THAT(err.str(), HasSubstr("invalid listen 'nonsense' (from --listen)"));

  err.str("");
  EXPECT_EQ(run_serve({"--config", "/nonexistent/sg.properties"}, out, err, env_of({})),
            kExitUsage);
  EXPECT_THAT(err.str(), HasSubstr("cannot read config file /nonexistent/sg.properties"));

  // A directory opens like a file and reads as empty: it must not pass for an empty config.
  const std::string directory = std::filesystem::temp_directory_path().string();
  err.str("");
  EXPECT_EQ(run_serve({"--config", directory}, out, err, env_of({})), kExitUsage);
  EXPECT_THAT(err.str(), HasSubstr("cannot read config file " + directory));
}

}  // namespace
}  // namespace sg::cli
