#include "kube/netpol.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "kube/audit.h"

namespace mtr::kube {

namespace {

using core::YamlNode;

constexpr std::string_view kNameLabel = "kubernetes.io/metadata.name";
constexpr std::int64_t kMaxPort = 65535;

// ---- reading ---------------------------------------------------------------------------------

// Errors name the policy, the field's JSON path and its line: the user fixes the manifest.
class PolicyReader {
 public:
  explicit PolicyReader(const Object& object) : object_(object) {}

  core::Error error(const YamlNode* node, const std::string& path, std::string_view message) const {
    core::Location where;
    where.file = object_.file;
    const core::YamlMark mark = node ? node->mark() : object_.mark;
    where.line = mark.line;
    where.column = mark.column;
    where.object = object_.at(path);
    return core::make_error(core::ErrorCode::kInvalidInput, fmt::format("{}: {}", path, message),
                            where);
  }

  // A scalar as text: labels and values are strings, but `version: 2` is what users write and
  // mean as "2" (other tools' decoders agree), so plain numbers and booleans read as their text.
  core::Result<std::string> text(const YamlNode& node, const std::string& path) const {
    auto s = node.as_string();
    if (!s) return error(&node, path, "must be a string");
    return std::string(*s);
  }

  core::Result<std::vector<std::string>> strings(const YamlNode* node,
                                                 const std::string& path) const {
    std::vector<std::string> out;
    if (!node) return out;
    if (!node->is_sequence()) return error(node, path, "must be a list of strings");
    std::size_t i = 0;
    for (const YamlNode& item : node->items()) {
      out.push_back(MTR_TRY(text(item, fmt::format("{}[{}]", path, i))));
      ++i;
    }
    return out;
  }

  core::Result<LabelSelector> selector(const YamlNode& node, const std::string& path) const {
    LabelSelector s;
    if (!node.is_mapping()) return error(&node, path, "must be a label selector (an object)");
    if (const YamlNode* labels = node.get("matchLabels")) {
      if (!labels->is_mapping()) return error(labels, path + ".matchLabels", "must be an object");
      for (std::size_t i = 0; i < labels->entry_count(); ++i) {
        std::string key = MTR_TRY(text(labels->entry_key(i), path + ".matchLabels"));
        const YamlNode& v = labels->entry_value(i);
        s.match_labels[key] = MTR_TRY(text(v, path + ".matchLabels." + key));
      }
    }
    if (const YamlNode* exprs = node.get("matchExpressions")) {
      const std::string base = path + ".matchExpressions";
      if (!exprs->is_sequence()) return error(exprs, base, "must be a list");
      std::size_t i = 0;
      for (const YamlNode& e : exprs->items()) {
        const std::string at = fmt::format("{}[{}]", base, i++);
        if (!e.is_mapping()) return error(&e, at, "must be an object");
        LabelRequirement r;
        const YamlNode* key = e.get("key");
        if (!key) return error(&e, at + ".key", "is required");
        r.key = MTR_TRY(text(*key, at + ".key"));
        if (r.key.empty()) return error(key, at + ".key", "must not be empty");
        const YamlNode* op = e.get("operator");
        if (!op) return error(&e, at + ".operator", "is required");
        std::string op_text = MTR_TRY(text(*op, at + ".operator"));
        if (op_text == "In") {
          r.op = SelectorOp::kIn;
        } else if (op_text == "NotIn") {
          r.op = SelectorOp::kNotIn;
        } else if (op_text == "Exists") {
          r.op = SelectorOp::kExists;
        } else if (op_text == "DoesNotExist") {
          r.op = SelectorOp::kDoesNotExist;
        } else {
          return error(op, at + ".operator",
                       fmt::format("\"{}\" is not In, NotIn, Exists or DoesNotExist", op_text));
        }
        r.values = MTR_TRY(strings(e.get("values"), at + ".values"));
        bool set_op = r.op == SelectorOp::kIn || r.op == SelectorOp::kNotIn;
        if (set_op && r.values.empty())
          return error(&e, at + ".values", "must be non-empty for In and NotIn");
        if (!set_op && !r.values.empty())
          return error(&e, at + ".values", "must be empty for Exists and DoesNotExist");
        s.match_expressions.push_back(std::move(r));
      }
    }
    return s;
  }

  core::Result<NetpolPort> port(const YamlNode& node, const std::string& path) const {
    NetpolPort p;
    if (!node.is_mapping()) return error(&node, path, "must be an object");
    if (const YamlNode* proto = node.get("protocol")) {
      p.protocol = MTR_TRY(text(*proto, path + ".protocol"));
      if (p.protocol != "TCP" && p.protocol != "UDP" && p.protocol != "SCTP")
        return error(proto, path + ".protocol",
                     fmt::format("\"{}\" is not TCP, UDP or SCTP (case matters)", p.protocol));
    }
    if (const YamlNode* port = node.get("port")) {
      if (auto n = port->as_int()) {
        if (*n < 1 || *n > kMaxPort) return error(port, path + ".port", "must be 1-65535");
        p.port = *n;
      } else if (auto s = port->as_string()) {
        // IntOrString: a quoted "80" is a port *name*, and not a valid one.
        std::string name(*s);
        bool letter =
            std::any_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        bool charset = std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
        if (name.empty() || name.size() > 15 || !letter || !charset || name.front() == '-' ||
            name.back() == '-' || name.find("--") != std::string::npos)
          return error(port, path + ".port",
                       fmt::format("\"{}\" is neither a port number nor a valid port name "
                                   "(write numbers without quotes)",
                                   name));
        p.name = std::move(name);
      } else {
        return error(port, path + ".port", "must be a number or a port name");
      }
    }
    if (const YamlNode* end = node.get("endPort")) {
      auto n = end->as_int();
      if (!n) return error(end, path + ".endPort", "must be a number");
      if (!p.port) return error(end, path + ".endPort", "needs a numeric port");
      if (*n < *p.port || *n > kMaxPort)
        return error(end, path + ".endPort", "must be between port and 65535");
      p.end_port = *n;
    }
    return p;
  }

  core::Result<NetpolPeer> peer(const YamlNode& node, const std::string& path) const {
    NetpolPeer p;
    if (!node.is_mapping()) return error(&node, path, "must be an object");
    if (const YamlNode* s = node.get("podSelector"))
      p.pod_selector = MTR_TRY(selector(*s, path + ".podSelector"));
    if (const YamlNode* s = node.get("namespaceSelector"))
      p.namespace_selector = MTR_TRY(selector(*s, path + ".namespaceSelector"));
    if (const YamlNode* b = node.get("ipBlock")) {
      const std::string at = path + ".ipBlock";
      if (!b->is_mapping()) return error(b, at, "must be an object");
      IpBlock block;
      const YamlNode* cidr = b->get("cidr");
      if (!cidr) return error(b, at + ".cidr", "is required");
      block.cidr = MTR_TRY(text(*cidr, at + ".cidr"));
      if (block.cidr.find('/') == std::string::npos)
        return error(cidr, at + ".cidr", fmt::format("\"{}\" is not a CIDR", block.cidr));
      block.except = MTR_TRY(strings(b->get("except"), at + ".except"));
      if (p.pod_selector || p.namespace_selector)
        return error(b, at, "cannot be set together with podSelector or namespaceSelector");
      p.ip_block = std::move(block);
    }
    if (!p.pod_selector && !p.namespace_selector && !p.ip_block)
      return error(&node, path, "must set podSelector, namespaceSelector or ipBlock");
    return p;
  }

  core::Result<NetpolRule> rule(const YamlNode& node, const std::string& path,
                                std::string_view peers_key) const {
    NetpolRule r;
    r.path = path;
    r.node = &node;
    if (!node.is_mapping()) return error(&node, path, "must be an object");
    if (const YamlNode* peers = node.get(peers_key)) {
      const std::string at = fmt::format("{}.{}", path, peers_key);
      if (!peers->is_sequence()) return error(peers, at, "must be a list");
      std::size_t i = 0;
      for (const YamlNode& p : peers->items())
        r.peers.push_back(MTR_TRY(peer(p, fmt::format("{}[{}]", at, i++))));
      r.all_peers = r.peers.empty();
    }
    if (const YamlNode* ports = node.get("ports")) {
      if (!ports->is_sequence()) return error(ports, path + ".ports", "must be a list");
      std::size_t i = 0;
      for (const YamlNode& p : ports->items())
        r.ports.push_back(MTR_TRY(port(p, fmt::format("{}.ports[{}]", path, i++))));
      r.all_ports = r.ports.empty();
    }
    return r;
  }

  core::Result<std::vector<NetpolRule>> rules(const YamlNode& spec, std::string_view key,
                                              std::string_view peers_key) const {
    std::vector<NetpolRule> out;
    const YamlNode* list = spec.get(key);
    if (!list) return out;
    const std::string at = fmt::format("spec.{}", key);
    if (!list->is_sequence()) return error(list, at, "must be a list");
    std::size_t i = 0;
    for (const YamlNode& r : list->items())
      out.push_back(MTR_TRY(rule(r, fmt::format("{}[{}]", at, i++), peers_key)));
    return out;
  }

 private:
  const Object& object_;
};

// ---- matching --------------------------------------------------------------------------------

class Analyzer {
 public:
  explicit Analyzer(NetpolAnalysis& a) : a_(a) {}

  const std::map<std::string, std::string>& ns_labels(const std::string& ns) const {
    static const std::map<std::string, std::string> kNone;
    auto it = a_.namespaces.find(ns);
    return it == a_.namespaces.end() ? kNone : it->second;
  }

  bool peer_matches(const NetpolPeer& peer, const NetworkPolicy& p, const NetpolWorkload& w) const {
    // Host-network traffic is the node's: only a whole-family ipBlock can be said to cover it.
    if (w.host_network) return peer.ip_block && peer.ip_block->everything();
    if (peer.ip_block) return false;
    if (peer.namespace_selector) {
      if (!peer.namespace_selector->matches(ns_labels(w.namespace_))) return false;
    } else if (w.namespace_ != p.namespace_) {
      return false;
    }
    return !peer.pod_selector || peer.pod_selector->matches(w.labels);
  }

  bool rule_matches(const NetpolRule& r, const NetworkPolicy& p, const NetpolWorkload& w) const {
    if (r.all_peers) return true;
    return std::any_of(r.peers.begin(), r.peers.end(),
                       [&](const NetpolPeer& peer) { return peer_matches(peer, p, w); });
  }

  // The ports a rule opens toward `dest` (nullptr: outside the cluster, where named ports
  // resolve to nothing).
  static PortSet rule_ports(const NetpolRule& r, const NetpolWorkload* dest) {
    PortSet out;
    if (r.all_ports) return PortSet::all();
    for (const NetpolPort& p : r.ports) {
      if (!p.name.empty()) {
        if (!dest) continue;
        for (const auto& np : dest->named_ports)
          if (np.name == p.name && np.protocol == p.protocol)
            out.add(p.protocol, np.number, np.number);
      } else if (p.port) {
        out.add(p.protocol, *p.port, p.end_port.value_or(*p.port));
      } else {
        out.add_protocol(p.protocol);
      }
    }
    return out;
  }

  PortSet ingress_allowed(const NetpolWorkload& from, const NetpolWorkload& to) const {
    if (!to.ingress_isolated) return PortSet::all();
    PortSet out;
    for (std::size_t pi : to.policies) {
      const NetworkPolicy& p = a_.policies[pi];
      if (!p.ingress_type) continue;
      for (const NetpolRule& r : p.ingress)
        if (rule_matches(r, p, from)) out.merge(rule_ports(r, &to));
    }
    return out;
  }

  PortSet egress_allowed(const NetpolWorkload& from, const NetpolWorkload& to) const {
    if (!from.egress_isolated) return PortSet::all();
    PortSet out;
    for (std::size_t pi : from.policies) {
      const NetworkPolicy& p = a_.policies[pi];
      if (!p.egress_type) continue;
      for (const NetpolRule& r : p.egress)
        if (rule_matches(r, p, to)) out.merge(rule_ports(r, &to));
    }
    return out;
  }

  // Outside addresses a workload's ingress (or egress) rules admit.
  ExternalAccess external(const NetpolWorkload& w, bool ingress) const {
    ExternalAccess out;
    if (ingress ? !w.ingress_isolated : !w.egress_isolated) {
      out.any_address = PortSet::all();
      return out;
    }
    for (std::size_t pi : w.policies) {
      const NetworkPolicy& p = a_.policies[pi];
      if (ingress ? !p.ingress_type : !p.egress_type) continue;
      for (const NetpolRule& r : ingress ? p.ingress : p.egress) {
        PortSet ports = rule_ports(r, ingress ? &w : nullptr);
        if (ports.empty()) continue;
        if (r.all_peers) {
          out.any_address.merge(ports);
          continue;
        }
        for (const NetpolPeer& peer : r.peers) {
          if (!peer.ip_block) continue;
          if (peer.ip_block->everything() && peer.ip_block->except.empty())
            out.any_address.merge(ports);
          else
            out.blocks[peer.ip_block->to_string()].merge(ports);
        }
      }
    }
    // A block adds nothing where every address already has the same ports.
    for (auto it = out.blocks.begin(); it != out.blocks.end();) {
      if (it->second.intersect(out.any_address) == it->second)
        it = out.blocks.erase(it);
      else
        ++it;
    }
    return out;
  }

  void classify_open_ingress(NetpolWorkload& w) const {
    if (!w.ingress_isolated) {
      w.ingress_from_all_pods = w.ingress_from_any_address = w.open_ingress = true;
      return;
    }
    for (std::size_t pi : w.policies) {
      const NetworkPolicy& p = a_.policies[pi];
      if (!p.ingress_type) continue;
      for (const NetpolRule& r : p.ingress) {
        if (rule_ports(r, &w).empty()) continue;
        if (r.all_peers) {
          w.ingress_from_all_pods = w.ingress_from_any_address = true;
          continue;
        }
        for (const NetpolPeer& peer : r.peers) {
          if (peer.namespace_selector && peer.namespace_selector->empty() &&
              (!peer.pod_selector || peer.pod_selector->empty()))
            w.ingress_from_all_pods = true;
          // 0.0.0.0/0 with exceptions still admits the internet at large.
          if (peer.ip_block && peer.ip_block->everything()) w.ingress_from_any_address = true;
        }
      }
    }
    w.open_ingress = w.ingress_from_all_pods && w.ingress_from_any_address;
  }

 private:
  NetpolAnalysis& a_;
};

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  return fmt::format("{}", fmt::join(items, sep));
}

}  // namespace

// ---- model -----------------------------------------------------------------------------------

bool IpBlock::everything() const {
  auto slash = cidr.rfind('/');
  return slash != std::string::npos && cidr.substr(slash + 1) == "0";
}

std::string IpBlock::to_string() const {
  if (except.empty()) return cidr;
  return fmt::format("{} except {}", cidr, join(except, ","));
}

bool is_network_policy(const Object& object) {
  return object.kind == "NetworkPolicy" &&
         (object.group() == "networking.k8s.io" || object.api_version == "extensions/v1beta1");
}

core::Result<NetworkPolicy> read_network_policy(const Object& object) {
  PolicyReader reader(object);
  NetworkPolicy p;
  p.object = &object;
  p.namespace_ = AuditInput::namespace_of(object);
  const YamlNode* spec = object.node ? object.node->get("spec") : nullptr;
  if (!spec) return p;  // an empty spec: every pod, Ingress, no rules — deny all ingress
  if (!spec->is_mapping()) return reader.error(spec, "spec", "must be an object");
  if (const YamlNode* s = spec->get("podSelector"))
    p.pod_selector = MTR_TRY(reader.selector(*s, "spec.podSelector"));
  p.ingress = MTR_TRY(reader.rules(*spec, "ingress", "from"));
  p.egress = MTR_TRY(reader.rules(*spec, "egress", "to"));
  std::vector<std::string> types =
      MTR_TRY(reader.strings(spec->get("policyTypes"), "spec.policyTypes"));
  if (types.empty()) {
    // The API server's defaulting: Ingress, plus Egress when there are egress rules.
    p.ingress_type = true;
    p.egress_type = !p.egress.empty();
  } else {
    p.ingress_type = p.egress_type = false;
    for (const std::string& t : types) {
      if (t == "Ingress") {
        p.ingress_type = true;
      } else if (t == "Egress") {
        p.egress_type = true;
      } else {
        return reader.error(spec->get("policyTypes"), "spec.policyTypes",
                            fmt::format("\"{}\" is not Ingress or Egress", t));
      }
    }
  }
  return p;
}

// ---- ports -----------------------------------------------------------------------------------

PortSet PortSet::all() {
  PortSet s;
  s.all_ = true;
  return s;
}

void PortSet::add(const std::string& protocol, std::int64_t first, std::int64_t last) {
  if (all_ || first > last) return;
  auto& v = ranges_[protocol];
  v.emplace_back(first, last);
  std::sort(v.begin(), v.end());
  std::vector<std::pair<std::int64_t, std::int64_t>> merged;
  for (const auto& r : v) {
    if (!merged.empty() && r.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  v = std::move(merged);
}

void PortSet::merge(const PortSet& other) {
  if (all_) return;
  if (other.all_) {
    add_all();
    return;
  }
  for (const auto& [proto, ranges] : other.ranges_)
    for (const auto& [a, b] : ranges) add(proto, a, b);
}

PortSet PortSet::intersect(const PortSet& other) const {
  if (all_) return other;
  if (other.all_) return *this;
  PortSet out;
  for (const auto& [proto, mine] : ranges_) {
    auto it = other.ranges_.find(proto);
    if (it == other.ranges_.end()) continue;
    for (const auto& [a1, b1] : mine)
      for (const auto& [a2, b2] : it->second) out.add(proto, std::max(a1, a2), std::min(b1, b2));
  }
  return out;
}

std::string PortSet::to_string() const {
  if (all_) return "all";
  std::vector<std::string> protos;
  for (const auto& [proto, ranges] : ranges_) {
    if (ranges.size() == 1 && ranges[0].first == 1 && ranges[0].second == kMaxPort) {
      protos.push_back(proto + "/all");
      continue;
    }
    std::vector<std::string> parts;
    for (const auto& [a, b] : ranges)
      parts.push_back(a == b ? fmt::format("{}", a) : fmt::format("{}-{}", a, b));
    protos.push_back(proto + "/" + join(parts, ","));
  }
  return join(protos, " ");
}

bool ExternalAccess::empty() const {
  return any_address.empty() &&
         std::all_of(blocks.begin(), blocks.end(), [](const auto& b) { return b.second.empty(); });
}

std::string ExternalAccess::to_string() const {
  std::vector<std::string> parts;
  if (!any_address.empty()) parts.push_back(any_address.to_string());
  for (const auto& [block, ports] : blocks)
    if (!ports.empty()) parts.push_back(block + ": " + ports.to_string());
  return join(parts, "; ");
}

// ---- analysis --------------------------------------------------------------------------------

std::size_t NetpolAnalysis::reachable_from(std::size_t to) const {
  std::size_t n = 0;
  for (std::size_t from = 0; from < matrix.size(); ++from)
    if (from != to && !matrix[from][to].empty()) ++n;
  return n;
}

std::size_t NetpolAnalysis::can_reach(std::size_t from) const {
  std::size_t n = 0;
  if (from >= matrix.size()) return 0;
  for (std::size_t to = 0; to < matrix[from].size(); ++to)
    if (from != to && !matrix[from][to].empty()) ++n;
  return n;
}

core::Result<NetpolAnalysis> analyze_network(const AuditInput& input,
                                             const NetpolOptions& options) {
  NetpolAnalysis a;
  for (const Object* o : input.objects()) {
    if (is_network_policy(*o)) {
      auto p = read_network_policy(*o);
      if (p)
        a.policies.push_back(std::move(*p));
      else
        a.ignored.push_back(IgnoredPolicy{o, std::move(p).error()});
    }
    if (o->kind == "Namespace" && o->group().empty()) {
      auto& labels = a.namespaces[o->name];
      labels.insert(o->labels.begin(), o->labels.end());
    } else if (std::string ns = AuditInput::namespace_of(*o); !ns.empty()) {
      a.namespaces.emplace(ns, std::map<std::string, std::string>{});
    }
  }
  // The API server sets it on every namespace, whatever the manifest says.
  for (auto& [name, labels] : a.namespaces) labels[std::string(kNameLabel)] = name;

  std::map<std::string, std::size_t> seen_labels;
  for (const PodSpec& pod : input.pods()) {
    NetpolWorkload w;
    w.object = pod.object;
    w.namespace_ = AuditInput::namespace_of(*pod.object);
    w.label = fmt::format("{} {}/{}", pod.object->kind, w.namespace_,
                          pod.object->name.empty() ? "<unnamed>" : pod.object->name);
    if (std::size_t n = ++seen_labels[w.label]; n > 1) w.label += fmt::format(" #{}", n);
    w.labels = pod.labels;
    w.host_network = pod.host_network.is(true);
    auto collect = [&](const Container& c) {
      for (const ContainerPort& p : c.ports)
        if (p.name.has_value() && p.container_port.has_value())
          w.named_ports.push_back(NetpolWorkload::NamedPort{
              *p.name.value, p.protocol.value.value_or("TCP"), *p.container_port.value});
    };
    for (const Container& c : pod.containers) collect(c);
    for (const Container& c : pod.init_containers)
      if (c.restart_always) collect(c);  // sidecars serve traffic; plain init containers exit
    a.workloads.push_back(std::move(w));
  }

  Analyzer an(a);
  for (NetpolWorkload& w : a.workloads) {
    if (!w.host_network) {
      for (std::size_t i = 0; i < a.policies.size(); ++i) {
        const NetworkPolicy& p = a.policies[i];
        if (p.namespace_ != w.namespace_ || !p.pod_selector.matches(w.labels)) continue;
        w.policies.push_back(i);
        w.ingress_isolated |= p.ingress_type;
        w.egress_isolated |= p.egress_type;
      }
    }
    an.classify_open_ingress(w);
  }

  if (!options.matrix) return a;
  const std::size_t n = a.workloads.size();
  if (n > options.max_matrix_workloads)
    return core::fail(core::ErrorCode::kLimitExceeded,
                      fmt::format("{} workloads: the reachability matrix is limited to {} "
                                  "(max_matrix_workloads)",
                                  n, options.max_matrix_workloads));
  a.matrix.assign(n, std::vector<PortSet>(n));
  for (std::size_t from = 0; from < n; ++from) {
    for (std::size_t to = 0; to < n; ++to) {
      const NetpolWorkload& src = a.workloads[from];
      const NetpolWorkload& dst = a.workloads[to];
      PortSet in = an.ingress_allowed(src, dst);
      if (in.empty()) continue;
      a.matrix[from][to] = in.intersect(an.egress_allowed(src, dst));
    }
  }
  for (const NetpolWorkload& w : a.workloads) {
    a.from_external.push_back(an.external(w, /*ingress=*/true));
    a.to_external.push_back(an.external(w, /*ingress=*/false));
  }
  return a;
}

core::Result<NetpolAnalysis> analyze_network(std::span<const Manifest> manifests,
                                             const NetpolOptions& options) {
  AuditConfig config;
  AuditInput input(manifests, config);
  // The analysis points at objects (owned by the manifests), never at the input.
  return analyze_network(input, options);
}

}  // namespace mtr::kube
