// The pss group: one check per Pod Security Admission check, evaluated at the configured level
// and version (--pss, --pss-version). Messages are PSA's own, so a finding reads as the
// rejection the API server would print.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "kube/audit.h"

namespace mtr::kube {

namespace {

struct PssCheck {
  const char* id;
  const char* psa_check;
  core::Severity severity;
  const char* title;
  std::vector<std::string> aliases;
  const char* description;
  const char* fix;
};

const char* kPssReference = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

std::vector<PssCheck> pss_checks() {
  using core::Severity;
  return {
      {"MTR-K8S-101",
       "windowsHostProcess",
       Severity::kHigh,
       "Windows HostProcess container",
       {"HostProcess", "psa:windowsHostProcess"},
       "A HostProcess container runs directly on the Windows node with the node's privileges.",
       "securityContext:\n  windowsOptions:\n    hostProcess: false"},
      {"MTR-K8S-102",
       "hostNamespaces",
       Severity::kHigh,
       "Host namespaces shared",
       {"Host Namespaces", "psa:hostNamespaces"},
       "hostNetwork, hostPID or hostIPC give the pod the node's network stack, process table or "
       "shared memory: it can sniff traffic, signal or inspect every process on the node.",
       "spec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false"},
      {"MTR-K8S-103",
       "privileged",
       Severity::kCritical,
       "Privileged container",
       {"Privileged Containers", "psa:privileged"},
       "A privileged container has every capability and every device of the node: escaping to "
       "the node is one mount away.",
       "securityContext:\n  privileged: false"},
      {"MTR-K8S-104",
       "capabilities_baseline",
       Severity::kHigh,
       "Capabilities added beyond the default set",
       {"Capabilities", "psa:capabilities_baseline"},
       "Capabilities beyond the container runtime's default set (SYS_ADMIN, NET_ADMIN, NET_RAW, "
       "SYS_PTRACE, ...) widen the kernel attack surface and enable escapes.",
       "securityContext:\n  capabilities:\n    drop: [\"ALL\"]\n    add: []  # only what the "
       "default set allows, e.g. NET_BIND_SERVICE"},
      {"MTR-K8S-105",
       "hostPathVolumes",
       Severity::kHigh,
       "hostPath volume",
       {"HostPath Volumes", "psa:hostPathVolumes"},
       "A hostPath volume exposes the node's filesystem to the pod.",
       "volumes:\n- name: data\n  emptyDir: {}  # or a persistentVolumeClaim, configMap, secret"},
      {"MTR-K8S-106",
       "hostPorts",
       Severity::kMedium,
       "Host port",
       {"Host Ports", "psa:hostPorts"},
       "A hostPort binds the node's own interface, bypassing Services and NetworkPolicies.",
       "ports:\n- containerPort: 8080  # no hostPort; expose it through a Service"},
      {"MTR-K8S-107",
       "hostProbesAndHostLifecycle",
       Severity::kMedium,
       "Probe or lifecycle handler targets another host",
       {"Host Probes / Lifecycle Hooks", "psa:hostProbesAndHostLifecycle"},
       "A probe or lifecycle hook with a host field makes the kubelet connect to an arbitrary "
       "address from the node (server-side request forgery).",
       "livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080  # no host: the pod's own "
       "IP is used"},
      {"MTR-K8S-108",
       "appArmorProfile",
       Severity::kHigh,
       "AppArmor profile disabled or custom",
       {"AppArmor", "psa:appArmorProfile"},
       "Running unconfined (or with an arbitrary profile) removes AppArmor's confinement.",
       "securityContext:\n  appArmorProfile:\n    type: RuntimeDefault"},
      {"MTR-K8S-109",
       "seLinuxOptions",
       Severity::kHigh,
       "SELinux options set to custom values",
       {"SELinux", "psa:seLinuxOptions"},
       "Custom SELinux user, role or type labels can give the container a less confined domain.",
       "securityContext:\n  seLinuxOptions: {}  # or type: container_t"},
      {"MTR-K8S-110",
       "procMount",
       Severity::kHigh,
       "Unmasked /proc",
       {"/proc Mount Type", "psa:procMount"},
       "procMount: Unmasked exposes kernel interfaces in /proc that the runtime normally masks.",
       "securityContext:\n  procMount: Default"},
      {"MTR-K8S-111",
       "seccompProfile_baseline",
       Severity::kHigh,
       "Seccomp explicitly unconfined",
       {"Seccomp", "psa:seccompProfile_baseline"},
       "Unconfined seccomp lets the container call every system call the kernel has.",
       "securityContext:\n  seccompProfile:\n    type: RuntimeDefault"},
      {"MTR-K8S-112",
       "sysctls",
       Severity::kHigh,
       "Unsafe sysctl",
       {"Sysctls", "psa:sysctls"},
       "Sysctls outside the safe, namespaced set affect the whole node or disable protections.",
       "securityContext:\n  sysctls: []  # only the safe set, e.g. net.ipv4.ip_local_port_range"},
      {"MTR-K8S-121",
       "restrictedVolumes",
       Severity::kMedium,
       "Volume type not allowed",
       {"Volume Types", "psa:restrictedVolumes"},
       "The restricted standard allows only configMap, csi, downwardAPI, emptyDir, ephemeral, "
       "image, persistentVolumeClaim, projected and secret volumes.",
       "volumes:\n- name: data\n  persistentVolumeClaim:\n    claimName: data"},
      {"MTR-K8S-122",
       "allowPrivilegeEscalation",
       Severity::kMedium,
       "Privilege escalation allowed",
       {"Privilege Escalation", "psa:allowPrivilegeEscalation"},
       "Without allowPrivilegeEscalation: false, set-user-ID binaries and file capabilities can "
       "raise a process's privileges (no_new_privs is not set).",
       "securityContext:\n  allowPrivilegeEscalation: false"},
      {"MTR-K8S-123",
       "runAsNonRoot",
       Severity::kMedium,
       "May run as root",
       {"Running as Non-root", "psa:runAsNonRoot"},
       "Without runAsNonRoot: true the kubelet starts the container as root when the image says "
       "so; root in a container is one kernel bug away from root on the node.",
       "securityContext:\n  runAsNonRoot: true"},
      {"MTR-K8S-124",
       "runAsUser",
       Severity::kMedium,
       "Runs as uid 0",
       {"Running as Non-root user", "psa:runAsUser"},
       "runAsUser: 0 runs the container as root.",
       "securityContext:\n  runAsUser: 10001"},
      {"MTR-K8S-125",
       "seccompProfile_restricted",
       Severity::kMedium,
       "Seccomp profile not set",
       {"Seccomp (restricted)", "psa:seccompProfile_restricted"},
       "The restricted standard requires a seccomp profile (RuntimeDefault or Localhost) for every "
       "container.",
       "securityContext:\n  seccompProfile:\n    type: RuntimeDefault"},
      {"MTR-K8S-126",
       "capabilities_restricted",
       Severity::kMedium,
       "Capabilities not dropped",
       {"Capabilities (restricted)", "psa:capabilities_restricted"},
       "The restricted standard requires dropping ALL capabilities and adding back at most "
       "NET_BIND_SERVICE.",
       "securityContext:\n  capabilities:\n    drop: [\"ALL\"]"},
      {"MTR-K8S-127",
       "procMount_restricted",
       Severity::kMedium,
       "Unmasked /proc (restricted)",
       {"/proc Mount Type (restricted)", "psa:procMount_restricted"},
       "The restricted standard requires the default /proc mask even in user namespaces.",
       "securityContext:\n  procMount: Default"},
  };
}

}  // namespace

void register_pss_checks(CheckRegistry& registry) {
  for (PssCheck& c : pss_checks()) {
    CheckInfo info;
    info.id = c.id;
    info.group = CheckGroup::kPss;
    info.title = c.title;
    info.severity = c.severity;
    info.description = c.description;
    info.fix = c.fix;
    info.aliases = std::move(c.aliases);
    info.references = {kPssReference};
    std::string psa_check = c.psa_check;
    (void)registry.add(std::move(info), [psa_check](const AuditInput& input, IssueSink& out) {
      for (const PodSpec& pod : input.pods()) {
        for (const PssViolation& v : input.pss(pod)) {
          if (!v.control || v.control->check != psa_check) continue;
          Issue issue;
          issue.object = pod.object;
          issue.message =
              pss_message(std::span(&v, 1), input.config().pss_level, input.config().pss_version);
          if (!v.fields.empty()) {
            issue.path = v.fields.front().path;
            issue.node = v.fields.front().node;
          } else {
            issue.path = pod.at.path;
            issue.node = pod.at.node;
          }
          issue.pss_check = psa_check;
          out.report(std::move(issue));
        }
      }
    });
  }
}

}  // namespace mtr::kube
