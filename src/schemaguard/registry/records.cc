#include "schemaguard/registry/records.h"

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cstdint>
#include <exception>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "schemaguard/base/jackson.h"

namespace sg::registry {
namespace {

namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// Parsing, for the reader and for the JSON documents the writer embeds.

Error store_error(std::string message) {
  return Error(ErrorCode::kStoreError, std::move(message));
}

// The first bytes of a record for error messages, escaped so binary garbage stays printable.
std::string excerpt(std::string_view bytes) {
  constexpr std::size_t kMax = 120;
  std::string out;
  append_jackson_string(out, bytes.substr(0, kMax));
  if (bytes.size() > kMax) out += "...";
  return out;
}

// Parses a key, a value or an embedded document. `what` names it in errors.
Result<json::value> parse_json(std::string_view text, std::string_view what) {
  json::parse_options options;
  options.max_depth = 64;
  // Bytes are what they are: a subject that is not valid UTF-8 must still read back.
  options.allow_invalid_utf8 = true;
  std::error_code ec;
  json::value value;
  try {
    value = json::parse(text, ec, json::storage_ptr(), options);
  } catch (const std::exception& e) {
    return store_error(std::string(what) + " could not be parsed (" + e.what() + ")");
  }
  if (ec) {
    return store_error(std::string(what) + " is not JSON (" + ec.message() + "): " + excerpt(text));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Writing: JSON text exactly as Jackson's default generator produces it. Keys must match
// Confluent's bytes (Kafka compaction compares raw key bytes), so Boost.JSON's serializer, which
// escapes differently, is not used for anything we write.

template <typename Number>
void append_number(std::string& out, Number value) {
  std::array<char, 32> buffer{};  // the longest double is 24 characters
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), end);
}

// Compact JSON for a parsed value (metadata, ruleSet, unmodelled config members), escaped like
// Jackson. Doubles use the shortest text that reads back to the same value.
void append_json(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += value.get_bool() ? "true" : "false"; break;
    case json::kind::int64: append_number(out, value.get_int64()); break;
    case json::kind::uint64: append_number(out, value.get_uint64()); break;
    case json::kind::double_: append_number(out, value.get_double()); break;
    case json::kind::string: append_jackson_string(out, value.get_string()); break;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json(out, element);
      }
      out += ']';
      break;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out += ',';
        first = false;
        append_jackson_string(out, member.key());
        out += ':';
        append_json(out, member.value());
      }
      out += '}';
      break;
    }
  }
}

// Builds one JSON object member by member, in the order the calls are made. Distinct method
// names per type, because an overload set would send string literals to the bool overload.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }

  ObjectWriter& str(std::string_view name, std::string_view value) {
    name_(name);
    append_jackson_string(out_, value);
    return *this;
  }
  ObjectWriter& opt_str(std::string_view name, const std::optional<std::string>& value) {
    return value ? str(name, *value) : *this;
  }
  ObjectWriter& integer(std::string_view name, std::int64_t value) {
    name_(name);
    append_number(out_, value);
    return *this;
  }
  ObjectWriter& boolean(std::string_view name, bool value) {
    name_(name);
    out_ += value ? "true" : "false";
    return *this;
  }
  ObjectWriter& opt_boolean(std::string_view name, const std::optional<bool>& value) {
    return value ? boolean(name, *value) : *this;
  }
  ObjectWriter& value(std::string_view name, const json::value& value) {
    name_(name);
    append_json(out_, value);
    return *this;
  }
  // Starts a member whose value the caller appends to out() itself.
  std::string& member(std::string_view name) {
    name_(name);
    return out_;
  }
  void close() { out_ += '}'; }

 private:
  void name_(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    append_jackson_string(out_, name);
    out_ += ':';
  }

  std::string& out_;
  bool first_ = true;
};

constexpr int kSchemaKeyMagic = 1;
constexpr int kOtherKeyMagic = 0;

// Parses JSON text the encoder was handed as "compact JSON" (metadata, ruleSet, extra); nullopt
// if there is none or it does not parse.
std::optional<json::value> parse_embedded(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  Result<json::value> value = parse_json(*text, "embedded JSON");
  if (!value.ok()) return std::nullopt;
  return std::move(value).value();
}

// Keys: field order and magic exactly as Confluent's key classes serialize them.
std::string schema_key(std::string_view subject, int version) {
  std::string out;
  ObjectWriter(out)
      .str("keytype", "SCHEMA")
      .str("subject", subject)
      .integer("version", version)
      .integer("magic", kSchemaKeyMagic)
      .close();
  return out;
}

std::string subject_key(std::string_view keytype, const std::optional<std::string>& subject) {
  std::string out;
  ObjectWriter(out)
      .str("keytype", keytype)
      .opt_str("subject", subject)
      .integer("magic", kOtherKeyMagic)
      .close();
  return out;
}

storage::LogRecord encode_one(const SchemaRecord& r) {
  std::string value;
  ObjectWriter writer(value);
  writer.str("subject", r.subject)
      .integer("version", r.version)
      .integer("id", r.id)
      .str("schemaType", to_string(r.type));
  if (!r.references.empty()) {
    std::string& out = writer.member("references");
    out += '[';
    bool first = true;
    for (const auto& ref : r.references) {
      if (!first) out += ',';
      first = false;
      ObjectWriter(out)
          .str("name", ref.name)
          .str("subject", ref.subject)
          .integer("version", ref.version)
          .close();
    }
    out += ']';
  }
  // Metadata and rule sets are validated by the REST layer before they get here; text that
  // still does not parse is left out rather than written, because a record that is not JSON
  // would stop every reader replaying the log.
  if (auto metadata = parse_embedded(r.metadata)) writer.value("metadata", *metadata);
  if (auto rule_set = parse_embedded(r.rule_set)) writer.value("ruleSet", *rule_set);
  writer.str("schema", r.schema).boolean("deleted", r.deleted).close();
  return {schema_key(r.subject, r.version), std::move(value)};
}

storage::LogRecord encode_one(const SchemaTombstone& r) {
  return {schema_key(r.subject, r.version), std::nullopt};
}

constexpr std::array<std::string_view, 7> kModelledConfigFields = {"subject",
                                                                   "compatibilityLevel",
                                                                   "compatibilityPolicy",
                                                                   "compatibilityGroup",
                                                                   "normalize",
                                                                   "validateFields",
                                                                   "alias"};

bool is_modelled_config_field(std::string_view name) {
  for (auto field : kModelledConfigFields) {
    if (field == name) return true;
  }
  return false;
}

storage::LogRecord encode_one(const ConfigRecord& r) {
  std::string key = subject_key("CONFIG", r.subject);
  if (r.tombstone) return {std::move(key), std::nullopt};
  std::string value;
  ObjectWriter writer(value);
  writer.opt_str("subject", r.subject)
      .opt_str("compatibilityLevel", r.compatibility_level)
      .opt_str("compatibilityPolicy", r.compatibility_policy)
      .opt_str("compatibilityGroup", r.compatibility_group)
      .opt_boolean("normalize", r.normalize)
      .opt_boolean("validateFields", r.validate_fields)
      .opt_str("alias", r.alias);
  if (auto extra = parse_embedded(r.extra); extra && extra->is_object()) {
    for (const auto& member : extra->get_object()) {
      // A modelled field in `extra` would be written twice; the typed member wins.
      if (is_modelled_config_field(member.key()) || member.value().is_null()) continue;
      writer.value(member.key(), member.value());
    }
  }
  writer.close();
  return {std::move(key), std::move(value)};
}

storage::LogRecord encode_one(const ModeRecord& r) {
  std::string key = subject_key("MODE", r.subject);
  if (r.tombstone) return {std::move(key), std::nullopt};
  std::string value;
  ObjectWriter(value).opt_str("subject", r.subject).str("mode", r.mode).close();
  return {std::move(key), std::move(value)};
}

storage::LogRecord encode_one(const DeleteSubjectRecord& r) {
  std::string value;
  ObjectWriter(value).str("subject", r.subject).integer("version", r.version).close();
  return {subject_key("DELETE_SUBJECT", r.subject), std::move(value)};
}

storage::LogRecord encode_one(const ClearSubjectRecord& r) {
  std::string value;
  ObjectWriter(value).opt_str("subject", r.subject).close();
  return {subject_key("CLEAR_SUBJECT", r.subject), std::move(value)};
}

storage::LogRecord encode_one(const ContextRecord& r) {
  std::string key;
  ObjectWriter(key)
      .str("keytype", "CONTEXT")
      .str("tenant", r.tenant)
      .str("context", r.context)
      .integer("magic", kOtherKeyMagic)
      .close();
  std::string value;
  ObjectWriter(value).str("tenant", r.tenant).str("context", r.context).close();
  return {std::move(key), std::move(value)};
}

storage::LogRecord encode_one(const NoopRecord&) {
  return {subject_key("NOOP", std::nullopt), std::nullopt};
}

// ---------------------------------------------------------------------------------------------
// Reading: lenient about what Confluent versions differ in, strict about types, so that a
// corrupt record is reported instead of being applied half-understood.

Result<json::object> as_object(json::value value, std::string_view text, std::string_view what) {
  if (!value.is_object()) {
    return store_error(std::string(what) + " is not a JSON object: " + excerpt(text));
  }
  return std::move(value.get_object());
}

// Typed access to the members of one key or value object; `what` names it in errors.
class Fields {
 public:
  Fields(const json::object& object, std::string_view what) : object_(object), what_(what) {}

  // Absent and null both read as nullopt: Jackson omits nulls, older writers did not.
  const json::value* find(std::string_view name) const {
    const json::value* value = object_.if_contains(name);
    return value == nullptr || value->is_null() ? nullptr : value;
  }

  Result<std::optional<std::string>> opt_string(std::string_view name) const {
    const json::value* value = find(name);
    if (value == nullptr) return std::optional<std::string>();
    if (!value->is_string()) return wrong_type(name, "a string");
    return std::optional<std::string>(std::string(value->get_string()));
  }

  Result<std::string> string(std::string_view name) const {
    SG_ASSIGN_OR_RETURN(auto value, opt_string(name));
    if (!value) return missing(name);
    return std::move(*value);
  }

  Result<std::optional<int>> opt_int(std::string_view name) const {
    const json::value* value = find(name);
    if (value == nullptr) return std::optional<int>();
    constexpr auto kMin = std::numeric_limits<int>::min();
    constexpr auto kMax = std::numeric_limits<int>::max();
    if (value->is_int64() && value->get_int64() >= kMin && value->get_int64() <= kMax) {
      return std::optional<int>(static_cast<int>(value->get_int64()));
    }
    if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(kMax)) {
      return std::optional<int>(static_cast<int>(value->get_uint64()));
    }
    return wrong_type(name, "a 32-bit integer");
  }

  Result<int> integer(std::string_view name) const {
    SG_ASSIGN_OR_RETURN(auto value, opt_int(name));
    if (!value) return missing(name);
    return *value;
  }

  Result<std::optional<bool>> opt_bool(std::string_view name) const {
    const json::value* value = find(name);
    if (value == nullptr) return std::optional<bool>();
    if (!value->is_bool()) return wrong_type(name, "a boolean");
    return std::optional<bool>(value->get_bool());
  }

  // A nested object or array kept as compact JSON text.
  Result<std::optional<std::string>> opt_json(std::string_view name) const {
    const json::value* value = find(name);
    if (value == nullptr) return std::optional<std::string>();
    if (!value->is_object()) return wrong_type(name, "an object");
    std::string out;
    append_json(out, *value);
    return std::optional<std::string>(std::move(out));
  }

  Error wrong_type(std::string_view name, std::string_view expected) const {
    return store_error(std::string(what_) + ": field \"" + std::string(name) + "\" is not " +
                       std::string(expected));
  }
  Error missing(std::string_view name) const {
    return store_error(std::string(what_) + ": field \"" + std::string(name) + "\" is missing");
  }

 private:
  const json::object& object_;
  std::string_view what_;
};

// The parsed value object, or nullopt for a tombstone (no value, or the JSON literal null).
Result<std::optional<json::object>> parse_value(const storage::LogRecord& bytes,
                                                std::string_view keytype) {
  if (!bytes.value) return std::optional<json::object>();
  const std::string what = std::string(keytype) + " value";
  SG_ASSIGN_OR_RETURN(auto value, parse_json(*bytes.value, what));
  if (value.is_null()) return std::optional<json::object>();
  SG_ASSIGN_OR_RETURN(auto object, as_object(std::move(value), *bytes.value, what));
  return std::optional<json::object>(std::move(object));
}

Result<SchemaType> schema_type_of(const Fields& fields) {
  SG_ASSIGN_OR_RETURN(auto name, fields.opt_string("schemaType"));
  if (!name) return SchemaType::kAvro;  // Confluent <= 7.x omitted it for Avro
  auto type = schema_type_from_string(*name);
  if (!type) return store_error("SCHEMA value: unknown schemaType \"" + *name + "\"");
  return *type;
}

Result<std::vector<SchemaReference>> references_of(const json::object& value) {
  std::vector<SchemaReference> references;
  const json::value* list = Fields(value, "SCHEMA value").find("references");
  if (list == nullptr) return references;
  if (!list->is_array()) return store_error("SCHEMA value: field \"references\" is not an array");
  for (const auto& element : list->get_array()) {
    if (!element.is_object()) {
      return store_error("SCHEMA value: a reference is not an object");
    }
    Fields ref(element.get_object(), "SCHEMA value reference");
    SchemaReference reference;
    SG_ASSIGN_OR_RETURN(reference.name, ref.string("name"));
    SG_ASSIGN_OR_RETURN(reference.subject, ref.string("subject"));
    SG_ASSIGN_OR_RETURN(reference.version, ref.integer("version"));
    references.push_back(std::move(reference));
  }
  return references;
}

Result<Record> decode_schema(const Fields& key, const storage::LogRecord& bytes) {
  SG_ASSIGN_OR_RETURN(auto key_subject, key.string("subject"));
  SG_ASSIGN_OR_RETURN(auto key_version, key.integer("version"));
  SG_ASSIGN_OR_RETURN(auto object, parse_value(bytes, "SCHEMA"));
  if (!object) return Record(SchemaTombstone{std::move(key_subject), key_version});

  Fields value(*object, "SCHEMA value");
  SchemaRecord record;
  SG_ASSIGN_OR_RETURN(auto subject, value.opt_string("subject"));
  record.subject = subject ? std::move(*subject) : std::move(key_subject);
  SG_ASSIGN_OR_RETURN(auto version, value.opt_int("version"));
  record.version = version.value_or(key_version);
  SG_ASSIGN_OR_RETURN(record.id, value.integer("id"));
  SG_ASSIGN_OR_RETURN(record.type, schema_type_of(value));
  SG_ASSIGN_OR_RETURN(record.references, references_of(*object));
  SG_ASSIGN_OR_RETURN(record.metadata, value.opt_json("metadata"));
  SG_ASSIGN_OR_RETURN(record.rule_set, value.opt_json("ruleSet"));
  SG_ASSIGN_OR_RETURN(record.schema, value.string("schema"));
  SG_ASSIGN_OR_RETURN(auto deleted, value.opt_bool("deleted"));
  record.deleted = deleted.value_or(false);  // records older than soft deletes lack it
  return Record(std::move(record));
}

Result<Record> decode_config(const Fields& key, const storage::LogRecord& bytes) {
  ConfigRecord record;
  SG_ASSIGN_OR_RETURN(record.subject, key.opt_string("subject"));
  SG_ASSIGN_OR_RETURN(auto object, parse_value(bytes, "CONFIG"));
  if (!object) {
    record.tombstone = true;
    return Record(std::move(record));
  }
  Fields value(*object, "CONFIG value");
  SG_ASSIGN_OR_RETURN(auto subject, value.opt_string("subject"));
  if (subject) record.subject = std::move(subject);
  SG_ASSIGN_OR_RETURN(record.compatibility_level, value.opt_string("compatibilityLevel"));
  SG_ASSIGN_OR_RETURN(record.compatibility_policy, value.opt_string("compatibilityPolicy"));
  SG_ASSIGN_OR_RETURN(record.compatibility_group, value.opt_string("compatibilityGroup"));
  SG_ASSIGN_OR_RETURN(record.normalize, value.opt_bool("normalize"));
  SG_ASSIGN_OR_RETURN(record.validate_fields, value.opt_bool("validateFields"));
  SG_ASSIGN_OR_RETURN(record.alias, value.opt_string("alias"));
  // Everything else Confluent may have written (validateRules, defaultMetadata, ...) is kept so
  // that rewriting the config never drops it.
  json::object extra;
  for (const auto& member : *object) {
    if (is_modelled_config_field(member.key()) || member.value().is_null()) continue;
    extra.emplace(member.key(), member.value());
  }
  if (!extra.empty()) {
    std::string text;
    append_json(text, extra);
    record.extra = std::move(text);
  }
  return Record(std::move(record));
}

Result<Record> decode_mode(const Fields& key, const storage::LogRecord& bytes) {
  ModeRecord record;
  SG_ASSIGN_OR_RETURN(record.subject, key.opt_string("subject"));
  SG_ASSIGN_OR_RETURN(auto object, parse_value(bytes, "MODE"));
  if (!object) {
    record.tombstone = true;
    return Record(std::move(record));
  }
  Fields value(*object, "MODE value");
  SG_ASSIGN_OR_RETURN(auto subject, value.opt_string("subject"));
  if (subject) record.subject = std::move(subject);
  SG_ASSIGN_OR_RETURN(record.mode, value.string("mode"));
  return Record(std::move(record));
}

// DELETE_SUBJECT, CLEAR_SUBJECT and CONTEXT have no tombstone meaning this version applies;
// a null value for them reads as a NOOP.
Result<Record> decode_delete_subject(const Fields& key, const storage::LogRecord& bytes) {
  SG_ASSIGN_OR_RETURN(auto key_subject, key.opt_string("subject"));
  SG_ASSIGN_OR_RETURN(auto object, parse_value(bytes, "DELETE_SUBJECT"));
  if (!object) return Record(NoopRecord{});
  Fields value(*object, "DELETE_SUBJECT value");
  DeleteSubjectRecord record;
  SG_ASSIGN_OR_RETURN(auto subject, value.opt_string("subject"));
  if (!subject) subject = std::move(key_subject);
  if (!subject) return value.missing("subject");
  record.subject = std::move(*subject);
  SG_ASSIGN_OR_RETURN(record.version, value.integer("version"));
  return Record(std::move(record));
}

Result<Record> decode_clear_subject(const Fields& key, const storage::LogRecord& bytes) {
  ClearSubjectRecord record;
  SG_ASSIGN_OR_RETURN(record.subject, key.opt_string("subject"));
  SG_ASSIGN_OR_RETURN(auto object, parse_value(bytes, "CLEAR_SUBJECT"));
  if (!object) return Record(NoopRecord{});
  Fields value(*object, "CLEAR_SUBJECT value");
  SG_ASSIGN_OR_RETURN(auto subject, value.opt_string("subject"));
  if (subject) record.subject = std::move(subject);
  return Record(std::move(record));
}

Result<Record> decode_context(const Fields& key, const storage::LogRecord& bytes) {
  SG_ASSIGN_OR_RETURN(auto key_tenant, key.opt_string("tenant"));
  SG_ASSIGN_OR_RETURN(auto key_context, key.opt_string("context"));
  SG_ASSIGN_OR_RETURN(auto object, parse_value(bytes, "CONTEXT"));
  if (!object) return Record(NoopRecord{});
  Fields value(*object, "CONTEXT value");
  ContextRecord record;
  SG_ASSIGN_OR_RETURN(auto tenant, value.opt_string("tenant"));
  if (!tenant) tenant = std::move(key_tenant);
  if (tenant) record.tenant = std::move(*tenant);
  SG_ASSIGN_OR_RETURN(auto context, value.opt_string("context"));
  if (!context) context = std::move(key_context);
  if (!context) return value.missing("context");
  record.context = std::move(*context);
  return Record(std::move(record));
}

}  // namespace

storage::LogRecord encode(const Record& record) {
  return std::visit([](const auto& r) { return encode_one(r); }, record);
}

Result<Record> decode(const storage::LogRecord& bytes) {
  SG_ASSIGN_OR_RETURN(auto parsed, parse_json(bytes.key, "record key"));
  SG_ASSIGN_OR_RETURN(auto object, as_object(std::move(parsed), bytes.key, "record key"));
  Fields key(object, "record key");
  SG_ASSIGN_OR_RETURN(auto keytype, key.string("keytype"));
  SG_ASSIGN_OR_RETURN(auto magic, key.opt_int("magic"));
  // Every Confluent version writes 0 (1 for SCHEMA keys since 5.x); anything else is a format
  // this version cannot promise to read correctly.
  if (magic && *magic != 0 && *magic != 1) {
    return store_error("record key: unsupported magic " + std::to_string(*magic) + " in " +
                       excerpt(bytes.key));
  }
  Result<Record> record = [&]() -> Result<Record> {
    if (keytype == "SCHEMA") return decode_schema(key, bytes);
    if (keytype == "CONFIG") return decode_config(key, bytes);
    if (keytype == "MODE") return decode_mode(key, bytes);
    if (keytype == "DELETE_SUBJECT") return decode_delete_subject(key, bytes);
    if (keytype == "CLEAR_SUBJECT") return decode_clear_subject(key, bytes);
    if (keytype == "CONTEXT") return decode_context(key, bytes);
    // NOOP, and kinds newer than this version (ASSOC, ...): readers skip them.
    return Record(NoopRecord{});
  }();
  if (!record.ok()) return record.error().with_context("record " + excerpt(bytes.key));
  return record;
}

}  // namespace sg::registry
