// The interface every schema format (Avro, JSON Schema, Protobuf) offers the rest of
// SchemaGuard: parse text into an immutable parsed schema, and check a (reader, writer) pair.
// The compat engine (compat/engine.h) applies levels, transitivity and caching on top of it,
// the same way for every format.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemaguard/base/result.h"
#include "schemaguard/model/compatibility_level.h"
#include "schemaguard/model/incompatibility.h"
#include "schemaguard/model/schema_type.h"

namespace sg {

// Identifies a parsed schema's full meaning (its text and its references'), for caches: equal
// keys mean equal schemas. SHA-256, so collisions are not a practical concern.
using ContentKey = std::array<std::uint8_t, 32>;

struct ContentKeyHash {
  std::size_t operator()(const ContentKey& key) const noexcept {
    std::size_t h;  // the key is a SHA-256: any 8 of its bytes are already uniform
    std::memcpy(&h, key.data(), sizeof h);
    return h;
  }
};

// A schema parsed by its format. Immutable and shareable between threads.
class ParsedSchema {
 public:
  virtual ~ParsedSchema() = default;

  virtual SchemaType type() const = 0;
  virtual const ContentKey& content_key() const = 0;
  // The schema's canonical text: what the registry stores and compares.
  virtual const std::string& canonical_text() const = 0;
};

using ParsedSchemaPtr = std::shared_ptr<const ParsedSchema>;

// A registry reference resolved for parsing: the name the referring schema uses for it (an Avro
// full name, a JSON Schema `$ref` URL such as "customer.json", a Protobuf import path such as
// "common/money.proto") and the parsed schema it names.
struct NamedReference {
  std::string name;
  ParsedSchemaPtr schema;
};
using NamedReferences = std::vector<NamedReference>;

class Format {
 public:
  virtual ~Format() = default;

  virtual SchemaType type() const = 0;

  // Parses `text`; `references` are the already-parsed schemas it refers to (registry
  // references, in the order the schema lists them), all of this format. Fails with
  // kInvalidSchema and a message saying where.
  virtual Result<ParsedSchemaPtr> parse(std::string_view text,
                                        const NamedReferences& references) const = 0;

  // Every reason data written with `writer` cannot be read with `reader` under `policy`; empty
  // if it can. REQUIRES: both were parsed by this format.
  virtual Incompatibilities check(const ParsedSchema& reader, const ParsedSchema& writer,
                                  CompatibilityPolicy policy) const = 0;

  // check() under the default, strict policy.
  Incompatibilities check(const ParsedSchema& reader, const ParsedSchema& writer) const {
    return check(reader, writer, CompatibilityPolicy::kStrict);
  }

  // The text a registry stores for `schema` (rest-api.md §5.9): the format's canonical
  // rendering, so that layout-only differences never make a new id; with `normalize`, the
  // normalised form on top (Confluent's normalize=true). REQUIRES: parsed by this format.
  virtual std::string render(const ParsedSchema& schema, bool normalize) const = 0;

  // The schema in another form a client may ask for with `?format=` on the schema endpoints
  // (Protobuf: "serialized", base64 of its FileDescriptorProto); nullopt when this format has
  // no such form (the stored text is then the answer, as in Confluent's registry).
  virtual std::optional<std::string> convert(const ParsedSchema& /*schema*/,
                                             std::string_view /*form*/) const {
    return std::nullopt;
  }
};

}  // namespace sg
