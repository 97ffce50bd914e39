// The hygiene group: security-context settings every workload should carry whatever Pod
// Security level its namespace enforces. Pod-level values are inherited by containers (the
// kubelet does so; ignoring it gave Trivy years of false positives), and the two checks the
// restricted standard also makes (runAsNonRoot, allowPrivilegeEscalation) give way to the pss
// finding on the same object.
#include <fmt/format.h>

#include "kube/audit.h"
#include "kube/checks/check_util.h"

namespace mtr::kube {

namespace {

using detail::describe;
using detail::issue_at;
using detail::security_field_place;

void read_only_root_fs(const AuditInput& input, IssueSink& out) {
  for (const PodSpec& pod : input.pods()) {
    pod.for_each_container([&](const Container& c) {
      const Field<bool>& f = c.security_context.read_only_root_filesystem;
      if (f.is(true)) return;
      auto [path, node] = security_field_place(c, f);
      out.report(issue_at(pod,
                          fmt::format("{} does not set securityContext.readOnlyRootFilesystem: "
                                      "true",
                                      describe(c)),
                          path, node));
    });
  }
}

void run_as_non_root(const AuditInput& input, IssueSink& out) {
  for (const PodSpec& pod : input.pods()) {
    if (pod.host_users.is(false)) continue;  // a user namespace: root in it is not root outside
    pod.for_each_container([&](const Container& c) {
      const Field<bool>& f = effective_run_as_non_root(pod, c);
      if (f.is(true)) return;
      // runAsNonRoot unset but a non-zero runAsUser: the kubelet runs it as that user.
      const Field<std::int64_t>& uid = effective_run_as_user(pod, c);
      if (!f.present() && uid.has_value() && *uid.value != 0) return;
      auto [path, node] = security_field_place(c, c.security_context.run_as_non_root);
      if (f.present()) {
        path = f.path;
        node = f.node;
      }
      out.report(issue_at(pod,
                          fmt::format("{} may run as root: runAsNonRoot is not true for it or "
                                      "the pod, and no non-zero runAsUser is set",
                                      describe(c)),
                          path, node));
    });
  }
}

void allow_privilege_escalation(const AuditInput& input, IssueSink& out) {
  for (const PodSpec& pod : input.pods()) {
    if (pod.os_name.is("windows")) continue;  // the field does not exist on Windows
    pod.for_each_container([&](const Container& c) {
      const Field<bool>& f = c.security_context.allow_privilege_escalation;
      if (f.is(false)) return;
      auto [path, node] = security_field_place(c, f);
      out.report(issue_at(pod,
                          fmt::format("{} does not set securityContext.allowPrivilegeEscalation: "
                                      "false",
                                      describe(c)),
                          path, node));
    });
  }
}

void id_threshold(const AuditInput& input, IssueSink& out, bool user) {
  const std::int64_t min = user ? input.config().min_user_id : input.config().min_group_id;
  const char* field = user ? "runAsUser" : "runAsGroup";
  for (const PodSpec& pod : input.pods()) {
    if (pod.os_name.is("windows")) continue;
    pod.for_each_container([&](const Container& c) {
      const Field<std::int64_t>& f =
          user ? effective_run_as_user(pod, c) : effective_run_as_group(pod, c);
      if (f.has_value() && *f.value > min) return;
      std::string message =
          f.has_value() ? fmt::format(
                              "{} runs with {} {}: at or below {}, it may collide with a user of "
                              "the node",
                              describe(c), field, *f.value, min)
                        : fmt::format(
                              "{} sets no {} (in its securityContext or the pod's): the image's "
                              "{} is used",
                              describe(c), field, user ? "user" : "group");
      auto place = security_field_place(
          c, user ? c.security_context.run_as_user : c.security_context.run_as_group);
      if (f.present()) place = {f.path, f.node};
      out.report(issue_at(pod, std::move(message), place.first, place.second,
                          fmt::format("securityContext:\n  {}: {}", field, min + 1)));
    });
  }
}

void automount_token(const AuditInput& input, IssueSink& out) {
  // ServiceAccounts among the given objects that opt out themselves.
  std::set<std::pair<std::string, std::string>> opted_out;
  for (const Object* sa : input.of_kind("ServiceAccount")) {
    const core::YamlNode* v = sa->node->get("automountServiceAccountToken");
    if (v && v->as_bool() == false) opted_out.emplace(AuditInput::namespace_of(*sa), sa->name);
  }
  for (const PodSpec& pod : input.pods()) {
    const Field<bool>& f = pod.automount_service_account_token;
    if (f.is(false)) continue;
    std::string account = pod.service_account_name.value.value_or("default");
    if (!f.present() && opted_out.contains({AuditInput::namespace_of(*pod.object), account}))
      continue;
    std::string message =
        f.present() ? "automountServiceAccountToken is true: every container gets an API token"
                    : fmt::format(
                          "the service account token is mounted (automountServiceAccount"
                          "Token is not false here nor on ServiceAccount \"{}\")",
                          account);
    out.report(issue_at(pod, std::move(message), f.present() ? f.path : pod.at.path,
                        f.present() ? f.node : pod.at.node));
  }
}

}  // namespace

void register_hygiene_checks(CheckRegistry& registry) {
  using core::Severity;
  const std::string ref =
      "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/";
  {
    CheckInfo i;
    i.id = "MTR-K8S-201";
    i.group = CheckGroup::kHygiene;
    i.title = "Root filesystem is writable";
    i.severity = Severity::kMedium;
    i.description =
        "A writable root filesystem lets an attacker drop tools and persist in the container; "
        "with it read-only, writes go only to the volumes you mount.";
    i.fix =
        "securityContext:\n  readOnlyRootFilesystem: true  # mount an emptyDir where the "
        "app must write";
    i.aliases = {"container-security-context-readonlyrootfilesystem",
                 "no-read-only-root-fs",
                 "notReadOnlyRootFilesystem",
                 "ReadOnlyRootFilesystem",
                 "KSV-0014",
                 "AVD-KSV-0014",
                 "KSV014",
                 "CKV_K8S_22"};
    i.references = {ref};
    (void)registry.add(std::move(i), read_only_root_fs);
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-202";
    i.group = CheckGroup::kHygiene;
    i.title = "Container may run as root";
    i.severity = Severity::kMedium;
    i.description =
        "Unless runAsNonRoot is true (on the container or the pod) or a non-zero runAsUser is "
        "set, the container runs as whatever user its image names, often root.";
    i.fix = "securityContext:\n  runAsNonRoot: true\n  runAsUser: 10001";
    i.aliases = {"run-as-non-root", "runAsRootAllowed", "RunAsNonRoot", "KSV-0012",
                 "AVD-KSV-0012",    "KSV012",           "CKV_K8S_23"};
    i.references = {ref};
    i.same_as_pss = "runAsNonRoot";
    (void)registry.add(std::move(i), run_as_non_root);
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-203";
    i.group = CheckGroup::kHygiene;
    i.title = "Privilege escalation not disabled";
    i.severity = Severity::kMedium;
    i.description =
        "Unless allowPrivilegeEscalation is false, a process can gain privileges through "
        "set-user-ID binaries or file capabilities.";
    i.fix = "securityContext:\n  allowPrivilegeEscalation: false";
    i.aliases = {"privilege-escalation-container",
                 "privilegeEscalationAllowed",
                 "AllowPrivilegeEscalation",
                 "KSV-0001",
                 "AVD-KSV-0001",
                 "KSV001",
                 "CKV_K8S_20"};
    i.references = {ref};
    i.same_as_pss = "allowPrivilegeEscalation";
    (void)registry.add(std::move(i), allow_privilege_escalation);
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-204";
    i.group = CheckGroup::kHygiene;
    i.title = "User id not above the threshold";
    i.severity = Severity::kLow;
    i.description =
        "A uid at or below 10000 (configurable: min_user_id) may be a real user of the node; "
        "were the container to escape, it would act as that user.";
    i.fix = "securityContext:\n  runAsUser: 10001";
    i.aliases = {"container-security-context-user-group-id",
                 "RunAsUser",
                 "KSV-0020",
                 "AVD-KSV-0020",
                 "KSV020",
                 "CKV_K8S_40"};
    i.references = {ref};
    (void)registry.add(std::move(i), [](const AuditInput& in, IssueSink& out) {
      id_threshold(in, out, /*user=*/true);
    });
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-205";
    i.group = CheckGroup::kHygiene;
    i.title = "Group id not above the threshold";
    i.severity = Severity::kLow;
    i.description =
        "A gid at or below 10000 (configurable: min_group_id) may be a real group of the node.";
    i.fix = "securityContext:\n  runAsGroup: 10001";
    i.aliases = {"RunAsGroup", "KSV-0021", "AVD-KSV-0021", "KSV021"};
    i.references = {ref};
    (void)registry.add(std::move(i), [](const AuditInput& in, IssueSink& out) {
      id_threshold(in, out, /*user=*/false);
    });
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-206";
    i.group = CheckGroup::kHygiene;
    i.title = "Service account token mounted";
    i.severity = Severity::kLow;
    i.description =
        "Most workloads never call the Kubernetes API, yet every container gets the service "
        "account's token; a compromised container then acts with the account's rights.";
    i.fix = "spec:\n  automountServiceAccountToken: false";
    i.aliases = {"AutomountServiceAccountToken", "KSV-0036", "AVD-KSV-0036", "KSV036",
                 "CKV_K8S_38"};
    i.references = {
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"};
    (void)registry.add(std::move(i), automount_token);
  }
}

}  // namespace mtr::kube
