// kubesec's expectations (../shared/corpus/k8s/peers/kubesec/expected.tsv, from its bats suite):
// only the sign of the score is asserted. A negative score means a rule with negative points
// matched — kubesec's critical findings (privileged, CAP_SYS_ADMIN, host namespaces, the docker
// socket, unconfined AppArmor or seccomp, /proc unmasked, privilege escalation...); zero or
// positive means none did. Our counterpart: a finding at high severity or above from the pss
// group at the baseline level or the mounts group. Every scored row must agree, except those in
// kDisagreements (each with its reason); rows that assert on output text are kubesec's own CLI
// and HTTP behaviour and are not compared.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kube/audit.h"
#include "kube/object.h"
#include "kube/rbac.h"
#include "support/test_support.h"

namespace mtr::kube {
namespace {

namespace fs = std::filesystem;

// "<file>": why we decide otherwise.
const std::map<std::string, std::string> kDisagreements = {
#include "peers_kubesec_disagreements.inc"
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

TEST(KubePeersKubesec, CriticalVerdictAgreesOrTheReasonIsWritten) {
  MTR_REQUIRE_CORPUS();
  const fs::path root = test::corpus_dir() / "k8s" / "peers" / "kubesec";
  std::istringstream rows(test::read_file(root / "expected.tsv"));
  std::string line;
  std::getline(rows, line);  // header
  std::map<std::string, std::string> disagreements;
  std::size_t agreed = 0, not_compared = 0;
  for (; std::getline(rows, line);) {
    auto cols = split(line, '\t');
    if (cols.size() < 4) continue;
    const std::string& files = cols[1];
    const std::string& assertion = cols[3];
    bool negative = assertion == "assert_lt_zero_points";
    if (!negative && assertion != "assert_zero_points" && assertion != "assert_gt_zero_points") {
      ++not_compared;
      continue;
    }
    auto paths = split(files, ' ');
    if (paths.size() != 1 || paths[0].empty()) {
      ++not_compared;
      continue;
    }
    const fs::path path = root / "test" / paths[0];
    std::string text = test::read_file(path);
    auto m =
        looks_like_abac(text) ? load_abac(text, path.string()) : load_manifest(text, path.string());
    if (!m) {  // kubesec's tests of its own error messages
      ++not_compared;
      continue;
    }
    std::vector<Manifest> manifests;
    manifests.push_back(std::move(*m));
    AuditOptions options;
    options.today = "2026-11-23";
    options.only = {CheckGroup::kPss, CheckGroup::kMounts, CheckGroup::kRbac};
    options.config.pss_level = PssLevel::kBaseline;
    bool critical = false;
    for (const auto& f : audit(manifests, options))
      critical = critical || f.severity >= core::Severity::kHigh;
    if (critical == negative) {
      ++agreed;
    } else {
      disagreements[paths[0]] = critical ? "we report a high finding, kubesec scores >= 0"
                                         : "kubesec scores < 0, we do not";
    }
  }
  for (const auto& [k, v] : disagreements)
    EXPECT_TRUE(kDisagreements.contains(k)) << "new disagreement: " << k << " (" << v << ")";
  for (const auto& [k, v] : kDisagreements)
    EXPECT_TRUE(disagreements.contains(k)) << "listed disagreement no longer happens: " << k;
  std::cout << "[ kubesec ] " << agreed << " rows agree, " << disagreements.size()
            << " documented disagreements, " << not_compared
            << " rows about kubesec's own CLI/HTTP output not compared\n";
}

}  // namespace
}  // namespace mtr::kube
