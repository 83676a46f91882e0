#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "schemaguard/base/file.h"
#include "schemaguard/cli/commands.h"
#include "schemaguard/client/testing.h"
#include "schemaguard/gate/testing.h"

namespace sg::cli {
namespace {

namespace fs = std::filesystem;
using gate::testing::kOrderOptional;
using gate::testing::kOrderRequired;
using gate::testing::kOrderV1;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sg-cli-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  int run_cli(std::vector<std::string> args) {
    args.insert(args.begin(), "schemaguard");
    out_.str("");
    err_.str("");
    return run(args, out_, err_);
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, OutageChangeFailsWithExitOneAndNamesTheField) {
  const auto old_file = write("v1.avsc", kOrderV1);
  const auto new_file = write("v2.avsc", kOrderRequired);
  EXPECT_EQ(run_cli({"compat", "--type", "avro", "--level", "BACKWARD", new_file, old_file}),
            kExitIncompatible);
  EXPECT_NE(out_.str().find("READER_FIELD_MISSING_DEFAULT_VALUE"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("shipping_method"), std::string::npos);
  EXPECT_NE(out_.str().find("incompatible"), std::string::npos);
}

TEST_F(CliTest, SafeChangePassesWithExitZero) {
  const auto old_file = write("v1.avsc", kOrderV1);
  const auto new_file = write("v2.avsc", kOrderOptional);
  EXPECT_EQ(run_cli({"compat", "--level", "FULL_TRANSITIVE", new_file, old_file}), kExitOk)
      << err_.str();
  EXPECT_NE(out_.str().find("compatible"), std::string::npos);
}

TEST_F(CliTest, JsonOutputHasTheDocumentedShape) {
  const auto v1 = write("v1.avsc", kOrderV1);
  const auto v2 = write("v2.avsc", kOrderOptional);
  const auto v3 = write("v3.avsc", kOrderRequired);
  // v3 reads v2 (shipping_method present) but not v1: only the transitive level sees it.
  EXPECT_EQ(run_cli({"compat", "--level", "BACKWARD", "--output", "json", v3, v1, v2}), kExitOk);
  ASSERT_EQ(run_cli({"compat", "--level", "BACKWARD_TRANSITIVE", "--output", "json", v3, v1, v2}),
            kExitIncompatible);
  const auto doc = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(doc.at("compatible").as_bool(), false);
  ASSERT_EQ(doc.at("messages").as_array().size(), 1u);
  const auto& problems = doc.at("incompatibilities").as_array();
  ASSERT_EQ(problems.size(), 1u);
  const auto& problem = problems[0].as_object();
  EXPECT_EQ(problem.at("type").as_string(), "READER_FIELD_MISSING_DEFAULT_VALUE");
  EXPECT_EQ(problem.at("reader_path").as_string(), "/fields/2");
  EXPECT_EQ(problem.at("version").as_int64(), 1);
  EXPECT_FALSE(problem.at("hint").as_string().empty());
  EXPECT_FALSE(problem.at("message").as_string().empty());
  EXPECT_TRUE(problem.contains("writer_path"));
}

TEST_F(CliTest, UsageAndParseErrorsExitTwoWithAReason) {
  const auto good = write("good.avsc", kOrderV1);
  const auto bad = write("bad.avsc", R"({"type": "record", "name": "R", "fields": [)");
  EXPECT_EQ(run_cli({"compat", good, bad}), kExitUsage);
  EXPECT_NE(err_.str().find("bad.avsc"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("line 1"), std::string::npos) << err_.str();

  EXPECT_EQ(run_cli({"compat", good, (dir_ / "missing.avsc").string()}), kExitUsage);
  EXPECT_NE(err_.str().find("cannot open"), std::string::npos);

  EXPECT_EQ(run_cli({"compat", "--level", "SIDEWAYS", good, good}), kExitUsage);
  EXPECT_NE(err_.str().find("SIDEWAYS"), std::string::npos);

  EXPECT_EQ(run_cli({"compat", "--type", "xml", good, good}), kExitUsage);
  EXPECT_EQ(run_cli({"compat", "--type", "protobuf", good, good}), kExitUsage);
  EXPECT_NE(err_.str().find("line 1, column 1"), std::string::npos) << err_.str();

  EXPECT_EQ(run_cli({"compat", good}), kExitUsage) << "OLD_FILE is required";
  EXPECT_EQ(run_cli({"compat", "--output", "yaml", good, good}), kExitUsage);
  EXPECT_EQ(run_cli({}), kExitUsage);
  EXPECT_EQ(run_cli({"frobnicate"}), kExitUsage);
}

TEST_F(CliTest, HelpOnEveryCommand) {
  EXPECT_EQ(run_cli({"--help"}), kExitOk);
  EXPECT_NE(out_.str().find("compat"), std::string::npos);
  EXPECT_EQ(run_cli({"compat", "--help"}), kExitOk);
  EXPECT_NE(out_.str().find("--level"), std::string::npos);
  EXPECT_NE(out_.str().find("oldest first"), std::string::npos);
  EXPECT_EQ(run_cli({"check", "--help"}), kExitOk);
  EXPECT_NE(out_.str().find("--against"), std::string::npos);
}

// The gate itself is tested in gate/; this is the wiring: options reach it, exit statuses
// come back.
TEST_F(CliTest, CheckRunsTheGate) {
  gate::testing::TempRepo repo;
  repo.write("schemaguard.yaml", "schemas:\n  - file: order.avsc\n    subject: orders-value\n");
  repo.write("order.avsc", kOrderV1);
  repo.commit("v1");
  repo.write("order.avsc", kOrderRequired);
  const std::string config = repo.path("schemaguard.yaml");
  EXPECT_EQ(run_cli({"check", "--config", config, "--against", "git:main"}), kExitIncompatible);
  EXPECT_NE(out_.str().find("shipping_method"), std::string::npos) << out_.str();
  EXPECT_EQ(run_cli({"check", "--config", config, "--format", "sarif"}), kExitIncompatible);
  EXPECT_NE(out_.str().find("\"2.1.0\""), std::string::npos) << out_.str();
  EXPECT_NE(err_.str().find("shipping_method"), std::string::npos) << "plain lines on stderr";
  repo.write("order.avsc", kOrderOptional);
  EXPECT_EQ(run_cli({"check", "--config", config}), kExitOk) << err_.str();

  EXPECT_EQ(run_cli({"check", "--config", (dir_ / "none.yaml").string()}), kExitUsage);
  EXPECT_NE(err_.str().find("configuration file not found"), std::string::npos);
  EXPECT_EQ(run_cli({"check", "--config", config, "--format", "xml"}), kExitUsage);
}

// The registry commands' wiring, against a live in-process registry: apply, check --against
// URL, plan, export, import; the commands themselves are tested in gate/registry_test.cc.
TEST_F(CliTest, RegistryCommands) {
  client::testing::LiveRegistry source;
  client::testing::LiveRegistry target;
  const std::string config =
      write("schemaguard.yaml", "schemas:\n  - file: order.avsc\n    subject: orders-value\n");
  write("order.avsc", kOrderV1);
  EXPECT_EQ(run_cli({"apply", "--config", config, "--registry", source.url()}), kExitOk)
      << err_.str();
  EXPECT_NE(out_.str().find("registered orders-value v1"), std::string::npos) << out_.str();

  write("order.avsc", kOrderRequired);
  EXPECT_EQ(run_cli({"check", "--config", config, "--against", source.url()}), kExitIncompatible)
      << err_.str();
  EXPECT_NE(out_.str().find("shipping_method"), std::string::npos) << out_.str();
  EXPECT_EQ(run_cli({"plan", "--config", config, "--registry", source.url()}), kExitIncompatible);
  write("order.avsc", kOrderOptional);
  EXPECT_EQ(run_cli({"plan", "--config", config, "--registry", source.url(), "--format", "json"}),
            kExitOk)
      << err_.str();
  EXPECT_EQ(boost::json::parse(out_.str()).at("registrations").as_int64(), 1) << out_.str();
  EXPECT_EQ(run_cli({"apply", "--config", config, "--registry", source.url()}), kExitOk);

  const std::string file = (dir_ / "export.json").string();
  EXPECT_EQ(run_cli({"export", "--registry", source.url(), "-o", file}), kExitOk) << err_.str();
  EXPECT_EQ(run_cli({"import", "--registry", target.url(), file}), kExitOk) << err_.str();
  EXPECT_EQ(run_cli({"export", "--registry", target.url()}), kExitOk) << err_.str();
  auto exported = read_file(file);
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(out_.str(), *exported);

  EXPECT_EQ(run_cli({"import", "--registry", target.url(), file}), kExitUsage);
  EXPECT_EQ(run_cli({"import", "--registry", target.url()}), kExitUsage) << "FILE is required";
  EXPECT_EQ(run_cli({"export", "--registry", "http://127.0.0.1:1"}), kExitUsage);
  EXPECT_NE(err_.str().find("cannot connect to the registry"), std::string::npos) << err_.str();
  EXPECT_EQ(run_cli({"apply", "--help"}), kExitOk);
  EXPECT_NE(out_.str().find("--registry"), std::string::npos);
}

}  // namespace
}  // namespace sg::cli
