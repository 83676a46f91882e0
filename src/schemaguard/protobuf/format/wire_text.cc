// Reads `.proto` text into the element model Square Wire's parser builds (ProtoFileElement and
// friends), turns descriptors into the same model the way Confluent's ProtobufSchema does, and
// prints it as Confluent's ProtobufSchemaUtils does. Written from the behaviour of those
// programs (Wire's ProtoParser/OptionReader/SyntaxReader, Confluent 8.x's ProtobufSchema and
// ProtobufSchemaUtils); the comments name the rule each step reproduces.
#include "schemaguard/protobuf/format/wire_text.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/unknown_field_set.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sg::protobuf {

namespace gp = google::protobuf;

namespace {

// Wire's OptionElement.Kind.
enum class Kind { kString, kBoolean, kNumber, kEnum, kMap, kList, kOption };

struct WireOption;

// An option's value, or an entry of a map or list value. Booleans, numbers and enum words are
// kept as written (Wire's OptionPrimitive), strings unescaped.
struct WireValue {
  enum class Type { kString, kPrimitive, kMap, kList, kOption };
  Type type = Type::kString;
  Kind primitive = Kind::kString;      // kBoolean, kNumber or kEnum when type is kPrimitive
  std::string text;                    // kString, kPrimitive
  std::vector<std::string> keys;       // kMap, in insertion order
  std::vector<WireValue> values;       // kMap (beside keys), kList
  std::shared_ptr<WireOption> option;  // kOption: the rest of a dotted option name
};

struct WireOption {
  std::string name;
  bool parenthesized = false;
  Kind kind = Kind::kString;
  WireValue value;
};

// A reserved or extension range entry: a number, an inclusive range, or a reserved name.
struct WireRange {
  enum class Type { kTag, kRange, kName };
  Type type = Type::kTag;
  long long start = 0;
  long long end = 0;
  std::string name;
};

struct WireField {
  std::string label;  // "", "optional", "required", "repeated"
  std::string type;
  std::string name;
  long long tag = 0;
  std::optional<std::string> default_value;
  std::optional<std::string> json_name;
  std::vector<WireOption> options;
};

struct WireGroup {
  std::string label;
  std::string name;
  long long tag = 0;
  std::vector<WireField> fields;
};

struct WireOneOf {
  std::string name;
  std::vector<WireField> fields;
  std::vector<WireGroup> groups;
  std::vector<WireOption> options;
};

struct WireReserved {
  std::vector<WireRange> values;
};

struct WireExtensions {
  std::vector<WireRange> values;
  std::vector<WireOption> options;
};

struct WireExtend {
  std::string name;
  std::vector<WireField> fields;
};

struct WireEnumConstant {
  std::string name;
  long long tag = 0;
  std::vector<WireOption> options;
};

struct WireEnum {
  std::string name;
  std::vector<WireOption> options;
  std::vector<WireEnumConstant> constants;
  std::vector<WireReserved> reserveds;
};

// Nested messages and enums are kept apart: the printer writes all messages of a scope before
// its enums, so their interleaving in the source never shows.
struct WireMessage {
  std::string name;
  std::vector<WireMessage> messages;
  std::vector<WireEnum> enums;
  std::vector<WireOption> options;
  std::vector<WireReserved> reserveds;
  std::vector<WireField> fields;
  std::vector<WireOneOf> oneofs;
  std::vector<WireExtensions> extensions;
  std::vector<WireGroup> groups;
  std::vector<WireExtend> extends;
};

struct WireRpc {
  std::string name;
  std::string request_type;
  std::string response_type;
  bool request_streaming = false;
  bool response_streaming = false;
  std::vector<WireOption> options;
};

struct WireService {
  std::string name;
  std::vector<WireRpc> rpcs;
  std::vector<WireOption> options;
};

}  // namespace

struct WireFile {
  std::optional<std::string> syntax;
  std::optional<std::string> package;
  std::vector<std::string> imports;
  std::vector<std::string> public_imports;
  std::vector<std::string> weak_imports;  // printed last (Confluent drops them; see print)
  std::vector<WireOption> options;
  std::vector<WireMessage> messages;
  std::vector<WireEnum> enums;
  std::vector<WireExtend> extends;
  std::vector<WireService> services;
};

namespace {

// Wire's largest field number, printed as `max`.
constexpr long long kMaxTag = 536'870'911;

// ---------------------------------------------------------------------------------------------
// Reading .proto text (Wire's SyntaxReader and ProtoParser).

struct Refused {};  // Wire would refuse the text; caught in read_wire()

void append_utf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  bool exhausted() {
    skip_whitespace();
    return pos_ == data_.size();
  }

  char peek() {
    skip_whitespace();
    if (pos_ >= data_.size()) throw Refused{};
    return data_[pos_];
  }

  bool peek(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  char read() {
    const char c = peek();
    ++pos_;
    return c;
  }

  void require(char c) {
    if (read() != c) throw Refused{};
  }

  void push_back(char c) {
    if (pos_ == 0 || data_[pos_ - 1] != c) throw Refused{};
    --pos_;
  }

  // A word of letters, digits, '_', '-' and (when allowed) '.'.
  std::string word(bool allow_leading_digit = true, bool allow_dots = true) {
    skip_whitespace();
    const size_t start = pos_;
    while (pos_ < data_.size() &&
           (is_word_char(data_[pos_]) || (allow_dots && data_[pos_] == '.'))) {
      ++pos_;
    }
    if (start == pos_) throw Refused{};
    if (!allow_leading_digit && is_digit(data_[start])) throw Refused{};
    return std::string(data_.substr(start, pos_ - start));
  }

  // A (parenthesised), [bracketed] or naked name.
  std::string name(bool allow_leading_digit = true, bool retain_wrap = false,
                   bool allow_dots = true) {
    const char c = peek();
    if (c == '(' || c == '[') {
      ++pos_;
      std::string inner = word(allow_leading_digit);
      const char close = c == '(' ? ')' : ']';
      if (read() != close) throw Refused{};
      return retain_wrap ? std::string(1, c) + inner + close : inner;
    }
    return word(allow_leading_digit, allow_dots);
  }

  // A scalar, message or map type; map types come out as "map<K, V>".
  std::string data_type() { return data_type(word()); }
  std::string data_type(std::string first) {
    if (first == "map") {
      if (read() != '<') throw Refused{};
      std::string key = data_type();
      if (read() != ',') throw Refused{};
      std::string value = data_type();
      if (read() != '>') throw Refused{};
      return "map<" + key + ", " + value + ">";
    }
    while (peek() == '.') {
      ++pos_;
      first += "." + word();
    }
    return first;
  }

  long long integer() {
    std::string text = word();
    int base = 10;
    std::string digits = text;
    if (digits.starts_with("0x") || digits.starts_with("0X")) {
      digits = digits.substr(2);
      base = 16;
    }
    if (digits.empty()) throw Refused{};
    char* end = nullptr;
    const long long value = std::strtoll(digits.c_str(), &end, base);
    if (*end != '\0' || value > 2147483647LL || value < -2147483648LL) throw Refused{};
    if (digits[0] == ' ') throw Refused{};
    return value;
  }

  // A quoted string, adjacent ones joined; Wire's escapes (each numeric escape is one char).
  std::string quoted() {
    char quote = read();
    if (quote != '"' && quote != '\'') throw Refused{};
    std::string out;
    while (pos_ < data_.size()) {
      char c = data_[pos_++];
      if (c == quote) {
        const char next = peek();
        if (next == '"' || next == '\'') {
          quote = read();
          continue;
        }
        return out;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= data_.size()) throw Refused{};
      c = data_[pos_++];
      switch (c) {
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case 'x':
        case 'X': append_utf8(out, numeric_escape(16, 2)); break;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
          --pos_;
          append_utf8(out, numeric_escape(8, 3));
          break;
        default: out += c;  // \\, \', \" and any other: the character itself
      }
    }
    throw Refused{};
  }

  std::string string_or_word() {
    const char c = peek();
    return c == '"' || c == '\'' ? quoted() : word();
  }

 private:
  unsigned numeric_escape(int radix, size_t length) {
    int value = -1;
    const size_t end = std::min(pos_ + length, data_.size());
    while (pos_ < end) {
      const char c = data_[pos_];
      int digit = -1;
      if (c >= '0' && c <= '9') digit = c - '0';
      if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      if (digit < 0 || digit >= radix) break;
      value = value < 0 ? digit : value * radix + digit;
      ++pos_;
    }
    if (value < 0) throw Refused{};
    return static_cast<unsigned>(value);
  }

  void skip_whitespace() {
    while (pos_ < data_.size()) {
      const char c = data_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '/') {
        while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
      } else if (c == '/' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '*') {
        const size_t close = data_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) throw Refused{};
        pos_ = close + 2;
      } else {
        return;
      }
    }
  }

  std::string_view data_;
  size_t pos_ = 0;
};

WireValue primitive(Kind kind, std::string text) {
  WireValue value;
  value.type = WireValue::Type::kPrimitive;
  value.primitive = kind;
  value.text = std::move(text);
  return value;
}

WireValue string_value(std::string text) {
  WireValue value;
  value.type = WireValue::Type::kString;
  value.text = std::move(text);
  return value;
}

// Wire's OptionReader.
class OptionReader {
 public:
  explicit OptionReader(Reader& reader) : reader_(reader) {}

  // `[a = 1, b = 2]`, or nothing.
  std::vector<WireOption> bracketed() {
    std::vector<WireOption> result;
    if (!reader_.peek('[')) return result;
    while (true) {
      result.push_back(option('='));
      if (reader_.peek(']')) break;
      if (!reader_.peek(',')) throw Refused{};
    }
    return result;
  }

  WireOption option(char separator) {
    const char first = reader_.peek();
    const bool extension = first == '[';
    const bool parenthesized = first == '(';
    std::string name = reader_.name();
    if (extension) name = "[" + name + "]";
    std::vector<std::string> sub_names;
    char c = 0;
    while (true) {
      c = reader_.read();
      if (c != '.') break;
      if (sub_names.size() >= static_cast<std::size_t>(kMaxNesting)) throw Refused{};
      sub_names.push_back(reader_.name(true, true, false));
    }
    if (separator == ':' && c == '{') {
      reader_.push_back('{');
    } else if (c != separator) {
      throw Refused{};
    }
    auto [kind, value] = kind_and_value();
    for (auto it = sub_names.rbegin(); it != sub_names.rend(); ++it) {
      auto nested = std::make_shared<WireOption>();
      nested->name = *it;
      if (nested->name.starts_with("(")) {
        nested->name = nested->name.substr(1, nested->name.size() - 2);
        nested->parenthesized = true;
      }
      nested->kind = kind;
      nested->value = std::move(value);
      value = WireValue();
      value.type = WireValue::Type::kOption;
      value.option = std::move(nested);
      kind = Kind::kOption;
    }
    WireOption result;
    result.name = std::move(name);
    result.parenthesized = parenthesized;
    result.kind = kind;
    result.value = std::move(value);
    return result;
  }

 private:
  // Values nest (maps in lists in maps); libprotoc keeps an aggregate value as uninterpreted
  // text at any depth, so this reader bounds its own recursion. Deeper values are refused, and
  // the caller falls back to libprotobuf's printing.
  static constexpr int kMaxNesting = 64;

  std::pair<Kind, WireValue> kind_and_value() {
    if (++depth_ > kMaxNesting) throw Refused{};
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{depth_};
    const char c = reader_.peek();
    if (c == '{') return {Kind::kMap, map()};
    if (c == '[') return {Kind::kList, list()};
    if (c == '"' || c == '\'') return {Kind::kString, string_value(reader_.quoted())};
    if (is_digit(c) || c == '-') return {Kind::kNumber, primitive(Kind::kNumber, reader_.word())};
    std::string word = reader_.word();
    if (word == "true" || word == "false") return {Kind::kBoolean, primitive(Kind::kBoolean, word)};
    return {Kind::kEnum, primitive(Kind::kEnum, word)};
  }

  WireValue map() {
    if (reader_.read() != '{') throw Refused{};
    WireValue result;
    result.type = WireValue::Type::kMap;
    while (true) {
      if (reader_.peek('}')) return result;
      WireOption entry = option(':');
      auto at = std::find(result.keys.begin(), result.keys.end(), entry.name);
      if (entry.kind == Kind::kOption) {
        // `a.b: 1` nests b under a; the nested value goes in raw (Wire stores it unwrapped,
        // so a number or word prints quoted later).
        if (at == result.keys.end()) {
          result.keys.push_back(entry.name);
          WireValue nested;
          nested.type = WireValue::Type::kMap;
          result.values.push_back(std::move(nested));
          at = result.keys.end() - 1;
        }
        WireValue& nested = result.values[static_cast<size_t>(at - result.keys.begin())];
        if (nested.type != WireValue::Type::kMap) {
          nested = WireValue();
          nested.type = WireValue::Type::kMap;
        }
        WireOption& inner = *entry.value.option;
        WireValue raw = std::move(inner.value);
        if (raw.type == WireValue::Type::kPrimitive) raw = string_value(raw.text);
        auto inner_at = std::find(nested.keys.begin(), nested.keys.end(), inner.name);
        if (inner_at == nested.keys.end()) {
          nested.keys.push_back(inner.name);
          nested.values.push_back(std::move(raw));
        } else {
          nested.values[static_cast<size_t>(inner_at - nested.keys.begin())] = std::move(raw);
        }
      } else if (at == result.keys.end()) {
        result.keys.push_back(entry.name);
        result.values.push_back(std::move(entry.value));
      } else {
        // A repeated key collects its values in a list.
        WireValue& previous = result.values[static_cast<size_t>(at - result.keys.begin())];
        if (previous.type != WireValue::Type::kList) {
          WireValue list;
          list.type = WireValue::Type::kList;
          list.values.push_back(std::move(previous));
          previous = std::move(list);
        }
        if (entry.value.type == WireValue::Type::kList) {
          for (auto& v : entry.value.values) previous.values.push_back(std::move(v));
        } else {
          previous.values.push_back(std::move(entry.value));
        }
      }
      if (!reader_.peek(',')) reader_.peek(';');
    }
  }

  WireValue list() {
    reader_.require('[');
    WireValue result;
    result.type = WireValue::Type::kList;
    while (true) {
      if (reader_.peek(']')) return result;
      result.values.push_back(kind_and_value().second);
      if (reader_.peek(',')) continue;
      if (reader_.peek() != ']') throw Refused{};
    }
  }

  Reader& reader_;
  int depth_ = 0;
};

enum class Scope { kFile, kMessage, kEnum, kRpc, kExtend, kService };

// Wire's ProtoParser, one declaration at a time.
class Parser {
 public:
  explicit Parser(std::string_view text) : reader_(text) {}

  WireFile file() {
    WireFile file;
    int index = 0;
    while (!reader_.exhausted()) {
      if (reader_.peek(';')) {
        ++index;
        continue;
      }
      const std::string label = reader_.word();
      if (label == "package") {
        file.package = reader_.name();
        reader_.require(';');
      } else if (label == "import") {
        const char c = reader_.peek();
        if (c == '"' || c == '\'') {
          file.imports.push_back(reader_.quoted());
        } else {
          const std::string kind = reader_.string_or_word();
          if (kind == "weak") {
            file.weak_imports.push_back(reader_.quoted());
          } else if (kind == "public") {
            file.public_imports.push_back(reader_.quoted());
          } else {
            throw Refused{};
          }
        }
        reader_.require(';');
      } else if (label == "syntax") {
        if (file.syntax || index != 0) throw Refused{};
        reader_.require('=');
        std::string syntax = reader_.quoted();
        if (syntax != "proto2" && syntax != "proto3") throw Refused{};
        file.syntax = syntax;
        proto3_ = syntax == "proto3";
        reader_.require(';');
      } else if (label == "option") {
        file.options.push_back(OptionReader(reader_).option('='));
        reader_.require(';');
      } else if (label == "reserved") {
        reserved();  // allowed by Wire at file level, and dropped
      } else if (label == "message") {
        file.messages.push_back(message());
      } else if (label == "enum") {
        file.enums.push_back(enumeration());
      } else if (label == "service") {
        file.services.push_back(service());
      } else if (label == "extend") {
        file.extends.push_back(extend());
      } else {
        throw Refused{};  // `edition` included
      }
      ++index;
    }
    return file;
  }

 private:
  WireMessage message() {
    WireMessage message;
    message.name = reader_.name();
    reader_.require('{');
    while (!reader_.peek('}')) {
      if (reader_.peek(';')) continue;
      const std::string label = reader_.word();
      if (label == "option") {
        message.options.push_back(OptionReader(reader_).option('='));
        reader_.require(';');
      } else if (label == "reserved") {
        message.reserveds.push_back(reserved());
      } else if (label == "message") {
        message.messages.push_back(this->message());
      } else if (label == "enum") {
        message.enums.push_back(enumeration());
      } else if (label == "extend") {
        message.extends.push_back(extend());
      } else if (label == "oneof") {
        message.oneofs.push_back(oneof());
      } else if (label == "extensions") {
        message.extensions.push_back(extensions());
      } else {
        field_or_group(label, message.fields, &message.groups);
      }
    }
    return message;
  }

  // A field (or group) declaration starting with `word`, a label or its type.
  void field_or_group(const std::string& word, std::vector<WireField>& fields,
                      std::vector<WireGroup>* groups) {
    std::string label;
    std::string type;
    if (word == "required" || word == "optional" || word == "repeated") {
      if (word == "required" && proto3_) throw Refused{};
      label = word;
      type = reader_.data_type();
    } else {
      if (!proto3_ && !(word == "map" && reader_.peek() == '<')) throw Refused{};
      type = reader_.data_type(word);
    }
    if (type.starts_with("map<") && !label.empty()) throw Refused{};
    if (type == "group") {
      if (groups == nullptr) throw Refused{};
      groups->push_back(group(label));
    } else {
      fields.push_back(field(label, type));
    }
  }

  WireField field(std::string label, std::string type) {
    WireField field;
    field.label = std::move(label);
    field.type = std::move(type);
    field.name = reader_.name(false);
    reader_.require('=');
    field.tag = reader_.integer();
    std::vector<WireOption> options = OptionReader(reader_).bracketed();
    // `default` and `json_name` are not options in Wire's model: the last of each is kept as
    // text (a string unescaped) and printed after the other options.
    for (const char* special : {"default", "json_name"}) {
      std::optional<std::string> value;
      for (auto it = options.begin(); it != options.end();) {
        if (it->name == special) {
          value = it->value.text;
          it = options.erase(it);
        } else {
          ++it;
        }
      }
      (std::string_view(special) == "default" ? field.default_value : field.json_name) = value;
    }
    field.options = std::move(options);
    reader_.require(';');
    return field;
  }

  WireOneOf oneof() {
    WireOneOf oneof;
    oneof.name = reader_.name();
    reader_.require('{');
    while (!reader_.peek('}')) {
      const std::string type = reader_.data_type();
      if (type == "group") {
        oneof.groups.push_back(group(""));
      } else if (type == "option") {
        oneof.options.push_back(OptionReader(reader_).option('='));
        reader_.require(';');
      } else {
        oneof.fields.push_back(field("", type));
      }
    }
    return oneof;
  }

  WireGroup group(std::string label) {
    WireGroup group;
    group.label = std::move(label);
    group.name = reader_.word();
    reader_.require('=');
    group.tag = reader_.integer();
    reader_.require('{');
    while (!reader_.peek('}')) {
      field_or_group(reader_.word(), group.fields, nullptr);
    }
    return group;
  }

  std::vector<WireRange> ranges(bool names, bool stop_at_options) {
    std::vector<WireRange> values;
    while (true) {
      const char c = reader_.peek();
      WireRange range;
      if (names && (c == '"' || c == '\'')) {
        range.type = WireRange::Type::kName;
        range.name = reader_.quoted();
      } else {
        range.start = reader_.integer();
        const char next = reader_.peek();
        if (next == ',' || next == ';' || (stop_at_options && next == '[')) {
          range.type = WireRange::Type::kTag;
        } else {
          if (reader_.word() != "to") throw Refused{};
          const std::string end = reader_.word();
          range.type = WireRange::Type::kRange;
          if (end == "max") {
            range.end = kMaxTag;
          } else {
            char* stop = nullptr;
            range.end = std::strtoll(end.c_str(), &stop, 10);
            if (*stop != '\0') throw Refused{};
          }
        }
      }
      values.push_back(std::move(range));
      if (stop_at_options && reader_.peek() == '[') return values;
      const char separator = reader_.read();
      if (separator == ';') return values;
      if (separator != ',') throw Refused{};
    }
  }

  WireReserved reserved() {
    WireReserved reserved;
    reserved.values = ranges(true, false);
    return reserved;
  }

  WireExtensions extensions() {
    WireExtensions extensions;
    extensions.values = ranges(false, true);
    if (reader_.peek() == '[') {
      extensions.options = OptionReader(reader_).bracketed();
      reader_.require(';');
    }
    return extensions;
  }

  WireEnum enumeration() {
    WireEnum enumeration;
    enumeration.name = reader_.name();
    reader_.require('{');
    while (!reader_.peek('}')) {
      if (reader_.peek(';')) continue;
      const std::string label = reader_.word(false);
      if (label == "option") {
        enumeration.options.push_back(OptionReader(reader_).option('='));
        reader_.require(';');
      } else if (label == "reserved") {
        enumeration.reserveds.push_back(reserved());
      } else {
        WireEnumConstant constant;
        constant.name = label;
        reader_.require('=');
        constant.tag = reader_.integer();
        constant.options = OptionReader(reader_).bracketed();
        reader_.require(';');
        enumeration.constants.push_back(std::move(constant));
      }
    }
    return enumeration;
  }

  WireExtend extend() {
    WireExtend extend;
    extend.name = reader_.name();
    reader_.require('{');
    while (!reader_.peek('}')) {
      if (reader_.peek(';')) continue;
      field_or_group(reader_.word(), extend.fields, nullptr);
    }
    return extend;
  }

  WireService service() {
    WireService service;
    service.name = reader_.name();
    reader_.require('{');
    while (!reader_.peek('}')) {
      if (reader_.peek(';')) continue;
      const std::string label = reader_.word();
      if (label == "option") {
        service.options.push_back(OptionReader(reader_).option('='));
        reader_.require(';');
      } else if (label == "rpc") {
        service.rpcs.push_back(rpc());
      } else {
        throw Refused{};
      }
    }
    return service;
  }

  WireRpc rpc() {
    WireRpc rpc;
    rpc.name = reader_.name();
    for (int side = 0; side < 2; ++side) {
      if (side == 1 && reader_.word() != "returns") throw Refused{};
      reader_.require('(');
      std::string word = reader_.word();
      bool streaming = false;
      std::string type;
      if (word == "stream") {
        streaming = true;
        type = reader_.data_type();
      } else {
        type = reader_.data_type(word);
      }
      reader_.require(')');
      (side == 0 ? rpc.request_type : rpc.response_type) = type;
      (side == 0 ? rpc.request_streaming : rpc.response_streaming) = streaming;
    }
    if (reader_.peek('{')) {
      while (!reader_.peek('}')) {
        if (reader_.peek(';')) continue;
        if (reader_.word() != "option") throw Refused{};
        rpc.options.push_back(OptionReader(reader_).option('='));
        reader_.require(';');
      }
    } else {
      reader_.require(';');
    }
    return rpc;
  }

  Reader reader_;
  bool proto3_ = false;
};

// ---------------------------------------------------------------------------------------------
// Descriptors to elements (Confluent's ProtobufSchema.toProtoFile(FileDescriptorProto)).

WireOption builtin(const char* name, Kind kind, std::string text) {
  WireOption option;
  option.name = name;
  option.kind = kind;
  option.value =
      kind == Kind::kString ? string_value(std::move(text)) : primitive(kind, std::move(text));
  return option;
}

WireOption flag(const char* name, bool value) {
  return builtin(name, Kind::kBoolean, value ? "true" : "false");
}

WireRange exclusive_range(int start, int end) {
  WireRange range;
  range.start = start;
  range.end = end - 1;
  range.type = start == end - 1 ? WireRange::Type::kTag : WireRange::Type::kRange;
  return range;
}

// Confluent's `confluent.*_meta` option (extension 1088 of every options message, confluent/
// meta.proto), which libprotobuf keeps as unknown fields: a map of doc, params (each a
// {key, value} map; value first for precision and scale), tags and rules, as Confluent's
// ProtobufSchema.toOption builds it. nullopt when absent or empty.
std::optional<WireOption> meta_option(const gp::Message& options, const char* name) {
  constexpr int kMetaField = 1088;
  std::string bytes;
  const gp::UnknownFieldSet& unknown = options.GetReflection()->GetUnknownFields(options);
  for (int i = 0; i < unknown.field_count(); ++i) {
    const gp::UnknownField& field = unknown.field(i);
    if (field.number() == kMetaField && field.type() == gp::UnknownField::TYPE_LENGTH_DELIMITED) {
      bytes += field.length_delimited();  // repeated occurrences merge
    }
  }
  gp::UnknownFieldSet meta;
  if (bytes.empty() || !meta.ParseFromString(bytes)) return std::nullopt;
  auto strings = [](const std::string& encoded) {
    std::map<int, std::string> out;  // field number -> last value
    gp::UnknownFieldSet set;
    if (set.ParseFromString(encoded)) {
      for (int i = 0; i < set.field_count(); ++i) {
        if (set.field(i).type() == gp::UnknownField::TYPE_LENGTH_DELIMITED) {
          out[set.field(i).number()] = set.field(i).length_delimited();
        }
      }
    }
    return out;
  };
  std::string doc;
  std::vector<std::pair<std::string, std::string>> params;
  WireValue tags;
  tags.type = WireValue::Type::kList;
  WireValue rules;
  rules.type = WireValue::Type::kList;
  for (int i = 0; i < meta.field_count(); ++i) {
    const gp::UnknownField& field = meta.field(i);
    if (field.type() != gp::UnknownField::TYPE_LENGTH_DELIMITED) continue;
    const std::string& value = field.length_delimited();
    if (field.number() == 1) {
      doc = value;
    } else if (field.number() == 2) {
      auto entry = strings(value);
      auto at = std::find_if(params.begin(), params.end(),
                             [&](const auto& p) { return p.first == entry[1]; });
      if (at == params.end()) {
        params.emplace_back(entry[1], entry[2]);
      } else {
        at->second = entry[2];
      }
    } else if (field.number() == 3) {
      tags.values.push_back(string_value(value));
    } else if (field.number() == 4) {
      auto rule = strings(value);
      WireValue map;
      map.type = WireValue::Type::kMap;
      const char* names[] = {"name", "doc", "expr", "sql"};
      for (int n = 1; n <= 4; ++n) {
        if (rule[n].empty()) continue;
        map.keys.emplace_back(names[n - 1]);
        map.values.push_back(string_value(rule[n]));
      }
      if (!map.keys.empty()) rules.values.push_back(std::move(map));
    }
  }
  WireOption option;
  option.name = name;
  option.parenthesized = true;
  option.kind = Kind::kMap;
  option.value.type = WireValue::Type::kMap;
  if (!doc.empty()) {
    option.value.keys.emplace_back("doc");
    option.value.values.push_back(string_value(doc));
  }
  if (!params.empty()) {
    WireValue list;
    list.type = WireValue::Type::kList;
    for (const auto& [key, value] : params) {
      WireValue map;
      map.type = WireValue::Type::kMap;
      const bool value_first = key == "precision" || key == "scale";
      map.keys = value_first ? std::vector<std::string>{"value", "key"}
                             : std::vector<std::string>{"key", "value"};
      map.values.push_back(string_value(value_first ? value : key));
      map.values.push_back(string_value(value_first ? key : value));
      list.values.push_back(std::move(map));
    }
    option.value.keys.emplace_back("params");
    option.value.values.push_back(std::move(list));
  }
  if (!tags.values.empty()) {
    option.value.keys.emplace_back("tags");
    option.value.values.push_back(std::move(tags));
  }
  if (!rules.values.empty()) {
    option.value.keys.emplace_back("rules");
    option.value.values.push_back(std::move(rules));
  }
  if (option.value.keys.empty()) return std::nullopt;
  return option;
}

std::string scalar_name(gp::FieldDescriptorProto::Type type) {
  // FieldDescriptor::Type names lower-cased: TYPE_INT32 -> "int32".
  std::string name = gp::FieldDescriptorProto::Type_Name(type).substr(5);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

WireField descriptor_field(const gp::FileDescriptorProto& file, const gp::FieldDescriptorProto& fd,
                           bool in_oneof) {
  const bool proto3 = file.syntax() == "proto3";
  WireField field;
  field.name = fd.name();
  field.tag = fd.number();
  field.type = fd.has_type_name() ? fd.type_name() : scalar_name(fd.type());
  if (!in_oneof) {
    if (fd.proto3_optional()) {
      field.label = "optional";
    } else if (fd.label() == gp::FieldDescriptorProto::LABEL_REPEATED) {
      field.label = "repeated";
    } else if (!proto3) {
      field.label =
          fd.label() == gp::FieldDescriptorProto::LABEL_REQUIRED ? "required" : "optional";
    }
  }
  const gp::FieldOptions& o = fd.options();
  if (o.has_ctype())
    field.options.push_back(builtin("ctype", Kind::kEnum, gp::FieldOptions::CType_Name(o.ctype())));
  if (o.has_packed()) field.options.push_back(flag("packed", o.packed()));
  if (o.has_jstype())
    field.options.push_back(
        builtin("jstype", Kind::kEnum, gp::FieldOptions::JSType_Name(o.jstype())));
  if (o.has_deprecated()) field.options.push_back(flag("deprecated", o.deprecated()));
  if (auto meta = meta_option(o, "confluent.field_meta")) field.options.push_back(std::move(*meta));
  if (fd.has_json_name()) field.json_name = fd.json_name();
  if (!proto3 && fd.has_default_value()) field.default_value = fd.default_value();
  return field;
}

WireEnum descriptor_enum(const gp::EnumDescriptorProto& ed) {
  WireEnum result;
  result.name = ed.name();
  for (const auto& ev : ed.value()) {
    WireEnumConstant constant;
    constant.name = ev.name();
    constant.tag = ev.number();
    if (ev.options().has_deprecated())
      constant.options.push_back(flag("deprecated", ev.options().deprecated()));
    if (auto meta = meta_option(ev.options(), "confluent.enum_value_meta")) {
      constant.options.push_back(std::move(*meta));
    }
    result.constants.push_back(std::move(constant));
  }
  for (const auto& range : ed.reserved_range()) {  // inclusive at both ends here
    WireReserved reserved;
    reserved.values.push_back(exclusive_range(range.start(), range.end() + 1));
    result.reserveds.push_back(std::move(reserved));
  }
  for (const auto& name : ed.reserved_name()) {
    WireReserved reserved;
    WireRange range;
    range.type = WireRange::Type::kName;
    range.name = name;
    reserved.values.push_back(std::move(range));
    result.reserveds.push_back(std::move(reserved));
  }
  if (ed.options().has_allow_alias())
    result.options.push_back(flag("allow_alias", ed.options().allow_alias()));
  if (ed.options().has_deprecated())
    result.options.push_back(flag("deprecated", ed.options().deprecated()));
  if (auto meta = meta_option(ed.options(), "confluent.enum_meta")) {
    result.options.push_back(std::move(*meta));
  }
  return result;
}

// Extension fields grouped by extendee, in first-seen order.
std::vector<WireExtend> descriptor_extends(
    const gp::FileDescriptorProto& file,
    const gp::RepeatedPtrField<gp::FieldDescriptorProto>& fields) {
  std::vector<WireExtend> extends;
  for (const auto& fd : fields) {
    auto it = std::find_if(extends.begin(), extends.end(),
                           [&](const WireExtend& e) { return e.name == fd.extendee(); });
    if (it == extends.end()) {
      extends.push_back(WireExtend{fd.extendee(), {}});
      it = extends.end() - 1;
    }
    it->fields.push_back(descriptor_field(file, fd, false));
  }
  return extends;
}

WireMessage descriptor_message(const gp::FileDescriptorProto& file, const gp::DescriptorProto& md) {
  WireMessage message;
  message.name = md.name();
  for (const auto& od : md.oneof_decl()) message.oneofs.push_back(WireOneOf{od.name(), {}, {}, {}});
  for (const auto& fd : md.field()) {
    if (fd.has_oneof_index() && !fd.proto3_optional() &&
        fd.oneof_index() < static_cast<int>(message.oneofs.size())) {
      message.oneofs[static_cast<size_t>(fd.oneof_index())].fields.push_back(
          descriptor_field(file, fd, true));
    } else {
      message.fields.push_back(descriptor_field(file, fd, false));
    }
  }
  // Oneofs left empty (the synthetic ones of proto3 `optional`) are dropped.
  std::erase_if(message.oneofs, [](const WireOneOf& o) { return o.fields.empty(); });
  for (const auto& nested : md.nested_type())
    message.messages.push_back(descriptor_message(file, nested));
  for (const auto& nested : md.enum_type()) message.enums.push_back(descriptor_enum(nested));
  for (const auto& range : md.reserved_range()) {
    message.reserveds.push_back(WireReserved{{exclusive_range(range.start(), range.end())}});
  }
  for (const auto& name : md.reserved_name()) {
    WireRange range;
    range.type = WireRange::Type::kName;
    range.name = name;
    message.reserveds.push_back(WireReserved{{range}});
  }
  for (const auto& range : md.extension_range()) {
    message.extensions.push_back(WireExtensions{{exclusive_range(range.start(), range.end())}, {}});
  }
  const gp::MessageOptions& o = md.options();
  if (o.has_no_standard_descriptor_accessor()) {
    message.options.push_back(
        flag("no_standard_descriptor_accessor", o.no_standard_descriptor_accessor()));
  }
  if (o.has_deprecated()) message.options.push_back(flag("deprecated", o.deprecated()));
  if (o.has_map_entry()) message.options.push_back(flag("map_entry", o.map_entry()));
  if (auto meta = meta_option(o, "confluent.message_meta"))
    message.options.push_back(std::move(*meta));
  message.extends = descriptor_extends(file, md.extension());
  return message;
}

WireService descriptor_service(const gp::ServiceDescriptorProto& sd) {
  WireService service;
  service.name = sd.name();
  for (const auto& method : sd.method()) {
    WireRpc rpc;
    rpc.name = method.name();
    rpc.request_type = method.input_type();
    rpc.response_type = method.output_type();
    rpc.request_streaming = method.client_streaming();
    rpc.response_streaming = method.server_streaming();
    if (method.options().has_deprecated())
      rpc.options.push_back(flag("deprecated", method.options().deprecated()));
    if (method.options().has_idempotency_level()) {
      rpc.options.push_back(
          builtin("idempotency_level", Kind::kEnum,
                  gp::MethodOptions::IdempotencyLevel_Name(method.options().idempotency_level())));
    }
    service.rpcs.push_back(std::move(rpc));
  }
  if (sd.options().has_deprecated())
    service.options.push_back(flag("deprecated", sd.options().deprecated()));
  return service;
}

// ---------------------------------------------------------------------------------------------
// Printing (Confluent's ProtobufSchemaUtils.toString with its FormatContext).

bool is_scalar(std::string_view type) {
  static constexpr std::string_view kScalars[] = {
      "bool",     "bytes",    "double", "float",  "fixed32", "fixed64", "int32", "int64",
      "sfixed32", "sfixed64", "sint32", "sint64", "string",  "uint32",  "uint64"};
  return std::find(std::begin(kScalars), std::end(kScalars), type) != std::end(kScalars);
}

// The kind of a field's `default`, from its type's simple name (ProtobufSchemaUtils.toKind):
// bytes counts as a number, so its default prints unquoted.
Kind default_kind(std::string_view type) {
  const size_t dot = type.rfind('.');
  const std::string_view simple = dot == std::string_view::npos ? type : type.substr(dot + 1);
  if (simple == "bool") return Kind::kBoolean;
  if (simple == "string") return Kind::kString;
  if (is_scalar(simple)) return Kind::kNumber;
  return Kind::kEnum;
}

std::string escape_chars(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (char c : input) {
    switch (c) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '"': out += "\\\""; break;
      default: out += c;
    }
  }
  return out;
}

// Every line of `value` indented by two spaces, as Java's String.split("\n") cuts it (trailing
// empty pieces dropped, inner empty lines kept, and indented too).
void append_indented(std::string& out, std::string_view value) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    const size_t end = value.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(value.substr(start));
      break;
    }
    lines.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  if (value.find('\n') != std::string_view::npos) {
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
  }
  for (std::string_view line : lines) {
    out += "  ";
    out += line;
    out += '\n';
  }
}

// DecimalFormat with grouping off (at most three fraction digits, half-even) of the number
// commons-lang's NumberUtils.createNumber reads from `text`; nullopt when it reads none.
std::optional<std::string> java_number(const std::string& text) {
  std::string s = text;
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s = s.substr(1);
  }
  if (s.empty()) return std::nullopt;
  auto integral = [&](const std::string& digits, int base) -> std::optional<std::string> {
    if (digits.empty()) return std::nullopt;
    for (char c : digits) {
      const bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                                 : (c >= '0' && c < static_cast<char>('0' + base));
      if (!ok) return std::nullopt;
    }
    if (base == 10) {
      size_t first = digits.find_first_not_of('0');
      std::string value = first == std::string::npos ? "0" : digits.substr(first);
      return (negative && value != "0" ? "-" : "") + value;
    }
    errno = 0;
    const unsigned long long value = std::strtoull(digits.c_str(), nullptr, base);
    if (errno != 0) return std::nullopt;
    const std::string printed = std::to_string(value);
    return (negative && value != 0 ? "-" : "") + printed;
  };
  if (s.starts_with("0x") || s.starts_with("0X")) return integral(s.substr(2), 16);
  if (s.find_first_of(".eE") == std::string::npos) {
    if (s.size() > 1 && s[0] == '0') return integral(s.substr(1), 8);
    return integral(s, 10);
  }
  // A decimal: Float when at most seven digits follow the point, else Double.
  for (char c : s) {
    if (!(is_digit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'))
      return std::nullopt;
  }
  char* end = nullptr;
  const std::string signed_text = (negative ? "-" : "") + s;
  const size_t point = s.find('.');
  size_t decimals = 0;
  if (point != std::string::npos) {
    const size_t exponent = s.find_first_of("eE", point);
    decimals = (exponent == std::string::npos ? s.size() : exponent) - point - 1;
  }
  double value = 0;
  if (decimals <= 7) {
    value = static_cast<double>(std::strtof(signed_text.c_str(), &end));
  } else {
    value = std::strtod(signed_text.c_str(), &end);
  }
  if (end == nullptr || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  std::string printed = buffer;
  while (printed.back() == '0') printed.pop_back();
  if (printed.back() == '.') printed.pop_back();
  return printed;
}

bool same_value(const WireValue& a, const WireValue& b);

bool same_option(const WireOption& a, const WireOption& b) {
  return a.name == b.name && a.parenthesized == b.parenthesized && a.kind == b.kind &&
         same_value(a.value, b.value);
}

bool same_value(const WireValue& a, const WireValue& b) {
  if (a.type != b.type || a.text != b.text || a.keys != b.keys ||
      a.values.size() != b.values.size()) {
    return false;
  }
  if (a.type == WireValue::Type::kPrimitive && a.primitive != b.primitive) return false;
  for (size_t i = 0; i < a.values.size(); ++i) {
    if (!same_value(a.values[i], b.values[i])) return false;
  }
  if (a.type == WireValue::Type::kOption) return same_option(*a.option, *b.option);
  return true;
}

class Printer {
 public:
  // `built` is set for the normalised form.
  explicit Printer(const gp::FileDescriptor* built) : built_(built) {}

  std::string file(const WireFile& file) {
    std::string out;
    if (file.syntax && (!normalize() || *file.syntax == "proto3")) {
      out += "syntax = \"" + *file.syntax + "\";\n";
    }
    if (file.package) out += "package " + *file.package + ";\n";
    if (file.package && normalize()) {
      size_t start = 0;
      while (true) {
        const size_t dot = file.package->find('.', start);
        scope_.push_back(file.package->substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
    }
    // Confluent's printer drops weak imports, which leaves text whose types no longer resolve:
    // SchemaGuard keeps them (after the others) so that what it stores always reads back.
    if (!file.imports.empty() || !file.public_imports.empty() || !file.weak_imports.empty()) {
      out += '\n';
      for (const auto* list : {&file.imports, &file.public_imports, &file.weak_imports}) {
        std::vector<std::string> imports = *list;
        if (normalize()) {
          std::sort(imports.begin(), imports.end());
          imports.erase(std::unique(imports.begin(), imports.end()), imports.end());
        }
        const char* keyword = list == &file.imports          ? "import \""
                              : list == &file.public_imports ? "import public \""
                                                             : "import weak \"";
        for (const auto& name : imports) out += keyword + name + "\";\n";
      }
    }
    const auto options = filter_options(file.options);
    if (!options.empty()) {
      out += '\n';
      for (const auto& option : options) out += option_statement(option);
    }
    const auto messages = filter_types(file.messages);
    if (!messages.empty() || !file.enums.empty()) {
      out += '\n';
      // Messages keep their order: payloads index them.
      for (const WireMessage* m : messages) out += message(*m);
      for (const auto& e : file.enums) out += enumeration(e);
    }
    if (!file.extends.empty()) {
      out += '\n';
      for (const auto& e : normalized_extends(file.extends)) out += extend(e);
    }
    if (!file.services.empty()) {
      out += '\n';
      for (const auto& s : file.services) out += service(s);
    }
    return out;
  }

 private:
  bool normalize() const { return built_ != nullptr; }
  const gp::DescriptorPool& pool() const { return *built_->pool(); }

  // The full name (no leading dot) `name` means from the current scope, innermost first, as
  // Confluent's Context.resolve looks it up; nullopt if nothing by that name exists.
  template <typename Exists>
  std::optional<std::string> resolve(const std::string& name, Exists exists) const {
    if (name.starts_with(".")) {
      std::string full = name.substr(1);
      return exists(full) ? std::optional<std::string>(full) : std::nullopt;
    }
    for (size_t k = scope_.size(); k > 0; --k) {
      std::string full;
      for (size_t i = 0; i < k; ++i) full += scope_[i] + ".";
      full += name;
      if (exists(full)) return full;
    }
    return exists(name) ? std::optional<std::string>(name) : std::nullopt;
  }

  std::optional<std::string> resolve_type(const std::string& name) const {
    return resolve(name, [this](const std::string& full) {
      return pool().FindMessageTypeByName(full) != nullptr ||
             pool().FindEnumTypeByName(full) != nullptr;
    });
  }

  std::optional<std::string> resolve_extension(const std::string& name) const {
    return resolve(name, [this](const std::string& full) {
      return pool().FindExtensionByName(full) != nullptr;
    });
  }

  // ---- options

  static WireOption transform(WireOption option) {
    if (option.kind != Kind::kOption) return option;
    option.value = transform_map(*option.value.option);
    option.kind = Kind::kMap;
    return option;
  }

  static WireValue transform_map(const WireOption& nested) {
    WireValue map;
    map.type = WireValue::Type::kMap;
    map.keys.push_back(nested.name);
    map.values.push_back(nested.kind == Kind::kOption ? transform_map(*nested.value.option)
                                                      : nested.value);
    return map;
  }

  WireValue merge_values(const gp::FieldDescriptor* field, const WireValue& v1,
                         const WireValue& v2) const {
    const bool singular = field != nullptr && !field->is_repeated();
    if (singular && v1.type == WireValue::Type::kMap && v2.type == WireValue::Type::kMap &&
        field->message_type() != nullptr) {
      return merge_maps(field, v1, v2);
    }
    if (singular) return v2;
    WireValue list;
    list.type = WireValue::Type::kList;
    for (const WireValue* v : {&v1, &v2}) {
      const bool is_list = v->type == WireValue::Type::kList;
      const std::vector<WireValue> single =
          is_list ? std::vector<WireValue>{} : std::vector<WireValue>{*v};
      for (const WireValue& item : is_list ? v->values : single) {
        const bool seen = std::any_of(list.values.begin(), list.values.end(),
                                      [&](const WireValue& x) { return same_value(x, item); });
        if (!seen) list.values.push_back(item);
      }
    }
    return list;
  }

  WireValue merge_maps(const gp::FieldDescriptor* container, const WireValue& existing,
                       const WireValue& replacement) const {
    const gp::Descriptor* type = container != nullptr ? container->message_type() : nullptr;
    WireValue merged = existing;
    for (size_t i = 0; i < replacement.keys.size(); ++i) {
      const std::string& key = replacement.keys[i];
      auto at = std::find(merged.keys.begin(), merged.keys.end(), key);
      if (at == merged.keys.end()) {
        merged.keys.push_back(key);
        merged.values.push_back(replacement.values[i]);
        continue;
      }
      const gp::FieldDescriptor* nested = type != nullptr ? type->FindFieldByName(key) : nullptr;
      WireValue& slot = merged.values[static_cast<size_t>(at - merged.keys.begin())];
      slot = merge_values(nested, slot, replacement.values[i]);
    }
    return merged;
  }

  // FormatContext.filterOptions: as written, or (normalised) custom option names resolved,
  // sorted by name and a non-repeated custom option's assignments merged into one.
  std::vector<WireOption> filter_options(const std::vector<WireOption>& options) const {
    if (!normalize() || options.empty()) return options;
    std::vector<WireOption> resolved;
    for (WireOption option : options) {
      if (option.parenthesized) {
        if (auto full = resolve_extension(option.name)) {
          option.name = *full;
          option = transform(std::move(option));
        }
      }
      resolved.push_back(std::move(option));
    }
    std::stable_sort(resolved.begin(), resolved.end(),
                     [](const WireOption& a, const WireOption& b) { return a.name < b.name; });
    std::vector<WireOption> out;
    for (size_t i = 0; i < resolved.size();) {
      size_t j = i;
      while (j < resolved.size() && resolved[j].name == resolved[i].name) ++j;
      const gp::FieldDescriptor* extension = pool().FindExtensionByName(resolved[i].name);
      if (extension != nullptr && !extension->is_repeated()) {
        WireOption merged = resolved[i];
        for (size_t k = i + 1; k < j; ++k) {
          WireOption replacement = transform(resolved[k]);
          if (merged.kind == Kind::kMap && replacement.kind == Kind::kMap) {
            merged.value = merge_maps(extension, merged.value, replacement.value);
            merged.name = replacement.name;
            merged.parenthesized = replacement.parenthesized;
          } else {
            merged = std::move(replacement);
          }
        }
        out.push_back(std::move(merged));
      } else {
        for (size_t k = i; k < j; ++k) out.push_back(resolved[k]);
      }
      i = j;
    }
    return out;
  }

  std::string number(const std::string& text) const {
    if (!normalize()) return text;
    return java_number(text).value_or(text);
  }

  std::string option(const WireOption& option) const {
    std::string out = option.parenthesized ? "(" + option.name + ")" : option.name;
    switch (option.kind) {
      case Kind::kString: out += " = \"" + escape_chars(option.value.text) + "\""; break;
      case Kind::kBoolean:
      case Kind::kEnum: out += " = " + option.value.text; break;
      case Kind::kNumber: out += " = " + number(option.value.text); break;
      case Kind::kOption: out += "." + this->option(*option.value.option); break;
      case Kind::kMap:
        out += " = {\n";
        option_map(out, option.value);
        out += '}';
        break;
      case Kind::kList:
        out += " = ";
        option_list(out, option.value.values);
        break;
    }
    return out;
  }

  std::string option_statement(const WireOption& option) const {
    return "option " + this->option(option) + ";\n";
  }

  // `[a]` for one option or value, else one a line between `[` and `]`.
  template <typename T>
  void option_list(std::string& out, const std::vector<T>& items) const {
    if (items.size() == 1) {
      out += "[" + entry(items[0]) + "]";
      return;
    }
    out += "[\n";
    for (size_t i = 0; i < items.size(); ++i) {
      append_indented(out, entry(items[i]) + (i + 1 < items.size() ? "," : ""));
    }
    out += ']';
  }

  std::string entry(const WireOption& option) const { return this->option(option); }

  std::string entry(const WireValue& value) const {
    switch (value.type) {
      case WireValue::Type::kString: return "\"" + escape_chars(value.text) + "\"";
      case WireValue::Type::kPrimitive:
        return value.primitive == Kind::kNumber ? number(value.text) : value.text;
      case WireValue::Type::kOption: return option(*value.option);
      case WireValue::Type::kMap: {
        std::string out = "{\n";
        option_map(out, value);
        return out + "}";
      }
      case WireValue::Type::kList: {
        if (normalize() && value.values.size() == 1) return entry(value.values[0]);
        std::string out = "[\n";
        for (size_t i = 0; i < value.values.size(); ++i) {
          append_indented(out, entry(value.values[i]) + (i + 1 < value.values.size() ? "," : ""));
        }
        return out + "]";
      }
    }
    return value.text;
  }

  void option_map(std::string& out, const WireValue& map) const {
    std::vector<std::pair<std::string, const WireValue*>> entries;
    for (size_t i = 0; i < map.keys.size(); ++i) entries.emplace_back(map.keys[i], &map.values[i]);
    if (normalize()) {
      // Empty lists dropped, extension keys resolved, keys sorted (the first of equal ones).
      std::map<std::string, const WireValue*> sorted;
      for (auto& [key, value] : entries) {
        if (value->type == WireValue::Type::kList && value->values.empty()) continue;
        std::string name = key;
        if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
          if (auto full = resolve_extension(name.substr(1, name.size() - 2)))
            name = "[" + *full + "]";
        }
        sorted.emplace(name, value);
      }
      entries.assign(sorted.begin(), sorted.end());
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      append_indented(out, entries[i].first + ": " + entry(*entries[i].second) +
                               (i + 1 < entries.size() ? "," : ""));
    }
  }

  // ---- declarations

  template <typename T>
  std::vector<const T*> filter_types(const std::vector<T>& types) const {
    std::vector<const T*> out;
    for (const T& type : types) {
      // Normalised, map entry messages (from descriptors) are written as map<K, V> fields.
      const bool map_entry =
          normalize() &&
          std::any_of(type.options.begin(), type.options.end(), [](const WireOption& o) {
            return o.name == "map_entry" && o.value.text == "true";
          });
      if (!map_entry) out.push_back(&type);
    }
    return out;
  }

  std::vector<WireExtend> normalized_extends(const std::vector<WireExtend>& extends) const {
    if (!normalize()) return extends;
    std::vector<WireExtend> out;
    for (const auto& e : extends) {
      const auto full = resolve_type(e.name);
      const std::string name = full ? "." + *full : e.name;
      auto it =
          std::find_if(out.begin(), out.end(), [&](const WireExtend& x) { return x.name == name; });
      if (it == out.end()) {
        out.push_back(WireExtend{name, {}});
        it = out.end() - 1;
      }
      it->fields.insert(it->fields.end(), e.fields.begin(), e.fields.end());
    }
    return out;
  }

  template <typename T>
  std::vector<T> sorted_by_tag(std::vector<T> items) const {
    if (normalize()) {
      std::stable_sort(items.begin(), items.end(),
                       [](const T& a, const T& b) { return a.tag < b.tag; });
    }
    return items;
  }

  std::string range(const WireRange& value) const {
    switch (value.type) {
      case WireRange::Type::kName: return "\"" + value.name + "\"";
      case WireRange::Type::kTag: return std::to_string(value.start);
      case WireRange::Type::kRange:
        if (normalize() && value.start == value.end) return std::to_string(value.start);
        return std::to_string(value.start) + " to " +
               (value.end < kMaxTag ? std::to_string(value.end) : std::string("max"));
    }
    return {};
  }

  // Normalised: one entry a line, by first number (names last, by name).
  template <typename T>
  std::vector<T> split_ranges(const std::vector<T>& items, bool by_name_too) const {
    if (!normalize()) return items;
    std::vector<T> out;
    for (const T& item : items) {
      for (const WireRange& value : item.values) {
        T single = item;
        single.values = {value};
        out.push_back(std::move(single));
      }
    }
    auto key = [](const WireRange& r) {
      return r.type == WireRange::Type::kName ? 2147483647LL : r.start;
    };
    auto text = [](const WireRange& r) {
      switch (r.type) {
        case WireRange::Type::kName: return r.name;
        case WireRange::Type::kTag: return std::to_string(r.start);
        case WireRange::Type::kRange: return std::to_string(r.start) + ".." + std::to_string(r.end);
      }
      return std::string();
    };
    std::stable_sort(out.begin(), out.end(), [&](const T& a, const T& b) {
      const auto ka = key(a.values[0]);
      const auto kb = key(b.values[0]);
      if (ka != kb) return ka < kb;
      return by_name_too && text(a.values[0]) < text(b.values[0]);
    });
    return out;
  }

  std::string reserved(const WireReserved& reserved) const {
    std::string out = "reserved ";
    for (size_t i = 0; i < reserved.values.size(); ++i) {
      if (i > 0) out += ", ";
      out += range(reserved.values[i]);
    }
    return out + ";\n";
  }

  std::string extensions(const WireExtensions& extensions) const {
    std::string out = "extensions ";
    for (size_t i = 0; i < extensions.values.size(); ++i) {
      if (i > 0) out += ", ";
      out += range(extensions.values[i]);
    }
    const auto options = filter_options(extensions.options);
    if (!options.empty()) {
      out += " ";
      option_list(out, options);
    }
    return out + ";\n";
  }

  std::string field(const WireField& field) const {
    std::string label = field.label;
    std::string type = field.type;
    if (normalize()) {
      std::string key;
      std::string value;
      bool map = type.starts_with("map<");
      if (map) {
        const size_t comma = type.find(", ");
        key = type.substr(4, comma - 4);
        value = type.substr(comma + 2, type.size() - comma - 3);
      } else if (!is_scalar(type)) {
        if (auto full = resolve_type(type)) {
          const gp::Descriptor* entry = pool().FindMessageTypeByName(*full);
          if (entry != nullptr && entry->options().map_entry() && entry->field_count() == 2) {
            map = true;
            const gp::FieldDescriptor* k = entry->field(0);
            const gp::FieldDescriptor* v = entry->field(1);
            key = k->type_name();
            value = v->message_type() != nullptr ? "." + v->message_type()->full_name()
                    : v->enum_type() != nullptr  ? "." + v->enum_type()->full_name()
                                                 : std::string(v->type_name());
          } else {
            type = "." + *full;
          }
        }
      }
      if (map) {
        if (!is_scalar(value)) {
          if (auto full = resolve_type(value)) value = "." + *full;
        }
        type = "map<" + key + ", " + value + ">";
        label.clear();
      }
    }
    std::string out = label.empty() ? "" : label + " ";
    out += type + " " + field.name + " = " + std::to_string(field.tag);
    std::vector<WireOption> options = field.options;
    if (field.default_value) {
      const Kind kind = default_kind(type);
      options.push_back(builtin("default", kind, *field.default_value));
    }
    if (field.json_name) options.push_back(builtin("json_name", Kind::kString, *field.json_name));
    options = filter_options(options);
    if (!options.empty()) {
      out += " ";
      option_list(out, options);
    }
    return out + ";\n";
  }

  std::string group(const WireGroup& group) const {
    std::string out = group.label.empty() ? "" : group.label + " ";
    out += "group " + group.name + " = " + std::to_string(group.tag) + " {";
    if (!group.fields.empty()) {
      out += '\n';
      for (const auto& f : sorted_by_tag(group.fields)) append_indented(out, field(f));
    }
    return out + "}\n";
  }

  std::string oneof(const WireOneOf& oneof) const {
    std::string out = "oneof " + oneof.name + " {";
    const auto options = filter_options(oneof.options);
    if (!options.empty()) {
      out += '\n';
      for (const auto& o : options) append_indented(out, option_statement(o));
    }
    if (!oneof.fields.empty()) {
      out += '\n';
      for (const auto& f : oneof.fields) append_indented(out, field(f));
    }
    if (!oneof.groups.empty()) {
      out += '\n';
      for (const auto& g : sorted_by_tag(oneof.groups)) append_indented(out, group(g));
    }
    return out + "}\n";
  }

  std::string extend(const WireExtend& extend) const {
    std::string out = "extend " + extend.name + " {";
    if (!extend.fields.empty()) {
      out += '\n';
      for (const auto& f : sorted_by_tag(extend.fields)) append_indented(out, field(f));
    }
    return out + "}\n";
  }

  std::string message(const WireMessage& message) {
    scope_.push_back(message.name);
    std::string out = "message " + message.name + " {";
    if (!message.reserveds.empty()) {
      out += '\n';
      for (const auto& r : split_ranges(message.reserveds, true)) append_indented(out, reserved(r));
    }
    const auto options = filter_options(message.options);
    if (!options.empty()) {
      out += '\n';
      for (const auto& o : options) append_indented(out, option_statement(o));
    }
    if (!message.fields.empty()) {
      out += '\n';
      for (const auto& f : sorted_by_tag(message.fields)) append_indented(out, field(f));
    }
    if (!message.oneofs.empty()) {
      out += '\n';
      std::vector<WireOneOf> oneofs = message.oneofs;
      if (normalize()) {
        std::erase_if(oneofs, [](const WireOneOf& o) { return o.fields.empty(); });
        for (auto& o : oneofs) o.fields = sorted_by_tag(std::move(o.fields));
        std::stable_sort(oneofs.begin(), oneofs.end(), [](const WireOneOf& a, const WireOneOf& b) {
          return a.fields[0].tag < b.fields[0].tag;
        });
      }
      for (const auto& o : oneofs) append_indented(out, oneof(o));
    }
    if (!message.groups.empty()) {
      out += '\n';
      for (const auto& g : sorted_by_tag(message.groups)) append_indented(out, group(g));
    }
    if (!message.extensions.empty()) {
      out += '\n';
      for (const auto& e : split_ranges(message.extensions, false))
        append_indented(out, extensions(e));
    }
    if (!message.extends.empty()) {
      out += '\n';
      for (const auto& e : normalized_extends(message.extends)) append_indented(out, extend(e));
    }
    const auto messages = filter_types(message.messages);
    if (!messages.empty() || !message.enums.empty()) {
      out += '\n';
      for (const WireMessage* m : messages) append_indented(out, this->message(*m));
      for (const auto& e : message.enums) append_indented(out, enumeration(e));
    }
    scope_.pop_back();
    return out + "}\n";
  }

  std::string enumeration(const WireEnum& enumeration) {
    scope_.push_back(enumeration.name);
    std::string out = "enum " + enumeration.name + " {";
    if (!enumeration.reserveds.empty()) {
      out += '\n';
      for (const auto& r : split_ranges(enumeration.reserveds, true))
        append_indented(out, reserved(r));
    }
    // No blank line between reserved ranges and what follows, unlike in a message.
    if (enumeration.reserveds.empty() &&
        (!enumeration.options.empty() || !enumeration.constants.empty())) {
      out += '\n';
    }
    for (const auto& o : filter_options(enumeration.options))
      append_indented(out, option_statement(o));
    std::vector<WireEnumConstant> constants = enumeration.constants;
    if (normalize()) {
      std::stable_sort(constants.begin(), constants.end(),
                       [](const WireEnumConstant& a, const WireEnumConstant& b) {
                         return a.tag != b.tag ? a.tag < b.tag : a.name < b.name;
                       });
    }
    for (const auto& c : constants) {
      std::string line = c.name + " = " + std::to_string(c.tag);
      const auto options = filter_options(c.options);
      if (!options.empty()) {
        line += " ";
        option_list(line, options);
      }
      append_indented(out, line + ";\n");
    }
    scope_.pop_back();
    return out + "}\n";
  }

  std::string service(const WireService& service) const {
    std::string out = "service " + service.name + " {";
    const auto options = filter_options(service.options);
    if (!options.empty()) {
      out += '\n';
      for (const auto& o : options) append_indented(out, option_statement(o));
    }
    if (!service.rpcs.empty()) {
      out += '\n';
      for (const auto& rpc : service.rpcs) append_indented(out, this->rpc(rpc));
    }
    return out + "}\n";
  }

  std::string rpc(const WireRpc& rpc) const {
    auto type = [this](const std::string& written) {
      if (!normalize()) return written;
      const auto full = resolve_type(written);
      return full ? "." + *full : written;
    };
    std::string out = "rpc " + rpc.name + " (";
    out += (rpc.request_streaming ? "stream " : "") + type(rpc.request_type) + ") returns (";
    out += (rpc.response_streaming ? "stream " : "") + type(rpc.response_type) + ")";
    const auto options = filter_options(rpc.options);
    if (!options.empty()) {
      out += " {\n";
      for (const auto& o : options) append_indented(out, option_statement(o));
      out += '}';
    }
    return out + ";\n";
  }

  const gp::FileDescriptor* built_;
  std::vector<std::string> scope_;  // package parts, then the enclosing type names
};

}  // namespace

std::shared_ptr<const WireFile> read_wire(std::string_view text) {
  try {
    return std::make_shared<const WireFile>(Parser(text).file());
  } catch (const Refused&) {
    return nullptr;
  }
}

std::shared_ptr<const WireFile> wire_from_descriptor(const gp::FileDescriptorProto& file) {
  auto out = std::make_shared<WireFile>();
  if (!file.package().empty()) out->package = file.package();
  if (file.syntax() == "proto2" || file.syntax() == "proto3") out->syntax = file.syntax();
  for (const auto& md : file.message_type()) out->messages.push_back(descriptor_message(file, md));
  for (const auto& ed : file.enum_type()) out->enums.push_back(descriptor_enum(ed));
  for (const auto& sd : file.service()) out->services.push_back(descriptor_service(sd));
  for (int i = 0; i < file.dependency_size(); ++i) {
    const auto is = [&](const auto& list) {
      return std::find(list.begin(), list.end(), i) != list.end();
    };
    if (is(file.public_dependency())) {
      out->public_imports.push_back(file.dependency(i));
    } else if (is(file.weak_dependency())) {
      out->weak_imports.push_back(file.dependency(i));
    } else {
      out->imports.push_back(file.dependency(i));
    }
  }
  const gp::FileOptions& o = file.options();
  auto& options = out->options;
  if (o.has_java_package())
    options.push_back(builtin("java_package", Kind::kString, o.java_package()));
  if (o.has_java_outer_classname())
    options.push_back(builtin("java_outer_classname", Kind::kString, o.java_outer_classname()));
  if (o.has_java_multiple_files())
    options.push_back(flag("java_multiple_files", o.java_multiple_files()));
  // Deprecated in the generated API, so read through reflection.
  if (const gp::FieldDescriptor* equals_and_hash =
          gp::FileOptions::descriptor()->FindFieldByName("java_generate_equals_and_hash");
      equals_and_hash != nullptr && o.GetReflection()->HasField(o, equals_and_hash)) {
    options.push_back(
        flag("java_generate_equals_and_hash", o.GetReflection()->GetBool(o, equals_and_hash)));
  }
  if (o.has_java_string_check_utf8())
    options.push_back(flag("java_string_check_utf8", o.java_string_check_utf8()));
  if (o.has_optimize_for())
    options.push_back(
        builtin("optimize_for", Kind::kEnum, gp::FileOptions::OptimizeMode_Name(o.optimize_for())));
  if (o.has_go_package()) options.push_back(builtin("go_package", Kind::kString, o.go_package()));
  if (o.has_cc_generic_services())
    options.push_back(flag("cc_generic_services", o.cc_generic_services()));
  if (o.has_java_generic_services())
    options.push_back(flag("java_generic_services", o.java_generic_services()));
  if (o.has_py_generic_services())
    options.push_back(flag("py_generic_services", o.py_generic_services()));
  if (o.has_deprecated()) options.push_back(flag("deprecated", o.deprecated()));
  if (o.has_cc_enable_arenas()) options.push_back(flag("cc_enable_arenas", o.cc_enable_arenas()));
  if (o.has_objc_class_prefix())
    options.push_back(builtin("objc_class_prefix", Kind::kString, o.objc_class_prefix()));
  if (o.has_csharp_namespace())
    options.push_back(builtin("csharp_namespace", Kind::kString, o.csharp_namespace()));
  if (o.has_swift_prefix())
    options.push_back(builtin("swift_prefix", Kind::kString, o.swift_prefix()));
  if (o.has_php_class_prefix())
    options.push_back(builtin("php_class_prefix", Kind::kString, o.php_class_prefix()));
  if (o.has_php_namespace())
    options.push_back(builtin("php_namespace", Kind::kString, o.php_namespace()));
  if (o.has_php_metadata_namespace())
    options.push_back(builtin("php_metadata_namespace", Kind::kString, o.php_metadata_namespace()));
  if (o.has_ruby_package())
    options.push_back(builtin("ruby_package", Kind::kString, o.ruby_package()));
  if (auto meta = meta_option(o, "confluent.file_meta")) options.push_back(std::move(*meta));
  out->extends = descriptor_extends(file, file.extension());
  return out;
}

std::string print_wire(const WireFile& file) {
  return Printer(nullptr).file(file);
}

std::string print_wire_normalized(const WireFile& file, const gp::FileDescriptor& built) {
  return Printer(&built).file(file);
}

}  // namespace sg::protobuf
