// Every schema of Confluent's Protobuf diff vectors (../shared/vectors/confluent/protobuf),
// through sg::protobuf::format() and the wire helpers: it parses (with its inline dependencies
// as references, or the bundled confluent/* and well-known files), its stored text is stable,
// its serialized form reads back to the same schema, and every message it defines maps to its
// message-index path and back.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "schemaguard/protobuf/format/format.h"
#include "schemaguard/protobuf/wire.h"

namespace sg::protobuf {
namespace {

namespace json = boost::json;

const std::filesystem::path kVectorDir =
    std::filesystem::path(SG_SHARED_DIR) / "vectors/confluent/protobuf";

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Walks every index path of the file and checks both directions of the mapping.
int check_message_indexes(const ParsedSchema& schema, std::vector<int> path,
                          const std::string& label) {
  int messages = 0;
  for (int index = 0;; ++index) {
    path.push_back(index);
    auto name = message_at(schema, path);
    if (!name.ok()) break;
    ++messages;
    auto again = message_index_path(schema, *name);
    EXPECT_TRUE(again.ok() && *again == path) << label << ": " << *name;
    auto decoded = decode_message_indexes(encode_message_indexes(path));
    EXPECT_TRUE(decoded.ok() && decoded->indexes == path) << label << ": " << *name;
    messages += check_message_indexes(schema, path, label);
    path.pop_back();
  }
  return messages;
}

void check_schema(const std::string& text, const NamedReferences& references,
                  const std::string& label) {
  const Format& proto = format();
  auto parsed = proto.parse(text, references);
  ASSERT_TRUE(parsed.ok()) << label << ": " << parsed.error().message() << "\n" << text;
  const std::string stored = proto.render(**parsed, false);
  auto reparsed = proto.parse(stored, references);
  ASSERT_TRUE(reparsed.ok()) << label << ": " << reparsed.error().message() << "\n" << stored;
  EXPECT_EQ(proto.render(**reparsed, false), stored) << label;
  auto normalized = proto.parse(proto.render(**parsed, true), references);
  EXPECT_TRUE(normalized.ok()) << label << ": " << normalized.error().message();
  auto from_serialized = proto.parse(serialized(**parsed), references);
  ASSERT_TRUE(from_serialized.ok()) << label << ": " << from_serialized.error().message();
  // The serialized form is the same schema: the same descriptor, compatible both ways. Its
  // stored text is Confluent's printing of a descriptor (qualified types, map entry messages),
  // not the source's layout, and is stable itself.
  // protoc writes every field's json_name into the descriptors it compiles, so a serialized
  // descriptor cannot tell an explicit `json_name` equal to the default from none; the format
  // drops those, as Confluent's conversion of descriptors does.
  if (text.find("json_name") == std::string::npos) {
    EXPECT_EQ(serialized(**from_serialized), serialized(**parsed)) << label;
  }
  EXPECT_TRUE(proto.check(**from_serialized, **parsed).empty()) << label;
  EXPECT_TRUE(proto.check(**parsed, **from_serialized).empty()) << label;
  const std::string descriptor_text = proto.render(**from_serialized, false);
  auto descriptor_again = proto.parse(descriptor_text, references);
  ASSERT_TRUE(descriptor_again.ok()) << label << ": " << descriptor_again.error().message();
  EXPECT_EQ(proto.render(**descriptor_again, false), descriptor_text) << label;
  EXPECT_GT(check_message_indexes(**parsed, {}, label), 0) << label << ": no message";
}

// One side of a case: the schema text (inline or a file name) and its inline dependencies.
void check_side(const json::object& test_case, const std::string& which, const std::string& label) {
  std::string text(test_case.at(which + "_schema").as_string());
  if (text.ends_with(".proto")) text = read(kVectorDir / text);
  NamedReferences references;
  if (const auto* list = test_case.if_contains(which + "_dependencies")) {
    for (const auto& item : list->as_array()) {
      const auto& entry = item.as_object();
      const auto* source = entry.if_contains("dependency");
      if (source == nullptr) continue;  // a bundled or well-known file: resolved without help
      auto dependency = format().parse(std::string(source->as_string()), references);
      ASSERT_TRUE(dependency.ok()) << label << ": " << dependency.error().message();
      references.push_back({std::string(entry.at("name").as_string()), *dependency});
    }
  }
  check_schema(text, references, label + " (" + which + ")");
}

class VectorFile : public ::testing::TestWithParam<std::string> {};

TEST_P(VectorFile, EverySchemaParsesAndRoundTrips) {
  const json::value cases = json::parse(read(kVectorDir / GetParam()));
  ASSERT_FALSE(cases.as_array().empty());
  for (const auto& item : cases.as_array()) {
    const json::object& test_case = item.as_object();
    const std::string label(test_case.at("description").as_string());
    check_side(test_case, "original", label);
    check_side(test_case, "update", label);
  }
}

INSTANTIATE_TEST_SUITE_P(Confluent, VectorFile,
                         ::testing::Values("diff-schema-examples.json",
                                           "diff-schema-examples-with-meta.json"));

// The reference's standalone files (parse/print round trips in Confluent's own tests).
TEST(VectorFiles, StandaloneProtoFilesParseAndRoundTrip) {
  const auto dir = kVectorDir / "io/confluent/kafka/schemaregistry/protobuf/diff";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".proto") continue;
    ++files;
    // SameMessageName.proto imports two of the others by their file names.
    NamedReferences references;
    for (const char* name : {"TestProto.proto", "TestProto2.proto"}) {
      auto reference = format().parse(read(dir / name), {});
      ASSERT_TRUE(reference.ok()) << name << ": " << reference.error().message();
      references.push_back({name, *reference});
    }
    check_schema(read(entry.path()), references, entry.path().filename().string());
  }
  EXPECT_GE(files, 7);
}

}  // namespace
}  // namespace sg::protobuf
