// The network group: namespaces without a default-deny NetworkPolicy, workloads no policy
// isolates or that stay open to every source, policies that select nothing or that the API
// server would reject, and workloads in the default namespace. Isolation is computed by
// kube/netpol.h with the API's own semantics (policyTypes defaulting, empty selectors, hostNetwork
// pods), so "selected" means what a CNI would enforce, not a label comparison.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "kube/audit.h"
#include "kube/checks/check_util.h"
#include "kube/netpol.h"

namespace mtr::kube {

namespace {

constexpr std::string_view kDocs =
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/";

NetpolAnalysis analysis_of(const AuditInput& input) {
  NetpolOptions options;
  options.matrix = false;  // isolation only: linear in workloads × policies
  auto a = analyze_network(input, options);
  return a ? std::move(*a) : NetpolAnalysis{};
}

// Namespaces with workloads among the given objects, each with the object to report on: the
// Namespace object when given, else the first workload in it.
std::map<std::string, const Object*> workload_namespaces(const AuditInput& input) {
  std::map<std::string, const Object*> out;
  for (const PodSpec& pod : input.pods())
    out.emplace(AuditInput::namespace_of(*pod.object), pod.object);
  for (const Object* ns : input.of_kind("Namespace"))
    if (auto it = out.find(ns->name); it != out.end()) it->second = ns;
  return out;
}

std::string default_deny_yaml(const std::string& ns, bool ingress) {
  if (ingress)
    return fmt::format(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: "
        "default-deny-ingress\n  namespace: {}\nspec:\n  podSelector: {{}}  # every pod of the "
        "namespace\n  policyTypes:\n  - Ingress\n  # no ingress rules: nothing gets in unless "
        "another policy allows it\n",
        ns);
  return fmt::format(
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: "
      "default-deny-egress\n  namespace: {}\nspec:\n  podSelector: {{}}\n  policyTypes:\n  - "
      "Egress\n  egress:  # DNS only; other policies open what each workload needs\n  - to:\n    "
      "- namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: "
      "kube-system\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns\n    "
      "ports:\n    - protocol: UDP\n      port: 53\n    - protocol: TCP\n      port: 53\n",
      ns);
}

void namespace_without_default_deny(const AuditInput& input, IssueSink& out, bool ingress) {
  NetpolAnalysis a = analysis_of(input);
  std::set<std::string> covered;
  for (const NetworkPolicy& p : a.policies)
    if (p.pod_selector.empty() && (ingress ? p.ingress_type : p.egress_type))
      covered.insert(p.namespace_);
  for (const auto& [ns, object] : workload_namespaces(input)) {
    if (covered.contains(ns)) continue;
    Issue issue;
    issue.object = object;
    issue.message = fmt::format(
        "namespace \"{}\" has workloads but no NetworkPolicy selecting all its pods for {} "
        "(podSelector: {{}} with {} in policyTypes): pods no other policy selects {}",
        ns, ingress ? "ingress" : "egress", ingress ? "Ingress" : "Egress",
        ingress ? "accept connections from anywhere" : "may connect anywhere");
    issue.path = object->path_prefix;
    issue.node = object->node;
    issue.fix = default_deny_yaml(ns, ingress);
    out.report(std::move(issue));
  }
}

// A policy for one workload: its labels, ingress from its own namespace on its first port.
std::string workload_policy_yaml(const PodSpec& pod) {
  std::string ns = AuditInput::namespace_of(*pod.object);
  std::string name = pod.object->name.empty() ? "app" : pod.object->name;
  std::string selector;
  if (pod.labels.empty()) {
    selector = fmt::format(
        "    matchLabels:\n      app: {}  # add this label to the pod template\n", name);
  } else {
    selector = "    matchLabels:\n";
    for (const auto& [k, v] : pod.labels) selector += fmt::format("      {}: \"{}\"\n", k, v);
  }
  std::string ports;
  for (const Container& c : pod.containers) {
    for (const ContainerPort& p : c.ports) {
      if (!p.container_port.has_value()) continue;
      ports = fmt::format("    ports:\n    - protocol: {}\n      port: {}\n",
                          p.protocol.value.value_or("TCP"), *p.container_port.value);
      break;
    }
    if (!ports.empty()) break;
  }
  return fmt::format(
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {}\n  "
      "namespace: {}\nspec:\n  podSelector:\n{}  policyTypes:\n  - Ingress\n  ingress:\n  - "
      "from:\n  "
      "  - podSelector: {{}}  # pods of this namespace; narrow to the real clients\n{}",
      name, ns, selector, ports);
}

bool selected_by_any(const NetpolAnalysis& a, const PodSpec& pod) {
  std::string ns = AuditInput::namespace_of(*pod.object);
  for (const NetworkPolicy& p : a.policies)
    if (p.namespace_ == ns && p.pod_selector.matches(pod.labels)) return true;
  return false;
}

void not_selected(const AuditInput& input, IssueSink& out) {
  NetpolAnalysis a = analysis_of(input);
  for (const PodSpec& pod : input.pods()) {
    if (selected_by_any(a, pod)) continue;
    const Anchor& place = pod.metadata.present() ? pod.metadata : pod.at;
    std::string message = fmt::format(
        "no NetworkPolicy in namespace \"{}\" selects this workload's pods: every pod and "
        "address may connect to it, and it may connect anywhere",
        AuditInput::namespace_of(*pod.object));
    if (pod.host_network.is(true))
      message += " (with hostNetwork, most CNIs would not apply a policy to it anyway)";
    out.report(detail::issue_at(pod, std::move(message), place.path, place.node,
                                workload_policy_yaml(pod)));
  }
}

void open_ingress(const AuditInput& input, IssueSink& out) {
  NetpolAnalysis a = analysis_of(input);
  // Workloads and pods are built from input.pods() in the same order.
  for (std::size_t i = 0; i < a.workloads.size() && i < input.pods().size(); ++i) {
    const NetpolWorkload& w = a.workloads[i];
    const PodSpec& pod = input.pods()[i];
    if (w.host_network || !w.open_ingress || !selected_by_any(a, pod)) continue;
    std::string why;
    if (!w.ingress_isolated) {
      std::vector<std::string> names;
      for (std::size_t pi : w.policies) names.push_back(a.policies[pi].object->name);
      why = fmt::format("the policies selecting it ({}) do not have Ingress in policyTypes",
                        fmt::join(names, ", "));
    } else {
      std::vector<std::string> rules;
      for (std::size_t pi : w.policies) {
        const NetworkPolicy& p = a.policies[pi];
        if (!p.ingress_type) continue;
        for (const NetpolRule& r : p.ingress) {
          bool wide = r.all_peers;
          for (const NetpolPeer& peer : r.peers)
            wide = wide || (peer.ip_block && peer.ip_block->everything()) ||
                   (peer.namespace_selector && peer.namespace_selector->empty() &&
                    (!peer.pod_selector || peer.pod_selector->empty()));
          if (!wide) continue;
          std::string rule = fmt::format("{} {}", p.object->name, r.path);
          if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
        }
      }
      why = fmt::format("ingress rules admit every namespace and any outside address ({})",
                        fmt::join(rules, "; "));
    }
    Issue issue;
    issue.object = w.object;
    issue.message = fmt::format(
        "reachable from every pod of every namespace and from outside the cluster: {}", why);
    // The rule lives in the policy, but findings stay on the workload so suppressions apply.
    const Anchor& place = pod.metadata.present() ? pod.metadata : pod.at;
    issue.path = place.path;
    issue.node = place.node;
    out.report(std::move(issue));
  }
}

void default_namespace(const AuditInput& input, IssueSink& out) {
  for (const Object* o : input.objects()) {
    bool service = o->kind == "Service" && o->group().empty();
    if (!service && !pod_template_path(*o)) continue;
    if (!o->namespace_.empty() && o->namespace_ != "default") continue;
    if (service && o->name == "kubernetes") continue;  // the API server's own, always in default
    Issue issue;
    issue.object = o;
    issue.message =
        o->namespace_.empty()
            ? "sets no metadata.namespace: it lands in the default namespace unless applied "
              "with -n"
            : "is in the default namespace";
    const core::YamlNode* ns = o->node ? o->node->get("metadata") : nullptr;
    const core::YamlNode* field = ns ? ns->get("namespace") : nullptr;
    issue.path = o->at(field ? "metadata.namespace" : "metadata");
    issue.node = field ? field : ns;
    out.report(std::move(issue));
  }
}

void dangling_policy(const AuditInput& input, IssueSink& out) {
  NetpolAnalysis a = analysis_of(input);
  std::vector<bool> used(a.policies.size(), false);
  for (const PodSpec& pod : input.pods()) {
    std::string ns = AuditInput::namespace_of(*pod.object);
    for (std::size_t i = 0; i < a.policies.size(); ++i)
      if (a.policies[i].namespace_ == ns && a.policies[i].pod_selector.matches(pod.labels))
        used[i] = true;
  }
  // Operators make pods from custom resources (a Prometheus, an Alertmanager, an OpenShift
  // DeploymentConfig): with one in the namespace, the policy may well select those pods.
  std::set<std::string> operator_namespaces;
  for (const Object* o : input.objects()) {
    std::string_view group = o->group();
    bool builtin = group.find('.') == std::string_view::npos || group.ends_with(".k8s.io");
    if (!builtin && o->kind != "CustomResourceDefinition")
      operator_namespaces.insert(AuditInput::namespace_of(*o));
  }
  for (std::size_t i = 0; i < a.policies.size(); ++i) {
    const NetworkPolicy& p = a.policies[i];
    // An empty selector is a namespace baseline (default deny), meant for pods to come.
    if (used[i] || p.pod_selector.empty() || operator_namespaces.contains(p.namespace_)) continue;
    Issue issue;
    issue.object = p.object;
    issue.message = fmt::format(
        "podSelector {} matches no workload of namespace \"{}\" among the given objects",
        p.pod_selector.to_string(), p.namespace_);
    const core::YamlNode* spec = p.object->node ? p.object->node->get("spec") : nullptr;
    const core::YamlNode* sel = spec ? spec->get("podSelector") : nullptr;
    issue.path = p.object->at(sel ? "spec.podSelector" : "spec");
    issue.node = sel ? sel : spec;
    out.report(std::move(issue));
  }
}

void rejected_policy(const AuditInput& input, IssueSink& out) {
  NetpolAnalysis a = analysis_of(input);
  for (const IgnoredPolicy& p : a.ignored) {
    Issue issue;
    issue.object = p.object;
    issue.message = fmt::format(
        "the API server would reject this NetworkPolicy, so it isolates "
        "nothing: {}",
        p.error.message);
    issue.path = p.error.location.object;
    out.report(std::move(issue));
  }
}

void add(CheckRegistry& registry, CheckInfo info, Check check) {
  info.group = CheckGroup::kNetwork;
  if (info.references.empty()) info.references = {std::string(kDocs)};
  auto status = registry.add(std::move(info), std::move(check));
  (void)status;  // duplicate ids are a table bug caught by the registry's tests
}

}  // namespace

void register_network_checks(CheckRegistry& registry) {
  using core::Severity;
  {
    CheckInfo i;
    i.id = "MTR-K8S-501";
    i.title = "Namespace without default-deny ingress";
    i.severity = Severity::kMedium;
    i.description =
        "Kubernetes lets any pod and any address connect to a pod until a NetworkPolicy with "
        "Ingress in policyTypes selects it. Without a policy selecting every pod of the "
        "namespace (podSelector: {}), each new workload starts open.";
    i.fix = default_deny_yaml("NAMESPACE", true);
    i.references = {std::string(kDocs) + "#default-deny-all-ingress-traffic"};
    add(registry, std::move(i), [](const AuditInput& in, IssueSink& out) {
      namespace_without_default_deny(in, out, true);
    });
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-502";
    i.title = "Namespace without default-deny egress";
    i.severity = Severity::kLow;
    i.description =
        "Pods may connect anywhere (other namespaces, the cloud metadata endpoint, the "
        "internet) until a NetworkPolicy with Egress in policyTypes selects them: a compromised "
        "pod can then reach everything. A namespace-wide egress policy makes every destination "
        "explicit.";
    i.fix = default_deny_yaml("NAMESPACE", false);
    i.references = {std::string(kDocs) + "#default-deny-all-egress-traffic"};
    add(registry, std::move(i), [](const AuditInput& in, IssueSink& out) {
      namespace_without_default_deny(in, out, false);
    });
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-503";
    i.title = "Workload not selected by any NetworkPolicy";
    i.severity = Severity::kMedium;
    i.description =
        "No NetworkPolicy among the given objects selects the workload's pods, so nothing "
        "restricts who connects to them or where they connect.";
    i.fix =
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  "
        "namespace: NAMESPACE\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  "
        "policyTypes:\n  - Ingress\n  ingress:\n  - from:\n    - podSelector: {}\n    "
        "ports:\n    - protocol: TCP\n      port: 8080\n";
    i.aliases = {"pod-networkpolicy", "non-isolated-pod", "missingNetworkPolicy", "CKV2_K8S_6"};
    add(registry, std::move(i), not_selected);
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-504";
    i.title = "Workload reachable from everywhere";
    i.severity = Severity::kMedium;
    i.description =
        "NetworkPolicies select the workload, yet every pod of every namespace and any address "
        "outside the cluster may connect to it: either no policy selecting it has Ingress in "
        "policyTypes (an egress-only policy isolates nothing inbound), or its ingress rules admit "
        "both every namespace and every address: a rule without `from`, or namespaceSelector: {} "
        "peers together with an ipBlock of 0.0.0.0/0 (or ::/0).";
    i.fix =
        "ingress:\n- from:\n  - podSelector:\n      matchLabels:\n        app: frontend  # the "
        "real clients\n  ports:\n  - protocol: TCP\n    port: 8080\n";
    add(registry, std::move(i), open_ingress);
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-505";
    i.title = "Workload in the default namespace";
    i.severity = Severity::kLow;
    i.description =
        "The default namespace is where everything without a namespace lands: policies, quotas "
        "and RBAC scoped to it end up shared by unrelated workloads. Give each application its "
        "own namespace.";
    i.fix = "metadata:\n  namespace: my-app";
    i.aliases = {"use-namespace", "KSV-0110", "AVD-KSV-0110", "KSV110", "CKV_K8S_21"};
    i.references = {
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"};
    add(registry, std::move(i), default_namespace);
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-506";
    i.title = "NetworkPolicy selects no workload";
    i.severity = Severity::kLow;
    i.description =
        "The policy's podSelector matches none of the given workloads of its namespace: a label "
        "typo leaves the pods it was written for unprotected. Not reported: policies with "
        "podSelector: {}, and namespaces holding custom resources (operators create pods from "
        "them).";
    i.fix =
        "spec:\n  podSelector:\n    matchLabels:\n      app: web  # the labels of the pod "
        "template it protects";
    i.aliases = {"networkpolicy-targets-pod", "dangling-networkpolicy"};
    add(registry, std::move(i), dangling_policy);
  }
  {
    CheckInfo i;
    i.id = "MTR-K8S-507";
    i.title = "NetworkPolicy the API server would reject";
    i.severity = Severity::kMedium;
    i.description =
        "The policy has a field the API server refuses (a quoted port number, an unknown "
        "protocol or operator, a peer with nothing set, an ipBlock next to a selector, endPort "
        "without a numeric port...): it would never be created and protects nothing.";
    i.fix =
        "ports:\n- protocol: TCP  # TCP, UDP or SCTP\n  port: 8080  # a number, unquoted, or "
        "a container port name";
    add(registry, std::move(i), rejected_policy);
  }
}

}  // namespace mtr::kube
