// The images group: every container image named by a tag that means something (not `latest`,
// not absent), pinned by digest when the configuration asks for it, from an allowed registry
// when the configuration lists them.
#include <fmt/format.h>
#include <fnmatch.h>

#include "kube/audit.h"
#include "kube/checks/check_util.h"

namespace mtr::kube {

namespace {

using detail::describe;
using detail::issue_at;

struct ImageRef {
  std::string registry;  // "docker.io" when the reference names none
  std::string repository;
  std::string tag;     // "" when absent
  std::string digest;  // "sha256:..." or ""
};

ImageRef parse_image(std::string_view ref) {
  ImageRef out;
  if (auto at = ref.find('@'); at != std::string_view::npos) {
    out.digest = std::string(ref.substr(at + 1));
    ref = ref.substr(0, at);
  }
  auto slash = ref.rfind('/');
  auto colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    out.tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
  }
  auto first = ref.find('/');
  std::string_view head =
      first == std::string_view::npos ? std::string_view() : ref.substr(0, first);
  if (!head.empty() && (head.find('.') != std::string_view::npos ||
                        head.find(':') != std::string_view::npos || head == "localhost")) {
    out.registry = std::string(head);
    out.repository = std::string(ref.substr(first + 1));
  } else {
    out.registry = "docker.io";
    out.repository = std::string(ref);
  }
  return out;
}

template <typename F>
void each_image(const AuditInput& input, F&& f) {
  for (const PodSpec& pod : input.pods())
    pod.for_each_container([&](const Container& c) {
      if (c.image.has_value() && !c.image.value->empty()) f(pod, c, parse_image(*c.image.value));
    });
}

CheckInfo info(const char* id, const char* title, core::Severity severity, const char* description,
               const char* fix, std::vector<std::string> aliases, bool on_by_default = true) {
  CheckInfo i;
  i.id = id;
  i.group = CheckGroup::kImages;
  i.title = title;
  i.severity = severity;
  i.description = description;
  i.fix = fix;
  i.aliases = std::move(aliases);
  i.references = {"https://kubernetes.io/docs/concepts/containers/images/"};
  i.enabled_by_default = on_by_default;
  return i;
}

}  // namespace

void register_image_checks(CheckRegistry& registry) {
  using core::Severity;
  (void)registry.add(
      info("MTR-K8S-401", "Image tag is latest or missing", Severity::kMedium,
           "`latest` (or no tag, which means latest) changes under you: two nodes can run "
           "different code, and a rollback does not roll back.",
           "image: registry.example.com/app:1.4.2  # or pin by digest: app@sha256:...",
           {"container-image-tag", "latest-tag", "tagNotSpecified", "KSV-0013", "AVD-KSV-0013",
            "KSV013", "CKV_K8S_14"}),
      [](const AuditInput& input, IssueSink& out) {
        each_image(input, [&](const PodSpec& pod, const Container& c, const ImageRef& ref) {
          if (!ref.digest.empty()) return;  // a digest pins it whatever the tag says
          if (!ref.tag.empty() && ref.tag != "latest") return;
          out.report(
              issue_at(pod,
                       fmt::format("{} uses image \"{}\" {}", describe(c), *c.image.value,
                                   ref.tag.empty() ? "without a tag (latest)" : "with tag latest"),
                       c.image.path, c.image.node));
        });
      });
  (void)registry.add(
      info("MTR-K8S-402", "Image not pinned by digest", Severity::kLow,
           "A tag can be moved to other content; only a digest names exactly what was scanned "
           "and signed. On when the configuration sets `require_digest: true`.",
           "image: registry.example.com/app:1.4.2@sha256:<digest>", {"CKV_K8S_43"},
           /*on_by_default=*/false),
      [](const AuditInput& input, IssueSink& out) {
        each_image(input, [&](const PodSpec& pod, const Container& c, const ImageRef& ref) {
          if (ref.digest.rfind("sha256:", 0) == 0 || ref.digest.rfind("sha512:", 0) == 0) return;
          out.report(issue_at(pod,
                              fmt::format("{} uses image \"{}\", not pinned by digest", describe(c),
                                          *c.image.value),
                              c.image.path, c.image.node));
        });
      });
  (void)registry.add(
      info("MTR-K8S-403", "Image from a registry not allowed", Severity::kHigh,
           "Images must come from the registries the configuration allows "
           "(`allowed_registries`), where they are scanned and signed.",
           "image: <an allowed registry>/app:1.4.2", {"KSV-0125", "AVD-KSV-0125", "KSV125"}),
      [](const AuditInput& input, IssueSink& out) {
        const auto& allowed = input.config().allowed_registries;
        if (allowed.empty()) return;
        each_image(input, [&](const PodSpec& pod, const Container& c, const ImageRef& ref) {
          for (const std::string& pattern : allowed)
            if (fnmatch(pattern.c_str(), ref.registry.c_str(), 0) == 0) return;
          out.report(issue_at(
              pod,
              fmt::format("{} uses image \"{}\" from registry {}, not in the "
                          "allowed list ({})",
                          describe(c), *c.image.value, ref.registry, fmt::join(allowed, ", ")),
              c.image.path, c.image.node));
        });
      });
  (void)registry.add(
      info("MTR-K8S-404", "Image pull policy is not Always", Severity::kLow,
           "With a tag that can move, IfNotPresent runs whatever a node cached, possibly an image "
           "another tenant pushed under that name. Off by default: a digest-pinned image makes it "
           "moot.",
           "imagePullPolicy: Always",
           {"container-image-pull-policy", "pullPolicyNotAlways", "CKV_K8S_15"},
           /*on_by_default=*/false),
      [](const AuditInput& input, IssueSink& out) {
        each_image(input, [&](const PodSpec& pod, const Container& c, const ImageRef& ref) {
          if (c.image_pull_policy.is("Always")) return;
          // Unset means Always for latest/untagged images, IfNotPresent otherwise.
          if (!c.image_pull_policy.present() && ref.digest.empty() &&
              (ref.tag.empty() || ref.tag == "latest"))
            return;
          const Anchor& place = c.at;
          out.report(
              issue_at(pod,
                       fmt::format("{} pulls with policy {}", describe(c),
                                   c.image_pull_policy.value.value_or("IfNotPresent")),
                       c.image_pull_policy.present() ? c.image_pull_policy.path : place.path,
                       c.image_pull_policy.present() ? c.image_pull_policy.node : place.node));
        });
      });
}

}  // namespace mtr::kube
