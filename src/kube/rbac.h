// Kubernetes access control as the given objects define it: RBAC Roles, ClusterRoles (with
// aggregation resolved among the given ClusterRoles), RoleBindings and ClusterRoleBindings, and
// ABAC policy files (JSON lines, v0 and v1beta1), read into one model that keeps every field's
// node and JSON path so findings point at the rule, subject or roleRef that causes them.
//
// On top of it, the effective-permissions view: who_can() answers "which subjects may do this
// verb on this resource in this namespace, through which binding and role (or ABAC policy)",
// with the authorizers' own matching rules (RBAC's `*` and `*/subresource`, ABAC's `*` and
// readonly). Bindings to the default user-facing ClusterRoles (cluster-admin, admin, edit, view)
// resolve to a summary of their bootstrap rules when those roles are not among the given objects,
// since real manifests bind them without shipping them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/yaml_dom.h"
#include "kube/object.h"
#include "kube/pod.h"
#include "kube/selector.h"

namespace mtr::kube {

inline constexpr std::string_view kRbacGroup = "rbac.authorization.k8s.io";
inline constexpr std::string_view kAbacGroup = "abac.authorization.kubernetes.io";

// One list-valued field of a rule (verbs, resources, ...): each item with its node and path.
struct StringList {
  Anchor at;  // the sequence; absent when the field is not written
  std::vector<Field<std::string>> items;

  bool contains(std::string_view value) const;
  bool empty() const { return items.empty(); }
  // The first item equal to `value`, or nullptr.
  const Field<std::string>* find(std::string_view value) const;
  std::vector<std::string> values() const;
};

struct PolicyRule {
  const Object* object = nullptr;  // the role it is written in (null for a built-in summary)
  std::size_t index = 0;
  Anchor at;  // rules[i]
  StringList api_groups, resources, resource_names, verbs, non_resource_urls;
};

// A request as the authorizers see it. A non-resource request sets only verb and path.
struct AccessRequest {
  std::string verb;         // "create"
  std::string api_group;    // "" for the core group
  std::string resource;     // "pods"
  std::string subresource;  // "exec"
  std::string namespace_;   // "" for cluster-scoped resources (and non-resource requests)
  std::string name;         // "" = no particular object (create, list)
  std::string path;         // non-resource URL ("/metrics"); set => non-resource request
};

// RBAC's own matching (k8s.io/kubernetes/pkg/apis/rbac/v1 helpers): `*` in verbs, apiGroups,
// resources; `*/sub` matches every resource's subresource `sub` (but `pods/*` matches nothing
// but a resource literally named so); resourceNames restrict to named objects; nonResourceURLs
// match exactly or by a trailing `*`.
bool rule_allows(const PolicyRule& rule, const AccessRequest& request);

struct Role {
  const Object* object = nullptr;  // null for a built-in summary not among the given objects
  bool cluster = false;            // ClusterRole
  std::string name;
  std::string namespace_;         // Role only
  std::vector<PolicyRule> rules;  // as written
  // aggregationRule.clusterRoleSelectors (ClusterRole): the controller fills the rules from
  // every ClusterRole whose labels match one selector.
  Anchor aggregation_at;
  std::vector<LabelSelector> aggregation;
  // Rules of other ClusterRoles gathered by aggregation (transitively), resolved by the model.
  std::vector<const PolicyRule*> aggregated;

  bool aggregates() const { return aggregation_at.present(); }
  // Kubernetes' own: named "system:*", or labelled kubernetes.io/bootstrapping=rbac-defaults,
  // or one of the default user-facing ClusterRoles (cluster-admin, admin, edit, view).
  bool built_in() const;
  // Written rules plus aggregated ones.
  std::vector<const PolicyRule*> effective_rules() const;
  std::string display() const;  // "ClusterRole edit", "Role ns/name"
};

enum class SubjectKind { kUser, kGroup, kServiceAccount };
std::string_view to_string(SubjectKind kind);

struct Subject {
  SubjectKind kind = SubjectKind::kUser;
  std::string name;
  std::string namespace_;  // ServiceAccount: as written, else the binding's namespace
  Anchor at;               // subjects[i] (or the ABAC user/group field)

  std::string display() const;  // "User alice", "Group g", "ServiceAccount ns/name"
  // The authenticated username ("system:serviceaccount:ns:name" for service accounts).
  std::string username() const;
  bool operator<(const Subject& other) const;
  bool operator==(const Subject& other) const;
};

struct RoleRef {
  Anchor at;  // roleRef
  Field<std::string> api_group, kind, name;
};

struct Binding {
  const Object* object = nullptr;
  bool cluster = false;  // ClusterRoleBinding
  std::string name;
  std::string namespace_;
  RoleRef role_ref;
  std::vector<Subject> subjects;
  const Role* role = nullptr;  // resolved; null when the referenced role is unknown

  // Named "system:*" or labelled kubernetes.io/bootstrapping=rbac-defaults.
  bool built_in() const;
};

// One line of an ABAC policy file, with the v0 defaults applied (pkg/apis/abac/v0/conversion.go).
struct AbacPolicy {
  const Object* object = nullptr;
  bool v0 = false;
  // As written (v1beta1: under spec; v0: top level, with "kind" for resource and "ns" for
  // namespace in the oldest form).
  Field<std::string> user, group, api_group, namespace_, resource, non_resource_path;
  Field<bool> readonly;
  // Effective values the authorizer matches on.
  std::string eff_user, eff_group, eff_api_group, eff_namespace, eff_resource,
      eff_non_resource_path;
  bool eff_readonly = false;

  // The subjects the policy names: user, group (a service-account username becomes a
  // ServiceAccount subject). `*` user or group is kept as written: see matches_everyone().
  std::vector<Subject> subjects() const;
  // user or group "*": every request, anonymous ones included (v1beta1).
  bool matches_everyone() const;
  // The authorizer's matching (pkg/auth/authorizer/abac): readonly allows get/list/watch only;
  // resource matches regardless of subresource.
  bool allows(const AccessRequest& request) const;
  // The node to point a finding at: the resource (or nonResourcePath) field, else the object.
  const core::YamlNode* anchor_node() const;
  std::string anchor_path() const;
};

// One way a subject gets a permission.
struct Access {
  Subject subject;
  const Binding* binding = nullptr;  // RBAC
  const Role* role = nullptr;
  const PolicyRule* rule = nullptr;
  const AbacPolicy* policy = nullptr;  // ABAC
  std::string describe() const;        // "User alice via ClusterRoleBinding x → ClusterRole y"
};

class RbacModel {
 public:
  explicit RbacModel(std::span<const Object* const> objects);
  RbacModel(const RbacModel&) = delete;
  RbacModel& operator=(const RbacModel&) = delete;

  // Roles and ClusterRoles of the input first (input order), then built-in summaries for the
  // default ClusterRoles the input does not define.
  const std::vector<Role>& roles() const { return roles_; }
  const std::vector<Binding>& bindings() const { return bindings_; }
  const std::vector<AbacPolicy>& policies() const { return policies_; }

  const Role* find_role(bool cluster, std::string_view name, std::string_view ns) const;
  // Every rule a binding grants (its role's effective rules); empty when the role is unknown.
  std::vector<const PolicyRule*> rules_of(const Binding& binding) const;
  // Does the binding grant the request (namespace scoping applied)?
  bool binding_allows(const Binding& binding, const AccessRequest& request,
                      const PolicyRule** matched = nullptr) const;

  // Every (subject, binding, rule) or (subject, ABAC policy) that allows the request. A request
  // with namespace "*" asks about any namespace.
  std::vector<Access> who_can(const AccessRequest& request) const;
  std::vector<Access> who_can(std::string_view verb, std::string_view resource,
                              std::string_view subresource, std::string_view ns) const;
  // Everything each subject gets: RBAC rules through bindings and ABAC policies.
  std::map<Subject, std::vector<Access>> permissions_by_subject() const;

 private:
  std::vector<Role> roles_;
  std::vector<Binding> bindings_;
  std::vector<AbacPolicy> policies_;
};

// Parsing single objects, for callers that hold one (also used by the model).
Role read_role(const Object& object);
Binding read_binding(const Object& object);
std::optional<AbacPolicy> read_abac_policy(const Object& object);
bool is_rbac_kind(const Object& object);  // Role/ClusterRole/RoleBinding/ClusterRoleBinding

// ---- ABAC policy files ---------------------------------------------------------------------

// JSON lines whose first non-blank, non-comment line is an ABAC policy object: v1beta1
// {"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{...}} or
// the unversioned v0 form {"user":..,"group":..,"readonly":..,"resource"|"kind":..,
// "namespace"|"ns":..,"apiGroup":..,"nonResourcePath":..}.
bool looks_like_abac(std::string_view text);

// One Object (kind "Policy") per non-blank line; v0 lines get api_version
// "abac.authorization.kubernetes.io/v0". Lines starting with '#' are comments, as the API
// server's loader treats them. A line that is not a policy object is an error naming
// origin:line.
core::Result<Manifest> load_abac(std::string_view text, std::string origin,
                                 const core::YamlLimits& limits = {});

}  // namespace mtr::kube
