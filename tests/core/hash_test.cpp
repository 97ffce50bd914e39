#include "core/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace mtr::core {
namespace {

// FIPS 180-2 test vectors.
constexpr const char* kAbc =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kEmpty =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_digest("abc"), kAbc);
  EXPECT_EQ(sha256_digest(""), kEmpty);
  EXPECT_EQ(sha256_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_digest(std::string(1000000, 'a')),
            "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalEqualsOneShotAndFinishResets) {
  Sha256 h;
  h.update("a");
  h.update(std::string_view("bc"));
  EXPECT_EQ(h.finish_digest(), kAbc);
  EXPECT_EQ(h.finish_digest(), kEmpty);  // reset after finish
  h.update("abc");
  EXPECT_EQ(h.finish_digest(), kAbc);
}

TEST(ValidateDigest, AcceptsLowerCaseSha256) { EXPECT_TRUE(validate_digest(kAbc)); }

TEST(ValidateDigest, RejectsMalformedDigests) {
  std::string upper = "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
  for (std::string d : {std::string("ba7816bf"), std::string("sha256:"), std::string("sha256:abc"),
                        upper, std::string(kAbc) + "0", std::string(kAbc).substr(0, 70) + "g",
                        std::string("sha256:../../../../etc/passwd")}) {
    auto r = validate_digest(d);
    ASSERT_FALSE(r) << d;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << d;
  }
}

TEST(ValidateDigest, OtherAlgorithmsAreUnsupported) {
  auto r = validate_digest("sha512:" + std::string(128, 'a'));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
}

TEST(DigestHex, StripsTheAlgorithm) {
  EXPECT_EQ(digest_hex(kAbc), std::string(kAbc).substr(7));
  EXPECT_EQ(digest_hex("abcd"), "abcd");
}

}  // namespace
}  // namespace mtr::core
