// A JSON document in the form the validator reads fastest: one contiguous array of 16-byte
// slots in document order, with every string's characters in one buffer beside it.
//
//   SG_ASSIGN_OR_RETURN(sg::jsonschema::Document event, sg::jsonschema::Document::parse(line));
//   if (!schema->is_valid(event)) ...
//
// A Boost.JSON value keeps each object's table, each key and each longer string in a heap block
// of its own, so a validator walking it waits on a cache miss at almost every step. Here a walk
// over a document is a walk forward through memory, with each value's JSON type worked out once,
// when the document is built. Parse text straight into a Document where documents arrive as
// text (a consumer, `schemaguard validate`); from_json() converts a value already parsed.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"

namespace sg::jsonschema {

namespace internal {

enum class Kind : std::uint8_t {
  kNull,
  kFalse,
  kTrue,
  kInt64,
  kUint64,
  kDouble,
  kString,
  kArray,
  kObject
};

// One value. An array is its slot followed by its items; an object is its slot followed by a
// key slot (a string) and the value's slots for each member, in the document's order.
struct Slot {
  Kind kind = Kind::kNull;
  // The JSON Schema type bits of the value (see TypeBit in compiled.h): an integral number
  // (2, 2.0) has both the number and the integer bit.
  std::uint8_t types = 0;
  std::uint16_t reserved = 0;
  // The slots this value takes, its own and its children's: the next value starts `skip`
  // slots on, without a branch on the kind.
  std::uint32_t skip = 1;
  union {
    std::int64_t int64;
    std::uint64_t uint64;
    double number;
    // A string's characters (not NUL-terminated), with its length in bytes in the four bytes
    // before them and at least kStringPadding readable bytes after them.
    const char* chars;
    std::uint64_t count;  // an array's items, an object's members
  };
  Slot() : uint64(0) {}
};
static_assert(sizeof(Slot) == 16);

// Bytes that may be read past the end of any string of a Document (keys are compared a word
// at a time).
inline constexpr std::size_t kStringPadding = 16;

inline std::uint32_t string_length(const Slot& slot) {
  std::uint32_t n;
  std::memcpy(&n, slot.chars - 4, sizeof n);
  return n;
}

// The value at `slot` (of a Document) as a Boost.JSON value.
boost::json::value to_json(const Slot* slot);

}  // namespace internal

class Document {
 public:
  // The most deeply a parsed document may nest (Boost.JSON's parse() allows 32).
  static constexpr std::size_t kDefaultMaxDepth = 512;

  // Parses `text` (one JSON value, white space around it allowed). An object that names a key
  // twice keeps the last value, as JSON.parse does. On failure returns kInvalidArgument with
  // "the document is empty" or "not valid JSON at line L, column C: <reason>".
  static Result<Document> parse(std::string_view text, std::size_t max_depth = kDefaultMaxDepth);

  // The same document as `value`.
  static Document from_json(const boost::json::value& value);

  Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;
  ~Document();

  // The document as a Boost.JSON value.
  boost::json::value to_json() const;

  // The root value's slot (REQUIRES: a parsed or converted document; a default-constructed one
  // holds `null`).
  const internal::Slot* root() const { return slots_.data(); }
  std::size_t slot_count() const { return slots_.size(); }

 private:
  friend class DocumentBuilder;
  std::vector<internal::Slot> slots_;
  std::unique_ptr<char[]> chars_;
};

}  // namespace sg::jsonschema
