// Network segmentation as the given NetworkPolicies (networking.k8s.io/v1) make a conforming
// CNI enforce it: who may talk to whom among the given workloads, and with the outside of the
// cluster, on which ports. The network checks (isolation, default deny, open ingress) and
// `matryoshka k8s netpol` both read it.
//
// Semantics, from the API reference and the NetworkPolicy concept page:
// - a pod is isolated for ingress (egress) when a policy in its namespace selects it and that
//   policy's policyTypes holds Ingress (Egress); policyTypes defaults to [Ingress], plus Egress
//   when the policy has egress rules;
// - A→B is allowed on a port when B's ingress side admits A (B not isolated, or some ingress rule
//   of a policy selecting B admits A on that port) and A's egress side admits B likewise;
// - a rule with no `from`/`to` (or an empty list) admits every peer, in the cluster and outside;
//   no `ports` admits every port; a named port is resolved against the destination pod's
//   container ports (name and protocol), so it never matches a destination outside the cluster;
// - peers: podSelector alone = pods of the policy's namespace; namespaceSelector alone = every
//   pod of the matching namespaces; both in one peer = matching pods in matching namespaces.
//   Every namespace carries kubernetes.io/metadata.name=<name>; other namespace labels come from
//   the Namespace objects given (a namespace not given has only that label).
//
// Choices where the API leaves room, all documented in the output:
// - ipBlock peers stand for addresses outside the cluster. Pod IPs are not known from manifests,
//   so an ipBlock never matches a workload (CNIs differ anyway: pod traffic is often SNATed).
// - hostNetwork pods are handled as most CNIs do (the API says "undefined"): their traffic is the
//   node's, so no policy selects them and pod or namespace selectors never match them; only rules
//   open to all peers, or ipBlocks of 0.0.0.0/0 or ::/0, admit them.
// - A policy the API server would reject (a wrong type, an unknown operator or protocol, a peer
//   with nothing set, an ipBlock next to a selector, endPort without a numeric port...) never
//   exists in a cluster: it is left out of the analysis and listed with the reason.
// - Policies of other API groups (Calico, Cilium, AdminNetworkPolicy) are not read.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/yaml_dom.h"
#include "kube/object.h"
#include "kube/selector.h"

namespace mtr::kube {

class AuditInput;

// ---- the policy model ------------------------------------------------------------------------

struct IpBlock {
  std::string cidr;
  std::vector<std::string> except;
  // 0.0.0.0/0 or ::/0: the whole address family.
  bool everything() const;
  // "10.0.0.0/8 except 10.1.0.0/16,10.2.0.0/16"
  std::string to_string() const;
};

struct NetpolPeer {
  std::optional<LabelSelector> pod_selector;        // nullopt: not written
  std::optional<LabelSelector> namespace_selector;  // nullopt: not written
  std::optional<IpBlock> ip_block;
};

struct NetpolPort {
  std::string protocol = "TCP";
  std::optional<std::int64_t> port;  // a number; nullopt with `name` empty: every port
  std::string name;                  // a named port
  std::optional<std::int64_t> end_port;
};

struct NetpolRule {
  std::string path;  // "spec.ingress[0]"
  const core::YamlNode* node = nullptr;
  bool all_peers = true;  // no from/to, or an empty list
  std::vector<NetpolPeer> peers;
  bool all_ports = true;  // no ports, or an empty list
  std::vector<NetpolPort> ports;
};

struct NetworkPolicy {
  const Object* object = nullptr;
  std::string namespace_;
  LabelSelector pod_selector;
  bool ingress_type = true;  // policyTypes (defaulted) holds Ingress
  bool egress_type = false;
  std::vector<NetpolRule> ingress, egress;
};

// True for kind NetworkPolicy in networking.k8s.io (or the old extensions/v1beta1).
bool is_network_policy(const Object& object);

// Reads a NetworkPolicy the way the API server would accept it: an error (kInvalidInput, naming
// the field) when it would be rejected.
core::Result<NetworkPolicy> read_network_policy(const Object& object);

// ---- ports -----------------------------------------------------------------------------------

// A set of (protocol, port) pairs: every port of every protocol, or ranges per protocol.
class PortSet {
 public:
  static PortSet all();
  void add_all() {
    all_ = true;
    ranges_.clear();
  }
  void add_protocol(const std::string& protocol) { add(protocol, 1, 65535); }
  void add(const std::string& protocol, std::int64_t first, std::int64_t last);
  void merge(const PortSet& other);
  PortSet intersect(const PortSet& other) const;

  bool is_all() const { return all_; }
  bool empty() const { return !all_ && ranges_.empty(); }
  // Sorted, disjoint, coalesced ranges per protocol; empty when is_all().
  const std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>>& ranges() const {
    return ranges_;
  }
  // "all", "TCP/80,443", "TCP/8000-8080 UDP/53", "UDP/all"; "" when empty.
  std::string to_string() const;
  bool operator==(const PortSet&) const = default;

 private:
  bool all_ = false;
  std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> ranges_;
};

// What is allowed between a workload and the outside of the cluster: ports open to any address,
// and ports open only to some address blocks.
struct ExternalAccess {
  PortSet any_address;
  std::map<std::string, PortSet> blocks;  // IpBlock::to_string() → ports

  bool empty() const;
  // "all", "TCP/443", "TCP/443; 10.0.0.0/8: TCP/5432"; "" when nothing is allowed.
  std::string to_string() const;
};

// ---- the analysis ----------------------------------------------------------------------------

struct NetpolWorkload {
  const Object* object = nullptr;
  std::string label;  // Object::display(), "#2" appended when two objects display the same
  std::string namespace_;
  std::map<std::string, std::string> labels;  // of the pod (template)
  bool host_network = false;
  // Named container ports, for resolving named ports: (name, protocol, number).
  struct NamedPort {
    std::string name, protocol;
    std::int64_t number = 0;
  };
  std::vector<NamedPort> named_ports;

  std::vector<std::size_t> policies;  // indices into NetpolAnalysis::policies that select it
  bool ingress_isolated = false;
  bool egress_isolated = false;
  // Reachable on some port from every pod of every namespace (given or not) and from any address
  // outside the cluster, whatever the sources' own egress policies say.
  bool open_ingress = false;
  // Some port open to every pod of every namespace; and to any outside address.
  bool ingress_from_all_pods = false;
  bool ingress_from_any_address = false;
};

struct IgnoredPolicy {
  const Object* object = nullptr;
  core::Error error;
};

struct NetpolOptions {
  bool matrix = true;  // false: isolation and open ingress only (what the checks need)
  // The matrix has workloads² cells: above this many workloads, analyze_network() fails with
  // kLimitExceeded rather than exhaust memory.
  std::size_t max_matrix_workloads = 2000;
};

struct NetpolAnalysis {
  std::vector<NetworkPolicy> policies;  // the valid ones, in input order
  std::vector<IgnoredPolicy> ignored;   // rejected by the API server: not enforced
  std::map<std::string, std::map<std::string, std::string>> namespaces;  // name → labels
  std::vector<NetpolWorkload> workloads;                                 // input order
  // matrix[from][to]: ports on which workload `from` may open connections to workload `to`.
  std::vector<std::vector<PortSet>> matrix;
  std::vector<ExternalAccess> from_external;  // per destination workload
  std::vector<ExternalAccess> to_external;    // per source workload

  std::size_t reachable_from(std::size_t to) const;  // workloads with some port open to `to`
  std::size_t can_reach(std::size_t from) const;
};

core::Result<NetpolAnalysis> analyze_network(const AuditInput& input,
                                             const NetpolOptions& options = {});
// For `matryoshka k8s netpol PATH...`: the same over loaded manifests (they must outlive the
// result: it points at their objects).
core::Result<NetpolAnalysis> analyze_network(std::span<const Manifest> manifests,
                                             const NetpolOptions& options = {});

// ---- rendering -------------------------------------------------------------------------------

enum class NetpolLayout {
  kList,  // one row per allowed flow (FROM, TO, PORTS): readable at any size
  kGrid,  // a FROM × TO grid: compact for a handful of workloads
};

// A summary table (one row per workload: namespace, isolation, open ingress, reach counts, the
// policies selecting it), a blank line, then the flows; ignored policies last, with reasons.
void write_netpol_table(const NetpolAnalysis& analysis, std::ostream& out,
                        NetpolLayout layout = NetpolLayout::kList);

// {"workloads": [{"id", "kind", "namespace", "name", "file", "line", "ingress_isolated",
//   "egress_isolated", "open_ingress", "host_network", "policies": [...], "reachable_from",
//   "can_reach"}],
//  "flows": [{"from", "to", "ports": "TCP/80", "all": false, "ranges": {"TCP": [[80, 80]]}}],
//  "external": {"ingress": [{"to", "ports", "any_address": ..., "blocks": {...}}], "egress":
//  [...]}, "policies": [{"namespace", "name", "file", "line", "policy_types", "selects": [...]}],
//  "ignored_policies": [{"namespace", "name", "file", "line", "reason"}],
//  "assumptions": [...]}
// Only allowed flows are listed; "external" is the outside of the cluster.
nlohmann::json netpol_to_json(const NetpolAnalysis& analysis);

}  // namespace mtr::kube
