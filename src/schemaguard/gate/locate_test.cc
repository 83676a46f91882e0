#include "schemaguard/gate/locate.h"

#include <gtest/gtest.h>

namespace sg::gate {
namespace {

constexpr const char* kSchema = R"({
  "type": "record",
  "name": "OrderEvent",
  "fields": [
    {"name": "order_id", "type": "string"},
    {
      "name": "ship\"to/x",
      "type": {"type": "record", "name": "Address", "fields": [
        {"name": "street", "type": "string"}, {"name": "zip", "type": ["null", "string"]}]}
    }
  ],
  "a~b": {"c/d": [1, 2, {"e": true}]}
})";

TextPosition at(int line, int column) {
  return {line, column};
}

TEST(LocateJsonPointer, FindsEachKindOfNode) {
  EXPECT_EQ(locate_json_pointer(kSchema, ""), at(1, 1));
  EXPECT_EQ(locate_json_pointer(kSchema, "/name"), at(3, 11));
  EXPECT_EQ(locate_json_pointer(kSchema, "/fields"), at(4, 13));
  EXPECT_EQ(locate_json_pointer(kSchema, "/fields/0"), at(5, 5));
  EXPECT_EQ(locate_json_pointer(kSchema, "/fields/1"), at(6, 5));
  EXPECT_EQ(locate_json_pointer(kSchema, "/fields/1/name"), at(7, 15));
  EXPECT_EQ(locate_json_pointer(kSchema, "/fields/1/type/fields/1"), at(9, 47));
  EXPECT_EQ(locate_json_pointer(kSchema, "/fields/1/type/fields/1/type/1"), at(9, 80));
  // RFC 6901 escapes: ~0 is '~', ~1 is '/'.
  EXPECT_EQ(locate_json_pointer(kSchema, "/a~0b/c~1d/2/e"), at(12, 31));
}

TEST(LocateJsonPointer, MissingNodesFallBackToTheNearestAncestor) {
  EXPECT_EQ(locate_json_pointer(kSchema, "/fields/7"), at(4, 13));
  EXPECT_EQ(locate_json_pointer(kSchema, "/fields/0/nope"), at(5, 5));
  EXPECT_EQ(locate_json_pointer(kSchema, "/name/0"), at(3, 11));
  EXPECT_EQ(locate_json_pointer("", "/x"), at(0, 0));
  EXPECT_EQ(locate_json_pointer("  \"string\"", ""), at(1, 3));
}

}  // namespace
}  // namespace sg::gate
