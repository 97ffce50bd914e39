// Importers: OSV (JSON/YAML), Debian tracker JSON, Alpine secdb; format detection; readers over
// files, directories and zips. In-memory cases pin the mapping rules; corpus cases pin counts
// and known values of real data.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/test_support.h"
#include "vulndb/import.h"

namespace mtr::vulndb {
namespace {

namespace fs = std::filesystem;

std::vector<Advisory> collect_tracker(std::string_view text) {
  std::vector<Advisory> out;
  auto st = parse_debian_tracker(text, "test.json", [&](Advisory&& a) -> core::Status {
    out.push_back(std::move(a));
    return {};
  });
  EXPECT_TRUE(st) << (st ? "" : st.error().to_string());
  return out;
}

std::vector<Advisory> collect_secdb(std::string_view text) {
  std::vector<Advisory> out;
  auto st = parse_alpine_secdb(text, "test.yaml", [&](Advisory&& a) -> core::Status {
    out.push_back(std::move(a));
    return {};
  });
  EXPECT_TRUE(st) << (st ? "" : st.error().to_string());
  return out;
}

struct Collected {
  ReadStats stats;
  std::vector<Advisory> advisories;
};

Collected read_all(const fs::path& path, Format format = Format::kAuto) {
  Collected c;
  auto r = read_advisories(path.string(), format, [&](Advisory&& a) -> core::Status {
    c.advisories.push_back(std::move(a));
    return {};
  });
  EXPECT_TRUE(r) << (r ? "" : r.error().to_string());
  if (r) c.stats = *r;
  return c;
}

const Advisory* find_id(const std::vector<Advisory>& all, std::string_view id,
                        std::string_view package = {}) {
  for (const auto& a : all) {
    if (a.id != id) continue;
    if (package.empty() || (!a.affected.empty() && a.affected[0].package == package)) return &a;
  }
  return nullptr;
}

const Affected* find_eco(const Advisory& a, std::string_view ecosystem) {
  for (const auto& af : a.affected)
    if (af.ecosystem == ecosystem) return &af;
  return nullptr;
}

fs::path vuln_dir() { return test::corpus_dir() / "vuln"; }

// ---------------------------------------------------------------- formats and ecosystems

TEST(ImportFormat, NamesRoundTrip) {
  for (Format f : {Format::kAuto, Format::kOsv, Format::kDebianTracker, Format::kAlpineSecdb}) {
    auto parsed = parse_format(to_string(f));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, f);
  }
  EXPECT_STREQ(to_string(Format::kDebianTracker), "debian-tracker");
  EXPECT_FALSE(parse_format("nvd"));
}

TEST(ImportFormat, DetectsEachFormat) {
  auto detect = [](std::string_view text) {
    auto f = detect_format(text, "a");
    EXPECT_TRUE(f) << text << ": " << (f ? "" : f.error().to_string());
    return f ? *f : Format::kAuto;
  };
  EXPECT_EQ(detect(R"({"id":"GO-1","modified":"2024-01-01T00:00:00Z"})"), Format::kOsv);
  EXPECT_EQ(detect("id: PYSEC-1\nmodified: x\naffected: []\n"), Format::kOsv);
  EXPECT_EQ(detect(R"({"pkg":{"CVE-1":{"releases":{}}}})"), Format::kDebianTracker);
  EXPECT_EQ(detect(R"({"pkg":[],"pkg2":{"CVE-1":{"releases":[]}}})"), Format::kDebianTracker);
  EXPECT_EQ(detect(R"({"pkg":[],"pkg2":{"CVE-1":{"releases":{"sid":{}}}}})"),
            Format::kDebianTracker);
  EXPECT_EQ(detect("distroversion: v3.10\npackages: []\n"), Format::kAlpineSecdb);
  EXPECT_EQ(detect(R"({"packages":[{"pkg":{"name":"a","secfixes":{}}}]})"), Format::kAlpineSecdb);
  auto none = detect_format(R"({"$schema":"x","title":"OSV"})", "schema.json");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(none.error().location.file, "schema.json");
  EXPECT_FALSE(detect_format("[1,2,3]", "a"));
}

TEST(ImportEcosystem, NormalizesAndTypes) {
  EXPECT_EQ(normalize_ecosystem("Ubuntu:22.04:LTS"), "Ubuntu:22.04");
  EXPECT_EQ(normalize_ecosystem("Ubuntu:Pro:18.04:LTS"), "Ubuntu:Pro:18.04");
  EXPECT_EQ(normalize_ecosystem("Ubuntu:25.10"), "Ubuntu:25.10");
  for (std::string_view keep :
       {"Debian:12", "Alpine:v3.18", "AlmaLinux:9", "Rocky Linux:9", "PyPI"})
    EXPECT_EQ(normalize_ecosystem(keep), keep);
  EXPECT_EQ(version_type_of("Debian:12"), "deb");
  EXPECT_EQ(version_type_of("Ubuntu:Pro:18.04"), "deb");
  EXPECT_EQ(version_type_of("Alpine:v3.18"), "apk");
  EXPECT_EQ(version_type_of("Wolfi"), "apk");
  EXPECT_EQ(version_type_of("Chainguard"), "apk");
  EXPECT_EQ(version_type_of("AlmaLinux:9"), "rpm");
  EXPECT_EQ(version_type_of("Rocky Linux:8"), "rpm");
  EXPECT_EQ(version_type_of("openSUSE:Leap 15.5"), "rpm");
  EXPECT_EQ(version_type_of("SUSE:Linux Enterprise Server 15"), "rpm");
  EXPECT_EQ(version_type_of("PyPI"), "pypi");
  EXPECT_EQ(version_type_of("npm"), "npm");
  EXPECT_EQ(version_type_of("Go"), "golang");
  EXPECT_EQ(version_type_of("Maven"), "maven");
  EXPECT_EQ(version_type_of("RubyGems"), "gem");
  EXPECT_EQ(version_type_of("crates.io"), "cargo");
  EXPECT_EQ(version_type_of("Packagist"), "composer");
  EXPECT_EQ(version_type_of("NuGet"), "nuget");
  EXPECT_EQ(version_type_of("Bitnami"), "npm");
  EXPECT_EQ(version_type_of("Root:Debian:12"), "deb");
  EXPECT_EQ(version_type_of("CRAN"), "");
  EXPECT_EQ(version_type_of("Debianish"), "");
  EXPECT_EQ(debian_ecosystem("bookworm"), "Debian:12");
  EXPECT_EQ(debian_ecosystem("buster"), "Debian:10");
  EXPECT_EQ(debian_ecosystem("forky"), "Debian:14");
  EXPECT_EQ(debian_ecosystem("wheezy"), "Debian:7");
  EXPECT_EQ(debian_ecosystem("sid"), "");
  EXPECT_EQ(debian_ecosystem("bookworm-security"), "");
}

// ---------------------------------------------------------------- OSV

TEST(OsvImport, MapsJsonRecord) {
  auto a = parse_osv(R"({
    "id": "GHSA-xxxx", "modified": "2024-02-01T00:00:00Z", "published": "2024-01-01T00:00:00Z",
    "aliases": ["CVE-2024-1"], "upstream": ["CVE-2024-1", "CVE-2023-9"],
    "summary": "s", "details": "d",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                 {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
                 {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}],
    "database_specific": {"severity": "MODERATE"},
    "references": [{"type": "WEB", "url": "https://example.org/a"}, {"type": "WEB"}],
    "affected": [
      {"package": {"ecosystem": "PyPI", "name": "Zope.Interface__x", "purl": "pkg:pypi/zope"},
       "ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "abc"}]},
                  {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"},
                                                   {"introduced": "2.0"}, {"last_affected": "2.1"}]}],
       "versions": ["1.0", "1.1"]},
      {"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "openssl"},
       "ecosystem_specific": {"priority": "medium"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.1"}]}]},
      {"ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "abc"}]}]}
    ]})",
                     "x.json");
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_EQ(a->id, "GHSA-xxxx");
  EXPECT_EQ(a->aliases, (std::vector<std::string>{"CVE-2024-1", "CVE-2023-9"}));
  EXPECT_EQ(a->summary, "s");
  EXPECT_EQ(a->details, "d");
  EXPECT_EQ(a->published, "2024-01-01T00:00:00Z");
  EXPECT_EQ(a->modified, "2024-02-01T00:00:00Z");
  EXPECT_FALSE(a->withdrawn);
  EXPECT_EQ(a->vendor_severity, core::Severity::kMedium);
  ASSERT_EQ(a->cvss.size(), 3u);
  EXPECT_EQ(a->cvss[0].version, "3.1");
  EXPECT_EQ(a->cvss[1].version, "2.0");
  EXPECT_EQ(a->cvss[2].version, "4.0");
  for (const auto& c : a->cvss) EXPECT_EQ(c.score, -1);
  EXPECT_EQ(a->references, (std::vector<std::string>{"https://example.org/a"}));
  ASSERT_EQ(a->affected.size(), 2u);
  const Affected& py = a->affected[0];
  EXPECT_EQ(py.ecosystem, "PyPI");
  EXPECT_EQ(py.package, "zope-interface-x");
  EXPECT_EQ(py.version_type, "pypi");
  EXPECT_EQ(py.purl, "pkg:pypi/zope");
  ASSERT_EQ(py.ranges.size(), 1u);
  EXPECT_EQ(py.ranges[0].type, "ECOSYSTEM");
  ASSERT_EQ(py.ranges[0].events.size(), 4u);
  EXPECT_EQ(py.ranges[0].events[1].kind, Event::Kind::kFixed);
  EXPECT_EQ(py.ranges[0].events[1].version, "1.2");
  EXPECT_EQ(py.ranges[0].events[3].kind, Event::Kind::kLastAffected);
  EXPECT_EQ(py.versions, (std::vector<std::string>{"1.0", "1.1"}));
  const Affected& ub = a->affected[1];
  EXPECT_EQ(ub.ecosystem, "Ubuntu:22.04");
  EXPECT_EQ(ub.version_type, "deb");
  EXPECT_EQ(ub.severity, "medium");
}

TEST(OsvImport, YamlKeepsVersionsAsText) {
  auto a = parse_osv(
      "id: PYSEC-1\nmodified: 2023-01-01T00:00:00Z\nwithdrawn: 2023-02-01T00:00:00Z\n"
      "affected:\n- package: {ecosystem: PyPI, name: Foo_Bar}\n  ranges:\n  - type: ECOSYSTEM\n"
      "    events:\n    - introduced: \"0\"\n    - fixed: 1.10\n  versions: [1.0, 1.1]\n",
      "x.yaml");
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_TRUE(a->withdrawn);
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].package, "foo-bar");
  EXPECT_EQ(a->affected[0].ranges[0].events[1].version, "1.10");
  EXPECT_EQ(a->affected[0].versions, (std::vector<std::string>{"1.0", "1.1"}));
}

TEST(OsvImport, RejectsBadInput) {
  auto missing = parse_osv(R"({"modified": "x", "affected": []})", "osv/a.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(missing.error().location.file, "osv/a.json");
  auto broken = parse_osv("{\n  \"id\": \"X\",\n  oops\n}", "osv/b.json");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().location.file, "osv/b.json");
  EXPECT_EQ(broken.error().location.line, 3u);
  auto bad_yaml = parse_osv("id: [unclosed\n", "c.yaml");
  ASSERT_FALSE(bad_yaml);
  EXPECT_GT(bad_yaml.error().location.line, 0u);
  EXPECT_FALSE(parse_osv("", "empty"));
  EXPECT_FALSE(parse_osv("[]", "array"));
  EXPECT_FALSE(parse_osv(std::string(100000, '['), "deep.json"));
  std::string block_nesting;
  for (int i = 0; i < 5000; ++i) block_nesting += "- ";
  EXPECT_FALSE(parse_osv(block_nesting + "x\n", "deep.yaml"));
  std::string flow_nesting = "a: ";
  flow_nesting.append(5000, '[');
  EXPECT_FALSE(parse_osv(flow_nesting, "deep2.yaml"));
  // Aliases expanding exponentially must hit the node budget, not memory.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    char p = static_cast<char>(c - 1);
    laughs += fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n", c, p);
  }
  laughs += "id: X\n";
  EXPECT_FALSE(parse_osv(laughs, "laughs.yaml"));
}

TEST(OsvImport, CorpusCountsPerFolder) {
  MTR_REQUIRE_CORPUS();
  // {folder, files, skipped, advisories}; counted independently with a Python script.
  struct Expect {
    const char* folder;
    std::uint64_t files, skipped, advisories;
  };
  for (const Expect& e : std::vector<Expect>{{"_schema", 3, 3, 0},
                                             {"almalinux", 1413, 0, 1413},
                                             {"bitnami", 893, 0, 893},
                                             {"chainguard", 4, 1, 3},
                                             {"cpython", 133, 1, 132},
                                             {"cran", 14, 0, 14},
                                             {"crates.io", 1206, 0, 1206},
                                             {"debian", 1, 0, 1},
                                             {"ghsa", 32, 11, 21},
                                             {"go", 4291, 0, 4291},
                                             {"mixed", 20, 0, 20},
                                             {"pypi", 2661, 0, 2661},
                                             {"rocky", 3, 0, 3},
                                             {"ubuntu", 10, 0, 10}}) {
    SCOPED_TRACE(e.folder);
    auto c = read_all(vuln_dir() / "osv" / e.folder);
    EXPECT_EQ(c.stats.files, e.files);
    EXPECT_EQ(c.stats.skipped, e.skipped);
    EXPECT_EQ(c.stats.advisories, e.advisories);
    EXPECT_EQ(c.advisories.size(), e.advisories);
  }
}

TEST(OsvImport, CorpusWholeTreeAndKnownValues) {
  MTR_REQUIRE_CORPUS();
  auto c = read_all(vuln_dir() / "osv");
  EXPECT_EQ(c.stats.files, 10684u);
  EXPECT_EQ(c.stats.skipped, 16u);
  EXPECT_EQ(c.stats.advisories, 10668u);
  std::map<std::string, int> types;
  for (const auto& a : c.advisories) {
    EXPECT_FALSE(a.id.empty());
    for (const auto& af : a.affected) {
      ++types[af.version_type];
      for (const auto& r : af.ranges) {
        EXPECT_TRUE(r.type == "ECOSYSTEM" || r.type == "SEMVER") << a.id;
        EXPECT_FALSE(r.events.empty()) << a.id;
      }
    }
  }
  EXPECT_GT(types["golang"], 4000);
  EXPECT_GT(types["rpm"], 15000);
  EXPECT_GT(types["pypi"], 2600);

  const Advisory* withdrawn = find_id(c.advisories, "RUSTSEC-2020-0053");
  ASSERT_NE(withdrawn, nullptr);
  EXPECT_TRUE(withdrawn->withdrawn);
  EXPECT_EQ(withdrawn->affected.at(0).package, "dirs");
  EXPECT_EQ(withdrawn->affected.at(0).version_type, "cargo");

  const Advisory* ghsa = find_id(c.advisories, "GHSA-wjx8-cgrm-hh8p");
  ASSERT_NE(ghsa, nullptr);
  EXPECT_EQ(ghsa->vendor_severity, core::Severity::kHigh);
  EXPECT_EQ(ghsa->aliases, (std::vector<std::string>{"CVE-2019-19745"}));
  ASSERT_EQ(ghsa->cvss.size(), 1u);
  EXPECT_EQ(ghsa->cvss[0].version, "3.1");
  ASSERT_EQ(ghsa->affected.size(), 2u);
  EXPECT_EQ(ghsa->affected[1].package, "contao/core-bundle");
  EXPECT_EQ(ghsa->affected[1].version_type, "composer");
  EXPECT_EQ(ghsa->affected[1].ranges.at(0).events.at(0).version, "4.5.0");
  EXPECT_EQ(ghsa->affected[1].ranges.at(0).events.at(1).version, "4.8.6");

  const Advisory* pysec = find_id(c.advisories, "PYSEC-2020-342");
  ASSERT_NE(pysec, nullptr);
  EXPECT_EQ(pysec->aliases, (std::vector<std::string>{"CVE-2020-13921"}));
  ASSERT_EQ(pysec->affected.size(), 1u);
  const Affected& sky = pysec->affected[0];
  EXPECT_EQ(sky.package, "apache-skywalking");
  EXPECT_EQ(sky.ecosystem, "PyPI");
  ASSERT_EQ(sky.ranges.size(), 1u);
  ASSERT_EQ(sky.ranges[0].events.size(), 1u);
  EXPECT_EQ(sky.ranges[0].events[0].kind, Event::Kind::kIntroduced);
  EXPECT_EQ(sky.ranges[0].events[0].version, "0");
  EXPECT_EQ(sky.versions.size(), 10u);
  EXPECT_EQ(sky.versions.back(), "1.0.1");
  ASSERT_EQ(pysec->cvss.size(), 1u);
  EXPECT_EQ(pysec->cvss[0].version, "3.1");
}

TEST(OsvImport, UbuntuProEcosystemsAndSeverity) {
  MTR_REQUIRE_CORPUS();
  auto c = read_all(vuln_dir() / "osv" / "ubuntu");
  int pro = 0;
  int with_severity = 0;
  for (const auto& a : c.advisories) {
    for (const auto& af : a.affected) {
      EXPECT_EQ(af.ecosystem.find(":LTS"), std::string::npos);
      EXPECT_EQ(af.version_type, "deb");
      if (af.ecosystem.starts_with("Ubuntu:Pro:")) ++pro;
      if (!af.severity.empty()) ++with_severity;
    }
  }
  EXPECT_EQ(pro, 20);
  EXPECT_GT(with_severity, 0);
}

TEST(OsvImport, ReadsZipArchive) {
  MTR_REQUIRE_CORPUS();
  test::TempDir dir;
  fs::path zip = dir.path() / "all.zip";
  fs::path osv = vuln_dir() / "osv";
  auto r = test::run_command(
      {"zip", "-j", "-q", zip.string(), (osv / "crates.io" / "RUSTSEC-2020-0053.json").string(),
       (osv / "pypi" / "apache-skywalking" / "PYSEC-2020-342.yaml").string(),
       (osv / "_schema" / "README.md").string(), (osv / "_schema" / "schema.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto c = read_all(zip);
  EXPECT_EQ(c.stats.files, 4u);
  EXPECT_EQ(c.stats.skipped, 2u);
  EXPECT_EQ(c.stats.advisories, 2u);
  EXPECT_NE(find_id(c.advisories, "RUSTSEC-2020-0053"), nullptr);
  EXPECT_NE(find_id(c.advisories, "PYSEC-2020-342"), nullptr);

  test::write_file(dir.path() / "bad.zip", "not a zip");
  auto bad = read_advisories((dir.path() / "bad.zip").string(), Format::kAuto,
                             [](Advisory&&) -> core::Status { return {}; });
  EXPECT_FALSE(bad);
}

TEST(ImportRead, ErrorsAndSinkStops) {
  test::TempDir dir;
  EXPECT_EQ(read_advisories((dir.path() / "absent").string(), Format::kAuto,
                            [](Advisory&&) -> core::Status { return {}; })
                .error()
                .code,
            core::ErrorCode::kNotFound);
  test::write_file(dir.path() / "a.json", R"({"id":"A","modified":"x"})");
  test::write_file(dir.path() / "b.json", R"({"id":"B","modified":"x"})");
  test::write_file(dir.path() / "notes.txt", "hello");
  int seen = 0;
  auto r = read_advisories(dir.path().string(), Format::kAuto, [&](Advisory&& a) -> core::Status {
    ++seen;
    if (a.id == "A") return core::fail(core::ErrorCode::kInternal, "stop");
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "stop");
  EXPECT_EQ(seen, 1);  // sorted: a.json first
  // A single file that is no known format is an error; in a directory it is skipped.
  test::write_file(dir.path() / "other.json", R"({"x": 1})");
  EXPECT_FALSE(read_advisories((dir.path() / "other.json").string(), Format::kAuto,
                               [](Advisory&&) -> core::Status { return {}; }));
  test::write_file(dir.path() / "broken.json", "{");
  auto broken = read_advisories(dir.path().string(), Format::kOsv,
                                [](Advisory&&) -> core::Status { return {}; });
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().location.file.find("broken.json"), std::string::npos);
}

// ---------------------------------------------------------------- Debian tracker

TEST(DebianTrackerImport, StatusRules) {
  auto all = collect_tracker(R"({
    "openssl": {
      "CVE-2024-1": {"description": "desc", "scope": "remote", "debianbug": 1234, "releases": {
        "bookworm": {"status": "resolved", "fixed_version": "3.0.13-1~deb12u1", "urgency": "medium",
                     "repositories": {"bookworm": "3.0.11-1~deb12u2"}},
        "bullseye": {"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "ignored"},
        "buster": {"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "postponed"},
        "trixie": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"},
        "forky": {"status": "undetermined", "urgency": "not yet assigned"},
        "stretch": {"status": "open", "urgency": "end-of-life"},
        "jessie": {"status": "open", "urgency": "unimportant"},
        "wheezy": {"status": "resolved", "fixed_version": "1.0", "urgency": "unimportant"},
        "sid": {"status": "resolved", "fixed_version": "3.0.13-1"},
        "experimental": {"status": "open"}
      }},
      "TEMP-0000000-ABCDEF": {"releases": {"bookworm": {"status": "open", "urgency": "low", "nodsa": "Minor"}}}
    },
    "empty": [],
    "zlib": {"CVE-2024-2": {"releases": []}}
  })");
  ASSERT_EQ(all.size(), 3u);
  const Advisory& a = all[0];
  EXPECT_EQ(a.id, "CVE-2024-1");
  EXPECT_EQ(a.summary, "desc");
  ASSERT_EQ(a.affected.size(), 8u);  // sid and experimental skipped
  for (const auto& af : a.affected) {
    EXPECT_EQ(af.package, "openssl");
    EXPECT_EQ(af.version_type, "deb");
  }
  const Affected* bookworm = find_eco(a, "Debian:12");
  ASSERT_NE(bookworm, nullptr);
  EXPECT_EQ(bookworm->status, Status::kAffected);
  EXPECT_EQ(bookworm->severity, "medium");
  ASSERT_EQ(bookworm->ranges.size(), 1u);
  EXPECT_EQ(bookworm->ranges[0].type, "ECOSYSTEM");
  ASSERT_EQ(bookworm->ranges[0].events.size(), 2u);
  EXPECT_EQ(bookworm->ranges[0].events[0].version, "0");
  EXPECT_EQ(bookworm->ranges[0].events[1].kind, Event::Kind::kFixed);
  EXPECT_EQ(bookworm->ranges[0].events[1].version, "3.0.13-1~deb12u1");
  const Affected* bullseye = find_eco(a, "Debian:11");
  EXPECT_EQ(bullseye->status, Status::kWillNotFix);
  EXPECT_EQ(bullseye->note, "no-dsa: ignored");
  ASSERT_EQ(bullseye->ranges.at(0).events.size(), 1u);
  EXPECT_EQ(find_eco(a, "Debian:10")->status, Status::kDeferred);
  const Affected* trixie = find_eco(a, "Debian:13");
  EXPECT_EQ(trixie->status, Status::kNotAffected);
  EXPECT_TRUE(trixie->ranges.empty());
  EXPECT_EQ(trixie->severity, "unimportant");
  EXPECT_EQ(find_eco(a, "Debian:14")->status, Status::kUndetermined);
  EXPECT_EQ(find_eco(a, "Debian:14")->ranges.at(0).events.size(), 1u);
  const Affected* stretch = find_eco(a, "Debian:9");
  EXPECT_EQ(stretch->status, Status::kAffected);
  EXPECT_EQ(stretch->note, "end-of-life");
  EXPECT_EQ(find_eco(a, "Debian:8")->status, Status::kUnimportant);
  const Affected* wheezy = find_eco(a, "Debian:7");
  EXPECT_EQ(wheezy->status, Status::kUnimportant);
  EXPECT_EQ(wheezy->ranges.at(0).events.at(1).version, "1.0");
  EXPECT_EQ(all[1].id, "TEMP-0000000-ABCDEF");
  EXPECT_EQ(all[1].affected.at(0).note, "no-dsa: Minor");
  EXPECT_EQ(all[2].id, "CVE-2024-2");
  EXPECT_TRUE(all[2].affected.empty());
}

TEST(DebianTrackerImport, RejectsBadInput) {
  auto sink = [](Advisory&&) -> core::Status { return {}; };
  for (std::string_view bad : {"", "[]", "{", R"({"a": "b"})", R"({"a": {"CVE-1": 3}})",
                               R"({"a": {"CVE-1": {"releases": "x"}}})"}) {
    SCOPED_TRACE(bad);
    auto st = parse_debian_tracker(bad, "tracker.json", sink);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(st.error().location.file, "tracker.json");
  }
  EXPECT_FALSE(parse_debian_tracker(std::string(1 << 16, '{'), "deep.json", sink));
}

TEST(DebianTrackerImport, CorpusSubsets) {
  MTR_REQUIRE_CORPUS();
  fs::path json = vuln_dir() / "debian-tracker" / "json";
  auto whole = read_all(json);
  EXPECT_EQ(whole.stats.files, 4u);
  EXPECT_EQ(whole.stats.skipped, 2u);  // vunnel's legacy normalised records are not tracker data
  EXPECT_EQ(whole.stats.advisories, 10u);

  auto vunnel = read_all(json / "vunnel-subset" / "debian.json", Format::kDebianTracker);
  EXPECT_EQ(vunnel.stats.advisories, 7u);
  const Advisory* proto = find_id(vunnel.advisories, "CVE-2008-7220", "prototypejs");
  ASSERT_NE(proto, nullptr);
  EXPECT_EQ(proto->affected.size(), 3u);  // stretch, jessie, buster; sid skipped
  const Affected* stretch = find_eco(*proto, "Debian:9");
  ASSERT_NE(stretch, nullptr);
  EXPECT_EQ(stretch->status, Status::kAffected);
  EXPECT_EQ(stretch->severity, "high**");
  EXPECT_EQ(stretch->ranges.at(0).events.at(1).version, "1.6.0.2-1");
  const Advisory* never = find_id(vunnel.advisories, "CVE-2007-2383", "prototypejs");
  ASSERT_NE(never, nullptr);
  EXPECT_EQ(find_eco(*never, "Debian:10")->status, Status::kNotAffected);
  const Advisory* chromium = find_id(vunnel.advisories, "CVE-2022-0456", "chromium");
  ASSERT_NE(chromium, nullptr);
  EXPECT_EQ(find_eco(*chromium, "Debian:11")->ranges.at(0).events.at(1).version,
            "98.0.4758.80-1~deb11u1");
  EXPECT_EQ(find_eco(*chromium, "Debian:10")->note, "end-of-life");
  EXPECT_EQ(find_eco(*chromium, "Debian:10")->ranges.at(0).events.size(), 1u);
  const Advisory* no_releases = find_id(vunnel.advisories, "CVE-2022-0358");
  ASSERT_NE(no_releases, nullptr);
  EXPECT_TRUE(no_releases->affected.empty());

  auto osvdev = read_all(json / "osv.dev-subset");
  EXPECT_EQ(osvdev.stats.advisories, 3u);
  const Advisory* aa = find_id(osvdev.advisories, "CVE-2016-1585", "apparmor");
  ASSERT_NE(aa, nullptr);
  EXPECT_EQ(find_eco(*aa, "Debian:12")->status, Status::kUnimportant);
  EXPECT_EQ(find_eco(*aa, "Debian:13")->status, Status::kUnimportant);
  EXPECT_EQ(find_eco(*aa, "Debian:13")->ranges.at(0).events.at(1).version, "3.0.12-1");
  EXPECT_EQ(find_eco(*find_id(osvdev.advisories, "CVE-2014-1424"), "Debian:11")->status,
            Status::kNotAffected);
}

TEST(DebianTrackerImport, DerivedTrackerMatchesDerivedOsv) {
  MTR_REQUIRE_CORPUS();
  fs::path derived = vuln_dir() / "debian-derived";
  auto tracker = read_all(derived / "tracker.json");
  EXPECT_EQ(tracker.stats.advisories, 1505u);
  auto osv = read_all(derived / "osv");
  EXPECT_EQ(osv.stats.files, 1505u);
  EXPECT_EQ(osv.stats.advisories, 1505u);
  // Both forms say the same: (source, CVE) → fixed version in Debian:12.
  std::map<std::pair<std::string, std::string>, std::string> from_tracker;
  for (const auto& a : tracker.advisories) {
    ASSERT_EQ(a.affected.size(), 1u) << a.id;
    const Affected& af = a.affected[0];
    EXPECT_EQ(af.ecosystem, "Debian:12");
    EXPECT_EQ(af.status, Status::kAffected);
    from_tracker[{af.package, a.id}] = af.ranges.at(0).events.at(1).version;
  }
  EXPECT_EQ(from_tracker.size(), 1505u);
  std::size_t agree = 0;
  for (const auto& a : osv.advisories) {
    ASSERT_EQ(a.affected.size(), 1u) << a.id;
    ASSERT_FALSE(a.aliases.empty()) << a.id;
    const Affected& af = a.affected[0];
    EXPECT_EQ(af.version_type, "deb");
    EXPECT_FALSE(af.severity.empty()) << a.id;  // database_specific.urgency
    auto it = from_tracker.find({af.package, a.aliases[0]});
    if (it != from_tracker.end() && it->second == af.ranges.at(0).events.at(1).version) ++agree;
  }
  EXPECT_EQ(agree, 1505u);
  const Advisory* acl = find_id(tracker.advisories, "CVE-2009-4411", "acl");
  ASSERT_NE(acl, nullptr);
  EXPECT_EQ(acl->affected[0].ranges[0].events[1].version, "2.2.49-2");
  EXPECT_EQ(acl->affected[0].severity, "low");
}

// ---------------------------------------------------------------- Alpine secdb

TEST(AlpineSecdbImport, MapsYaml) {
  auto all = collect_secdb(R"(---
distroversion: "3.18"
reponame: main
urlprefix: https://dl-cdn.alpinelinux.org/alpine
packages:
  - pkg:
      name: xen
      secfixes:
        4.9.1-r0:
          - CVE-2017-1 CVE-2017-2
          - XSA-123
          - CVE-2017-14450 TALOS-2017-0499
          - CVE-????-????? (BGP)
        4.9.2-r0:
          - CVE-2017-1
        "0":
          - CVE-2016-9
  - pkg:
      name: nofixes
)");
  // Within a package, advisories follow the secfixes keys in sorted order.
  ASSERT_EQ(all.size(), 5u);
  const Advisory* first = find_id(all, "CVE-2017-1");
  ASSERT_NE(first, nullptr);
  const Affected& af = first->affected.at(0);
  EXPECT_EQ(af.ecosystem, "Alpine:v3.18");
  EXPECT_EQ(af.package, "xen");
  EXPECT_EQ(af.version_type, "apk");
  EXPECT_EQ(af.status, Status::kAffected);
  EXPECT_EQ(af.ranges.at(0).events.at(1).version, "4.9.2-r0");  // the later fix wins
  EXPECT_NE(find_id(all, "CVE-2017-2"), nullptr);
  EXPECT_NE(find_id(all, "XSA-123"), nullptr);
  const Advisory* talos = find_id(all, "CVE-2017-14450");
  ASSERT_NE(talos, nullptr);
  EXPECT_EQ(talos->aliases, (std::vector<std::string>{"TALOS-2017-0499"}));
  const Advisory* never = find_id(all, "CVE-2016-9");
  ASSERT_NE(never, nullptr);
  EXPECT_EQ(never->affected.at(0).status, Status::kNotAffected);
  EXPECT_TRUE(never->affected.at(0).ranges.empty());
}

TEST(AlpineSecdbImport, EcosystemFromFeed) {
  auto eco = [](std::string_view head) {
    auto all = collect_secdb(
        std::string(head) +
        R"(, "packages": [{"pkg": {"name": "a", "secfixes": {"1-r0": ["CVE-1-1"]}}}]})");
    return all.empty() ? std::string("?") : all[0].affected.at(0).ecosystem;
  };
  EXPECT_EQ(
      eco(R"({"distroversion": "v3.10", "urlprefix": "http://dl-cdn.alpinelinux.org/alpine")"),
      "Alpine:v3.10");
  EXPECT_EQ(eco(R"({"urlprefix": "https://packages.wolfi.dev")"), "Wolfi");
  EXPECT_EQ(eco(R"({"urlprefix": "https://libraries.cgr.dev")"), "Chainguard");
  EXPECT_EQ(eco(R"({"distroversion": "v1", "urlprefix": "https://apk.cve0.io")"),
            "apk:apk.cve0.io");
  auto st = parse_alpine_secdb(R"({"packages": [{"pkg": {"name": "a", "secfixes": {}}}]})",
                               "s.json", [](Advisory&&) -> core::Status { return {}; });
  EXPECT_FALSE(st);
}

TEST(AlpineSecdbImport, RejectsBadInput) {
  auto sink = [](Advisory&&) -> core::Status { return {}; };
  for (std::string_view bad : {"[]", "{", "packages: 3\ndistroversion: v3.1\n", "a: [b\n"}) {
    SCOPED_TRACE(bad);
    auto st = parse_alpine_secdb(bad, "secdb.yaml", sink);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(st.error().location.file, "secdb.yaml");
  }
}

TEST(AlpineSecdbImport, CorpusCountsAndValues) {
  MTR_REQUIRE_CORPUS();
  fs::path secdb = vuln_dir() / "alpine-secdb";
  auto whole = read_all(secdb);
  EXPECT_EQ(whole.stats.files, 30u);
  EXPECT_EQ(whole.stats.skipped, 3u);  // v3.3 community (no packages), all.json, latest.json
  EXPECT_EQ(whole.stats.advisories, 12247u);
  EXPECT_EQ(read_all(secdb / "alpinelinux-alpine-secdb").stats.advisories, 11877u);
  EXPECT_EQ(read_all(secdb / "vunnel-inputs").stats.advisories, 361u);
  EXPECT_EQ(read_all(secdb / "claircore-fixture").stats.advisories, 9u);

  auto v38 = read_all(secdb / "alpinelinux-alpine-secdb" / "v3.8" / "main.yaml");
  const Advisory* db = find_id(v38.advisories, "CVE-2016-0682", "db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->affected.at(0).status, Status::kNotAffected);
  EXPECT_EQ(db->affected.at(0).ecosystem, "Alpine:v3.8");

  auto v310 = read_all(secdb / "alpinelinux-alpine-secdb" / "v3.10" / "main.yaml");
  const Advisory* ansible = find_id(v310.advisories, "CVE-2019-10217", "ansible");
  ASSERT_NE(ansible, nullptr);
  EXPECT_EQ(ansible->affected.at(0).status, Status::kAffected);
  EXPECT_EQ(ansible->affected.at(0).ranges.at(0).events.at(1).version, "2.8.4-r0");

  auto wolfi = read_all(secdb / "vunnel-inputs" / "wolfi");
  ASSERT_FALSE(wolfi.advisories.empty());
  for (const auto& a : wolfi.advisories) EXPECT_EQ(a.affected.at(0).ecosystem, "Wolfi");
  auto cg = read_all(secdb / "vunnel-inputs" / "chainguard" / "test-fixtures" / "input" / "secdb");
  ASSERT_EQ(cg.stats.advisories, 197u);
  for (const auto& a : cg.advisories) EXPECT_EQ(a.affected.at(0).ecosystem, "Chainguard");
  auto secureos = read_all(secdb / "vunnel-inputs" / "secureos" / "test-fixtures" / "input" /
                           "secdb" / "secdb.json");
  const Advisory* busybox = find_id(secureos.advisories, "CVE-2025-46394", "busybox");
  ASSERT_NE(busybox, nullptr);
  EXPECT_EQ(busybox->affected.at(0).status, Status::kNotAffected);
}

}  // namespace
}  // namespace mtr::vulndb
