#include "schemaguard/protobuf/compat/diff.h"

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace sg::protobuf {
namespace {

namespace gp = google::protobuf;
namespace json = boost::json;

const std::string kVectorDir = std::string(SG_SHARED_DIR) + "/vectors/confluent/protobuf";

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Files by import path, then the vector directory and the system's well-known types.
class TestSourceTree final : public gp::compiler::SourceTree {
 public:
  std::map<std::string, std::string> files;

  gp::io::ZeroCopyInputStream* Open(const std::string& name) override {
    auto it = files.find(name);
    if (it == files.end()) {
      for (const std::string& root : {kVectorDir, std::string("/usr/include")}) {
        const auto path = std::filesystem::path(root) / name;
        if (std::filesystem::exists(path)) {
          it = files.emplace(name, read(path)).first;
          break;
        }
      }
    }
    if (it == files.end()) return nullptr;
    return new gp::io::ArrayInputStream(it->second.data(), static_cast<int>(it->second.size()));
  }
};

class CollectErrors final : public gp::compiler::MultiFileErrorCollector {
 public:
  std::string errors;
  void AddError(const std::string& file, int line, int column,
                const std::string& message) override {
    errors += file + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " +
              message + "\n";
  }
};

// One side of a case: a main file and the files it imports, parsed by libprotoc.
class ParsedSide {
 public:
  ParsedSide(std::string main_text, std::map<std::string, std::string> dependencies) {
    tree_.files = std::move(dependencies);
    tree_.files["main.proto"] = std::move(main_text);
    importer_ = std::make_unique<gp::compiler::Importer>(&tree_, &errors_);
    file_ = importer_->Import("main.proto");
  }
  const gp::FileDescriptor* file() const { return file_; }
  const std::string& errors() const { return errors_.errors; }

 private:
  TestSourceTree tree_;
  CollectErrors errors_;
  std::unique_ptr<gp::compiler::Importer> importer_;
  const gp::FileDescriptor* file_ = nullptr;
};

std::vector<std::string> as_strings(const std::vector<Difference>& differences) {
  std::vector<std::string> out;
  for (const Difference& d : differences) out.push_back(d.type + " " + d.path);
  std::sort(out.begin(), out.end());
  return out;
}

std::unique_ptr<ParsedSide> side(const json::object& test_case, std::string_view which) {
  std::string text(test_case.at(std::string(which) + "_schema").as_string());
  if (text.ends_with(".proto")) text = read(std::filesystem::path(kVectorDir) / text);
  std::map<std::string, std::string> dependencies;
  if (const auto* list = test_case.if_contains(std::string(which) + "_dependencies")) {
    for (const auto& dependency : list->as_array()) {
      const auto& entry = dependency.as_object();
      if (const auto* source = entry.if_contains("dependency")) {
        dependencies[std::string(entry.at("name").as_string())] = std::string(source->as_string());
      }
    }
  }
  return std::make_unique<ParsedSide>(std::move(text), std::move(dependencies));
}

// Confluent's own diff cases: the same differences (as a multiset: the reference iterates
// hash maps) and the same verdict.
void run_vector_file(const std::string& name) {
  const json::value cases = json::parse(read(std::filesystem::path(kVectorDir) / name));
  int passed = 0;
  for (const auto& item : cases.as_array()) {
    const json::object& test_case = item.as_object();
    const std::string description(test_case.at("description").as_string());
    auto original = side(test_case, "original");
    auto update = side(test_case, "update");
    ASSERT_NE(original->file(), nullptr) << description << "\n" << original->errors();
    ASSERT_NE(update->file(), nullptr) << description << "\n" << update->errors();

    const auto differences = diff(*original->file(), *update->file());
    std::vector<std::string> expected;
    for (const auto& change : test_case.at("changes").as_array()) {
      expected.emplace_back(change.as_string());
    }
    std::sort(expected.begin(), expected.end());
    const bool expected_compatible = test_case.at("compatible").as_bool();
    const bool same =
        as_strings(differences) == expected && compatible(differences) == expected_compatible;
    EXPECT_EQ(as_strings(differences), expected) << description;
    EXPECT_EQ(compatible(differences), expected_compatible) << description;
    passed += same ? 1 : 0;
  }
  std::cout << name << ": " << passed << "/" << cases.as_array().size() << " cases\n";
}

TEST(ProtobufDiffVectors, ConfluentDiffSchemaExamples) {
  run_vector_file("diff-schema-examples.json");
}

TEST(ProtobufDiffVectors, ConfluentDiffSchemaExamplesWithMeta) {
  run_vector_file("diff-schema-examples-with-meta.json");
}

// The reference's file-pair test: a field renamed and retyped.
TEST(ProtobufDiffVectors, TestProtoToTestProto2) {
  const std::string dir = "io/confluent/kafka/schemaregistry/protobuf/diff/";
  ParsedSide original(read(std::filesystem::path(kVectorDir) / (dir + "TestProto.proto")), {});
  ParsedSide update(read(std::filesystem::path(kVectorDir) / (dir + "TestProto2.proto")), {});
  ASSERT_NE(original.file(), nullptr) << original.errors();
  ASSERT_NE(update.file(), nullptr) << update.errors();
  const auto found = as_strings(diff(*original.file(), *update.file()));
  EXPECT_NE(std::find(found.begin(), found.end(), "FIELD_NAME_CHANGED #/TestMessage/2"),
            found.end());
  EXPECT_NE(std::find(found.begin(), found.end(), "FIELD_SCALAR_KIND_CHANGED #/TestMessage/2"),
            found.end());
}

// Our own cases: (original = writer, update = reader, expected differences).
struct Case {
  std::string name;
  std::string original;
  std::string update;
  std::vector<std::string> expected;
};

TEST(ProtobufDiff, RulesAsATable) {
  const std::string header = "syntax = \"proto3\";\npackage shop;\n";
  const std::string proto2 = "syntax = \"proto2\";\npackage shop;\n";
  const std::vector<Case> cases = {
      {"identical",
       header + "message A { int32 x = 1; }",
       header + "message A { int32 x = 1; }",
       {}},
      {"widening within a group",
       header + "message A { int32 x = 1; string s = 2; }",
       header + "message A { uint64 x = 1; bytes s = 2; }",
       {}},
      {"enum to int32 is the same wire type",
       header + "enum E { E0 = 0; } message A { E x = 1; }",
       header + "enum E { E0 = 0; } message A { int32 x = 1; }",
       {}},
      {"sint is its own group",
       header + "message A { int32 x = 1; }",
       header + "message A { sint32 x = 1; }",
       {"FIELD_SCALAR_KIND_CHANGED #/A/1"}},
      {"fixed and varint differ",
       header + "message A { fixed32 x = 1; }",
       header + "message A { int32 x = 1; }",
       {"FIELD_SCALAR_KIND_CHANGED #/A/1"}},
      {"proto3 optional is not a oneof",
       header + "message A { int32 x = 1; }",
       header + "message A { optional int32 x = 1; }",
       {}},
      {"implicit to repeated is not seen",
       header + "message A { int32 x = 1; }",
       header + "message A { repeated int32 x = 1; }",
       {}},
      {"optional to repeated number",
       proto2 + "message A { optional int32 x = 1; }",
       proto2 + "message A { repeated int32 x = 1; }",
       {"FIELD_NUMERIC_LABEL_CHANGED #/A/1"}},
      {"map value type",
       header + "message A { map<string, int32> m = 1; }",
       header + "message A { map<string, string> m = 1; }",
       {"FIELD_SCALAR_KIND_CHANGED #/A/1"}},
      {"map to message is a kind change",
       header + "message B {} message A { map<string, B> m = 1; }",
       header + "message B {} message A { B m = 1; }",
       {"FIELD_KIND_CHANGED #/A/1"}},
      {"nested enum constant",
       header + "message A { enum E { E0 = 0; E1 = 1; } }",
       header + "message A { enum E { E0 = 0; ONE = 1; E2 = 2; } }",
       {"ENUM_CONST_ADDED #/A/E/2", "ENUM_CONST_CHANGED #/A/E/1"}},
      {"recursive message",
       header + "message Node { Node next = 1; }",
       header + "message Node { Node next = 1; string label = 2; }",
       {"FIELD_ADDED #/Node/2"}},
      {"a removed oneof with all its members",
       header + "message A { oneof o { int32 x = 1; } }",
       header + "message A { }",
       {"ONEOF_REMOVED #/A/o"}},
  };
  for (const Case& c : cases) {
    ParsedSide original(c.original, {});
    ParsedSide update(c.update, {});
    ASSERT_NE(original.file(), nullptr) << c.name << "\n" << original.errors();
    ASSERT_NE(update.file(), nullptr) << c.name << "\n" << update.errors();
    auto expected = c.expected;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(as_strings(diff(*original.file(), *update.file())), expected) << c.name;
  }
}

// The explanation names the field, both types, and the way out; positions point into each file.
TEST(ProtobufDiff, IncompatibilityExplainsAndLocates) {
  ParsedSide original(
      "syntax = \"proto3\";\nmessage Order {\n  string id = 1;\n  double total = 3;\n}\n", {});
  ParsedSide update(
      "syntax = \"proto3\";\n\nmessage Order {\n  string id = 1;\n\n    string total = 3;\n}\n",
      {});
  ASSERT_NE(original.file(), nullptr);
  ASSERT_NE(update.file(), nullptr);
  const auto problems = incompatibilities(diff(*original.file(), *update.file()));
  ASSERT_EQ(problems.size(), 1u);
  const Incompatibility& problem = problems.front();
  EXPECT_EQ(problem.type, "FIELD_SCALAR_KIND_CHANGED");
  EXPECT_EQ(problem.reader_path, "#/Order/3");
  EXPECT_NE(problem.message.find("'double total'"), std::string::npos) << problem.message;
  EXPECT_NE(problem.message.find("'string total'"), std::string::npos) << problem.message;
  EXPECT_NE(problem.hint.find("reserve 3"), std::string::npos) << problem.hint;
  EXPECT_EQ(problem.reader_position, (TextPosition{6, 5}));
  EXPECT_EQ(problem.writer_position, (TextPosition{4, 3}));
}

}  // namespace
}  // namespace sg::protobuf
