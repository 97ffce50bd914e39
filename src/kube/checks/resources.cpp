// The resources group: CPU and memory requests and limits on every container, and per
// namespace a ResourceQuota and a LimitRange among the given objects.
#include <fmt/format.h>

#include <map>
#include <set>

#include "kube/audit.h"
#include "kube/checks/check_util.h"

namespace mtr::kube {

namespace {

using detail::describe;
using detail::issue_at;

void missing_resource(const AuditInput& input, IssueSink& out, bool limit,
                      std::string_view resource) {
  for (const PodSpec& pod : input.pods()) {
    auto check = [&](const Container& c) {
      const auto& values = limit ? c.limits : c.requests;
      auto it = values.find(std::string(resource));
      if (it != values.end() && it->second.has_value() && !it->second.value->empty()) return;
      const char* what = limit ? "limits" : "requests";
      const Anchor& place = c.resources.present() ? c.resources : c.at;
      out.report(issue_at(
          pod, fmt::format("{} sets no {} {}", describe(c), resource, limit ? "limit" : "request"),
          place.path, place.node,
          fmt::format("resources:\n  {}:\n    {}: {}", what, resource,
                      resource == "cpu" ? "\"250m\"" : "\"256Mi\"")));
    };
    // Ephemeral containers cannot have resources.
    for (const Container& c : pod.init_containers) check(c);
    for (const Container& c : pod.containers) check(c);
  }
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

void namespace_without(const AuditInput& input, IssueSink& out, std::string_view kind) {
  std::set<std::string> covered;
  for (const Object* o : input.of_kind(kind)) covered.insert(AuditInput::namespace_of(*o));
  for (const auto& [ns, object] : workload_namespaces(input)) {
    if (covered.contains(ns)) continue;
    Issue issue;
    issue.object = object;
    issue.message =
        fmt::format("namespace \"{}\" has workloads but no {} among the given objects", ns, kind);
    issue.path = object->path_prefix;
    issue.node = object->node;
    out.report(std::move(issue));
  }
}

CheckInfo info(const char* id, const char* title, core::Severity severity, const char* description,
               const char* fix, std::vector<std::string> aliases) {
  CheckInfo i;
  i.id = id;
  i.group = CheckGroup::kResources;
  i.title = title;
  i.severity = severity;
  i.description = description;
  i.fix = fix;
  i.aliases = std::move(aliases);
  i.references = {"https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"};
  return i;
}

}  // namespace

void register_resource_checks(CheckRegistry& registry) {
  using core::Severity;
  (void)registry.add(
      info("MTR-K8S-301", "CPU request missing", Severity::kLow,
           "Without a CPU request the scheduler places the pod blind and the container gets the "
           "smallest share under contention.",
           "resources:\n  requests:\n    cpu: \"250m\"",
           {"cpuRequestsMissing", "RequestsCPU", "KSV-0015", "AVD-KSV-0015", "KSV015",
            "CKV_K8S_10"}),
      [](const AuditInput& in, IssueSink& out) { missing_resource(in, out, false, "cpu"); });
  (void)registry.add(
      info("MTR-K8S-302", "Memory request missing", Severity::kLow,
           "Without a memory request the pod can be scheduled onto a node that cannot hold it "
           "and is first in line for eviction.",
           "resources:\n  requests:\n    memory: \"256Mi\"",
           {"memoryRequestsMissing", "RequestsMemory", "KSV-0016", "AVD-KSV-0016", "KSV016",
            "CKV_K8S_12"}),
      [](const AuditInput& in, IssueSink& out) { missing_resource(in, out, false, "memory"); });
  (void)registry.add(
      info("MTR-K8S-303", "CPU limit missing", Severity::kLow,
           "Without a CPU limit one container can starve its neighbours on the node (a "
           "denial of service by a compromised or buggy workload).",
           "resources:\n  limits:\n    cpu: \"1\"",
           {"cpuLimitsMissing", "LimitsCPU", "KSV-0011", "AVD-KSV-0011", "KSV011", "CKV_K8S_11"}),
      [](const AuditInput& in, IssueSink& out) { missing_resource(in, out, true, "cpu"); });
  (void)registry.add(
      info("MTR-K8S-304", "Memory limit missing", Severity::kLow,
           "Without a memory limit one container can exhaust the node's memory and get its "
           "neighbours killed.",
           "resources:\n  limits:\n    memory: \"512Mi\"",
           {"memoryLimitsMissing", "LimitsMemory", "KSV-0018", "AVD-KSV-0018", "KSV018",
            "CKV_K8S_13"}),
      [](const AuditInput& in, IssueSink& out) { missing_resource(in, out, true, "memory"); });
  (void)registry.add(
      info("MTR-K8S-305", "Namespace without ResourceQuota", Severity::kLow,
           "A ResourceQuota caps what one namespace may consume; without it one team's "
           "workloads can take the whole cluster.",
           "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n  namespace: NS\nspec:\n"
           "  hard:\n    requests.cpu: \"4\"\n    requests.memory: 8Gi\n    limits.cpu: \"8\"\n"
           "    limits.memory: 16Gi\n    pods: \"50\"",
           {"KSV-0040", "AVD-KSV-0040", "KSV040"}),
      [](const AuditInput& in, IssueSink& out) { namespace_without(in, out, "ResourceQuota"); });
  (void)registry.add(
      info("MTR-K8S-306", "Namespace without LimitRange", Severity::kLow,
           "A LimitRange gives containers that set no requests or limits sane defaults and "
           "bounds what one container may ask for.",
           "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: NS\nspec:\n"
           "  limits:\n  - type: Container\n    defaultRequest:\n      cpu: 100m\n      memory: "
           "128Mi\n    default:\n      cpu: 500m\n      memory: 512Mi",
           {"KSV-0039", "AVD-KSV-0039", "KSV039"}),
      [](const AuditInput& in, IssueSink& out) { namespace_without(in, out, "LimitRange"); });
}

}  // namespace mtr::kube
