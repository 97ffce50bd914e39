// Small helpers shared by the check groups: naming a container in a message, and pointing an
// issue at a field that is there or at the place where a missing one belongs.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

#include "kube/audit.h"

namespace mtr::kube::detail {

// `container "app"`, `init container "setup"`, `ephemeral container "debug"`.
inline std::string describe(const Container& c) {
  std::string_view what = c.kind == ContainerKind::kInit        ? "init container"
                          : c.kind == ContainerKind::kEphemeral ? "ephemeral container"
                                                                : "container";
  if (c.name.empty()) return fmt::format("{} #{}", what, c.index + 1);
  return fmt::format("{} \"{}\"", what, c.name);
}

// Where a container-level securityContext field belongs: the field when written, else the
// container's securityContext, else the container.
template <typename T>
std::pair<std::string, const core::YamlNode*> security_field_place(const Container& c,
                                                                   const Field<T>& field) {
  if (field.present()) return {field.path, field.node};
  if (c.security_context.at.present())
    return {c.security_context.at.path, c.security_context.at.node};
  return {c.at.path, c.at.node};
}

inline Issue issue_at(const PodSpec& pod, std::string message, std::string path,
                      const core::YamlNode* node, std::string fix = {}) {
  Issue issue;
  issue.object = pod.object;
  issue.message = std::move(message);
  issue.path = std::move(path);
  issue.node = node;
  issue.fix = std::move(fix);
  return issue;
}

}  // namespace mtr::kube::detail
