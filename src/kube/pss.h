// Pod Security Standards, evaluated exactly as Kubernetes' Pod Security Admission does: the
// same checks, with the same behaviour per policy version (v1.0 … v1.37, "latest"), the same
// overrides (a restricted check replaces its baseline counterpart from the version it exists),
// and the same forbidden reasons and details in its messages, so a verdict here is the verdict a
// namespace labelled `pod-security.kubernetes.io/enforce: LEVEL` and `enforce-version: VERSION`
// would give. Each violation also lists the fields responsible, for line numbers and JSON paths.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/yaml_dom.h"
#include "kube/pod.h"

namespace mtr::kube {

enum class PssLevel { kPrivileged, kBaseline, kRestricted };

struct PssVersion {
  int minor = 0;  // v1.<minor>
  bool latest = true;

  static PssVersion v1(int minor) { return PssVersion{minor, false}; }
  std::string to_string() const;  // "latest", "v1.25"
};

std::string_view to_string(PssLevel level);  // "privileged", "baseline", "restricted"
// "baseline", "restricted", "privileged"; anything else is a kUsage error.
core::Result<PssLevel> parse_pss_level(std::string_view text);
// "latest" or "v1.N" (as the namespace label takes it); anything else is a kUsage error.
core::Result<PssVersion> parse_pss_version(std::string_view text);

// One check of the standard, as PSA names it.
struct PssControl {
  std::string_view check;  // PSA check id: "privileged", "capabilities_restricted"
  PssLevel level;          // the level that introduces it
  std::string_view title;  // the standard's control name: "Privileged Containers"
  int first_minor;         // first policy version it applies to (v1.<first_minor>)
};

// Every check PSA knows, baseline first then restricted, each in PSA's id order.
std::span<const PssControl> pss_controls();

// A field that breaks a check (or the place a required field is missing from).
struct PssField {
  std::string path;  // JSON path below the object: "spec.containers[0].securityContext"
  const core::YamlNode* node = nullptr;
};

struct PssViolation {
  const PssControl* control = nullptr;
  std::string reason;  // PSA's ForbiddenReason: "allowPrivilegeEscalation != false"
  std::string detail;  // PSA's ForbiddenDetail: `container "app" must set ...` (may be "")
  std::vector<PssField> fields;
};

// The checks of `level` at `version` that the pod fails, in PSA's order. Privileged: none.
// A version newer than the newest PSA knows is evaluated as the newest, as PSA does.
std::vector<PssViolation> evaluate_pss(const PodSpec& pod, PssLevel level, PssVersion version);

// PSA's message: `violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true),
// privileged (container "app" must not set securityContext.privileged=true)`.
std::string pss_message(std::span<const PssViolation> violations, PssLevel level,
                        PssVersion version);

}  // namespace mtr::kube
