#include "kube/rbac.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <set>
#include <tuple>
#include <utility>

namespace mtr::kube {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string scalar(const core::YamlNode* node) {
  if (!node) return {};
  auto text = node->as_string();
  return text ? std::string(*text) : std::string();
}

std::string join_path(std::string_view base, std::string_view key) {
  if (base.empty()) return std::string(key);
  return fmt::format("{}.{}", base, key);
}

Field<std::string> read_string(const Object& object, const core::YamlNode* parent,
                               std::string_view key, std::string_view base) {
  Field<std::string> field;
  field.path = object.at(join_path(base, key));
  if (!parent || !parent->is_mapping()) return field;
  field.node = parent->find(key);
  if (field.node && field.node->is_scalar()) field.value = std::string(field.node->text());
  return field;
}

StringList read_list(const Object& object, const core::YamlNode* parent, std::string_view key,
                     std::string_view base) {
  StringList list;
  list.at.path = object.at(join_path(base, key));
  if (!parent || !parent->is_mapping()) return list;
  list.at.node = parent->get(key);
  if (!list.at.node) return list;
  std::size_t j = 0;
  for (const core::YamlNode& item : list.at.node->items()) {
    Field<std::string> field;
    field.node = &item;
    field.path = fmt::format("{}[{}]", list.at.path, j++);
    if (item.is_scalar()) field.value = std::string(item.text());
    list.items.push_back(std::move(field));
  }
  return list;
}

StringList literal_list(const std::vector<std::string_view>& values) {
  StringList list;
  for (std::string_view v : values) {
    Field<std::string> field;
    field.value = std::string(v);
    list.items.push_back(std::move(field));
  }
  return list;
}

std::string namespace_or_default(const Object& object) {
  return object.namespace_.empty() ? std::string("default") : object.namespace_;
}

bool bootstrapped(const Object* object) {
  if (!object) return false;
  auto it = object->labels.find("kubernetes.io/bootstrapping");
  return it != object->labels.end() && it->second == "rbac-defaults";
}

// A selector with an operator the API server does not know would be rejected with its
// ClusterRole: nullopt, and the aggregation it belongs to gathers nothing through it.
std::optional<LabelSelector> read_selector(const core::YamlNode& node) {
  LabelSelector selector;
  selector.match_labels = read_string_map(node.get("matchLabels"));
  if (const core::YamlNode* exprs = node.get("matchExpressions")) {
    for (const core::YamlNode& e : exprs->items()) {
      LabelRequirement req;
      req.key = scalar(e.get("key"));
      std::string op = scalar(e.get("operator"));
      if (op == "In") {
        req.op = SelectorOp::kIn;
      } else if (op == "NotIn") {
        req.op = SelectorOp::kNotIn;
      } else if (op == "Exists") {
        req.op = SelectorOp::kExists;
      } else if (op == "DoesNotExist") {
        req.op = SelectorOp::kDoesNotExist;
      } else {
        return std::nullopt;
      }
      if (const core::YamlNode* values = e.get("values"))
        for (const core::YamlNode& v : values->items()) req.values.push_back(scalar(&v));
      selector.match_expressions.push_back(std::move(req));
    }
  }
  return selector;
}

// ---- summaries of the default user-facing ClusterRoles ------------------------------------
// From the bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), reduced
// to what the checks ask about; used only when a binding names one of them and the input does
// not define it.

using Names = std::vector<std::string_view>;
struct RuleSpec {
  Names groups, resources, verbs;
};

const Names kWrite = {"create", "delete", "deletecollection", "patch", "update"};
const Names kRead = {"get", "list", "watch"};

void add_rules(Role& role, const std::vector<RuleSpec>& specs) {
  for (const RuleSpec& spec : specs) {
    PolicyRule rule;
    rule.index = role.rules.size();
    rule.api_groups = literal_list(spec.groups);
    rule.resources = literal_list(spec.resources);
    rule.verbs = literal_list(spec.verbs);
    role.rules.push_back(std::move(rule));
  }
}

void add_view_rules(Role& role) {
  add_rules(
      role,
      {
          {{""},
           {"configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers",
            "serviceaccounts", "services", "bindings", "events", "limitranges", "pods/log",
            "pods/status", "resourcequotas", "namespaces"},
           kRead},
          {{"apps"},
           {"controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"},
           kRead},
          {{"batch"}, {"cronjobs", "jobs"}, kRead},
          {{"autoscaling"}, {"horizontalpodautoscalers"}, kRead},
          {{"policy"}, {"poddisruptionbudgets"}, kRead},
          {{"networking.k8s.io"}, {"ingresses", "networkpolicies"}, kRead},
      });
}

void add_edit_rules(Role& role) {
  add_rules(
      role,
      {
          {{""},
           {"pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets",
            "services/proxy"},
           kRead},
          {{""}, {"serviceaccounts"}, {"impersonate"}},
          {{""}, {"pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"}, kWrite},
          {{""},
           {"configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "secrets",
            "serviceaccounts", "services", "services/proxy"},
           kWrite},
          {{""}, {"serviceaccounts/token"}, {"create"}},
          {{"apps"},
           {"daemonsets", "deployments", "replicasets", "statefulsets", "deployments/scale",
            "replicasets/scale", "statefulsets/scale"},
           kWrite},
          {{"batch"}, {"cronjobs", "jobs"}, kWrite},
          {{"autoscaling"}, {"horizontalpodautoscalers"}, kWrite},
          {{"policy"}, {"poddisruptionbudgets"}, kWrite},
          {{"networking.k8s.io"}, {"ingresses", "networkpolicies"}, kWrite},
      });
  add_view_rules(role);
}

Role builtin_summary(std::string_view name) {
  Role role;
  role.cluster = true;
  role.name = std::string(name);
  auto aggregate_to = [&](std::string_view level) {
    LabelSelector s;
    s.match_labels[fmt::format("rbac.authorization.k8s.io/aggregate-to-{}", level)] = "true";
    role.aggregation.push_back(std::move(s));
  };
  if (name == "cluster-admin") {
    add_rules(role, {{{"*"}, {"*"}, {"*"}}});
    PolicyRule urls;
    urls.index = role.rules.size();
    urls.non_resource_urls = literal_list({"*"});
    urls.verbs = literal_list({"*"});
    role.rules.push_back(std::move(urls));
  } else if (name == "admin") {
    add_edit_rules(role);
    add_rules(
        role,
        {{{"rbac.authorization.k8s.io"},
          {"roles", "rolebindings"},
          {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}},
         {{"authorization.k8s.io"}, {"localsubjectaccessreviews"}, {"create"}}});
    aggregate_to("admin");
  } else if (name == "edit") {
    add_edit_rules(role);
    aggregate_to("edit");
  } else {
    add_view_rules(role);
    aggregate_to("view");
  }
  return role;
}

constexpr std::array<std::string_view, 4> kDefaultClusterRoles = {"cluster-admin", "admin", "edit",
                                                                  "view"};

bool read_only_verb(std::string_view verb) {
  return verb == "get" || verb == "list" || verb == "watch";
}

bool url_matches(std::string_view pattern, std::string_view path) {
  if (pattern == "*" || pattern == path) return true;
  return !pattern.empty() && pattern.back() == '*' &&
         starts_with(path, pattern.substr(0, pattern.size() - 1));
}

}  // namespace

// ---- rules ---------------------------------------------------------------------------------

bool StringList::contains(std::string_view value) const { return find(value) != nullptr; }

const Field<std::string>* StringList::find(std::string_view value) const {
  for (const Field<std::string>& item : items)
    if (item.value && *item.value == value) return &item;
  return nullptr;
}

std::vector<std::string> StringList::values() const {
  std::vector<std::string> out;
  for (const Field<std::string>& item : items)
    if (item.value) out.push_back(*item.value);
  return out;
}

bool rule_allows(const PolicyRule& rule, const AccessRequest& request) {
  if (!rule.verbs.contains("*") && !rule.verbs.contains(request.verb)) return false;
  if (!request.path.empty()) {
    for (const Field<std::string>& url : rule.non_resource_urls.items)
      if (url.value && url_matches(*url.value, request.path)) return true;
    return false;
  }
  if (!rule.api_groups.contains("*") && !rule.api_groups.contains(request.api_group)) return false;
  const std::string combined =
      request.subresource.empty() ? request.resource : request.resource + "/" + request.subresource;
  bool resource_ok = false;
  for (const Field<std::string>& item : rule.resources.items) {
    if (!item.value) continue;
    const std::string& r = *item.value;
    if (r == "*" || r == combined) resource_ok = true;
    // `*/exec` matches every resource's exec subresource.
    else if (!request.subresource.empty() && r.size() == request.subresource.size() + 2 &&
             starts_with(r, "*/") && r.substr(2) == request.subresource)
      resource_ok = true;
    if (resource_ok) break;
  }
  if (!resource_ok) return false;
  if (rule.resource_names.empty()) return true;
  return !request.name.empty() && rule.resource_names.contains(request.name);
}

// ---- roles, subjects, bindings --------------------------------------------------------------

// GKE's own binding for Calico, which Polaris also leaves alone.
constexpr std::string_view kGkeCalico = "gce:podsecuritypolicy:calico-sa";

bool Role::built_in() const {
  if (starts_with(name, "system:") || bootstrapped(object) || name == kGkeCalico) return true;
  return cluster && std::find(kDefaultClusterRoles.begin(), kDefaultClusterRoles.end(), name) !=
                        kDefaultClusterRoles.end();
}

std::vector<const PolicyRule*> Role::effective_rules() const {
  std::vector<const PolicyRule*> out;
  for (const PolicyRule& r : rules) out.push_back(&r);
  for (const PolicyRule* r : aggregated)
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  return out;
}

std::string Role::display() const {
  if (cluster) return "ClusterRole " + name;
  return fmt::format("Role {}/{}", namespace_, name);
}

std::string_view to_string(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kUser:
      return "User";
    case SubjectKind::kGroup:
      return "Group";
    case SubjectKind::kServiceAccount:
      return "ServiceAccount";
  }
  return "User";
}

std::string Subject::display() const {
  if (kind == SubjectKind::kServiceAccount && !namespace_.empty())
    return fmt::format("ServiceAccount {}/{}", namespace_, name);
  return fmt::format("{} {}", to_string(kind), name);
}

std::string Subject::username() const {
  if (kind == SubjectKind::kServiceAccount)
    return fmt::format("system:serviceaccount:{}:{}", namespace_, name);
  return name;
}

bool Subject::operator<(const Subject& other) const {
  return std::tie(kind, namespace_, name) < std::tie(other.kind, other.namespace_, other.name);
}

bool Subject::operator==(const Subject& other) const {
  return kind == other.kind && namespace_ == other.namespace_ && name == other.name;
}

bool Binding::built_in() const {
  return starts_with(name, "system:") || bootstrapped(object) || name == kGkeCalico;
}

bool is_rbac_kind(const Object& object) {
  if (object.group() != kRbacGroup) return false;
  return object.kind == "Role" || object.kind == "ClusterRole" || object.kind == "RoleBinding" ||
         object.kind == "ClusterRoleBinding";
}

Role read_role(const Object& object) {
  Role role;
  role.object = &object;
  role.cluster = object.kind == "ClusterRole";
  role.name = object.name;
  if (!role.cluster) role.namespace_ = namespace_or_default(object);
  const core::YamlNode* node = object.node;
  if (!node) return role;
  if (const core::YamlNode* rules = node->get("rules")) {
    std::size_t i = 0;
    for (const core::YamlNode& item : rules->items()) {
      PolicyRule rule;
      rule.object = &object;
      rule.index = i;
      const std::string base = fmt::format("rules[{}]", i++);
      rule.at.node = &item;
      rule.at.path = object.at(base);
      rule.api_groups = read_list(object, &item, "apiGroups", base);
      rule.resources = read_list(object, &item, "resources", base);
      rule.resource_names = read_list(object, &item, "resourceNames", base);
      rule.verbs = read_list(object, &item, "verbs", base);
      rule.non_resource_urls = read_list(object, &item, "nonResourceURLs", base);
      role.rules.push_back(std::move(rule));
    }
  }
  if (role.cluster) {
    if (const core::YamlNode* agg = node->get("aggregationRule"); agg && agg->is_mapping()) {
      role.aggregation_at.node = agg;
      role.aggregation_at.path = object.at("aggregationRule");
      if (const core::YamlNode* selectors = agg->get("clusterRoleSelectors")) {
        for (const core::YamlNode& s : selectors->items()) {
          if (!s.is_mapping()) continue;
          if (auto selector = read_selector(s)) role.aggregation.push_back(std::move(*selector));
        }
      }
    }
  }
  return role;
}

Binding read_binding(const Object& object) {
  Binding binding;
  binding.object = &object;
  binding.cluster = object.kind == "ClusterRoleBinding";
  binding.name = object.name;
  if (!binding.cluster) binding.namespace_ = namespace_or_default(object);
  const core::YamlNode* node = object.node;
  if (!node) return binding;
  const core::YamlNode* ref = node->get("roleRef");
  binding.role_ref.at.node = ref;
  binding.role_ref.at.path = object.at("roleRef");
  binding.role_ref.api_group = read_string(object, ref, "apiGroup", "roleRef");
  binding.role_ref.kind = read_string(object, ref, "kind", "roleRef");
  binding.role_ref.name = read_string(object, ref, "name", "roleRef");
  if (const core::YamlNode* subjects = node->get("subjects")) {
    std::size_t i = 0;
    for (const core::YamlNode& item : subjects->items()) {
      const std::string path = object.at(fmt::format("subjects[{}]", i++));
      if (!item.is_mapping()) continue;
      Subject subject;
      std::string kind = scalar(item.get("kind"));
      if (kind == "User")
        subject.kind = SubjectKind::kUser;
      else if (kind == "Group")
        subject.kind = SubjectKind::kGroup;
      else if (kind == "ServiceAccount")
        subject.kind = SubjectKind::kServiceAccount;
      else
        continue;  // the API server rejects other kinds
      subject.name = scalar(item.get("name"));
      if (subject.kind == SubjectKind::kServiceAccount) {
        subject.namespace_ = scalar(item.get("namespace"));
        // The authorizer defaults a service account's namespace to the RoleBinding's.
        if (subject.namespace_.empty()) subject.namespace_ = binding.namespace_;
      }
      subject.at.node = &item;
      subject.at.path = path;
      binding.subjects.push_back(std::move(subject));
    }
  }
  return binding;
}

// ---- ABAC ----------------------------------------------------------------------------------

std::optional<AbacPolicy> read_abac_policy(const Object& object) {
  if (object.kind != "Policy" || object.group() != kAbacGroup || !object.node) return std::nullopt;
  AbacPolicy p;
  p.object = &object;
  p.v0 = object.api_version == std::string(kAbacGroup) + "/v0";
  const core::YamlNode* spec = p.v0 ? object.node : object.node->get("spec");
  const std::string base = p.v0 ? "" : "spec";
  p.user = read_string(object, spec, "user", base);
  p.group = read_string(object, spec, "group", base);
  p.api_group = read_string(object, spec, "apiGroup", base);
  p.namespace_ = read_string(object, spec, "namespace", base);
  p.resource = read_string(object, spec, "resource", base);
  p.non_resource_path = read_string(object, spec, "nonResourcePath", base);
  p.readonly.path = object.at(join_path(base, "readonly"));
  if (spec && spec->is_mapping()) {
    p.readonly.node = spec->find("readonly");
    if (p.readonly.node) p.readonly.value = p.readonly.node->as_bool();
  }
  if (p.v0) {
    // The oldest files wrote "kind" for the resource and "ns" for the namespace.
    if (!p.resource.present()) p.resource = read_string(object, spec, "kind", base);
    if (!p.namespace_.present()) p.namespace_ = read_string(object, spec, "ns", base);
  }
  p.eff_user = p.user.value.value_or("");
  p.eff_group = p.group.value.value_or("");
  p.eff_api_group = p.api_group.value.value_or("");
  p.eff_namespace = p.namespace_.value.value_or("");
  p.eff_resource = p.resource.value.value_or("");
  p.eff_non_resource_path = p.non_resource_path.value.value_or("");
  p.eff_readonly = p.readonly.value.value_or(false);
  if (p.v0) {
    // pkg/apis/abac/v0/conversion.go
    const bool blank_namespace = p.eff_namespace.empty();
    const bool blank_resource = p.eff_resource.empty();
    if (p.eff_user.empty() && p.eff_group.empty()) p.eff_group = "system:authenticated";
    if (p.eff_user == "*" || p.eff_group == "*") {
      p.eff_group = "system:authenticated";
      p.eff_user.clear();
    }
    if (blank_namespace) p.eff_namespace = "*";
    if (blank_resource) p.eff_resource = "*";
    p.eff_api_group = "*";
    p.eff_non_resource_path = blank_namespace && blank_resource ? "*" : "";
  }
  return p;
}

std::vector<Subject> AbacPolicy::subjects() const {
  std::vector<Subject> out;
  Subject s;
  // With both set the policy needs both to match: the user is the narrower of the two.
  if (!eff_user.empty()) {
    s.kind = SubjectKind::kUser;
    s.name = eff_user;
    s.at.node = user.node;
    s.at.path = user.path;
    constexpr std::string_view kSa = "system:serviceaccount:";
    if (starts_with(eff_user, kSa)) {
      std::string_view rest = std::string_view(eff_user).substr(kSa.size());
      auto colon = rest.find(':');
      if (colon != std::string_view::npos && colon > 0 && colon + 1 < rest.size()) {
        s.kind = SubjectKind::kServiceAccount;
        s.namespace_ = std::string(rest.substr(0, colon));
        s.name = std::string(rest.substr(colon + 1));
      }
    }
    out.push_back(std::move(s));
  } else if (!eff_group.empty()) {
    s.kind = SubjectKind::kGroup;
    s.name = eff_group;
    s.at.node = group.node;
    s.at.path = group.path;
    out.push_back(std::move(s));
  }
  return out;
}

bool AbacPolicy::matches_everyone() const { return eff_user == "*" || eff_group == "*"; }

bool AbacPolicy::allows(const AccessRequest& request) const {
  if (eff_user.empty() && eff_group.empty()) return false;  // matches no one
  if (eff_readonly && !read_only_verb(request.verb)) return false;
  if (!request.path.empty())
    return url_matches(eff_non_resource_path, request.path) && !eff_non_resource_path.empty();
  if (eff_namespace != "*" && eff_namespace != request.namespace_ && request.namespace_ != "*")
    return false;
  if (request.namespace_ == "*" && eff_namespace.empty()) return false;
  if (eff_resource != "*" && eff_resource != request.resource) return false;
  return eff_api_group == "*" || eff_api_group == request.api_group;
}

const core::YamlNode* AbacPolicy::anchor_node() const {
  if (resource.node) return resource.node;
  if (non_resource_path.node) return non_resource_path.node;
  return object ? object->node : nullptr;
}

std::string AbacPolicy::anchor_path() const {
  if (resource.node) return resource.path;
  if (non_resource_path.node) return non_resource_path.path;
  return object ? object->path_prefix : std::string();
}

std::string Access::describe() const {
  if (policy) {
    std::string where = policy->object
                            ? fmt::format("{}:{}", policy->object->file, policy->object->mark.line)
                            : std::string("?");
    return fmt::format("{} via ABAC policy {}", subject.display(), where);
  }
  std::string how = binding && binding->object ? binding->object->display() : "a binding";
  std::string what = role ? role->display() : std::string("an unknown role");
  if (role && !role->object) what += " (Kubernetes default)";
  return fmt::format("{} via {} -> {}", subject.display(), how, what);
}

// ---- the model -----------------------------------------------------------------------------

RbacModel::RbacModel(std::span<const Object* const> objects) {
  std::vector<const Object*> binding_objects;
  for (const Object* o : objects) {
    if (!o) continue;
    if (is_rbac_kind(*o)) {
      if (o->kind == "Role" || o->kind == "ClusterRole")
        roles_.push_back(read_role(*o));
      else
        binding_objects.push_back(o);
    } else if (auto p = read_abac_policy(*o)) {
      policies_.push_back(std::move(*p));
    }
  }
  for (std::string_view name : kDefaultClusterRoles)
    if (!find_role(true, name, "")) roles_.push_back(builtin_summary(name));

  // Aggregation to a fixed point: an aggregated ClusterRole's rules feed the ones that select it.
  // roles_ no longer grows, so rule pointers stay valid. Which roles a selector picks does not
  // change, so it is worked out once; chains deeper than kMaxAggregationDepth are not followed
  // (the bootstrap roles nest two deep).
  constexpr std::size_t kMaxAggregationDepth = 16;
  std::vector<std::vector<const Role*>> sources(roles_.size());
  std::vector<std::set<const PolicyRule*>> held(roles_.size());
  for (std::size_t t = 0; t < roles_.size(); ++t) {
    const Role& target = roles_[t];
    if (!target.cluster || target.aggregation.empty()) continue;
    for (const PolicyRule& r : target.rules) held[t].insert(&r);
    for (const Role& source : roles_) {
      if (&source == &target || !source.cluster || !source.object) continue;
      if (std::any_of(target.aggregation.begin(), target.aggregation.end(),
                      [&](const LabelSelector& sel) { return sel.matches(source.object->labels); }))
        sources[t].push_back(&source);
    }
  }
  bool changed = true;
  for (std::size_t round = 0; changed && round < kMaxAggregationDepth; ++round) {
    changed = false;
    for (std::size_t t = 0; t < roles_.size(); ++t) {
      for (const Role* source : sources[t]) {
        auto take = [&](const PolicyRule* r) {
          if (!held[t].insert(r).second) return;
          roles_[t].aggregated.push_back(r);
          changed = true;
        };
        for (const PolicyRule& r : source->rules) take(&r);
        for (const PolicyRule* r : source->aggregated) take(r);
      }
    }
  }

  for (const Object* o : binding_objects) {
    Binding b = read_binding(*o);
    const std::string ref_kind = b.role_ref.kind.value.value_or("");
    const std::string ref_name = b.role_ref.name.value.value_or("");
    if (ref_kind == "ClusterRole")
      b.role = find_role(true, ref_name, "");
    else if (ref_kind == "Role" && !b.cluster)  // a ClusterRoleBinding cannot name a Role
      b.role = find_role(false, ref_name, b.namespace_);
    bindings_.push_back(std::move(b));
  }
}

const Role* RbacModel::find_role(bool cluster, std::string_view name, std::string_view ns) const {
  for (const Role& r : roles_)
    if (r.cluster == cluster && r.name == name && (cluster || r.namespace_ == ns)) return &r;
  return nullptr;
}

std::vector<const PolicyRule*> RbacModel::rules_of(const Binding& binding) const {
  if (!binding.role) return {};
  return binding.role->effective_rules();
}

bool RbacModel::binding_allows(const Binding& binding, const AccessRequest& request,
                               const PolicyRule** matched) const {
  if (!binding.role) return false;
  if (!binding.cluster) {
    // A RoleBinding grants inside its namespace only, never cluster-scoped or non-resource.
    if (!request.path.empty() || request.namespace_.empty()) return false;
    if (request.namespace_ != "*" && request.namespace_ != binding.namespace_) return false;
  }
  for (const PolicyRule* rule : binding.role->effective_rules()) {
    if (rule_allows(*rule, request)) {
      if (matched) *matched = rule;
      return true;
    }
  }
  return false;
}

std::vector<Access> RbacModel::who_can(const AccessRequest& request) const {
  std::vector<Access> out;
  for (const Binding& b : bindings_) {
    const PolicyRule* rule = nullptr;
    if (!binding_allows(b, request, &rule)) continue;
    for (const Subject& s : b.subjects) out.push_back(Access{s, &b, b.role, rule, nullptr});
  }
  for (const AbacPolicy& p : policies_) {
    if (!p.allows(request)) continue;
    for (Subject& s : p.subjects())
      out.push_back(Access{std::move(s), nullptr, nullptr, nullptr, &p});
  }
  return out;
}

std::vector<Access> RbacModel::who_can(std::string_view verb, std::string_view resource,
                                       std::string_view subresource, std::string_view ns) const {
  static const std::map<std::string_view, std::string_view> kGroups = {
      {"deployments", "apps"},
      {"replicasets", "apps"},
      {"statefulsets", "apps"},
      {"daemonsets", "apps"},
      {"jobs", "batch"},
      {"cronjobs", "batch"},
      {"roles", kRbacGroup},
      {"rolebindings", kRbacGroup},
      {"clusterroles", kRbacGroup},
      {"clusterrolebindings", kRbacGroup},
      {"ingresses", "networking.k8s.io"},
      {"networkpolicies", "networking.k8s.io"},
  };
  AccessRequest request;
  request.verb = std::string(verb);
  request.resource = std::string(resource);
  request.subresource = std::string(subresource);
  request.namespace_ = std::string(ns);
  if (auto it = kGroups.find(resource); it != kGroups.end()) request.api_group = it->second;
  return who_can(request);
}

std::map<Subject, std::vector<Access>> RbacModel::permissions_by_subject() const {
  std::map<Subject, std::vector<Access>> out;
  for (const Binding& b : bindings_)
    for (const PolicyRule* rule : rules_of(b))
      for (const Subject& s : b.subjects) out[s].push_back(Access{s, &b, b.role, rule, nullptr});
  for (const AbacPolicy& p : policies_)
    for (const Subject& s : p.subjects())
      out[s].push_back(Access{s, nullptr, nullptr, nullptr, &p});
  return out;
}

// ---- ABAC files ----------------------------------------------------------------------------

namespace {

constexpr std::array<std::string_view, 9> kV0Keys = {"user",     "group",    "readonly",
                                                     "resource", "kind",     "namespace",
                                                     "ns",       "apiGroup", "nonResourcePath"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Calls f(line_number, line) for every line that is not blank or a comment; stops when f returns
// false.
template <typename F>
void for_each_policy_line(std::string_view text, F&& f) {
  std::uint32_t number = 0;
  while (!text.empty()) {
    ++number;
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    std::string_view t = trim(line);
    if (t.empty() || t.front() == '#') continue;
    if (!f(number, line)) return;
  }
}

enum class AbacForm { kNone, kV0, kV1beta1 };

AbacForm classify(const core::YamlNode& root) {
  if (!root.is_mapping() || root.entry_count() == 0) return AbacForm::kNone;
  if (const core::YamlNode* api = root.find("apiVersion")) {
    std::string v = scalar(api);
    if (starts_with(v, std::string(kAbacGroup) + "/") && scalar(root.find("kind")) == "Policy")
      return AbacForm::kV1beta1;
    return AbacForm::kNone;
  }
  for (std::size_t i = 0; i < root.entry_count(); ++i) {
    auto key = root.entry_key(i).as_string();
    if (!key || std::find(kV0Keys.begin(), kV0Keys.end(), *key) == kV0Keys.end())
      return AbacForm::kNone;
  }
  return AbacForm::kV0;
}

}  // namespace

bool looks_like_abac(std::string_view text) {
  bool result = false;
  for_each_policy_line(text, [&](std::uint32_t number, std::string_view line) {
    if (trim(line).front() != '{') return false;
    core::YamlLimits limits;
    limits.max_depth = 32;
    auto docs = core::parse_yaml_stream(line, "", limits, number);
    result = docs && docs->size() == 1 && classify((*docs)[0].root) != AbacForm::kNone;
    return false;
  });
  return result;
}

core::Result<Manifest> load_abac(std::string_view text, std::string origin,
                                 const core::YamlLimits& limits) {
  Manifest manifest;
  manifest.origin = std::move(origin);
  std::vector<AbacForm> forms;
  std::vector<std::uint32_t> lines;
  core::Status status;
  for_each_policy_line(text, [&](std::uint32_t number, std::string_view line) {
    auto docs = core::parse_yaml_stream(line, manifest.origin, limits, number);
    if (!docs) {
      // libyaml marks an unexpected end of input on the line after; the policy is this line.
      core::Error error = std::move(docs).error();
      error.location.line = number;
      status = core::unexpected(std::move(error));
      return false;
    }
    core::Location where{manifest.origin, number, 0, {}};
    if (docs->size() != 1) {
      status = core::fail(core::ErrorCode::kInvalidInput,
                          "an ABAC policy line holds exactly one JSON object", where);
      return false;
    }
    AbacForm form = classify((*docs)[0].root);
    if (form == AbacForm::kNone) {
      status =
          core::fail(core::ErrorCode::kInvalidInput,
                     "not an ABAC policy: expected {\"apiVersion\":\"" + std::string(kAbacGroup) +
                         "/v1beta1\",\"kind\":\"Policy\",\"spec\":{...}} or a v0 policy "
                         "object with user, group, readonly, resource, namespace",
                     where);
      return false;
    }
    if (form == AbacForm::kV1beta1) {
      const core::YamlNode* spec = (*docs)[0].root.get("spec");
      if (!spec || !spec->is_mapping()) {
        status =
            core::fail(core::ErrorCode::kInvalidInput, "ABAC policy without a spec object", where);
        return false;
      }
    }
    if (manifest.documents.size() >= limits.max_documents) {
      status = core::fail(core::ErrorCode::kLimitExceeded,
                          fmt::format("more than {} ABAC policies", limits.max_documents), where);
      return false;
    }
    for (core::YamlDocument& d : *docs) {
      d.index = manifest.documents.size();
      manifest.documents.push_back(std::move(d));
    }
    forms.push_back(form);
    lines.push_back(number);
    return true;
  });
  if (!status) return core::unexpected(std::move(status).error());
  // Objects point into documents, which no longer move.
  for (std::size_t i = 0; i < manifest.documents.size(); ++i) {
    const core::YamlDocument& doc = manifest.documents[i];
    Object object;
    object.kind = "Policy";
    object.api_version = forms[i] == AbacForm::kV0 ? std::string(kAbacGroup) + "/v0"
                                                   : scalar(doc.root.find("apiVersion"));
    object.name = fmt::format("line-{}", lines[i]);
    object.node = &doc.root;
    object.file = manifest.origin;
    object.document = i;
    object.mark = doc.root.mark();
    manifest.objects.push_back(std::move(object));
  }
  return manifest;
}

}  // namespace mtr::kube
