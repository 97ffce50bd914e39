// `matryoshka k8s audit` end to end: discovery, the table grouped by object, JSON with JSON
// paths, SARIF validated against its schema, JUnit, exit codes (--fail-on, PSA verdicts as an
// exit code, bad YAML with file:line:col), standard input and the configuration file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/test_support.h"
#include "tools/schema_validation.h"

namespace mtr::test {
namespace {

constexpr const char* kPrivileged = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.25
        securityContext:
          privileged: true
)";

constexpr const char* kBaselineOk = R"(apiVersion: v1
kind: Pod
metadata:
  name: ok
spec:
  containers:
  - name: app
    image: app:1
)";

class K8sCli : public testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_.path() / "deploy" / "web.yaml", kPrivileged);
    write_file(dir_.path() / "deploy" / "ok.yml", kBaselineOk);
    write_file(dir_.path() / "deploy" / "README.md", "kind: Pod\n");
    write_file(dir_.path() / "deploy" / ".hidden" / "x.yaml", "kind: [\n");
    write_file(dir_.path() / "chart" / "Chart.yaml", "name: c\n");
    write_file(dir_.path() / "chart" / "templates" / "d.yaml", "kind: {{ .Values.kind }}\n");
    write_file(dir_.path() / "broken.yaml", "kind: Pod\nspec:\n  containers: [\n");
  }
  CommandResult audit(std::vector<std::string> args, const std::string& stdin_path = "/dev/null") {
    args.insert(args.begin(), {"k8s", "audit"});
    return run_matryoshka(args, stdin_path);
  }
  std::string deploy() const { return (dir_.path() / "deploy").string(); }
  TempDir dir_;
};

TEST_F(K8sCli, TableGroupsFindingsByObject) {
  auto r = audit({deploy()});
  ASSERT_EQ(r.exit_code, 0) << r.err;  // no --fail-on: report only
  EXPECT_NE(r.out.find("Deployment shop/web ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Pod ok ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MTR-K8S-103"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("spec.template.spec.containers[0].securityContext.privileged"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("fix:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 objects in 2 files"), std::string::npos) << r.out;
}

TEST_F(K8sCli, PssVerdictAsExitCode) {
  std::string web = (dir_.path() / "deploy" / "web.yaml").string();
  std::string ok = (dir_.path() / "deploy" / "ok.yml").string();
  const std::vector<std::string> base = {"--only",        "pss",   "--pss",     "baseline",
                                         "--pss-version", "v1.30", "--fail-on", "low"};
  std::vector<std::string> deny(base);
  deny.push_back(web);
  std::vector<std::string> allow(base);
  allow.push_back(ok);
  EXPECT_EQ(audit(deny).exit_code, 1);
  EXPECT_EQ(audit(allow).exit_code, 0);
  // The same pod fails restricted (runAsNonRoot, seccomp, capabilities...).
  EXPECT_EQ(audit({"--only", "pss", "--pss", "restricted", "--fail-on", "low", ok}).exit_code, 1);
  EXPECT_EQ(audit({"--only", "pss", "--pss", "privileged", "--fail-on", "low", web}).exit_code, 0);
  auto bad_version = audit({"--pss-version", "1.30", ok});
  EXPECT_EQ(bad_version.exit_code, 2);
  EXPECT_NE(bad_version.err.find("v1.x"), std::string::npos) << bad_version.err;
}

TEST_F(K8sCli, JsonCarriesPathsAndProperties) {
  auto r = audit({deploy(), "--format", "json", "--only", "pss,hygiene"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  bool privileged = false;
  for (const auto& f : doc["findings"]) {
    if (f["id"] != "MTR-K8S-103") continue;
    privileged = true;
    EXPECT_EQ(f["location"]["json_path"],
              "spec.template.spec.containers[0].securityContext.privileged");
    EXPECT_EQ(f["location"]["line"], 13);
    EXPECT_EQ(f["properties"]["object"], "Deployment shop/web");
    EXPECT_EQ(f["properties"]["pss_check"], "privileged");
  }
  EXPECT_TRUE(privileged) << r.out;
}

TEST_F(K8sCli, BadYamlIsExit2WithPlaceButOthersStillReported) {
  auto r = audit({deploy(), (dir_.path() / "broken.yaml").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("broken.yaml:"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("MTR-K8S-103"), std::string::npos);
  auto missing = audit({(dir_.path() / "nope.yaml").string()});
  EXPECT_EQ(missing.exit_code, 2);
}

TEST_F(K8sCli, HelmTemplatesAndHiddenFoldersAreSkipped) {
  auto r = audit({dir_.path().string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;  // broken.yaml only
  EXPECT_NE(r.err.find("Helm chart templates skipped"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("x.yaml"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("d.yaml"), std::string::npos) << r.err;
}

TEST_F(K8sCli, StandardInputAndConfig) {
  auto config = dir_.path() / "cfg.yaml";
  write_file(config, "k8s:\n  ignored: [MTR-K8S-103]\n  fail-on: high\n  only: [pss]\n");
  auto r = audit({"-", "--config", config.string(), "--pss", "baseline"},
                 (dir_.path() / "deploy" / "web.yaml").string());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("MTR-K8S-103"), std::string::npos) << r.out;
  auto bad = dir_.path() / "bad.yaml";
  write_file(bad, "k8s:\n  colour: red\n");
  auto e = audit({deploy(), "--config", bad.string()});
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_NE(e.err.find("bad.yaml:2"), std::string::npos) << e.err;
}

TEST_F(K8sCli, SarifIsValidAndJunitParses) {
  auto out = dir_.path() / "k8s.sarif";
  auto r = audit({deploy(), "--format", "sarif", "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(read_file(out));
  EXPECT_FALSE(doc["runs"][0]["results"].empty());
  auto junit = audit({deploy(), "--format", "junit"});
  ASSERT_EQ(junit.exit_code, 0);
  EXPECT_NE(junit.out.find("<testsuites"), std::string::npos);
  MTR_REQUIRE_SCHEMA("sarif-2.1.0-rtm.5.json");
  auto valid = validate_json("sarif-2.1.0-rtm.5.json", out);
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
}

TEST_F(K8sCli, HelpExplains) {
  auto r = run_matryoshka({"k8s", "audit", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"--pss", "--pss-version", "--only", "--skip", "--fail-on", "--strict",
                           "matryoshka.io/ignore", "sarif", "junit"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
}

}  // namespace
}  // namespace mtr::test
