#include "schemaguard/registry/projection.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "schemaguard/registry/identity.h"
#include "schemaguard/registry/projection_testing.h"

namespace sg::registry {
namespace {

using projection_testing::schema;

// Applies records at consecutive offsets, as replaying a log does.
class ProjectionTest : public ::testing::Test {
 protected:
  void apply(const Record& record) { projection_.apply(next_offset_++, record); }

  std::vector<int> versions(std::string_view subject, bool include_deleted = false) {
    std::vector<int> out;
    if (auto state = projection_.subject(subject)) {
      for (const auto& v : state->versions) {
        if (include_deleted || !v.deleted) out.push_back(v.version);
      }
    }
    return out;
  }

  Projection projection_;
  std::uint64_t next_offset_ = 0;
};

TEST_F(ProjectionTest, RegistrationsBuildSubjectsIdsAndTheContentIndex) {
  apply(schema("orders-value", 1, 1, R"("string")"));
  apply(schema("orders-value", 2, 2, R"("long")"));
  apply(schema("payments-value", 1, 1, R"("string")"));  // same content, same id

  EXPECT_EQ(projection_.applied_end(), 3u);
  EXPECT_EQ(projection_.subjects(), (std::vector<std::string>{"orders-value", "payments-value"}));
  EXPECT_EQ(versions("orders-value"), (std::vector<int>{1, 2}));
  const auto latest = projection_.subject("orders-value")->latest();
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->schema->id, 2);
  EXPECT_EQ(latest->offset, 1u);

  ASSERT_NE(projection_.schema_by_id(".", 1), nullptr);
  EXPECT_EQ(projection_.schema_by_id(".", 1)->schema, R"("string")");
  EXPECT_EQ(projection_.schema_by_id(".", 3), nullptr);
  EXPECT_EQ(
      projection_.versions_of_id(".", 1),
      (std::vector<SubjectAndVersion>{{"orders-value", 1, false}, {"payments-value", 1, false}}));
  EXPECT_EQ(projection_.id_for_content(".", schema("x", 0, 0, R"("long")")), 2);
  EXPECT_EQ(projection_.id_for_content(".", schema("x", 0, 0, R"("int")")), std::nullopt);
  EXPECT_EQ(projection_.max_id("."), 2);
}

TEST_F(ProjectionTest, AnIdNeverChangesMeaning) {
  apply(schema("a", 1, 7, R"("string")"));
  apply(schema("b", 1, 7, R"("int")"));  // rebinding id 7: ignored, as Confluent's readers do
  EXPECT_EQ(projection_.schema_by_id(".", 7)->schema, R"("string")");
  EXPECT_EQ(projection_.subject("b"), nullptr);
  EXPECT_EQ(projection_.applied_end(), 2u) << "the record is consumed even though ignored";
}

TEST_F(ProjectionTest, AStoredSchemaKnowsItsContentAndGuid) {
  SchemaRecord record = schema("a", 1, 3, R"("string")");
  record.references.push_back(SchemaReference{"B", "b", 2});
  record.metadata = R"({"properties":{"owner":"team"}})";
  apply(record);
  const StoredSchemaPtr stored = projection_.schema_by_id(".", 3);
  ASSERT_NE(stored, nullptr);
  const SchemaRecord content = stored->content();
  EXPECT_TRUE(stored->same_content(content));
  EXPECT_EQ(content.references, record.references);
  EXPECT_EQ(content.metadata, record.metadata);
  const auto expected = schema_guid(record);
  ASSERT_TRUE(expected.ok());
  ASSERT_TRUE(stored->guid().has_value());
  EXPECT_EQ(*stored->guid(), *expected);

  // Metadata that is not Confluent's shape has no guid (and the schema is still stored).
  SchemaRecord foreign = schema("c", 1, 4, R"("int")");
  foreign.metadata = R"({"properties":{"owner":null}})";
  apply(foreign);
  ASSERT_NE(projection_.schema_by_id(".", 4), nullptr);
  EXPECT_EQ(projection_.schema_by_id(".", 4)->guid(), std::nullopt);
}

TEST_F(ProjectionTest, SoftDeletesKeepVersionNumbersAndIds) {
  apply(schema("s", 1, 1, "\"a\""));
  apply(schema("s", 2, 2, "\"b\""));
  SchemaRecord deleted = schema("s", 2, 2, "\"b\"");
  deleted.deleted = true;
  apply(deleted);  // soft delete of one version rewrites its record
  EXPECT_EQ(versions("s"), std::vector<int>{1});
  EXPECT_EQ(versions("s", true), (std::vector<int>{1, 2}));
  EXPECT_EQ(projection_.subject("s")->latest()->version, 1);
  EXPECT_EQ(projection_.subject("s")->max_version(), 2) << "the next version is 3, not 2";
  EXPECT_NE(projection_.schema_by_id(".", 2), nullptr) << "soft-deleted ids stay readable";

  apply(DeleteSubjectRecord{"s", 2});
  EXPECT_TRUE(versions("s").empty());
  EXPECT_EQ(projection_.subjects(), std::vector<std::string>{});
  EXPECT_EQ(projection_.subjects(true), std::vector<std::string>{"s"});
  EXPECT_EQ(projection_.versions_of_id(".", 1), (std::vector<SubjectAndVersion>{{"s", 1, true}}));
}

TEST_F(ProjectionTest, PermanentDeletesRemoveVersionsAndFinallyTheId) {
  apply(schema("a", 1, 1, "\"x\""));
  apply(schema("b", 1, 1, "\"x\""));
  apply(DeleteSubjectRecord{"a", 1});
  apply(SchemaTombstone{"a", 1});
  EXPECT_EQ(projection_.subject("a"), nullptr);
  EXPECT_NE(projection_.schema_by_id(".", 1), nullptr) << "still used by b";

  apply(DeleteSubjectRecord{"b", 1});
  apply(SchemaTombstone{"b", 1});
  EXPECT_EQ(projection_.schema_by_id(".", 1), nullptr);
  EXPECT_EQ(projection_.id_for_content(".", schema("", 0, 0, "\"x\"")), std::nullopt);
  EXPECT_EQ(projection_.max_id("."), 1) << "ids are not reused";
  // After a permanent delete the version number can come back.
  apply(schema("a", 1, 2, "\"y\""));
  EXPECT_EQ(versions("a"), std::vector<int>{1});
}

TEST_F(ProjectionTest, ReferencedByFollowsReferencesAndTheirRemoval) {
  apply(schema("address", 1, 1, R"({"type":"record","name":"Address","fields":[]})"));
  apply(schema("order", 1, 2, R"({"type":"record","name":"Order","fields":[]})",
               {{"Address", "address", 1}}));
  apply(schema("invoice", 1, 3, R"({"type":"record","name":"Invoice","fields":[]})",
               {{"Address", "address", 1}}));
  EXPECT_EQ(projection_.referenced_by("address", 1), (std::vector<int>{2, 3}));
  EXPECT_TRUE(projection_.referenced_by("address", 2).empty());

  apply(DeleteSubjectRecord{"order", 1});
  EXPECT_EQ(projection_.referenced_by("address", 1), (std::vector<int>{2, 3}))
      << "soft-deleted schemas still reference";
  apply(SchemaTombstone{"order", 1});
  EXPECT_EQ(projection_.referenced_by("address", 1), std::vector<int>{3});
}

TEST_F(ProjectionTest, ContextsHaveTheirOwnIdsAndResolveReferencesLocally) {
  apply(schema(":.staging:orders", 1, 1, "\"a\""));
  apply(schema("orders", 1, 1, "\"b\""));
  apply(schema(":.staging:invoices", 1, 2, "\"c\"", {{"x", "orders", 1}}));
  EXPECT_EQ(context_of(":.staging:orders"), ".staging");
  EXPECT_EQ(context_of("orders"), ".");
  EXPECT_EQ(context_of(":.:orders"), ".");
  EXPECT_EQ(projection_.schema_by_id(".staging", 1)->schema, "\"a\"");
  EXPECT_EQ(projection_.schema_by_id(".", 1)->schema, "\"b\"");
  EXPECT_EQ(projection_.max_id(".staging"), 2);
  EXPECT_EQ(projection_.max_id("."), 1);
  EXPECT_EQ(projection_.referenced_by(":.staging:orders", 1), std::vector<int>{2});
  EXPECT_TRUE(projection_.referenced_by("orders", 1).empty());
  EXPECT_EQ(projection_.contexts(), (std::vector<std::string>{".", ".staging"}));
}

TEST_F(ProjectionTest, ConfigAndModeRecordsAndTheirTombstones) {
  ConfigRecord global;
  global.compatibility_level = "FULL";
  apply(global);
  ConfigRecord subject;
  subject.subject = "orders";
  subject.compatibility_level = "NONE";
  apply(subject);
  EXPECT_EQ(projection_.config(std::nullopt)->compatibility_level, "FULL");
  EXPECT_EQ(projection_.config("orders")->compatibility_level, "NONE");
  EXPECT_EQ(projection_.config("payments"), std::nullopt);

  ConfigRecord removed;
  removed.subject = "orders";
  removed.tombstone = true;
  apply(removed);
  EXPECT_EQ(projection_.config("orders"), std::nullopt);

  apply(ModeRecord{std::nullopt, false, "READONLY"});
  apply(ModeRecord{"orders", false, "IMPORT"});
  EXPECT_EQ(projection_.mode(std::nullopt)->mode, "READONLY");
  EXPECT_EQ(projection_.mode("orders")->mode, "IMPORT");
  apply(ModeRecord{"orders", true, ""});
  EXPECT_EQ(projection_.mode("orders"), std::nullopt);
}

TEST_F(ProjectionTest, ClearSubjectDropsOnlySoftDeletedVersions) {
  apply(schema("a", 1, 1, "\"x\""));
  apply(schema("a", 2, 2, "\"y\""));
  apply(schema("b", 1, 3, "\"z\""));
  apply(DeleteSubjectRecord{"b", 1});
  SchemaRecord soft = schema("a", 1, 1, "\"x\"");
  soft.deleted = true;
  apply(soft);
  apply(ClearSubjectRecord{std::nullopt});
  EXPECT_EQ(versions("a", true), std::vector<int>{2});
  EXPECT_EQ(projection_.subject("b"), nullptr);
  EXPECT_EQ(projection_.schema_by_id(".", 3), nullptr);
}

TEST_F(ProjectionTest, NoopsAndUnknownRecordsOnlyAdvanceTheOffset) {
  apply(NoopRecord{});
  apply(ContextRecord{"default", ".dev"});
  EXPECT_EQ(projection_.applied_end(), 2u);
  EXPECT_EQ(projection_.contexts(), (std::vector<std::string>{".", ".dev"}));
}

TEST_F(ProjectionTest, ContentIndexComparesWholeContent) {
  apply(schema("a", 1, 1, R"("string")"));
  SchemaRecord with_metadata = schema("b", 1, 2, R"("string")");
  with_metadata.metadata = R"({"properties":{"owner":"x"}})";
  apply(with_metadata);
  apply(schema("c", 1, 3, R"("string")", {{"R", "a", 1}}));
  apply(schema(":.ctx:d", 1, 1, R"("string")"));
  EXPECT_EQ(projection_.id_for_content(".", schema("", 0, 0, R"("string")")), 1);
  EXPECT_EQ(projection_.id_for_content(".", with_metadata), 2);
  EXPECT_EQ(projection_.id_for_content(".", schema("", 0, 0, R"("string")", {{"R", "a", 1}})), 3);
  EXPECT_EQ(projection_.id_for_content(".", schema("", 0, 0, R"("string")", {{"R", "a", 2}})),
            std::nullopt);
  EXPECT_EQ(projection_.id_for_content(".ctx", schema("", 0, 0, R"("string")")), 1);
  EXPECT_EQ(projection_.id_for_content(".other", schema("", 0, 0, R"("string")")), std::nullopt);

  // An import registers known content under another id: the index follows the newest.
  apply(schema("e", 1, 9, R"("string")"));
  EXPECT_EQ(projection_.id_for_content(".", schema("", 0, 0, R"("string")")), 9);
  EXPECT_EQ(projection_.id_for_content(".", with_metadata), 2);
}

// Replay applies in place: the result is the same as applying shared, and a state the caller
// still holds is not changed under it.
TEST_F(ProjectionTest, UnsharedApplyMatchesApplyAndLeavesHeldStatesAlone) {
  Projection shared;
  std::vector<Record> records;
  for (int v = 1; v <= 20; ++v) {
    records.push_back(schema("s", v, v, "\"v" + std::to_string(v) + "\""));
    if (v % 7 == 0) records.push_back(DeleteSubjectRecord{"s", v - 3});
    if (v % 9 == 0) records.push_back(SchemaTombstone{"s", v - 8});
  }
  SubjectStatePtr held;
  for (std::size_t i = 0; i < records.size(); ++i) {
    shared.apply(i, records[i]);
    projection_.apply_unshared(i, Record(records[i]));
    if (i == 5) held = projection_.subject("s");
  }
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->versions.size(), 6u) << "the held state kept its six versions";
  const auto mine = projection_.subject("s");
  const auto theirs = shared.subject("s");
  ASSERT_EQ(mine->versions.size(), theirs->versions.size());
  for (std::size_t i = 0; i < mine->versions.size(); ++i) {
    EXPECT_EQ(mine->versions[i].version, theirs->versions[i].version);
    EXPECT_EQ(mine->versions[i].deleted, theirs->versions[i].deleted);
    EXPECT_EQ(mine->versions[i].offset, theirs->versions[i].offset);
    EXPECT_EQ(mine->versions[i].schema->schema, theirs->versions[i].schema->schema);
  }
  EXPECT_EQ(projection_.versions_of_id(".", 20), shared.versions_of_id(".", 20));
  EXPECT_EQ(projection_.schema_by_id(".", 1), nullptr) << "tombstoned";
}

TEST_F(ProjectionTest, CountsSchemaIdsAndSubjects) {
  EXPECT_EQ(projection_.schema_count(), 0u);
  EXPECT_EQ(projection_.subject_count(), 0u);
  apply(schema("a", 1, 1, "\"x\""));
  apply(schema("b", 1, 1, "\"x\""));  // the same id in another subject
  apply(schema("a", 2, 2, "\"y\""));
  apply(schema(":.ctx:a", 1, 1, "\"x\""));  // id 1 again, in another context
  apply(schema("c", 1, 1, "\"z\""));        // rebinding id 1: ignored
  EXPECT_EQ(projection_.schema_count(), 3u);
  EXPECT_EQ(projection_.subject_count(), 3u);
  EXPECT_EQ(projection_.subject_count(true), 3u);

  apply(DeleteSubjectRecord{"b", 1});
  EXPECT_EQ(projection_.subject_count(), 2u) << "b has no live version";
  EXPECT_EQ(projection_.subject_count(true), 3u);
  EXPECT_EQ(projection_.schema_count(), 3u) << "soft-deleted versions still use their ids";
  apply(schema("b", 2, 2, "\"y\""));
  EXPECT_EQ(projection_.subject_count(), 3u) << "b is live again";
  apply(DeleteSubjectRecord{"b", 2});
  apply(SchemaTombstone{"b", 1});
  apply(SchemaTombstone{"b", 2});
  EXPECT_EQ(projection_.subject_count(), 2u);
  EXPECT_EQ(projection_.subject_count(true), 2u);
  EXPECT_EQ(projection_.schema_count(), 3u) << "a still uses ids 1 and 2";
  apply(SchemaTombstone{":.ctx:a", 1});
  EXPECT_EQ(projection_.schema_count(), 2u);
  EXPECT_EQ(projection_.subject_count(true), 1u);
}

// The counts are kept as records are applied, shared or in place: after every record of every
// scenario and of random sequences they are what walking the subjects finds.
TEST(ProjectionCounts, MatchAWalkOfTheSubjectsAfterEveryRecord) {
  std::vector<projection_testing::Scenario> sequences = projection_testing::scenarios();
  std::mt19937 rng(4242);
  for (int round = 0; round < 40; ++round) {
    sequences.push_back(
        {"random round " + std::to_string(round), projection_testing::random_sequence(rng, 60)});
  }
  for (const projection_testing::Scenario& sequence : sequences) {
    Projection shared;
    Projection unshared;
    for (std::size_t i = 0; i < sequence.records.size(); ++i) {
      shared.apply(i, sequence.records[i]);
      unshared.apply_unshared(i, Record(sequence.records[i]));
      const std::string where = sequence.name + " after record " + std::to_string(i);
      projection_testing::expect_counts_match_a_walk(shared, where);
      projection_testing::expect_counts_match_a_walk(unshared, where + " (unshared)");
      if (HasFailure()) return;  // one failing case says enough
    }
  }
}

// Readers run while the writer applies records: every state a reader sees is complete (a
// subject's latest version always has its schema), and nothing crashes under TSan/ASan.
TEST_F(ProjectionTest, ConcurrentReadersSeeCompleteStates) {
  std::atomic<bool> done{false};
  std::atomic<int> observed{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        for (const std::string& name : projection_.subjects()) {
          auto state = projection_.subject(name);
          if (!state) continue;
          const SubjectVersion* latest = state->latest();
          if (latest == nullptr) continue;
          ASSERT_NE(latest->schema, nullptr);
          ASSERT_EQ(projection_.schema_by_id(".", latest->schema->id)->id, latest->schema->id);
          observed.fetch_add(1);
        }
      }
    });
  }
  for (int i = 1; i <= 2000; ++i) {
    apply(schema("s" + std::to_string(i % 50), i / 50 + 1, i, "\"v" + std::to_string(i) + "\""));
  }
  done = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(projection_.subjects().size(), 50u);
  EXPECT_EQ(projection_.max_id("."), 2000);
}

}  // namespace
}  // namespace sg::registry
