// Kubernetes manifest audit: one registry of checks with stable ids (MTR-K8S-NNN), each in a
// group users select with --only/--skip (pss, hygiene, resources, images, network, rbac,
// mounts) and carrying the ids peers know it by (kube-score, kube-linter, Polaris, kubesec,
// Trivy KSV, Checkov, PSS control names) as aliases; and audit(), which runs them over every
// object given, applies the suppressions users ask for (the `matryoshka.io/ignore` annotation,
// config exemptions with expiry) and returns findings.
//
// Checks see all objects at once: some are about one workload (a privileged container), some
// about relations between objects (a namespace without a ResourceQuota among the given ones,
// who may exec into a privileged pod).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/result.h"
#include "core/severity.h"
#include "kube/object.h"
#include "kube/pod.h"
#include "kube/pss.h"

namespace mtr::kube {

// ---- check metadata --------------------------------------------------------------------------

enum class CheckGroup { kValidity, kPss, kHygiene, kResources, kImages, kNetwork, kRbac, kMounts };
std::string_view to_string(CheckGroup group);  // "pss", "hygiene", ...
core::Result<CheckGroup> parse_check_group(std::string_view text);
std::span<const CheckGroup> all_check_groups();

struct CheckInfo {
  std::string id;  // "MTR-K8S-201"
  CheckGroup group = CheckGroup::kHygiene;
  std::string title;
  core::Severity severity = core::Severity::kMedium;
  std::string description;  // why it matters
  std::string fix;          // what to change; concrete YAML where one applies
  // Peer ids: kube-score "container-security-context-privileged", kube-linter
  // "privileged-container", Polaris "privilegeEscalationAllowed", kubesec "Privileged", Trivy
  // "KSV-0017"/"AVD-KSV-0017"/ "KSV017", Checkov "CKV_K8S_16", PSS control names "Privileged
  // Containers".
  std::vector<std::string> aliases;
  std::vector<std::string> references;
  bool enabled_by_default = true;
  // A hygiene check that says the same as this PSA check (e.g. "runAsNonRoot"): when the pss
  // group reports that control for an object, this check's finding on it is dropped.
  std::string same_as_pss;
};

// ---- configuration -------------------------------------------------------------------------

// Exempts objects from checks: every set criterion must match. Empty `checks` = all checks.
struct Exemption {
  std::vector<std::string> checks;  // ids or aliases
  std::string namespace_;           // glob: "kube-*"
  std::string name;                 // glob
  std::string kind;                 // "Deployment"
  std::map<std::string, std::string> labels;
  std::string reason;
  std::string expires;  // YYYY-MM-DD; after it the exemption no longer applies ("" = never)
};

struct AuditConfig {
  PssLevel pss_level = PssLevel::kRestricted;
  PssVersion pss_version;             // latest
  std::int64_t min_user_id = 10000;   // runAsUser at or below is a finding (kube-score: 10000)
  std::int64_t min_group_id = 10000;  // runAsGroup likewise
  bool require_digest = false;        // images must be pinned by @sha256:
  // Registries images may come from ("docker.io", "*.example.com"); empty = any.
  std::vector<std::string> allowed_registries;
  // Namespaces where creating pods is as good as cluster-admin.
  std::vector<std::string> privileged_namespaces = {"kube-system"};
};

// ---- what checks see -----------------------------------------------------------------------

class AuditInput {
 public:
  AuditInput(std::span<const Manifest> manifests, const AuditConfig& config);
  AuditInput(const AuditInput&) = delete;
  AuditInput& operator=(const AuditInput&) = delete;

  const AuditConfig& config() const { return config_; }
  // Every object of every manifest, in input order.
  const std::vector<const Object*>& objects() const { return objects_; }
  // The pod of every workload object, in input order.
  const std::vector<PodSpec>& pods() const { return pods_; }
  // Objects of one kind ("NetworkPolicy"), in input order.
  std::vector<const Object*> of_kind(std::string_view kind) const;
  // The namespace an object lands in: its own, else "default" for namespaced kinds; "" for
  // cluster-scoped kinds (Namespace, ClusterRole, ...).
  static std::string namespace_of(const Object& object);
  static bool cluster_scoped(std::string_view kind);
  // The pod's Pod Security violations at the configured level and version, evaluated once
  // and shared by the pss checks. Not thread-safe: one AuditInput is read by one thread.
  const std::vector<PssViolation>& pss(const PodSpec& pod) const;

 private:
  const AuditConfig& config_;
  std::vector<const Object*> objects_;
  std::vector<PodSpec> pods_;
  mutable std::map<const PodSpec*, std::vector<PssViolation>> pss_;
};

// What a check reports: the object, a message saying exactly what is wrong, and the field (its
// JSON path and node for the line; the object itself when null).
struct Issue {
  const Object* object = nullptr;
  std::string message;
  std::string path;
  const core::YamlNode* node = nullptr;
  std::string fix;        // overrides CheckInfo::fix when set: the YAML to add for this object
  std::string pss_check;  // set by the pss group: the PSA check id
};

class IssueSink {
 public:
  virtual ~IssueSink() = default;
  virtual void report(Issue issue) = 0;
};

using Check = std::function<void(const AuditInput& input, IssueSink& out)>;

class CheckRegistry {
 public:
  // Duplicate ids or aliases are an error (kInternal): a table bug.
  core::Status add(CheckInfo info, Check check);
  const std::vector<CheckInfo>& checks() const { return infos_; }
  const CheckInfo* find(std::string_view id_or_alias) const;
  const Check& check(std::size_t index) const { return checks_[index]; }

 private:
  std::vector<CheckInfo> infos_;
  std::vector<Check> checks_;
};

// One registration function per group; builtin_checks() holds them all, in id order.
void register_validity_checks(CheckRegistry& registry);
void register_pss_checks(CheckRegistry& registry);
void register_hygiene_checks(CheckRegistry& registry);
void register_resource_checks(CheckRegistry& registry);
void register_image_checks(CheckRegistry& registry);
void register_network_checks(CheckRegistry& registry);
void register_rbac_checks(CheckRegistry& registry);
void register_mount_checks(CheckRegistry& registry);
const CheckRegistry& builtin_checks();

// ---- running -------------------------------------------------------------------------------

struct AuditOptions {
  AuditConfig config;
  std::set<CheckGroup> only;  // empty = every group
  std::set<CheckGroup> skip;
  std::vector<std::string> enabled;  // checks off by default to run (ids or aliases)
  std::vector<std::string> ignored;  // ids or aliases
  std::map<std::string, core::Severity> severity_overrides;  // id or alias → severity
  std::vector<Exemption> exemptions;
  bool honour_annotations = true;  // false with --strict: `matryoshka.io/ignore` is not read
  std::string today;               // YYYY-MM-DD, injected
};

// The annotation users put on an object or its pod template: "MTR-K8S-201,KSV017: reason".
inline constexpr std::string_view kIgnoreAnnotation = "matryoshka.io/ignore";

// Findings carry id, aliases, severity, title, description, fix, target = file, location (file,
// line, column, json_path), evidence = the message's subject, and properties: "object"
// ("Deployment default/web"), "kind", "namespace", "name", "group", "pss_check".
std::vector<core::Finding> audit(std::span<const Manifest> manifests, const AuditOptions& options,
                                 const CheckRegistry& registry = builtin_checks());
// The same findings, in the same order, handed to `sink` one at a time (a report streams out
// without holding them all). The Finding passed is reused for the next one: copy what you keep.
using FindingSink = std::function<void(const core::Finding&)>;
void audit_each(std::span<const Manifest> manifests, const AuditOptions& options,
                const FindingSink& sink, const CheckRegistry& registry = builtin_checks());

}  // namespace mtr::kube
