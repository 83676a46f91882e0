#include "schemaguard/gate/init.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "schemaguard/gate/config.h"
#include "schemaguard/gate/testing.h"

namespace sg::gate {
namespace {

int run_init(const InitCommand& command, std::string* out_text = nullptr,
             std::string* err_text = nullptr) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_init_command(command, out, err);
  if (out_text) *out_text = out.str();
  if (err_text) *err_text = err.str();
  return status;
}

TEST(InitTest, WritesAConfigThatCheckLoadsWithEverySchemaFile) {
  testing::TempRepo repo;
  repo.write("schemas/order-event.avsc", R"({"type": "record", "name": "O", "fields": []})");
  repo.write("schemas/order.proto", "syntax = \"proto3\";\nmessage O {}\n");
  repo.write("schemas/customer.json", R"({"$schema": "http://json-schema.org/draft-07/schema#"})");
  repo.write("other/order-event.avsc", R"({"type": "record", "name": "P", "fields": []})");
  repo.write("package.json", R"({"name": "not-a-schema", "version": "1.0.0"})");
  repo.write("node_modules/x/schema.avsc", R"("string")");
  repo.write("data/rows.json", R"([1, 2, 3])");

  InitCommand command;
  command.directory = repo.root().string();
  std::string out;
  ASSERT_EQ(run_init(command, &out), 0) << out;
  EXPECT_NE(out.find("4 schema file(s)"), std::string::npos) << out;

  auto config = load_config(repo.root() / "schemaguard.yaml");
  ASSERT_TRUE(config.ok()) << config.error().message();
  ASSERT_EQ(config->schemas.size(), 4u);
  std::ifstream file(repo.path("schemaguard.yaml"));
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("subject: \"customer-value\""), std::string::npos) << text;
  EXPECT_NE(text.find("subject: \"order-event-value\""), std::string::npos) << text;
  EXPECT_NE(text.find("subject: \"order-event-2-value\""), std::string::npos) << text;
  EXPECT_NE(text.find("type: protobuf"), std::string::npos) << text;
  EXPECT_EQ(text.find("node_modules"), std::string::npos) << text;
  EXPECT_EQ(text.find("package.json"), std::string::npos) << text;
  EXPECT_NE(text.find("# registry:"), std::string::npos) << "commented starter sections";
}

TEST(InitTest, RefusesToOverwriteOrToWriteNothing) {
  testing::TempRepo repo;
  std::string err;
  InitCommand command;
  command.directory = repo.root().string();
  EXPECT_EQ(run_init(command, nullptr, &err), 2);
  EXPECT_NE(err.find("no schema files"), std::string::npos) << err;

  repo.write("a.avsc", R"("string")");
  repo.write("schemaguard.yaml", "# mine\n");
  EXPECT_EQ(run_init(command, nullptr, &err), 2);
  EXPECT_NE(err.find("--force"), std::string::npos) << err;
  command.force = true;
  EXPECT_EQ(run_init(command), 0);

  command.directory = repo.path("missing");
  EXPECT_EQ(run_init(command, nullptr, &err), 2);
  EXPECT_NE(err.find("not a directory"), std::string::npos) << err;
}

}  // namespace
}  // namespace sg::gate
