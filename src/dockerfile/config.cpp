#include "dockerfile/config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "core/yaml.h"
#include "dockerfile/detail/strings.h"

namespace mtr::dockerfile {
namespace {

using core::ErrorCode;

constexpr std::size_t kMaxConfigBytes = 1 << 20;

using detail::lower;

class Reader {
 public:
  explicit Reader(std::string_view origin) : origin_(origin) {}
  core::Error error(const YAML::Node& node, std::string message) const {
    return core::yaml_error(origin_, core::yaml_line(node), std::move(message));
  }
  core::Result<std::string> string(const YAML::Node& node, std::string_view key) const {
    return core::yaml_string(node, key, origin_);
  }
  core::Result<std::vector<std::string>> strings(const YAML::Node& node,
                                                 std::string_view key) const {
    return core::yaml_strings(node, key, origin_);
  }
  core::Result<bool> boolean(const YAML::Node& node, std::string_view key) const {
    auto text = lower(MTR_TRY(string(node, key)));
    if (text == "true" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "no" || text == "off") return false;
    return core::unexpected(
        error(node, fmt::format("'{}' must be true or false, not '{}'", key, text)));
  }
  core::Result<core::Severity> severity(const YAML::Node& node, std::string_view key) const {
    auto text = MTR_TRY(string(node, key));
    if (auto s = parse_lint_severity(text)) return *s;
    return core::unexpected(error(
        node, fmt::format("'{}': unknown severity '{}' (critical, high, medium, low, none, or "
                          "hadolint's error, warning, info, style)",
                          key, text)));
  }

 private:
  std::string_view origin_;
};

const std::initializer_list<std::string_view> kKeys = {"ignored",
                                                       "severity",
                                                       "override",
                                                       "enable",
                                                       "enabled",
                                                       "trusted-registries",
                                                       "trustedRegistries",
                                                       "label-schema",
                                                       "strict-labels",
                                                       "scan-hint",
                                                       "disable-ignore-pragma",
                                                       "fail-on",
                                                       "failure-threshold",
                                                       "no-fail",
                                                       "format",
                                                       "no-color"};

const std::initializer_list<std::string_view> kLabelTypes = {"text",   "url",  "hash", "rfc3339",
                                                             "semver", "spdx", "email"};

}  // namespace

std::optional<core::Severity> parse_lint_severity(std::string_view word) {
  std::string w = lower(word);
  if (w == "error") return core::Severity::kHigh;
  if (w == "warning") return core::Severity::kMedium;
  if (w == "info" || w == "style") return core::Severity::kLow;
  if (w == "ignore" || w == "none") return core::Severity::kNone;
  return core::parse_severity(w);
}

core::Result<LintFileConfig> parse_lint_config(std::string_view text, std::string_view origin,
                                               const RuleRegistry& registry) {
  if (text.size() > kMaxConfigBytes) {
    return core::fail(
        ErrorCode::kLimitExceeded,
        fmt::format("{}: configuration larger than {} bytes", origin, kMaxConfigBytes));
  }
  Reader in(origin);
  LintFileConfig out;
  YAML::Node root = MTR_TRY(core::yaml_load(text, origin));
  if (!root || root.IsNull()) return out;
  if (!root.IsMap()) return core::unexpected(in.error(root, "the configuration must be a mapping"));
  YAML::Node section = root;
  if (root["dockerfile"]) {
    section = root["dockerfile"];
    if (section.IsNull()) return out;
    if (!section.IsMap()) {
      return core::unexpected(in.error(section, "'dockerfile' must be a mapping"));
    }
  }
  for (const auto& kv : section) {
    if (!kv.first.IsScalar()) return core::unexpected(in.error(kv.first, "keys must be strings"));
    const std::string& key = kv.first.Scalar();
    if (section == root && key != "dockerfile" &&
        std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      // Other domains' sections (k8s:, image:) may share the file.
      if (kv.second.IsMap()) continue;
    }
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      return core::unexpected(in.error(
          kv.first, fmt::format("unknown key '{}' (known: {})", key,
                                fmt::format("{}", fmt::join(kKeys.begin(), kKeys.end(), ", ")))));
    }
  }
  auto check_ids = [&](const std::vector<std::string>& ids, const YAML::Node& node) {
    for (const auto& id : ids) {
      if (registry.find(id) == nullptr) {
        out.warnings.push_back(fmt::format("{}:{}: no rule has the id '{}'; it has no effect",
                                           origin, core::yaml_line(node), id));
      }
    }
  };
  LintOptions& o = out.options;
  if (const auto n = section["ignored"]) {
    o.ignored = MTR_TRY(in.strings(n, "ignored"));
    check_ids(o.ignored, n);
  }
  for (const char* key : {"enable", "enabled"}) {
    if (const auto n = section[key]) {
      auto ids = MTR_TRY(in.strings(n, key));
      check_ids(ids, n);
      o.config.enabled.insert(o.config.enabled.end(), ids.begin(), ids.end());
    }
  }
  if (const auto n = section["severity"]) {
    if (!n.IsMap())
      return core::unexpected(in.error(n, "'severity' must map rule ids to severities"));
    for (const auto& kv : n) {
      auto id = MTR_TRY(in.string(kv.first, "severity"));
      check_ids({id}, kv.first);
      o.severity_overrides[id] = MTR_TRY(in.severity(kv.second, id));
    }
  }
  if (const auto n = section["override"]) {
    if (!n.IsMap()) {
      return core::unexpected(in.error(n, "'override' must map severities to lists of rule ids"));
    }
    for (const auto& kv : n) {
      auto level = MTR_TRY(in.severity(kv.first, "override"));
      auto ids = MTR_TRY(in.strings(kv.second, "override"));
      check_ids(ids, kv.second);
      for (const auto& id : ids) o.severity_overrides[id] = level;
    }
  }
  for (const char* key : {"trusted-registries", "trustedRegistries"}) {
    if (const auto n = section[key]) o.config.trusted_registries = MTR_TRY(in.strings(n, key));
  }
  if (const auto n = section["label-schema"]) {
    if (!n.IsMap()) {
      return core::unexpected(in.error(n, "'label-schema' must map label names to types"));
    }
    for (const auto& kv : n) {
      auto label = MTR_TRY(in.string(kv.first, "label-schema"));
      auto type = lower(MTR_TRY(in.string(kv.second, label)));
      if (std::find(kLabelTypes.begin(), kLabelTypes.end(), type) == kLabelTypes.end()) {
        return core::unexpected(in.error(
            kv.second, fmt::format("label '{}': unknown type '{}' (known: {})", label, type,
                                   fmt::format("{}", fmt::join(kLabelTypes.begin(),
                                                               kLabelTypes.end(), ", ")))));
      }
      o.config.label_schema[label] = type;
    }
  }
  if (const auto n = section["strict-labels"]) {
    o.config.strict_labels = MTR_TRY(in.boolean(n, "strict-labels"));
  }
  if (const auto n = section["scan-hint"]) o.config.scan_hint = MTR_TRY(in.boolean(n, "scan-hint"));
  if (const auto n = section["disable-ignore-pragma"]) {
    o.honour_inline_ignores = !MTR_TRY(in.boolean(n, "disable-ignore-pragma"));
  }
  for (const char* key : {"fail-on", "failure-threshold"}) {
    if (const auto n = section[key]) {
      auto word = lower(MTR_TRY(in.string(n, key)));
      if (word != "none") (void)MTR_TRY(in.severity(n, key));  // validates the word
      out.fail_on = word;
    }
  }
  return out;
}

}  // namespace mtr::dockerfile
