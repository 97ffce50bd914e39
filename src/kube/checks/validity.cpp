// The validity group: what the API server itself would refuse. A field of the wrong type
// (`privileged: "true"` quoted, `runAsUser: abc`) is never guessed at by the other checks; it is
// reported here so the manifest is fixed before anything else is trusted about it.
#include <fmt/format.h>

#include "kube/audit.h"
#include "kube/checks/check_util.h"

namespace mtr::kube {

void register_validity_checks(CheckRegistry& registry) {
  CheckInfo i;
  i.id = "MTR-K8S-001";
  i.group = CheckGroup::kValidity;
  i.title = "Field has the wrong type";
  i.severity = core::Severity::kMedium;
  i.description =
      "The API server rejects an object whose field has the wrong type (a quoted \"true\" for a "
      "boolean, text for a number); the other checks treat such a field as unset, so what the "
      "manifest seems to say is not what was checked.";
  i.fix = "Write the value with its type: `privileged: false`, `runAsUser: 10001` (no quotes).";
  i.references = {"https://kubernetes.io/docs/reference/kubernetes-api/"};
  (void)registry.add(std::move(i), [](const AuditInput& input, IssueSink& out) {
    for (const PodSpec& pod : input.pods())
      for (const InvalidField& bad : pod.invalid)
        out.report(detail::issue_at(pod, fmt::format("{} must be {}", bad.path, bad.expected),
                                    bad.path, bad.node));
  });
}

}  // namespace mtr::kube
