// Fuzzes the Kubernetes object model and every check: the input is read as a manifest stream
// (or as an ABAC policy file when it looks like one), reduced to pods, RBAC objects and
// NetworkPolicies, audited with every check group enabled, and its reachability matrix is
// computed and rendered.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/audit.h"
#include "kube/netpol.h"
#include "kube/object.h"
#include "kube/rbac.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto manifest = mtr::kube::looks_like_abac(text) ? mtr::kube::load_abac(text, "fuzz.jsonl")
                                                   : mtr::kube::load_manifest(text, "fuzz.yaml");
  if (!manifest) return 0;
  std::vector<mtr::kube::Manifest> manifests;
  manifests.push_back(std::move(*manifest));
  mtr::kube::AuditOptions options;
  options.today = "2026-01-01";
  for (const auto& c : mtr::kube::builtin_checks().checks()) options.enabled.push_back(c.id);
  (void)mtr::kube::audit(manifests, options);
  options.config.pss_level = mtr::kube::PssLevel::kBaseline;
  options.config.pss_version = mtr::kube::PssVersion::v1(20);
  (void)mtr::kube::audit(manifests, options);
  // The reachability matrix and its renderings (`k8s netpol`).
  if (auto analysis = mtr::kube::analyze_network(manifests)) {
    (void)mtr::kube::netpol_to_json(*analysis).dump();
    std::ostringstream table;
    mtr::kube::write_netpol_table(*analysis, table, mtr::kube::NetpolLayout::kGrid);
  }
  return 0;
}
