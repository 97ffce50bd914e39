// kube-linter's check tests (../shared/corpus/k8s/peers/kube-linter/tests/checks/<check>.yml, run
// by its e2e suite with `--include <check>`): in each file, objects named dont-fire* must not
// raise the check and every other object must. For each kube-linter check that one of ours
// means, our verdict per object must agree, except the cases in kDisagreements (each with its
// reason); the test fails when that set changes. OpenShift DeploymentConfigs are not Kubernetes
// kinds we audit and are left out.
#include <gtest/gtest.h>

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
  const char* kube_linter;  // tests/checks/<name>.yml
  const char* ours;
};

constexpr Mapping kMappings[] = {
    {"no-read-only-root-fs", "MTR-K8S-201"},
    {"run-as-non-root", "MTR-K8S-202"},
    {"privilege-escalation-container", "MTR-K8S-203"},
    {"privileged-container", "MTR-K8S-103"},
    {"host-network", "MTR-K8S-102"},
    {"host-pid", "MTR-K8S-102"},
    {"host-ipc", "MTR-K8S-102"},
    {"unset-cpu-requirements", "MTR-K8S-301"},
    {"unset-memory-requirements", "MTR-K8S-304"},
    {"latest-tag", "MTR-K8S-401"},
    {"use-namespace", "MTR-K8S-505"},
    {"non-isolated-pod", "MTR-K8S-503"},
    {"wildcard-in-rules", "MTR-K8S-601"},
    {"access-to-secrets", "MTR-K8S-602"},
    {"access-to-create-pods", "MTR-K8S-605"},
    {"cluster-admin-role-binding", "MTR-K8S-607"},
    {"docker-sock", "MTR-K8S-701"},
    {"sensitive-host-mounts", "MTR-K8S-702"},
};

// "<check>/<Kind namespace/name>": why we decide otherwise.
const std::map<std::string, std::string> kDisagreements = {
#include "peers_kube_linter_disagreements.inc"
};

TEST(KubePeersKubeLinter, EveryMappedCheckAgreesPerObjectOrTheReasonIsWritten) {
  MTR_REQUIRE_CORPUS();
  const fs::path root = test::corpus_dir() / "k8s" / "peers" / "kube-linter" / "tests" / "checks";
  ASSERT_TRUE(fs::exists(root));
  std::map<std::string, std::string> disagreements;
  std::size_t agreed = 0;
  for (const Mapping& m : kMappings) {
    const fs::path path = root / (std::string(m.kube_linter) + ".yml");
    auto manifest = load_manifest(test::read_file(path), path.string());
    ASSERT_TRUE(manifest) << manifest.error().to_string();
    std::vector<Manifest> manifests;
    manifests.push_back(std::move(*manifest));
    const CheckInfo* info = builtin_checks().find(m.ours);
    ASSERT_NE(info, nullptr) << m.ours;
    AuditOptions options;
    options.today = "2026-11-23";
    options.only = {info->group};
    std::set<std::string> fired;
    for (const auto& f : audit(manifests, options))
      if (f.id == m.ours) fired.insert(f.properties.at("object"));
    for (const Object& o : manifests.front().objects) {
      if (o.kind == "DeploymentConfig") continue;
      const bool should = o.name.rfind("dont-fire", 0) != 0;
      const bool did = fired.contains(o.display());
      if (should == did) {
        ++agreed;
        continue;
      }
      disagreements[std::string(m.kube_linter) + "/" + o.display()] =
          did ? "we fire, kube-linter does not" : "kube-linter fires, we do not";
    }
  }
  for (const auto& [k, v] : disagreements)
    EXPECT_TRUE(kDisagreements.contains(k)) << "new disagreement: " << k << " (" << v << ")";
  for (const auto& [k, v] : kDisagreements)
    EXPECT_TRUE(disagreements.contains(k)) << "listed disagreement no longer happens: " << k;
  std::cout << "[ kube-linter ] " << agreed << " objects agree, " << disagreements.size()
            << " documented disagreements, " << std::size(kMappings) << " checks mapped\n";
}

}  // namespace
}  // namespace mtr::kube
