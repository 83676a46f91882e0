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
  bool search(std::string_view subject) const {
    // The common case inline: a pattern anchored at both ends, of characters in fixed places.
    if (positional_) return positional_match(subject);
    return search_any(subject);
  }

  // A pattern made only of ASCII literals and positive ASCII classes with quantifiers, and
  // optionally ^ and $ (most `pattern`s in event schemas: "^[A-Z]{3}$", "^ord_[0-9a-f]{16}$"),
  // is matched by a small backtracking matcher: calling PCRE2 costs more than the match.
  struct Token {
    std::bitset<128> set;
    std::uint32_t min = 1;
    std::uint32_t max = 1;
    // `set` as one flag per byte value (false from 128 up, UTF-8 lead and continuation
    // bytes), for the greedy and positional matchers: one load per character.
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
    // Anchored at both ends, with at most one token whose length may vary ("^u[0-9]+$",
    // "^[A-Z]{2}$", "^\\+[0-9]{6,15}$"): the subject's length then fixes which token each
    // character belongs to, so each character is checked against its token's set on its own.
    // The automaton's lookups form a chain, each waiting for the one before; these do not.
    bool positional = false;
    std::uint64_t min_length = 0, max_length = 0;  // in bytes: every set is ASCII
  };

 private:
  EcmaRegex(void* code, std::optional<Simple> simple);
  bool search_any(std::string_view subject) const;
  bool pcre2_search(std::string_view subject) const;
  // Matches a Simple::positional pattern.
  bool positional_match(std::string_view subject) const {
    const Simple& simple = *simple_;
    if (subject.size() < simple.min_length || subject.size() > simple.max_length) return false;
    // What the variable token, if any, takes beyond its minimum.
    const std::size_t extra = subject.size() - simple.min_length;
    const auto* at = reinterpret_cast<const unsigned char*>(subject.data());
    for (const Token& token : simple.tokens) {
      const std::size_t count = token.min + (token.min != token.max ? extra : 0);
      bool all = true;
      for (std::size_t i = 0; i < count; ++i) all &= token.accepts[at[i]];
      if (!all) return false;
      at += count;
    }
    return true;
  }

  void* code_;  // pcre2_code_8*, kept out of the header so users need not include pcre2.h
  std::optional<Simple> simple_;
  // simple_->dfa and simple_->accepting, or null: read by search() first.
  const std::array<std::uint8_t, 256>* dfa_ = nullptr;
  const std::uint8_t* accepting_ = nullptr;
  bool positional_ = false;  // simple_->positional
};

}  // namespace sg::jsonschema
