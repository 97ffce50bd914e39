// NetworkPolicy semantics (kube/netpol.h) asserted cell by cell against what a conforming CNI
// enforces, the renderings, the network checks, and a smoke run over the corpus' policies.
#include "kube/netpol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kube/audit.h"
#include "support/test_support.h"

namespace mtr::kube {
namespace {

// Three namespaces: a (team=red, given), b (team=blue, env=prod, given), c (not given: only its
// automatic name label).
constexpr std::string_view kWorkloads = R"(apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {team: red}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {team: blue, env: prod}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web, tier: front}}
spec:
  containers:
  - name: c
    ports:
    - {name: http, containerPort: 8080}
    - {name: metrics, containerPort: 9090}
    - {name: dns, containerPort: 5353, protocol: UDP}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: a, labels: {app: db}}
spec:
  containers:
  - name: c
    ports:
    - {name: pg, containerPort: 5432}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: b, labels: {app: api}}
spec:
  containers:
  - name: c
    ports:
    - {name: http, containerPort: 8000}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: b, labels: {app: other}}
spec:
  containers: [{name: c}]
---
apiVersion: v1
kind: Pod
metadata: {name: job, namespace: c, labels: {app: job}}
spec:
  containers: [{name: c}]
)";

const char* const kWeb = "Pod a/web";
const char* const kDb = "Pod a/db";
const char* const kApi = "Pod b/api";
const char* const kOther = "Pod b/other";
const char* const kJob = "Pod c/job";
const char* const kExt = "external";

struct Net {
  std::vector<Manifest> manifests;
  NetpolAnalysis a;

  std::size_t index(std::string_view label) const {
    for (std::size_t i = 0; i < a.workloads.size(); ++i)
      if (a.workloads[i].label == label) return i;
    ADD_FAILURE() << "no workload " << label;
    return 0;
  }
  const NetpolWorkload& w(std::string_view label) const { return a.workloads[index(label)]; }
  // The cell as the table prints it: "-" when nothing is allowed.
  std::string cell(std::string_view from, std::string_view to) const {
    std::string s;
    if (from == kExt)
      s = a.from_external[index(to)].to_string();
    else if (to == kExt)
      s = a.to_external[index(from)].to_string();
    else
      s = a.matrix[index(from)][index(to)].to_string();
    return s.empty() ? "-" : s;
  }
};

Net analyze(std::string_view policies, std::string_view workloads = kWorkloads) {
  Net n;
  std::string text = std::string(workloads) + "\n---\n" + std::string(policies);
  auto m = load_manifest(text, "net.yaml");
  EXPECT_TRUE(m) << (m ? "" : m.error().to_string());
  if (m) n.manifests.push_back(std::move(*m));
  auto a = analyze_network(n.manifests);
  EXPECT_TRUE(a) << (a ? "" : a.error().to_string());
  if (a) n.a = std::move(*a);
  return n;
}

// ---- building blocks -------------------------------------------------------------------------

TEST(NetpolSelector, OperatorsAsApimachineryEvaluatesThem) {
  std::map<std::string, std::string> labels = {{"app", "web"}, {"tier", "front"}};
  LabelSelector empty;
  EXPECT_TRUE(empty.matches(labels));
  EXPECT_TRUE(empty.matches({}));

  LabelSelector s;
  s.match_labels = {{"app", "web"}};
  EXPECT_TRUE(s.matches(labels));
  s.match_labels = {{"app", "web"}, {"tier", "back"}};
  EXPECT_FALSE(s.matches(labels));

  auto with = [](LabelRequirement r) {
    LabelSelector x;
    x.match_expressions.push_back(std::move(r));
    return x;
  };
  EXPECT_TRUE(with({"app", SelectorOp::kIn, {"db", "web"}}).matches(labels));
  EXPECT_FALSE(with({"app", SelectorOp::kIn, {"db"}}).matches(labels));
  EXPECT_FALSE(with({"app", SelectorOp::kNotIn, {"web"}}).matches(labels));
  // NotIn holds when the key is absent.
  EXPECT_TRUE(with({"env", SelectorOp::kNotIn, {"prod"}}).matches(labels));
  EXPECT_TRUE(with({"tier", SelectorOp::kExists, {}}).matches(labels));
  EXPECT_FALSE(with({"env", SelectorOp::kExists, {}}).matches(labels));
  EXPECT_TRUE(with({"env", SelectorOp::kDoesNotExist, {}}).matches(labels));
  EXPECT_FALSE(with({"app", SelectorOp::kDoesNotExist, {}}).matches(labels));
}

TEST(NetpolPortSet, MergesIntersectsAndPrints) {
  PortSet s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.to_string(), "");
  s.add("TCP", 443, 443);
  s.add("TCP", 80, 80);
  s.add("TCP", 81, 90);  // coalesces with 80
  s.add("UDP", 53, 53);
  EXPECT_EQ(s.to_string(), "TCP/80-90,443 UDP/53");

  PortSet t;
  t.add("TCP", 85, 500);
  EXPECT_EQ(s.intersect(t).to_string(), "TCP/85-90,443");
  EXPECT_EQ(s.intersect(PortSet::all()), s);
  EXPECT_EQ(PortSet::all().intersect(t), t);
  EXPECT_TRUE(s.intersect(PortSet{}).empty());

  PortSet u;
  u.add_protocol("UDP");
  EXPECT_EQ(u.to_string(), "UDP/all");
  u.merge(PortSet::all());
  EXPECT_EQ(u.to_string(), "all");
}

TEST(NetpolRead, DefaultsPolicyTypesAsTheApiServerDoes) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: rules-only, namespace: a}
spec:
  podSelector: {}
  egress: [{}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: empty-egress, namespace: b}
spec:
  podSelector: {}
  egress: []
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: no-spec, namespace: c}
)");
  ASSERT_EQ(n.a.policies.size(), 3u);
  EXPECT_TRUE(n.a.policies[0].ingress_type);
  EXPECT_TRUE(n.a.policies[0].egress_type);  // egress rules present
  EXPECT_TRUE(n.a.policies[1].ingress_type);
  EXPECT_FALSE(n.a.policies[1].egress_type);  // an empty list is no egress section
  EXPECT_TRUE(n.a.policies[2].ingress_type);  // no spec: every pod, deny all ingress
  EXPECT_TRUE(n.w(kJob).ingress_isolated);
  EXPECT_EQ(n.cell(kApi, kJob), "-");
}

TEST(NetpolRead, PoliciesTheApiServerRejectsAreIgnored) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: quoted-port, namespace: a}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: "80"}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: lower-protocol, namespace: a}
spec:
  podSelector: {}
  ingress:
  - ports: [{protocol: tcp, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: empty-peer, namespace: a}
spec:
  podSelector: {}
  ingress:
  - from: [{}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ipblock-and-selector, namespace: a}
spec:
  podSelector: {}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad-operator, namespace: a}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: Equals, values: [web]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: endport-named, namespace: a}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: http, endPort: 9000}]
---
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: calico, namespace: a}
spec: {selector: all()}
)");
  EXPECT_TRUE(n.a.policies.empty());
  ASSERT_EQ(n.a.ignored.size(), 6u);  // the Calico policy is not ours to read
  EXPECT_NE(n.a.ignored[0].error.message.find("spec.ingress[0].ports[0].port"), std::string::npos)
      << n.a.ignored[0].error.message;
  EXPECT_NE(n.a.ignored[1].error.message.find("TCP, UDP or SCTP"), std::string::npos);
  EXPECT_NE(n.a.ignored[2].error.message.find("must set podSelector"), std::string::npos);
  EXPECT_NE(n.a.ignored[4].error.message.find("Equals"), std::string::npos);
  // The port's line, not the object's.
  EXPECT_EQ(n.a.ignored[0].error.location.line, n.a.ignored[0].object->mark.line + 6);
  // Nothing enforced: a stays open.
  EXPECT_FALSE(n.w(kWeb).ingress_isolated);
  EXPECT_EQ(n.cell(kApi, kWeb), "all");
}

// ---- reachability ----------------------------------------------------------------------------

TEST(NetpolMatrix, NoPolicyMeansEverythingIsOpen) {
  auto n = analyze("");
  ASSERT_EQ(n.a.workloads.size(), 5u);
  for (const char* from : {kWeb, kDb, kApi, kOther, kJob, kExt})
    for (const char* to : {kWeb, kDb, kApi, kOther, kJob, kExt})
      if (std::string_view(from) != kExt || std::string_view(to) != kExt) {
        EXPECT_EQ(n.cell(from, to), "all") << from << " -> " << to;
      }
  for (const NetpolWorkload& w : n.a.workloads) {
    EXPECT_FALSE(w.ingress_isolated);
    EXPECT_FALSE(w.egress_isolated);
    EXPECT_TRUE(w.open_ingress);
  }
  EXPECT_EQ(n.a.reachable_from(n.index(kWeb)), 4u);
  EXPECT_EQ(n.a.namespaces.at("c").at("kubernetes.io/metadata.name"), "c");
}

TEST(NetpolMatrix, DefaultDenyIngress) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-in, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Ingress]
)");
  EXPECT_TRUE(n.w(kWeb).ingress_isolated);
  EXPECT_FALSE(n.w(kWeb).egress_isolated);
  EXPECT_FALSE(n.w(kWeb).open_ingress);
  for (const char* from : {kWeb, kDb, kApi, kOther, kJob, kExt}) {
    EXPECT_EQ(n.cell(from, kWeb), "-") << from;
    EXPECT_EQ(n.cell(from, kDb), "-") << from;
  }
  EXPECT_EQ(n.cell(kWeb, kApi), "all");  // egress untouched
  EXPECT_EQ(n.cell(kWeb, kExt), "all");
  EXPECT_EQ(n.cell(kApi, kJob), "all");  // other namespaces untouched
  EXPECT_EQ(n.a.reachable_from(n.index(kWeb)), 0u);
}

TEST(NetpolMatrix, DefaultDenyEgress) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-out, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
)");
  EXPECT_FALSE(n.w(kWeb).ingress_isolated);
  EXPECT_TRUE(n.w(kWeb).egress_isolated);
  for (const char* to : {kWeb, kDb, kApi, kOther, kJob, kExt})
    EXPECT_EQ(n.cell(kWeb, to), "-") << to;
  EXPECT_EQ(n.cell(kApi, kWeb), "all");
  EXPECT_EQ(n.cell(kExt, kDb), "all");
  EXPECT_TRUE(n.w(kWeb).open_ingress);
  EXPECT_EQ(n.a.can_reach(n.index(kDb)), 0u);
}

TEST(NetpolMatrix, DefaultDenyBoth) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
)");
  for (const char* x : {kWeb, kDb, kApi, kJob, kExt}) {
    EXPECT_EQ(n.cell(x, kWeb), "-") << x;
    EXPECT_EQ(n.cell(kWeb, x), "-") << x;
  }
  EXPECT_EQ(n.cell(kApi, kOther), "all");
}

TEST(NetpolMatrix, AllowSameNamespace) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: same-ns, namespace: a}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {}
)");
  EXPECT_EQ(n.cell(kWeb, kDb), "all");
  EXPECT_EQ(n.cell(kDb, kWeb), "all");
  EXPECT_EQ(n.cell(kWeb, kWeb), "all");
  EXPECT_EQ(n.cell(kApi, kDb), "-");
  EXPECT_EQ(n.cell(kJob, kWeb), "-");
  EXPECT_EQ(n.cell(kExt, kWeb), "-");
  EXPECT_FALSE(n.w(kWeb).ingress_from_all_pods);
}

TEST(NetpolMatrix, NamespaceSelectorMatchLabels) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-blue, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: blue}}
)");
  EXPECT_EQ(n.cell(kApi, kDb), "all");
  EXPECT_EQ(n.cell(kOther, kDb), "all");
  EXPECT_EQ(n.cell(kWeb, kDb), "-");  // its own namespace is red
  EXPECT_EQ(n.cell(kJob, kDb), "-");
  EXPECT_EQ(n.cell(kExt, kDb), "-");
  EXPECT_EQ(n.cell(kApi, kWeb), "all");  // web is not selected
}

TEST(NetpolMatrix, NamespaceSelectorMatchExpressions) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: not-red, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions: [{key: team, operator: NotIn, values: [red]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: prod-teams, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions:
        - {key: team, operator: In, values: [blue, green]}
        - {key: env, operator: Exists}
)");
  // NotIn admits c, which has no team label at all.
  EXPECT_EQ(n.cell(kApi, kDb), "all");
  EXPECT_EQ(n.cell(kJob, kDb), "all");
  EXPECT_EQ(n.cell(kWeb, kDb), "-");
  EXPECT_EQ(n.cell(kApi, kWeb), "all");
  EXPECT_EQ(n.cell(kJob, kWeb), "-");
  EXPECT_EQ(n.cell(kDb, kWeb), "-");
}

TEST(NetpolMatrix, AutomaticNamespaceNameLabel) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-c, namespace: a}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}
)");
  EXPECT_EQ(n.cell(kJob, kWeb), "all");  // c is not among the objects: the label is automatic
  EXPECT_EQ(n.cell(kApi, kWeb), "-");
  EXPECT_EQ(n.cell(kDb, kWeb), "-");
}

// The classic trap: one peer with both selectors is AND; two peers are OR.
TEST(NetpolMatrix, PodAndNamespaceSelectorInOnePeerVersusTwo) {
  auto one = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: and, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: blue}}
      podSelector: {matchLabels: {app: api}}
)");
  EXPECT_EQ(one.cell(kApi, kDb), "all");
  EXPECT_EQ(one.cell(kOther, kDb), "-");
  EXPECT_EQ(one.cell(kWeb, kDb), "-");
  EXPECT_EQ(one.cell(kJob, kDb), "-");

  auto two = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: or, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: blue}}
    - podSelector: {matchLabels: {app: api}}
)");
  EXPECT_EQ(two.cell(kApi, kDb), "all");
  EXPECT_EQ(two.cell(kOther, kDb), "all");  // every pod of b
  EXPECT_EQ(two.cell(kWeb, kDb), "-");      // app=api in a: there is none
  EXPECT_EQ(two.cell(kJob, kDb), "-");

  // namespaceSelector: {} with a podSelector: those pods in every namespace.
  auto any_ns = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-anywhere, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {}
      podSelector: {matchLabels: {app: job}}
)");
  EXPECT_EQ(any_ns.cell(kJob, kDb), "all");
  EXPECT_EQ(any_ns.cell(kApi, kDb), "-");
}

TEST(NetpolMatrix, IpBlockWithExcept) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: corp, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports: [{port: 443}]
  - from:
    - ipBlock: {cidr: 0.0.0.0/0}
    ports: [{port: 80}]
  egress:
  - to:
    - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}
)");
  EXPECT_EQ(n.cell(kExt, kWeb), "TCP/80; 10.0.0.0/8 except 10.1.0.0/16: TCP/443");
  EXPECT_EQ(n.cell(kWeb, kExt), "0.0.0.0/0 except 169.254.169.254/32: all");
  // ipBlocks never match pods.
  EXPECT_EQ(n.cell(kApi, kWeb), "-");
  EXPECT_EQ(n.cell(kWeb, kApi), "-");
  EXPECT_TRUE(n.w(kWeb).ingress_from_any_address);
  EXPECT_FALSE(n.w(kWeb).ingress_from_all_pods);
  EXPECT_FALSE(n.w(kWeb).open_ingress);
  const ExternalAccess& in = n.a.from_external[n.index(kWeb)];
  EXPECT_EQ(in.any_address.to_string(), "TCP/80");
  ASSERT_EQ(in.blocks.size(), 1u);
}

TEST(NetpolMatrix, PortsNumbersNamesProtocolsRanges) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ports, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports:
    - port: http          # 8080 on web
    - port: dns           # UDP on web: a TCP "dns" does not resolve
    - {port: dns, protocol: UDP}
    - {port: 443}
    - {port: 80}
    - {port: 30000, endPort: 30010}
    - {protocol: SCTP}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-ports, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - ports: [{port: http}]  # db has no port named http
)");
  EXPECT_EQ(n.cell(kApi, kWeb), "SCTP/all TCP/80,443,8080,30000-30010 UDP/5353");
  EXPECT_EQ(n.cell(kExt, kWeb), "SCTP/all TCP/80,443,8080,30000-30010 UDP/5353");
  EXPECT_EQ(n.cell(kWeb, kDb), "-");
  EXPECT_EQ(n.cell(kExt, kDb), "-");
}

TEST(NetpolMatrix, EgressNamedPortsResolveAgainstTheDestination) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-out, namespace: b}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {team: red}}
    ports: [{port: pg}, {port: 53, protocol: UDP}]
  - ports: [{port: pg}]  # to anywhere, but a name never matches outside
)");
  EXPECT_EQ(n.cell(kApi, kDb), "TCP/5432 UDP/53");
  EXPECT_EQ(n.cell(kApi, kWeb), "UDP/53");
  EXPECT_EQ(n.cell(kApi, kJob), "-");
  EXPECT_EQ(n.cell(kApi, kExt), "-");
  EXPECT_EQ(n.cell(kOther, kJob), "all");
  EXPECT_FALSE(n.w(kApi).ingress_isolated);  // egress-only
  EXPECT_TRUE(n.w(kApi).egress_isolated);
}

TEST(NetpolMatrix, BothSidesMustAllowTheSamePort) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-out, namespace: b}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {}}]
    ports: [{port: 80}, {port: 443}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: 443}, {port: 8080}]
)");
  EXPECT_EQ(n.cell(kApi, kWeb), "TCP/443");
  EXPECT_EQ(n.cell(kApi, kDb), "TCP/80,443");
  EXPECT_EQ(n.cell(kOther, kWeb), "TCP/443,8080");
  EXPECT_EQ(n.cell(kApi, kExt), "-");  // namespaceSelector peers are in-cluster only
}

TEST(NetpolMatrix, PolicyInAnotherNamespaceDoesNotApply) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-b, namespace: b}
spec:
  podSelector: {matchLabels: {app: web}}  # web lives in a
  policyTypes: [Ingress, Egress]
)");
  EXPECT_FALSE(n.w(kWeb).ingress_isolated);
  EXPECT_FALSE(n.w(kWeb).egress_isolated);
  EXPECT_EQ(n.cell(kApi, kWeb), "all");
  EXPECT_TRUE(n.w(kWeb).policies.empty());
}

TEST(NetpolMatrix, PolicyWithoutNamespaceIsInDefault) {
  constexpr std::string_view kDefault = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    metadata: {labels: {app: x}}
    spec: {containers: [{name: c}]}
)";
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}}
)",
                   kDefault);
  EXPECT_TRUE(n.w("Deployment default/app").ingress_isolated);
}

TEST(NetpolMatrix, HostNetworkPodsAreNodeTraffic) {
  constexpr std::string_view kHost = R"(apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: a, labels: {app: agent}}
spec:
  hostNetwork: true
  containers: [{name: c}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec:
  containers: [{name: c}]
)";
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: same-ns, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {}}]}]
  egress: [{to: [{podSelector: {}}]}]
)",
                   kHost);
  const char* agent = "Pod a/agent";
  EXPECT_FALSE(n.w(agent).ingress_isolated);  // no policy selects a host-network pod
  EXPECT_TRUE(n.w(agent).policies.empty());
  EXPECT_EQ(n.cell(agent, kWeb), "-");  // podSelector: {} does not match node traffic
  EXPECT_EQ(n.cell(kWeb, agent), "-");  // web's egress is limited to pods
  EXPECT_EQ(n.cell(kExt, agent), "all");
}

TEST(NetpolMatrix, OpenIngressNeedsEveryNamespaceAndEveryAddress) {
  auto n = analyze(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-all, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-cluster, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{namespaceSelector: {}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-both, namespace: b}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{namespaceSelector: {}}, {ipBlock: {cidr: 0.0.0.0/0}}]
    ports: [{port: 8000}]
)");
  EXPECT_TRUE(n.w(kWeb).ingress_isolated);
  EXPECT_TRUE(n.w(kWeb).open_ingress);
  EXPECT_TRUE(n.w(kDb).ingress_from_all_pods);
  EXPECT_FALSE(n.w(kDb).open_ingress);
  EXPECT_TRUE(n.w(kApi).open_ingress);
  EXPECT_EQ(n.cell(kJob, kApi), "TCP/8000");
  EXPECT_EQ(n.cell(kExt, kApi), "TCP/8000");
  EXPECT_EQ(n.cell(kJob, kDb), "all");
  EXPECT_EQ(n.cell(kExt, kDb), "-");
}

TEST(NetpolMatrix, MatrixSizeIsBounded) {
  std::vector<Manifest> manifests;
  auto m = load_manifest(kWorkloads, "w.yaml");
  ASSERT_TRUE(m);
  manifests.push_back(std::move(*m));
  NetpolOptions options;
  options.max_matrix_workloads = 3;
  auto a = analyze_network(manifests, options);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, core::ErrorCode::kLimitExceeded);
  options.matrix = false;
  EXPECT_TRUE(analyze_network(manifests, options));
}

// ---- rendering -------------------------------------------------------------------------------

constexpr std::string_view kSameNs = R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: same-ns, namespace: a}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {}}], ports: [{port: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken, namespace: b}
spec:
  podSelector: {}
  ingress: [{ports: [{port: "8080"}]}]
)";

TEST(NetpolRender, ListTable) {
  auto n = analyze(kSameNs);
  std::ostringstream out;
  write_netpol_table(n.a, out);
  std::string s = out.str();
  EXPECT_NE(s.find("WORKLOAD"), std::string::npos) << s;
  EXPECT_NE(s.find("POLICIES"), std::string::npos);
  EXPECT_NE(s.find("a/same-ns"), std::string::npos);
  EXPECT_NE(s.find("FROM"), std::string::npos);
  EXPECT_NE(s.find("Pod a/db     Pod a/web    TCP/8080"), std::string::npos) << s;
  EXPECT_NE(s.find("IGNORED POLICY"), std::string::npos);
  EXPECT_NE(s.find("NetworkPolicy b/broken"), std::string::npos);
}

TEST(NetpolRender, GridTable) {
  auto n = analyze(kSameNs);
  std::ostringstream out;
  write_netpol_table(n.a, out, NetpolLayout::kGrid);
  std::string s = out.str();
  EXPECT_NE(s.find("FROM \\ TO"), std::string::npos) << s;
  EXPECT_NE(s.find("[1] Pod a/web"), std::string::npos) << s;
  EXPECT_NE(s.find("external"), std::string::npos);
}

TEST(NetpolRender, Json) {
  auto n = analyze(kSameNs);
  nlohmann::json j = netpol_to_json(n.a);
  ASSERT_EQ(j["workloads"].size(), 5u);
  EXPECT_EQ(j["workloads"][0]["id"], "Pod a/web");
  EXPECT_EQ(j["workloads"][0]["ingress_isolated"], true);
  EXPECT_EQ(j["workloads"][0]["open_ingress"], false);
  EXPECT_EQ(j["workloads"][0]["policies"][0], "a/same-ns");
  bool found = false;
  for (const auto& f : j["flows"])
    if (f["from"] == "Pod a/db" && f["to"] == "Pod a/web") {
      found = true;
      EXPECT_EQ(f["ports"], "TCP/8080");
      EXPECT_EQ(f["all"], false);
      EXPECT_EQ(f["ranges"]["TCP"][0][0], 8080);
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(j["ignored_policies"].size(), 1u);
  EXPECT_EQ(j["policies"][0]["selects"].size(), 2u);
  EXPECT_FALSE(j["assumptions"].empty());
  EXPECT_EQ(j["external"]["ingress"].size(), 3u);  // b's two pods and c's: not isolated
}

// ---- checks ----------------------------------------------------------------------------------

std::vector<core::Finding> audit_network(std::string_view yaml, std::vector<Manifest>& keep) {
  auto m = load_manifest(yaml, "n.yaml");
  EXPECT_TRUE(m) << (m ? "" : m.error().to_string());
  if (m) keep.push_back(std::move(*m));
  AuditOptions options;
  options.only = {CheckGroup::kNetwork};
  options.today = "2026-11-23";
  return audit(keep, options);
}

std::vector<std::string> fired(const std::vector<core::Finding>& findings, std::string_view id) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    if (f.id == id) out.push_back(f.properties.at("object"));
  return out;
}

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(NetworkChecks, RegisteredWithAliases) {
  const CheckRegistry& r = builtin_checks();
  for (const char* id : {"MTR-K8S-501", "MTR-K8S-502", "MTR-K8S-503", "MTR-K8S-504", "MTR-K8S-505",
                         "MTR-K8S-506", "MTR-K8S-507"}) {
    const CheckInfo* info = r.find(id);
    ASSERT_NE(info, nullptr) << id;
    EXPECT_EQ(info->group, CheckGroup::kNetwork);
    EXPECT_FALSE(info->fix.empty());
  }
  EXPECT_EQ(r.find("pod-networkpolicy")->id, "MTR-K8S-503");
  EXPECT_EQ(r.find("KSV110")->id, "MTR-K8S-505");
  EXPECT_EQ(r.find("dangling-networkpolicy")->id, "MTR-K8S-506");
}

TEST(NetworkChecks, NamespaceDefaultDeny) {
  std::vector<Manifest> keep;
  auto f = audit_network(std::string(kWorkloads) + R"(---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-in, namespace: a}
spec:
  podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-out, namespace: b}
spec:
  podSelector: {}
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: not-namespace-wide, namespace: c}
spec:
  podSelector: {matchLabels: {app: job}}
  policyTypes: [Ingress, Egress]
)",
                         keep);
  // Reported on the Namespace object when given, else the namespace's first workload.
  EXPECT_THAT(fired(f, "MTR-K8S-501"), ElementsAre("Namespace b", "Pod c/job"));
  EXPECT_THAT(fired(f, "MTR-K8S-502"), ElementsAre("Namespace a", "Pod c/job"));
  for (const auto& finding : f)
    if (finding.id == "MTR-K8S-501" && finding.properties.at("object") == "Pod c/job") {
      EXPECT_NE(finding.fix.find("namespace: c"), std::string::npos) << finding.fix;
    }
}

TEST(NetworkChecks, NotSelectedAndOpenIngress) {
  std::vector<Manifest> keep;
  auto f = audit_network(std::string(kWorkloads) + R"(---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-allow-all, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-egress-only, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-cluster, namespace: b}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{namespaceSelector: {}}]}]
)",
                         keep);
  EXPECT_THAT(fired(f, "MTR-K8S-503"), ElementsAre("Pod b/other", "Pod c/job"));
  EXPECT_THAT(fired(f, "MTR-K8S-504"), ElementsAre("Pod a/web", "Pod a/db"));
  for (const auto& finding : f) {
    if (finding.id == "MTR-K8S-504" && finding.properties.at("name") == "db") {
      EXPECT_NE(finding.title.find("policyTypes"), std::string::npos) << finding.title;
    }
    if (finding.id == "MTR-K8S-504" && finding.properties.at("name") == "web") {
      EXPECT_NE(finding.title.find("web-allow-all spec.ingress[0]"), std::string::npos)
          << finding.title;
    }
    if (finding.id == "MTR-K8S-503" && finding.properties.at("name") == "job") {
      EXPECT_NE(finding.fix.find("app: \"job\""), std::string::npos) << finding.fix;
    }
  }
}

TEST(NetworkChecks, DefaultNamespace) {
  std::vector<Manifest> keep;
  auto f = audit_network(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: explicit, namespace: default}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: implicit}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: fine, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
---
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
)",
                         keep);
  EXPECT_THAT(fired(f, "MTR-K8S-505"),
              ElementsAre("Deployment default/explicit", "Deployment implicit", "Service svc"));
}

TEST(NetworkChecks, DanglingAndRejectedPolicies) {
  std::vector<Manifest> keep;
  auto f = audit_network(std::string(kWorkloads) + R"(---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: typo, namespace: a}
spec:
  podSelector: {matchLabels: {app: wbe}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: used, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: baseline, namespace: z}
spec:
  podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: for-operator-pods, namespace: monitoring}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: quoted, namespace: b}
spec:
  podSelector: {}
  ingress: [{ports: [{port: "443"}]}]
)",
                         keep);
  EXPECT_THAT(fired(f, "MTR-K8S-506"), ElementsAre("NetworkPolicy a/typo"));
  EXPECT_THAT(fired(f, "MTR-K8S-507"), ElementsAre("NetworkPolicy b/quoted"));
}

TEST(NetworkChecks, NoFindingsForASegmentedNamespace) {
  std::vector<Manifest> keep;
  auto f = audit_network(R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: edge}}}]}]
)",
                         keep);
  EXPECT_THAT(f, IsEmpty()) << (f.empty() ? "" : f[0].id + " " + f[0].title);
}

// ---- corpus ----------------------------------------------------------------------------------

std::vector<core::Finding> audit_files(const std::vector<std::filesystem::path>& files,
                                       std::vector<Manifest>& keep) {
  for (const auto& p : files) {
    auto m = load_manifest(test::read_file(p), p.string());
    EXPECT_TRUE(m) << p << ": " << (m ? "" : m.error().to_string());
    if (m) keep.push_back(std::move(*m));
  }
  AuditOptions options;
  options.only = {CheckGroup::kNetwork};
  options.today = "2026-11-23";
  return audit(keep, options);
}

// kube-score's pod-networkpolicy: CRITICAL ⇔ 503 fires. networkpolicy-targets-pod: CRITICAL ⇔
// 506 fires. (WARNING rows: only-ingress and only-egress are selected, so 503 stays quiet; the
// only-egress pod is caught by 504 instead.)
TEST(NetworkCorpus, KubeScoreExpectations) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() / "k8s" / "peers" / "kube-score" / "score" / "testdata";
  struct Row {
    const char* file;
    bool not_selected;
    int dangling;  // -1: not asserted
  };
  const Row rows[] = {
      {"networkpolicy-not-matching.yaml", true, -1},
      {"networkpolicy-matching.yaml", false, -1},
      {"networkpolicy-matching-only-ingress.yaml", false, -1},
      {"networkpolicy-matching-only-egress.yaml", false, -1},
      {"networkpolicy-targets-pod.yaml", false, 0},
      {"networkpolicy-targets-pod-deployment.yaml", false, 0},
      {"networkpolicy-targets-pod-not-matching.yaml", true, 1},
      {"networkpolicy-deployment-matching.yaml", false, 0},
      {"networkpolicy-statefulset-matching.yaml", false, 0},
      {"networkpolicy-cronjob-matching.yaml", false, 0},
      {"networkpolicy-deployment-not-matching-selector.yaml", true, 1},
      {"networkpolicy-statefulset-not-matching-selector.yaml", true, 1},
      {"networkpolicy-cronjob-not-matching-selector.yaml", true, 1},
      {"networkpolicy-targets-all-pods.yaml", false, 0},
  };
  for (const Row& row : rows) {
    std::vector<Manifest> keep;
    auto f = audit_files({dir / row.file}, keep);
    EXPECT_EQ(!fired(f, "MTR-K8S-503").empty(), row.not_selected) << row.file;
    if (row.dangling >= 0) {
      EXPECT_EQ(fired(f, "MTR-K8S-506").size(), static_cast<std::size_t>(row.dangling)) << row.file;
    }
  }
  std::vector<Manifest> keep;
  auto f = audit_files({dir / "networkpolicy-matching-only-egress.yaml"}, keep);
  EXPECT_EQ(fired(f, "MTR-K8S-504").size(), 1u);
  std::vector<Manifest> keep2;
  f = audit_files({dir / "networkpolicy-targets-all-pods.yaml"}, keep2);
  EXPECT_EQ(fired(f, "MTR-K8S-504").size(), 1u);  // ingress: [{}] admits everything
}

TEST(NetworkCorpus, KubeLinterExpectations) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() / "k8s" / "peers" / "kube-linter" / "tests" / "checks";
  {
    std::vector<Manifest> keep;
    auto f = audit_files({dir / "non-isolated-pod.yml"}, keep);
    // app2 is an OpenShift DeploymentConfig, which we do not read as a workload.
    EXPECT_THAT(fired(f, "MTR-K8S-503"), ElementsAre("Deployment app1"));
  }
  {
    std::vector<Manifest> keep;
    auto f = audit_files({dir / "dangling-networkpolicy.yml"}, keep);
    EXPECT_EQ(fired(f, "MTR-K8S-506").size(), 1u);
  }
  {
    std::vector<Manifest> keep;
    auto f = audit_files({dir / "use-namespace.yml"}, keep);
    EXPECT_THAT(fired(f, "MTR-K8S-505"), ElementsAre("Deployment default/app1"));
  }
}

// Polaris missingNetworkPolicy (the one failure that is about selection) and Checkov's
// CKV2_K8S_6 graph check.
TEST(NetworkCorpus, PolarisAndCheckovSelection) {
  MTR_REQUIRE_CORPUS();
  auto peers = test::corpus_dir() / "k8s" / "peers";
  {
    std::vector<Manifest> keep;
    auto f = audit_files({peers / "polaris" / "test" / "checks" / "missingNetworkPolicy" /
                          "failure.netpol_targets_wrong_pod_label.yaml"},
                         keep);
    EXPECT_EQ(fired(f, "MTR-K8S-503").size(), 1u);
  }
  {
    std::vector<Manifest> keep;
    auto f = audit_files({peers / "checkov" / "kubernetes" / "graph" / "checks" / "resources" /
                          "RequireAllPodsToHaveNetworkPolicy" / "template.yaml"},
                         keep);
    EXPECT_THAT(fired(f, "MTR-K8S-503"), ElementsAre("Deployment external-proxy-deployment"));
  }
}

// Checkov's CKV_K8S_21 examples: FAILED files fire, PASSED files do not.
TEST(NetworkCorpus, CheckovDefaultNamespace) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() / "k8s" / "peers" / "checkov" / "kubernetes" / "checks" /
             "example_DefaultNamespace";
  std::size_t seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    std::vector<Manifest> keep;
    auto f = audit_files({entry.path()}, keep);
    bool fires = !fired(f, "MTR-K8S-505").empty();
    if (name.find("FAILED") != std::string::npos) {
      EXPECT_TRUE(fires) << name;
      ++seen;
    } else if (name.find("PASSED") != std::string::npos) {
      EXPECT_FALSE(fires) << name;
      ++seen;
    }
  }
  EXPECT_EQ(seen, 3u);
}

TEST(NetworkCorpus, RealWorldPoliciesAnalyseSensibly) {
  MTR_REQUIRE_CORPUS();
  auto root = test::corpus_dir() / "k8s";
  std::size_t files = 0, policies = 0, workloads = 0, isolated = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    auto ext = entry.path().extension();
    if (ext != ".yaml" && ext != ".yml") continue;
    std::string text = test::read_file(entry.path());
    if (text.find("NetworkPolicy") == std::string::npos) continue;
    std::vector<Manifest> keep;
    auto m = load_manifest(text, entry.path().string());
    if (!m) continue;  // the corpus has deliberately broken documents
    keep.push_back(std::move(*m));
    auto a = analyze_network(keep);
    ASSERT_TRUE(a) << entry.path();
    ++files;
    policies += a->policies.size();
    workloads += a->workloads.size();
    for (const auto& w : a->workloads) isolated += w.ingress_isolated;
    std::ostringstream out;
    write_netpol_table(*a, out);
    (void)netpol_to_json(*a).dump();
    AuditOptions options;
    options.only = {CheckGroup::kNetwork};
    (void)audit(keep, options);
  }
  RecordProperty("files", static_cast<int>(files));
  RecordProperty("policies", static_cast<int>(policies));
  RecordProperty("workloads", static_cast<int>(workloads));
  RecordProperty("isolated", static_cast<int>(isolated));
  EXPECT_GE(files, 30u);
  EXPECT_GE(policies, 30u);
  EXPECT_GE(workloads, 30u);
  EXPECT_GT(isolated, 0u);

  // Argo CD's install selects every component with its own policy.
  std::vector<Manifest> keep;
  auto m = load_manifest(test::read_file(root / "real-world" / "install-manifests" /
                                         "argoproj.argo-cd__manifests__install.yaml"),
                         "argo.yaml");
  ASSERT_TRUE(m);
  keep.push_back(std::move(*m));
  auto a = analyze_network(keep);
  ASSERT_TRUE(a);
  EXPECT_GE(a->policies.size(), 5u);
  EXPECT_TRUE(a->ignored.empty());
  std::size_t selected = 0;
  for (const auto& w : a->workloads) selected += !w.policies.empty();
  EXPECT_EQ(selected, a->workloads.size());
}

}  // namespace
}  // namespace mtr::kube
