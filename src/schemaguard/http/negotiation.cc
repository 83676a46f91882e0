#include "schemaguard/http/negotiation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace sg::http {
namespace {

constexpr std::string_view kWhitespace = " \t";

std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(kWhitespace);
  return text.substr(begin, end - begin + 1);
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A q-value in thousandths ("0.5" -> 500), or -1 if it does not follow RFC 9110's grammar.
int parse_qvalue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return -1;
  int value = (text[0] - '0') * 1000;
  if (text.size() == 1) return value;
  if (text[1] != '.' || text.size() > 5) return -1;
  int scale = 100;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9') return -1;
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value > 1000 ? -1 : value;
}

struct MediaRange {
  std::string type;     // lowercase; "*" for a wildcard
  std::string subtype;  // lowercase; "*" for a wildcard
  int q = 1000;

  // 2 for type/subtype, 1 for type/*, 0 for */*; -1 if it does not match `media`.
  int specificity_for(std::string_view media) const {
    const auto slash = media.find('/');
    const auto media_type = media.substr(0, slash);
    const auto media_subtype = media.substr(slash + 1);
    if (type == "*") return 0;
    if (type != media_type) return -1;
    if (subtype == "*") return 1;
    return subtype == media_subtype ? 2 : -1;
  }
};

std::optional<MediaRange> parse_range(std::string_view text) {
  const auto semicolon = text.find(';');
  const auto media = lowercase(trim(text.substr(0, semicolon)));
  const auto slash = media.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == media.size()) return std::nullopt;
  MediaRange range{media.substr(0, slash), media.substr(slash + 1)};
  if (range.type == "*" && range.subtype != "*") return std::nullopt;
  auto params = semicolon == std::string_view::npos ? std::string_view() : text.substr(semicolon);
  while (!params.empty()) {
    params.remove_prefix(1);  // the ';'
    const auto next = params.find(';');
    const auto param = trim(params.substr(0, next));
    params = next == std::string_view::npos ? std::string_view() : params.substr(next);
    const auto eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = lowercase(trim(param.substr(0, eq)));
    if (name != "q") continue;  // other parameters (the Java client sends qs=) do not matter
    range.q = parse_qvalue(trim(param.substr(eq + 1)));
    if (range.q < 0) return std::nullopt;
    break;  // anything after q is an accept-extension
  }
  return range;
}

// What the server produces, most preferred first (JAX-RS `qs` 1.0, 0.9, 0.5).
constexpr std::array<std::string_view, 3> kProduced = {kSchemaRegistryV1Json, kSchemaRegistryJson,
                                                       kJson};

}  // namespace

bool is_supported_request_type(std::optional<std::string_view> content_type) {
  if (!content_type) return true;
  const auto media = lowercase(trim(content_type->substr(0, content_type->find(';'))));
  // An empty header value is no media type at all: treat it like a missing header.
  return media.empty() || media == kSchemaRegistryV1Json || media == kSchemaRegistryJson ||
         media == kJson || media == kOctetStream;
}

std::optional<std::string_view> negotiate_response_type(std::optional<std::string_view> accept) {
  if (!accept) return kSchemaRegistryV1Json;
  std::vector<MediaRange> ranges;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    if (auto range = parse_range(rest.substr(0, comma))) ranges.push_back(std::move(*range));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  // Browsers and proxies send odd values; a header we cannot read at all is no preference.
  if (ranges.empty()) return kSchemaRegistryV1Json;

  std::optional<std::string_view> best;
  int best_q = 0;
  for (std::string_view produced : kProduced) {
    int specificity = -1;
    int q = 0;
    for (const auto& range : ranges) {
      const int s = range.specificity_for(produced);
      if (s > specificity) {
        specificity = s;
        q = range.q;
      } else if (s == specificity && s >= 0) {
        q = std::max(q, range.q);
      }
    }
    // Strictly greater: on equal q the earlier (server-preferred) type stays.
    if (specificity >= 0 && q > best_q) {
      best = produced;
      best_q = q;
    }
  }
  return best;
}

}  // namespace sg::http
