// The RBAC/ABAC model (aggregation, who_can, ABAC loading) and the rbac check group, with
// in-memory YAML and the peers' RBAC cases from the corpus.
#include "kube/rbac.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "kube/audit.h"
#include "support/test_support.h"

namespace mtr::kube {
namespace {

namespace fs = std::filesystem;

class Collector final : public IssueSink {
 public:
  void report(Issue issue) override { issues.push_back(std::move(issue)); }
  std::vector<Issue> issues;
};

// Manifests plus a way to run one rbac check over them.
class Inputs {
 public:
  void add(std::string_view yaml, std::string origin = "test.yaml") {
    auto m = load_manifest(yaml, std::move(origin));
    ASSERT_TRUE(m) << m.error().to_string();
    manifests_.push_back(std::move(*m));
  }
  void add_abac(std::string_view text, std::string origin = "policy.jsonl") {
    auto m = load_abac(text, std::move(origin));
    ASSERT_TRUE(m) << m.error().to_string();
    manifests_.push_back(std::move(*m));
  }
  void add_file(const fs::path& path) {
    std::string text = test::read_file(path);
    if (looks_like_abac(text))
      add_abac(text, path.string());
    else
      add(text, path.string());
  }
  std::vector<Issue> run(std::string_view id, const AuditConfig& config = {}) const {
    CheckRegistry registry;
    register_rbac_checks(registry);
    Collector sink;
    AuditInput input(manifests_, config);
    for (std::size_t i = 0; i < registry.checks().size(); ++i)
      if (registry.checks()[i].id == id) registry.check(i)(input, sink);
    return sink.issues;
  }
  std::vector<const Object*> objects() const {
    std::vector<const Object*> out;
    for (const Manifest& m : manifests_)
      for (const Object& o : m.objects) out.push_back(&o);
    return out;
  }

 private:
  std::vector<Manifest> manifests_;
};

std::size_t count(const Inputs& in, std::string_view id, const AuditConfig& config = {}) {
  return in.run(id, config).size();
}

constexpr std::string_view kSecretReader = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: secret-reader
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list"]
)";

std::string binding(std::string_view kind, std::string_view name, std::string_view ns,
                    std::string_view role_kind, std::string_view role, std::string_view subjects) {
  std::string out = "apiVersion: rbac.authorization.k8s.io/v1\nkind: " + std::string(kind) +
                    "\nmetadata:\n  name: " + std::string(name) + "\n";
  if (!ns.empty()) out += "  namespace: " + std::string(ns) + "\n";
  out += "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: " + std::string(role_kind) +
         "\n  name: " + std::string(role) + "\nsubjects:\n" + std::string(subjects);
  return out;
}

std::string role(std::string_view kind, std::string_view name, std::string_view rules,
                 std::string_view ns = "") {
  std::string out = "apiVersion: rbac.authorization.k8s.io/v1\nkind: " + std::string(kind) +
                    "\nmetadata:\n  name: " + std::string(name) + "\n";
  if (!ns.empty()) out += "  namespace: " + std::string(ns) + "\n";
  return out + "rules:\n" + std::string(rules);
}

// ---- registry --------------------------------------------------------------------------------

TEST(RbacChecks, RegistersElevenChecksWithPeerAliases) {
  CheckRegistry registry;
  register_rbac_checks(registry);
  ASSERT_EQ(registry.checks().size(), 11u);
  for (const CheckInfo& info : registry.checks()) {
    EXPECT_EQ(info.group, CheckGroup::kRbac) << info.id;
    EXPECT_FALSE(info.fix.empty()) << info.id;
    EXPECT_FALSE(info.description.empty()) << info.id;
  }
  EXPECT_EQ(registry.find("KSV-0041")->id, "MTR-K8S-602");
  EXPECT_EQ(registry.find("AVD-KSV-0041")->id, "MTR-K8S-602");
  EXPECT_EQ(registry.find("KSV041")->id, "MTR-K8S-602");
  EXPECT_EQ(registry.find("wildcard-in-rules")->id, "MTR-K8S-601");
  EXPECT_EQ(registry.find("clusterrolePodExecAttach")->id, "MTR-K8S-603");
  EXPECT_EQ(registry.find("cluster-admin-role-binding")->id, "MTR-K8S-607");
  EXPECT_EQ(registry.find("KSV122")->id, "MTR-K8S-608");
  EXPECT_EQ(registry.find("BindingsToSystemAnonymous")->id, "MTR-K8S-608");
  EXPECT_EQ(registry.find("CKV2_K8S_3")->id, "MTR-K8S-604");
}

// ---- model ---------------------------------------------------------------------------------

TEST(RbacModel, RuleMatchingFollowsTheAuthorizer) {
  Inputs in;
  in.add(role("ClusterRole", "r", R"(- apiGroups: [""]
  resources: ["pods/*", "*/attach"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["cfg"]
  verbs: ["get"]
- nonResourceURLs: ["/logs/*"]
  verbs: ["get"]
)"));
  RbacModel model(in.objects());
  ASSERT_EQ(model.roles().front().rules.size(), 3u);
  const PolicyRule& r0 = model.roles().front().rules[0];
  const PolicyRule& r1 = model.roles().front().rules[1];
  const PolicyRule& r2 = model.roles().front().rules[2];
  AccessRequest exec{"create", "", "pods", "exec", "ns", "", ""};
  EXPECT_FALSE(rule_allows(r0, exec)) << "pods/* is not a wildcard in RBAC";
  AccessRequest attach{"create", "", "pods", "attach", "ns", "", ""};
  EXPECT_TRUE(rule_allows(r0, attach)) << "*/attach matches every resource's attach";
  AccessRequest cfg{"get", "", "configmaps", "", "ns", "cfg", ""};
  EXPECT_TRUE(rule_allows(r1, cfg));
  cfg.name = "";
  EXPECT_FALSE(rule_allows(r1, cfg)) << "resourceNames restrict to named objects";
  AccessRequest logs{"get", "", "", "", "", "", "/logs/kubelet.log"};
  EXPECT_TRUE(rule_allows(r2, logs));
  EXPECT_EQ(r0.verbs.items[0].path, "rules[0].verbs[0]");
  EXPECT_EQ(r0.verbs.items[0].node->mark().line, 8u);
}

TEST(RbacModel, AggregationCollectsRulesOfSelectedClusterRoles) {
  Inputs in;
  in.add(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      example.com/aggregate-to-monitoring: "true"
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-endpoints
  labels:
    example.com/aggregate-to-monitoring: "true"
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crd-editor
  labels:
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
rules:
- apiGroups: ["example.com"]
  resources: ["widgets"]
  verbs: ["create"]
)");
  in.add(binding("ClusterRoleBinding", "mon", "", "ClusterRole", "monitoring",
                 "- kind: ServiceAccount\n  name: prom\n  namespace: monitoring\n"));
  in.add(binding("RoleBinding", "team", "apps", "ClusterRole", "edit",
                 "- kind: Group\n  name: team\n"));
  RbacModel model(in.objects());
  const Role* mon = model.find_role(true, "monitoring", "");
  ASSERT_NE(mon, nullptr);
  EXPECT_TRUE(mon->aggregates());
  EXPECT_EQ(mon->effective_rules().size(), 1u);
  auto who = model.who_can("list", "secrets", "", "anywhere");
  ASSERT_EQ(who.size(), 1u);
  EXPECT_EQ(who[0].subject.display(), "ServiceAccount monitoring/prom");
  EXPECT_EQ(who[0].rule->object->name, "monitoring-endpoints");

  // The default edit role is summarised (not in the input) and still aggregates.
  AccessRequest widgets{"create", "example.com", "widgets", "", "apps", "", ""};
  auto editors = model.who_can(widgets);
  ASSERT_EQ(editors.size(), 1u);
  EXPECT_EQ(editors[0].subject.display(), "Group team");
  EXPECT_EQ(editors[0].role->object, nullptr);
  widgets.namespace_ = "other";
  EXPECT_TRUE(model.who_can(widgets).empty()) << "a RoleBinding grants in its namespace only";

  // The rule-level finding says where the rule ends up.
  auto issues = in.run("MTR-K8S-605");
  ASSERT_TRUE(issues.empty());
  auto secrets = in.run("MTR-K8S-602");
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_NE(secrets[0].message.find("aggregated into ClusterRole monitoring"), std::string::npos)
      << secrets[0].message;
}

TEST(RbacModel, BindingsResolveRolesAndServiceAccountNamespaces) {
  Inputs in;
  in.add(role("Role", "pod-exec",
              "- apiGroups: [\"\"]\n  resources: [\"pods/exec\"]\n  verbs: "
              "[\"create\"]\n",
              "dev"));
  in.add(binding("RoleBinding", "rb", "dev", "Role", "pod-exec",
                 "- kind: ServiceAccount\n  name: ci\n- kind: User\n  name: alice\n"));
  in.add(binding("RoleBinding", "wrong-ns", "prod", "Role", "pod-exec",
                 "- kind: User\n  name: bob\n"));
  RbacModel model(in.objects());
  ASSERT_EQ(model.bindings().size(), 2u);
  EXPECT_NE(model.bindings()[0].role, nullptr);
  EXPECT_EQ(model.bindings()[1].role, nullptr) << "a Role is looked up in the binding's namespace";
  EXPECT_EQ(model.bindings()[0].subjects[0].username(), "system:serviceaccount:dev:ci");
  auto who = model.who_can("create", "pods", "exec", "dev");
  ASSERT_EQ(who.size(), 2u);
  EXPECT_EQ(who[1].describe(), "User alice via RoleBinding dev/rb -> Role dev/pod-exec");
  auto by_subject = model.permissions_by_subject();
  EXPECT_EQ(by_subject.size(), 2u);
}

TEST(RbacModel, AggregationCyclesAndChainsTerminate) {
  Inputs in;
  in.add(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: a
  labels: {agg: b}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {agg: a}}]
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: b
  labels: {agg: a}
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions: [{key: agg, operator: In, values: [b]}]
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: c
  labels: {agg: b}
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get"]
)");
  RbacModel model(in.objects());
  const Role* a = model.find_role(true, "a", "");
  const Role* b = model.find_role(true, "b", "");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->effective_rules().size(), 3u);  // its own, b's, and c's through b
  EXPECT_EQ(b->effective_rules().size(), 3u);  // its own, a's and c's
}

// ---- ABAC ----------------------------------------------------------------------------------

TEST(Abac, DetectsPolicyFilesOnly) {
  EXPECT_TRUE(looks_like_abac("\n# comment\n{\"user\":\"admin\"}\n"));
  EXPECT_TRUE(looks_like_abac(
      R"({"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Policy", "spec": {"user": "a"}})"));
  EXPECT_FALSE(looks_like_abac("apiVersion: v1\nkind: Pod\n"));
  EXPECT_FALSE(looks_like_abac(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}})"));
  EXPECT_FALSE(looks_like_abac("user: admin\n"));
  EXPECT_FALSE(looks_like_abac(""));
}

TEST(Abac, V0ConversionAndLines) {
  Inputs in;
  in.add_abac(
      "{\"user\":\"admin\"}\n\n{\"readonly\": true, \"ns\": \"x\"}\n"
      "{\"user\":\"*\", \"kind\": \"pods\"}\n");
  RbacModel model(in.objects());
  ASSERT_EQ(model.policies().size(), 3u);
  const AbacPolicy& admin = model.policies()[0];
  EXPECT_TRUE(admin.v0);
  EXPECT_EQ(admin.eff_resource, "*");
  EXPECT_EQ(admin.eff_namespace, "*");
  EXPECT_EQ(admin.eff_api_group, "*");
  EXPECT_EQ(admin.eff_non_resource_path, "*");
  EXPECT_EQ(admin.object->mark.line, 1u);
  const AbacPolicy& ro = model.policies()[1];
  EXPECT_EQ(ro.eff_group, "system:authenticated") << "v0 without user or group: everyone";
  EXPECT_EQ(ro.eff_namespace, "x");
  EXPECT_EQ(ro.eff_non_resource_path, "");
  EXPECT_EQ(ro.object->mark.line, 3u);
  EXPECT_EQ(ro.object->name, "line-3");
  const AbacPolicy& star = model.policies()[2];
  EXPECT_EQ(star.eff_user, "");
  EXPECT_EQ(star.eff_group, "system:authenticated");
  EXPECT_EQ(star.eff_resource, "pods");
  EXPECT_TRUE(star.allows({"create", "", "pods", "exec", "any", "", ""}))
      << "ABAC ignores subresources";
  EXPECT_FALSE(ro.allows({"create", "", "pods", "", "x", "", ""}));
  EXPECT_FALSE(ro.allows({"get", "", "nodes", "", "", "", ""})) << "namespace x only";
  EXPECT_TRUE(ro.allows({"get", "", "secrets", "", "x", "", ""}));
}

TEST(Abac, V1beta1WildcardSubjectsIncludeAnonymous) {
  Inputs in;
  in.add_abac(
      "# comment\n"
      R"({"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{"user":"*","namespace":"*","resource":"pods","readonly":true}})"
      "\n"
      R"({"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{"group":"system:authenticated","namespace":"*","resource":"secrets","readonly":true}})"
      "\n"
      R"({"user":"*","resource":"pods"})");
  auto anon = in.run("MTR-K8S-608");
  ASSERT_EQ(anon.size(), 1u);
  EXPECT_EQ(anon[0].node->mark().line, 2u);
  EXPECT_EQ(anon[0].path, "spec.user");
  // v0 turns "*" into system:authenticated; it and the v1beta1 group policy are broad.
  auto all = in.run("MTR-K8S-610");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].object->mark.line, 3u);
  EXPECT_EQ(all[1].object->mark.line, 4u);
}

TEST(Abac, MalformedLineNamesFileAndLine) {
  auto bad = load_abac("{\"user\":\"a\"}\n{\"user\": \n", "p.jsonl");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().to_string().find("p.jsonl:2"), std::string::npos)
      << bad.error().to_string();
  auto wrong =
      load_abac("{\"user\":\"a\"}\n\n{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}\n", "p.jsonl");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().to_string().find("p.jsonl:3"), std::string::npos)
      << wrong.error().to_string();
  auto nospec = load_abac(
      R"({"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy"})", "p.jsonl");
  ASSERT_FALSE(nospec);
}

TEST(Abac, CorpusFilesLoad) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = test::corpus_dir() / "k8s" / "abac";
  struct Case {
    const char* file;
    std::size_t policies;
    bool v0;
  };
  for (const Case& c : {Case{"k8s-docs-examples.v1beta1.jsonl", 7, false},
                        Case{"kubernetes-example_policy_file.oldest.jsonl", 7, true},
                        Case{"kubernetes-example_policy_file.v0.jsonl", 9, true}}) {
    std::string text = test::read_file(dir / c.file);
    EXPECT_TRUE(looks_like_abac(text)) << c.file;
    auto m = load_abac(text, c.file);
    ASSERT_TRUE(m) << m.error().to_string();
    EXPECT_EQ(m->objects.size(), c.policies) << c.file;
    for (const Object& o : m->objects) {
      auto p = read_abac_policy(o);
      ASSERT_TRUE(p) << c.file;
      EXPECT_EQ(p->v0, c.v0);
    }
  }
}

TEST(Abac, CorpusFindings) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = test::corpus_dir() / "k8s" / "abac";
  Inputs docs;
  docs.add_file(dir / "k8s-docs-examples.v1beta1.jsonl");
  // alice and kube-system's default service account get everything.
  auto admins = docs.run("MTR-K8S-607");
  ASSERT_EQ(admins.size(), 2u);
  EXPECT_NE(admins[0].message.find("User alice"), std::string::npos) << admins[0].message;
  EXPECT_NE(admins[1].message.find("ServiceAccount kube-system/default"), std::string::npos);
  EXPECT_EQ(admins[1].node->mark().line, 7u);
  // system:unauthenticated may read every non-resource path (/logs, /metrics included).
  auto anon = docs.run("MTR-K8S-608");
  ASSERT_EQ(anon.size(), 1u);
  EXPECT_EQ(anon[0].object->mark.line, 6u);
  // kubelet's read-only pods policy allows only the legacy get exec: not reported (see check).
  EXPECT_EQ(count(docs, "MTR-K8S-603"), 2u);  // alice, kube-system:default
  EXPECT_EQ(count(docs, "MTR-K8S-602"), 2u);
  EXPECT_EQ(count(docs, "MTR-K8S-610"), 0u) << "system:authenticated gets read-only paths only";

  Inputs v0;
  v0.add_file(dir / "kubernetes-example_policy_file.v0.jsonl");
  auto v0_admins = v0.run("MTR-K8S-607");
  ASSERT_EQ(v0_admins.size(), 1u);  // {"user":"admin"}
  EXPECT_EQ(v0_admins[0].object->mark.line, 1u);
  // alice (namespace projectCaribou, every resource) and admin have wildcards.
  EXPECT_EQ(count(v0, "MTR-K8S-601"), 3u);  // admin, alice, bob (read-only everything)
  // scheduler may create bindings and pods? No: only read pods; no pod creation outside
  // alice/admin.
  EXPECT_EQ(count(v0, "MTR-K8S-605"), 2u);
}

// ---- rule-level checks -------------------------------------------------------------------------

TEST(RbacChecks, Wildcards) {
  Inputs pos;
  pos.add(role("Role", "r", "- apiGroups: [\"*\"]\n  resources: [\"pods\"]\n  verbs: [\"get\"]\n",
               "dev"));
  auto issues = pos.run("MTR-K8S-601");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "rules[0]");
  EXPECT_NE(issues[0].message.find("apiGroups"), std::string::npos);
  Inputs neg;
  neg.add(role("Role", "r", "- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\"]\n",
               "dev"));
  EXPECT_EQ(count(neg, "MTR-K8S-601"), 0u);
}

TEST(RbacChecks, SecretsRead) {
  Inputs pos;
  pos.add(kSecretReader);
  auto issues = pos.run("MTR-K8S-602");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "rules[1]");
  EXPECT_EQ(issues[0].node->mark().line, 10u);
  EXPECT_NE(issues[0].message.find("get, list secrets"), std::string::npos) << issues[0].message;
  Inputs wildcard;
  wildcard.add(role("ClusterRole", "all",
                    "- apiGroups: [\"\"]\n  resources: [\"*\"]\n  verbs: "
                    "[\"list\"]\n"));
  EXPECT_EQ(count(wildcard, "MTR-K8S-602"), 1u);
  Inputs neg;
  neg.add(role("Role", "named", R"(- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["app-config"]
  verbs: ["get"]
- apiGroups: ["apps"]
  resources: ["*"]
  verbs: ["get"]
)",
               "dev"));
  EXPECT_EQ(count(neg, "MTR-K8S-602"), 0u) << "named secrets, and secrets are not in apps";
}

TEST(RbacChecks, ExecAttach) {
  Inputs pos;
  pos.add(role("Role", "r",
               "- apiGroups: [\"\"]\n  resources: [\"pods/attach\"]\n  verbs: "
               "[\"get\"]\n",
               "dev"));
  EXPECT_EQ(count(pos, "MTR-K8S-603"), 1u);
  Inputs neg;
  neg.add(role("Role", "r",
               "- apiGroups: [\"\"]\n  resources: [\"pods\", \"pods/log\"]\n  verbs: "
               "[\"get\", \"create\"]\n",
               "dev"));
  EXPECT_EQ(count(neg, "MTR-K8S-603"), 0u);
}

TEST(RbacChecks, EscalateBindImpersonate) {
  Inputs pos;
  pos.add(role("ClusterRole", "r", R"(- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterroles"]
  verbs: ["bind"]
- apiGroups: [""]
  resources: ["groups"]
  resourceNames: ["system:masters"]
  verbs: ["impersonate"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["rolebindings"]
  verbs: ["create", "bind"]
)"));
  auto issues = pos.run("MTR-K8S-604");
  // Creating bindings is not escalation: the API server checks the creator holds the role.
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_NE(issues[1].message.find("impersonate groups \"system:masters\""), std::string::npos)
      << issues[1].message;
}

TEST(RbacChecks, PodCreation) {
  Inputs pos;
  pos.add(role("Role", "deployer",
               "- apiGroups: [\"apps\"]\n  resources: [\"deployments\"]\n  "
               "verbs: [\"create\", \"update\"]\n",
               "dev"));
  EXPECT_EQ(count(pos, "MTR-K8S-605"), 1u);
  Inputs neg;
  neg.add(role("Role", "reader",
               "- apiGroups: [\"\", \"apps\"]\n  resources: [\"pods\", "
               "\"deployments\"]\n  verbs: [\"get\"]\n",
               "dev"));
  EXPECT_EQ(count(neg, "MTR-K8S-605"), 0u);
}

TEST(RbacChecks, NodeProxy) {
  Inputs pos;
  pos.add(role("ClusterRole", "np",
               "- apiGroups: [\"\"]\n  resources: [\"nodes/proxy\"]\n  verbs: "
               "[\"get\"]\n"));
  EXPECT_EQ(count(pos, "MTR-K8S-606"), 1u);
  Inputs neg;
  neg.add(role("ClusterRole", "n",
               "- apiGroups: [\"\"]\n  resources: [\"nodes\", "
               "\"nodes/metrics\"]\n  verbs: [\"get\"]\n"));
  EXPECT_EQ(count(neg, "MTR-K8S-606"), 0u);
}

TEST(RbacChecks, BuiltInRolesAreSkippedButUserBindingsToSystemRolesAreNot) {
  Inputs in;
  in.add(role("ClusterRole", "system:controller:thing",
              "- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n"));
  in.add(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: edit
  labels:
    kubernetes.io/bootstrapping: rbac-defaults
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
)");
  EXPECT_EQ(count(in, "MTR-K8S-601"), 0u);
  EXPECT_EQ(count(in, "MTR-K8S-602"), 0u);
  in.add(binding("ClusterRoleBinding", "system:controller:thing", "", "ClusterRole",
                 "system:controller:thing", "- kind: User\n  name: x\n"));
  EXPECT_EQ(count(in, "MTR-K8S-601"), 0u);
  EXPECT_EQ(count(in, "MTR-K8S-607"), 0u) << "a built-in binding";
  in.add(binding("ClusterRoleBinding", "mine", "", "ClusterRole", "system:controller:thing",
                 "- kind: User\n  name: x\n"));
  auto issues = in.run("MTR-K8S-601");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].object->name, "mine");
  EXPECT_EQ(issues[0].path, "roleRef.name");
  EXPECT_EQ(count(in, "MTR-K8S-607"), 1u);
}

TEST(RbacChecks, NamespacedRolesCannotGrantClusterScopedResources) {
  Inputs in;
  in.add(role("Role", "r", R"(- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
)",
              "dev"));
  EXPECT_EQ(count(in, "MTR-K8S-606"), 0u) << "nodes are cluster-scoped";
  auto esc = in.run("MTR-K8S-604");
  ASSERT_EQ(esc.size(), 1u);
  // Only the namespaced parts: roles and service accounts, not clusterroles, users or groups.
  EXPECT_NE(esc[0].message.find("escalate, bind roles; impersonate serviceaccounts"),
            std::string::npos)
      << esc[0].message;
  EXPECT_EQ(count(in, "MTR-K8S-601"), 1u);
  EXPECT_EQ(count(in, "MTR-K8S-602"), 1u);
}

// ---- binding-level checks ------------------------------------------------------------------

TEST(RbacChecks, ClusterAdminBindings) {
  Inputs in;
  in.add(binding("ClusterRoleBinding", "ops", "", "ClusterRole", "cluster-admin",
                 "- kind: User\n  name: ops\n"));
  in.add(binding("ClusterRoleBinding", "masters", "", "ClusterRole", "cluster-admin",
                 "- kind: Group\n  name: system:masters\n"));
  in.add(role("ClusterRole", "everything",
              "- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"get\", \"list\", "
              "\"watch\", \"create\", \"update\", \"patch\", \"delete\"]\n"));
  in.add(binding("RoleBinding", "ns-admin", "dev", "ClusterRole", "everything",
                 "- kind: ServiceAccount\n  name: ci\n"));
  in.add(binding("ClusterRoleBinding", "viewers", "", "ClusterRole", "view",
                 "- kind: Group\n  name: devs\n"));
  auto issues = in.run("MTR-K8S-607");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].object->name, "ops");
  EXPECT_EQ(issues[0].path, "roleRef.name");
  EXPECT_NE(issues[1].message.find("full control of the namespace (in namespace dev)"),
            std::string::npos)
      << issues[1].message;
}

TEST(RbacChecks, AnonymousSubjects) {
  Inputs in;
  in.add(binding("ClusterRoleBinding", "anon", "", "ClusterRole", "view",
                 "- kind: Group\n  name: devs\n- kind: User\n  name: system:anonymous\n"));
  in.add(binding("ClusterRoleBinding", "system:public-info-viewer", "", "ClusterRole",
                 "system:public-info-viewer", "- kind: Group\n  name: system:unauthenticated\n"));
  auto issues = in.run("MTR-K8S-608");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "subjects[1]");
}

TEST(RbacChecks, PodCreationInPrivilegedNamespacesOrClusterWide) {
  Inputs in;
  in.add(binding("RoleBinding", "sys-edit", "kube-system", "ClusterRole", "edit",
                 "- kind: User\n  name: alice\n"));
  in.add(binding("RoleBinding", "dev-edit", "dev", "ClusterRole", "edit",
                 "- kind: User\n  name: bob\n"));
  in.add(binding("ClusterRoleBinding", "view-all", "", "ClusterRole", "view",
                 "- kind: User\n  name: carol\n"));
  auto issues = in.run("MTR-K8S-609");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].object->name, "sys-edit");
  EXPECT_NE(issues[0].message.find("create pods"), std::string::npos) << issues[0].message;
  AuditConfig config;
  config.privileged_namespaces = {"kube-system", "dev"};
  EXPECT_EQ(count(in, "MTR-K8S-609", config), 2u);
  // Cluster-wide, through a role of the input; a binding without subjects grants nothing.
  in.add(role("ClusterRole", "job-runner",
              "- apiGroups: [\"batch\"]\n  resources: [\"jobs\"]\n  "
              "verbs: [\"create\"]\n"));
  in.add(binding("ClusterRoleBinding", "jobs", "", "ClusterRole", "job-runner",
                 "- kind: ServiceAccount\n  name: ci\n  namespace: ci\n"));
  in.add(binding("ClusterRoleBinding", "nobody", "", "ClusterRole", "job-runner", "  []\n"));
  auto issues2 = in.run("MTR-K8S-609");
  ASSERT_EQ(issues2.size(), 2u);
  EXPECT_EQ(issues2[1].message,
            "ClusterRoleBinding jobs lets ServiceAccount ci/ci create jobs cluster-wide through "
            "ClusterRole job-runner");
}

TEST(RbacChecks, AllAuthenticatedWithBroadRights) {
  Inputs in;
  in.add(kSecretReader);
  in.add(binding("ClusterRoleBinding", "all-secrets", "", "ClusterRole", "secret-reader",
                 "- kind: Group\n  name: system:authenticated\n"));
  in.add(binding("ClusterRoleBinding", "all-view", "", "ClusterRole", "view",
                 "- kind: Group\n  name: system:serviceaccounts\n"));
  auto issues = in.run("MTR-K8S-610");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].object->name, "all-secrets");
}

// ---- exec into privileged pods -------------------------------------------------------------

constexpr std::string_view kPrivilegedPod = R"(
apiVersion: v1
kind: Pod
metadata:
  name: node-agent
  namespace: prod
spec:
  containers:
  - name: agent
    image: agent:1
    securityContext:
      privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: prod
spec:
  containers:
  - name: web
    image: nginx:1
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: tracer
  namespace: tools
spec:
  template:
    spec:
      hostPID: true
      containers:
      - name: t
        image: tracer:1
)";

TEST(RbacChecks, ExecIntoPrivilegedPodsNamesSubjectsOnce) {
  Inputs in;
  in.add(kPrivilegedPod);
  in.add(binding("RoleBinding", "prod-edit", "prod", "ClusterRole", "edit",
                 "- kind: ServiceAccount\n  name: deployer\n- kind: Group\n  name: "
                 "system:masters\n"));
  in.add(binding("RoleBinding", "prod-admin", "prod", "ClusterRole", "admin",
                 "- kind: ServiceAccount\n  name: deployer\n"));
  in.add(binding("RoleBinding", "dev-edit", "dev", "ClusterRole", "edit",
                 "- kind: User\n  name: dev\n"));
  auto issues = in.run("MTR-K8S-611");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].object->name, "node-agent");
  EXPECT_EQ(issues[0].path, "spec.containers[0].securityContext.privileged");
  EXPECT_NE(issues[0].message.find("1 subject may exec"), std::string::npos) << issues[0].message;
  EXPECT_NE(issues[0].message.find("ServiceAccount prod/deployer via RoleBinding prod/prod-edit"),
            std::string::npos)
      << issues[0].message;

  // hostPID counts; a ClusterRoleBinding reaches every namespace; ABAC policies count too.
  in.add(role("ClusterRole", "exec",
              "- apiGroups: [\"\"]\n  resources: [\"pods/exec\"]\n  verbs: "
              "[\"create\"]\n"));
  in.add(binding("ClusterRoleBinding", "exec-all", "", "ClusterRole", "exec",
                 "- kind: User\n  name: sre\n"));
  in.add_abac(
      R"({"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{"user":"ops","namespace":"tools","resource":"pods"}})");
  issues = in.run("MTR-K8S-611");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[1].object->name, "tracer");
  EXPECT_EQ(issues[1].path, "spec.template.spec.hostPID");
  EXPECT_NE(issues[1].message.find("User sre"), std::string::npos) << issues[1].message;
  EXPECT_NE(issues[1].message.find("User ops via ABAC policy"), std::string::npos)
      << issues[1].message;
}

// ---- peers' cases --------------------------------------------------------------------------

std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename() == "expected.yaml") continue;
    auto ext = e.path().extension();
    if (ext == ".yaml" || ext == ".yml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Checkov graph checks report on bindings whose role grants the permission to a ServiceAccount;
// we report at the role's rule whoever it is bound to. A case folder fails when any of our
// checks for that Checkov check reports in it.
TEST(RbacPeers, CheckovGraphChecks) {
  MTR_REQUIRE_CORPUS();
  const fs::path root = test::corpus_dir() / "k8s" / "peers" / "checkov" / "kubernetes" / "graph" /
                        "checks" / "resources";
  struct Case {
    const char* check;
    std::vector<std::string> ours;
    // Folders where we disagree, with why.
    std::set<std::string> disagree;
  };
  const std::vector<Case> cases = {
      {"ReadAllSecrets", {"MTR-K8S-602"}, {}},
      {"ImpersonatePermissions", {"MTR-K8S-604"}, {}},
      // Failing/4 grants bind/create on rbac resources, which is MTR-K8S-604's business, not
      // exec or nodes/proxy. Passing/2 grants get on nodes/proxy, which reaches the kubelet's
      // exec through a websocket upgrade: we report it. Failing/3 writes nodes/proxy in a
      // namespaced Role, which cannot grant a cluster-scoped resource (its create pods in
      // kube-system is MTR-K8S-605/609's finding).
      {"NoCreateNodesProxyOrPodsExec",
       {"MTR-K8S-603", "MTR-K8S-606"},
       {"Failing/3", "Failing/4", "Passing/2"}},
      // Failing1 ("*" on clusterrolebindings) and Failing3 (bind on rolebindings) grant no
      // escalation: bind is a verb on roles, and creating a binding needs the bound permissions
      // (or bind on the role) anyway. Passing2 binds a User, which Checkov's check ignores; the
      // role still grants bind on every role, so we report it.
      {"RoleBindingPE", {"MTR-K8S-604"}, {"Failing1", "Failing3", "Passing2"}},
  };
  for (const Case& c : cases) {
    const fs::path dir = root / c.check;
    std::set<fs::path> folders;
    for (const fs::path& f : yaml_files(dir)) folders.insert(f.parent_path());
    ASSERT_FALSE(folders.empty()) << c.check;
    for (const fs::path& folder : folders) {
      const std::string rel = fs::relative(folder, dir).string();
      Inputs in;
      for (const fs::path& f : yaml_files(folder)) in.add_file(f);
      std::size_t found = 0;
      for (const std::string& id : c.ours) found += count(in, id);
      const bool expect_fail = rel.find("Failing") != std::string::npos;
      const bool flip = c.disagree.contains(rel);
      EXPECT_EQ(found > 0, expect_fail != flip) << c.check << "/" << rel;
    }
  }
}

TEST(RbacPeers, PolarisChecks) {
  MTR_REQUIRE_CORPUS();
  const fs::path root = test::corpus_dir() / "k8s" / "peers" / "polaris" / "test" / "checks";
  struct Case {
    const char* check;
    const char* ours;
    std::set<std::string> disagree;
  };
  auto with = [](std::set<std::string> s, const char* more) {
    s.insert(more);
    return s;
  };
  // Polaris exempts bindings named "system:*" or "gce:podsecuritypolicy:calico-sa"; the
  // user-written role such a binding points at is still reported by our rule check. A roleRef to
  // a role missing from the input may be defined elsewhere: we do not guess. Polaris splits each
  // check by the roleRef's kind; a case that passes one variant because the binding points at
  // the other kind (a RoleBinding to a ClusterRole granting exec) fails ours, which reports the
  // role whatever binds it.
  const std::set<std::string> exec_binding = {"failure.binding_points_to_missing_ref.yaml",
                                              "success.system_prefix_binding.yaml",
                                              "success.gce_calico_binding.yaml"};
  const std::vector<Case> cases = {
      {"clusterrolePodExecAttach", "MTR-K8S-603", {}},
      {"rolePodExecAttach", "MTR-K8S-603", {}},
      {"clusterrolebindingPodExecAttach", "MTR-K8S-603", exec_binding},
      {"rolebindingClusterRolePodExecAttach", "MTR-K8S-603", exec_binding},
      {"rolebindingRolePodExecAttach", "MTR-K8S-603",
       with(exec_binding, "success.role_binding_cluster_role_binding.yaml")},
      {"clusterrolebindingClusterAdmin", "MTR-K8S-607", {}},
      {"rolebindingClusterAdminClusterRole", "MTR-K8S-607", {}},
      {"rolebindingClusterAdminRole", "MTR-K8S-607", {}},
  };
  for (const Case& c : cases) {
    const fs::path dir = root / c.check;
    auto files = yaml_files(dir);
    ASSERT_FALSE(files.empty()) << c.check;
    for (const fs::path& f : files) {
      const std::string name = f.filename().string();
      if (name == "check.yaml" || name.starts_with("mutated")) continue;
      Inputs in;
      in.add_file(f);
      const bool expect_fail = name.starts_with("failure");
      const bool flip = c.disagree.contains(name);
      EXPECT_EQ(count(in, c.ours) > 0, expect_fail != flip) << c.check << "/" << name;
    }
  }
}

// kube-linter's e2e expectations: one report per file for the included check. It reports
// access-to-secrets and access-to-create-pods at the binding; we report at the role's rule (one
// finding either way).
TEST(RbacPeers, KubeLinterChecks) {
  MTR_REQUIRE_CORPUS();
  const fs::path dir = test::corpus_dir() / "k8s" / "peers" / "kube-linter" / "tests" / "checks";
  struct Case {
    const char* file;
    const char* ours;
    std::size_t reports;
  };
  for (const Case& c : {Case{"access-to-secrets.yml", "MTR-K8S-602", 1},
                        Case{"access-to-create-pods.yml", "MTR-K8S-605", 1},
                        Case{"cluster-admin-role-binding.yml", "MTR-K8S-607", 1},
                        Case{"wildcard-in-rules.yml", "MTR-K8S-601", 1}}) {
    Inputs in;
    in.add_file(dir / c.file);
    EXPECT_EQ(count(in, c.ours), c.reports) << c.file;
  }
}

// Real install manifests: the findings a reviewer would expect, and none on the bindings of
// well-scoped operators. Kubernetes Goat's insecure folder read together links its
// cluster-admin service account to its privileged pods.
TEST(RbacRealWorld, InstallManifestsAndGoat) {
  MTR_REQUIRE_CORPUS();
  const fs::path root = test::corpus_dir() / "k8s" / "real-world";
  Inputs goat;
  goat.add_file(root / "insecure" /
                "madhuakula.kubernetes-goat__scenarios__insecure-rbac__setup.yaml");
  auto admin = goat.run("MTR-K8S-607");
  ASSERT_EQ(admin.size(), 1u);
  EXPECT_NE(admin[0].message.find("ServiceAccount kube-system/superadmin"), std::string::npos);
  EXPECT_EQ(count(goat, "MTR-K8S-609"), 1u);

  Inputs nginx;
  nginx.add_file(root / "install-manifests" /
                 "kubernetes.ingress-nginx__deploy__static__provider__baremetal__deploy.yaml");
  EXPECT_EQ(count(nginx, "MTR-K8S-602"), 3u);  // it watches TLS secrets, by design
  for (const char* id : {"MTR-K8S-601", "MTR-K8S-603", "MTR-K8S-604", "MTR-K8S-607", "MTR-K8S-608",
                         "MTR-K8S-609", "MTR-K8S-610", "MTR-K8S-611"})
    EXPECT_EQ(count(nginx, id), 0u) << id;

  Inputs argo;
  argo.add_file(root / "install-manifests" / "argoproj.argo-cd__manifests__install.yaml");
  auto argo_admin = argo.run("MTR-K8S-607");
  ASSERT_EQ(argo_admin.size(), 1u);  // the application controller's "*" ClusterRole
  EXPECT_NE(argo_admin[0].message.find("argocd-application-controller"), std::string::npos);

  Inputs insecure;
  for (const auto& e : fs::directory_iterator(root / "insecure"))
    if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
      insecure.add_file(e.path());
  auto exec = insecure.run("MTR-K8S-611");
  ASSERT_FALSE(exec.empty());
  for (const Issue& issue : exec)
    EXPECT_NE(issue.message.find("ServiceAccount kube-system/superadmin"), std::string::npos)
        << issue.message;
}

}  // namespace
}  // namespace mtr::kube
