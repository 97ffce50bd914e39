#include "match/match.h"

#include <gtest/gtest.h>

namespace mtr::match {
namespace {

using vulndb::Advisory;
using vulndb::Affected;
using vulndb::Event;
using vulndb::Status;
using K = Event::Kind;

Affected affected(std::string eco, std::string pkg, std::string type, std::vector<Event> events,
                  Status status = Status::kAffected) {
  Affected a;
  a.ecosystem = std::move(eco);
  a.package = std::move(pkg);
  a.version_type = std::move(type);
  a.status = status;
  if (!events.empty()) a.ranges.push_back({"ECOSYSTEM", std::move(events)});
  return a;
}

Advisory advisory(std::string id, std::vector<Affected> list,
                  std::vector<std::string> aliases = {}) {
  Advisory a;
  a.id = std::move(id);
  a.source = "test";
  a.aliases = std::move(aliases);
  a.summary = "summary";
  a.affected = std::move(list);
  return a;
}

inventory::Package deb(std::string name, std::string version, std::string source = "",
                       std::string source_version = "") {
  inventory::Package p;
  p.name = std::move(name);
  p.version = std::move(version);
  p.ecosystem = "deb";
  p.source_name = std::move(source);
  p.source_version = std::move(source_version);
  p.purl = "pkg:deb/debian/" + p.name + "@" + p.version;
  p.found_in = "/var/lib/dpkg/status";
  return p;
}

inventory::Inventory debian12(std::vector<inventory::Package> packages) {
  inventory::Inventory inv;
  inv.os.id = "debian";
  inv.os.version_id = "12";
  inv.packages = std::move(packages);
  return inv;
}

std::vector<std::string> ids(const MatchResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.id + " " + f.properties.at("package"));
  return out;
}

TEST(IsAffected, IntroducedFixedAndLastAffected) {
  auto a = affected("Debian:12", "x", "deb", {{K::kIntroduced, "0"}, {K::kFixed, "1.2-1"}});
  std::string fixed;
  EXPECT_TRUE(is_affected(a, "1.1-1", &fixed));
  EXPECT_EQ(fixed, "1.2-1");
  EXPECT_FALSE(is_affected(a, "1.2-1", &fixed));
  EXPECT_FALSE(is_affected(a, "1:1.0-1", &fixed));  // epoch makes it newer
  EXPECT_TRUE(is_affected(a, "1.2~rc1-1", &fixed));

  auto last = affected("PyPI", "x", "pypi", {{K::kIntroduced, "1.0"}, {K::kLastAffected, "1.4"}});
  EXPECT_FALSE(is_affected(last, "0.9", &fixed));
  EXPECT_TRUE(is_affected(last, "1.4", &fixed));
  EXPECT_EQ(fixed, "");
  EXPECT_FALSE(is_affected(last, "1.4.1", &fixed));
}

TEST(IsAffected, SeveralIntervalsInOneRangeInAnyOrder) {
  // Events out of order: evaluation sorts them by version first (OSV's algorithm).
  auto a = affected("npm", "x", "npm",
                    {{K::kIntroduced, "2.0.0"},
                     {K::kFixed, "2.3.1"},
                     {K::kIntroduced, "1.0.0"},
                     {K::kFixed, "1.4.2"}});
  std::string fixed;
  EXPECT_TRUE(is_affected(a, "1.4.0", &fixed));
  EXPECT_EQ(fixed, "1.4.2");
  EXPECT_FALSE(is_affected(a, "1.5.0", &fixed));
  EXPECT_TRUE(is_affected(a, "2.2.0", &fixed));
  EXPECT_EQ(fixed, "2.3.1");
  EXPECT_FALSE(is_affected(a, "0.9.0", &fixed));
}

TEST(IsAffected, ExplicitVersionsAndGoPrefixes) {
  Affected a;
  a.version_type = "pypi";
  a.versions = {"1.0", "1.1"};
  EXPECT_TRUE(is_affected(a, "1.1", nullptr));
  EXPECT_FALSE(is_affected(a, "1.2", nullptr));
  auto go = affected("Go", "m", "golang", {{K::kIntroduced, "0"}, {K::kFixed, "1.20.3"}});
  std::string fixed;
  EXPECT_TRUE(is_affected(go, "v1.20.2", &fixed));
  EXPECT_FALSE(is_affected(go, "v1.21.0", &fixed));
}

TEST(OsEcosystem, MapsReleases) {
  inventory::OsInfo os;
  os.id = "debian";
  os.version_id = "12";
  EXPECT_EQ(os_ecosystem(os), "Debian:12");
  os.id = "alpine";
  os.version_id = "3.18.4";
  EXPECT_EQ(os_ecosystem(os), "Alpine:v3.18");
  os.id = "ubuntu";
  os.version_id = "22.04";
  EXPECT_EQ(os_ecosystem(os), "Ubuntu:22.04");
  os.id = "debian";
  os.version_id = "";
  os.codename = "trixie";
  EXPECT_EQ(os_ecosystem(os), "");  // testing/sid: no per-release data
}

TEST(Match, BinaryPackagesAreMatchedBySourceAndReportedByName) {
  vulndb::VulnIndex index;
  index.add(
      advisory("CVE-2024-1", {affected("Debian:12", "openssl", "deb",
                                       {{K::kIntroduced, "0"}, {K::kFixed, "3.0.13-1~deb12u1"}})}));
  auto inv = debian12({deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
                       deb("openssl", "3.0.11-1~deb12u2"),
                       deb("libssl3-fixed", "3.0.13-1~deb12u1", "openssl", "3.0.13-1~deb12u1")});
  auto r = match_inventory(inv, index, {}, "img");
  EXPECT_EQ(ids(r), (std::vector<std::string>{"CVE-2024-1 libssl3", "CVE-2024-1 openssl"}));
  const auto& f = r.findings[0];
  EXPECT_EQ(f.properties.at("fixed_version"), "3.0.13-1~deb12u1");
  EXPECT_EQ(f.properties.at("source_package"), "openssl");
  EXPECT_EQ(f.properties.at("status"), "fixed");
  EXPECT_EQ(f.target, "img");
}

TEST(Match, BinNmuIsComparedBySourceVersion) {
  vulndb::VulnIndex index;
  index.add(advisory("CVE-1", {affected("Debian:12", "src", "deb",
                                        {{K::kIntroduced, "0"}, {K::kFixed, "1.0-2"}})}));
  // Binary 1.0-2+b1 built from source 1.0-2: fixed.
  auto r = match_inventory(debian12({deb("bin", "1.0-2+b1", "src", "1.0-2")}), index, {}, "");
  EXPECT_TRUE(r.findings.empty());
}

TEST(Match, OtherReleasesDataDoesNotApply) {
  vulndb::VulnIndex index;
  index.add(advisory("CVE-1", {affected("Debian:11", "zlib", "deb", {{K::kIntroduced, "0"}})}));
  auto r =
      match_inventory(debian12({deb("zlib1g", "1:1.2.13", "zlib", "1:1.2.13")}), index, {}, "");
  EXPECT_TRUE(r.findings.empty());
}

TEST(Match, NotAffectedUnimportantAndUnfixed) {
  vulndb::VulnIndex index;
  index.add(advisory("CVE-A", {affected("Debian:12", "glibc", "deb", {{K::kIntroduced, "0"}},
                                        Status::kUnimportant)}));
  index.add(advisory("CVE-B", {affected("Debian:12", "glibc", "deb", {{K::kIntroduced, "0"}})}));
  index.add(advisory("CVE-C", {affected("Debian:12", "glibc", "deb", {}, Status::kNotAffected)}));
  // Another source claims CVE-C affects glibc: the distro's not-affected wins.
  index.add(advisory("OSV-C", {affected("Debian:12", "glibc", "deb", {{K::kIntroduced, "0"}})},
                     {"CVE-C"}));
  auto inv = debian12({deb("libc6", "2.36-9", "glibc", "2.36-9")});
  auto r = match_inventory(inv, index, {}, "");
  EXPECT_EQ(ids(r), std::vector<std::string>{"CVE-B libc6"});
  EXPECT_EQ(r.findings[0].properties.at("status"), "affected");
  EXPECT_EQ(r.findings[0].fix, "no fixed version yet");

  MatchOptions with_unimportant;
  with_unimportant.include_unimportant = true;
  EXPECT_EQ(match_inventory(inv, index, with_unimportant, "").findings.size(), 2u);

  MatchOptions no_unfixed;
  no_unfixed.ignore_unfixed = true;
  EXPECT_TRUE(match_inventory(inv, index, no_unfixed, "").findings.empty());
}

TEST(Match, AliasesMergeIntoOneFindingPerVulnerability) {
  vulndb::VulnIndex index;
  auto ghsa = advisory(
      "GHSA-xxxx-yyyy-zzzz",
      {affected("PyPI", "requests", "pypi", {{K::kIntroduced, "0"}, {K::kFixed, "2.31.0"}})},
      {"CVE-2023-32681"});
  ghsa.vendor_severity = core::Severity::kMedium;
  ghsa.cvss.push_back({"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", "3.1", 6.1});
  index.add(ghsa);
  index.add(advisory(
      "PYSEC-2023-74",
      {affected("PyPI", "requests", "pypi", {{K::kIntroduced, "2.3.0"}, {K::kFixed, "2.31.0"}})},
      {"CVE-2023-32681", "GHSA-xxxx-yyyy-zzzz"}));
  inventory::Inventory inv;
  inventory::Package p;
  p.name = "Requests";
  p.version = "2.28.1";
  p.ecosystem = "pypi";
  p.purl = "pkg:pypi/requests@2.28.1";
  inv.packages.push_back(p);
  auto r = match_inventory(inv, index, {}, "");
  ASSERT_EQ(r.findings.size(), 1u);
  const auto& f = r.findings[0];
  EXPECT_EQ(f.id, "CVE-2023-32681");
  EXPECT_EQ(f.aliases, (std::vector<std::string>{"GHSA-xxxx-yyyy-zzzz", "PYSEC-2023-74"}));
  EXPECT_EQ(f.severity, core::Severity::kMedium);  // vendor rating over CVSS
  EXPECT_EQ(f.properties.at("cvss_score"), "6.1");
}

TEST(Match, MultiCveAdvisoryCoveredByItsCvesAddsNothing) {
  vulndb::VulnIndex index;
  auto range = std::vector<Event>{{K::kIntroduced, "0"}, {K::kFixed, "2.0-1"}};
  index.add(
      advisory("DSA-5000-1", {affected("Debian:12", "curl", "deb", range)}, {"CVE-1", "CVE-2"}));
  index.add(advisory("CVE-1", {affected("Debian:12", "curl", "deb", range)}));
  index.add(advisory("CVE-2", {affected("Debian:12", "curl", "deb", range)}));
  auto r = match_inventory(debian12({deb("curl", "1.0-1")}), index, {}, "");
  EXPECT_EQ(ids(r), (std::vector<std::string>{"CVE-1 curl", "CVE-2 curl"}));
}

TEST(Match, WithdrawnAdvisoriesAreSkipped) {
  vulndb::VulnIndex index;
  auto a = advisory("GHSA-1", {affected("npm", "left-pad", "npm", {{K::kIntroduced, "0"}})});
  a.withdrawn = true;
  index.add(a);
  inventory::Inventory inv;
  inventory::Package p;
  p.name = "left-pad";
  p.version = "1.0.0";
  p.ecosystem = "npm";
  inv.packages.push_back(p);
  EXPECT_TRUE(match_inventory(inv, index, {}, "").findings.empty());
}

TEST(Match, ScopedNpmAndMavenNames) {
  vulndb::VulnIndex index;
  index.add(advisory("CVE-N", {affected("npm", "@babel/traverse", "npm",
                                        {{K::kIntroduced, "0"}, {K::kFixed, "7.23.2"}})}));
  index.add(advisory("CVE-M", {affected("Maven", "org.apache.logging.log4j:log4j-core", "maven",
                                        {{K::kIntroduced, "2.0"}, {K::kFixed, "2.15.0"}})}));
  inventory::Inventory inv;
  inventory::Package n;
  n.name = "traverse";
  n.purl_namespace = "@babel";
  n.version = "7.22.0";
  n.ecosystem = "npm";
  inventory::Package m;
  m.name = "log4j-core";
  m.purl_namespace = "org.apache.logging.log4j";
  m.version = "2.14.1";
  m.ecosystem = "maven";
  inv.packages = {n, m};
  auto r = match_inventory(inv, index, {}, "");
  EXPECT_EQ(r.findings.size(), 2u);
  auto keys = lookup_keys(inv);
  EXPECT_EQ(keys.size(), 2u);
}

TEST(Match, CacheGivesTheSameFindings) {
  vulndb::VulnIndex index;
  index.add(advisory("CVE-1", {affected("Debian:12", "openssl", "deb",
                                        {{K::kIntroduced, "0"}, {K::kFixed, "3.0.13-1"}})}));
  auto inv = debian12({deb("libssl3", "3.0.11-1", "openssl", "3.0.11-1"),
                       deb("openssl", "3.0.11-1"), deb("libssl-dev", "3.0.13-1", "openssl")});
  MatchCache cache;
  auto plain = match_inventory(inv, index, {}, "a");
  for (int round = 0; round < 2; ++round) {
    auto cached = match_inventory(inv, index, {}, "a", &cache);
    EXPECT_EQ(ids(cached), ids(plain));
    ASSERT_EQ(cached.findings.size(), 2u);
    EXPECT_EQ(cached.findings[0].properties.at("fixed_version"), "3.0.13-1");
  }
}

}  // namespace
}  // namespace mtr::match
