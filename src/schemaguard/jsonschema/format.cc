// `format` assertions (CompileOptions::assert_formats): the common formats, checked by hand
// after RFC 3339, RFC 5321 (simplified), RFC 1123, RFC 3986, RFC 4122 and RFC 6901.
#include <arpa/inet.h>

#include <cctype>
#include <string_view>

#include "schemaguard/jsonschema/compiled.h"
#include "schemaguard/jsonschema/ecma_regex.h"

namespace sg::jsonschema::internal {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool is_date(std::string_view s) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 0, 4, year) || !digits(s, 5, 2, month) || !digits(s, 8, 2, day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool is_time(std::string_view s) {
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (s.size() < 9 || s[2] != ':' || s[5] != ':') return false;
  if (!digits(s, 0, 2, hour) || !digits(s, 3, 2, minute) || !digits(s, 6, 2, second)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  std::size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  int offset_hour = 0;
  int offset_minute = 0;
  int sign = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else if (s[i] == '+' || s[i] == '-') {
    sign = s[i] == '+' ? 1 : -1;
    if (s.size() != i + 6 || s[i + 3] != ':') return false;
    if (!digits(s, i + 1, 2, offset_hour) || !digits(s, i + 4, 2, offset_minute)) return false;
    if (offset_hour > 23 || offset_minute > 59) return false;
  } else {
    return false;
  }
  if (second == 60) {
    // A leap second is the last second of a UTC day.
    int utc = (hour * 60 + minute - sign * (offset_hour * 60 + offset_minute)) % 1440;
    if (utc < 0) utc += 1440;
    return utc == 23 * 60 + 59;
  }
  return true;
}

bool is_date_time(std::string_view s) {
  const auto t = s.find_first_of("Tt");
  return t == 10 && is_date(s.substr(0, 10)) && is_time(s.substr(11));
}

bool is_duration(std::string_view s) {
  if (s.size() < 2 || s[0] != 'P') return false;
  std::size_t i = 1;
  bool in_time = false;
  bool any = false;
  bool weeks = false;
  std::string_view order = "YMD";
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time) return false;
      in_time = true;
      order = "HMS";
      ++i;
      if (i == s.size()) return false;
      continue;
    }
    const std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start || i == s.size()) return false;
    const char unit = s[i++];
    if (unit == 'W' && !in_time) {
      weeks = true;
    } else {
      const auto at = order.find(unit);
      if (at == std::string_view::npos) return false;
      order = order.substr(at + 1);
    }
    any = true;
  }
  if (weeks && (s.find_first_of("YMDTHS") != std::string_view::npos)) return false;
  // Units are contiguous: P1Y2D skips the months, PT1H2S the minutes.
  const auto time = s.find('T');
  const std::string_view date_part = s.substr(0, time);
  const std::string_view time_part = time == std::string_view::npos ? "" : s.substr(time);
  if (date_part.find('Y') != std::string_view::npos &&
      date_part.find('D') != std::string_view::npos &&
      date_part.find('M') == std::string_view::npos)
    return false;
  if (time_part.find('H') != std::string_view::npos &&
      time_part.find('S') != std::string_view::npos &&
      time_part.find('M') == std::string_view::npos)
    return false;
  return any && s.back() != 'T';
}

bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const auto dot = s.find('.', start);
    const std::string_view label = s.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    int value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
      value = value * 10 + (s[i] - '0');
      ++i;
    }
    if (i == start || value > 255 || (s[start] == '0' && i - start > 1)) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

bool is_ipv4(std::string_view s);

bool is_ipv6(std::string_view s) {
  if (s.size() > 45) return false;
  // inet_pton takes leading zeros in an embedded IPv4 address; RFC 4291 does not.
  if (const auto dot = s.find('.'); dot != std::string_view::npos) {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || !is_ipv4(s.substr(colon + 1))) return false;
  }
  char buffer[64] = {};
  s.copy(buffer, s.size());
  unsigned char out[16];
  return inet_pton(AF_INET6, buffer, out) == 1;
}

bool is_email(std::string_view s) {
  const auto at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  const std::string_view local = s.substr(0, at);
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
    // A quoted local part takes anything printable but unescaped quotes and backslashes.
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
      if (local[i] == '\\') {
        ++i;
      } else if (local[i] == '"' || static_cast<unsigned char>(local[i]) < 0x20) {
        return false;
      }
    }
  } else {
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
      return false;
    }
    for (char c : local) {
      if (!std::isalnum(static_cast<unsigned char>(c)) &&
          std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) == std::string_view::npos) {
        return false;
      }
    }
  }
  const std::string_view domain = s.substr(at + 1);
  if (domain.front() == '[' && domain.back() == ']') {
    const std::string_view literal = domain.substr(1, domain.size() - 2);
    if (literal.starts_with("IPv6:")) return is_ipv6(literal.substr(5));
    return is_ipv4(literal);
  }
  return is_hostname(domain);
}

bool uri_chars_ok(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
        c == '`' || c == '{' || c == '|' || c == '}') {
      return false;
    }
    if (c == '%' && (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
                     !std::isxdigit(static_cast<unsigned char>(s[i + 2])))) {
      return false;
    }
  }
  return true;
}

// The authority of a URI: [userinfo@]host[:port], where host may be an IP literal.
bool is_authority(std::string_view a) {
  const auto at = a.find('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = a.substr(0, at);
    if (userinfo.find_first_of("[]@") != std::string_view::npos) return false;
    a = a.substr(at + 1);
  }
  if (a.find('@') != std::string_view::npos) return false;
  std::string_view port;
  if (a.starts_with("[")) {
    const auto close = a.find(']');
    if (close == std::string_view::npos) return false;
    const std::string_view literal = a.substr(1, close - 1);
    if (!literal.starts_with("v") && !literal.starts_with("V") && !is_ipv6(literal)) return false;
    const std::string_view after = a.substr(close + 1);
    if (!after.empty() && after.front() != ':') return false;
    port = after.empty() ? after : after.substr(1);
  } else {
    if (a.find_first_of("[]") != std::string_view::npos) return false;
    const auto colon = a.rfind(':');
    if (colon != std::string_view::npos) port = a.substr(colon + 1);
  }
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A URI or relative reference (RFC 3986) after its scheme: hier-part, query, fragment.
bool is_reference_rest(std::string_view rest, bool relative) {
  if (!uri_chars_ok(rest)) return false;
  const auto end = rest.find_first_of("?#");
  std::string_view hier = rest.substr(0, end);
  const std::string_view tail = end == std::string_view::npos ? "" : rest.substr(end);
  if (tail.find_first_of("[]") != std::string_view::npos &&
      tail.substr(0, tail.find('#')).find_first_of("[]") != std::string_view::npos) {
    return false;
  }
  if (hier.starts_with("//")) {
    hier.remove_prefix(2);
    const auto slash = hier.find('/');
    if (!is_authority(hier.substr(0, slash))) return false;
    hier = slash == std::string_view::npos ? "" : hier.substr(slash);
  } else if (relative) {
    // "a:b" would be read as a scheme: a relative path's first segment has no colon.
    const auto colon = hier.find(':');
    if (colon != std::string_view::npos &&
        hier.substr(0, colon).find('/') == std::string_view::npos)
      return false;
  }
  return hier.find_first_of("[]") == std::string_view::npos;
}

bool is_uri(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return is_reference_rest(s.substr(colon + 1), false);
}

bool is_uri_reference(std::string_view s) {
  const auto colon = s.find(':');
  const auto delimiter = s.find_first_of("/?#");
  if (colon != std::string_view::npos && colon < delimiter && colon > 0) return is_uri(s);
  return is_reference_rest(s, true);
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

bool is_json_pointer(std::string_view s) {
  if (s.empty()) return true;
  if (s.front() != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 == s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return true;
}

bool is_relative_json_pointer(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0 || (s[0] == '0' && i > 1)) return false;
  const std::string_view rest = s.substr(i);
  return rest == "#" || is_json_pointer(rest);
}

}  // namespace

Format format_from_name(std::string_view name) {
  if (name == "date-time") return Format::kDateTime;
  if (name == "date") return Format::kDate;
  if (name == "time") return Format::kTime;
  if (name == "duration") return Format::kDuration;
  if (name == "email") return Format::kEmail;
  if (name == "hostname") return Format::kHostname;
  if (name == "ipv4") return Format::kIpv4;
  if (name == "ipv6") return Format::kIpv6;
  if (name == "uri") return Format::kUri;
  if (name == "uri-reference") return Format::kUriReference;
  if (name == "uuid") return Format::kUuid;
  if (name == "json-pointer") return Format::kJsonPointer;
  if (name == "relative-json-pointer") return Format::kRelativeJsonPointer;
  if (name == "regex") return Format::kRegex;
  return Format::kNone;
}

bool format_matches(Format format, std::string_view text) {
  switch (format) {
    case Format::kNone: return true;
    case Format::kDateTime: return is_date_time(text);
    case Format::kDate: return is_date(text);
    case Format::kTime: return is_time(text);
    case Format::kDuration: return is_duration(text);
    case Format::kEmail: return is_email(text);
    case Format::kHostname: return is_hostname(text);
    case Format::kIpv4: return is_ipv4(text);
    case Format::kIpv6: return is_ipv6(text);
    case Format::kUri: return is_uri(text);
    case Format::kUriReference: return is_uri_reference(text);
    case Format::kUuid: return is_uuid(text);
    case Format::kJsonPointer: return is_json_pointer(text);
    case Format::kRelativeJsonPointer: return is_relative_json_pointer(text);
    case Format::kRegex: return EcmaRegex::compile(text).ok();
  }
  return true;
}

}  // namespace sg::jsonschema::internal
