// audit(): the hygiene, resources, images, mounts and validity checks, suppression by
// annotation and by configuration, and the configuration file.
#include "kube/audit.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kube/config.h"

namespace mtr::kube {
namespace {

struct Audited {
  std::vector<Manifest> manifests;
  std::vector<core::Finding> findings;

  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.id);
    return out;
  }
  std::size_t count(std::string_view id) const {
    return static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(), [&](const core::Finding& f) { return f.id == id; }));
  }
  const core::Finding* first(std::string_view id) const {
    for (const auto& f : findings)
      if (f.id == id) return &f;
    return nullptr;
  }
};

Audited run(std::string_view yaml, AuditOptions options = {}) {
  Audited r;
  auto m = load_manifest(yaml, "w.yaml");
  EXPECT_TRUE(m) << (m ? "" : m.error().to_string());
  if (m) r.manifests.push_back(std::move(*m));
  if (options.today.empty()) options.today = "2026-11-23";
  r.findings = audit(r.manifests, options);
  return r;
}

AuditOptions only(CheckGroup group) {
  AuditOptions o;
  o.only = {group};
  return o;
}

constexpr std::string_view kHardened = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: web
        image: registry.example.com/web:1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        imagePullPolicy: Always
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 500m, memory: 256Mi}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: shop}
---
apiVersion: v1
kind: LimitRange
metadata: {name: l, namespace: shop}
)";

TEST(KubeAudit, HardenedWorkloadHasNoWorkloadFindings) {
  AuditOptions o;
  o.skip = {CheckGroup::kNetwork};
  Audited r = run(kHardened, o);
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().id << " " << r.findings.front().title;
}

TEST(KubeAudit, HygieneInheritsPodLevelSettings) {
  Audited r = run(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 20000, runAsGroup: 20000}
  containers:
  - name: a
    image: a:1
  - name: b
    image: b:1
    securityContext: {runAsUser: 500, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
)",
                  only(CheckGroup::kHygiene));
  EXPECT_EQ(r.count("MTR-K8S-202"), 0u);  // runAsNonRoot inherited from the pod
  EXPECT_EQ(r.count("MTR-K8S-204"), 1u);  // only b: 500 <= 10000; a inherits 20000
  EXPECT_EQ(r.first("MTR-K8S-204")->location.json_path,
            "spec.containers[1].securityContext.runAsUser");
  EXPECT_EQ(r.first("MTR-K8S-204")->location.line, 11u);
  EXPECT_EQ(r.count("MTR-K8S-205"), 0u);
  EXPECT_EQ(r.count("MTR-K8S-201"), 1u);  // a's root filesystem
  EXPECT_EQ(r.count("MTR-K8S-203"), 1u);  // a may escalate
  EXPECT_EQ(r.first("MTR-K8S-203")->location.json_path, "spec.containers[0]");
  EXPECT_EQ(r.count("MTR-K8S-206"), 1u);  // token mounted
}

TEST(KubeAudit, ServiceAccountOptOutCoversThePod) {
  Audited r = run(R"(apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: ns}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  serviceAccountName: quiet
  containers: [{name: a, image: a:1}]
)",
                  only(CheckGroup::kHygiene));
  EXPECT_EQ(r.count("MTR-K8S-206"), 0u);
}

TEST(KubeAudit, HygieneGivesWayToTheSamePssFinding) {
  constexpr std::string_view kPod =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "
      "a:1}]\n";
  AuditOptions both;
  both.only = {CheckGroup::kHygiene, CheckGroup::kPss};
  Audited with_pss = run(kPod, both);
  Audited hygiene_only = run(kPod, only(CheckGroup::kHygiene));
  EXPECT_EQ(hygiene_only.count("MTR-K8S-202"), 1u);
  EXPECT_EQ(hygiene_only.count("MTR-K8S-203"), 1u);
  if (with_pss.count("MTR-K8S-123") > 0) {  // the pss engine is built
    EXPECT_EQ(with_pss.count("MTR-K8S-202"), 0u);
    EXPECT_EQ(with_pss.count("MTR-K8S-203"), 0u);
  }
}

TEST(KubeAudit, ResourcesPerContainerAndPerNamespace) {
  Audited r = run(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: team}
spec:
  template:
    spec:
      initContainers: [{name: i, image: i:1, resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 1, memory: 1Gi}}}]
      containers:
      - name: c
        image: c:1
        resources:
          requests: {cpu: 100m}
      ephemeralContainers: [{name: e, image: e:1}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: team}
)",
                  only(CheckGroup::kResources));
  EXPECT_EQ(r.count("MTR-K8S-301"), 0u);
  EXPECT_EQ(r.count("MTR-K8S-302"), 1u);
  EXPECT_EQ(r.count("MTR-K8S-303"), 1u);
  EXPECT_EQ(r.count("MTR-K8S-304"), 1u);
  EXPECT_EQ(r.count("MTR-K8S-305"), 0u);  // the quota is there
  EXPECT_EQ(r.count("MTR-K8S-306"), 1u);  // no LimitRange
  EXPECT_EQ(r.first("MTR-K8S-302")->location.json_path,
            "spec.template.spec.containers[0].resources");
}

TEST(KubeAudit, Images) {
  constexpr std::string_view kPod = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: nginx}
  - {name: b, image: "nginx:latest"}
  - {name: c, image: "localhost:5000/app:1.0"}
  - {name: d, image: "quay.io/x/y:latest@sha256:abc"}
  - {name: e, image: "registry.example.com/team/app:2"}
)";
  Audited r = run(kPod, only(CheckGroup::kImages));
  EXPECT_EQ(r.count("MTR-K8S-401"), 2u);  // a (no tag) and b (latest); d is pinned
  EXPECT_EQ(r.count("MTR-K8S-402"), 0u);  // off by default
  EXPECT_EQ(r.count("MTR-K8S-403"), 0u);  // no allowed list
  AuditOptions strict = only(CheckGroup::kImages);
  strict.config.allowed_registries = {"registry.example.com", "*.io"};
  strict.enabled = {"MTR-K8S-402"};
  Audited s = run(kPod, strict);
  EXPECT_EQ(s.count("MTR-K8S-402"), 4u);
  EXPECT_EQ(s.count("MTR-K8S-403"), 1u);  // localhost:5000; docker.io and quay.io match *.io
}

TEST(KubeAudit, DangerousHostPaths) {
  Audited r = run(R"(apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: mon}
spec:
  template:
    spec:
      containers:
      - name: a
        image: a:1
        volumeMounts: [{name: sock, mountPath: /var/run/docker.sock}, {name: proc, mountPath: /host/proc, readOnly: true}]
      volumes:
      - {name: sock, hostPath: {path: /var/run/docker.sock}}
      - {name: proc, hostPath: {path: /proc/}}
      - {name: logs, hostPath: {path: /opt/app-logs}}
      - {name: root, hostPath: {path: /}}
)",
                  only(CheckGroup::kMounts));
  EXPECT_EQ(r.count("MTR-K8S-701"), 1u);
  EXPECT_EQ(r.count("MTR-K8S-702"), 2u);  // /proc and /; /opt/app-logs is not sensitive
  EXPECT_NE(r.first("MTR-K8S-701")->title.find("container \"a\" (read-write)"), std::string::npos);
  EXPECT_NE(r.findings.at(1).title.find("(read-only)"), std::string::npos);
}

TEST(KubeAudit, InvalidFieldTypes) {
  Audited r = run(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: "true"
  containers:
  - name: a
    image: a:1
    securityContext: {runAsUser: abc}
)",
                  only(CheckGroup::kValidity));
  ASSERT_EQ(r.count("MTR-K8S-001"), 2u);
  EXPECT_EQ(r.findings[0].location.json_path, "spec.hostNetwork");
  EXPECT_EQ(r.findings[0].location.line, 5u);
}

TEST(KubeAudit, AnnotationSuppressionAndStrict) {
  constexpr std::string_view kPod = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    matryoshka.io/ignore: "MTR-K8S-201, KSV020: the app writes to its root by design"
spec:
  template:
    metadata:
      annotations: {matryoshka.io/ignore: latest-tag}
    spec:
      containers: [{name: a, image: a}]
)";
  AuditOptions o;
  o.only = {CheckGroup::kHygiene, CheckGroup::kImages};
  Audited r = run(kPod, o);
  EXPECT_EQ(r.count("MTR-K8S-201"), 0u);
  EXPECT_EQ(r.count("MTR-K8S-204"), 0u);  // by its alias KSV020
  EXPECT_EQ(r.count("MTR-K8S-401"), 0u);  // from the pod template
  EXPECT_EQ(r.count("MTR-K8S-205"), 1u);
  o.honour_annotations = false;
  Audited strict = run(kPod, o);
  EXPECT_EQ(strict.count("MTR-K8S-201"), 1u);
  EXPECT_EQ(strict.count("MTR-K8S-204"), 1u);
  EXPECT_EQ(strict.count("MTR-K8S-401"), 1u);
}

TEST(KubeAudit, ConfigExemptionsWithExpiryAndSeverity) {
  auto config = parse_audit_config(R"(k8s:
  pss: baseline
  pss-version: v1.25
  skip: [resources]
  ignored: [KSV036]
  severity: {MTR-K8S-201: high}
  min-user-id: 1000
  fail-on: medium
  exemptions:
    - checks: [MTR-K8S-401]
      namespace: "kube-*"
      reason: vendor images
    - checks: [MTR-K8S-203]
      name: web
      expires: 2020-01-01
)",
                                   "cfg.yaml");
  ASSERT_TRUE(config) << config.error().to_string();
  AuditOptions o = config->options;
  EXPECT_EQ(o.config.pss_level, PssLevel::kBaseline);
  EXPECT_EQ(o.config.pss_version.minor, 25);
  EXPECT_EQ(o.config.min_user_id, 1000);
  EXPECT_EQ(config->fail_on, "medium");
  o.only = {CheckGroup::kHygiene, CheckGroup::kImages, CheckGroup::kResources};
  Audited r = run(R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: kube-system}
spec:
  securityContext: {runAsUser: 5000, runAsGroup: 5000, runAsNonRoot: true}
  containers: [{name: a, image: a}]
)",
                  o);
  EXPECT_EQ(r.count("MTR-K8S-401"), 0u);  // exempt in kube-*
  EXPECT_EQ(r.count("MTR-K8S-203"), 1u);  // that exemption expired
  EXPECT_EQ(r.count("MTR-K8S-206"), 0u);  // ignored by alias
  EXPECT_EQ(r.count("MTR-K8S-204"), 0u);  // 5000 > 1000
  EXPECT_EQ(r.count("MTR-K8S-301"), 0u);  // resources skipped
  ASSERT_NE(r.first("MTR-K8S-201"), nullptr);
  EXPECT_EQ(r.first("MTR-K8S-201")->severity, core::Severity::kHigh);
}

TEST(KubeAudit, ConfigErrorsNameThePlace) {
  auto bad_key = parse_audit_config("k8s:\n  colour: red\n", "c.yaml");
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().location.line, 2u);
  auto bad_date =
      parse_audit_config("k8s:\n  exemptions:\n  - {name: x, expires: tomorrow}\n", "c.yaml");
  ASSERT_FALSE(bad_date);
  EXPECT_NE(bad_date.error().message.find("YYYY-MM-DD"), std::string::npos);
  auto unknown_id = parse_audit_config("k8s:\n  ignored: [NOPE-1]\n", "c.yaml");
  ASSERT_TRUE(unknown_id);
  EXPECT_EQ(unknown_id->warnings.size(), 1u);
  // A file with only another domain's section is not ours.
  auto other = parse_audit_config("dockerfile:\n  ignored: [DL3008]\n", "c.yaml");
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->options.ignored.empty());
}

TEST(KubeAudit, RegistryHasUniqueIdsAndAliases) {
  const CheckRegistry& r = builtin_checks();
  EXPECT_GE(r.checks().size(), 30u);
  for (std::size_t i = 1; i < r.checks().size(); ++i)
    EXPECT_LT(r.checks()[i - 1].id, r.checks()[i].id);
  for (const CheckInfo& c : r.checks()) {
    EXPECT_FALSE(c.title.empty()) << c.id;
    EXPECT_FALSE(c.description.empty()) << c.id;
    EXPECT_FALSE(c.fix.empty()) << c.id;
  }
}

}  // namespace
}  // namespace mtr::kube
