// Test helpers shared by the projection's tests (projection_test, view_test, snapshot_test,
// log_store_test): record sequences that exercise every rule of Projection::apply, and
// comparisons of every query.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "schemaguard/registry/projection.h"
#include "schemaguard/registry/records.h"

namespace sg::registry::projection_testing {

inline SchemaRecord schema(std::string subject, int version, int id, std::string text,
                           std::vector<SchemaReference> references = {}, bool deleted = false) {
  SchemaRecord r;
  r.subject = std::move(subject);
  r.version = version;
  r.id = id;
  r.schema = std::move(text);
  r.references = std::move(references);
  r.deleted = deleted;
  return r;
}

inline ConfigRecord config(std::optional<std::string> subject, std::optional<std::string> level) {
  ConfigRecord r;
  r.subject = std::move(subject);
  r.tombstone = !level.has_value();
  r.compatibility_level = std::move(level);
  return r;
}

inline ModeRecord mode(std::optional<std::string> subject, std::optional<std::string> name) {
  ModeRecord r;
  r.subject = std::move(subject);
  r.tombstone = !name.has_value();
  r.mode = name.value_or("");
  return r;
}

// Everything a query can be asked about in a sequence: the subjects, contexts, ids, contents,
// referenced versions and config/mode scopes its records name, plus some they do not.
struct Universe {
  std::set<std::string> subjects = {"never-registered", ":.ctx:never"};
  std::set<std::string> contexts = {".", ".ctx", ".absent"};
  int max_id = 2;
  std::vector<SchemaRecord> contents = {schema("", 0, 0, "\"never-registered\"")};
  std::set<std::pair<std::string, int>> versions;
  std::set<std::optional<std::string>> scopes = {std::nullopt, std::string("never")};

  explicit Universe(const std::vector<Record>& records) {
    for (const Record& record : records) {
      if (const auto* r = std::get_if<SchemaRecord>(&record)) {
        subjects.insert(r->subject);
        contexts.insert(context_of(r->subject));
        max_id = std::max(max_id, r->id + 2);
        if (std::none_of(contents.begin(), contents.end(), [&](const SchemaRecord& known) {
              return known.schema == r->schema && known.references == r->references;
            })) {
          contents.push_back(*r);
        }
        versions.insert({r->subject, r->version});
        versions.insert({r->subject, r->version + 1});
        for (const SchemaReference& ref : r->references) {
          const std::string context = context_of(r->subject);
          const std::string target = context == "." || ref.subject.starts_with(":")
                                         ? ref.subject
                                         : ":" + context + ":" + ref.subject;
          versions.insert({target, ref.version});
          versions.insert({ref.subject, ref.version});
        }
      } else if (const auto* t = std::get_if<SchemaTombstone>(&record)) {
        subjects.insert(t->subject);
        versions.insert({t->subject, t->version});
      } else if (const auto* d = std::get_if<DeleteSubjectRecord>(&record)) {
        subjects.insert(d->subject);
      } else if (const auto* c = std::get_if<ConfigRecord>(&record)) {
        scopes.insert(c->subject);
      } else if (const auto* m = std::get_if<ModeRecord>(&record)) {
        scopes.insert(m->subject);
      } else if (const auto* x = std::get_if<ContextRecord>(&record)) {
        contexts.insert(x->context);
      }
    }
  }
};

inline std::string describe(const StoredSchemaPtr& s) {
  if (!s) return "null";
  std::ostringstream out;
  out << "{" << s->context << " #" << s->id << " " << to_string(s->type) << " " << s->schema;
  for (const SchemaReference& ref : s->references) {
    out << " ref(" << ref.name << "," << ref.subject << "," << ref.version << ")";
  }
  out << " m=" << s->metadata.value_or("-") << " r=" << s->rule_set.value_or("-") << "}";
  return out.str();
}

inline std::string describe(const SubjectStatePtr& s) {
  if (!s) return "null";
  std::ostringstream out;
  out << s->name << ":";
  for (const SubjectVersion& v : s->versions) {
    out << " [v" << v.version << (v.deleted ? " deleted" : "") << " @" << v.offset << " "
        << describe(v.schema) << "]";
  }
  return out.str();
}

inline std::string describe(const std::vector<SubjectAndVersion>& uses) {
  std::ostringstream out;
  for (const SubjectAndVersion& use : uses) {
    out << use.subject << "/" << use.version << (use.deleted ? "d" : "") << " ";
  }
  return out.str();
}

// Asks `view` (a View or a Projection) and `expected` every query of `universe` and compares
// the answers.
template <typename Actual>
void expect_same_answers(const Actual& view, const Projection& expected, const Universe& universe,
                         const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(view.subjects(false), expected.subjects(false));
  EXPECT_EQ(view.subjects(true), expected.subjects(true));
  EXPECT_EQ(view.contexts(), expected.contexts());
  EXPECT_EQ(view.subjects_with_mode(), expected.subjects_with_mode());
  for (const std::string& subject : universe.subjects) {
    EXPECT_EQ(describe(view.subject(subject)), describe(expected.subject(subject))) << subject;
  }
  for (const std::string& context : universe.contexts) {
    EXPECT_EQ(view.max_id(context), expected.max_id(context)) << context;
    for (int id = 0; id <= universe.max_id; ++id) {
      EXPECT_EQ(describe(view.schema_by_id(context, id)),
                describe(expected.schema_by_id(context, id)))
          << context << " #" << id;
      EXPECT_EQ(describe(view.versions_of_id(context, id)),
                describe(expected.versions_of_id(context, id)))
          << context << " #" << id;
    }
    for (const SchemaRecord& content : universe.contents) {
      EXPECT_EQ(view.id_for_content(context, content), expected.id_for_content(context, content))
          << context << " " << content.schema;
    }
  }
  for (const auto& [subject, version] : universe.versions) {
    EXPECT_EQ(view.referenced_by(subject, version), expected.referenced_by(subject, version))
        << subject << "/" << version;
  }
  for (const std::optional<std::string>& scope : universe.scopes) {
    EXPECT_EQ(view.config(scope), expected.config(scope)) << scope.value_or("(global)");
    EXPECT_EQ(view.mode(scope), expected.mode(scope)) << scope.value_or("(global)");
  }
}

// Compares two projections subject by subject, for stores whose records are not at hand (a
// replay or a snapshot load against the writer's projection).
inline void expect_same_subjects(const Projection& actual, const Projection& expected) {
  EXPECT_EQ(actual.applied_end(), expected.applied_end());
  EXPECT_EQ(actual.subjects(true), expected.subjects(true));
  EXPECT_EQ(actual.max_id("."), expected.max_id("."));
  for (const std::string& subject : expected.subjects(true)) {
    EXPECT_EQ(describe(actual.subject(subject)), describe(expected.subject(subject))) << subject;
  }
}

// The projection's counts are what walking its subjects finds: subject_count as many as
// subjects() lists, schema_count the distinct (context, id) pairs its versions use.
inline void expect_counts_match_a_walk(const Projection& projection, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(projection.subject_count(), projection.subjects(false).size());
  EXPECT_EQ(projection.subject_count(true), projection.subjects(true).size());
  std::set<std::pair<std::string, int>> ids;
  for (const std::string& subject : projection.subjects(true)) {
    for (const SubjectVersion& v : projection.subject(subject)->versions) {
      ids.emplace(v.schema->context, v.schema->id);
    }
  }
  EXPECT_EQ(projection.schema_count(), ids.size());
}

struct Scenario {
  std::string name;
  std::vector<Record> records;
};

inline std::vector<Scenario> scenarios() {
  const std::string a = "\"a\"";
  const std::string b = "\"b\"";
  const std::string c = "\"c\"";
  std::vector<Scenario> out;
  out.push_back(
      {"registrations",
       {schema("s", 1, 1, a), schema("s", 2, 2, b), schema("t", 1, 1, a), schema("t", 2, 3, c)}});
  out.push_back(
      {"an id never rebinds",
       {schema("s", 1, 1, a), schema("t", 1, 1, b), schema("t", 1, 2, b), schema("s", 2, 1, b)}});
  out.push_back({"soft deletes",
                 {schema("s", 1, 1, a), schema("s", 2, 2, b), schema("s", 2, 2, b, {}, true),
                  DeleteSubjectRecord{"s", 1}, schema("s", 3, 3, c), DeleteSubjectRecord{"s", 5}}});
  out.push_back({"tombstones free the id, then it may rebind",
                 {schema("s", 1, 1, a), schema("t", 1, 1, a), DeleteSubjectRecord{"s", 1},
                  SchemaTombstone{"s", 1}, SchemaTombstone{"t", 1}, SchemaTombstone{"t", 7},
                  schema("u", 1, 1, b), schema("s", 1, 2, a)}});
  out.push_back({"a version rewritten to another id",
                 {schema("s", 1, 1, a), schema("s", 1, 2, b), schema("t", 1, 2, b),
                  schema("s", 1, 1, a), schema("u", 1, 1, c)}});
  out.push_back({"one content under two ids (import)",
                 {schema("s", 1, 5, a), schema("t", 1, 9, a), SchemaTombstone{"t", 1},
                  schema("u", 1, 6, a), SchemaTombstone{"s", 1}}});
  out.push_back({"references and referenced_by",
                 {schema("addr", 1, 1, a), schema("order", 1, 2, b, {{"A", "addr", 1}}),
                  schema("invoice", 1, 3, c, {{"A", "addr", 1}, {"B", "order", 1}}),
                  DeleteSubjectRecord{"order", 1}, SchemaTombstone{"order", 1},
                  SchemaTombstone{"invoice", 1}}});
  out.push_back({"contexts",
                 {schema(":.ctx:s", 1, 1, a), schema("s", 1, 1, b),
                  schema(":.ctx:t", 1, 2, c, {{"S", "s", 1}}), ContextRecord{"default", ".dev"},
                  schema(":.ctx:s", 2, 1, b), SchemaTombstone{":.ctx:t", 1}}});
  out.push_back(
      {"clear subject",
       {schema("a1", 1, 1, a), schema("a1", 2, 2, b), schema("a2", 1, 3, c),
        schema(":.ctx:a", 1, 1, a), DeleteSubjectRecord{"a2", 1}, schema("a1", 1, 1, a, {}, true),
        DeleteSubjectRecord{":.ctx:a", 1}, ClearSubjectRecord{"a"},
        ClearSubjectRecord{std::nullopt}, schema("a2", 1, 4, b)}});
  out.push_back({"configs and modes",
                 {config(std::nullopt, "FULL"), config("s", "NONE"), mode(std::nullopt, "READONLY"),
                  mode("s", "IMPORT"), config("s", std::nullopt), config("s", "BACKWARD"),
                  mode(std::nullopt, std::nullopt), config(std::nullopt, std::nullopt),
                  mode("s", "READWRITE"), NoopRecord{}}});
  out.push_back({"deleted subject comes back",
                 {schema("s", 1, 1, a), DeleteSubjectRecord{"s", 1}, SchemaTombstone{"s", 1},
                  schema("s", 1, 1, a), schema("s", 2, 2, b), DeleteSubjectRecord{"s", 2},
                  ClearSubjectRecord{"s"}, schema("s", 3, 2, b)}});
  return out;
}

// Random sequences over a small universe, so that ids, versions and contents collide often:
// rebinding attempts, rewrites of a version, tombstones of the last use of an id, clears.
inline std::vector<Record> random_sequence(std::mt19937& rng, std::size_t length) {
  const std::vector<std::string> subjects = {"a", "ab", "b", ":.ctx:a", ":.ctx:b"};
  const std::vector<std::string> texts = {"\"int\"", "\"long\"", "\"string\"", "\"bytes\""};
  auto pick = [&](auto size) {
    return std::uniform_int_distribution<std::size_t>(0, static_cast<std::size_t>(size) - 1)(rng);
  };
  auto chance = [&](int percent) { return static_cast<int>(pick(100)) < percent; };
  std::vector<Record> records;
  for (std::size_t i = 0; i < length; ++i) {
    const std::string& subject = subjects[pick(subjects.size())];
    const int version = static_cast<int>(pick(4)) + 1;
    const int kind = static_cast<int>(pick(100));
    if (kind < 50) {
      // Mostly a consistent id for each content, sometimes a conflicting one.
      const std::size_t content = pick(texts.size());
      const int id = chance(80) ? static_cast<int>(content) + 1 : static_cast<int>(pick(6)) + 1;
      std::vector<SchemaReference> references;
      if (chance(25)) references.push_back({"R", subjects[pick(subjects.size())], 1});
      records.push_back(schema(subject, version, id, texts[content], references, chance(20)));
    } else if (kind < 65) {
      records.push_back(SchemaTombstone{subject, version});
    } else if (kind < 75) {
      records.push_back(DeleteSubjectRecord{subject, version});
    } else if (kind < 80) {
      const std::vector<std::optional<std::string>> prefixes = {std::nullopt, "a", ":.ctx:", "b"};
      records.push_back(ClearSubjectRecord{prefixes[pick(prefixes.size())]});
    } else if (kind < 88) {
      std::optional<std::string> scope;
      if (chance(60)) scope = subject;
      records.push_back(
          config(scope, chance(70) ? std::optional<std::string>("FULL") : std::nullopt));
    } else if (kind < 96) {
      std::optional<std::string> scope;
      if (chance(60)) scope = subject;
      records.push_back(
          mode(scope, chance(70) ? std::optional<std::string>("IMPORT") : std::nullopt));
    } else if (kind < 98) {
      records.push_back(ContextRecord{"default", chance(50) ? ".ctx" : ".other"});
    } else {
      records.push_back(NoopRecord{});
    }
  }
  return records;
}

}  // namespace sg::registry::projection_testing
