// Avro schema resolution as a checker: the rules of the Avro 1.11 specification ("Schema
// Resolution") as Avro Java's SchemaCompatibility applies them, because that is what Confluent
// runs, and a registry that accepts what Confluent rejects (or the reverse) surprises its users.
// Where python3-avro (our test oracle) behaves otherwise, Avro Java wins; the rules table
// (tests/testdata/avro/compat_rules.json) records each such case.
//
// Cost model. The checker runs against every earlier version of a subject, so the compatible
// path must stay cheap: the traversal position lives in frames on the C++ stack and is rendered
// as JSON pointers only when something is reported; messages and hints are built only then;
// the memo for (reader, writer) record pairs keeps its first entries inline.

#include "schemaguard/avro/compat.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <boost/container/small_vector.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sg::avro {
namespace {

// Avro reports the same problem once per path that reaches it, so a schema whose named types
// are shared along many paths can produce exponentially many reports. Past this many the verdict
// stays exact but further reports are dropped.
constexpr std::size_t kMaxReported = 1000;

// Types whose descriptions in messages go deeper than this are abbreviated.
constexpr int kMaxDescribeDepth = 3;

// Example defaults longer than this (a fixed of many bytes, a record of many fields) are
// described rather than spelled out in hints.
constexpr std::size_t kMaxExampleLength = 200;

constexpr std::string_view kNameMismatch = "NAME_MISMATCH";
constexpr std::string_view kFixedSizeMismatch = "FIXED_SIZE_MISMATCH";
constexpr std::string_view kMissingEnumSymbols = "MISSING_ENUM_SYMBOLS";
constexpr std::string_view kMissingDefault = "READER_FIELD_MISSING_DEFAULT_VALUE";
constexpr std::string_view kTypeMismatch = "TYPE_MISMATCH";
constexpr std::string_view kMissingUnionBranch = "MISSING_UNION_BRANCH";

// Whether data written as the primitive `writer` can be read as the different primitive
// `reader`: the promotions of the specification's "Schema Resolution".
[[gnu::always_inline]] inline bool promotes(Type writer, Type reader) {
  switch (writer) {
    case Type::kInt:
      return reader == Type::kLong || reader == Type::kFloat || reader == Type::kDouble;
    case Type::kLong: return reader == Type::kFloat || reader == Type::kDouble;
    case Type::kFloat: return reader == Type::kDouble;
    case Type::kString: return reader == Type::kBytes;
    case Type::kBytes: return reader == Type::kString;
    default: return false;
  }
}

std::string_view promotion_targets(Type writer) {
  switch (writer) {
    case Type::kInt: return "long, float or double";
    case Type::kLong: return "float or double";
    case Type::kFloat: return "double";
    case Type::kString: return "bytes";
    case Type::kBytes: return "string";
    default: return "";
  }
}

// What a primitive with promotions can be read as, itself included, for hints.
std::string_view readable_as(Type writer) {
  switch (writer) {
    case Type::kInt: return "int, long, float or double";
    case Type::kLong: return "long, float or double";
    case Type::kFloat: return "float or double";
    case Type::kString: return "string or bytes";
    case Type::kBytes: return "bytes or string";
    default: return to_string(writer);
  }
}

// Name equality without a library call: names are short, compared by the hundred per check,
// and usually equal, so the whole comparison is on the hot path.
[[gnu::always_inline]] inline bool same_name(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {
    // Two overlapping 8-byte words cover the whole name.
    std::uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&a1, a.data() + n - 8, 8);
    std::memcpy(&b1, b.data() + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n >= 4 && n < 8) {
    std::uint32_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    std::memcpy(&a0, a.data(), 4);
    std::memcpy(&b0, b.data(), 4);
    std::memcpy(&a1, a.data() + n - 4, 4);
    std::memcpy(&b1, b.data() + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  return a == b;
}

// Named types match on their unqualified names (Avro 1.11 Java; moving a type to another
// namespace is compatible) or when the reader lists the writer's full name among its aliases.
bool names_match(const Node& reader, const Node& writer) {
  if (same_name(reader.name, writer.name)) return true;
  for (const std::string& alias : reader.aliases) {
    if (same_name(alias, writer.full_name)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Where the traversal is. One frame per step down both schemas; frames are linked through the
// C++ call stack, so keeping track costs a few stores per step and nothing is rendered unless a
// problem is reported.

enum class Step : std::uint8_t {
  kRoot,
  kFieldType,     // reader "/fields/<reader_index>/type", writer "/fields/<writer_index>/type"
  kItems,         // "/items" on both sides
  kValues,        // "/values" on both sides
  kWriterBranch,  // writer "/<writer_index>"; the reader stays where it is
};

struct Frame {
  const Frame* parent = nullptr;
  Step step = Step::kRoot;
  std::uint32_t reader_index = 0;
  std::uint32_t writer_index = 0;
  const Node* record = nullptr;  // kFieldType: the reader record, for messages
};

void append_path(std::string& out, const Frame* frame, bool reader_side) {
  if (frame == nullptr) return;
  append_path(out, frame->parent, reader_side);
  switch (frame->step) {
    case Step::kRoot: break;
    case Step::kFieldType:
      fmt::format_to(std::back_inserter(out), "/fields/{}/type",
                     reader_side ? frame->reader_index : frame->writer_index);
      break;
    case Step::kItems: out += "/items"; break;
    case Step::kValues: out += "/values"; break;
    case Step::kWriterBranch:
      if (!reader_side) fmt::format_to(std::back_inserter(out), "/{}", frame->writer_index);
      break;
  }
}

std::string path_of(const Frame* frame, bool reader_side) {
  std::string out;
  append_path(out, frame, reader_side);
  return out;
}

const Field& reader_field(const Frame& frame) {
  return frame.record->fields[frame.reader_index];
}

// What a position is, for messages: "field 'street' of record 'Address'", "the items of field
// 'tags' of record 'Order'", "the values of the top-level map"; "" for the top level itself.
// Stops at the nearest field, so that what a memoised record pair reports stays true wherever
// that pair is reached from.
std::string subject(const Frame* frame) {
  if (frame == nullptr) return "";
  switch (frame->step) {
    case Step::kRoot: return "";
    case Step::kFieldType:
      return fmt::format("field '{}' of record '{}'", reader_field(*frame).name,
                         frame->record->name);
    case Step::kItems: {
      const std::string parent = subject(frame->parent);
      return "the items of " + (parent.empty() ? std::string("the top-level array") : parent);
    }
    case Step::kValues: {
      const std::string parent = subject(frame->parent);
      return "the values of " + (parent.empty() ? std::string("the top-level map") : parent);
    }
    case Step::kWriterBranch: return subject(frame->parent);
  }
  return "";
}

// Starts a sentence about `frame`: "Field 'qty' of record 'R': the " or "The ".
std::string sentence_start(const Frame* frame) {
  std::string text = subject(frame);
  text = text.empty() ? "The " : text + ": the ";
  text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// " (field 'color' of record 'Order')", or "" at the top level.
std::string where(const Frame* frame) {
  const std::string text = subject(frame);
  return text.empty() ? "" : fmt::format(" ({})", text);
}

// "a boolean", "an enum", "null", "bytes": a kind of value, for hints.
std::string_view kind_with_article(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBoolean: return "a boolean";
    case Type::kInt: return "an int";
    case Type::kLong: return "a long";
    case Type::kFloat: return "a float";
    case Type::kDouble: return "a double";
    case Type::kBytes: return "bytes";
    case Type::kString: return "a string";
    case Type::kRecord: return "a record";
    case Type::kEnum: return "an enum";
    case Type::kArray: return "an array";
    case Type::kMap: return "a map";
    case Type::kUnion: return "a union";
    case Type::kFixed: return "a fixed";
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Describing types and example values for messages and hints.

void describe(std::string& out, const Node& node, int depth) {
  if (depth > kMaxDescribeDepth) {
    out += "...";
    return;
  }
  switch (node.type) {
    case Type::kRecord:
    case Type::kEnum:
      fmt::format_to(std::back_inserter(out), "{} '{}'", to_string(node.type), node.full_name);
      return;
    case Type::kFixed:
      fmt::format_to(std::back_inserter(out), "fixed '{}' ({} bytes)", node.full_name, node.size);
      return;
    case Type::kArray:
      out += "array of ";
      describe(out, *node.items, depth + 1);
      return;
    case Type::kMap:
      out += "map of ";
      describe(out, *node.values, depth + 1);
      return;
    case Type::kUnion:
      out += "union [";
      for (std::size_t i = 0; i < node.branches.size(); ++i) {
        if (i > 0) out += ", ";
        describe(out, *node.branches[i], depth + 1);
      }
      out += ']';
      return;
    default:
      out += to_string(node.type);
      if (node.logical.kind != LogicalKind::kNone) {
        fmt::format_to(std::back_inserter(out), " ({})", to_string(node.logical.kind));
      }
      return;
  }
}

std::string describe(const Node& node) {
  std::string out;
  describe(out, node, 0);
  return out;
}

std::string json_string(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

// How `node` is written in schema JSON when it is simple enough to quote in a hint: "int",
// "com.shop.Address"; otherwise its description.
std::string type_reference(const Node& node) {
  if (is_named(node.type)) return json_string(node.full_name);
  if (is_primitive(node.type)) return json_string(to_string(node.type));
  return describe(node);
}

// Appends a default value valid for `node` (the JSON text of one), or returns false when none
// can be built: a record that needs itself, or an empty union. `active` holds the records
// being built, to stop at recursion.
bool append_example_default(std::string& out, const Node& node, std::vector<const Node*>& active) {
  switch (node.type) {
    case Type::kNull: out += "null"; return true;
    case Type::kBoolean: out += "false"; return true;
    case Type::kInt:
    case Type::kLong: out += "0"; return true;
    case Type::kFloat:
    case Type::kDouble: out += "0.0"; return true;
    case Type::kBytes:
    case Type::kString: out += "\"\""; return true;
    case Type::kArray: out += "[]"; return true;
    case Type::kMap: out += "{}"; return true;
    case Type::kEnum:
      if (node.symbols.empty()) return false;
      out += json_string(node.enum_default ? *node.enum_default : node.symbols.front());
      return true;
    case Type::kFixed:
      if (static_cast<std::size_t>(node.size) * 6 > kMaxExampleLength) return false;
      // A fixed default is a string with one character U+0000..U+00FF per byte.
      out += '"';
      for (std::int64_t i = 0; i < node.size; ++i) out += "\\u0000";
      out += '"';
      return true;
    case Type::kUnion:
      // The specification: a union's default must match its first branch.
      if (node.branches.empty()) return false;
      return append_example_default(out, *node.branches.front(), active);
    case Type::kRecord: {
      for (const Node* open : active) {
        if (open == &node) return false;
      }
      active.push_back(&node);
      out += '{';
      bool ok = true;
      for (std::size_t i = 0; i < node.fields.size() && ok; ++i) {
        const Field& field = node.fields[i];
        if (i > 0) out += ", ";
        out += json_string(field.name);
        out += ": ";
        if (field.default_value) {
          out += boost::json::serialize(*field.default_value);
        } else {
          ok = append_example_default(out, *field.type, active);
        }
      }
      out += '}';
      active.pop_back();
      return ok;
    }
  }
  return false;
}

// `give 'x' a default, e.g. "default": 0`, with a note when a union's first branch stands in
// the way of the null default people usually want.
std::string missing_default_hint(const Field& field) {
  std::string example;
  std::vector<const Node*> active;
  const Node& type = *field.type;
  if (!append_example_default(example, type, active) || example.size() > kMaxExampleLength) {
    return fmt::format(
        "give '{}' a default value of its type ({}), or make its type a union with \"null\" "
        "first and give it \"default\": null",
        field.name, describe(type));
  }
  std::string hint = fmt::format("give '{}' a default, e.g. \"default\": {}", field.name, example);
  if (type.type == Type::kUnion && type.branches.front()->type != Type::kNull) {
    for (const Node* branch : type.branches) {
      if (branch->type == Type::kNull) {
        hint +=
            " (a union's default must match its first branch; to default to null, move "
            "\"null\" to the front of the union)";
        break;
      }
    }
  }
  return hint;
}

// ---------------------------------------------------------------------------------------------
// Memo of record pairs. Only records can recur (every cycle in a schema passes through a record,
// and only named types are shared between positions), so only record pairs are memoised; the
// other nodes are visited once per position, as their count is bounded by the schema text.

enum class PairState : std::uint8_t { kInProgress, kCompatible, kIncompatible };

struct PairEntry {
  const Node* reader = nullptr;
  const Node* writer = nullptr;
  PairState state = PairState::kInProgress;
  // Whether out_[first, last) holds what the fields of this pair report: false when the pair
  // was only probed (a reader-union branch trial), which records the verdict alone.
  bool reported = false;
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  // The lengths of the pair's own reader and writer paths at the start of those entries'
  // paths, so that they can be re-rooted where the pair is reached again.
  std::uint32_t reader_prefix = 0;
  std::uint32_t writer_prefix = 0;
};

class PairMemo {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // Returns the index of the entry for (reader, writer), or kNone.
  std::size_t find(const Node* reader, const Node* writer) const {
    if (table_.empty()) {
      for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].reader == reader && entries_[i].writer == writer) return i;
      }
      return kNone;
    }
    const std::size_t mask = table_.size() - 1;
    for (std::size_t slot = hash(reader, writer) & mask;; slot = (slot + 1) & mask) {
      const std::uint32_t index = table_[slot];
      if (index == 0) return kNone;
      const PairEntry& entry = entries_[index - 1];
      if (entry.reader == reader && entry.writer == writer) return index - 1;
    }
  }

  // Adds an entry in state kInProgress and returns its index, which stays valid (references to
  // entries do not). REQUIRES: find(reader, writer) == kNone.
  std::size_t add(const Node* reader, const Node* writer) {
    entries_.push_back(PairEntry{reader, writer});
    if (entries_.size() > kLinearLimit) {
      if (entries_.size() * 2 > table_.size()) {
        rebuild(table_.empty() ? 64 : table_.size() * 2);
      } else {
        insert(entries_.size() - 1);
      }
    }
    return entries_.size() - 1;
  }

  PairEntry& operator[](std::size_t index) { return entries_[index]; }

 private:
  static constexpr std::size_t kLinearLimit = 8;

  static std::size_t hash(const Node* reader, const Node* writer) {
    const auto r = reinterpret_cast<std::uintptr_t>(reader);
    const auto w = reinterpret_cast<std::uintptr_t>(writer);
    std::uint64_t h = (static_cast<std::uint64_t>(r) * 0x9E3779B97F4A7C15ULL) ^
                      (static_cast<std::uint64_t>(w) * 0xC2B2AE3D27D4EB4FULL);
    return static_cast<std::size_t>(h ^ (h >> 29));
  }

  void insert(std::size_t index) {
    const std::size_t mask = table_.size() - 1;
    std::size_t slot = hash(entries_[index].reader, entries_[index].writer) & mask;
    while (table_[slot] != 0) slot = (slot + 1) & mask;
    table_[slot] = static_cast<std::uint32_t>(index + 1);
  }

  void rebuild(std::size_t size) {
    table_.assign(size, 0);
    for (std::size_t i = 0; i < entries_.size(); ++i) insert(i);
  }

  boost::container::small_vector<PairEntry, kLinearLimit> entries_;
  std::vector<std::uint32_t> table_;  // open addressing; entry index + 1, 0 = empty
};

// ---------------------------------------------------------------------------------------------

class Checker {
 public:
  explicit Checker(bool explain_branches = true) : explain_branches_(explain_branches) {}

  Incompatibilities run(const Node& reader, const Node& writer) {
    const Frame root;
    visit<true>(&reader, &writer, &root);
    return std::move(out_);
  }

 private:
  // Checks whether data written as `w` can be read as `r` at position `at`. With kReport, every
  // problem is appended to out_; without (trying the branches of a reader union, where only the
  // verdict matters) nothing is built and the first problem ends the visit.
  template <bool kReport>
  bool visit(const Node* r, const Node* w, const Frame* at) {
    if (is_primitive(r->type) && is_primitive(w->type)) {
      if (r->type == w->type || promotes(w->type, r->type)) return true;
      if constexpr (!kReport) return false;
    }
    return visit_node<kReport>(r, w, at);
  }

  // Most positions hold the same primitive on both sides (or a promotable one): settling those
  // inline saves a call per field.
  [[gnu::always_inline]] static bool settled_primitive(const Node* r, const Node* w) {
    return is_primitive(r->type) && (r->type == w->type || promotes(w->type, r->type));
  }

  template <bool kReport>
  bool visit_node(const Node* r, const Node* w, const Frame* at) {
    if (r->type == w->type) {
      switch (r->type) {
        case Type::kArray: {
          const Frame frame{at, Step::kItems};
          return visit<kReport>(r->items, w->items, &frame);
        }
        case Type::kMap: {
          const Frame frame{at, Step::kValues};
          return visit<kReport>(r->values, w->values, &frame);
        }
        case Type::kFixed: {
          bool ok = true;
          if (!names_match(*r, *w)) {
            if constexpr (!kReport) return false;
            report_name_mismatch(*r, *w, at);
            ok = false;
          }
          if (r->size != w->size) {
            if constexpr (kReport) report_fixed_size(*r, *w, at);
            ok = false;
          }
          return ok;
        }
        case Type::kEnum: {
          bool ok = true;
          if (!names_match(*r, *w)) {
            if constexpr (!kReport) return false;
            report_name_mismatch(*r, *w, at);
            ok = false;
          }
          return check_enum_symbols<kReport>(*r, *w, at) && ok;
        }
        case Type::kRecord: return visit_record<kReport>(r, w, at);
        case Type::kUnion: return visit_union_pair<kReport>(r, w, at);
        default: return true;  // the same primitive
      }
    }
    if (w->type == Type::kUnion) {
      // Every branch the writer may have written must be readable as the reader's type.
      bool ok = true;
      for (std::size_t i = 0; i < w->branches.size(); ++i) {
        const Frame frame{at, Step::kWriterBranch, 0, static_cast<std::uint32_t>(i)};
        if (!visit<kReport>(r, w->branches[i], &frame)) {
          if constexpr (!kReport) return false;
          ok = false;
        }
      }
      return ok;
    }
    if (r->type == Type::kUnion) {
      if (readable_by_some_branch(*r, w)) return true;
      if constexpr (kReport) report_missing_branch(*r, *w, at);
      return false;
    }
    if (promotes(w->type, r->type)) return true;
    if constexpr (kReport) report_type_mismatch(*r, *w, at);
    return false;
  }

  // Any branch, not the first that matches by kind: Avro Java tries them all.
  bool readable_by_some_branch(const Node& reader_union, const Node* w) {
    if (is_primitive(w->type)) {
      // Only a primitive reads a primitive, and that needs no traversal.
      for (const Node* branch : reader_union.branches) {
        if (branch->type == w->type || promotes(w->type, branch->type)) return true;
      }
      return false;
    }
    for (const Node* branch : reader_union.branches) {
      if (visit<false>(branch, w, nullptr)) return true;
    }
    return false;
  }

  template <bool kReport>
  bool visit_union_pair(const Node* r, const Node* w, const Frame* at) {
    bool ok = true;
    for (std::size_t i = 0; i < w->branches.size(); ++i) {
      if (readable_by_some_branch(*r, w->branches[i])) continue;
      if constexpr (!kReport) return false;
      report_missing_union_branch(*r, *w, i, at);
      ok = false;
    }
    return ok;
  }

  template <bool kReport>
  bool check_enum_symbols(const Node& r, const Node& w, const Frame* at) {
    // An enum default (one of the reader's own symbols: the parser rejects any other) takes the
    // place of every symbol the reader does not know.
    if (r.enum_default) return true;
    std::vector<std::string_view> missing;
    for (std::size_t i = 0; i < w.symbols.size(); ++i) {
      const std::string& symbol = w.symbols[i];
      // Symbols usually keep their positions; try that before searching.
      if (i < r.symbols.size() && same_name(r.symbols[i], symbol)) continue;
      if (r.symbol_index(symbol) >= 0) continue;
      if constexpr (!kReport) return false;
      missing.push_back(symbol);
    }
    if (missing.empty()) return true;
    if constexpr (kReport) report_missing_symbols(r, missing, at);
    return false;
  }

  template <bool kReport>
  bool visit_record(const Node* r, const Node* w, const Frame* at) {
    std::size_t index = memo_.find(r, w);
    // A pair still being checked is reached through a cycle: assume it compatible, as Avro
    // does; whatever is wrong with it is reported where it was first reached.
    if (index != PairMemo::kNone && memo_[index].state == PairState::kInProgress) return true;
    // Names are checked at every position (outside the memo), so that a rename is reported
    // wherever the pair occurs, with that position's context.
    const bool names_ok = names_match(*r, *w);
    if (!names_ok) {
      if constexpr (!kReport) return false;
      report_name_mismatch(*r, *w, at);
    }
    if (index == PairMemo::kNone) {
      index = memo_.add(r, w);
    } else if (memo_[index].state == PairState::kCompatible) {
      return names_ok;
    } else {
      if constexpr (!kReport) return false;
      if (memo_[index].reported) {
        replay(index, at);
        return false;
      }
      // Only probed so far: check it again, this time reporting.
      memo_[index].state = PairState::kInProgress;
    }
    const std::size_t first = out_.size();
    const bool fields_ok = visit_fields<kReport>(*r, *w, at);
    PairEntry& entry = memo_[index];
    entry.state = fields_ok ? PairState::kCompatible : PairState::kIncompatible;
    if constexpr (kReport) {
      if (!fields_ok) {
        entry.reported = true;
        entry.first = static_cast<std::uint32_t>(first);
        entry.last = static_cast<std::uint32_t>(out_.size());
        entry.reader_prefix = static_cast<std::uint32_t>(path_of(at, true).size());
        entry.writer_prefix = static_cast<std::uint32_t>(path_of(at, false).size());
      }
    }
    return names_ok && fields_ok;
  }

  // Copies what an already checked record pair reported, re-rooted at `at`: Avro reports a
  // shared type's problems again at every position that reaches it.
  [[gnu::cold, gnu::noinline]] void replay(std::size_t index, const Frame* at) {
    const PairEntry entry = memo_[index];
    const std::string reader_path = path_of(at, true);
    const std::string writer_path = path_of(at, false);
    for (std::uint32_t i = entry.first; i < entry.last && out_.size() < kMaxReported; ++i) {
      Incompatibility copy = out_[i];
      copy.reader_path = reader_path + copy.reader_path.substr(entry.reader_prefix);
      copy.writer_path = writer_path + copy.writer_path.substr(entry.writer_prefix);
      out_.push_back(std::move(copy));
    }
  }

  // Whether the writer's field at `index` has the reader field's name. The hashes differ for
  // almost every other name, so the names themselves are compared only for the likely match.
  [[gnu::always_inline]] static bool is_field_at(const Node& w, std::size_t index,
                                                 const Field& field) {
    if (index >= w.fields.size()) return false;
    const Field& candidate = w.fields[index];
    return candidate.name_hash == field.name_hash && same_name(candidate.name, field.name);
  }

  // The writer field a reader field reads from: the one with the same name, else one named by
  // an alias of the reader field. Returns -1 when there is none and -2 when several match (by
  // name and alias, or by two aliases): Avro Java rejects that as ambiguous, and its decoder
  // fails on it too. `guess` and `other_guess` are where the field probably is: fields rarely
  // move, and when one is added or removed the rest shift together.
  static int find_writer_field(const Node& w, const Field& field, std::size_t guess,
                               std::size_t other_guess) {
    int found = -1;
    if (is_field_at(w, guess, field)) {
      found = static_cast<int>(guess);
    } else if (is_field_at(w, other_guess, field)) {
      found = static_cast<int>(other_guess);
    } else {
      found = w.field_position(field.name, field.name_hash);
    }
    for (const std::string& alias : field.aliases) {
      const int other = field_index(w, alias);
      if (other < 0 || other == found) continue;
      if (found >= 0) return -2;
      found = other;
    }
    return found;
  }

  static int field_index(const Node& w, std::string_view name) {
    return w.field_position(name, field_name_hash(name));
  }

  template <bool kReport>
  bool visit_fields(const Node& r, const Node& w, const Frame* at) {
    bool ok = true;
    std::size_t next = 0;  // one past the writer field the previous reader field matched
    const std::size_t reader_fields = r.fields.size();
    for (std::size_t i = 0; i < reader_fields; ++i) {
      const Field& field = r.fields[i];
      // Usually the writer field sits at the same index and there are no aliases to check.
      const int match = field.aliases.empty() && is_field_at(w, i, field)
                            ? static_cast<int>(i)
                            : find_writer_field(w, field, i, next);
      bool field_ok = true;
      if (match >= 0) {
        next = static_cast<std::size_t>(match) + 1;
        const Node* writer_type = w.fields[static_cast<std::size_t>(match)].type;
        // The same node on both sides (a shared union like ["null","string"], a shared logical
        // primitive) reads itself; records are excluded because one whose field aliases name
        // other fields is ambiguous even against itself.
        const bool same_shared_node =
            field.type == writer_type && field.type->type != Type::kRecord;
        if (!same_shared_node && !settled_primitive(field.type, writer_type)) {
          const Frame frame{at, Step::kFieldType, static_cast<std::uint32_t>(i),
                            static_cast<std::uint32_t>(match), &r};
          field_ok = visit_node<kReport>(field.type, writer_type, &frame);
        }
      } else if (match == -2) {
        if constexpr (kReport) report_ambiguous_field(r, w, i, at);
        field_ok = false;
      } else if (!field.default_value) {
        // Avro Java, for a field whose type is an enum with an enum default, compares that enum
        // with the whole writer record instead of asking for a field default, which always
        // fails as a type mismatch. The verdict is the same; we keep the reported type.
        if constexpr (kReport) {
          if (field.type->type == Type::kEnum && field.type->enum_default) {
            report_enum_default_quirk(r, w, i, at);
          } else {
            report_missing_default(r, i, at);
          }
        }
        field_ok = false;
      }
      if (!field_ok) {
        if constexpr (!kReport) return false;
        ok = false;
      }
    }
    return ok;
  }

  // --- reporting (only reached when something is incompatible) -------------------------------

  void emit(std::string_view type, const Frame* at, std::string_view reader_suffix,
            std::string_view writer_suffix, std::string message, std::string hint) {
    if (out_.size() >= kMaxReported) return;
    Incompatibility& found = out_.emplace_back();
    found.type = std::string(type);
    found.reader_path = path_of(at, true);
    found.reader_path += reader_suffix;
    found.writer_path = path_of(at, false);
    found.writer_path += writer_suffix;
    found.message = std::move(message);
    found.hint = std::move(hint);
  }

  [[gnu::cold, gnu::noinline]] void report_name_mismatch(const Node& r, const Node& w,
                                                         const Frame* at) {
    const std::string_view kind = to_string(r.type);
    emit(kNameMismatch, at, "/name", "/name",
         fmt::format("The reader's {} '{}'{} does not match the writer's {} '{}': named types "
                     "match only by unqualified name or by the reader's aliases.",
                     kind, r.full_name, where(at), kind, w.full_name),
         fmt::format("if this is a rename, add the writer's full name as an alias of the reader's "
                     "{}: \"aliases\": [{}]",
                     kind, json_string(w.full_name)));
  }

  [[gnu::cold, gnu::noinline]] void report_fixed_size(const Node& r, const Node& w,
                                                      const Frame* at) {
    emit(kFixedSizeMismatch, at, "/size", "/size",
         fmt::format("Fixed '{}'{} is {} bytes in the writer's schema but {} bytes in the "
                     "reader's; Avro reads a fixed only with the same size.",
                     r.full_name, where(at), w.size, r.size),
         fmt::format(
             "a fixed type's size cannot change: make both sizes equal (the writer's is {}), "
             "and put data of another size in a new field with a new fixed type",
             w.size));
  }

  [[gnu::cold, gnu::noinline]] void report_missing_symbols(
      const Node& r, const std::vector<std::string_view>& missing, const Frame* at) {
    const std::string list = fmt::format("{}", fmt::join(missing, ", "));
    emit(kMissingEnumSymbols, at, "/symbols", "/symbols",
         fmt::format("Enum '{}'{} has symbols in the writer's schema that the reader's lacks "
                     "({}), and the reader's enum has no default: records holding them cannot "
                     "be decoded.",
                     r.full_name, where(at), list),
         fmt::format("add {} to the reader's enum '{}', or give the reader's enum a default "
                     "symbol for values it does not know, e.g. \"default\": {}",
                     list, r.name,
                     json_string(r.symbols.empty() ? std::string_view("UNKNOWN")
                                                   : std::string_view(r.symbols.front()))));
  }

  [[gnu::cold, gnu::noinline]] void report_missing_default(const Node& r, std::size_t index,
                                                           const Frame* at) {
    const Field& field = r.fields[index];
    emit(kMissingDefault, at, fmt::format("/fields/{}", index), "",
         fmt::format("Field '{}' ({}) of record '{}' is in the reader's schema but not in the "
                     "writer's, and it has no default: a reader using this schema cannot decode "
                     "records written without it.",
                     field.name, describe(*field.type), r.name),
         missing_default_hint(field));
  }

  [[gnu::cold, gnu::noinline]] void report_enum_default_quirk(const Node& r, const Node& w,
                                                              std::size_t index, const Frame* at) {
    const Field& field = r.fields[index];
    emit(kTypeMismatch, at, fmt::format("/fields/{}/type", index), "",
         fmt::format("Field '{}' ({}) of record '{}' is in the reader's schema but not in the "
                     "writer's, and it has no default (the enum's own default does not make the "
                     "field optional); Avro reports this as its enum not matching the writer's "
                     "record '{}'.",
                     field.name, describe(*field.type), r.name, w.full_name),
         missing_default_hint(field));
  }

  [[gnu::cold, gnu::noinline]] void report_ambiguous_field(const Node& r, const Node& w,
                                                           std::size_t index, const Frame* at) {
    const Field& field = r.fields[index];
    std::vector<std::string_view> matches;
    if (field_index(w, field.name) >= 0) matches.push_back(field.name);
    for (const std::string& alias : field.aliases) {
      if (alias != field.name && field_index(w, alias) >= 0) matches.push_back(alias);
    }
    emit(kNameMismatch, at, fmt::format("/fields/{}", index), "",
         fmt::format("Field '{}' of record '{}' matches several fields of the writer's record "
                     "('{}') by its name and aliases, so Avro cannot tell which one to read.",
                     field.name, r.name, fmt::join(matches, "', '")),
         fmt::format("remove the aliases of '{}' that name other writer fields, so that exactly "
                     "one writer field matches it",
                     field.name));
  }

  [[gnu::cold, gnu::noinline]] void report_type_mismatch(const Node& r, const Node& w,
                                                         const Frame* at) {
    const bool in_writer_union = at != nullptr && at->step == Step::kWriterBranch;
    std::string message = fmt::format(
        "{}writer's schema has {}{} where the reader's has {}, and Avro cannot read {} as {}.",
        sentence_start(at), describe(w),
        in_writer_union ? fmt::format(" (branch {} of its union)", at->writer_index) : "",
        describe(r), kind_with_article(w.type), kind_with_article(r.type));
    const std::string_view targets = promotion_targets(w.type);
    const std::string union_example =
        (is_primitive(w.type) || is_named(w.type)) && (is_primitive(r.type) || is_named(r.type))
            ? fmt::format(", e.g. [{}, {}]", type_reference(r), type_reference(w))
            : "";
    // The hint states what the two sides must agree on rather than which to change: which
    // schema is the new one depends on the direction of the check, which is not known here.
    std::string hint;
    if (targets.empty()) {
      hint = fmt::format(
          "Avro reads {} only as {}: use the same type on both sides, or make the reader's type "
          "a union that includes {}{}. To change a field's type, add a new field (with a "
          "default) instead",
          kind_with_article(w.type), kind_with_article(w.type), type_reference(w), union_example);
    } else {
      hint = fmt::format(
          "{}Avro reads {} only as {}: use one of those for the reader, or make the reader's "
          "type a union that includes {}{}",
          promotes(r.type, w.type) ? "Avro widens types but never narrows them. " : "",
          to_string(w.type), readable_as(w.type), type_reference(w), union_example);
    }
    emit(kTypeMismatch, at, "", "", std::move(message), std::move(hint));
  }

  // The reader union's branch of the same kind (and name) as `w`, if it has one: the branch the
  // author most likely meant to read `w` with, whose own problems explain the missing branch.
  static const Node* closest_branch(const Node& reader_union, const Node& w) {
    for (const Node* branch : reader_union.branches) {
      if (branch->type == w.type && (!is_named(w.type) || names_match(*branch, w))) return branch;
    }
    return nullptr;
  }

  // Appends why no branch of `reader_union` reads `w` to `message`, and returns the hint.
  [[gnu::cold, gnu::noinline]] std::string explain_missing_branch(const Node& reader_union,
                                                                  const Node& w,
                                                                  std::string& message) {
    const Node* closest = explain_branches_ ? closest_branch(reader_union, w) : nullptr;
    if (closest != nullptr) {
      // Avro reports only the missing branch; the branch's own first problem says what to fix.
      Incompatibilities reasons = Checker(/*explain_branches=*/false).run(*closest, w);
      if (!reasons.empty()) {
        fmt::format_to(std::back_inserter(message), " Its {} branch cannot: {}", describe(*closest),
                       reasons.front().message);
        return fmt::format("make the reader's {} branch able to read the writer's: {}",
                           describe(*closest), reasons.front().hint);
      }
    }
    const std::string_view targets = promotion_targets(w.type);
    return fmt::format("add {} to the reader's union{}", type_reference(w),
                       targets.empty() ? ""
                                       : fmt::format(" (or {}, which {} promotes to)", targets,
                                                     to_string(w.type)));
  }

  // The writer's type is not a union, the reader's is, and no reader branch reads it.
  [[gnu::cold, gnu::noinline]] void report_missing_branch(const Node& r, const Node& w,
                                                          const Frame* at) {
    std::string message =
        fmt::format("{}writer's schema has {}, which no branch of the reader's {} can read.",
                    sentence_start(at), describe(w), describe(r));
    std::string hint = explain_missing_branch(r, w, message);
    emit(kMissingUnionBranch, at, "", "", std::move(message), std::move(hint));
  }

  // Both are unions and the writer's branch `index` is readable by no reader branch.
  [[gnu::cold, gnu::noinline]] void report_missing_union_branch(const Node& r, const Node& w,
                                                                std::size_t index,
                                                                const Frame* at) {
    const Node& branch = *w.branches[index];
    std::string message = fmt::format(
        "{}writer's union has {} (branch {}), which no branch of the reader's {} can read.",
        sentence_start(at), describe(branch), index, describe(r));
    std::string hint = explain_missing_branch(r, branch, message);
    emit(kMissingUnionBranch, at, "", fmt::format("/{}", index), std::move(message),
         std::move(hint));
  }

  // Whether a missing union branch is explained by checking the closest reader branch; off in
  // that nested check, so that recursive schemas cannot explain themselves forever.
  bool explain_branches_ = true;
  PairMemo memo_;
  Incompatibilities out_;
};

}  // namespace

Incompatibilities check_compatibility(const Schema& reader, const Schema& writer) {
  return Checker().run(reader.root(), writer.root());
}

}  // namespace sg::avro
