#include "schemaguard/base/digest.h"

#include <gtest/gtest.h>

namespace sg {
namespace {

// Test vectors from RFC 1321 and FIPS 180-2.
TEST(Digest, Md5KnownVectors) {
  EXPECT_EQ(to_hex(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(to_hex(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(Digest, Sha256KnownVectors) {
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace sg
