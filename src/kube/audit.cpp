#include "kube/audit.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

namespace mtr::kube {

namespace {

constexpr std::array kGroups = {CheckGroup::kValidity,  CheckGroup::kPss,    CheckGroup::kHygiene,
                                CheckGroup::kResources, CheckGroup::kImages, CheckGroup::kNetwork,
                                CheckGroup::kRbac,      CheckGroup::kMounts};

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

bool glob_match(const std::string& pattern, const std::string& value) {
  return pattern.empty() || fnmatch(pattern.c_str(), value.c_str(), 0) == 0;
}

// `matryoshka.io/ignore: "MTR-K8S-201, KSV017: runs as root by design"`: ids before the first
// ':' (or the whole value), separated by commas or spaces.
std::vector<std::string> annotation_ids(const std::map<std::string, std::string>& annotations) {
  std::vector<std::string> ids;
  auto it = annotations.find(std::string(kIgnoreAnnotation));
  if (it == annotations.end()) return ids;
  std::string_view value = it->second;
  // Ids contain '-' and digits but never ':' — the reason starts at the first ": ".
  if (auto colon = value.find(':'); colon != std::string_view::npos) value = value.substr(0, colon);
  std::string current;
  for (char c : value) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
      if (!current.empty()) ids.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) ids.push_back(std::move(current));
  return ids;
}

class Collector final : public IssueSink {
 public:
  void report(Issue issue) override { issues.push_back(std::move(issue)); }
  std::vector<Issue> issues;
};

}  // namespace

// ---- metadata ------------------------------------------------------------------------------

std::string_view to_string(CheckGroup group) {
  switch (group) {
    case CheckGroup::kValidity:
      return "validity";
    case CheckGroup::kPss:
      return "pss";
    case CheckGroup::kHygiene:
      return "hygiene";
    case CheckGroup::kResources:
      return "resources";
    case CheckGroup::kImages:
      return "images";
    case CheckGroup::kNetwork:
      return "network";
    case CheckGroup::kRbac:
      return "rbac";
    case CheckGroup::kMounts:
      return "mounts";
  }
  return "hygiene";
}

core::Result<CheckGroup> parse_check_group(std::string_view text) {
  for (CheckGroup g : kGroups)
    if (to_string(g) == text) return g;
  std::vector<std::string_view> names;
  for (CheckGroup g : kGroups) names.push_back(to_string(g));
  return core::unexpected(core::make_error(
      core::ErrorCode::kUsage,
      fmt::format("unknown check group '{}': expected one of {}", text, fmt::join(names, ", "))));
}

std::span<const CheckGroup> all_check_groups() { return kGroups; }

core::Status CheckRegistry::add(CheckInfo info, Check check) {
  auto clash = [&](std::string_view name) { return find(name) != nullptr; };
  if (clash(info.id))
    return core::unexpected(
        core::make_error(core::ErrorCode::kInternal, "duplicate check id " + info.id));
  for (const std::string& alias : info.aliases)
    if (alias == info.id || clash(alias))
      return core::unexpected(core::make_error(
          core::ErrorCode::kInternal, fmt::format("check {}: alias {} is taken", info.id, alias)));
  infos_.push_back(std::move(info));
  checks_.push_back(std::move(check));
  return {};
}

const CheckInfo* CheckRegistry::find(std::string_view id_or_alias) const {
  for (const CheckInfo& info : infos_) {
    if (iequals(info.id, id_or_alias)) return &info;
    for (const std::string& alias : info.aliases)
      if (iequals(alias, id_or_alias)) return &info;
  }
  return nullptr;
}

const CheckRegistry& builtin_checks() {
  static const CheckRegistry registry = [] {
    CheckRegistry r;
    register_validity_checks(r);
    register_pss_checks(r);
    register_hygiene_checks(r);
    register_resource_checks(r);
    register_image_checks(r);
    register_network_checks(r);
    register_rbac_checks(r);
    register_mount_checks(r);
    // Present in id order whatever the registration order.
    CheckRegistry sorted;
    std::vector<std::size_t> order(r.checks().size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return r.checks()[a].id < r.checks()[b].id; });
    for (std::size_t i : order) (void)sorted.add(r.checks()[i], r.check(i));
    return sorted;
  }();
  return registry;
}

// ---- input ---------------------------------------------------------------------------------

AuditInput::AuditInput(std::span<const Manifest> manifests, const AuditConfig& config)
    : config_(config) {
  for (const Manifest& m : manifests)
    for (const Object& o : m.objects) objects_.push_back(&o);
  pods_.reserve(objects_.size());
  for (const Object* o : objects_)
    if (auto pod = read_pod(*o)) pods_.push_back(std::move(*pod));
}

const std::vector<PssViolation>& AuditInput::pss(const PodSpec& pod) const {
  auto it = pss_.find(&pod);
  if (it == pss_.end())
    it = pss_.emplace(&pod, evaluate_pss(pod, config_.pss_level, config_.pss_version)).first;
  return it->second;
}

std::vector<const Object*> AuditInput::of_kind(std::string_view kind) const {
  std::vector<const Object*> out;
  for (const Object* o : objects_)
    if (o->kind == kind) out.push_back(o);
  return out;
}

bool AuditInput::cluster_scoped(std::string_view kind) {
  static constexpr std::string_view kClusterScoped[] = {
      "Namespace",
      "Node",
      "PersistentVolume",
      "ClusterRole",
      "ClusterRoleBinding",
      "CustomResourceDefinition",
      "StorageClass",
      "PriorityClass",
      "ValidatingWebhookConfiguration",
      "MutatingWebhookConfiguration",
      "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding",
      "APIService",
      "IngressClass",
      "RuntimeClass",
      "CSIDriver",
      "CSINode",
      "VolumeAttachment",
      "CertificateSigningRequest",
      "PodSecurityPolicy",
      "ComponentStatus",
      "Policy",  // ABAC policy lines
  };
  return std::find(std::begin(kClusterScoped), std::end(kClusterScoped), kind) !=
         std::end(kClusterScoped);
}

std::string AuditInput::namespace_of(const Object& object) {
  if (cluster_scoped(object.kind)) return {};
  return object.namespace_.empty() ? std::string("default") : object.namespace_;
}

// ---- running -------------------------------------------------------------------------------

void audit_each(std::span<const Manifest> manifests, const AuditOptions& options,
                const FindingSink& sink, const CheckRegistry& registry) {
  AuditInput input(manifests, options.config);

  auto named = [&](const std::vector<std::string>& names, const CheckInfo& info) {
    for (const std::string& n : names)
      if (registry.find(n) == &info) return true;
    return false;
  };
  auto selected = [&](const CheckInfo& info) {
    if (!options.only.empty() && !options.only.contains(info.group)) return false;
    if (options.skip.contains(info.group)) return false;
    if (named(options.ignored, info)) return false;
    return info.enabled_by_default || named(options.enabled, info);
  };

  struct Raised {
    std::size_t check;
    Issue issue;
  };
  std::vector<Raised> raised;
  // PSA checks reported per object, for hygiene checks that say the same thing.
  std::set<std::pair<const Object*, std::string>> pss_reported;
  for (std::size_t i = 0; i < registry.checks().size(); ++i) {
    const CheckInfo& info = registry.checks()[i];
    if (!selected(info)) continue;
    Collector collected;
    registry.check(i)(input, collected);
    for (Issue& issue : collected.issues) {
      if (!issue.pss_check.empty()) pss_reported.emplace(issue.object, issue.pss_check);
      raised.push_back(Raised{i, std::move(issue)});
    }
  }

  // Names (ids or aliases) resolved once to the checks they mean. A pss finding also answers to
  // the names of the hygiene check that says the same (its twin).
  const std::size_t n_checks = registry.checks().size();
  auto resolve = [&](const std::vector<std::string>& names) {
    std::vector<bool> hit(n_checks, false);
    for (const std::string& name : names)
      if (const CheckInfo* info = registry.find(name))
        hit[static_cast<std::size_t>(info - registry.checks().data())] = true;
    return hit;
  };
  std::map<std::string, std::size_t, std::less<>> twin;  // PSA check id → hygiene check index
  for (std::size_t i = 0; i < n_checks; ++i)
    if (!registry.checks()[i].same_as_pss.empty()) twin[registry.checks()[i].same_as_pss] = i;
  auto matches = [&](const std::vector<bool>& hit, std::size_t check, const Issue& issue) {
    if (hit[check]) return true;
    if (issue.pss_check.empty()) return false;
    auto t = twin.find(issue.pss_check);
    return t != twin.end() && hit[t->second];
  };
  std::vector<core::Severity> severity(n_checks);
  for (std::size_t i = 0; i < n_checks; ++i) severity[i] = registry.checks()[i].severity;
  for (const auto& [name, s] : options.severity_overrides)
    if (const CheckInfo* info = registry.find(name))
      severity[static_cast<std::size_t>(info - registry.checks().data())] = s;
  const std::vector<bool> ignored = resolve(options.ignored);
  std::vector<std::vector<bool>> exempted;
  for (const Exemption& e : options.exemptions)
    exempted.push_back(e.checks.empty() ? std::vector<bool>(n_checks, true) : resolve(e.checks));

  // Per object: the checks its annotations (and its pod template's) silence.
  std::map<const Object*, const PodSpec*> pod_of;
  for (const PodSpec& pod : input.pods()) pod_of[pod.object] = &pod;
  std::map<const Object*, std::vector<bool>> silenced;
  auto silenced_for = [&](const Object* object) -> const std::vector<bool>& {
    auto it = silenced.find(object);
    if (it != silenced.end()) return it->second;
    std::vector<std::string> ids = annotation_ids(object->annotations);
    if (auto p = pod_of.find(object); p != pod_of.end()) {
      std::vector<std::string> more = annotation_ids(p->second->annotations);
      ids.insert(ids.end(), more.begin(), more.end());
    }
    return silenced.emplace(object, resolve(ids)).first->second;
  };
  auto exempt = [&](const Object& object, std::size_t check, const Issue& issue) {
    for (std::size_t k = 0; k < options.exemptions.size(); ++k) {
      const Exemption& e = options.exemptions[k];
      if (!e.expires.empty() && !options.today.empty() && e.expires < options.today) continue;
      if (!matches(exempted[k], check, issue)) continue;
      if (!e.kind.empty() && e.kind != object.kind) continue;
      if (!glob_match(e.namespace_, AuditInput::namespace_of(object))) continue;
      if (!glob_match(e.name, object.name)) continue;
      bool labels_match = true;
      for (const auto& [key, value] : e.labels) {
        auto it = object.labels.find(key);
        if (it == object.labels.end() || !glob_match(value, it->second)) labels_match = false;
      }
      if (labels_match) return true;
    }
    return false;
  };

  // What survives, in report order: files as given, then line; within a line, check id (the
  // registry is in id order), then the order checks raised them.
  std::map<std::string_view, std::size_t> file_order;
  for (const Manifest& m : manifests) file_order.emplace(m.origin, file_order.size());
  struct Key {
    std::size_t file;
    std::uint64_t line;
    std::size_t check;
    std::size_t seq;
    bool operator<(const Key& o) const {
      return std::tie(file, line, check, seq) < std::tie(o.file, o.line, o.check, o.seq);
    }
  };
  std::vector<Key> keep;
  keep.reserve(raised.size());
  for (std::size_t seq = 0; seq < raised.size(); ++seq) {
    const Raised& r = raised[seq];
    const CheckInfo& info = registry.checks()[r.check];
    const Object* object = r.issue.object;
    if (matches(ignored, r.check, r.issue)) continue;  // a pss finding by its twin's alias
    if (object) {
      if (!info.same_as_pss.empty() && pss_reported.contains({object, info.same_as_pss})) continue;
      if (options.honour_annotations && matches(silenced_for(object), r.check, r.issue)) continue;
      if (!options.exemptions.empty() && exempt(*object, r.check, r.issue)) continue;
    }
    Key key{file_order.size(), 0, r.check, seq};
    if (object) {
      auto f = file_order.find(object->file);
      if (f != file_order.end()) key.file = f->second;
      key.line = r.issue.node ? r.issue.node->mark().line : object->mark.line;
    }
    keep.push_back(key);
  }
  std::sort(keep.begin(), keep.end());

  // One Finding, refilled for each: assignments reuse its buffers, so a report of 100,000
  // findings costs no allocation per finding here.
  core::Finding f;
  for (const Key& key : keep) {
    Raised& r = raised[key.seq];
    const CheckInfo& info = registry.checks()[r.check];
    Issue& issue = r.issue;
    const Object* object = issue.object;
    f.id = info.id;
    f.aliases = info.aliases;
    f.severity = severity[r.check];
    f.title = issue.message.empty() ? info.title : issue.message;
    f.description = info.description;
    f.fix = issue.fix.empty() ? info.fix : issue.fix;
    f.references = info.references;
    f.location = core::FindingLocation{};
    f.target.clear();
    f.evidence.clear();
    if (object) {
      f.target = object->file;
      f.location.path = object->file;
      const core::YamlMark mark = issue.node ? issue.node->mark() : object->mark;
      f.location.line = mark.line;
      f.location.column = mark.column;
      f.location.json_path = issue.path.empty() ? object->path_prefix : issue.path;
      f.evidence = object->display();
      f.properties["object"] = f.evidence;
      f.properties["kind"] = object->kind;
      f.properties["name"] = object->name;
      std::string ns = AuditInput::namespace_of(*object);
      if (ns.empty()) {
        f.properties.erase("namespace");
      } else {
        f.properties["namespace"] = std::move(ns);
      }
    } else {
      for (const char* k : {"object", "kind", "name", "namespace"}) f.properties.erase(k);
    }
    f.properties["group"] = to_string(info.group);
    if (issue.pss_check.empty()) {
      f.properties.erase("pss_check");
    } else {
      f.properties["pss_check"] = issue.pss_check;
    }
    sink(f);
  }
}

std::vector<core::Finding> audit(std::span<const Manifest> manifests, const AuditOptions& options,
                                 const CheckRegistry& registry) {
  std::vector<core::Finding> findings;
  audit_each(
      manifests, options, [&](const core::Finding& f) { findings.push_back(f); }, registry);
  return findings;
}

}  // namespace mtr::kube
