// Test helper: a throwaway git repository in a temporary directory, driven through the same
// subprocess runner the gate uses.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "schemaguard/gate/process.h"

namespace sg::gate::testing {

// The outage as Avro: OrderEvent v1, then shipping_method made required (no default, which
// breaks every consumer) or optional (with a default, which is safe). In the files, the new
// field is at line 8, column 5.
inline constexpr const char* kOrderV1 = R"({
  "type": "record",
  "name": "OrderEvent",
  "namespace": "com.shop.orders",
  "fields": [
    {"name": "order_id", "type": "string"},
    {"name": "total_cents", "type": "long"}
  ]
}
)";
inline constexpr const char* kOrderRequired = R"({
  "type": "record",
  "name": "OrderEvent",
  "namespace": "com.shop.orders",
  "fields": [
    {"name": "order_id", "type": "string"},
    {"name": "total_cents", "type": "long"},
    {"name": "shipping_method", "type": "string"}
  ]
}
)";
inline constexpr const char* kOrderOptional = R"({
  "type": "record",
  "name": "OrderEvent",
  "namespace": "com.shop.orders",
  "fields": [
    {"name": "order_id", "type": "string"},
    {"name": "total_cents", "type": "long"},
    {"name": "shipping_method", "type": "string", "default": "STANDARD"}
  ]
}
)";

class TempRepo {
 public:
  // A fresh directory; with `init`, an empty repository on branch main.
  explicit TempRepo(bool init = true) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            fmt_name(std::string(info->test_suite_name()) + "-" + info->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    if (init) git({"init", "-q", "-b", "main"});
  }
  ~TempRepo() { std::filesystem::remove_all(root_); }
  TempRepo(const TempRepo&) = delete;
  TempRepo& operator=(const TempRepo&) = delete;

  const std::filesystem::path& root() const { return root_; }
  std::string path(const std::string& relative) const { return (root_ / relative).string(); }

  void write(const std::string& relative, const std::string& text) const {
    const auto file = root_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }

  // Runs git in the repository; a failure fails the test and returns its stderr.
  std::string git(std::vector<std::string> args) const {
    args.insert(args.begin(), {"git", "-C", root_.string(), "-c", "user.name=t", "-c",
                               "user.email=t@t", "-c", "commit.gpgsign=false"});
    auto output = run_process(args);
    EXPECT_TRUE(output.ok());
    if (!output.ok()) return "";
    EXPECT_EQ(output->exit_status, 0) << output->err;
    return output->out;
  }

  // Stages everything and commits it.
  void commit(const std::string& message) const {
    git({"add", "-A"});
    git({"commit", "-q", "-m", message});
  }

 private:
  static std::string fmt_name(std::string name) {
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    return "sg-gate-" + name + "-" + std::to_string(::getpid());
  }
  std::filesystem::path root_;
};

}  // namespace sg::gate::testing
