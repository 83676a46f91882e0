// Avro Java's Schema.toString(), re-implemented from its observable behaviour.
//
// Where Avro Java 1.8.2 (the oracle available to our tests) and 1.11 (what Confluent runs)
// print differently, this follows 1.11:
// - An enum's `default` comes right after `symbols`. 1.8.2 does not know enum defaults and
//   keeps `default` among the custom properties, in source order.
// - A named type whose simple name is an Avro type name ("int", "record", ...) is always
//   written with its namespace when referred to. 1.8.2 writes the bare name, which reads back
//   as the primitive.
// - The children of a record in the null namespace (`"namespace": ""`) nested inside a
//   namespaced record are in the null namespace too. 1.8.2's parser lets them inherit the outer
//   namespace, which changes what it prints for them.
// - Strings are escaped as Jackson 2 does, which is the same as Jackson 1.9 for every input
//   we tried.
#include "schemaguard/avro/render.h"

#include <algorithm>
#include <array>
#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "schemaguard/base/jackson.h"

namespace sg::avro {

namespace json = boost::json;

namespace {

// Lays out significant digits the way Java's Double.toString and Float.toString do. `digits`
// has no leading zeros (except for zero itself, "0"); `exponent` is the decimal exponent of the
// first digit (1.5 -> 0, 0.015 -> -2).
std::string java_layout(bool negative, std::string_view digits, int exponent) {
  std::string out;
  if (negative) out += '-';
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-exponent - 1), '0');
      out += digits;
    } else {
      const auto integer_digits = static_cast<std::size_t>(exponent) + 1;
      if (digits.size() <= integer_digits) {
        out += digits;
        out.append(integer_digits - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, integer_digits);
        out += '.';
        out += digits.substr(integer_digits);
      }
    }
    return out;
  }
  out += digits[0];
  out += '.';
  if (digits.size() > 1) {
    out += digits.substr(1);
  } else {
    out += '0';
  }
  out += 'E';
  out += std::to_string(exponent);
  return out;
}

// Java (JDK 19+) picks, when a single digit reads back as `value`, the closest decimal of one or
// two digits that does: Double.MIN_VALUE is "4.9E-324", not "5.0E-324". A second candidate can
// only exist for subnormals, whose rounding interval is wide; for every other value the single
// digit is the answer. `value` > 0; `digits` and `exponent` as java_layout takes them.
template <typename Float>
void closest_short_decimal(Float value, std::string& digits, int& exponent) {
  const long double exact = value;  // long double holds every float and double exactly
  long double best_distance = 0;
  int best_digits = 0;
  int best_exponent = 0;
  for (const int k : {exponent - 1, exponent - 2}) {
    for (int candidate = 10; candidate < 100; ++candidate) {
      const std::string text = std::to_string(candidate) + "e" + std::to_string(k);
      Float parsed{};
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
      if (ec != std::errc() || parsed != value) continue;
      const long double distance = std::fabs(std::strtold(text.c_str(), nullptr) - exact);
      if (best_digits == 0 || distance < best_distance ||
          (distance == best_distance && candidate % 2 == 0)) {
        best_distance = distance;
        best_digits = candidate;
        best_exponent = k + 1;
      }
    }
  }
  if (best_digits == 0) return;
  digits = std::to_string(best_digits);
  if (digits.back() == '0') digits.pop_back();
  exponent = best_exponent;
}

// std::to_chars in scientific notation gives the shortest round-trip digits ("1.5e+00",
// "-1e-05"); Java's layout is then a matter of moving the decimal point.
template <typename Float>
std::string java_floating_string(Float value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::scientific);
  std::string_view text(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string_view exponent_text = text.substr(e + 1);
  bool negative_exponent = false;
  if (!exponent_text.empty() && (exponent_text.front() == '+' || exponent_text.front() == '-')) {
    negative_exponent = exponent_text.front() == '-';
    exponent_text.remove_prefix(1);
  }
  int exponent = 0;
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  if (negative_exponent) exponent = -exponent;
  if (digits.size() == 1 && value != 0 && std::fabs(value) < std::numeric_limits<Float>::min()) {
    closest_short_decimal(std::fabs(value), digits, exponent);
  }
  return java_layout(negative, digits, exponent);
}

// Java's Double.valueOf, which Avro applies to a string default of a float or double field
// ("1.5", " NaN", "-Infinity", "0x1p3", "2f"). nullopt where Java throws NumberFormatException.
std::optional<double> java_parse_double(std::string_view text) {
  // String.trim(): every character up to U+0020 counts as whitespace.
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  const double sign = negative ? -1.0 : 1.0;
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return sign * std::numeric_limits<double>::infinity();
  if (!text.empty() &&
      (text.back() == 'f' || text.back() == 'F' || text.back() == 'd' || text.back() == 'D')) {
    text.remove_suffix(1);
  }
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (hex) {
    text.remove_prefix(2);
    if (text.find_first_of("pP") == std::string_view::npos) return std::nullopt;
  }
  // from_chars alone would also take "inf" and "nan", which Java does not.
  auto is_digit = [hex](char c) {
    return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
  };
  if (text.empty() || !(is_digit(text.front()) || text.front() == '.')) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value,
                                         hex ? std::chars_format::hex : std::chars_format::general);
  if (end != text.data() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Java rounds to infinity or to zero; the magnitude decides which: where the first
    // significant digit stands relative to the point, plus the exponent.
    const std::size_t exponent_at = text.find_first_of(hex ? "pP" : "eE");
    const std::string_view mantissa = text.substr(0, exponent_at);
    const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
    const std::size_t first = mantissa.find_first_not_of("0.");
    long magnitude = 0;
    if (first != std::string_view::npos) {
      magnitude =
          first < point ? static_cast<long>(point - first) : -static_cast<long>(first - point) + 1;
      if (hex) magnitude *= 4;
    }
    if (exponent_at != std::string_view::npos) {
      std::string_view e = text.substr(exponent_at + 1);
      const bool e_negative = !e.empty() && e.front() == '-';
      if (!e.empty() && (e.front() == '+' || e.front() == '-')) e.remove_prefix(1);
      long exponent = 0;
      if (std::from_chars(e.data(), e.data() + e.size(), exponent).ec != std::errc()) {
        exponent = std::numeric_limits<long>::max() / 2;  // more digits than a long holds
      }
      magnitude += e_negative ? -exponent : exponent;
    }
    value = magnitude > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return sign * value;
}

// Java compares strings by UTF-16 code units (TreeMap, TreeSet, String.compareTo). For UTF-8
// that is code point order, except that a supplementary character (a surrogate pair, units
// D800-DFFF) sorts before BMP characters from U+E000 up.
bool java_string_less(std::string_view a, std::string_view b) {
  auto next = [](std::string_view s, std::size_t& i) -> std::uint32_t {
    const auto lead = static_cast<unsigned char>(s[i]);
    int length = 1;
    std::uint32_t cp = lead;
    if (lead >= 0xF0) {
      length = 4;
      cp = lead & 0x07u;
    } else if (lead >= 0xE0) {
      length = 3;
      cp = lead & 0x0Fu;
    } else if (lead >= 0xC0) {
      length = 2;
      cp = lead & 0x1Fu;
    }
    for (int k = 1; k < length && i + static_cast<std::size_t>(k) < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3Fu);
    }
    i += static_cast<std::size_t>(length);
    return cp;
  };
  // The first UTF-16 unit decides between a supplementary and a BMP character.
  auto unit = [](std::uint32_t cp) { return cp >= 0x10000 ? 0xD800 + ((cp - 0x10000) >> 10) : cp; };
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint32_t x = next(a, i);
    const std::uint32_t y = next(b, j);
    if (x == y) continue;
    if ((x >= 0x10000) == (y >= 0x10000)) return x < y;
    return unit(x) < unit(y);
  }
  return i >= a.size() && j < b.size();
}

// A JSON value as Jackson writes a JsonNode: doubles via Double.toString, non-finite doubles
// as quoted strings (JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS), object members in their
// order or, with `sort_keys`, in Java string order at every level.
void append_json(std::string& out, const json::value& value, bool sort_keys) {
  switch (value.kind()) {
    case json::kind::null: out += "null"; return;
    case json::kind::bool_: out += value.get_bool() ? "true" : "false"; return;
    case json::kind::int64: out += std::to_string(value.get_int64()); return;
    case json::kind::uint64: out += std::to_string(value.get_uint64()); return;
    case json::kind::double_: {
      const double d = value.get_double();
      if (std::isfinite(d)) {
        out += java_double_string(d);
      } else {
        append_jackson_string(out, java_double_string(d));
      }
      return;
    }
    case json::kind::string: append_jackson_string(out, value.get_string()); return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json(out, item, sort_keys);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      std::vector<const json::key_value_pair*> members;
      for (const json::key_value_pair& member : value.get_object()) members.push_back(&member);
      if (sort_keys) {
        std::stable_sort(members.begin(), members.end(), [](const auto* x, const auto* y) {
          return java_string_less(x->key(), y->key());
        });
      }
      out += '{';
      bool first = true;
      for (const json::key_value_pair* member : members) {
        if (!first) out += ',';
        first = false;
        append_jackson_string(out, member->key());
        out += ':';
        append_json(out, member->value(), sort_keys);
      }
      out += '}';
      return;
    }
  }
}

// Attributes Avro Java never keeps as properties (Schema.SCHEMA_RESERVED, the same set for
// every kind of schema: a record's "size" is dropped, not kept), plus an enum's "default".
bool is_reserved_attribute(std::string_view key, Type type) {
  static constexpr std::array<std::string_view, 10> kReserved = {
      "doc",  "fields",  "items",  "name", "namespace",
      "size", "symbols", "values", "type", "aliases"};
  if (std::find(kReserved.begin(), kReserved.end(), key) != kReserved.end()) return true;
  return type == Type::kEnum && key == "default";
}

// The names of Java's Schema.Type values. Avro 1.11 writes a named type called like one with
// its namespace even inside that namespace, so that it does not read back as the primitive.
bool is_type_keyword(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kKeywords = {
      "record", "enum", "array", "map",   "union",  "fixed",   "string",
      "bytes",  "int",  "long",  "float", "double", "boolean", "null"};
  return std::find(kKeywords.begin(), kKeywords.end(), name) != kKeywords.end();
}

// A name split as Java's Schema.Name splits it: at the last dot, an empty namespace being the
// null namespace (so ".X" is "X").
struct SplitName {
  std::string space;
  std::string name;
  std::string full() const { return space.empty() ? name : space + "." + name; }
};

SplitName split_name(std::string_view full) {
  const std::size_t dot = full.rfind('.');
  if (dot == std::string_view::npos) return {"", std::string(full)};
  return {std::string(full.substr(0, dot)), std::string(full.substr(dot + 1))};
}

// Java's Schema.Name.getQualified(defaultSpace) (1.11).
void append_qualified(std::string& out, std::string_view space, std::string_view name,
                      std::string_view default_space) {
  std::string text;
  if (space.empty() || (space == default_space && !is_type_keyword(name))) {
    text = name;
  } else {
    text = std::string(space) + "." + std::string(name);
  }
  append_jackson_string(out, text);
}

// The logical type Avro Java 1.11 recognises on this node (it has no `duration`).
bool has_java_logical_type(const Node& node) {
  return node.logical.kind != LogicalKind::kNone && node.logical.kind != LogicalKind::kDuration;
}

// A float as Confluent's normalisation leaves it: Float.toString's digits, read back as a
// double when the normalised text is parsed again.
json::value float_json(float f) {
  if (!std::isfinite(f)) return json::value(static_cast<double>(f));
  const std::string text = java_float_string(f);
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  return json::value(d);
}

// Bytes and fixed defaults travel through ISO-8859-1 (String.getBytes): a character above
// U+00FF becomes '?'. Valid defaults have none.
json::value latin1_json(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (length == 1 || (length == 2 && lead <= 0xC3)) {
      out.append(utf8.substr(i, length));
    } else {
      out += '?';
    }
    i += length;
  }
  return json::value(out);
}

// Avro Java's JacksonUtils.toObject(value, schema) followed by Jackson writing the result:
// how Confluent's normalisation re-types a default. nullopt where Java's conversion yields null
// (a value that does not fit the schema); Java then drops a field's default, or fails for a
// nested value, where this writes null.
std::optional<json::value> typed_default(const json::value& value, const Node* schema) {
  if (schema != nullptr && schema->type == Type::kUnion) {
    schema = schema->branches.empty() ? nullptr : schema->branches.front();
  }
  const Type type = schema != nullptr ? schema->type : Type::kNull;
  switch (value.kind()) {
    case json::kind::null: return json::value(nullptr);
    case json::kind::bool_: return value;
    case json::kind::int64:
    case json::kind::uint64: {
      // Above Long.MAX_VALUE Jackson holds a BigInteger, which toObject does not convert.
      if (value.is_uint64() && value.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) {
        return std::nullopt;
      }
      const double as_double = value.is_int64() ? static_cast<double>(value.get_int64())
                                                : static_cast<double>(value.get_uint64());
      if (schema == nullptr || type == Type::kInt || type == Type::kLong) return value;
      if (type == Type::kFloat) return float_json(static_cast<float>(as_double));
      if (type == Type::kDouble) return json::value(as_double);
      return std::nullopt;
    }
    case json::kind::double_:
      if (schema == nullptr || type == Type::kDouble) return value;
      if (type == Type::kFloat) return float_json(static_cast<float>(value.get_double()));
      return std::nullopt;
    case json::kind::string:
      if (schema == nullptr || type == Type::kString || type == Type::kEnum) return value;
      if (type == Type::kBytes || type == Type::kFixed) return latin1_json(value.get_string());
      return std::nullopt;
    case json::kind::array: {
      const Node* items = schema != nullptr && type == Type::kArray ? schema->items : nullptr;
      json::array out;
      for (const json::value& item : value.get_array()) {
        out.push_back(typed_default(item, items).value_or(json::value(nullptr)));
      }
      return json::value(std::move(out));
    }
    case json::kind::object: {
      json::object out;
      for (const json::key_value_pair& member : value.get_object()) {
        const Node* member_schema = nullptr;
        if (schema != nullptr && type == Type::kMap) {
          member_schema = schema->values;
        } else if (schema != nullptr && type == Type::kRecord) {
          const Field* field = schema->find_field(member.key());
          member_schema = field != nullptr ? field->type : nullptr;
        }
        out.emplace(member.key(),
                    typed_default(member.value(), member_schema).value_or(json::value(nullptr)));
      }
      return json::value(std::move(out));
    }
  }
  return std::nullopt;
}

class Renderer {
 public:
  Renderer(const Schema& schema, const RenderOptions& options)
      : normalize_(options.normalize),
        own_(schema.named_types().begin(), schema.named_types().end()) {}

  std::string render(const Node& root) {
    append_node(root);
    return std::move(out_);
  }

 private:
  void append_node(const Node& node) {
    switch (node.type) {
      case Type::kNull:
      case Type::kBoolean:
      case Type::kInt:
      case Type::kLong:
      case Type::kFloat:
      case Type::kDouble:
      case Type::kBytes:
      case Type::kString: append_primitive(node); return;
      case Type::kArray:
      case Type::kMap: {
        const bool is_array = node.type == Type::kArray;
        out_ += is_array ? R"({"type":"array","items":)" : R"({"type":"map","values":)";
        append_node(is_array ? *node.items : *node.values);
        append_properties(node);
        out_ += '}';
        return;
      }
      case Type::kUnion: {
        out_ += '[';
        bool first = true;
        for (const Node* branch : node.branches) {
          if (!first) out_ += ',';
          first = false;
          append_node(*branch);
        }
        out_ += ']';
        return;
      }
      case Type::kRecord:
      case Type::kEnum:
      case Type::kFixed: append_named(node); return;
    }
  }

  void append_primitive(const Node& node) {
    const bool has_properties = std::any_of(
        node.properties.begin(), node.properties.end(),
        [&](const auto& member) { return !is_reserved_attribute(member.key(), node.type); });
    if (!has_properties) {
      append_jackson_string(out_, to_string(node.type));
      return;
    }
    out_ += R"({"type":)";
    append_jackson_string(out_, to_string(node.type));
    append_properties(node);
    out_ += '}';
  }

  // The namespace a named type is printed with. Confluent's normalised text gives every named
  // type by its full name and no namespace, so a type in the null namespace defined inside a
  // namespaced one reads back into the enclosing namespace; normalisation moves it there.
  const std::string& space_of(const Node& node) const {
    auto it = moved_.find(&node);
    return it != moved_.end() ? it->second : node.space;
  }

  void append_named(const Node& node) {
    // Referenced schemas' types are known names; anything else is defined at its first use.
    if (!own_.contains(&node) || !defined_.insert(&node).second) {
      append_qualified(out_, space_of(node), node.name, space_);
      return;
    }
    if (normalize_ && node.space.empty() && !space_.empty()) moved_.emplace(&node, space_);
    const std::string& space = space_of(node);

    out_ += R"({"type":)";
    if (node.type == Type::kRecord) {
      out_ += node.is_error && !normalize_ ? R"("error")" : R"("record")";
    } else {
      out_ += node.type == Type::kEnum ? R"("enum")" : R"("fixed")";
    }
    out_ += R"(,"name":)";
    append_jackson_string(out_, node.name);
    if (space != space_) {
      // Written when it differs from the enclosing one; "" says "the null namespace" inside a
      // namespaced type.
      out_ += R"(,"namespace":)";
      append_jackson_string(out_, space);
    }
    // A record's fields are written relative to the record's namespace.
    std::string saved_space = std::exchange(space_, space);
    if (node.doc && !(normalize_ && node.doc->empty())) {
      out_ += R"(,"doc":)";
      append_jackson_string(out_, *node.doc);
    }
    switch (node.type) {
      case Type::kRecord: append_fields(node); break;
      case Type::kEnum: {
        out_ += R"(,"symbols":[)";
        bool first = true;
        for (const std::string& symbol : node.symbols) {
          if (!first) out_ += ',';
          first = false;
          append_jackson_string(out_, symbol);
        }
        out_ += ']';
        if (node.enum_default) {
          out_ += R"(,"default":)";
          append_jackson_string(out_, *node.enum_default);
        }
        break;
      }
      default:
        out_ += R"(,"size":)";
        out_ += std::to_string(node.size);
        break;
    }
    append_properties(node);
    append_aliases(node, space);
    out_ += '}';
    space_ = std::move(saved_space);
  }

  void append_fields(const Node& record) {
    out_ += R"(,"fields":[)";
    bool first = true;
    for (const Field& field : record.fields) {
      if (!first) out_ += ',';
      first = false;
      out_ += R"({"name":)";
      append_jackson_string(out_, field.name);
      out_ += R"(,"type":)";
      append_node(*field.type);
      if (field.doc) {
        out_ += R"(,"doc":)";
        append_jackson_string(out_, *field.doc);
      }
      if (field.default_value) append_default(field);
      if (field.order != FieldOrder::kAscending) {
        out_ += field.order == FieldOrder::kDescending ? R"(,"order":"descending")"
                                                       : R"(,"order":"ignore")";
      }
      append_field_aliases(field);
      append_members(field.properties, {}, Type::kNull, /*skip_reserved=*/false);
      out_ += '}';
    }
    out_ += ']';
  }

  void append_default(const Field& field) {
    json::value value = *field.default_value;
    // Avro's parser reads a string default of a float or double field with Double.valueOf.
    const Type type = field.type->type;
    if (value.is_string() && (type == Type::kFloat || type == Type::kDouble)) {
      if (auto parsed = java_parse_double(value.get_string())) value = *parsed;
    }
    if (normalize_) {
      std::optional<json::value> typed = typed_default(value, field.type);
      if (!typed) return;
      value = std::move(*typed);
    }
    out_ += R"(,"default":)";
    append_json(out_, value, normalize_);
  }

  void append_field_aliases(const Field& field) {
    if (field.aliases.empty()) return;
    // A set in Java: duplicates go, first occurrence order stays (sorted when normalising).
    std::vector<std::string_view> aliases;
    for (const std::string& alias : field.aliases) {
      if (std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) {
        aliases.push_back(alias);
      }
    }
    if (normalize_) std::sort(aliases.begin(), aliases.end(), java_string_less);
    out_ += R"(,"aliases":[)";
    bool first = true;
    for (std::string_view alias : aliases) {
      if (!first) out_ += ',';
      first = false;
      append_jackson_string(out_, alias);
    }
    out_ += ']';
  }

  // Aliases of a named type, each written relative to the type's own namespace.
  void append_aliases(const Node& node, const std::string& space) {
    if (node.aliases.empty()) return;
    std::vector<SplitName> names;
    for (const std::string& alias : node.aliases) names.push_back(split_name(alias));
    if (normalize_) {
      // Sorted by full name; read back relative to the (possibly moved) namespace.
      std::sort(names.begin(), names.end(), [](const SplitName& a, const SplitName& b) {
        return java_string_less(a.full(), b.full());
      });
      for (SplitName& name : names) {
        if (name.space.empty()) name.space = space;
      }
    }
    std::vector<SplitName> unique;
    for (SplitName& name : names) {
      const bool seen = std::any_of(unique.begin(), unique.end(), [&](const SplitName& other) {
        return other.full() == name.full();
      });
      if (!seen) unique.push_back(std::move(name));
    }
    out_ += R"(,"aliases":[)";
    bool first = true;
    for (const SplitName& name : unique) {
      if (!first) out_ += ',';
      first = false;
      append_qualified(out_, name.space, name.name, space);
    }
    out_ += ']';
  }

  void append_properties(const Node& node) {
    std::vector<std::string_view> first_keys;
    if (normalize_ && has_java_logical_type(node)) {
      // Confluent writes the logical type's keys before the sorted properties; when the text is
      // read back, a repeated key keeps its first position.
      first_keys.push_back("logicalType");
      if (node.logical.kind == LogicalKind::kDecimal) {
        first_keys.push_back("precision");
        if (node.logical.scale != 0) first_keys.push_back("scale");
      }
    }
    append_members(node.properties, first_keys, node.type, /*skip_reserved=*/true);
  }

  // Custom properties: in source order, or when normalising `first_keys` and then the rest in
  // key order, each value with its object keys sorted.
  void append_members(const json::object& properties,
                      const std::vector<std::string_view>& first_keys, Type type,
                      bool skip_reserved) {
    std::vector<const json::key_value_pair*> members;
    for (const json::key_value_pair& member : properties) {
      if (skip_reserved && is_reserved_attribute(member.key(), type)) continue;
      members.push_back(&member);
    }
    if (normalize_) {
      auto rank = [&](std::string_view key) {
        const auto it = std::find(first_keys.begin(), first_keys.end(), key);
        return static_cast<std::size_t>(it - first_keys.begin());
      };
      std::stable_sort(members.begin(), members.end(), [&](const auto* x, const auto* y) {
        const std::size_t rx = rank(x->key());
        const std::size_t ry = rank(y->key());
        if (rx != ry) return rx < ry;
        return java_string_less(x->key(), y->key());
      });
    }
    for (const json::key_value_pair* member : members) {
      out_ += ',';
      append_jackson_string(out_, member->key());
      out_ += ':';
      append_json(out_, member->value(), normalize_);
    }
  }

  const bool normalize_;
  const std::unordered_set<const Node*> own_;
  std::unordered_set<const Node*> defined_;
  std::unordered_map<const Node*, std::string> moved_;
  std::string space_;  // the enclosing namespace, Java's Names.space; "" is the null namespace
  std::string out_;
};

}  // namespace

std::string java_double_string(double value) {
  return java_floating_string(value);
}

std::string java_float_string(float value) {
  return java_floating_string(value);
}

std::string render(const Schema& schema, const RenderOptions& options) {
  return Renderer(schema, options).render(schema.root());
}

}  // namespace sg::avro
