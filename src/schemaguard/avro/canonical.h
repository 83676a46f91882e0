// Parsing Canonical Form and fingerprints (Avro 1.11 specification, "Parsing Canonical Form
// for Schemas" and "Schema Fingerprints").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "schemaguard/avro/schema.h"

namespace sg::avro {

// The Parsing Canonical Form of the schema rooted at `root`: full names, only the attributes
// that matter for reading data (type, name, fields, symbols, items, values, size) in that
// order, primitives as bare strings, each named type defined at its first use and referred to
// by full name after, no whitespace. An `error` is written as a `record`, as Avro Java does.
std::string parsing_canonical_form(const Node& root);

// CRC-64-AVRO, the 64-bit Rabin fingerprint the specification defines.
std::uint64_t crc64_avro(std::string_view bytes);

// The fingerprint as Avro's single-object encoding writes it: 8 bytes, little-endian, as 16
// lower-case hex digits.
std::string crc64_avro_hex(std::uint64_t fingerprint);

}  // namespace sg::avro
