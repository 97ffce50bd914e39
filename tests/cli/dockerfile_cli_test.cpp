// `matryoshka dockerfile lint` end to end: file discovery, exit codes, parse errors with
// file:line:col, every output format (SARIF validated against its schema, XML formats parsed),
// configuration file and inline suppressions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/test_support.h"
#include "tools/schema_validation.h"

namespace mtr::test {
namespace {

constexpr const char* kBad = R"(FROM debian:latest
RUN apt-get update && apt-get install -y curl
USER root
CMD ["/bin/sh"]
)";

constexpr const char* kGood =
    R"(FROM debian:12.5@sha256:0000000000000000000000000000000000000000000000000000000000000000
COPY app /app
USER 10001:10001
HEALTHCHECK CMD ["/app", "--health"]
CMD ["/app"]
)";

class DockerfileCli : public testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_.path() / "bad" / "Dockerfile", kBad);
    write_file(dir_.path() / "good" / "Dockerfile", kGood);
    // Not Dockerfiles: a per-Dockerfile ignore file, a hidden folder, an unrelated file.
    write_file(dir_.path() / "good" / "Dockerfile.dockerignore", "node_modules\n*.log\n");
    write_file(dir_.path() / ".git" / "Dockerfile", "not a Dockerfile at all\n");
    write_file(dir_.path() / "good" / "README.md", "FROM nothing\n");
  }
  CommandResult lint(std::vector<std::string> args) {
    args.insert(args.begin(), {"dockerfile", "lint"});
    return run_matryoshka(args);
  }
  TempDir dir_;
};

TEST_F(DockerfileCli, TableShowsPlaceRuleLineAndFix) {
  auto r = lint({(dir_.path() / "bad" / "Dockerfile").string(), "--no-scan-hint"});
  ASSERT_EQ(r.exit_code, 0) << r.err;  // no --fail-on: report only
  EXPECT_NE(r.out.find("Dockerfile:1:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(DL3007)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    1 | FROM debian:latest"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fix:"), std::string::npos) << r.out;
}

TEST_F(DockerfileCli, FailOnAndDirectoryDiscovery) {
  auto r = lint({dir_.path().string(), "--fail-on", "medium", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  std::set<std::string> files;
  for (const auto& f : doc["findings"]) files.insert(f["location"]["path"].get<std::string>());
  EXPECT_TRUE(files.count((dir_.path() / "bad" / "Dockerfile").string())) << r.out;
  for (const auto& f : files) {
    EXPECT_EQ(f.find(".dockerignore"), std::string::npos) << f;
    EXPECT_EQ(f.find(".git"), std::string::npos) << f;
  }
  // The clean file has nothing at medium or above.
  auto good = lint({(dir_.path() / "good" / "Dockerfile").string(), "--fail-on", "medium"});
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  // hadolint's threshold words work too.
  EXPECT_EQ(lint({dir_.path().string(), "--fail-on", "warning"}).exit_code, 1);
}

TEST_F(DockerfileCli, ParseErrorIsExit2WithFileLineColumn) {
  auto broken = dir_.path() / "broken.Dockerfile";
  write_file(broken, "FROM alpine:3.20\nENV\n");
  auto r = lint({broken.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(broken.string() + ":2"), std::string::npos) << r.err;
  EXPECT_EQ(lint({(dir_.path() / "missing").string()}).exit_code, 2);
}

TEST_F(DockerfileCli, StdinAndIgnores) {
  auto file = dir_.path() / "stdin.Dockerfile";
  write_file(file, kBad);
  auto r = run_matryoshka({"dockerfile", "lint", "-", "--format", "json", "--ignore", "DL3007"},
                          file.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_FALSE(doc["findings"].empty());
  for (const auto& f : doc["findings"]) {
    EXPECT_EQ(f["location"]["path"], "<stdin>");
    EXPECT_NE(f["id"], "MTR-DF-102") << "--ignore DL3007 did not silence the latest-tag rule";
  }
  // Inline: hadolint's pragma on the line before the instruction; --strict ignores it.
  auto inline_file = dir_.path() / "inline.Dockerfile";
  write_file(inline_file, std::string("# hadolint ignore=DL3007\n") + kBad);
  auto quiet = lint({inline_file.string(), "--format", "json"});
  EXPECT_EQ(quiet.out.find("MTR-DF-102"), std::string::npos) << quiet.out;
  auto strict = lint({inline_file.string(), "--format", "json", "--strict"});
  EXPECT_NE(strict.out.find("MTR-DF-102"), std::string::npos) << strict.out;
}

TEST_F(DockerfileCli, ConfigFile) {
  auto config = dir_.path() / "lint.yaml";
  write_file(config, "dockerfile:\n  ignored: [DL3007]\n  fail-on: low\n  scan-hint: false\n");
  auto r = lint({(dir_.path() / "bad" / "Dockerfile").string(), "--config", config.string(),
                 "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.find("MTR-DF-102"), std::string::npos);
  EXPECT_EQ(r.out.find("MTR-DF-901"), std::string::npos);
  write_file(config, "dockerfile:\n  ignored: [DL3007]\n  colour: blue\n");
  auto bad = lint({(dir_.path() / "bad" / "Dockerfile").string(), "--config", config.string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(config.string() + ":3"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("colour"), std::string::npos) << bad.err;
}

TEST_F(DockerfileCli, SarifIsValidAndListsAliases) {
  auto out = dir_.path() / "lint.sarif";
  auto r = lint({dir_.path().string(), "--format", "sarif", "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(read_file(out));
  bool has_alias = false;
  for (const auto& rule : doc["runs"][0]["tool"]["driver"]["rules"]) {
    if (rule["id"] == "MTR-DF-102") {
      for (const auto& a : rule["properties"]["aliases"]) has_alias = has_alias || a == "DL3007";
    }
  }
  EXPECT_TRUE(has_alias) << "SARIF rule metadata lacks the hadolint alias";
  EXPECT_FALSE(doc["runs"][0]["results"].empty());
  MTR_REQUIRE_SCHEMA("sarif-2.1.0-rtm.5.json");
  auto valid = validate_json("sarif-2.1.0-rtm.5.json", out);
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
}

TEST_F(DockerfileCli, JunitCheckstyleAndGitlab) {
  for (const char* format : {"junit", "checkstyle"}) {
    auto out = dir_.path() / (std::string("lint.") + format + ".xml");
    auto r = lint({dir_.path().string(), "--format", format, "-o", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Well-formed XML, checked by Python's parser.
    auto check =
        run_command({"python3", "-c",
                     "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])", out.string()});
    EXPECT_EQ(check.exit_code, 0) << format << ": " << check.err;
    auto text = read_file(out);
    EXPECT_NE(text.find("MTR-DF-102"), std::string::npos) << text;
    EXPECT_NE(text.find((dir_.path() / "good" / "Dockerfile").string()), std::string::npos)
        << format << " does not list the clean file";
  }
  auto r = lint({dir_.path().string(), "--format", "gitlab"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_TRUE(doc.is_array());
  std::set<std::string> fingerprints;
  for (const auto& issue : doc) {
    EXPECT_TRUE(fingerprints.insert(issue["fingerprint"].get<std::string>()).second);
    EXPECT_TRUE(issue["location"]["lines"]["begin"].get<int>() >= 1);
  }
}

TEST_F(DockerfileCli, HelpExplains) {
  auto r = run_matryoshka({"dockerfile", "lint", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"--format", "sarif", "junit", "checkstyle", "gitlab", "--fail-on",
                           "--config", "--ignore", "--strict", "hadolint ignore="}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace mtr::test
