// Polaris's own check tests (../shared/corpus/k8s/peers/polaris/test/checks/<check>/): every
// success*.yaml must not raise the check, every failure*.yaml must. For each Polaris check that
// one of ours means, our check must agree on every file — except the cases listed in
// kDisagreements, each with the reason we decide differently; the test fails when the set of
// disagreements changes, so a change in either direction shows up in review.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kube/audit.h"
#include "kube/object.h"
#include "support/test_support.h"

namespace mtr::kube {
namespace {

namespace fs = std::filesystem;

struct Mapping {
  const char* polaris;    // folder under test/checks
  const char* ours;       // the check that means the same
  bool baseline = false;  // a baseline PSS check: restricted replaces it with a stricter one
};

// Polaris checks and ours. Left out: the binding-level exec checks (*PodExecAttach on bindings:
// we report the rule of the role that grants exec, wherever it is bound), probes (not ours yet),
// PDB/HPA/replica/topology/priority checks (availability, not security), custom-check folders.
constexpr Mapping kMappings[] = {
    {"automountServiceAccountToken", "MTR-K8S-206"},
    {"runAsRootAllowed", "MTR-K8S-202"},
    {"notReadOnlyRootFilesystem", "MTR-K8S-201"},
    {"privilegeEscalationAllowed", "MTR-K8S-203"},
    {"runAsPrivileged", "MTR-K8S-103"},
    {"hostIPCSet", "MTR-K8S-102"},
    {"hostNetworkSet", "MTR-K8S-102"},
    {"hostPIDSet", "MTR-K8S-102"},
    {"hostPortSet", "MTR-K8S-106"},
    {"hostPathSet", "MTR-K8S-105", true},
    {"cpuRequestsMissing", "MTR-K8S-301"},
    {"memoryRequestsMissing", "MTR-K8S-302"},
    {"cpuLimitsMissing", "MTR-K8S-303"},
    {"memoryLimitsMissing", "MTR-K8S-304"},
    {"tagNotSpecified", "MTR-K8S-401"},
    {"pullPolicyNotAlways", "MTR-K8S-404"},
    {"dangerousCapabilities", "MTR-K8S-104", true},
    {"insecureCapabilities", "MTR-K8S-126"},
    {"linuxHardening", "MTR-K8S-125"},
    {"clusterrolePodExecAttach", "MTR-K8S-603"},
    {"rolePodExecAttach", "MTR-K8S-603"},
    {"clusterrolebindingClusterAdmin", "MTR-K8S-607"},
    {"rolebindingClusterAdminClusterRole", "MTR-K8S-607"},
    {"rolebindingClusterAdminRole", "MTR-K8S-607"},
    {"missingNetworkPolicy", "MTR-K8S-503"},
};

// "<folder>/<file>": why we decide otherwise.
const std::map<std::string, std::string> kDisagreements = {
#include "peers_polaris_disagreements.inc"
};

TEST(KubePeersPolaris, EveryMappedCheckAgreesOrTheReasonIsWritten) {
  MTR_REQUIRE_CORPUS();
  const fs::path root = test::corpus_dir() / "k8s" / "peers" / "polaris" / "test" / "checks";
  ASSERT_TRUE(fs::exists(root));
  std::map<std::string, std::string> disagreements;  // case → what happened
  std::size_t agreed = 0;
  for (const Mapping& m : kMappings) {
    const fs::path dir = root / m.polaris;
    ASSERT_TRUE(fs::exists(dir)) << dir;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("success", 0) == 0 || name.rfind("failure", 0) == 0)
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    ASSERT_FALSE(files.empty()) << dir;
    for (const fs::path& path : files) {
      std::string name = path.filename().string();
      const bool should_fire = name.rfind("failure", 0) == 0;
      auto manifest = load_manifest(test::read_file(path), path.string());
      ASSERT_TRUE(manifest) << manifest.error().to_string();
      std::vector<Manifest> manifests;
      manifests.push_back(std::move(*manifest));
      AuditOptions options;
      options.today = "2026-11-23";
      options.enabled = {"MTR-K8S-404"};
      // Hygiene checks are compared on their own (not folded into the pss twin).
      const CheckInfo* info = builtin_checks().find(m.ours);
      ASSERT_NE(info, nullptr) << m.ours;
      options.only = {info->group};
      if (m.baseline) options.config.pss_level = PssLevel::kBaseline;
      bool fired = false;
      for (const auto& f : audit(manifests, options)) fired = fired || f.id == m.ours;
      const std::string key = std::string(m.polaris) + "/" + name;
      if (fired == should_fire) {
        ++agreed;
      } else {
        disagreements[key] = fired ? "we fire, Polaris passes" : "we pass, Polaris fires";
      }
    }
  }
  std::set<std::string> expected, got;
  for (const auto& [k, v] : kDisagreements) expected.insert(k);
  for (const auto& [k, v] : disagreements) got.insert(k);
  for (const auto& [k, v] : disagreements)
    EXPECT_TRUE(kDisagreements.contains(k)) << "new disagreement: " << k << " (" << v << ")";
  for (const auto& k : expected)
    EXPECT_TRUE(got.contains(k)) << "listed disagreement no longer happens: " << k;
  std::cout << "[ polaris ] " << agreed << " files agree, " << disagreements.size()
            << " documented disagreements, " << std::size(kMappings) << " checks mapped\n";
}

}  // namespace
}  // namespace mtr::kube
