// dpkg status, distroless status.d and DEP-5 copyright files.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "inventory/os/os_catalogers.h"
#include "support/test_support.h"

namespace mtr::inventory::os {
namespace {

constexpr std::string_view kStatus = R"(Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
 .
 This package includes shared versions.

Package: libselinux1
Status: hold ok installed
Architecture: amd64
Source: libselinux (3.4-1)
Version: 3.4-1+b6

Package: removed-but-configured
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: half
Status: install reinstreq half-installed
Architecture: amd64
Version: 2.0-1

package: lowercase-fields
status: install ok installed
version: 1:2.3-4
architecture: all
)";

TEST(Dpkg, StatusKeepsInstalledPackagesWithSource) {
  auto result = parse_dpkg_status("/var/lib/dpkg/status", kStatus);
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_EQ(result->packages.size(), 3u);
  EXPECT_TRUE(result->warnings.empty());

  const auto& libc = result->packages[0];
  EXPECT_EQ(libc.name, "libc6");
  EXPECT_EQ(libc.version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.arch, "amd64");
  EXPECT_EQ(libc.source_name, "glibc");
  EXPECT_EQ(libc.source_version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.ecosystem, "deb");
  EXPECT_EQ(libc.found_in, "/var/lib/dpkg/status");
  EXPECT_EQ(libc.cataloger, "dpkg");

  const auto& selinux = result->packages[1];
  EXPECT_EQ(selinux.name, "libselinux1");
  EXPECT_EQ(selinux.version, "3.4-1+b6");
  EXPECT_EQ(selinux.source_name, "libselinux");
  EXPECT_EQ(selinux.source_version, "3.4-1");

  const auto& lower = result->packages[2];
  EXPECT_EQ(lower.name, "lowercase-fields");
  EXPECT_EQ(lower.version, "1:2.3-4");
  EXPECT_EQ(lower.source_name, "lowercase-fields");
  EXPECT_EQ(lower.source_version, "1:2.3-4");
}

TEST(Dpkg, CrlfAndMissingFinalNewline) {
  auto result = parse_dpkg_status(
      "/var/lib/dpkg/status",
      "Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n\r\nPackage: b\r\n"
      "Status: install ok installed\r\nVersion: 2");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->packages.size(), 2u);
  EXPECT_EQ(result->packages[0].version, "1");
  EXPECT_EQ(result->packages[1].name, "b");
  EXPECT_EQ(result->packages[1].version, "2");
}

TEST(Dpkg, StatusDStanzasNeedNoStatusButHonourOne) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() /
             "vuln/peers/osv-scalibr/os-extractor-testdata/dpkg/testdata/dpkg/status.d";
  auto result = parse_dpkg_status("/var/lib/dpkg/status.d/foo", test::read_file(dir / "foo"));
  ASSERT_TRUE(result) << result.error().to_string();
  ASSERT_EQ(result->packages.size(), 1u);  // bar is "deinstall ok config-files"
  EXPECT_EQ(result->packages[0].name, "foo");
  EXPECT_EQ(result->packages[0].version, "1.2.3");
  EXPECT_EQ(result->packages[0].arch, "amd64");

  auto md5 =
      parse_dpkg_status("/var/lib/dpkg/status.d/foo.md5sums", test::read_file(dir / "foo.md5sums"));
  ASSERT_TRUE(md5);
  EXPECT_TRUE(md5->packages.empty());
}

TEST(Dpkg, SyftStatusDFixtures) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() /
             "vuln/peers/syft/cataloger-testdata/debian/testdata/var/lib/dpkg/status.d";
  auto read = [&](const char* name) {
    return parse_dpkg_status(std::string("/var/lib/dpkg/status.d/") + name,
                             test::read_file(dir / name));
  };
  auto many = read("coreutils-relationships");
  ASSERT_TRUE(many);
  ASSERT_EQ(many->packages.size(), 9u);
  EXPECT_EQ(many->packages[5].name, "libattr1");
  EXPECT_EQ(many->packages[5].version, "1:2.5.1-4");
  EXPECT_EQ(many->packages[5].source_name, "attr");

  auto deinstall = read("deinstall");
  ASSERT_TRUE(deinstall);
  ASSERT_EQ(deinstall->packages.size(), 1u);
  EXPECT_EQ(deinstall->packages[0].name, "linux-image-6.14.0-1012-aws");

  // "Package:" with no value and a package without Version: skipped with warnings.
  auto multiple = read("multiple");
  ASSERT_TRUE(multiple);
  ASSERT_EQ(multiple->packages.size(), 2u);
  EXPECT_EQ(multiple->packages[0].name, "tzdata");
  EXPECT_EQ(multiple->packages[0].source_name, "tzdata-dev");
  EXPECT_EQ(multiple->packages[1].name, "util-linux");
  EXPECT_EQ(multiple->warnings.size(), 2u);

  // Misspelt field names ("Pakij:"): nothing is a package; no crash.
  auto corrupt = read("corrupt");
  ASSERT_TRUE(corrupt);
  EXPECT_TRUE(corrupt->packages.empty());
  EXPECT_FALSE(corrupt->warnings.empty());
}

TEST(Dpkg, MalformedLinesAreWarningsNamingTheLine) {
  auto result = parse_dpkg_status(
      "/var/lib/dpkg/status",
      " leading continuation\nPackage: a\nStatus: install ok installed\nVersion: 1\n\n"
      "Package: b\nthis line has no colon\nStatus: install ok installed\nVersion: 2\n");
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->packages.empty());
  ASSERT_EQ(result->warnings.size(), 4u);
  EXPECT_EQ(result->warnings[0], "/var/lib/dpkg/status:1: continuation line outside a field");
  EXPECT_EQ(result->warnings[2], "/var/lib/dpkg/status:7: line is not a 'Field: value' pair");
}

TEST(Dpkg, HugeFieldCountIsALimitError) {
  std::string stanza = "Package: x\nStatus: install ok installed\nVersion: 1\n";
  for (std::size_t i = 0; i < kMaxFieldsPerStanza; ++i)
    stanza += "X-Field-" + std::to_string(i) + ": v\n";
  auto result = parse_dpkg_status("/var/lib/dpkg/status", stanza);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kLimitExceeded);
  EXPECT_EQ(result.error().location.file, "/var/lib/dpkg/status");
  EXPECT_EQ(result.error().location.line, kMaxFieldsPerStanza + 1);
}

TEST(Dpkg, GarbageNeverCrashesAndWarningsAreBounded) {
  std::string garbage;
  for (int i = 0; i < 100000; ++i) garbage += static_cast<char>((i * 7919) % 256);
  auto result = parse_dpkg_status("/var/lib/dpkg/status", garbage);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->packages.empty());
  EXPECT_LE(result->warnings.size(), kMaxWarningsPerFile + 1);
  EXPECT_TRUE(parse_dpkg_status("/var/lib/dpkg/status", ""));
  EXPECT_TRUE(parse_dpkg_status("/var/lib/dpkg/status", std::string(1000, '\n')));
}

TEST(DpkgCataloger, RequiredPaths) {
  auto c = make_dpkg_cataloger();
  EXPECT_EQ(c->id(), "dpkg");
  EXPECT_TRUE(c->database());
  EXPECT_TRUE(c->required({"/var/lib/dpkg/status", 0, 0644}));
  EXPECT_TRUE(c->required({"/var/lib/dpkg/status.d/base", 0, 0644}));
  EXPECT_FALSE(c->required({"/var/lib/dpkg/status.d/base.md5sums", 0, 0644}));
  EXPECT_FALSE(c->required({"/var/lib/dpkg/status-old", 0, 0644}));
  EXPECT_FALSE(c->required({"/var/lib/dpkg/status.d/", 0, 0644}));
  EXPECT_FALSE(c->required({"/var/lib/dpkg/status.d/a/b", 0, 0644}));
}

constexpr std::string_view kDep5 =
    R"(Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: curl
Source: https://curl.se/

Files: *
Copyright: 1996-2023, Daniel Stenberg <daniel@haxx.se>
License: curl

Files: lib/*
Copyright: 2003 Someone
License: BSD-3-Clause

Files: debian/*
Copyright: 2004 Domenico Andreoli
License: curl

License: curl
 All rights reserved.
 .
 Permission to use ...

License: BSD-3-Clause
 Redistribution and use ...
)";

TEST(DpkgCopyright, Dep5LicensesDeduplicatedInOrder) {
  EXPECT_EQ(parse_dep5_licenses(kDep5), (std::vector<std::string>{"curl", "BSD-3-Clause"}));
  EXPECT_EQ(parse_dep5_licenses("License: GPL-2+ or LGPL-2.1+\n"),
            std::vector<std::string>{"GPL-2+ or LGPL-2.1+"});
  EXPECT_TRUE(parse_dep5_licenses("This is not machine readable.\nLicense:\n").empty());
}

TEST(DpkgCopyright, CatalogerNamesThePackageFromThePath) {
  auto c = make_dpkg_copyright_cataloger();
  EXPECT_EQ(c->id(), "dpkg-copyright");
  EXPECT_FALSE(c->database());
  EXPECT_TRUE(c->required({"/usr/share/doc/curl/copyright", 0, 0644}));
  EXPECT_FALSE(c->required({"/usr/share/doc/curl/changelog.gz", 0, 0644}));
  EXPECT_FALSE(c->required({"/usr/share/doc/copyright", 0, 0644}));
  EXPECT_FALSE(c->required({"/usr/share/doc/a/b/copyright", 0, 0644}));
  auto result = c->analyze({"/usr/share/doc/curl/copyright", kDep5.size(), 0644}, kDep5);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->licenses.size(), 1u);
  EXPECT_EQ(result->licenses[0].ecosystem, "deb");
  EXPECT_EQ(result->licenses[0].package, "curl");
  EXPECT_EQ(result->licenses[0].licenses, (std::vector<std::string>{"curl", "BSD-3-Clause"}));
  EXPECT_TRUE(result->packages.empty());
}

}  // namespace
}  // namespace mtr::inventory::os
