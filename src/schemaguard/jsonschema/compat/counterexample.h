// Counterexamples for JSON Schema compatibility: a small document one schema accepts and the
// other rejects, which shows what an incompatibility means for real events.
//
//   sg::jsonschema::CounterexampleOptions options;           // same draft/references as the diff
//   auto found = sg::jsonschema::find_counterexample(older, newer, options);   // BACKWARD
//   if (found.ok() && found->has_value()) show((*found)->document, (*found)->errors);
//
// BACKWARD asks for a document the older schema accepts (data that exists) and the new one
// rejects: accepted_by = older, rejected_by = newer. FORWARD swaps them. The search first builds
// documents aimed at each incompatible difference the diff reports (a required property left
// out, an enum value that was removed, a string as long as the old maximum, a property of
// another type in an open content model...), then tries documents generated from the accepting
// schema, and finally shrinks what it found (keeping values that respect `format` when they
// did, though `format` is only an annotation here). Every document returned has been checked with
// the validator: valid under accepted_by, invalid under rejected_by. The search is deterministic
// (fixed seeds) as long as the document budget, not the time budget, ends it.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/jsonschema/compat/diff.h"
#include "schemaguard/jsonschema/validator.h"

namespace sg::jsonschema {

struct CounterexampleOptions {
  // The draft of a schema without `$schema`, as in DiffOptions.
  Draft default_draft = Draft::k7;
  // Registry references of each side (not owned; null: none). Served to the validator as its
  // Resolver under the names the map uses.
  const References* accepted_references = nullptr;
  const References* rejected_references = nullptr;
  // The differences of diff(accepted_by, rejected_by) to aim at (not owned). Null: the search
  // runs the diff itself (strict policy, fail closed) and ignores it if it fails.
  const std::vector<Difference>* differences = nullptr;
  // Budget of the random phase, in generated documents; the targeted phase tries a bounded
  // number of edits per difference. Zero turns the random phase off.
  int max_random_documents = 200;
  // A safety net for huge schemas: the search stops after this much time (zero: no limit).
  // When it fires the answer may depend on the machine's speed.
  std::chrono::milliseconds time_budget{50};
  std::uint64_t seed = 1;
};

struct Counterexample {
  boost::json::value document;
  // Why rejected_by rejects it (the validator's errors: instance path, schema path, message).
  std::vector<ValidationError> errors;
  // The difference the document was built for ("REQUIRED_ATTRIBUTE_ADDED #/required/a"), or
  // "generated" when the random phase found it.
  std::string found_by;
};

// A verified counterexample, or nullopt when none was found within the budget (which does not
// prove the pair compatible). Fails with kInvalidSchema when either schema does not compile.
Result<std::optional<Counterexample>> find_counterexample(
    const boost::json::value& accepted_by, const boost::json::value& rejected_by,
    const CounterexampleOptions& options = {});

// The same with schemas compiled by the caller (`accepted_json` / `rejected_json` are their
// sources, read to aim the search; `options.*_references` still let the search see into
// registry references).
std::optional<Counterexample> find_counterexample(const CompiledSchema& accepted,
                                                  const boost::json::value& accepted_json,
                                                  const CompiledSchema& rejected,
                                                  const boost::json::value& rejected_json,
                                                  const CounterexampleOptions& options = {});

}  // namespace sg::jsonschema
