// ECMA-262 regular expressions (JSON Schema `pattern`, `patternProperties`, format "regex"),
// approximated with PCRE2: compiled once, JIT-compiled where the platform supports it.
//
// What follows ECMA without the `u` flag: `\d` and `\w` are ASCII only, `\s` is ECMA's white
// space and line terminators, `$` matches only at the very end, `.` excludes line terminators,
// `\uXXXX` and `\cX` escapes. Matching is by code point (the subject is UTF-8). Constructs
// PCRE2 reads differently from ECMA (e.g. possessive quantifiers, `\A`) are PCRE2's.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"

namespace sg::jsonschema {

class EcmaRegex {
 public:
  // kInvalidSchema with PCRE2's reason and offset when `pattern` does not compile.
  static Result<std::unique_ptr<EcmaRegex>> compile(std::string_view pattern);

  ~EcmaRegex();
  EcmaRegex(const EcmaRegex&) = delete;
  EcmaRegex& operator=(const EcmaRegex&) = delete;

  // True if the pattern matches anywhere in `subject` (UTF-8). Thread-safe.
  bool search(std::string_view subject) const;

  // A pattern made only of ASCII literals and positive ASCII classes with quantifiers, and
  // optionally ^ and $ (most `pattern`s in event schemas: "^[A-Z]{3}$", "^ord_[0-9a-f]{16}$"),
  // is matched by a small backtracking matcher: calling PCRE2 costs more than the match.
  struct Token {
    std::bitset<128> set;
    std::uint32_t min = 1;
    std::uint32_t max = 1;
    // `set` as one flag per byte value (false from 128 up, UTF-8 lead and continuation
    // bytes), for the greedy matcher: one load per character.
    std::array<bool, 256> accepts{};
  };
  struct Simple {
    bool anchored_start = false;
    bool anchored_end = false;
    // Every token with a choice of length (min < max) has a set disjoint from all the tokens
    // after it: a character it gives back could never be taken by another, so the greedy
    // match is the only one to try (true of "^[A-Z0-9-]{4,20}$", "^u[0-9]+$").
    bool greedy = false;
    std::vector<Token> tokens;
    // The leading tokens that are one literal character each ("utm_" of "^utm_[a-z]+$"),
    // compared at once by the greedy matcher, which starts at tokens[literal.size()].
    std::string literal;
    // For a greedy pattern anchored at the start with few enough states: a deterministic
    // automaton over bytes, one table lookup per character. State 0 is the start; the last
    // state rejects, and never leaves.
    std::vector<std::array<std::uint8_t, 256>> dfa;
    std::vector<std::uint8_t> accepting;  // by state: 1 if the subject may end here
  };

 private:
  EcmaRegex(void* code, std::optional<Simple> simple);
  bool pcre2_search(std::string_view subject) const;

  void* code_;  // pcre2_code_8*, kept out of the header so users need not include pcre2.h
  std::optional<Simple> simple_;
  // simple_->dfa and simple_->accepting, or null: read by search() first.
  const std::array<std::uint8_t, 256>* dfa_ = nullptr;
  const std::uint8_t* accepting_ = nullptr;
  bool anchored_end_ = false;
};

}  // namespace sg::jsonschema
