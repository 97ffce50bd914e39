// `image scan --scanners secret,config` and `rules list` as users run them, on images written
// by the tests (no daemon needed): masked output in every format, deleted-file findings, user
// rules, exit codes, and errors that name the file and line.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "oci/image_builder.h"
#include "support/test_support.h"
#include "tools/schema_validation.h"

namespace mtr::test {
namespace {

namespace fs = std::filesystem;

// Fake credentials of real shapes, assembled so this file never holds one whole.
const std::string kGithub = std::string("ghp_") + "Zq8rT1vW3xY5nB7mK9pLhJ2gF4dS6aQ0eR1t";
const std::string kAwsId = std::string("AKIA") + "QZ7X4PW2LMXRT3VK";
const std::string kCorp = std::string("corp_") + "9f8e7d6c5b4a3f2e";

class SecretCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // Layer 0 plants the secrets, layer 1 deletes the .netrc: it stays in the image.
    write_oci_layout(
        dir_.path() / "oci",
        {gzip_layer({{"root/.netrc", "machine github.com login x password " + kGithub + "\n"},
                     {"app/aws.ini", "aws_access_key_id = " + kAwsId + "\n"},
                     {"app/corp.conf", "key=" + kCorp + "\n"}}),
         gzip_layer({{"root/.wh..netrc", ""}})},
        "1");
    image_ = "oci:" + (dir_.path() / "oci").string() + ":1";
  }
  CommandResult scan(std::vector<std::string> extra) {
    std::vector<std::string> args = {"image", "scan", image_, "--no-cache", "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_matryoshka(args);
  }
  void expect_masked(const CommandResult& r, const std::string& what) {
    for (const auto* secret : {&kGithub, &kAwsId, &kCorp}) {
      EXPECT_EQ(r.out.find(*secret), std::string::npos) << what << ": a secret in stdout";
      EXPECT_EQ(r.err.find(*secret), std::string::npos) << what << ": a secret in stderr";
    }
  }
  TempDir dir_;
  std::string image_;
};

TEST_F(SecretCli, FindsSecretsInDeletedFilesWithoutADatabase) {
  auto r = scan({"--scanners", "secret"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_masked(r, "table");
  EXPECT_NE(r.out.find("github-token"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("aws-access-key-id"), std::string::npos);
  EXPECT_NE(r.out.find("0 (removed in 1)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("AKIA****"), std::string::npos);

  auto json = scan({"--scanners", "secret", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  expect_masked(json, "json");
  const auto doc = nlohmann::json::parse(json.out);
  bool deleted = false;
  for (const auto& f : doc["findings"]) {
    if (f["id"] != "github-token") continue;
    EXPECT_EQ(f["location"]["path"], "/root/.netrc");
    EXPECT_EQ(f["location"]["line"], 1);
    EXPECT_EQ(f["properties"]["visibility"], "removed in layer 1, still present in layer 0");
    deleted = true;
  }
  EXPECT_TRUE(deleted);
}

TEST_F(SecretCli, SarifIsValidAndMasked) {
  auto out = dir_.path() / "s.sarif";
  auto r = scan({"--scanners", "secret,config", "--format", "sarif", "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto text = read_file(out);
  for (const auto* secret : {&kGithub, &kAwsId, &kCorp})
    EXPECT_EQ(text.find(*secret), std::string::npos) << "a secret in the SARIF file";
  EXPECT_NE(text.find("github-token"), std::string::npos);
  EXPECT_NE(text.find("MTR-IMG-001"), std::string::npos);  // no USER in the config
  if (!find_schema("sarif-2.1.0-rtm.5.json").empty()) {
    auto valid = validate_json("sarif-2.1.0-rtm.5.json", out);
    EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  }
}

TEST_F(SecretCli, UserRulesAllowRulesAndFailOn) {
  auto config = dir_.path() / "secret.yaml";
  write_file(config, R"(rules:
  - id: corp-key
    title: Corp key
    severity: critical
    keywords: [corp_]
    regex: 'corp_[0-9a-f]{16}'
allow-rules:
  - id: not-aws
    rule: aws-access-key-id
    path: '^/app/aws\.ini$'
)");
  auto r = scan({"--scanners", "secret", "--secret-config", config.string(), "--format", "json",
                 "--fail-on", "critical"});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // critical findings present
  expect_masked(r, "user rules");
  std::set<std::string> ids;
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& f : doc["findings"]) ids.insert(f["id"].get<std::string>());
  EXPECT_TRUE(ids.count("corp-key"));
  EXPECT_FALSE(ids.count("aws-access-key-id"));

  // An ignore-file line "RULE PATH" silences one finding.
  auto ignore = dir_.path() / ".matryoshkaignore";
  write_file(ignore, "github-token /root/.netrc\ncorp-key /app/corp.conf\n");
  auto quiet = scan({"--scanners", "secret", "--secret-config", config.string(), "--ignore-file",
                     ignore.string(), "--fail-on", "critical"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;
}

TEST_F(SecretCli, BadInputExitsTwoAndSaysWhere) {
  auto config = dir_.path() / "bad.yaml";
  write_file(config, "rules:\n  - id: x\n    keywords: [a]\n    regex: 'a('\n");
  auto r = scan({"--scanners", "secret", "--secret-config", config.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("secret rule 'x'"), std::string::npos) << r.err;
  write_file(config, "rules:\n  - id: x\n    regx: a\n");
  r = scan({"--scanners", "secret", "--secret-config", config.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.yaml:3"), std::string::npos) << r.err;
  r = scan({"--scanners", "secret,magic"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("vuln, secret, config"), std::string::npos) << r.err;
  r = scan({"--scanners", "secret", "--secret-max-size", "lots"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--secret-max-size"), std::string::npos) << r.err;
}

TEST_F(SecretCli, SizeLimitAndBinaryFiles) {
  write_oci_layout(dir_.path() / "big",
                   {gzip_layer({{"app/big.txt", std::string(5000, 'x') + "\n" + kAwsId + "\n"},
                                {"app/tool.bin", std::string("\0\0\0", 3) + kAwsId}})},
                   "1");
  const std::string big = "oci:" + (dir_.path() / "big").string() + ":1";
  auto skipped = run_matryoshka({"image", "scan", big, "--no-cache", "-q", "--scanners", "secret",
                                 "--secret-max-size", "4K"});
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_NE(skipped.out.find("No secrets found"), std::string::npos) << skipped.out;
  auto all = run_matryoshka({"image", "scan", big, "--no-cache", "-q", "--scanners", "secret",
                             "--secret-include-binary", "--format", "json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const auto doc = nlohmann::json::parse(all.out);
  EXPECT_EQ(doc["findings"].size(), 2u);
}

TEST(RulesCli, ListsEveryRuleWithItsId) {
  auto r = run_matryoshka({"rules", "list", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  std::set<std::string> scanners, ids;
  for (const auto& rule : doc) {
    scanners.insert(rule["scanner"].get<std::string>());
    EXPECT_TRUE(ids.insert(rule["id"].get<std::string>()).second) << rule["id"];
    EXPECT_FALSE(rule["title"].get<std::string>().empty());
  }
  EXPECT_EQ(scanners, (std::set<std::string>{"secret", "config", "dockerfile", "k8s"}));
  EXPECT_TRUE(ids.count("MTR-K8S-103"));
  EXPECT_TRUE(ids.count("aws-access-key-id"));
  EXPECT_TRUE(ids.count("MTR-IMG-001"));
  auto md = run_matryoshka({"rules", "list", "--scanner", "config", "--format", "markdown"});
  EXPECT_EQ(md.exit_code, 0);
  EXPECT_NE(md.out.find("| config | `MTR-IMG-001` |"), std::string::npos) << md.out;
  EXPECT_EQ(run_matryoshka({"rules", "list", "--scanner", "nope"}).exit_code, 2);
  auto help = run_matryoshka({"image", "scan", "--help"});
  for (const char* word : {"--scanners", "--secret-config", "--secret-max-size",
                           "--secret-include-binary", "secret", "config"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace mtr::test
