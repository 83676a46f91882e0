#include "schemaguard/compat/engine.h"

#include <fmt/format.h>

#include "schemaguard/avro/format.h"
#include "schemaguard/base/digest.h"
#include "schemaguard/jsonschema/format/format.h"
#include "schemaguard/protobuf/format/format.h"

namespace sg::compat {

Engine::Engine(EngineOptions options) : options_(options) {
  add_format(avro::format());
  add_format(jsonschema::format());
  add_format(protobuf::format());
}

void Engine::add_format(const Format& format) {
  for (const Format*& existing : formats_) {
    if (existing->type() == format.type()) {
      existing = &format;
      return;
    }
  }
  formats_.push_back(&format);
}

const Format* Engine::format_for(SchemaType type) const {
  for (const Format* format : formats_) {
    if (format->type() == type) return format;
  }
  return nullptr;
}

Result<ParsedSchemaPtr> Engine::parse(SchemaType type, std::string_view text,
                                      const NamedReferences& references) {
  const Format* format = format_for(type);
  if (format == nullptr) {
    return Error(ErrorCode::kInvalidSchema,
                 fmt::format("{} schemas are not supported yet", to_string(type)));
  }
  std::string material;
  material.reserve(text.size() + 1 + 40 * references.size());
  material += static_cast<char>(type);
  material += text;
  for (const auto& [name, schema] : references) {
    // Length-prefixed, so that no two lists of names run together into the same bytes.
    material += std::to_string(name.size());
    material += ':';
    material += name;
    material.append(reinterpret_cast<const char*>(schema->content_key().data()), 32);
  }
  const ContentKey key = sha256(material);
  {
    std::shared_lock lock(schemas_mutex_);
    if (auto it = schemas_.find(key); it != schemas_.end()) {
      schema_hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second;
    }
  }
  schema_misses_.fetch_add(1, std::memory_order_relaxed);
  SG_ASSIGN_OR_RETURN(ParsedSchemaPtr parsed, format->parse(text, references));
  std::unique_lock lock(schemas_mutex_);
  if (schemas_.size() >= options_.max_cached_schemas) schemas_.clear();
  schemas_.emplace(key, parsed);
  return parsed;
}

std::string Engine::render(const ParsedSchema& schema, bool normalize) const {
  const Format* format = format_for(schema.type());
  return format ? format->render(schema, normalize) : schema.canonical_text();
}

std::optional<std::string> Engine::convert(const ParsedSchema& schema,
                                           std::string_view form) const {
  const Format* format = format_for(schema.type());
  return format ? format->convert(schema, form) : std::nullopt;
}

Incompatibilities Engine::check_pair(const ParsedSchema& reader, const ParsedSchema& writer,
                                     CompatibilityPolicy policy) {
  if (reader.type() != writer.type()) {
    Incompatibility different;
    different.type = "DIFFERENT_SCHEMA_TYPE";
    different.message = fmt::format("different schema type: the reader is {}, the writer is {}",
                                    to_string(reader.type()), to_string(writer.type()));
    different.hint = "a subject keeps one schema type; register the new type under a new subject";
    return {different};
  }
  const PairKey key{reader.content_key(), writer.content_key(), policy};
  {
    std::shared_lock lock(verdicts_mutex_);
    if (auto it = verdicts_.find(key); it != verdicts_.end()) {
      verdict_hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second;
    }
  }
  verdict_misses_.fetch_add(1, std::memory_order_relaxed);
  const Format* format = format_for(reader.type());
  Incompatibilities found = format ? format->check(reader, writer, policy) : Incompatibilities{};
  std::unique_lock lock(verdicts_mutex_);
  if (verdicts_.size() >= options_.max_cached_verdicts) verdicts_.clear();
  verdicts_.emplace(key, found);
  return found;
}

CheckResult Engine::check(CompatibilityLevel level, const ParsedSchema& candidate,
                          std::span<const ParsedSchemaPtr> previous, CheckOptions options) {
  CheckResult result;
  if (level == CompatibilityLevel::kNone || previous.empty()) return result;
  const std::size_t oldest = is_transitive(level) ? 0 : previous.size() - 1;
  for (std::size_t i = previous.size(); i-- > oldest;) {
    const ParsedSchema& old = *previous[i];
    const auto version = static_cast<int>(i + 1);
    bool failed = false;
    auto collect = [&](Incompatibilities found, Direction direction) {
      for (Incompatibility& problem : found) {
        problem.direction = direction;
        problem.version = version;
        result.incompatibilities.push_back(std::move(problem));
        failed = true;
      }
    };
    if (checks_forward(level))
      collect(check_pair(old, candidate, options.policy), Direction::kForward);
    if (checks_backward(level))
      collect(check_pair(candidate, old, options.policy), Direction::kBackward);
    if (failed && options.stop_at_first_failing_version) break;
  }
  result.compatible = result.incompatibilities.empty();
  return result;
}

CacheStats Engine::stats() const {
  return {schema_hits_.load(), schema_misses_.load(), verdict_hits_.load(), verdict_misses_.load()};
}

void Engine::clear_caches() {
  {
    std::unique_lock lock(schemas_mutex_);
    schemas_.clear();
  }
  std::unique_lock lock(verdicts_mutex_);
  verdicts_.clear();
}

}  // namespace sg::compat
