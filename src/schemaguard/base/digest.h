// Cryptographic digests over byte strings (OpenSSL underneath), for content fingerprints.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sg {

std::array<std::uint8_t, 16> md5(std::string_view bytes);
std::array<std::uint8_t, 32> sha256(std::string_view bytes);

// Lower-case hexadecimal of `bytes`.
std::string to_hex(const std::uint8_t* bytes, std::size_t size);
template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  return to_hex(bytes.data(), N);
}

}  // namespace sg
