#include "schemaguard/jsonschema/ecma_regex.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace sg::jsonschema {
namespace {

bool matches(std::string_view pattern, std::string_view subject) {
  auto re = EcmaRegex::compile(pattern);
  EXPECT_TRUE(re.ok()) << pattern << ": " << re.error().message();
  return re.ok() && (*re)->search(subject);
}

TEST(EcmaRegexTest, FollowsEcmaSemantics) {
  EXPECT_TRUE(matches("b", "abc"));  // a search, not anchored
  EXPECT_TRUE(matches("^\\d$", "7"));
  EXPECT_FALSE(matches("^\\d$", "\u0663"));  // ARABIC-INDIC DIGIT THREE: not \d in ECMA
  EXPECT_FALSE(matches("^\\w$", "\u00e9"));
  EXPECT_TRUE(matches("^\\s$", "\u00a0"));  // NO-BREAK SPACE is ECMA white space
  EXPECT_TRUE(matches("^\\s$", "\ufeff"));
  EXPECT_FALSE(matches("^\\S$", "\u2028"));
  EXPECT_TRUE(matches("^[\\s]$", "\u3000"));
  EXPECT_FALSE(matches("^abc$", "abc\n"));  // $ only at the very end
  EXPECT_FALSE(matches("^.$", "\n"));
  EXPECT_TRUE(matches("^.$", "\xf0\x9f\x90\xb2"));  // one code point, four bytes
  EXPECT_TRUE(matches("^\\u0041$", "A"));
  EXPECT_TRUE(matches("^\\cJ$", "\n"));
  EXPECT_FALSE(matches("[]", "a"));
  EXPECT_TRUE(matches("^[^]$", "\n"));
  EXPECT_TRUE(matches("^\\p{Letter}+$", "\u00e9t\u00e9"));
  EXPECT_TRUE(matches("^\\p{Script=Greek}$", "\u03b1"));
  EXPECT_TRUE(matches("(?<=a)b", "ab"));
}

// Simple patterns take a fast path; wrapped in a group they go to PCRE2. Both must agree.
TEST(EcmaRegexTest, FastPathAgreesWithPcre2) {
  const char* patterns[] = {
      "^[A-Z]{3}$",
      "^ord_[0-9a-f]{16}$",
      "^\\+[0-9]{6,15}$",
      "^u[0-9]+$",
      "[A-Z0-9-]{4,20}",
      "^[a-z]*a$",
      "a?b*c+",
      "^\\d{2,}\\.\\w*$",
      "x{0}y",
      "^[-a]{1,2}$",
      "^$",
      "",
      "b{2}$",
      "^[a-c]*[b-d]*[c-e]*$",
      // Matched greedily, without backtracking (each set disjoint from the ones after it).
      "^[0-9]+[a-z]?$",
      "[a-z]+\\d",
      "^[A-Z]{2,3}-?[0-9]*$",
      "^utm_[a-z]+$",
      "m_[a-z]",
      // Anchored at the start only (a match may stop early), accepting the empty string, and
      // too many counted characters for the automaton.
      "^ord_[0-9]",
      "^u[0-9]{2,3}",
      "^[a-c]*",
      "^[A-Z]{2}[0-9]{0,3}$",
      "^[a-z0-9]{1,300}$",
  };
  const char* subjects[] = {
      "",
      "EUR",
      "EURO",
      "eur",
      "ord_0123456789abcdef",
      "ord_0123456789abcdeg",
      "+12345678",
      "+123",
      "u1",
      "u",
      "u12x",
      "AB-12",
      "ab",
      "aaaa",
      "ba",
      "abcc",
      "12.ab_",
      "1.",
      "y",
      "xy",
      "-a",
      "--",
      "bb",
      "abb",
      "abcdedcba",
      "aabbccddee",
      "\u00e9",
      "caf\u00e9aaa",
      "A\u00c9B",
      "123",
      "123a",
      "123ab",
      "xyz9",
      "9xyz",
      "AB-",
      "ABC-42",
      "ABCD-42",
      "AB42",
      "utm_source",
      "utm_",
      "utm",
      "xutm_a",
      // Long runs of a class, cut by a character outside it (ASCII or not) at various places.
      "+1234567",
      "+12345678901234",
      "+123456789012345",
      "+1234567890123456",
      "u12345678",
      "u1234567890123456789",
      "u1234567\u00e9",
      "u123456789x",
      "u12\u00e934567890",
      "ord_0123456789abcdeF",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789",
  };
  for (const char* pattern : patterns) {
    const std::string grouped = "(?:" + std::string(pattern) + ")";
    auto fast = EcmaRegex::compile(pattern);
    auto slow = EcmaRegex::compile(grouped);
    ASSERT_TRUE(fast.ok() && slow.ok()) << pattern;
    for (const char* subject : subjects) {
      EXPECT_EQ((*fast)->search(subject), (*slow)->search(subject))
          << "pattern " << pattern << ", subject " << subject;
      // What follows the subject must not count: make it match everything.
      const std::string followed = std::string(subject) + "0123456789ZZZZZZaaaaaaaa";
      EXPECT_EQ((*fast)->search(std::string_view(followed.data(), std::strlen(subject))),
                (*slow)->search(subject))
          << "pattern " << pattern << ", subject followed by more: " << subject;
    }
  }
  // Backtracking beyond the fast path's budget falls back to PCRE2 with the same answer.
  auto heavy = EcmaRegex::compile("^[a-z]*[a-z]*[a-z]*[a-z]*b$");
  ASSERT_TRUE(heavy.ok());
  EXPECT_FALSE((*heavy)->search(std::string(200, 'a')));
  EXPECT_TRUE((*heavy)->search(std::string(200, 'a') + "b"));
}

// Random patterns of the shapes the fast paths take (classes of a small alphabet, counted,
// anchored or not), on random subjects, against PCRE2.
TEST(EcmaRegexTest, FastPathsAgreeWithPcre2OnRandomPatterns) {
  std::mt19937 random(20261129);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  const char* const atoms[] = {"a", "b", "0", "-", "[ab]", "[a-c]", "[0-9]", "[b0-]", "\\d"};
  const char* const counts[] = {"", "", "?", "*", "+", "{2}", "{0,2}", "{1,3}", "{2,}", "{3,9}"};
  const std::string alphabet[] = {"a", "b", "c", "0", "7", "-", "\u00e9"};
  for (int round = 0; round < 1500; ++round) {
    std::string pattern = pick(3) != 0 ? "^" : "";
    for (std::size_t n = 1 + pick(4); n > 0; --n) {
      pattern += atoms[pick(std::size(atoms))];
      pattern += counts[pick(std::size(counts))];
    }
    if (pick(3) != 0) pattern += "$";
    auto fast = EcmaRegex::compile(pattern);
    auto slow = EcmaRegex::compile("(?:" + pattern + ")");
    ASSERT_TRUE(fast.ok() && slow.ok()) << pattern;
    for (int s = 0; s < 12; ++s) {
      std::string subject;
      for (std::size_t n = pick(12); n > 0; --n) subject += alphabet[pick(std::size(alphabet))];
      ASSERT_EQ((*fast)->search(subject), (*slow)->search(subject))
          << "pattern " << pattern << ", subject " << subject;
    }
  }
}

TEST(EcmaRegexTest, RejectsWhatEcmaRejectsWithAMessage) {
  for (const char* pattern : {"(", "[a-", "a{2,1}", "(?P<n>a)", "(?#c)", "(?i)a", "\\a"}) {
    auto re = EcmaRegex::compile(pattern);
    ASSERT_FALSE(re.ok()) << pattern;
    EXPECT_EQ(re.error().code(), ErrorCode::kInvalidSchema);
    EXPECT_NE(re.error().message().find("invalid regular expression"), std::string::npos);
  }
}

}  // namespace
}  // namespace sg::jsonschema
