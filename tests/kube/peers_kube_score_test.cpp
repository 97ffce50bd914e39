// kube-score's expectations (../shared/corpus/k8s/peers/kube-score/expected.tsv, taken from its
// score/*_test.go): scoring `files` must give `check_id` the grade CRITICAL(1) or WARNING(5)
// (a finding) or OK(10) (none). For each kube-score check that one of ours (or a set of ours)
// means, our verdict over the files must agree, except the rows in kDisagreements (each with its
// reason); the test fails when that set changes. Rows whose options change the check's meaning
// (IgnoreContainer*LimitRequirement, the optional-checks annotation) and SKIPPED rows are not
// compared; rows that only enable an optional kube-score test are.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kube/audit.h"
#include "kube/object.h"
#include "support/test_support.h"

namespace mtr::kube {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::set<std::string>> kMappings = {
    {"pod-networkpolicy", {"MTR-K8S-503"}},
    {"networkpolicy-targets-pod", {"MTR-K8S-506"}},
    {"container-resources", {"MTR-K8S-301", "MTR-K8S-302", "MTR-K8S-303", "MTR-K8S-304"}},
    {"container-image-tag", {"MTR-K8S-401"}},
    {"container-image-pull-policy", {"MTR-K8S-404"}},
    {"container-security-context-user-group-id", {"MTR-K8S-204", "MTR-K8S-205"}},
    {"container-security-context-privileged", {"MTR-K8S-103"}},
    {"container-security-context-readonlyrootfilesystem", {"MTR-K8S-201"}},
    {"container-seccomp-profile", {"MTR-K8S-125"}},
};

// "<check_id>/<files>": why we decide otherwise.
const std::map<std::string, std::string> kDisagreements = {
#include "peers_kube_score_disagreements.inc"
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

TEST(KubePeersKubeScore, EveryMappedExpectationAgreesOrTheReasonIsWritten) {
  MTR_REQUIRE_CORPUS();
  const fs::path root = test::corpus_dir() / "k8s" / "peers" / "kube-score";
  std::istringstream rows(test::read_file(root / "expected.tsv"));
  std::string line;
  std::getline(rows, line);  // header
  std::map<std::string, std::string> disagreements;
  std::size_t agreed = 0, unmapped = 0, not_compared = 0;
  while (std::getline(rows, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto cols = split(line, '\t');
    if (cols.size() < 4) continue;
    const std::string& files = cols[0];
    const std::string& check = cols[1];
    const std::string& grade = cols[3];
    const std::string config = cols.size() > 4 ? cols[4] : "";
    auto mapped = kMappings.find(check);
    if (mapped == kMappings.end()) {
      ++unmapped;
      continue;
    }
    if (grade.rfind("SKIPPED", 0) == 0 || config.find("Ignore") != std::string::npos ||
        config.find("UseOptionalChecksAnnotation") != std::string::npos) {
      ++not_compared;
      continue;
    }
    const bool should_fire = grade.rfind("CRITICAL", 0) == 0 || grade.rfind("WARNING", 0) == 0;
    std::vector<Manifest> manifests;
    for (const std::string& file : split(files, ',')) {
      fs::path path = root / "score" / "testdata" / file;
      auto m = load_manifest(test::read_file(path), path.string());
      ASSERT_TRUE(m) << m.error().to_string();
      manifests.push_back(std::move(*m));
    }
    AuditOptions options;
    options.today = "2026-11-23";
    options.enabled = {"MTR-K8S-404"};
    for (const std::string& id : mapped->second)
      options.only.insert(builtin_checks().find(id)->group);
    bool fired = false;
    for (const auto& f : audit(manifests, options)) fired = fired || mapped->second.contains(f.id);
    const std::string key = check + "/" + files;
    if (fired == should_fire) {
      ++agreed;
    } else {
      disagreements[key] = fired ? "we fire, kube-score grades OK" : "kube-score warns, we do not";
    }
  }
  for (const auto& [k, v] : disagreements)
    EXPECT_TRUE(kDisagreements.contains(k)) << "new disagreement: " << k << " (" << v << ")";
  for (const auto& [k, v] : kDisagreements)
    EXPECT_TRUE(disagreements.contains(k)) << "listed disagreement no longer happens: " << k;
  std::cout << "[ kube-score ] " << agreed << " rows agree, " << disagreements.size()
            << " documented disagreements, " << not_compared << " not compared (options), "
            << unmapped << " rows for checks we do not have\n";
}

}  // namespace
}  // namespace mtr::kube
