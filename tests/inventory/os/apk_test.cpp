// apk's installed database.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "inventory/os/os_catalogers.h"
#include "support/test_support.h"

namespace mtr::inventory::os {
namespace {

constexpr std::string_view kInstalled = R"(C:Q1Z9vVPSj6hb9dX+9+ZJJ0kQ2h5aE=
P:musl
V:1.2.4-r2
A:x86_64
S:383152
I:622592
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1698688474
c:1b2f6c3ee3e7b05cc2bd5bb6a5a2ef9ce5d7db4c
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1Z2XCFI9nR6a1kQ8m2YJk3T8kDTc=

P:libcrypto3
V:3.1.4-r1
A:x86_64
L:Apache-2.0
o:openssl
F:usr/lib
R:libcrypto.so.3

P:no-origin
V:1.0-r0
)";

TEST(Apk, ReadsNameVersionArchLicenseOrigin) {
  auto result = parse_apk_installed("/lib/apk/db/installed", kInstalled);
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_EQ(result->packages.size(), 3u);
  const auto& crypto = result->packages[1];
  EXPECT_EQ(crypto.name, "libcrypto3");
  EXPECT_EQ(crypto.version, "3.1.4-r1");
  EXPECT_EQ(crypto.arch, "x86_64");
  EXPECT_EQ(crypto.licenses, std::vector<std::string>{"Apache-2.0"});
  EXPECT_EQ(crypto.source_name, "openssl");
  EXPECT_EQ(crypto.source_version, "3.1.4-r1");
  EXPECT_EQ(crypto.ecosystem, "apk");
  EXPECT_EQ(crypto.cataloger, "apk");
  EXPECT_EQ(crypto.found_in, "/lib/apk/db/installed");
  EXPECT_EQ(result->packages[2].source_name, "no-origin");
  EXPECT_TRUE(result->packages[2].licenses.empty());
}

TEST(Apk, PeerFixtures) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() / "vuln/peers/osv-scalibr/os-extractor-testdata/apk/testdata";
  auto single = parse_apk_installed("/lib/apk/db/installed", test::read_file(dir / "single"));
  ASSERT_TRUE(single);
  ASSERT_EQ(single->packages.size(), 1u);
  EXPECT_EQ(single->packages[0].name, "alpine-baselayout-data");
  EXPECT_EQ(single->packages[0].version, "3.4.3-r1");
  EXPECT_EQ(single->packages[0].source_name, "alpine-baselayout");
  EXPECT_EQ(single->packages[0].licenses, std::vector<std::string>{"GPL-2.0-only"});

  auto invalid = parse_apk_installed("/lib/apk/db/installed", test::read_file(dir / "invalid"));
  ASSERT_TRUE(invalid);
  EXPECT_TRUE(invalid->packages.empty());
  EXPECT_FALSE(invalid->warnings.empty());
  EXPECT_EQ(invalid->warnings[0], "/lib/apk/db/installed:1: line is not a 'K:value' pair");
}

TEST(Apk, MissingNameOrVersionAreWarnings) {
  auto result =
      parse_apk_installed("/lib/apk/db/installed", "V:1.0\n\nP:nover\nA:x86\n\nP:ok\nV:2\n");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->packages.size(), 1u);
  EXPECT_EQ(result->packages[0].name, "ok");
  ASSERT_EQ(result->warnings.size(), 2u);
  EXPECT_EQ(result->warnings[0], "/lib/apk/db/installed:1: stanza skipped: no P: (name) line");
  EXPECT_EQ(result->warnings[1],
            "/lib/apk/db/installed:3: package 'nover' skipped: no V: (version) line");
}

TEST(Apk, HugeFileListsAndGarbageNeverCrash) {
  std::string big = "P:big\nV:1\n";
  for (int i = 0; i < 200000; ++i) big += "R:file" + std::to_string(i) + "\n";
  auto result = parse_apk_installed("/lib/apk/db/installed", big);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->packages.size(), 1u);

  std::string garbage;
  for (int i = 0; i < 50000; ++i) garbage += static_cast<char>((i * 131) % 256);
  auto junk = parse_apk_installed("/lib/apk/db/installed", garbage);
  ASSERT_TRUE(junk);
  EXPECT_LE(junk->warnings.size(), kMaxWarningsPerFile + 1);
}

TEST(ApkCataloger, RequiredPaths) {
  auto c = make_apk_cataloger();
  EXPECT_EQ(c->id(), "apk");
  EXPECT_TRUE(c->database());
  EXPECT_TRUE(c->required({"/lib/apk/db/installed", 0, 0644}));
  EXPECT_TRUE(c->required({"/usr/lib/apk/db/installed", 0, 0644}));
  EXPECT_FALSE(c->required({"/lib/apk/db/triggers", 0, 0644}));
}

}  // namespace
}  // namespace mtr::inventory::os
