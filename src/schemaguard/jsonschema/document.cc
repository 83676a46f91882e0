#include "schemaguard/jsonschema/document.h"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_set>

#include "schemaguard/base/json_text.h"
#include "schemaguard/jsonschema/compiled.h"

namespace sg::jsonschema {
namespace json = boost::json;
using internal::Kind;
using internal::Slot;

// Appends slots in document order. Strings are written into one character buffer and their
// slots hold offsets into it until finish() turns them into pointers, once the buffer no
// longer moves.
class DocumentBuilder {
 public:
  void null() { push(Kind::kNull, internal::kNullBit); }
  void boolean(bool b) { push(b ? Kind::kTrue : Kind::kFalse, internal::kBooleanBit); }
  void int64(std::int64_t i) { push(Kind::kInt64, kIntegral).int64 = i; }
  void uint64(std::uint64_t u) { push(Kind::kUint64, kIntegral).uint64 = u; }
  void number(double d) {
    const bool integral = std::isfinite(d) && std::floor(d) == d;
    push(Kind::kDouble, integral ? kIntegral : std::uint8_t{internal::kNumberBit}).number = d;
  }
  void string(std::string_view s) {
    const auto length = static_cast<std::uint32_t>(s.size());
    chars_.append(reinterpret_cast<const char*>(&length), sizeof length);
    push(Kind::kString, internal::kStringBit).uint64 = chars_.size();
    chars_.append(s);
  }
  // Part of a string (or key) that Boost.JSON delivers in pieces; the last piece goes to
  // string().
  void string_part(std::string_view s) { pending_.append(s); }
  void string_end(std::string_view s) {
    if (pending_.empty()) return string(s);
    pending_.append(s);
    string(pending_);
    pending_.clear();
  }

  void begin(Kind kind) {
    open_.push_back(slots_.size());
    push(kind, kind == Kind::kArray ? internal::kArrayBit : internal::kObjectBit);
  }
  void end(std::size_t count) {
    const std::size_t start = open_.back();
    open_.pop_back();
    Slot& slot = slots_[start];
    slot.count = count;
    slot.skip = static_cast<std::uint32_t>(slots_.size() - start);
    if (slot.kind == Kind::kObject && count > 1) drop_duplicate_keys(start);
  }

  // Whether a document of `n` bytes of text fits the slots' 32-bit fields (a value takes at
  // least one byte of text, a string's length at most its text's).
  static bool fits(std::size_t n) { return n < UINT32_MAX; }

  Document finish() {
    Document document;
    document.chars_ = std::make_unique<char[]>(chars_.size() + internal::kStringPadding);
    std::memcpy(document.chars_.get(), chars_.data(), chars_.size());
    std::memset(document.chars_.get() + chars_.size(), 0, internal::kStringPadding);
    for (Slot& slot : slots_) {
      if (slot.kind == Kind::kString) slot.chars = document.chars_.get() + slot.uint64;
    }
    document.slots_ = std::move(slots_);
    return document;
  }

 private:
  static constexpr std::uint8_t kIntegral = internal::kNumberBit | internal::kIntegerBit;

  Slot& push(Kind kind, std::uint8_t types) {
    Slot& slot = slots_.emplace_back();
    slot.kind = kind;
    slot.types = types;
    return slot;
  }

  std::string_view key_at(std::size_t index) const {
    const char* chars = chars_.data() + slots_[index].uint64;
    std::uint32_t length;
    std::memcpy(&length, chars - 4, sizeof length);
    return {chars, length};
  }

  // If the object at `start` (the last thing written) names some key twice, keeps the last
  // member of each name, in place of the first.
  void drop_duplicate_keys(std::size_t start) {
    members_.clear();  // [key, end) of each member
    for (std::size_t at = start + 1; at < slots_.size();) {
      const std::size_t end = at + 1 + slots_[at + 1].skip;
      members_.emplace_back(at, end);
      at = end;
    }
    if (!has_duplicate_keys()) return;
    const auto& members = members_;
    std::unordered_set<std::string_view> seen;
    std::vector<bool> keep(members.size());
    for (std::size_t i = members.size(); i-- > 0;)
      keep[i] = seen.insert(key_at(members[i].first)).second;
    std::vector<Slot> kept;
    std::size_t count = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (!keep[i]) continue;
      ++count;
      kept.insert(kept.end(), slots_.begin() + static_cast<std::ptrdiff_t>(members[i].first),
                  slots_.begin() + static_cast<std::ptrdiff_t>(members[i].second));
    }
    slots_.resize(start + 1);
    slots_.insert(slots_.end(), kept.begin(), kept.end());
    slots_[start].count = count;
    slots_[start].skip = static_cast<std::uint32_t>(slots_.size() - start);
  }

  // Whether two of members_ have the same key. Objects in events are small: comparing every
  // pair (by length first) costs less than hashing, up to a size.
  bool has_duplicate_keys() {
    const std::size_t n = members_.size();
    if (n <= 16) {
      for (std::size_t i = 1; i < n; ++i) {
        const std::string_view key = key_at(members_[i].first);
        for (std::size_t j = 0; j < i; ++j) {
          if (key_at(members_[j].first) == key) return true;
        }
      }
      return false;
    }
    std::unordered_set<std::string_view> seen;
    for (const auto& member : members_) {
      if (!seen.insert(key_at(member.first)).second) return true;
    }
    return false;
  }

  std::vector<Slot> slots_;
  std::string chars_;
  std::string pending_;
  std::vector<std::size_t> open_;  // the slots of the containers not yet closed
  std::vector<std::pair<std::size_t, std::size_t>> members_;
};

namespace {

// Boost.JSON's SAX interface, writing into a DocumentBuilder.
struct Handler {
  static constexpr std::size_t max_object_size = UINT32_MAX;
  static constexpr std::size_t max_array_size = UINT32_MAX;
  static constexpr std::size_t max_key_size = UINT32_MAX;
  static constexpr std::size_t max_string_size = UINT32_MAX;

  DocumentBuilder builder;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    builder.begin(Kind::kObject);
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    builder.end(n);
    return true;
  }
  bool on_array_begin(json::error_code&) {
    builder.begin(Kind::kArray);
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code&) {
    builder.end(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    builder.string_part(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    builder.string_end(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    builder.string_part(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    builder.string_end(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    builder.int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    builder.uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    builder.number(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    builder.boolean(b);
    return true;
  }
  bool on_null(json::error_code&) {
    builder.null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

void add(DocumentBuilder& builder, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: builder.null(); break;
    case json::kind::bool_: builder.boolean(v.get_bool()); break;
    case json::kind::int64: builder.int64(v.get_int64()); break;
    case json::kind::uint64: builder.uint64(v.get_uint64()); break;
    case json::kind::double_: builder.number(v.get_double()); break;
    case json::kind::string: builder.string(v.get_string()); break;
    case json::kind::array:
      builder.begin(Kind::kArray);
      for (const json::value& item : v.get_array()) add(builder, item);
      builder.end(v.get_array().size());
      break;
    case json::kind::object:
      builder.begin(Kind::kObject);
      for (const auto& member : v.get_object()) {
        builder.string(member.key());
        add(builder, member.value());
      }
      builder.end(v.get_object().size());
      break;
  }
}

json::value to_json_at(const Slot*& slot) {
  const Slot& s = *slot++;
  switch (s.kind) {
    case Kind::kNull: return nullptr;
    case Kind::kFalse: return false;
    case Kind::kTrue: return true;
    case Kind::kInt64: return s.int64;
    case Kind::kUint64: return s.uint64;
    case Kind::kDouble: return s.number;
    case Kind::kString: return json::string(std::string_view(s.chars, internal::string_length(s)));
    case Kind::kArray: {
      json::array array;
      array.reserve(s.count);
      for (std::uint64_t i = 0; i < s.count; ++i) array.push_back(to_json_at(slot));
      return array;
    }
    case Kind::kObject: {
      json::object object;
      object.reserve(s.count);
      for (std::uint64_t i = 0; i < s.count; ++i) {
        const Slot& key = *slot++;
        object.insert_or_assign(std::string_view(key.chars, internal::string_length(key)),
                                to_json_at(slot));
      }
      return object;
    }
  }
  return nullptr;
}

}  // namespace

json::value internal::to_json(const Slot* slot) {
  return to_json_at(slot);
}

Document::Document() : slots_(1), chars_(std::make_unique<char[]>(internal::kStringPadding)) {
  slots_[0].types = internal::kNullBit;
}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Result<Document> Document::parse(std::string_view text, std::size_t max_depth) {
  if (!DocumentBuilder::fits(text.size())) {
    return Error(ErrorCode::kInvalidArgument, "the document is larger than 4 GiB");
  }
  json::parse_options options;
  options.max_depth = max_depth;
  json::basic_parser<Handler> parser(options);
  json::error_code ec;
  std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) ec = json::error::extra_data;
  if (!ec) return parser.handler().builder.finish();

  return Error(ErrorCode::kInvalidArgument,
               json_text_problem(text, consumed, ec.message(), "document"));
}

Document Document::from_json(const json::value& value) {
  DocumentBuilder builder;
  add(builder, value);
  return builder.finish();
}

json::value Document::to_json() const {
  return internal::to_json(slots_.data());
}

}  // namespace sg::jsonschema
