#include "core/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_support.h"
#include "tools/schema_validation.h"

namespace mtr::core {
namespace {

using nlohmann::json;

ToolInfo tool() {
  ToolInfo t;
  t.version = "1.2.3";
  return t;
}

std::vector<Finding> findings() {
  Finding vuln;
  vuln.id = "CVE-2024-0001";
  vuln.aliases = {"GHSA-xxxx-yyyy-zzzz"};
  vuln.severity = Severity::kHigh;
  vuln.title = "openssl: buffer overflow";
  vuln.target = "debian:12";
  vuln.location.path = "/usr/lib/x86_64-linux-gnu/libssl.so.3";
  vuln.location.layer_digest = "sha256:aaaa";
  vuln.properties = {{"package", "libssl3"}, {"installed", "3.0.11-1~deb12u1"}};

  Finding lint;
  lint.id = "DL3007";
  lint.severity = Severity::kMedium;
  lint.title = "Using latest is prone to errors";
  lint.location.path = "Dockerfile";
  lint.location.line = 3;
  lint.location.column = 1;
  lint.location.end_line = 3;
  lint.location.end_column = 20;

  Finding pss;
  pss.id = "KSV-0017";
  pss.severity = Severity::kCritical;
  pss.title = "Privileged container";
  pss.target = "deploy/web.yaml";
  pss.location.json_path = "spec.template.spec.containers[0].securityContext.privileged";

  Finding low;
  low.id = "DL3007";  // same rule twice: listed once under rules
  low.severity = Severity::kMedium;
  low.title = "Using latest is prone to errors";
  low.location.path = "sub dir/Dockerfile";
  low.location.line = 9;
  return {vuln, lint, pss, low};
}

std::vector<RuleInfo> rules() {
  return {{"DL3007",
           "Using latest",
           "Pin the tag.",
           Severity::kMedium,
           "https://example.invalid/DL3007",
           {}},
          {"UNUSED-1", "Unused rule", "", Severity::kLow, "", {}}};
}

json sarif() {
  std::ostringstream out;
  write_findings_sarif(out, tool(), rules(), findings());
  return json::parse(out.str());
}

TEST(ParseFindingFormat, Names) {
  EXPECT_EQ(*parse_finding_format("table"), FindingFormat::kTable);
  EXPECT_EQ(*parse_finding_format("json"), FindingFormat::kJson);
  EXPECT_EQ(*parse_finding_format("sarif"), FindingFormat::kSarif);
  auto r = parse_finding_format("html");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUsage);
}

TEST(FindingsTable, SortedBySeverityDescending) {
  std::ostringstream out;
  write_findings_table(out, findings());
  std::istringstream in(out.str());
  std::string line;
  std::vector<std::string> first_words;
  while (std::getline(in, line)) first_words.push_back(line.substr(0, line.find(' ')));
  EXPECT_EQ(first_words,
            (std::vector<std::string>{"SEVERITY", "critical", "high", "medium", "medium"}));
  EXPECT_THAT(out.str(), ::testing::HasSubstr("Dockerfile:3"));
  EXPECT_THAT(out.str(),
              ::testing::HasSubstr("spec.template.spec.containers[0].securityContext.privileged"));
}

TEST(FindingsTable, Empty) {
  std::ostringstream out;
  write_findings_table(out, {});
  EXPECT_EQ(out.str(), "No findings.\n");
}

TEST(FindingsJson, Shape) {
  std::ostringstream out;
  write_findings_json(out, tool(), findings());
  auto doc = json::parse(out.str());
  EXPECT_EQ(doc["tool"], json({{"name", "matryoshka"}, {"version", "1.2.3"}}));
  ASSERT_EQ(doc["findings"].size(), 4u);
  const auto& v = doc["findings"][0];
  EXPECT_EQ(v["id"], "CVE-2024-0001");
  EXPECT_EQ(v["severity"], "high");
  EXPECT_EQ(v["aliases"], json::array({"GHSA-xxxx-yyyy-zzzz"}));
  EXPECT_EQ(v["location"]["layer"], "sha256:aaaa");
  EXPECT_EQ(v["properties"]["installed"], "3.0.11-1~deb12u1");
  EXPECT_EQ(doc["findings"][1]["location"], json({{"path", "Dockerfile"},
                                                  {"line", 3},
                                                  {"column", 1},
                                                  {"end_line", 3},
                                                  {"end_column", 20}}));
}

// The streamed document is the one nlohmann would print for the whole tree, byte for byte.
TEST(FindingsJson, StreamedBytesEqualTheWholeDocument) {
  for (std::size_t n : {0u, 1u, 4u}) {
    auto list = findings();
    list.resize(n);
    std::ostringstream out;
    write_findings_json(out, tool(), list);
    auto doc = json::parse(out.str());
    EXPECT_EQ(out.str(), doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n") << n;
    EXPECT_EQ(doc["findings"].size(), n);
  }
}

TEST(SarifLevel, BySeverity) {
  EXPECT_STREQ(sarif_level(Severity::kCritical), "error");
  EXPECT_STREQ(sarif_level(Severity::kHigh), "error");
  EXPECT_STREQ(sarif_level(Severity::kMedium), "warning");
  EXPECT_STREQ(sarif_level(Severity::kLow), "note");
  EXPECT_STREQ(sarif_level(Severity::kUnknown), "note");
}

TEST(Sarif, VersionSchemaAndDriver) {
  auto doc = sarif();
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_EQ(doc["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(doc["runs"].size(), 1u);
  const auto& driver = doc["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "matryoshka");
  EXPECT_EQ(driver["version"], "1.2.3");
  EXPECT_EQ(driver["informationUri"], "https://github.com/matryoshka-sec/matryoshka");
}

TEST(Sarif, RulesListedOnceGivenRulesFirst) {
  auto doc = sarif();
  const auto& list = doc["runs"][0]["tool"]["driver"]["rules"];
  std::vector<std::string> ids;
  for (const auto& r : list) ids.push_back(r["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"DL3007", "UNUSED-1", "CVE-2024-0001", "KSV-0017"}));
  EXPECT_EQ(list[0]["shortDescription"]["text"], "Using latest");
  EXPECT_EQ(list[0]["fullDescription"]["text"], "Pin the tag.");
  EXPECT_EQ(list[0]["helpUri"], "https://example.invalid/DL3007");
  EXPECT_EQ(list[0]["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(list[2]["properties"]["aliases"], json::array({"GHSA-xxxx-yyyy-zzzz"}));
}

// GitHub code scanning ranks alerts by properties.security-severity, a CVSS-like score.
TEST(Sarif, SecuritySeverityFollowsSeverity) {
  auto doc = sarif();
  std::map<std::string, std::string> score;
  for (const auto& r : doc["runs"][0]["tool"]["driver"]["rules"]) {
    score[r["id"]] = r["properties"]["security-severity"];
  }
  EXPECT_EQ(score["KSV-0017"], "9.5");
  EXPECT_EQ(score["CVE-2024-0001"], "8.0");
  EXPECT_EQ(score["DL3007"], "5.5");
  EXPECT_EQ(score["UNUSED-1"], "2.0");
}

TEST(Sarif, ResultsWithLocations) {
  auto doc = sarif();
  const auto& results = doc["runs"][0]["results"];
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0]["ruleId"], "CVE-2024-0001");
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[0]["message"]["text"], "openssl: buffer overflow");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "usr/lib/x86_64-linux-gnu/libssl.so.3");
  EXPECT_EQ(results[0]["properties"]["layer"], "sha256:aaaa");
  EXPECT_EQ(results[0]["properties"]["package"], "libssl3");

  const auto& lint = results[1]["locations"][0]["physicalLocation"];
  EXPECT_EQ(lint["artifactLocation"]["uri"], "Dockerfile");
  EXPECT_EQ(lint["region"],
            json({{"startLine", 3}, {"startColumn", 1}, {"endLine", 3}, {"endColumn", 20}}));
  EXPECT_EQ(results[1]["level"], "warning");

  // No path: the target names the artifact; the JSON path goes into properties.
  EXPECT_EQ(results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "deploy/web.yaml");
  EXPECT_EQ(results[2]["properties"]["json_path"],
            "spec.template.spec.containers[0].securityContext.privileged");

  // URIs are URI references: a space is percent-encoded.
  EXPECT_EQ(results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "sub%20dir/Dockerfile");
}

TEST(Sarif, NoFindingsIsStillALog) {
  std::ostringstream out;
  write_findings_sarif(out, tool(), {}, {});
  auto doc = json::parse(out.str());
  EXPECT_EQ(doc["runs"][0]["results"], json::array());
  EXPECT_EQ(doc["runs"][0]["tool"]["driver"]["rules"], json::array());
}

constexpr const char* kSarifSchema = "sarif-2.1.0-rtm.5.json";

TEST(SarifSchema, OutputIsValid) {
  MTR_REQUIRE_SCHEMA(kSarifSchema);
  test::TempDir dir;
  std::ostringstream out;
  write_findings_sarif(out, tool(), rules(), findings());
  test::write_file(dir.path() / "a.sarif", out.str());
  auto r = test::validate_json(kSarifSchema, dir.path() / "a.sarif");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  std::ostringstream empty;
  write_findings_sarif(empty, tool(), {}, {});
  test::write_file(dir.path() / "empty.sarif", empty.str());
  r = test::validate_json(kSarifSchema, dir.path() / "empty.sarif");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// The validator can fail: a level outside SARIF's enum is rejected.
TEST(SarifSchema, ValidatorRejectsABadLevel) {
  MTR_REQUIRE_SCHEMA(kSarifSchema);
  test::TempDir dir;
  auto doc = sarif();
  doc["runs"][0]["results"][0]["level"] = "fatal";
  test::write_file(dir.path() / "bad.sarif", doc.dump());
  auto r = test::validate_json(kSarifSchema, dir.path() / "bad.sarif");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

}  // namespace
}  // namespace mtr::core

namespace mtr::core {
namespace {

// render() writes JSON by hand for speed; it must equal the nlohmann rendering byte for byte,
// including escapes, empty parts and strings that are not valid UTF-8.
TEST(FindingsJsonRender, EqualsTheReferenceRendering) {
  std::vector<Finding> cases;
  cases.emplace_back();  // empty: id, location {}, severity, title only
  Finding full;
  full.id = "MTR-DF-301";
  full.aliases = {"DL3008", "DS-0029"};
  full.severity = Severity::kHigh;
  full.title = "quote \" backslash \\ tab \t newline \n bell \x07 del \x7f é ☃ 𝄞";
  full.description = "line1\r\nline2\b\f";
  full.target = "dir/Dockerfile";
  full.location = {"dir/Dockerfile", 3, 5, 4, 17, "sha256:abc", "spec.containers[0]"};
  full.evidence = "RUN apt-get install curl";
  full.fix = "pin";
  full.references = {"https://example.com/a"};
  full.properties = {{"stage", "0"}, {"hadolint", "DL3008"}, {"z", ""}};
  cases.push_back(full);
  for (std::string bad :
       {std::string("\xff\xfe"), std::string("a\xc3"), std::string("\xed\xa0\x80"),
        std::string("\xe0\x80\x80"), std::string("\xf4\x90\x80\x80"),
        std::string("ok \xc3\xa9 \xf0\x9f\x98\x80")}) {
    Finding f;
    f.id = "X";
    f.title = bad;
    f.evidence = bad;
    f.location.line = 1;
    cases.push_back(f);
  }
  for (const auto& f : cases) {
    EXPECT_EQ(FindingsJsonStream::render(f), FindingsJsonStream::render_reference(f)) << f.title;
  }
}

}  // namespace
}  // namespace mtr::core
