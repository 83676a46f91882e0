#include "schemaguard/cli/validate.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "schemaguard/cli/commands.h"

namespace sg::cli {
namespace {

namespace fs = std::filesystem;

// OrderEvent after the outage's change: shipping_method required.
constexpr const char* kOrderSchema = R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "order_id": {"type": "string"},
    "total_cents": {"type": "integer", "minimum": 0},
    "shipping_method": {"$ref": "shipping.json"}
  },
  "required": ["order_id", "shipping_method"]
})";
constexpr const char* kShippingSchema = R"({"enum": ["STANDARD", "EXPRESS"]})";

class ValidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sg-validate-test-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  int validate(ValidateArgs args, const std::string& stdin_text = "") {
    std::istringstream in(stdin_text);
    out_.str("");
    err_.str("");
    return run_validate(args, in, out_, err_);
  }

  ValidateArgs order_args() {
    ValidateArgs args;
    args.schema_file = write("order.json", kOrderSchema);
    args.references = {"shipping.json=" + write("shipping.json", kShippingSchema)};
    return args;
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ValidateTest, ValidDocumentsExitZero) {
  ValidateArgs args = order_args();
  args.documents = {write("a.json", R"({"order_id":"o-1","shipping_method":"EXPRESS"})")};
  EXPECT_EQ(validate(args), kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("a.json: valid"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("1 of 1 document(s) valid"), std::string::npos) << out_.str();
}

TEST_F(ValidateTest, TheOutageEventIsRejectedWithItsReason) {
  // An event written before shipping_method existed: the new schema rejects it.
  ValidateArgs args = order_args();
  args.documents = {write("old-event.json", R"({"order_id":"o-1","total_cents":1200})")};
  EXPECT_EQ(validate(args), kExitIncompatible);
  EXPECT_NE(out_.str().find("old-event.json: invalid: "), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("shipping_method"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("(schema #/required)"), std::string::npos) << out_.str();
}

TEST_F(ValidateTest, JsonLinesFromStdinReportEachLine) {
  ValidateArgs args = order_args();
  args.lines = true;
  args.output = "json";
  const std::string traffic =
      "{\"order_id\":\"1\",\"shipping_method\":\"STANDARD\"}\n"
      "\n"
      "{\"order_id\":\"2\",\"shipping_method\":\"DRONE\"}\n"
      "{\"order_id\": 3\n";
  EXPECT_EQ(validate(args, traffic), kExitIncompatible);
  const auto report = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(report.at("valid"), false);
  EXPECT_EQ(report.at("documents"), 3);
  EXPECT_EQ(report.at("invalid"), 2);
  const auto& results = report.at("results").as_array();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].at("document"), "<stdin>:1");
  EXPECT_EQ(results[0].at("valid"), true);
  EXPECT_EQ(results[1].at("document"), "<stdin>:3");
  EXPECT_EQ(results[1].at("errors").as_array().at(0).at("instance_path"), "/shipping_method");
  EXPECT_EQ(results[2].at("document"), "<stdin>:4");
  EXPECT_NE(std::string(results[2].at("errors").as_array().at(0).at("message").as_string())
                .find("not valid JSON"),
            std::string::npos);
}

TEST_F(ValidateTest, ProtobufDocumentsUseTheJsonMapping) {
  ValidateArgs args;
  args.type = "protobuf";
  args.schema_file = write("order.proto", R"(syntax = "proto3";
package shop;
message Order { string order_id = 1; int64 total_cents = 2; }
message Refund { string order_id = 1; }
)");
  args.documents = {write("ok.json", R"({"orderId":"o-1","totalCents":"12"})"),
                    write("bad.json", R"({"orderId":"o-1","shippingMethod":"X"})")};
  EXPECT_EQ(validate(args), kExitIncompatible);
  EXPECT_NE(out_.str().find("ok.json: valid"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("bad.json: invalid: "), std::string::npos) << out_.str();
  args.message = "shop.Refund";
  args.documents = {write("refund.json", R"({"orderId":"o-1"})")};
  EXPECT_EQ(validate(args), kExitOk) << out_.str() << err_.str();
}

TEST_F(ValidateTest, BadInputExitsTwoWithAReason) {
  ValidateArgs args = order_args();
  args.references.clear();  // shipping.json cannot be resolved
  args.documents = {write("a.json", "{}")};
  EXPECT_EQ(validate(args), kExitUsage);
  EXPECT_NE(err_.str().find("order.json"), std::string::npos) << err_.str();

  args = order_args();
  args.references = {"shipping.json"};
  EXPECT_EQ(validate(args), kExitUsage);
  EXPECT_NE(err_.str().find("expected NAME=FILE"), std::string::npos) << err_.str();

  args = order_args();
  args.documents = {(dir_ / "missing.json").string()};
  EXPECT_EQ(validate(args), kExitUsage);
  EXPECT_NE(err_.str().find("missing.json: cannot open file"), std::string::npos) << err_.str();

  args = order_args();
  args.type = "avro";
  EXPECT_EQ(validate(args), kExitUsage);
  EXPECT_NE(err_.str().find("unknown schema type 'avro'"), std::string::npos) << err_.str();

  args = order_args();
  args.message = "shop.Order";
  EXPECT_EQ(validate(args), kExitUsage);
  EXPECT_NE(err_.str().find("Protobuf schemas only"), std::string::npos) << err_.str();
}

TEST_F(ValidateTest, WiredIntoTheCommandLine) {
  const std::string schema = write("s.json", R"({"type":"integer"})");
  const std::string doc = write("d.json", "1.5");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run({"schemaguard", "validate", schema, doc}, out, err), kExitIncompatible);
  EXPECT_NE(out.str().find("d.json: invalid"), std::string::npos) << out.str() << err.str();
  std::ostringstream help;
  EXPECT_EQ(run({"schemaguard", "validate", "--help"}, help, err), kExitOk);
  EXPECT_NE(help.str().find("--lines"), std::string::npos) << help.str();
}

}  // namespace
}  // namespace sg::cli
