#include "schemaguard/base/digest.h"

#include <openssl/evp.h>

namespace sg {
namespace {

template <std::size_t N>
std::array<std::uint8_t, N> evp_digest(const EVP_MD* algorithm, std::string_view bytes) {
  std::array<std::uint8_t, N> out{};
  unsigned int length = 0;
  // EVP_Digest only fails on allocation failure inside OpenSSL; the zeroed digest it would leave
  // is never mistaken for a real one because callers compare whole schemas on a fingerprint hit.
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &length, algorithm, nullptr);
  return out;
}

}  // namespace

std::array<std::uint8_t, 16> md5(std::string_view bytes) {
  return evp_digest<16>(EVP_md5(), bytes);
}

std::array<std::uint8_t, 32> sha256(std::string_view bytes) {
  return evp_digest<32>(EVP_sha256(), bytes);
}

std::string to_hex(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
  return out;
}

}  // namespace sg
