#include "match/policy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace mtr::match {
namespace {

core::Finding vuln(std::string id, std::string package, std::string purl,
                   core::Severity severity = core::Severity::kHigh,
                   std::vector<std::string> aliases = {}) {
  core::Finding f;
  f.id = std::move(id);
  f.aliases = std::move(aliases);
  f.severity = severity;
  f.properties["package"] = std::move(package);
  f.properties["purl"] = std::move(purl);
  return f;
}

std::vector<IgnoreRule> rules(std::string_view text, std::string_view origin = ".trivyignore") {
  auto parsed = parse_ignore_file(text, origin);
  EXPECT_TRUE(parsed.has_value()) << parsed.error().to_string();
  return parsed ? *parsed : std::vector<IgnoreRule>{};
}

std::vector<VexStatement> vex(std::string_view json, std::string_view origin = "vex.json") {
  auto parsed = parse_openvex(json, origin);
  EXPECT_TRUE(parsed.has_value()) << parsed.error().to_string();
  return parsed ? *parsed : std::vector<VexStatement>{};
}

std::vector<std::string> ids(const std::vector<core::Finding>& findings) {
  std::vector<std::string> out;
  out.reserve(findings.size());
  for (const auto& f : findings) out.push_back(f.id + " " + f.properties.at("package"));
  return out;
}

// ---------------------------------------------------------------------------------------------

TEST(IgnoreFileTest, TrivyTextForm) {
  auto r = rules(
      "# Accept the risk\n"
      "CVE-2018-14618\n"
      "\n"
      "  # indented comment\n"
      "CVE-2019-14697 exp:2023-01-01\r\n"
      "GHSA-xxxx-yyyy-zzzz\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].id, "CVE-2018-14618");
  EXPECT_EQ(r[0].origin, ".trivyignore:2");
  EXPECT_TRUE(r[0].package.empty());
  EXPECT_EQ(r[1].id, "CVE-2019-14697");
  EXPECT_EQ(r[1].expires, "2023-01-01");
  EXPECT_EQ(r[1].origin, ".trivyignore:5");
  EXPECT_EQ(r[2].id, "GHSA-xxxx-yyyy-zzzz");
}

TEST(IgnoreFileTest, PackageExpiryAndReason) {
  auto r = rules(
      "CVE-2023-1 openssl exp:2030-12-31 # no TLS in this image\n"
      "CVE-2023-2 exp:2030-01-01 pkg:deb/debian/openssl\n"
      "CVE-2023-3 pkg:golang/example.com/mod#sub/dir #reason with # inside\n",
      ".matryoshkaignore");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].package, "openssl");
  EXPECT_EQ(r[0].expires, "2030-12-31");
  EXPECT_EQ(r[0].reason, "no TLS in this image");
  EXPECT_EQ(r[1].package, "pkg:deb/debian/openssl");
  EXPECT_EQ(r[1].expires, "2030-01-01");
  EXPECT_EQ(r[2].package, "pkg:golang/example.com/mod#sub/dir");
  EXPECT_EQ(r[2].reason, "reason with # inside");
}

TEST(IgnoreFileTest, BadDateNamesFileAndLine) {
  for (const char* date : {"2024-02-30", "2023-13-01", "tomorrow", "2024-1-1", ""}) {
    std::string text = std::string("CVE-1\n# c\nCVE-2 exp:") + date + "\n";
    auto parsed = parse_ignore_file(text, "ignore.txt");
    ASSERT_FALSE(parsed.has_value()) << date;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(parsed.error().to_string().find("ignore.txt:3"), std::string::npos)
        << parsed.error().to_string();
  }
  EXPECT_TRUE(parse_ignore_file("CVE-2 exp:2024-02-29\n", "f").has_value());  // leap day
}

TEST(IgnoreFileTest, BadLinesAreErrors) {
  auto extra = parse_ignore_file("CVE-1 openssl libssl3\n", "f");
  ASSERT_FALSE(extra.has_value());
  EXPECT_NE(extra.error().to_string().find("f:1"), std::string::npos);
  EXPECT_NE(extra.error().message.find("libssl3"), std::string::npos);
  EXPECT_FALSE(parse_ignore_file("exp:2024-01-01\n", "f").has_value());
  EXPECT_FALSE(parse_ignore_file("CVE-1 exp:2024-01-01 exp:2025-01-01\n", "f").has_value());
  EXPECT_FALSE(parse_ignore_file(std::string("CVE-1\x01\n", 7), "f").has_value());
  auto empty = parse_ignore_file("", "f");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST(IgnoreFileTest, TrivyYamlForm) {
  auto r = rules(
      "vulnerabilities:\n"
      "  - id: CVE-2022-40897\n"
      "    paths:\n"
      "      - \"usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA\"\n"
      "    statement: Accept the risk\n"
      "  - id: CVE-2023-2650\n"
      "  - id: CVE-2023-3817\n"
      "    purls:\n"
      "      - \"pkg:deb/debian/libssl1.1\"\n"
      "      - \"pkg:deb/debian/openssl\"\n"
      "    expired_at: 2024-10-29\n"
      "misconfigurations:\n"
      "  - id: AVD-DS-0002\n"
      "secrets:\n"
      "licenses:\n",
      ".trivyignore.yaml");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].id, "CVE-2022-40897");
  EXPECT_EQ(r[0].package,
            "usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA");
  EXPECT_EQ(r[0].reason, "Accept the risk");
  EXPECT_EQ(r[0].origin, ".trivyignore.yaml:2");
  EXPECT_EQ(r[1].id, "CVE-2023-2650");
  EXPECT_TRUE(r[1].package.empty());
  EXPECT_EQ(r[2].package, "pkg:deb/debian/libssl1.1");
  EXPECT_EQ(r[3].package, "pkg:deb/debian/openssl");
  EXPECT_EQ(r[3].expires, "2024-10-29");
  EXPECT_EQ(r[3].origin, ".trivyignore.yaml:7");
  EXPECT_EQ(r[4].id, "AVD-DS-0002");
}

TEST(IgnoreFileTest, YamlOurKeys) {
  auto r = rules(
      "# comments first\n"
      "vulnerabilities:\n"
      "- id: GHSA-aaaa-bbbb-cccc\n"
      "  package: lodash\n"
      "  expires: \"2031-01-31\"\n"
      "  reason: not reachable\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].package, "lodash");
  EXPECT_EQ(r[0].expires, "2031-01-31");
  EXPECT_EQ(r[0].reason, "not reachable");
  EXPECT_EQ(r[0].origin, ".trivyignore:3");
}

TEST(IgnoreFileTest, YamlErrorsNameLine) {
  auto bad_date = parse_ignore_file(
      "vulnerabilities:\n"
      "  - id: CVE-1\n"
      "  - id: CVE-2\n"
      "    expired_at: 2024-02-31\n",
      "x.yaml");
  ASSERT_FALSE(bad_date.has_value());
  EXPECT_NE(bad_date.error().to_string().find("x.yaml:4"), std::string::npos)
      << bad_date.error().to_string();

  auto no_id = parse_ignore_file("vulnerabilities:\n  - statement: why\n", "x.yaml");
  ASSERT_FALSE(no_id.has_value());
  EXPECT_NE(no_id.error().to_string().find("x.yaml:2"), std::string::npos);

  EXPECT_FALSE(parse_ignore_file("vulnerabilities: [\n", "x.yaml").has_value());
  EXPECT_FALSE(parse_ignore_file("vulnerabilities: CVE-1\n", "x.yaml").has_value());
  EXPECT_FALSE(parse_ignore_file("vulnerabilities:\n  - CVE-1\n", "x.yaml").has_value());
  EXPECT_FALSE(parse_ignore_file("vulnerabilities:\n  - id: [a, b]\n", "x.yaml").has_value());
}

// ---------------------------------------------------------------------------------------------

constexpr const char* kVexDoc = R"({
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex-1",
  "author": "Example",
  "timestamp": "2024-01-01T00:00:00Z",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-2023-0001",
                        "name": "CVE-2023-0001", "aliases": ["GHSA-1111-2222-3333"]},
      "products": [
        {"@id": "pkg:oci/app@sha256%3Aabcd",
         "subcomponents": [{"@id": "pkg:deb/debian/openssl"}]},
        {"@id": "pkg:apk/wolfi/foo@1.0", "identifiers": {"purl": "pkg:apk/wolfi/foo@1.0?arch=x86_64"}}
      ],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "not called"
    },
    {
      "vulnerability": {"name": "CVE-2023-0002"},
      "products": [{"identifiers": {"purl": "pkg:npm/lodash@4.17.20"}}],
      "status": "affected",
      "action_statement": "upgrade"
    }
  ]
})";

TEST(OpenVexTest, ParsesStatementsOnePerProduct) {
  auto s = vex(kVexDoc);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].vulnerability, "CVE-2023-0001");
  EXPECT_EQ(s[0].aliases,
            (std::vector<std::string>{"https://nvd.nist.gov/vuln/detail/CVE-2023-0001",
                                      "GHSA-1111-2222-3333"}));
  EXPECT_EQ(s[0].products, std::vector<std::string>{"pkg:oci/app@sha256%3Aabcd"});
  EXPECT_EQ(s[0].subcomponents, std::vector<std::string>{"pkg:deb/debian/openssl"});
  EXPECT_EQ(s[0].status, "not_affected");
  EXPECT_EQ(s[0].justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(s[0].impact_statement, "not called");
  EXPECT_EQ(s[0].origin, "vex.json: statement 1");
  EXPECT_EQ(s[1].products, (std::vector<std::string>{"pkg:apk/wolfi/foo@1.0",
                                                     "pkg:apk/wolfi/foo@1.0?arch=x86_64"}));
  EXPECT_TRUE(s[1].subcomponents.empty());
  EXPECT_EQ(s[2].vulnerability, "CVE-2023-0002");
  EXPECT_EQ(s[2].products, std::vector<std::string>{"pkg:npm/lodash@4.17.20"});
  EXPECT_EQ(s[2].status, "affected");
  EXPECT_EQ(s[2].origin, "vex.json: statement 2");
}

TEST(OpenVexTest, LegacyStringForms) {
  auto s = vex(R"({"@context": "https://openvex.dev/ns", "statements": [
    {"vulnerability": "CVE-2022-1", "products": ["pkg:deb/debian/curl", "alpine:3.18"],
     "subcomponents": ["pkg:apk/alpine/busybox"], "status": "fixed"}]})");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].vulnerability, "CVE-2022-1");
  EXPECT_EQ(s[0].products, std::vector<std::string>{"pkg:deb/debian/curl"});
  EXPECT_EQ(s[1].products, std::vector<std::string>{"alpine:3.18"});
  EXPECT_EQ(s[1].subcomponents, std::vector<std::string>{"pkg:apk/alpine/busybox"});
}

TEST(OpenVexTest, InvalidDocumentsAreErrors) {
  auto status = parse_openvex(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}], "status": "fixed"},
    {"vulnerability": {"name": "CVE-2"}, "products": [{"@id": "pkg:npm/a"}], "status": "ok"}]})",
                              "v.json");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(status.error().to_string().find("v.json"), std::string::npos);
  EXPECT_NE(status.error().to_string().find("statement 2"), std::string::npos);
  EXPECT_NE(status.error().message.find("'ok'"), std::string::npos);

  auto no_justification = parse_openvex(
      R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "not_affected"}]})",
      "v.json");
  ASSERT_FALSE(no_justification.has_value());
  EXPECT_NE(no_justification.error().message.find("justification"), std::string::npos);

  auto bad_json = parse_openvex("{\n  \"@context\": \n}", "v.json");
  ASSERT_FALSE(bad_json.has_value());
  EXPECT_NE(bad_json.error().to_string().find("v.json:3"), std::string::npos)
      << bad_json.error().to_string();

  for (const char* text :
       {"[]", R"({"statements": []})", R"({"@context": "https://cyclonedx.org", "statements": []})",
        R"({"@context": "https://openvex.dev/ns", "statements": {}})",
        R"({"@context": "https://openvex.dev/ns", "statements": [{"status": "fixed"}]})",
        R"({"@context": "https://openvex.dev/ns", "statements": [
             {"vulnerability": 5, "status": "fixed"}]})",
        R"({"@context": "https://openvex.dev/ns", "statements": [
             {"vulnerability": "CVE-1", "status": "fixed", "products": [7]}]})",
        R"({"@context": "https://openvex.dev/ns", "statements": [
             {"vulnerability": "CVE-1", "status": "fixed", "timestamp": "yesterday"}]})"}) {
    EXPECT_FALSE(parse_openvex(text, "v.json").has_value()) << text;
  }
}

TEST(OpenVexTest, OrdersStatementsByTimestamp) {
  auto s = vex(R"({"@context": "https://openvex.dev/ns/v0.2.0",
    "timestamp": "2023-01-09T09:08:42-06:00", "statements": [
    {"timestamp": "2023-01-10T00:00:00Z", "vulnerability": {"name": "CVE-1"},
     "products": [{"@id": "pkg:npm/a"}], "status": "fixed"},
    {"timestamp": "2023-01-08T18:02:03-06:00", "vulnerability": {"name": "CVE-1"},
     "products": [{"@id": "pkg:npm/a"}], "status": "under_investigation"},
    {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
     "status": "affected"}]})");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].status, "under_investigation");  // 2023-01-09T00:02:03Z
  EXPECT_EQ(s[1].status, "affected");             // the document's 2023-01-09T15:08:42Z
  EXPECT_EQ(s[2].status, "fixed");
}

// Every OpenVEX document in the peers' test data parses.
TEST(OpenVexTest, CorpusDocuments) {
  MTR_REQUIRE_CORPUS();
  const auto root = test::corpus_dir() / "vuln" / "peers";
  std::vector<std::filesystem::path> documents;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::string text = test::read_file(entry.path());
    if (text.find("\"@context\"") == std::string::npos ||
        text.find("https://openvex.dev/ns") == std::string::npos)
      continue;
    documents.push_back(entry.path());
    auto parsed = parse_openvex(text, entry.path().string());
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
    EXPECT_FALSE(parsed->empty()) << entry.path();
    for (const auto& s : *parsed) {
      EXPECT_FALSE(s.vulnerability.empty()) << s.origin;
      EXPECT_FALSE(s.products.empty()) << s.origin;
    }
  }
  EXPECT_GE(documents.size(), 8u);

  auto ubuntu = parse_openvex(
      test::read_file(root / "vunnel/provider-fixtures/ubuntu/test-fixtures/vex/cve/2023/"
                             "CVE-2023-38545.json"),
      "ubuntu.json");
  ASSERT_TRUE(ubuntu.has_value());
  EXPECT_EQ(ubuntu->size(), 149u + 113u + 356u);
  EXPECT_EQ(ubuntu->front().vulnerability, "CVE-2023-38545");

  auto chainguard = parse_openvex(
      test::read_file(root / "vunnel/provider-fixtures/chainguard_libraries/test-fixtures/input/"
                             "openvex/pypi/urllib3.openvex.json"),
      "cg.json");
  ASSERT_TRUE(chainguard.has_value());
  ASSERT_EQ(chainguard->size(), 2u);
  EXPECT_EQ(chainguard->front().vulnerability, "CGA-7qjw-ggh3-pp9f");
  EXPECT_EQ(chainguard->front().products,
            std::vector<std::string>{"pkg:pypi/urllib3@1.26.16%2Bcgr.0"});
}

// ---------------------------------------------------------------------------------------------

TEST(PolicyTest, SeverityFilterDropsWithoutRecording) {
  PolicyOptions options;
  options.severities = {core::Severity::kCritical, core::Severity::kHigh};
  auto result = apply_policy({vuln("CVE-1", "a", "pkg:npm/a@1", core::Severity::kLow),
                              vuln("CVE-2", "b", "pkg:npm/b@1", core::Severity::kCritical),
                              vuln("CVE-3", "c", "pkg:npm/c@1", core::Severity::kUnknown)},
                             options);
  EXPECT_EQ(ids(result.findings), std::vector<std::string>{"CVE-2 b"});
  EXPECT_TRUE(result.suppressed.empty());
  EXPECT_EQ(apply_policy({vuln("CVE-1", "a", "")}, PolicyOptions{}).findings.size(), 1u);
}

TEST(PolicyTest, IgnoreByIdAliasAndPackage) {
  PolicyOptions options;
  options.ignores = rules(
      "cve-2023-0001\n"
      "GHSA-2222-3333-4444 # alias\n"
      "CVE-2023-0003 openssl\n"
      "CVE-2023-0004 pkg:deb/debian/libssl3\n"
      "CVE-2023-0005 pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1\n"
      "CVE-2023-0006 usr/lib/app/**/package.json\n");
  auto result = apply_policy(
      {vuln("CVE-2023-0001", "a", "pkg:npm/a@1"),
       vuln("CVE-2023-0002", "b", "pkg:npm/b@1", core::Severity::kHigh, {"GHSA-2222-3333-4444"}),
       vuln("CVE-2023-0003", "openssl", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64"),
       vuln("CVE-2023-0003", "curl", "pkg:deb/debian/curl@7.88.1-10?arch=amd64"),
       vuln("CVE-2023-0004", "libssl3",
            "pkg:deb/debian/libssl3@3.0.11-1?arch=amd64&distro=debian-12"),
       vuln("CVE-2023-0005", "zlib1g", "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64"),
       vuln("CVE-2023-0005", "zlib1g", "pkg:deb/debian/zlib1g@1%3A1.2.11.dfsg-2?arch=amd64"),
       vuln("CVE-2023-0006", "lodash", "pkg:npm/lodash@4.17.20")},
      options);
  ASSERT_EQ(result.suppressed.size(), 5u);
  EXPECT_EQ(result.suppressed[0].reason, "ignored by .trivyignore:1");
  EXPECT_EQ(result.suppressed[1].reason, "ignored by .trivyignore:2 (alias)");
  EXPECT_EQ(result.suppressed[2].finding.properties["package"], "openssl");
  EXPECT_EQ(result.suppressed[3].finding.properties["package"], "libssl3");
  EXPECT_EQ(result.suppressed[4].finding.properties["purl"],
            "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64");
  EXPECT_EQ(ids(result.findings),
            (std::vector<std::string>{"CVE-2023-0003 curl", "CVE-2023-0005 zlib1g",
                                      "CVE-2023-0006 lodash"}));

  auto located = vuln("CVE-2023-0006", "lodash", "pkg:npm/lodash@4.17.20");
  located.location.path = "/usr/lib/app/node_modules/lodash/package.json";
  EXPECT_EQ(apply_policy({located}, options).suppressed.size(), 1u);
}

TEST(PolicyTest, TrivyYamlPurlsAndPaths) {
  PolicyOptions options;
  options.ignores = rules(
      "vulnerabilities:\n"
      "  - id: CVE-2022-40897\n"
      "    paths: "
      "[\"usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA\"]\n"
      "  - id: CVE-2023-3817\n"
      "    purls: [\"pkg:deb/debian/libssl1.1\"]\n");
  auto setuptools = vuln("CVE-2022-40897", "setuptools", "pkg:pypi/setuptools@58.1.0");
  setuptools.location.path =
      "/usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA";
  auto other = setuptools;
  other.location.path =
      "/opt/venv/lib/python3.11/site-packages/setuptools-58.1.0.dist-info/METADATA";
  auto result = apply_policy(
      {setuptools, other, vuln("CVE-2023-3817", "libssl1.1", "pkg:deb/debian/libssl1.1@1.1.1n-0")},
      options);
  EXPECT_EQ(result.suppressed.size(), 2u);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].location.path, other.location.path);
}

TEST(PolicyTest, ExpiredRulesWarnAndNoLongerApply) {
  PolicyOptions options;
  options.today = "2026-11-23";
  options.ignores = rules(
      "CVE-1 exp:2026-11-22\n"
      "CVE-2 exp:2026-11-23\n"
      "CVE-3 exp:2027-01-01\n",
      "ign");
  auto result = apply_policy(
      {vuln("CVE-1", "a", ""), vuln("CVE-2", "b", ""), vuln("CVE-3", "c", "")}, options);
  EXPECT_EQ(ids(result.findings), std::vector<std::string>{"CVE-1 a"});
  EXPECT_EQ(result.suppressed.size(), 2u);
  EXPECT_EQ(result.warnings,
            std::vector<std::string>{"ign:1: ignore rule for CVE-1 expired on 2026-11-22"});
}

TEST(PolicyTest, VexPurlProductIgnoresQualifiersAndVersionWhenAbsent) {
  PolicyOptions options;
  options.vex = vex(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-2024-1"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
     "status": "not_affected", "justification": "vulnerable_code_not_present"},
    {"vulnerability": {"name": "GHSA-aaaa-bbbb-cccc"},
     "products": [{"identifiers": {"purl": "pkg:npm/lodash@4.17.21"}}], "status": "fixed"},
    {"vulnerability": {"name": "CVE-2024-3"},
     "products": [{"@id": "pkg:deb/debian/curl?arch=arm64"}],
     "status": "not_affected", "impact_statement": "not built"}]})");
  auto result =
      apply_policy({vuln("CVE-2024-1", "openssl", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64"),
                    vuln("CVE-2024-1", "libssl3", "pkg:deb/debian/libssl3@3.0.11-1?arch=amd64"),
                    vuln("CVE-2024-2", "lodash", "pkg:npm/lodash@4.17.21", core::Severity::kHigh,
                         {"ghsa-AAAA-bbbb-cccc"}),
                    vuln("CVE-2024-2", "lodash", "pkg:npm/lodash@4.17.20", core::Severity::kHigh,
                         {"GHSA-aaaa-bbbb-cccc"}),
                    vuln("CVE-2024-3", "curl", "pkg:deb/debian/curl@7.88.1?arch=amd64")},
                   options);
  ASSERT_EQ(result.suppressed.size(), 2u);
  EXPECT_EQ(result.suppressed[0].reason,
            "VEX not_affected (vulnerable_code_not_present) vex.json: statement 1");
  EXPECT_EQ(result.suppressed[1].reason, "VEX fixed vex.json: statement 2");
  EXPECT_EQ(
      ids(result.findings),
      (std::vector<std::string>{"CVE-2024-1 libssl3", "CVE-2024-2 lodash", "CVE-2024-3 curl"}));
  EXPECT_EQ(result.warnings,
            std::vector<std::string>{
                "vex.json: 1 of 3 not_affected/fixed VEX statements matched no finding"});
}

TEST(PolicyTest, VexImageProductAndSubcomponents) {
  const std::string digest = "sha256:" + std::string(64, 'f');
  std::string doc = R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-1"},
     "products": [{"@id": "pkg:oci/alpine@sha256%3A)" +
                    std::string(64, 'f') + R"(?repository_url=index.docker.io/library/alpine",
                   "subcomponents": [{"@id": "pkg:apk/alpine/libvncserver@0.9.9"}]}],
     "status": "not_affected", "justification": "component_not_present"},
    {"vulnerability": {"name": "CVE-2"}, "products": [{"@id": "docker.io/library/alpine:3.12"}],
     "status": "fixed"},
    {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "other:1.0"}], "status": "fixed"}]})";
  PolicyOptions options;
  options.vex = vex(doc);
  options.target = "alpine:3.12@" + digest;
  std::vector<core::Finding> findings = {
      vuln("CVE-1", "libvncserver",
           "pkg:apk/alpine/libvncserver@0.9.9?arch=x86_64&distro=alpine-3.12.0"),
      vuln("CVE-1", "busybox", "pkg:apk/alpine/busybox@1.31?arch=x86_64"),
      vuln("CVE-2", "musl", "pkg:apk/alpine/musl@1.1.24"),
      vuln("CVE-3", "zlib", "pkg:apk/alpine/zlib@1.2")};
  auto result = apply_policy(findings, options);
  EXPECT_EQ(ids(result.findings), (std::vector<std::string>{"CVE-1 busybox", "CVE-3 zlib"}));
  EXPECT_EQ(result.suppressed.size(), 2u);

  options.target = "docker.io/library/alpine:3.12";  // no digest: CVE-2 by name, CVE-1 not
  EXPECT_EQ(ids(apply_policy(findings, options).findings),
            (std::vector<std::string>{"CVE-1 libvncserver", "CVE-1 busybox", "CVE-3 zlib"}));
  options.target = digest;  // a bare image digest
  EXPECT_EQ(apply_policy(findings, options).suppressed.size(), 1u);
  options.target.clear();
  EXPECT_TRUE(apply_policy(findings, options).suppressed.empty());
}

TEST(PolicyTest, VexLaterStatementsOverride) {
  auto doc = [](const char* first, const char* second) {
    return std::string(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [)") +
           R"({"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a"}],
               "status": ")" +
           first + R"(", "justification": "component_not_present"},
              {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a@1.0"}],
               "status": ")" +
           second + R"(", "justification": "component_not_present"}]})";
  };
  PolicyOptions options;
  options.vex = vex(doc("not_affected", "affected"));
  EXPECT_EQ(apply_policy({vuln("CVE-1", "a", "pkg:npm/a@1.0")}, options).findings.size(), 1u);
  EXPECT_EQ(apply_policy({vuln("CVE-1", "a", "pkg:npm/a@2.0")}, options).suppressed.size(), 1u);
  options.vex = vex(doc("under_investigation", "not_affected"));
  EXPECT_EQ(apply_policy({vuln("CVE-1", "a", "pkg:npm/a@1.0")}, options).suppressed.size(), 1u);
  EXPECT_EQ(apply_policy({vuln("CVE-1", "a", "pkg:npm/a@2.0")}, options).findings.size(), 1u);

  // Timestamps, not document order, decide when present.
  options.vex = vex(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"timestamp": "2024-05-01T00:00:00Z", "vulnerability": {"name": "CVE-1"},
     "products": [{"@id": "pkg:npm/a"}], "status": "fixed"},
    {"timestamp": "2024-04-01T00:00:00Z", "vulnerability": {"name": "CVE-1"},
     "products": [{"@id": "pkg:npm/a"}], "status": "affected"}]})");
  auto result = apply_policy({vuln("CVE-1", "a", "pkg:npm/a@1.0")}, options);
  EXPECT_EQ(result.suppressed.size(), 1u);
  EXPECT_TRUE(result.warnings.empty());
}

TEST(PolicyTest, SourcePackageAndIriProducts) {
  PolicyOptions options;
  options.ignores = rules("CVE-1 openssl\n");
  auto libssl = vuln("CVE-1", "libssl3", "pkg:deb/debian/libssl3@3.0.11-1?arch=amd64");
  libssl.properties["source_package"] = "openssl";
  EXPECT_EQ(apply_policy({libssl}, options).suppressed.size(), 1u);

  // A product known by an IRI and a purl matches on the purl.
  options.ignores.clear();
  options.vex = vex(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": {"name": "CVE-2"},
     "products": [{"@id": "https://example.com/products/b",
                   "identifiers": {"purl": "pkg:npm/b", "cpe23": "cpe:2.3:a:x:b:*"}}],
     "status": "fixed"},
    {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "cpe:2.3:a:x:c:1.0"}],
     "status": "fixed"}]})");
  auto result = apply_policy(
      {vuln("CVE-2", "b", "pkg:npm/b@2.0"), vuln("CVE-3", "c", "pkg:npm/c@1.0")}, options);
  ASSERT_EQ(result.suppressed.size(), 1u);
  EXPECT_EQ(result.suppressed[0].finding.id, "CVE-2");
  EXPECT_EQ(ids(result.findings), std::vector<std::string>{"CVE-3 c"});
}

TEST(PolicyTest, IgnoreRulesComeBeforeVex) {
  PolicyOptions options;
  options.ignores = rules("CVE-1 # accepted\n");
  options.vex = vex(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
    {"vulnerability": "CVE-1", "products": ["pkg:npm/a"], "status": "fixed"}]})");
  auto result = apply_policy({vuln("CVE-1", "a", "pkg:npm/a@1")}, options);
  ASSERT_EQ(result.suppressed.size(), 1u);
  EXPECT_EQ(result.suppressed[0].reason, "ignored by .trivyignore:1 (accepted)");
}

TEST(PolicyTest, CorpusVexSuppresses) {
  MTR_REQUIRE_CORPUS();
  const auto root = test::corpus_dir() / "vuln" / "peers";
  PolicyOptions options;
  options.vex =
      vex(test::read_file(root / "trivy/integration-testdata/fixtures/vex/file/openvex.json"));
  auto grype = vex(test::read_file(
      root / "grype/integration-testdata/vex/openvex/under_investigation.openvex.json"));
  options.vex.insert(options.vex.end(), grype.begin(), grype.end());
  options.target = "alpine@sha256:" + std::string(64, 'f');
  auto result =
      apply_policy({vuln("CVE-2022-23628", "github.com/open-policy-agent/opa",
                         "pkg:golang/github.com/open-policy-agent/opa@v0.35.0"),
                    vuln("CVE-2022-23628", "github.com/open-policy-agent/opa",
                         "pkg:golang/github.com/open-policy-agent/opa@v0.36.0"),
                    vuln("CVE-2024-0000", "libvncserver",
                         "pkg:apk/alpine/libvncserver@0.9.9?arch=x86_64&distro=alpine-3.12.0")},
                   options);
  ASSERT_EQ(result.suppressed.size(), 1u);
  EXPECT_EQ(result.suppressed[0].finding.properties["purl"],
            "pkg:golang/github.com/open-policy-agent/opa@v0.35.0");
  EXPECT_EQ(result.findings.size(), 2u);

  auto ubuntu = vex(test::read_file(
      root / "vunnel/provider-fixtures/ubuntu/test-fixtures/vex/cve/2023/CVE-2023-38545.json"));
  options.vex = ubuntu;
  auto curl =
      apply_policy({vuln("CVE-2023-38545", "curl",
                         "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.24?arch=amd64&distro=jammy"),
                    vuln("CVE-2023-38545", "curl",
                         "pkg:deb/ubuntu/curl@7.47.0-1ubuntu2.19?arch=amd64&distro=xenial")},
                   options);
  ASSERT_EQ(curl.suppressed.size(), 1u);
  EXPECT_EQ(curl.suppressed[0].reason.rfind("VEX fixed", 0), 0u);
  EXPECT_EQ(curl.findings.size(), 1u);
  EXPECT_EQ(curl.warnings.size(), 1u);
}

TEST(PolicyTest, ParseSeverityList) {
  auto list = parse_severity_list("critical, HIGH ,unknown");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(*list, (std::set<core::Severity>{core::Severity::kCritical, core::Severity::kHigh,
                                             core::Severity::kUnknown}));
  auto bad = parse_severity_list("critical,hihg");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("'hihg'"), std::string::npos);
  EXPECT_FALSE(parse_severity_list("").has_value());
  EXPECT_FALSE(parse_severity_list(" , ").has_value());
}

TEST(PolicyTest, ShouldFail) {
  std::vector<core::Finding> findings = {vuln("CVE-1", "a", "", core::Severity::kMedium)};
  EXPECT_FALSE(should_fail(findings, std::nullopt));
  EXPECT_TRUE(should_fail(findings, core::Severity::kMedium));
  EXPECT_TRUE(should_fail(findings, core::Severity::kLow));
  EXPECT_FALSE(should_fail(findings, core::Severity::kHigh));
  EXPECT_FALSE(should_fail({}, core::Severity::kUnknown));
}

}  // namespace
}  // namespace mtr::match
