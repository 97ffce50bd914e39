// The rbac group: what Roles, ClusterRoles, their bindings and ABAC policies let subjects do.
//
// Where findings go. Checks about what a rule grants (wildcards, secrets, exec, escalation verbs,
// pod creation, nodes/proxy) report at the rule of the Role or ClusterRole that writes it, bound
// or not: a role shipped without its binding is still a grant waiting to be made. Checks about
// who gets a grant (cluster-admin, anonymous or all-authenticated subjects, pod creation in a
// privileged namespace) report at the binding's roleRef or subject. ABAC policies are both a
// role and a binding: every check that applies to them reports at the policy line.
//
// Kubernetes' own objects. A cluster dump (`kubectl get clusterroles,clusterrolebindings -o
// yaml`) holds some sixty "system:" roles and bindings plus cluster-admin/admin/edit/view, many
// of which grant exactly what these checks look for, by design. Rule checks skip roles that
// Role::built_in() recognises, binding checks skip bindings named "system:*" or labelled
// kubernetes.io/bootstrapping=rbac-defaults, and who-can answers ignore the system:masters group
// (which bypasses RBAC anyway). A user-made binding to a "system:" role is still reported (at its
// roleRef), as Polaris does: the name does not make the grant harmless.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "kube/audit.h"
#include "kube/rbac.h"

namespace mtr::kube {

namespace {

using core::Severity;

constexpr const char* kGoodPractices =
    "https://kubernetes.io/docs/concepts/security/rbac-good-practices/";
constexpr const char* kRbacDocs = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/";
constexpr const char* kAbacDocs = "https://kubernetes.io/docs/reference/access-authn-authz/abac/";

std::vector<std::string> ksv(std::initializer_list<int> numbers) {
  std::vector<std::string> out;
  for (int n : numbers) {
    out.push_back(fmt::format("KSV-{:04}", n));
    out.push_back(fmt::format("AVD-KSV-{:04}", n));
    out.push_back(fmt::format("KSV{:03}", n));
  }
  return out;
}

std::vector<std::string> concat(std::vector<std::string> a, std::vector<std::string> b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

AccessRequest probe(std::string verb, std::string group, std::string resource,
                    std::string subresource = {}, std::string ns = "*") {
  AccessRequest r;
  r.verb = std::move(verb);
  r.api_group = std::move(group);
  r.resource = std::move(resource);
  r.subresource = std::move(subresource);
  r.namespace_ = std::move(ns);
  return r;
}

std::string resource_text(const AccessRequest& r) {
  return r.subresource.empty() ? r.resource : r.resource + "/" + r.subresource;
}

// "get, list, watch secrets; create pods/exec, pods/attach": the probes allowed, resources
// with the same verbs together.
std::string allowed(const std::function<bool(const AccessRequest&)>& allows,
                    const std::vector<AccessRequest>& probes) {
  std::vector<std::pair<std::string, std::vector<std::string>>> by_resource;
  for (const AccessRequest& p : probes) {
    if (!allows(p)) continue;
    std::string res = resource_text(p);
    if (!p.name.empty()) res += fmt::format(" \"{}\"", p.name);
    auto it = std::find_if(by_resource.begin(), by_resource.end(),
                           [&](const auto& e) { return e.first == res; });
    if (it == by_resource.end()) {
      by_resource.push_back({res, {}});
      it = by_resource.end() - 1;
    }
    if (std::find(it->second.begin(), it->second.end(), p.verb) == it->second.end())
      it->second.push_back(p.verb);
  }
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> by_verbs;
  for (const auto& entry : by_resource) {
    const auto& [res, verbs] = entry;
    // (clang 14 cannot capture a structured binding: compare through `entry`.)
    auto it = std::find_if(by_verbs.begin(), by_verbs.end(),
                           [&](const auto& e) { return e.first == entry.second; });
    if (it == by_verbs.end())
      by_verbs.push_back({verbs, {res}});
    else
      it->second.push_back(res);
  }
  std::vector<std::string> parts;
  for (const auto& [verbs, resources] : by_verbs)
    parts.push_back(fmt::format("{} {}", fmt::join(verbs, ", "), fmt::join(resources, ", ")));
  return fmt::format("{}", fmt::join(parts, "; "));
}

// A namespaced Role cannot grant cluster-scoped resources (probes with an empty namespace),
// whatever its rules say.
std::string allowed_by_rule(const PolicyRule& rule, const std::vector<AccessRequest>& probes) {
  const bool namespaced = rule.object && rule.object->kind == "Role";
  return allowed(
      [&](const AccessRequest& r) {
        return !(namespaced && r.namespace_.empty()) && rule_allows(rule, r);
      },
      probes);
}

std::string allowed_by_policy(const AbacPolicy& policy, const std::vector<AccessRequest>& probes) {
  return allowed([&](const AccessRequest& r) { return policy.allows(r); }, probes);
}

std::string subjects_text(const std::vector<Subject>& subjects, std::size_t cap = 5) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < subjects.size() && i < cap; ++i)
    names.push_back(subjects[i].display());
  std::string text = fmt::format("{}", fmt::join(names, ", "));
  if (subjects.size() > cap) text += fmt::format(" and {} more", subjects.size() - cap);
  return text.empty() ? std::string("no subjects") : text;
}

std::string policy_who(const AbacPolicy& p) {
  if (p.matches_everyone()) return "everyone (\"*\")";
  return subjects_text(p.subjects());
}

// " (aggregated into ClusterRole edit)" when other ClusterRoles gather this rule.
std::string aggregation_note(const RbacModel& model, const PolicyRule& rule) {
  std::vector<std::string> into;
  for (const Role& r : model.roles())
    if (std::find(r.aggregated.begin(), r.aggregated.end(), &rule) != r.aggregated.end())
      into.push_back(r.name);
  if (into.empty()) return {};
  return fmt::format(" (aggregated into ClusterRole {})", fmt::join(into, ", "));
}

bool user_role(const Role& role) { return role.object != nullptr && !role.built_in(); }

bool system_named(std::string_view name) { return name.substr(0, 7) == "system:"; }

// What a rule-level check asks of a rule or policy: a description of what it grants, or "".
struct RuleTest {
  std::function<std::string(const PolicyRule&)> rule;
  std::function<std::string(const AbacPolicy&)> policy;
};

// Runs a rule-level check: rules of the input's own roles, user bindings to "system:" roles the
// input defines (whose rules are otherwise skipped), and ABAC policies.
void run_rule_check(const AuditInput& input, IssueSink& out, const RuleTest& test) {
  RbacModel model(input.objects());
  for (const Role& role : model.roles()) {
    if (!user_role(role)) continue;
    for (const PolicyRule& rule : role.rules) {
      std::string what = test.rule(rule);
      if (what.empty()) continue;
      Issue issue;
      issue.object = role.object;
      issue.message = fmt::format("{} rule {} grants {}{}", role.display(), rule.index, what,
                                  aggregation_note(model, rule));
      issue.path = rule.at.path;
      issue.node = rule.at.node;
      out.report(std::move(issue));
    }
  }
  for (const Binding& b : model.bindings()) {
    if (b.built_in() || !b.role || !b.role->object || !system_named(b.role->name)) continue;
    for (const PolicyRule* rule : b.role->effective_rules()) {
      std::string what = test.rule(*rule);
      if (what.empty()) continue;
      Issue issue;
      issue.object = b.object;
      issue.message = fmt::format("{} binds {} to {}, which grants {}", b.object->display(),
                                  b.role->display(), subjects_text(b.subjects), what);
      issue.path = b.role_ref.name.path;
      issue.node = b.role_ref.name.node ? b.role_ref.name.node : b.role_ref.at.node;
      out.report(std::move(issue));
      break;
    }
  }
  if (!test.policy) return;
  for (const AbacPolicy& p : model.policies()) {
    std::string what = test.policy(p);
    if (what.empty()) continue;
    Issue issue;
    issue.object = p.object;
    issue.message = fmt::format("ABAC policy grants {} to {}", what, policy_who(p));
    issue.path = p.anchor_path();
    issue.node = p.anchor_node();
    out.report(std::move(issue));
  }
}

// ---- the probes each check asks about -----------------------------------------------------

std::vector<AccessRequest> secret_reads() {
  return {probe("get", "", "secrets"), probe("list", "", "secrets"), probe("watch", "", "secrets")};
}

std::vector<AccessRequest> exec_probes(bool with_get) {
  std::vector<AccessRequest> out;
  for (const char* sub : {"exec", "attach"}) {
    out.push_back(probe("create", "", "pods", sub));
    // Before v1.31 kubectl's websocket exec was authorised as `get`.
    if (with_get) out.push_back(probe("get", "", "pods", sub));
  }
  return out;
}

std::vector<AccessRequest> escalation_probes(const PolicyRule* rule) {
  std::vector<AccessRequest> out;
  for (const char* res : {"roles", "clusterroles"}) {
    const char* ns = std::string_view(res) == "roles" ? "*" : "";
    out.push_back(probe("escalate", std::string(kRbacGroup), res, {}, ns));
    out.push_back(probe("bind", std::string(kRbacGroup), res, {}, ns));
  }
  std::vector<std::string> names = {""};
  // Impersonation limited by resourceNames still matters: the names may be system:masters.
  if (rule)
    for (const std::string& n : rule->resource_names.values()) names.push_back(n);
  for (const std::string& name : names) {
    for (const char* res : {"users", "groups", "serviceaccounts"}) {
      // Users and groups are cluster-scoped; service accounts are impersonated in a namespace.
      AccessRequest r =
          probe("impersonate", "", res, {}, std::string_view(res) == "serviceaccounts" ? "*" : "");
      r.name = name;
      out.push_back(std::move(r));
    }
    AccessRequest uid = probe("impersonate", "authentication.k8s.io", "uids", {}, "");
    uid.name = name;
    out.push_back(std::move(uid));
  }
  return out;
}

std::vector<AccessRequest> pod_creation(std::string ns = "*") {
  std::vector<AccessRequest> out = {probe("create", "", "pods", {}, ns),
                                    probe("create", "", "replicationcontrollers", {}, ns)};
  for (const char* res : {"deployments", "replicasets", "statefulsets", "daemonsets"})
    out.push_back(probe("create", "apps", res, {}, ns));
  for (const char* res : {"jobs", "cronjobs"}) out.push_back(probe("create", "batch", res, {}, ns));
  return out;
}

std::vector<AccessRequest> node_proxy() {
  return {probe("create", "", "nodes", "proxy", ""), probe("get", "", "nodes", "proxy", "")};
}

// A rule that is as good as cluster-admin: every verb (or Polaris' seven) on every resource of
// every group.
bool admin_rule(const PolicyRule& rule) {
  if (!rule.api_groups.contains("*") || !rule.resources.contains("*")) return false;
  if (!rule.resource_names.empty()) return false;
  if (rule.verbs.contains("*")) return true;
  for (const char* v : {"get", "list", "watch", "create", "update", "patch", "delete"})
    if (!rule.verbs.contains(v)) return false;
  return true;
}

bool admin_role(const Role& role) {
  if (role.cluster && role.name == "cluster-admin") return true;
  for (const PolicyRule* r : role.effective_rules())
    if (admin_rule(*r)) return true;
  return false;
}

bool admin_policy(const AbacPolicy& p) {
  return !p.eff_readonly && p.eff_resource == "*" && p.eff_api_group == "*" &&
         p.eff_namespace == "*";
}

bool is_masters(const Subject& s) {
  return s.kind == SubjectKind::kGroup && s.name == "system:masters";
}

bool is_anonymous(const Subject& s) {
  return (s.kind == SubjectKind::kUser && s.name == "system:anonymous") ||
         (s.kind == SubjectKind::kGroup && s.name == "system:unauthenticated");
}

bool is_all_authenticated(const Subject& s) {
  return s.kind == SubjectKind::kGroup &&
         (s.name == "system:authenticated" || s.name == "system:serviceaccounts" ||
          s.name.starts_with("system:serviceaccounts:"));
}

// Anything beyond reading non-secret objects: a write verb, escalation, or reading secrets.
std::string broad_grant(const PolicyRule& rule) {
  for (const Field<std::string>& v : rule.verbs.items) {
    if (!v.value) continue;
    const std::string& verb = *v.value;
    if (verb == "get" || verb == "list" || verb == "watch") continue;
    // Self reviews are granted to every authenticated user by default (system:basic-user).
    bool self_review_only = !rule.resources.empty() && rule.non_resource_urls.empty();
    for (const Field<std::string>& r : rule.resources.items)
      if (!r.value || !r.value->starts_with("self")) self_review_only = false;
    if (self_review_only) continue;
    return fmt::format("\"{}\"", verb);
  }
  std::string secrets = allowed_by_rule(rule, secret_reads());
  return secrets;
}

std::string rule_location(const Role& role, const PolicyRule* rule) {
  if (!rule) return role.display();
  if (rule->object && rule->object != role.object)
    return fmt::format("{} (aggregated from {})", role.display(), rule->object->display());
  return role.display();
}

Issue binding_issue(const Binding& b, std::string message) {
  Issue issue;
  issue.object = b.object;
  issue.message = std::move(message);
  issue.path = b.role_ref.name.present() ? b.role_ref.name.path : b.role_ref.at.path;
  issue.node = b.role_ref.name.node ? b.role_ref.name.node : b.role_ref.at.node;
  return issue;
}

Issue policy_issue(const AbacPolicy& p, std::string message) {
  Issue issue;
  issue.object = p.object;
  issue.message = std::move(message);
  issue.path = p.anchor_path();
  issue.node = p.anchor_node();
  return issue;
}

std::string scope_text(const Binding& b) {
  return b.cluster ? std::string("cluster-wide") : fmt::format("in namespace {}", b.namespace_);
}

// ---- the checks ----------------------------------------------------------------------------

void check_wildcards(const AuditInput& input, IssueSink& out) {
  RuleTest test;
  test.rule = [](const PolicyRule& rule) -> std::string {
    std::vector<std::string> fields;
    if (rule.verbs.contains("*")) fields.push_back("verbs");
    if (rule.api_groups.contains("*")) fields.push_back("apiGroups");
    if (rule.resources.contains("*")) fields.push_back("resources");
    if (rule.non_resource_urls.contains("*")) fields.push_back("nonResourceURLs");
    if (fields.empty()) return {};
    std::string what = fmt::format("\"*\" in {}", fmt::join(fields, ", "));
    if (admin_rule(rule)) what += ": every verb on every resource, as cluster-admin";
    return what;
  };
  // v0 policies always match every API group, so only a "*" resource (or a writable "*"
  // non-resource path) is reported.
  test.policy = [](const AbacPolicy& p) -> std::string {
    if (p.eff_resource == "*")
      return fmt::format(
          "{} on every resource in {}", p.eff_readonly ? "read" : "every verb",
          p.eff_namespace == "*" ? std::string("every namespace") : "namespace " + p.eff_namespace);
    if (p.eff_non_resource_path == "*" && !p.eff_readonly) return "every verb on every URL path";
    return {};
  };
  run_rule_check(input, out, test);
}

void check_secrets(const AuditInput& input, IssueSink& out) {
  RuleTest test;
  test.rule = [](const PolicyRule& rule) { return allowed_by_rule(rule, secret_reads()); };
  test.policy = [](const AbacPolicy& p) { return allowed_by_policy(p, secret_reads()); };
  run_rule_check(input, out, test);
}

void check_exec(const AuditInput& input, IssueSink& out) {
  RuleTest test;
  test.rule = [](const PolicyRule& rule) { return allowed_by_rule(rule, exec_probes(true)); };
  // ABAC ignores subresources, so every read-only policy on pods would allow the legacy `get`
  // exec; only writable policies are reported, the read-only ones being the pre-1.31 websocket
  // case that the API server now authorises as create.
  test.policy = [](const AbacPolicy& p) { return allowed_by_policy(p, exec_probes(false)); };
  run_rule_check(input, out, test);
}

void check_escalation(const AuditInput& input, IssueSink& out) {
  RuleTest test;
  test.rule = [](const PolicyRule& rule) {
    return allowed_by_rule(rule, escalation_probes(&rule));
  };
  test.policy = [](const AbacPolicy& p) {
    return allowed_by_policy(p, escalation_probes(nullptr));
  };
  run_rule_check(input, out, test);
}

void check_pod_creation(const AuditInput& input, IssueSink& out) {
  RuleTest test;
  test.rule = [](const PolicyRule& rule) { return allowed_by_rule(rule, pod_creation()); };
  test.policy = [](const AbacPolicy& p) { return allowed_by_policy(p, pod_creation()); };
  run_rule_check(input, out, test);
}

void check_node_proxy(const AuditInput& input, IssueSink& out) {
  RuleTest test;
  test.rule = [](const PolicyRule& rule) { return allowed_by_rule(rule, node_proxy()); };
  test.policy = [](const AbacPolicy& p) { return allowed_by_policy(p, node_proxy()); };
  run_rule_check(input, out, test);
}

void check_cluster_admin(const AuditInput& input, IssueSink& out) {
  RbacModel model(input.objects());
  for (const Binding& b : model.bindings()) {
    if (b.built_in()) continue;
    const std::string ref = b.role_ref.name.value.value_or("");
    const bool named = b.role_ref.kind.is("ClusterRole") && ref == "cluster-admin";
    if (!named && !(b.role && admin_role(*b.role))) continue;
    std::vector<Subject> subjects;
    for (const Subject& s : b.subjects)
      if (!is_masters(s)) subjects.push_back(s);
    if (subjects.empty()) continue;
    std::string what = b.role ? b.role->display() : "ClusterRole cluster-admin";
    out.report(binding_issue(
        b, fmt::format("{} gives {} {} ({}) to {}", b.object->display(), what,
                       b.cluster ? "full control of the cluster" : "full control of the namespace",
                       scope_text(b), subjects_text(subjects))));
  }
  for (const AbacPolicy& p : model.policies()) {
    if (!admin_policy(p)) continue;
    std::vector<Subject> subjects = p.subjects();
    if (!subjects.empty() && is_masters(subjects.front())) continue;
    out.report(policy_issue(
        p, fmt::format("ABAC policy gives {} every verb on every resource in every namespace",
                       policy_who(p))));
  }
}

void check_anonymous(const AuditInput& input, IssueSink& out) {
  RbacModel model(input.objects());
  for (const Binding& b : model.bindings()) {
    if (b.built_in()) continue;
    for (const Subject& s : b.subjects) {
      if (!is_anonymous(s)) continue;
      Issue issue;
      issue.object = b.object;
      issue.message = fmt::format("{} grants {} {} to unauthenticated requests ({})",
                                  b.object->display(), b.role_ref.kind.value.value_or("role"),
                                  b.role_ref.name.value.value_or("?"), s.display());
      issue.path = s.at.path;
      issue.node = s.at.node;
      out.report(std::move(issue));
    }
  }
  for (const AbacPolicy& p : model.policies()) {
    std::vector<Subject> subjects = p.subjects();
    bool anonymous = p.matches_everyone() && !p.v0;  // v0 maps "*" to system:authenticated
    for (const Subject& s : subjects) anonymous = anonymous || is_anonymous(s);
    if (!anonymous) continue;
    std::string scope = !p.eff_non_resource_path.empty() && p.eff_resource.empty()
                            ? fmt::format("URL paths {}", p.eff_non_resource_path)
                            : fmt::format("resource {}", p.eff_resource);
    Issue issue =
        policy_issue(p, fmt::format("ABAC policy grants unauthenticated requests ({}) {}"
                                    "access to {}",
                                    policy_who(p), p.eff_readonly ? "read-only " : "", scope));
    for (const Subject& s : subjects)
      if (s.at.node) {
        issue.node = s.at.node;
        issue.path = s.at.path;
      }
    out.report(std::move(issue));
  }
}

void check_privileged_pod_creation(const AuditInput& input, IssueSink& out) {
  RbacModel model(input.objects());
  const std::vector<std::string>& privileged = input.config().privileged_namespaces;
  auto is_privileged = [&](const std::string& ns) {
    return std::find(privileged.begin(), privileged.end(), ns) != privileged.end();
  };
  for (const Binding& b : model.bindings()) {
    if (b.built_in() || !b.role || b.subjects.empty()) continue;
    if (!b.cluster && !is_privileged(b.namespace_)) continue;
    std::string what = allowed(
        [&](const AccessRequest& r) {
          AccessRequest scoped = r;
          scoped.namespace_ = b.cluster ? "*" : b.namespace_;
          return model.binding_allows(b, scoped);
        },
        pod_creation());
    if (what.empty()) continue;
    out.report(binding_issue(
        b, fmt::format("{} lets {} {} {} through {}", b.object->display(),
                       subjects_text(b.subjects), what, scope_text(b), b.role->display())));
  }
  for (const AbacPolicy& p : model.policies()) {
    if (p.eff_namespace != "*" && !is_privileged(p.eff_namespace)) continue;
    std::string what = allowed_by_policy(p, pod_creation(p.eff_namespace));
    if (what.empty()) continue;
    out.report(
        policy_issue(p, fmt::format("ABAC policy lets {} {} in {}", policy_who(p), what,
                                    p.eff_namespace == "*" ? std::string("every namespace")
                                                           : "namespace " + p.eff_namespace)));
  }
}

void check_all_authenticated(const AuditInput& input, IssueSink& out) {
  RbacModel model(input.objects());
  for (const Binding& b : model.bindings()) {
    if (b.built_in() || !b.role) continue;
    std::string what;
    const PolicyRule* where = nullptr;
    for (const PolicyRule* rule : b.role->effective_rules()) {
      what = broad_grant(*rule);
      if (!what.empty()) {
        where = rule;
        break;
      }
    }
    if (what.empty()) continue;
    for (const Subject& s : b.subjects) {
      if (!is_all_authenticated(s)) continue;
      Issue issue;
      issue.object = b.object;
      issue.message =
          fmt::format("{} gives every member of {} {} {} (rule {} of {})", b.object->display(),
                      s.name, what, scope_text(b), where->index, rule_location(*b.role, where));
      issue.path = s.at.path;
      issue.node = s.at.node;
      out.report(std::move(issue));
    }
  }
  for (const AbacPolicy& p : model.policies()) {
    std::vector<Subject> subjects = p.subjects();
    bool everyone = p.v0 && p.matches_everyone();
    for (const Subject& s : subjects) everyone = everyone || is_all_authenticated(s);
    if (!everyone) continue;
    std::string what;
    if (!p.eff_readonly && (!p.eff_resource.empty() || !p.eff_non_resource_path.empty()))
      what = "write access";
    else
      what = allowed_by_policy(p, secret_reads());
    if (what.empty()) continue;
    out.report(policy_issue(
        p, fmt::format("ABAC policy gives every authenticated user ({}) {}", policy_who(p), what)));
  }
}

void check_exec_privileged_pods(const AuditInput& input, IssueSink& out) {
  RbacModel model(input.objects());
  for (const PodSpec& pod : input.pods()) {
    const core::YamlNode* node = nullptr;
    std::string path, why;
    pod.for_each_container([&](const Container& c) {
      if (node || !c.security_context.privileged.is(true)) return;
      node = c.security_context.privileged.node;
      path = c.security_context.privileged.path;
      why = fmt::format("container {} is privileged", c.name);
    });
    if (!node && pod.host_pid.is(true)) {
      node = pod.host_pid.node;
      path = pod.host_pid.path;
      why = "it shares the node's PID namespace";
    }
    if (!node && pod.host_ipc.is(true)) {
      node = pod.host_ipc.node;
      path = pod.host_ipc.path;
      why = "it shares the node's IPC namespace";
    }
    if (!node || !pod.object) continue;
    AccessRequest request;
    request.namespace_ = AuditInput::namespace_of(*pod.object);
    // A Pod's own name can match resourceNames; a controller's pods get generated names.
    if (pod.object->kind == "Pod") request.name = pod.object->name;
    request.resource = "pods";
    std::vector<Access> who;
    std::set<Subject> seen;
    for (const char* sub : {"exec", "attach"}) {
      for (const char* verb : {"create", "get"}) {
        request.subresource = sub;
        request.verb = verb;
        for (Access& a : model.who_can(request)) {
          if (is_masters(a.subject)) continue;
          if (a.binding && a.binding->built_in()) continue;
          if (!seen.insert(a.subject).second) continue;
          who.push_back(std::move(a));
        }
      }
    }
    if (who.empty()) continue;
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < who.size() && i < 5; ++i) lines.push_back(who[i].describe());
    std::string more = who.size() > 5 ? fmt::format("; and {} more", who.size() - 5) : "";
    Issue issue;
    issue.object = pod.object;
    issue.message = fmt::format(
        "{} runs with host-level access ({}) and {} subject{} may exec or attach into it in "
        "namespace {}: {}{}",
        pod.object->display(), why, who.size(), who.size() == 1 ? "" : "s", request.namespace_,
        fmt::join(lines, "; "), more);
    issue.path = path;
    issue.node = node;
    out.report(std::move(issue));
  }
}

void add(CheckRegistry& registry, CheckInfo info, Check check) {
  info.group = CheckGroup::kRbac;
  if (info.references.empty()) info.references = {kGoodPractices, kRbacDocs};
  auto status = registry.add(std::move(info), std::move(check));
  (void)status;  // duplicate ids are a table bug caught by the registry's tests
}

}  // namespace

// Designated initializers read as the table they are; the members left out keep their defaults.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
void register_rbac_checks(CheckRegistry& registry) {
  add(registry,
      {.id = "MTR-K8S-601",
       .title = "Wildcard in RBAC rule",
       .severity = Severity::kMedium,
       .description =
           "A \"*\" in verbs, apiGroups, resources or nonResourceURLs grants everything that "
           "exists now and everything added later (new subresources, CRDs, verbs such as "
           "escalate and impersonate). ABAC policies with resource \"*\" (including v0 policies "
           "that name no resource) are the same.",
       .fix = "rules:\n- apiGroups: [\"apps\"]\n  resources: [\"deployments\"]\n  verbs: [\"get\", "
              "\"list\", \"watch\", \"update\"]",
       .aliases = concat({"wildcard-in-rules", "CKV_K8S_49"}, ksv({44, 45, 46, 112}))},
      check_wildcards);
  add(registry,
      {.id = "MTR-K8S-602",
       .title = "Read access to Secrets",
       .severity = Severity::kHigh,
       .description =
           "get, list or watch on secrets (directly or through a wildcard) reveals every "
           "service-account token and credential in scope; list and watch return the contents "
           "too. Reading the token of a more privileged service account is a classic escalation "
           "(CIS 5.1.2).",
       .fix = "rules:\n- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  resourceNames: "
              "[\"my-app-config\"]  # only the secrets it needs\n  verbs: [\"get\"]",
       .aliases = concat({"access-to-secrets", "CKV2_K8S_5"}, ksv({41, 113}))},
      check_secrets);
  add(registry,
      {.id = "MTR-K8S-603",
       .title = "Exec or attach into pods",
       .severity = Severity::kHigh,
       .description =
           "create (or get, the websocket path before v1.31) on pods/exec or pods/attach runs "
           "commands in any pod in scope, with that pod's service account and host access.",
       .fix = "rules:\n- apiGroups: [\"\"]\n  resources: [\"pods\", \"pods/log\"]\n  verbs: "
              "[\"get\", \"list\", \"watch\"]  # no pods/exec, pods/attach",
       .aliases = concat(
           {"clusterrolePodExecAttach", "rolePodExecAttach", "clusterrolebindingPodExecAttach",
            "rolebindingClusterRolePodExecAttach", "rolebindingRolePodExecAttach"},
           ksv({53, 54}))},
      check_exec);
  add(registry,
      {.id = "MTR-K8S-604",
       .title = "escalate, bind or impersonate permission",
       .severity = Severity::kCritical,
       .description =
           "escalate on roles lets a subject give itself any permission, bind lets it bind any "
           "role it does not hold, and impersonate on users, groups or service accounts lets it "
           "act as anyone, system:masters included. Each is a direct path to cluster-admin.",
       .fix = "rules:\n- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"roles\"]\n  "
              "verbs: [\"get\", \"list\"]  # no escalate, bind or impersonate",
       .aliases =
           concat({"CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_3", "CKV2_K8S_1"}, ksv({43, 50}))},
      check_escalation);
  add(registry,
      {.id = "MTR-K8S-605",
       .title = "Create pods or workloads",
       .severity = Severity::kMedium,
       .description =
           "Whoever can create pods (or Deployments, Jobs and other controllers that create "
           "them) can run any image with any service account of the namespace and, unless "
           "Pod Security admission stops it, a privileged pod that escapes to the node "
           "(CIS 5.1.4).",
       .fix = "Grant pod creation only to deployment tooling, in its own namespaces, and enforce "
              "Pod Security there:\nmetadata:\n  labels:\n    "
              "pod-security.kubernetes.io/enforce: restricted",
       .aliases = concat({"access-to-create-pods"}, ksv({48}))},
      check_pod_creation);
  add(registry,
      {.id = "MTR-K8S-606",
       .title = "Access to nodes/proxy",
       .severity = Severity::kHigh,
       .description =
           "nodes/proxy reaches the kubelet API directly: with create (or get, through a "
           "websocket upgrade) it runs commands in any pod on the node, bypassing admission "
           "and audit logging of pods/exec.",
       .fix = "rules:\n- apiGroups: [\"\"]\n  resources: [\"nodes/metrics\", \"nodes/stats\"]  # "
              "not nodes/proxy\n  verbs: [\"get\"]",
       .aliases = concat({"CKV2_K8S_2"}, ksv({47}))},
      check_node_proxy);
  add(registry,
      {.id = "MTR-K8S-607",
       .title = "cluster-admin (or an equivalent role) bound",
       .severity = Severity::kHigh,
       .description =
           "A binding to cluster-admin, or to a role with every verb on every resource, gives "
           "full control (of the cluster for a ClusterRoleBinding, of the namespace and its "
           "secrets for a RoleBinding). Bindings for the system:masters group are not "
           "reported: that group bypasses authorization anyway (CIS 5.1.1).",
       .fix = "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: "
              "my-app-operator  # a role with only the permissions the subject needs",
       .aliases = concat({"cluster-admin-role-binding", "clusterrolebindingClusterAdmin",
                          "rolebindingClusterAdminClusterRole", "rolebindingClusterAdminRole"},
                         ksv({111}))},
      check_cluster_admin);
  add(registry,
      {.id = "MTR-K8S-608",
       .title = "Permissions granted to unauthenticated users",
       .severity = Severity::kCritical,
       .description =
           "Subjects system:anonymous and system:unauthenticated (and ABAC v1beta1 policies "
           "with user or group \"*\") match every request that carries no credentials: anyone "
           "who reaches the API server gets the role.",
       .fix = "subjects:\n- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: "
              "my-team  # never system:anonymous or system:unauthenticated",
       .aliases = concat({"BindingsToSystemAnonymous"}, ksv({122})),
       .references = {kGoodPractices, kAbacDocs}},
      check_anonymous);
  add(registry,
      {.id = "MTR-K8S-609",
       .title = "Pod creation in a privileged namespace or cluster-wide",
       .severity = Severity::kHigh,
       .description =
           "Creating pods cluster-wide, or in a namespace whose service accounts are "
           "highly privileged (kube-system by default; AuditConfig privileged_namespaces), "
           "lets a subject run a pod with any of those service accounts: as good as "
           "cluster-admin.",
       .fix = "Bind pod-creating roles with a RoleBinding in an application namespace instead:\n"
              "kind: RoleBinding\nmetadata:\n  namespace: my-app"},
      check_privileged_pod_creation);
  add(registry,
      {.id = "MTR-K8S-610",
       .title = "Broad permissions for every authenticated user",
       .severity = Severity::kHigh,
       .description =
           "The groups system:authenticated and system:serviceaccounts hold every user and "
           "every pod's service account: a write permission or secret access given to them is "
           "given to any workload that is compromised. ABAC v0 policies without a user or group "
           "apply to every authenticated user.",
       .fix = "subjects:\n- kind: ServiceAccount\n  name: my-app\n  namespace: my-app  # the "
              "subjects that need it, not system:authenticated",
       .references = {kGoodPractices, kAbacDocs}},
      check_all_authenticated);
  add(registry,
      {.id = "MTR-K8S-611",
       .title = "Exec into a privileged pod allowed",
       .severity = Severity::kHigh,
       .description =
           "A pod that is privileged or shares the node's PID or IPC namespace is the node; "
           "anyone who may exec or attach into it (the check the retired DenyEscalatingExec "
           "admission plugin made) has root on the node. The finding names the subjects and "
           "the bindings or ABAC policies that let them.",
       .fix = "Remove pods/exec and pods/attach from the roles bound in this namespace, or run the "
              "pod without host access:\nsecurityContext:\n  privileged: false\nhostPID: "
              "false\nhostIPC: false",
       .aliases = {"DenyEscalatingExec"}},
      check_exec_privileged_pods);
}
#pragma GCC diagnostic pop

}  // namespace mtr::kube
