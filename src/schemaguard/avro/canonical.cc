#include "schemaguard/avro/canonical.h"

#include <array>
#include <unordered_set>

namespace sg::avro {
namespace {

class CanonicalWriter {
 public:
  std::string write(const Node& root) {
    append(root);
    return std::move(out_);
  }

 private:
  void append_string(std::string_view s) {
    // Names and symbols are restricted to [A-Za-z0-9_.], so no escaping is ever needed; the
    // guard keeps the output valid JSON should that invariant ever change.
    out_ += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }

  void append_name(const Node& node) {
    out_ += "{\"name\":";
    append_string(node.full_name);
  }

  void append(const Node& node) {
    switch (node.type) {
      case Type::kNull:
      case Type::kBoolean:
      case Type::kInt:
      case Type::kLong:
      case Type::kFloat:
      case Type::kDouble:
      case Type::kBytes:
      case Type::kString: append_string(to_string(node.type)); return;
      case Type::kArray:
        out_ += "{\"type\":\"array\",\"items\":";
        append(*node.items);
        out_ += '}';
        return;
      case Type::kMap:
        out_ += "{\"type\":\"map\",\"values\":";
        append(*node.values);
        out_ += '}';
        return;
      case Type::kUnion: {
        out_ += '[';
        bool first = true;
        for (const Node* branch : node.branches) {
          if (!first) out_ += ',';
          first = false;
          append(*branch);
        }
        out_ += ']';
        return;
      }
      case Type::kRecord:
      case Type::kEnum:
      case Type::kFixed: break;
    }
    if (!defined_.insert(&node).second) {
      append_string(node.full_name);
      return;
    }
    append_name(node);
    if (node.type == Type::kRecord) {
      out_ += ",\"type\":\"record\",\"fields\":[";
      bool first = true;
      for (const Field& field : node.fields) {
        if (!first) out_ += ',';
        first = false;
        out_ += "{\"name\":";
        append_string(field.name);
        out_ += ",\"type\":";
        append(*field.type);
        out_ += '}';
      }
      out_ += "]}";
    } else if (node.type == Type::kEnum) {
      out_ += ",\"type\":\"enum\",\"symbols\":[";
      bool first = true;
      for (const std::string& symbol : node.symbols) {
        if (!first) out_ += ',';
        first = false;
        append_string(symbol);
      }
      out_ += "]}";
    } else {
      out_ += ",\"type\":\"fixed\",\"size\":";
      out_ += std::to_string(node.size);
      out_ += '}';
    }
  }

  std::string out_;
  std::unordered_set<const Node*> defined_;
};

constexpr std::uint64_t kEmpty = 0xc15d213aa4d7a795ULL;

constexpr std::array<std::uint64_t, 256> make_table() {
  std::array<std::uint64_t, 256> table{};
  for (std::uint64_t i = 0; i < 256; ++i) {
    std::uint64_t fp = i;
    for (int j = 0; j < 8; ++j) fp = (fp >> 1) ^ (kEmpty & (0 - (fp & 1)));
    table[i] = fp;
  }
  return table;
}

constexpr std::array<std::uint64_t, 256> kTable = make_table();

}  // namespace

std::string parsing_canonical_form(const Node& root) {
  return CanonicalWriter().write(root);
}

std::uint64_t crc64_avro(std::string_view bytes) {
  std::uint64_t fp = kEmpty;
  for (char c : bytes) {
    fp = (fp >> 8) ^ kTable[(fp ^ static_cast<unsigned char>(c)) & 0xff];
  }
  return fp;
}

std::string crc64_avro_hex(std::uint64_t fingerprint) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 0; i < 8; ++i) {
    const auto byte = static_cast<unsigned>((fingerprint >> (8 * i)) & 0xff);
    out[static_cast<std::size_t>(2 * i)] = kDigits[byte >> 4];
    out[static_cast<std::size_t>(2 * i + 1)] = kDigits[byte & 0xf];
  }
  return out;
}

}  // namespace sg::avro
