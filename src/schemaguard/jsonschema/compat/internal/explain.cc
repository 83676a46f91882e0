// Messages and hints, written for the product engineer who made the change: what happens to
// real events, and what to do instead. The two sides are named through DiffOptions
// (`writer_events`, `readers`), so the same text fits BACKWARD and FORWARD checks.
#include "schemaguard/jsonschema/compat/internal/explain.h"

#include <fmt/format.h>

#include <cctype>
#include <string_view>

#include "schemaguard/jsonschema/compat/internal/model.h"

namespace sg::jsonschema::compat_internal {
namespace {

std::string_view last_segment(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "#/properties/a/properties/b" -> "#/properties/a"; drops `levels` segments.
std::string_view parent_path(std::string_view path, int levels) {
  for (int i = 0; i < levels; ++i) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos) return "#/";
    path = path.substr(0, slash);
  }
  return path == "#" ? std::string_view("#/") : path;
}

std::string where(std::string_view path) {
  if (path == "#/" || path == "#") return "the root schema";
  return fmt::format("'{}'", path);
}

std::string or_absent(const std::string& value) {
  return value.empty() ? "absent" : value;
}

struct Bound {
  std::string_view prefix;
  std::string_view what;
};

constexpr Bound kBounds[] = {
    {"MAX_LENGTH_", "the maximum length"},
    {"MIN_LENGTH_", "the minimum length"},
    {"EXCLUSIVE_MAXIMUM_", "the exclusive maximum"},
    {"EXCLUSIVE_MINIMUM_", "the exclusive minimum"},
    {"MAXIMUM_", "the maximum"},
    {"MINIMUM_", "the minimum"},
    {"MULTIPLE_OF_", "multipleOf"},
    {"PATTERN_", "the pattern"},
    {"MAX_PROPERTIES_", "the maximum number of properties"},
    {"MIN_PROPERTIES_", "the minimum number of properties"},
    {"MAX_ITEMS_", "the maximum number of items"},
    {"MIN_ITEMS_", "the minimum number of items"},
    {"MAX_CONTAINS_", "maxContains"},
    {"MIN_CONTAINS_", "minContains"},
    {"UNIQUE_ITEMS_", "uniqueItems"},
};

}  // namespace

namespace {
void explain_uncapitalized(const Finding& f, const DiffOptions& options, std::string& message,
                           std::string& hint);
}  // namespace

void explain(const Finding& f, const DiffOptions& options, std::string& message,
             std::string& hint) {
  explain_uncapitalized(f, options, message, hint);
  if (!message.empty())
    message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
}

namespace {

void explain_uncapitalized(const Finding& f, const DiffOptions& options, std::string& message,
                           std::string& hint) {
  const std::string_view type = f.type;
  const bool ok = is_compatible_type(type, CompatPolicy::kStrict);
  const std::string& w = options.writer_events;
  const std::string& r = options.readers;
  const std::string at = where(f.path);
  const std::string name(last_segment(f.path));
  message.clear();
  hint.clear();

  // Annotations.
  if (type == "ID_CHANGED" || type == "TITLE_CHANGED" || type == "DESCRIPTION_CHANGED") {
    const std::string_view what = type == "ID_CHANGED"      ? "$id"
                                  : type == "TITLE_CHANGED" ? "title"
                                                            : "description";
    message = fmt::format("The {} of {} changed; annotations do not change which events are valid.",
                          what, at);
    return;
  }
  if (type == "DEFAULT_CHANGED") {
    message = fmt::format(
        "The default of {} changed from {} to {}; validation does not use defaults, so no event "
        "becomes invalid (readers that fill in defaults will fill in the new one).",
        at, or_absent(f.before), or_absent(f.after));
    return;
  }

  // Bounds and other single-keyword constraints.
  for (const Bound& bound : kBounds) {
    if (!type.starts_with(bound.prefix)) continue;
    const std::string_view change = type.substr(bound.prefix.size());
    const std::string_view parent = parent_path(f.path, 1);
    std::string what_changed;
    if (change == "ADDED") {
      what_changed = fmt::format("{} {} was added to {}", bound.what, f.after, where(parent));
    } else if (change == "REMOVED") {
      what_changed =
          fmt::format("{} ({}) was removed from {}", bound.what, f.before, where(parent));
    } else {
      what_changed = fmt::format("{} of {} changed from {} to {}", bound.what, where(parent),
                                 f.before, f.after);
    }
    if (ok) {
      message = fmt::format("{}; every value valid before is still valid.", what_changed);
      return;
    }
    message = fmt::format("{}, a tighter constraint: {} that do not meet it are rejected by {}.",
                          what_changed, w, r);
    hint = f.before.empty()
               ? fmt::format(
                     "Do not add {} to an existing field; put the constraint on a new "
                     "property and migrate producers to it, or enforce it in producers.",
                     bound.what)
               : fmt::format(
                     "Keep {} at {} (or loosen it); to enforce a tighter one, put it on a "
                     "new property and migrate producers, or enforce it in producers.",
                     bound.what, f.before);
    return;
  }

  // Types.
  if (type == "TYPE_CHANGED") {
    const bool combined =
        f.before.find(" of (") != std::string::npos || f.after.find(" of (") != std::string::npos;
    if (combined) {
      // A combination on one side: no part of the new schema reads everything the old one
      // allowed (e.g. a nullable type whose string branch is also shorter).
      message = fmt::format(
          "The schema at {} changed from {} to {}, and no part of the new schema accepts every "
          "value the old one did, so {} may be rejected by {}.",
          at, f.before, f.after, w, r);
      hint =
          "Make one alternative of the new schema accept everything the old schema accepted "
          "(widen it), or keep the old schema.";
      return;
    }
    message = fmt::format(
        "The type at {} changed from {} to {}, so {} that have {} there are rejected by {}.", at,
        f.before, f.after, w, f.before, r);
    hint =
        "Keep the old type, or accept both (a \"type\" array or \"anyOf\" of the old and the new) "
        "until no events of the old shape remain; to change what the field means, add a new "
        "property instead.";
    return;
  }
  if (type == "TYPE_NARROWED") {
    message = fmt::format(
        "{} now requires an integer where any number was allowed, so {} with a fractional number "
        "there are rejected by {}.",
        at, w, r);
    hint = "Keep \"type\": \"number\", or add a new integer property and migrate producers to it.";
    return;
  }
  if (type == "TYPE_EXTENDED") {
    message = fmt::format("{} now accepts any number, not only integers.", at);
    return;
  }
  if (type == "SCHEMA_ADDED") {
    message = fmt::format(
        "A schema for the items of {} was added where items were unconstrained, so {} whose "
        "items do not match {} are rejected by {}.",
        where(parent_path(f.path, 1)), w, f.after, r);
    hint =
        "Leave the items unconstrained, or use an items schema that accepts every item written "
        "so far.";
    return;
  }
  if (type == "SCHEMA_REMOVED") {
    message = fmt::format("The items schema at {} was removed; any item is accepted now.", at);
    return;
  }

  // Required properties: the outage.
  const std::string object = where(parent_path(f.path, 2));
  if (type == "REQUIRED_ATTRIBUTE_ADDED") {
    message = fmt::format(
        "'{0}' is now required in {1}, but it was optional before, so {2} may lack '{0}' and {3} "
        "reject them.",
        name, object, w, r);
    hint = fmt::format(
        "To make this safe, keep '{0}' optional and give it a \"default\" that readers use when "
        "it is missing, or roll it out in two steps: first have every producer write '{0}' while "
        "it is still optional, then make it required once no events without it remain (after "
        "the topic's retention).",
        name);
    return;
  }
  if (type == "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED") {
    message = fmt::format(
        "'{}' is now required in {}; it has a default ({}), which makes this compatible, but "
        "readers must fill in the default before validating events that lack it.",
        name, object, f.after);
    return;
  }
  if (type == "REQUIRED_ATTRIBUTE_REMOVED") {
    message = fmt::format("'{}' is no longer required in {}; events without it are accepted now.",
                          name, object);
    return;
  }

  // Properties and the content model.
  const std::string ways_out = fmt::format(
      "Ways out: close the content model with \"additionalProperties\": false (it must already "
      "be closed in the version compared against: closing it now is itself incompatible under "
      "the strict policy); or declare '{0}' with an empty schema ({{}} or true) if any value is "
      "fine; or set the subject's compatibility policy to LENIENT, which accepts adding "
      "properties to an open content model.",
      name);
  if (type == "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" ||
      type == "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Property '{0}' was added {1}to {2}, which allows additional properties (an open content "
        "model): {3} may already carry a property named '{0}' with a value of another type, and "
        "{4} reject those events.",
        name,
        type == "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" ? "with a typed schema "
                                                                : "as required (with a default) ",
        object, w, r);
    hint = ways_out;
    return;
  }
  if (type == "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" ||
      type == "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Property '{0}' was added to {1} as required without a default, so {2}, which lack "
        "'{0}', are rejected by {3}.",
        name, object, w, r);
    hint = fmt::format(
        "Add '{0}' as an optional property (not listed in \"required\"), or give it a "
        "\"default\"; to require it, first have every producer write it, then make it required "
        "once no events without it remain.",
        name);
    if (type == "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL") {
      hint += " The object also allows additional properties, so old events may carry '" + name +
              "' with another type: " + ways_out;
    }
    return;
  }
  if (type == "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Property '{0}' was added to {1}, but {2} could already carry '{0}' under the old "
        "schema for additional or pattern properties, which allows values the new schema of "
        "'{0}' rejects; {3} reject those events.",
        name, object, w, r);
    hint = fmt::format(
        "Give '{}' a schema that accepts everything the old additionalProperties or "
        "patternProperties schema accepted, or use the LENIENT compatibility policy.",
        name);
    return;
  }
  if (type == "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL") {
    message = fmt::format(
        "Property '{0}' was removed from {1}, which does not allow additional properties, so {2} "
        "that carry '{0}' are rejected by {3}.",
        name, object, w, r);
    hint = fmt::format(
        "Keep '{}' declared (say it is deprecated in its description), or allow additional "
        "properties, or use the LENIENT compatibility policy.",
        name);
    return;
  }
  if (type == "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Property '{0}' was removed from {1}; events that carry it are now checked against the "
        "schema for additional or pattern properties, which rejects values '{0}' allowed, so {2} "
        "with such values are rejected by {3}.",
        name, object, w, r);
    hint = fmt::format(
        "Keep '{}' declared, or widen the additionalProperties / patternProperties schema so it "
        "accepts the old values, or use the LENIENT compatibility policy.",
        name);
    return;
  }
  if (type == "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Property '{}' was removed from {}, which allows additional properties, so events that "
        "still carry it stay valid.",
        name, object);
    return;
  }
  if (type == "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL") {
    message = fmt::format("Property '{}' was added to {} with a schema that accepts any value.",
                          name, object);
    return;
  }
  if (type == "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL" ||
      type == "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Property '{}' was added to {}, which did not allow arbitrary additional properties "
        "(whether old events could carry it with another value is reported separately when "
        "additionalProperties or patternProperties covered it).",
        name, object);
    return;
  }
  if (type == "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL" ||
      type == "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" ||
      type == "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Property '{}' of {} changed place in the content model, but every value events could "
        "carry before is still accepted.",
        name, object);
    return;
  }

  // Positional items.
  const std::string array = where(parent_path(f.path, 2));
  if (type == "ITEM_ADDED_TO_OPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Item {0} of {1} now has a schema, but the array allowed any additional items, so {2} "
        "with a different item {0} are rejected by {3}.",
        name, array, w, r);
    hint =
        "Declare the new position with an empty schema, or only add positions to arrays that "
        "did not allow additional items.";
    return;
  }
  if (type == "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL") {
    message = fmt::format(
        "Item {} of {} was removed and the array does not allow additional items, so {} with "
        "that many items are rejected by {}.",
        name, array, w, r);
    hint = "Keep the position declared, or allow additional items.";
    return;
  }
  if (type == "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" ||
      type == "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL") {
    message = fmt::format(
        "Item {} of {} is now checked against a schema that rejects values it could hold before, "
        "so {} with such items are rejected by {}.",
        name, array, w, r);
    hint =
        "Make the item schema accept everything the additionalItems schema (or the removed "
        "item) accepted.";
    return;
  }
  if (type.starts_with("ITEM_")) {
    message = fmt::format(
        "The declared items of {} changed at position {}, but every item events could carry "
        "there before is still accepted.",
        array, name);
    return;
  }

  // additionalProperties / additionalItems / unevaluated*.
  for (std::string_view prefix : {"ADDITIONAL_PROPERTIES_", "UNEVALUATED_PROPERTIES_",
                                  "ADDITIONAL_ITEMS_", "UNEVALUATED_ITEMS_"}) {
    if (!type.starts_with(prefix)) continue;
    const bool properties = prefix.find("PROPERTIES") != std::string_view::npos;
    const std::string_view things = properties ? "properties" : "items";
    const std::string_view keyword = last_segment(f.path);
    const std::string owner = where(parent_path(f.path, 1));
    const std::string_view change = type.substr(prefix.size());
    if (ok) {
      message = fmt::format("{} of {} went from {} to {}, which accepts more {}.", keyword, owner,
                            or_absent(f.before), or_absent(f.after), things);
      return;
    }
    if (change == "REMOVED") {
      message = fmt::format(
          "{} no longer allows additional {} ({} is now false), so {} that carry {} the new "
          "schema does not declare are rejected by {}.",
          owner, things, keyword, w, things, r);
    } else {
      message = fmt::format(
          "Additional {} of {} must now match {} where any value was allowed ({}), so {} with "
          "other additional {} are rejected by {}.",
          things, owner, f.after, keyword, w, things, r);
    }
    hint = properties ? fmt::format(
                            "Keep additional {} unconstrained, or declare every property old "
                            "events may carry; the LENIENT compatibility policy accepts this "
                            "change.",
                            things)
                      : fmt::format("Keep additional {} unconstrained.", things);
    return;
  }

  // Dependencies.
  if (type.starts_with("DEPENDENCY_")) {
    if (ok) {
      message = fmt::format("The dependency of '{}' in {} was relaxed or removed.", name, object);
      return;
    }
    if (type.starts_with("DEPENDENCY_SCHEMA")) {
      message = fmt::format(
          "When '{}' is present in {}, events must now also match a dependent schema, so {} that "
          "do not are rejected by {}.",
          name, object, w, r);
    } else {
      message = fmt::format(
          "When '{}' is present in {}, the properties {} must now be present too (was {}), so {} "
          "without them are rejected by {}.",
          name, object, f.after, f.before.empty() ? "none" : f.before, w, r);
    }
    hint = "Do not add requirements to existing properties; add them for new properties only.";
    return;
  }

  // Enums and consts.
  if (type.starts_with("ENUM_ARRAY_")) {
    const bool is_const = name == "const";
    const std::string owner = where(parent_path(f.path, 1));
    if (ok) {
      message =
          fmt::format("Values were added to the enum of {} ({} -> {}).", owner, f.before, f.after);
      return;
    }
    message = fmt::format(
        "The allowed {} of {} changed from {} to {}, so {} with a value that is no longer "
        "allowed are rejected by {}.",
        is_const ? "constant" : "values", owner, f.before, f.after, w, r);
    hint = is_const ? "Keep the constant, or accept both values with an enum until no events "
                      "with the old one remain."
                    : "Keep every value listed before (adding values is fine); stop producing a "
                      "value first and remove it only once no events with it remain.";
    return;
  }

  // Combinations.
  if (type == "COMBINED_TYPE_EXTENDED") {
    message = fmt::format("{} changed from {} to {}, which accepts at least as much.", at, f.before,
                          f.after);
    return;
  }
  if (type == "COMBINED_TYPE_CHANGED") {
    message = fmt::format(
        "{} changed from {} to {}, which accepts different events, so {} may be rejected by {}.",
        at, f.before, f.after, w, r);
    hint = "Keep the combinator; changing it to anyOf is the safe direction.";
    return;
  }
  if (type == "SUM_TYPE_EXTENDED" || type == "PRODUCT_TYPE_NARROWED") {
    message = fmt::format("{} accepts more than before ({}).", at,
                          type == "SUM_TYPE_EXTENDED" ? "an alternative was added"
                                                      : "an allOf constraint was dropped");
    return;
  }
  if (type == "PRODUCT_TYPE_EXTENDED") {
    message = fmt::format(
        "A schema was added to the allOf at {}: events must now match one more schema, so {} "
        "that do not are rejected by {}.",
        at, w, r);
    hint =
        "Do not add allOf members to an existing schema; put new constraints on new "
        "properties.";
    return;
  }
  if (type == "SUM_TYPE_NARROWED") {
    message = fmt::format(
        "An alternative was removed from the {} at {}, so {} that matched only that alternative "
        "are rejected by {}.",
        f.before, at, w, r);
    hint = "Keep the alternative until no events of that shape remain.";
    return;
  }
  if (type == "COMBINED_TYPE_SUBSCHEMAS_CHANGED") {
    message = fmt::format(
        "The subschemas of the {} at {} changed: not every old subschema has a compatible "
        "counterpart in the new one, so {} matching an unpaired one may be rejected by {}.",
        f.before, at, w, r);
    hint =
        "Change subschemas only in ways that accept more (or add new alternatives), one at a "
        "time.";
    if (f.cause) {
      // Name the actual change; the subschemas may be ones the user never wrote as allOf
      // ({"type": "string", "enum": [...]} is compared as allOf[string, enum]).
      Finding cause = *f.cause;
      cause.path = f.path == "#/" ? cause.path : concat({f.path, cause.path.substr(1)});
      std::string cause_message;
      std::string cause_hint;
      explain(cause, options, cause_message, cause_hint);
      message += " In particular: " + cause_message;
      if (!cause_hint.empty()) hint = cause_hint;
    }
    return;
  }
  if (type == "NOT_TYPE_NARROWED") {
    message =
        fmt::format("The \"not\" at {} excludes less than before.", where(parent_path(f.path, 1)));
    return;
  }
  if (type == "NOT_TYPE_EXTENDED") {
    message = fmt::format(
        "The \"not\" at {} now excludes more values, so {} with a newly excluded value are "
        "rejected by {}.",
        where(parent_path(f.path, 1)), w, r);
    hint = "Do not widen what \"not\" excludes on an existing schema.";
    return;
  }

  if (type == "UNSUPPORTED_KEYWORD_CHANGED") {
    const bool pattern = f.path.find("/patternProperties/") != std::string::npos;
    const std::string keyword = pattern ? "patternProperties" : name;
    message = fmt::format(
        "'{}'{} at {} changed ({} -> {}). SchemaGuard cannot tell whether this change rejects {}, "
        "so it reports it as incompatible instead of ignoring it.",
        keyword, pattern ? fmt::format(" entry '{}'", name) : std::string(),
        where(parent_path(f.path, pattern ? 2 : 1)), or_absent(f.before), or_absent(f.after), w);
    hint = fmt::format(
        "Revert the change to '{}'; or, once you have checked that every event written so far "
        "passes the new schema, register this version with compatibility NONE for this one step.",
        keyword);
    return;
  }

  message = fmt::format("{} at {}.", type, at);
  if (!ok) {
    message += fmt::format(" {} may be rejected by {}.", w, r);
    hint = "Revert this part of the change.";
  }
}

}  // namespace

}  // namespace sg::jsonschema::compat_internal
