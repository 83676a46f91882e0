#include "schemaguard/registry/view.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "schemaguard/registry/projection_testing.h"

namespace sg::registry {
namespace {

using namespace projection_testing;  // NOLINT: this test is built on them

// The differential check: for each split of `records` into a prefix (applied to a projection)
// and a suffix (pending in a view), the view answers every query as a projection that applied
// prefix and suffix. The suffix is pushed one record at a time and the view asked after each,
// so the view's incremental overlay is checked at every length too.
void check_sequence(const std::vector<Record>& records, const std::string& name,
                    const std::vector<std::size_t>& splits) {
  const Universe universe(records);
  for (const std::size_t split : splits) {
    Projection prefix;
    Projection expected;
    for (std::size_t i = 0; i < split; ++i) {
      prefix.apply(i, records[i]);
      expected.apply(i, records[i]);
    }
    std::vector<Record> pending;
    View view(prefix, pending);
    expect_same_answers(view, expected, universe, name + " split " + std::to_string(split));
    for (std::size_t i = split; i < records.size(); ++i) {
      pending.push_back(records[i]);
      expected.apply(i, records[i]);
      expect_same_answers(
          view, expected, universe,
          name + " split " + std::to_string(split) + " pending " + std::to_string(pending.size()));
      if (::testing::Test::HasFailure()) return;  // one failing case says enough
    }
  }
}

TEST(View, AnswersLikeTheProjectionAfterThePendingRecords) {
  for (const Scenario& scenario : scenarios()) {
    std::vector<std::size_t> every_split;
    for (std::size_t i = 0; i <= scenario.records.size(); ++i) every_split.push_back(i);
    check_sequence(scenario.records, scenario.name, every_split);
    if (HasFailure()) return;
  }
}

TEST(View, RandomSequencesAnswerLikeTheProjection) {
  std::mt19937 rng(20240611);
  for (int round = 0; round < 60; ++round) {
    const std::vector<Record> records = random_sequence(rng, 40);
    const std::size_t cut = std::uniform_int_distribution<std::size_t>(1, 39)(rng);
    check_sequence(records, "random round " + std::to_string(round), {0, cut, 40});
    if (HasFailure()) return;
  }
}

TEST(View, PendingRecordsDoNotReachTheProjection) {
  Projection projection;
  projection.apply(0, schema("s", 1, 1, "\"a\""));
  std::vector<Record> pending = {schema("s", 2, 2, "\"b\""), config("s", "NONE")};
  View view(projection, pending);
  EXPECT_EQ(view.subject("s")->max_version(), 2);
  EXPECT_EQ(view.subject("s")->latest()->offset, 1u) << "where the group will append it";
  EXPECT_EQ(view.max_id("."), 2);
  EXPECT_EQ(view.config("s")->compatibility_level, "NONE");
  EXPECT_EQ(projection.subject("s")->max_version(), 1);
  EXPECT_EQ(projection.max_id("."), 1);
  EXPECT_EQ(projection.config("s"), std::nullopt);
}

TEST(View, StartsOverWhenPendingShrinks) {
  Projection projection;
  std::vector<Record> pending = {schema("s", 1, 1, "\"a\""), schema("s", 2, 2, "\"b\"")};
  View view(projection, pending);
  EXPECT_EQ(view.max_id("."), 2);
  pending.pop_back();
  EXPECT_EQ(view.max_id("."), 1);
  EXPECT_EQ(view.subject("s")->max_version(), 1);
  pending.clear();
  EXPECT_EQ(view.subject("s"), nullptr);
  EXPECT_EQ(view.contexts(), std::vector<std::string>{"."});
}

}  // namespace
}  // namespace sg::registry
