// The audit configuration file (`.matryoshka.yaml`, section `k8s:`):
//
//   k8s:
//     pss: restricted                 # baseline | restricted | privileged
//     pss-version: latest             # or v1.N
//     only: [pss, rbac]               # check groups (default: all)
//     skip: [resources]
//     ignored: [MTR-K8S-201, KSV014]  # ids or aliases
//     enable: [MTR-K8S-402]           # checks that are off by default
//     severity: {MTR-K8S-204: medium}
//     min-user-id: 10000              # runAsUser/runAsGroup must be above
//     min-group-id: 10000
//     require-digest: true            # turns on MTR-K8S-402
//     allowed-registries: [registry.example.com, "*.corp.example"]
//     privileged-namespaces: [kube-system]
//     fail-on: high
//     exemptions:
//       - checks: [MTR-K8S-103]       # omitted = every check
//         namespace: kube-system      # globs; every given criterion must match
//         name: "kube-proxy*"
//         kind: DaemonSet
//         labels: {app: kube-proxy}
//         reason: the node proxy needs host networking
//         expires: 2027-06-30         # after this date the exemption no longer applies
//
// A file whose root has no `k8s:` key is read as that section. Pure: the CLI reads the file;
// errors name origin:line:column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "kube/audit.h"

namespace mtr::kube {

struct AuditFileConfig {
  AuditOptions options;
  std::string fail_on;                // as written; "" = unset
  std::vector<std::string> warnings;  // ids no check answers to, expired exemptions
};

core::Result<AuditFileConfig> parse_audit_config(std::string_view text, std::string_view origin,
                                                 const CheckRegistry& registry = builtin_checks());

}  // namespace mtr::kube
