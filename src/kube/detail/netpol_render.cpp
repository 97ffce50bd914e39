// Table and JSON renderings of a NetpolAnalysis, for `matryoshka k8s netpol`.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/table.h"
#include "kube/audit.h"
#include "kube/netpol.h"

namespace mtr::kube {

namespace {

constexpr std::string_view kExternal = "external";

// What the analysis assumes where the API leaves room; printed with the JSON so readers of a
// report know what "external" and the cells mean.
constexpr std::string_view kAssumptions[] = {
    "\"external\" is any address outside the cluster; ipBlock peers are taken to name such "
    "addresses and never match a workload",
    "ports are the destination pod's ports (after Service translation); named ports resolve "
    "against the destination's container ports, so they never open anything outside the cluster",
    "hostNetwork workloads are node traffic: no policy selects them and pod or namespace "
    "selectors never match them",
    "namespace labels come from the Namespace objects given, plus kubernetes.io/metadata.name",
    "policies the API server would reject are not enforced and are listed as ignored",
};

std::string yes_no(bool b) { return b ? "yes" : "no"; }

// "3 workloads", "1 workload + external": other workloads (itself excluded) and the outside.
std::string count(std::size_t workloads, bool external) {
  return fmt::format("{} workload{}{}", workloads, workloads == 1 ? "" : "s",
                     external ? " + external" : "");
}

std::string policy_name(const NetworkPolicy& p) {
  return fmt::format("{}/{}", p.namespace_, p.object->name.empty() ? "<unnamed>" : p.object->name);
}

nlohmann::json ranges_json(const PortSet& ports) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [proto, ranges] : ports.ranges()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [a, b] : ranges) list.push_back({a, b});
    out[proto] = std::move(list);
  }
  return out;
}

nlohmann::json ports_json(const PortSet& ports) {
  return {{"ports", ports.to_string()}, {"all", ports.is_all()}, {"ranges", ranges_json(ports)}};
}

nlohmann::json external_json(const ExternalAccess& e) {
  nlohmann::json blocks = nlohmann::json::object();
  for (const auto& [block, ports] : e.blocks) blocks[block] = ports_json(ports);
  return {{"ports", e.to_string()}, {"any_address", ports_json(e.any_address)}, {"blocks", blocks}};
}

}  // namespace

void write_netpol_table(const NetpolAnalysis& a, std::ostream& out, NetpolLayout layout) {
  const bool have_matrix = a.matrix.size() == a.workloads.size();
  core::Table summary(
      {"WORKLOAD", "INGRESS", "EGRESS", "OPEN TO ALL", "REACHABLE FROM", "CAN REACH", "POLICIES"});
  for (std::size_t i = 0; i < a.workloads.size(); ++i) {
    const NetpolWorkload& w = a.workloads[i];
    std::vector<std::string> names;
    for (std::size_t pi : w.policies) names.push_back(policy_name(a.policies[pi]));
    std::string from = "-", to = "-";
    if (have_matrix) {
      from = count(a.reachable_from(i), !a.from_external[i].empty());
      to = count(a.can_reach(i), !a.to_external[i].empty());
    }
    summary.add_row({w.label,
                     w.host_network       ? "host network"
                     : w.ingress_isolated ? "isolated"
                                          : "open",
                     w.host_network      ? "host network"
                     : w.egress_isolated ? "isolated"
                                         : "open",
                     yes_no(w.open_ingress), from, to,
                     names.empty() ? "-" : fmt::format("{}", fmt::join(names, ", "))});
  }
  summary.write(out);

  if (have_matrix && !a.workloads.empty()) {
    out << '\n';
    const std::size_t n = a.workloads.size();
    if (layout == NetpolLayout::kGrid) {
      std::vector<std::string> header = {"FROM \\ TO"};
      for (std::size_t i = 0; i < n; ++i) header.push_back(fmt::format("[{}]", i + 1));
      header.emplace_back(kExternal);
      core::Table grid(std::move(header));
      for (std::size_t from = 0; from < n; ++from) {
        std::vector<std::string> row = {fmt::format("[{}] {}", from + 1, a.workloads[from].label)};
        for (std::size_t to = 0; to < n; ++to) {
          std::string cell = a.matrix[from][to].to_string();
          row.push_back(cell.empty() ? "-" : cell);
        }
        std::string ext = a.to_external[from].to_string();
        row.push_back(ext.empty() ? "-" : ext);
        grid.add_row(std::move(row));
      }
      std::vector<std::string> ext_row = {std::string(kExternal)};
      for (std::size_t to = 0; to < n; ++to) {
        std::string cell = a.from_external[to].to_string();
        ext_row.push_back(cell.empty() ? "-" : cell);
      }
      ext_row.emplace_back("");
      grid.add_row(std::move(ext_row));
      grid.write(out);
    } else {
      core::Table flows({"FROM", "TO", "PORTS"});
      for (std::size_t from = 0; from < n; ++from) {
        for (std::size_t to = 0; to < n; ++to)
          if (!a.matrix[from][to].empty())
            flows.add_row(
                {a.workloads[from].label, a.workloads[to].label, a.matrix[from][to].to_string()});
        if (!a.to_external[from].empty())
          flows.add_row(
              {a.workloads[from].label, std::string(kExternal), a.to_external[from].to_string()});
      }
      for (std::size_t to = 0; to < n; ++to)
        if (!a.from_external[to].empty())
          flows.add_row(
              {std::string(kExternal), a.workloads[to].label, a.from_external[to].to_string()});
      flows.write(out);
    }
  }

  if (!a.ignored.empty()) {
    out << '\n';
    core::Table ignored({"IGNORED POLICY", "REASON"});
    for (const IgnoredPolicy& p : a.ignored)
      ignored.add_row({p.object->display(),
                       fmt::format("line {}: {}", p.error.location.line, p.error.message)});
    ignored.write(out);
  }
}

nlohmann::json netpol_to_json(const NetpolAnalysis& a) {
  const bool have_matrix = a.matrix.size() == a.workloads.size();
  nlohmann::json workloads = nlohmann::json::array();
  for (std::size_t i = 0; i < a.workloads.size(); ++i) {
    const NetpolWorkload& w = a.workloads[i];
    nlohmann::json policies = nlohmann::json::array();
    for (std::size_t pi : w.policies) policies.push_back(policy_name(a.policies[pi]));
    nlohmann::json j = {{"id", w.label},
                        {"kind", w.object->kind},
                        {"namespace", w.namespace_},
                        {"name", w.object->name},
                        {"file", w.object->file},
                        {"line", w.object->mark.line},
                        {"host_network", w.host_network},
                        {"ingress_isolated", w.ingress_isolated},
                        {"egress_isolated", w.egress_isolated},
                        {"open_ingress", w.open_ingress},
                        {"ingress_from_all_pods", w.ingress_from_all_pods},
                        {"ingress_from_any_address", w.ingress_from_any_address},
                        {"policies", policies}};
    if (have_matrix) {
      j["reachable_from"] = a.reachable_from(i);
      j["can_reach"] = a.can_reach(i);
    }
    workloads.push_back(std::move(j));
  }

  nlohmann::json flows = nlohmann::json::array();
  nlohmann::json ext_in = nlohmann::json::array(), ext_out = nlohmann::json::array();
  if (have_matrix) {
    for (std::size_t from = 0; from < a.workloads.size(); ++from)
      for (std::size_t to = 0; to < a.workloads.size(); ++to)
        if (!a.matrix[from][to].empty()) {
          nlohmann::json f = ports_json(a.matrix[from][to]);
          f["from"] = a.workloads[from].label;
          f["to"] = a.workloads[to].label;
          flows.push_back(std::move(f));
        }
    for (std::size_t i = 0; i < a.workloads.size(); ++i) {
      if (!a.from_external[i].empty()) {
        nlohmann::json e = external_json(a.from_external[i]);
        e["to"] = a.workloads[i].label;
        ext_in.push_back(std::move(e));
      }
      if (!a.to_external[i].empty()) {
        nlohmann::json e = external_json(a.to_external[i]);
        e["from"] = a.workloads[i].label;
        ext_out.push_back(std::move(e));
      }
    }
  }

  nlohmann::json policies = nlohmann::json::array();
  for (std::size_t pi = 0; pi < a.policies.size(); ++pi) {
    const NetworkPolicy& p = a.policies[pi];
    nlohmann::json types = nlohmann::json::array();
    if (p.ingress_type) types.push_back("Ingress");
    if (p.egress_type) types.push_back("Egress");
    nlohmann::json selects = nlohmann::json::array();
    for (const NetpolWorkload& w : a.workloads)
      if (std::find(w.policies.begin(), w.policies.end(), pi) != w.policies.end())
        selects.push_back(w.label);
    policies.push_back({{"namespace", p.namespace_},
                        {"name", p.object->name},
                        {"file", p.object->file},
                        {"line", p.object->mark.line},
                        {"pod_selector", p.pod_selector.to_string()},
                        {"policy_types", types},
                        {"selects", selects}});
  }
  nlohmann::json ignored = nlohmann::json::array();
  for (const IgnoredPolicy& p : a.ignored)
    ignored.push_back({{"namespace", AuditInput::namespace_of(*p.object)},
                       {"name", p.object->name},
                       {"file", p.object->file},
                       {"line", p.error.location.line},
                       {"reason", p.error.message}});
  nlohmann::json assumptions = nlohmann::json::array();
  for (std::string_view s : kAssumptions) assumptions.push_back(s);

  return {{"workloads", workloads},
          {"flows", flows},
          {"external", {{"ingress", ext_in}, {"egress", ext_out}}},
          {"policies", policies},
          {"ignored_policies", ignored},
          {"assumptions", assumptions}};
}

}  // namespace mtr::kube
