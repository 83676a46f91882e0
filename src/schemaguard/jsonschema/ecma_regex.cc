#include "schemaguard/jsonschema/ecma_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace sg::jsonschema {
namespace {

// ECMA-262 WhiteSpace and LineTerminator, as a character class body.
// (PCRE2_ALT_BSUX reads \uXXXX as ECMA does, and takes \x with exactly two hex digits.)
constexpr std::string_view kEcmaSpace =
    "\\t\\n\\x0B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F"
    "\\u3000\\uFEFF";

// ECMA names Unicode properties by their long names too (`\p{Letter}`,
// `\p{General_Category=Letter}`, `\p{Script=Greek}`); PCRE2 10.42 takes the short ones.
std::string property_name(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kLongNames[] = {
      {"Letter", "L"},
      {"Cased_Letter", "L&"},
      {"Uppercase_Letter", "Lu"},
      {"Lowercase_Letter", "Ll"},
      {"Titlecase_Letter", "Lt"},
      {"Modifier_Letter", "Lm"},
      {"Other_Letter", "Lo"},
      {"Mark", "M"},
      {"Nonspacing_Mark", "Mn"},
      {"Spacing_Mark", "Mc"},
      {"Enclosing_Mark", "Me"},
      {"Number", "N"},
      {"Decimal_Number", "Nd"},
      {"digit", "Nd"},
      {"Letter_Number", "Nl"},
      {"Other_Number", "No"},
      {"Punctuation", "P"},
      {"punct", "P"},
      {"Connector_Punctuation", "Pc"},
      {"Dash_Punctuation", "Pd"},
      {"Open_Punctuation", "Ps"},
      {"Close_Punctuation", "Pe"},
      {"Initial_Punctuation", "Pi"},
      {"Final_Punctuation", "Pf"},
      {"Other_Punctuation", "Po"},
      {"Symbol", "S"},
      {"Math_Symbol", "Sm"},
      {"Currency_Symbol", "Sc"},
      {"Modifier_Symbol", "Sk"},
      {"Other_Symbol", "So"},
      {"Separator", "Z"},
      {"Space_Separator", "Zs"},
      {"Line_Separator", "Zl"},
      {"Paragraph_Separator", "Zp"},
      {"Other", "C"},
      {"Control", "Cc"},
      {"cntrl", "Cc"},
      {"Format", "Cf"},
      {"Surrogate", "Cs"},
      {"Private_Use", "Co"},
      {"Unassigned", "Cn"},
  };
  if (auto eq = name.find('='); eq != std::string_view::npos) {
    const std::string_view key = name.substr(0, eq);
    const std::string_view value = name.substr(eq + 1);
    if (key == "General_Category" || key == "gc" || key == "Script" || key == "sc" ||
        key == "Script_Extensions" || key == "scx") {
      name = value;
    }
  }
  for (const auto& [long_name, short_name] : kLongNames) {
    if (name == long_name) return std::string(short_name);
  }
  return std::string(name);
}

// Rewrites the ECMA escapes PCRE2 reads otherwise. `\d` and `\w` need nothing: without
// PCRE2_UCP they are ASCII, as in ECMA without the `u` flag.
std::string translate(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 16);
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char next = pattern[i + 1];
      ++i;
      if (next == 's') {
        if (in_class) {
          out.append(kEcmaSpace);
        } else {
          out.append("[").append(kEcmaSpace).append("]");
        }
      } else if ((next == 'p' || next == 'P') && i + 1 < pattern.size() && pattern[i + 1] == '{' &&
                 pattern.find('}', i) != std::string_view::npos) {
        const auto close = pattern.find('}', i);
        out.push_back('\\');
        out.push_back(next);
        out.append("{").append(property_name(pattern.substr(i + 2, close - i - 2))).append("}");
        i = close;
      } else if (next == 'S' && !in_class) {
        out.append("[^").append(kEcmaSpace).append("]");
      } else {
        out.push_back('\\');
        out.push_back(next);
      }
      continue;
    }
    if (c == '[' && !in_class) {
      in_class = true;
      out.push_back(c);
      // A leading ']' (or "^]") in ECMA closes an empty class; PCRE2 would read it as a
      // literal. "[]" matches nothing and "[^]" matches anything in ECMA.
      if (pattern.substr(i + 1).starts_with("]")) {
        out.back() = '(';
        out.append("?!)");
        in_class = false;
        ++i;
      } else if (pattern.substr(i + 1).starts_with("^]")) {
        out.back() = '(';
        out.append("?s:.)");
        in_class = false;
        i += 2;
      }
      continue;
    }
    if (c == ']' && in_class) in_class = false;
    out.push_back(c);
  }
  return out;
}

// Syntax PCRE2 takes and ECMA-262 does not: Python's named groups, comments, inline flag
// groups, and the `\a` escape. Returns what is wrong, or nullptr.
const char* not_ecma(std::string_view pattern) {
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (pattern[i + 1] == 'a') return "\\a is not an ECMA-262 escape";
      ++i;
      continue;
    }
    if (pattern[i] != '(' || pattern[i + 1] != '?') continue;
    const std::string_view rest = pattern.substr(i + 2);
    if (rest.starts_with("P")) return "(?P...) groups are not ECMA-262";
    if (rest.starts_with("#")) return "(?#...) comments are not ECMA-262";
    const auto end = rest.find_first_not_of("imsx-");
    if (end != 0 && end != std::string_view::npos && rest[end] == ')') {
      return "inline flag groups are not ECMA-262";
    }
  }
  return nullptr;
}

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

void add_word(std::bitset<128>& set) {
  for (int c = 0; c < 128; ++c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
      set.set(static_cast<std::size_t>(c));
    }
  }
}

// Reads one escape inside or outside a class: \d, \w, or an escaped ASCII punctuation
// character. Returns false for anything else (left to PCRE2).
bool simple_escape(char c, std::bitset<128>& set, int& literal) {
  literal = -1;
  if (c == 'd') {
    for (char d = '0'; d <= '9'; ++d) set.set(static_cast<std::size_t>(d));
    return true;
  }
  if (c == 'w') {
    add_word(set);
    return true;
  }
  const auto u = static_cast<unsigned char>(c);
  if (u < 128 && u > 32 && !std::isalnum(u)) {
    literal = c;
    set.set(u);
    return true;
  }
  return false;
}

void build_dfa(EcmaRegex::Simple& simple);

std::optional<EcmaRegex::Simple> parse_simple(std::string_view p) {
  EcmaRegex::Simple simple;
  std::size_t i = 0;
  if (i < p.size() && p[i] == '^') {
    simple.anchored_start = true;
    ++i;
  }
  while (i < p.size()) {
    const char c = p[i];
    if (c == '$' && i + 1 == p.size()) {
      simple.anchored_end = true;
      break;
    }
    EcmaRegex::Token token;
    const auto u = static_cast<unsigned char>(c);
    if (c == '[') {
      ++i;
      if (i >= p.size() || p[i] == '^' || p[i] == ']') return std::nullopt;
      while (i < p.size() && p[i] != ']') {
        int from = -1;
        if (p[i] == '\\') {
          if (i + 1 >= p.size() || !simple_escape(p[i + 1], token.set, from)) return std::nullopt;
          i += 2;
        } else {
          if (static_cast<unsigned char>(p[i]) >= 128) return std::nullopt;
          from = p[i];
          token.set.set(static_cast<std::size_t>(from));
          ++i;
        }
        if (from >= 0 && i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
          int to = -1;
          if (p[i + 1] == '\\') return std::nullopt;
          to = static_cast<unsigned char>(p[i + 1]);
          if (to >= 128 || to < from) return std::nullopt;
          for (int x = from; x <= to; ++x) token.set.set(static_cast<std::size_t>(x));
          i += 2;
        }
      }
      if (i >= p.size()) return std::nullopt;
      ++i;  // ']'
    } else if (c == '\\') {
      int literal = -1;
      if (i + 1 >= p.size() || !simple_escape(p[i + 1], token.set, literal)) return std::nullopt;
      i += 2;
    } else if (u >= 128 || std::string_view("().|*+?{}$^[]").find(c) != std::string_view::npos) {
      return std::nullopt;
    } else {
      token.set.set(u);
      ++i;
    }
    if (i < p.size()) {
      if (p[i] == '?' || p[i] == '*' || p[i] == '+') {
        token.min = p[i] == '+' ? 1 : 0;
        token.max = p[i] == '?' ? 1 : UINT32_MAX;
        ++i;
      } else if (p[i] == '{') {
        std::size_t j = i + 1;
        std::uint64_t min = 0;
        std::uint64_t max = 0;
        const std::size_t digits_start = j;
        while (j < p.size() && is_ascii_digit(p[j]) && min < 100000) {
          min = min * 10 + static_cast<std::uint64_t>(p[j++] - '0');
        }
        if (j == digits_start || j >= p.size()) return std::nullopt;
        max = min;
        if (p[j] == ',') {
          ++j;
          if (j < p.size() && p[j] == '}') {
            max = UINT32_MAX;
          } else {
            const std::size_t max_start = j;
            max = 0;
            while (j < p.size() && is_ascii_digit(p[j]) && max < 100000) {
              max = max * 10 + static_cast<std::uint64_t>(p[j++] - '0');
            }
            if (j == max_start) return std::nullopt;
          }
        }
        if (j >= p.size() || p[j] != '}' || max < min || min >= 100000) return std::nullopt;
        token.min = static_cast<std::uint32_t>(min);
        token.max = static_cast<std::uint32_t>(std::min<std::uint64_t>(max, UINT32_MAX));
        i = j + 1;
      }
      if (i < p.size() && p[i] == '?') return std::nullopt;  // lazy: left to PCRE2
    }
    simple.tokens.push_back(token);
    if (simple.tokens.size() > 32) return std::nullopt;
  }
  simple.greedy = true;
  std::bitset<128> later;
  for (std::size_t t = simple.tokens.size(); t-- > 0;) {
    EcmaRegex::Token& token = simple.tokens[t];
    for (std::size_t c = 0; c < 128; ++c) token.accepts[c] = token.set[c];
    if (token.min != token.max && (token.set & later).any()) simple.greedy = false;
    later |= token.set;
  }
  for (const EcmaRegex::Token& token : simple.tokens) {
    if (token.min != 1 || token.max != 1 || token.set.count() != 1) break;
    for (std::size_t c = 0; c < 128; ++c) {
      if (token.set[c]) simple.literal.push_back(static_cast<char>(c));
    }
  }
  if (simple.greedy && simple.anchored_start) build_dfa(simple);
  if (simple.anchored_start && simple.anchored_end) {
    std::size_t variable = 0;
    for (const EcmaRegex::Token& token : simple.tokens) {
      simple.min_length += token.min;
      simple.max_length += token.max;
      if (token.min != token.max) ++variable;
    }
    if (simple.max_length >= UINT32_MAX) simple.max_length = UINT64_MAX;  // `+`, `*`, `{n,}`
    simple.positional = variable <= 1;
  }
  return simple;
}

// The automaton of Simple::dfa for a greedy pattern anchored at the start (empty when it would
// need too many states). A state is a token and how many characters it has taken so far; past
// its minimum, an unbounded token's counts are all one state. On a character the token's set
// holds, and while it may take more, the token takes it: greedy is exact here, because a later
// token could not take it (Simple::greedy). Otherwise, with its minimum met, the token ends and
// the next one is asked.
void build_dfa(EcmaRegex::Simple& simple) {
  const std::vector<EcmaRegex::Token>& tokens = simple.tokens;
  std::vector<std::size_t> first_state(tokens.size() + 1, 0);
  std::size_t states = 0;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    first_state[t] = states;
    const std::uint32_t top = tokens[t].max == UINT32_MAX ? tokens[t].min : tokens[t].max;
    states += std::size_t{top} + 1;
    if (states >= 254) return;
  }
  first_state[tokens.size()] = states++;  // every token done
  const auto reject = static_cast<std::uint8_t>(states++);
  const auto state_of = [&](std::size_t t, std::uint32_t taken) {
    return static_cast<std::uint8_t>(first_state[t] + taken);
  };
  // Whether tokens[t...] may all be empty.
  std::vector<bool> rest_empty(tokens.size() + 1, true);
  for (std::size_t t = tokens.size(); t-- > 0;) {
    rest_empty[t] = rest_empty[t + 1] && tokens[t].min == 0;
  }
  std::vector<std::array<std::uint8_t, 256>> dfa(states);
  std::vector<std::uint8_t> accepting(states, 0);
  for (std::size_t t = 0; t <= tokens.size(); ++t) {
    const std::uint32_t top =
        t == tokens.size() ? 0 : (tokens[t].max == UINT32_MAX ? tokens[t].min : tokens[t].max);
    for (std::uint32_t taken = 0; taken <= top; ++taken) {
      const std::uint8_t from = state_of(t, taken);
      accepting[from] = t == tokens.size() || (taken >= tokens[t].min && rest_empty[t + 1]) ? 1 : 0;
      dfa[from].fill(reject);  // no set holds a byte from 128 up
      for (std::size_t byte = 0; byte < 128; ++byte) {
        std::size_t u = t;
        std::uint32_t c = taken;
        std::uint8_t to = reject;
        while (u < tokens.size()) {
          const EcmaRegex::Token& token = tokens[u];
          if (token.set[byte] && (token.max == UINT32_MAX || c < token.max)) {
            const std::uint32_t cap = token.max == UINT32_MAX ? token.min : token.max;
            to = state_of(u, std::min(c + 1, cap));
            break;
          }
          if (c < token.min) break;
          ++u;
          c = 0;
        }
        dfa[from][byte] = to;
      }
    }
  }
  dfa[reject].fill(reject);
  simple.dfa = std::move(dfa);
  simple.accepting = std::move(accepting);
}

// Matches tokens at `pos` without backtracking (REQUIRES: simple.greedy).
[[gnu::always_inline]] inline bool greedy_match(const EcmaRegex::Simple& simple, std::string_view s,
                                                std::size_t pos) {
  const std::string& literal = simple.literal;
  if (s.size() - pos < literal.size()) return false;
  // Literals are short ("u", "ord_"): a loop beats a call to memcmp.
  for (std::size_t i = 0; i < literal.size(); ++i) {
    if (s[pos + i] != literal[i]) return false;
  }
  pos += literal.size();
  for (std::size_t t = literal.size(); t < simple.tokens.size(); ++t) {
    const EcmaRegex::Token& token = simple.tokens[t];
    const std::size_t limit = std::min<std::size_t>(token.max, s.size() - pos);
    std::size_t run = 0;
    const char* at = s.data() + pos;
    while (run < limit && token.accepts[static_cast<unsigned char>(at[run])]) ++run;
    if (run < token.min) return false;
    pos += run;
  }
  return !simple.anchored_end || pos == s.size();
}

// Whether tokens[t...] match `s` from `pos`. `budget` bounds the backtracking; when it runs out
// the caller asks PCRE2 instead.
std::optional<bool> simple_match(const EcmaRegex::Simple& simple, std::size_t t, std::string_view s,
                                 std::size_t pos, int& budget) {
  if (--budget < 0) return std::nullopt;
  if (t == simple.tokens.size()) return !simple.anchored_end || pos == s.size();
  const EcmaRegex::Token& token = simple.tokens[t];
  std::size_t run = 0;
  while (run < token.max && pos + run < s.size()) {
    const auto c = static_cast<unsigned char>(s[pos + run]);
    if (c >= 128 || !token.set[c]) break;
    ++run;
  }
  if (run < token.min) return false;
  for (std::size_t take = run;; --take) {
    auto rest = simple_match(simple, t + 1, s, pos + take, budget);
    if (!rest || *rest) return rest;
    if (take == token.min) return false;
  }
}

}  // namespace

Result<std::unique_ptr<EcmaRegex>> EcmaRegex::compile(std::string_view pattern) {
  if (const char* problem = not_ecma(pattern)) {
    return Error(ErrorCode::kInvalidSchema,
                 fmt::format("invalid regular expression '{}': {}", pattern, problem));
  }
  const std::string translated = translate(pattern);
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  // Every line terminator ends a line for `.`; with DOLLAR_ENDONLY `$` still matches only at
  // the end.
  pcre2_set_newline(context, PCRE2_NEWLINE_ANY);
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                    PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX | PCRE2_NO_AUTO_CAPTURE,
                    &error_code, &error_offset, context);
  pcre2_compile_context_free(context);
  if (code == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error_code, buffer, sizeof buffer);
    return Error(ErrorCode::kInvalidSchema,
                 fmt::format("invalid regular expression '{}': {} (at offset {})", pattern,
                             reinterpret_cast<const char*>(buffer), error_offset));
  }
  // Without JIT support pcre2_match interprets; both give the same answers.
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return std::unique_ptr<EcmaRegex>(new EcmaRegex(code, parse_simple(pattern)));
}

EcmaRegex::~EcmaRegex() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

EcmaRegex::EcmaRegex(void* code, std::optional<Simple> simple)
    : code_(code), simple_(std::move(simple)) {
  positional_ = simple_ && simple_->positional;
  if (simple_ && !simple_->dfa.empty()) {
    dfa_ = simple_->dfa.data();
    accepting_ = simple_->accepting.data();
  }
}

// search() for every pattern but the positional ones.
bool EcmaRegex::search_any(std::string_view subject) const {
  if (dfa_ != nullptr) {
    std::uint8_t state = 0;
    if (simple_->anchored_end) {
      // The reject state keeps its hold to the end of the subject.
      for (const char c : subject) state = dfa_[state][static_cast<unsigned char>(c)];
      return accepting_[state] != 0;
    }
    // Without `$`, reaching an accepting state is a match, whatever follows.
    if (accepting_[0] != 0) return true;
    for (const char c : subject) {
      state = dfa_[state][static_cast<unsigned char>(c)];
      if (accepting_[state] != 0) return true;
    }
    return false;
  }
  if (simple_ && simple_->greedy) {
    if (simple_->anchored_start) return greedy_match(*simple_, subject, 0);
    for (std::size_t start = 0; start <= subject.size(); ++start) {
      if (greedy_match(*simple_, subject, start)) return true;
    }
    return false;
  }
  if (simple_) {
    int budget = 10000;
    if (simple_->anchored_start) {
      if (auto matched = simple_match(*simple_, 0, subject, 0, budget)) return *matched;
    } else {
      for (std::size_t start = 0; start <= subject.size(); ++start) {
        auto matched = simple_match(*simple_, 0, subject, start, budget);
        if (!matched) break;
        if (*matched) return true;
        if (start == subject.size()) return false;
      }
    }
  }
  return pcre2_search(subject);
}

bool EcmaRegex::pcre2_search(std::string_view subject) const {
  // One match block per thread, big enough for the whole-match pair every pattern needs, so
  // matching allocates nothing and a compiled pattern is shared freely.
  struct MatchData {
    pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
    ~MatchData() { pcre2_match_data_free(data); }
  };
  thread_local MatchData match;
  const int rc = pcre2_match(static_cast<const pcre2_code*>(code_),
                             reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0,
                             match.data, nullptr);
  return rc >= 0;
}

}  // namespace sg::jsonschema
