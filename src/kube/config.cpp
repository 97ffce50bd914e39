#include "kube/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/severity.h"
#include "core/yaml_dom.h"

namespace mtr::kube {

namespace {

using core::ErrorCode;
using core::YamlNode;

constexpr std::size_t kMaxConfigBytes = 1u << 20;

constexpr std::array<std::string_view, 14> kKeys = {"pss",
                                                    "pss-version",
                                                    "only",
                                                    "skip",
                                                    "ignored",
                                                    "enable",
                                                    "severity",
                                                    "min-user-id",
                                                    "min-group-id",
                                                    "require-digest",
                                                    "allowed-registries",
                                                    "privileged-namespaces",
                                                    "fail-on",
                                                    "exemptions"};

constexpr std::array<std::string_view, 7> kExemptionKeys = {"checks", "namespace", "name",   "kind",
                                                            "labels", "reason",    "expires"};

class Reader {
 public:
  explicit Reader(std::string_view origin) : origin_(origin) {}

  core::Error error(const YamlNode& node, std::string message) const {
    return core::make_error(
        ErrorCode::kInvalidInput, std::move(message),
        core::Location{std::string(origin_), node.mark().line, node.mark().column, {}});
  }

  core::Result<std::string> string(const YamlNode& node, std::string_view key) const {
    auto text = node.as_string();
    if (!text) return core::unexpected(error(node, fmt::format("'{}' must be a string", key)));
    return std::string(*text);
  }

  core::Result<std::vector<std::string>> strings(const YamlNode& node, std::string_view key) const {
    std::vector<std::string> out;
    if (node.is_null()) return out;
    if (node.is_scalar()) {
      out.push_back(node.text());
      return out;
    }
    if (!node.is_sequence())
      return core::unexpected(error(node, fmt::format("'{}' must be a list of strings", key)));
    for (const YamlNode& item : node.items()) out.push_back(MTR_TRY(string(item, key)));
    return out;
  }

  core::Result<std::int64_t> integer(const YamlNode& node, std::string_view key) const {
    auto v = node.as_int();
    if (!v) return core::unexpected(error(node, fmt::format("'{}' must be an integer", key)));
    return *v;
  }

  core::Result<bool> boolean(const YamlNode& node, std::string_view key) const {
    auto v = node.as_bool();
    if (!v) return core::unexpected(error(node, fmt::format("'{}' must be true or false", key)));
    return *v;
  }

  core::Status known_keys(const YamlNode& map, std::span<const std::string_view> keys,
                          std::string_view what) const {
    for (std::size_t i = 0; i < map.entry_count(); ++i) {
      const YamlNode& k = map.entry_key(i);
      if (std::find(keys.begin(), keys.end(), k.text()) == keys.end())
        return core::unexpected(error(k, fmt::format("unknown key '{}' in {} (known: {})", k.text(),
                                                     what, fmt::join(keys, ", "))));
    }
    return {};
  }

 private:
  std::string_view origin_;
};

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (d[i] < '0' || d[i] > '9') return false;
  return true;
}

}  // namespace

core::Result<AuditFileConfig> parse_audit_config(std::string_view text, std::string_view origin,
                                                 const CheckRegistry& registry) {
  if (text.size() > kMaxConfigBytes)
    return core::fail(
        ErrorCode::kLimitExceeded,
        fmt::format("{}: configuration larger than {} bytes", origin, kMaxConfigBytes));
  Reader in(origin);
  AuditFileConfig out;
  auto docs = MTR_TRY(core::parse_yaml_stream(text, origin));
  if (docs.empty() || docs.front().root.is_null()) return out;
  const YamlNode& root = docs.front().root;
  if (!root.is_mapping())
    return core::unexpected(in.error(root, "the configuration must be a mapping"));
  const YamlNode* section = root.find("k8s");
  if (!section) {
    // Other domains' sections (dockerfile:, image:) may share the file: without a k8s:
    // section, only a file made of our keys is read as one.
    bool ours = root.entry_count() > 0;
    for (std::size_t i = 0; i < root.entry_count(); ++i)
      if (std::find(kKeys.begin(), kKeys.end(), root.entry_key(i).text()) == kKeys.end())
        ours = false;
    if (!ours) return out;
    section = &root;
  }
  if (section->is_null()) return out;
  if (!section->is_mapping())
    return core::unexpected(in.error(*section, "'k8s' must be a mapping"));
  MTR_TRY_STATUS(in.known_keys(*section, kKeys, "k8s"));

  auto check_ids = [&](const std::vector<std::string>& ids, const YamlNode& node) {
    for (const std::string& id : ids)
      if (!registry.find(id))
        out.warnings.push_back(fmt::format("{}:{}: no check has the id '{}'; it has no effect",
                                           origin, node.mark().line, id));
  };
  AuditOptions& o = out.options;
  AuditConfig& c = o.config;
  if (const YamlNode* n = section->get("pss")) {
    auto level = parse_pss_level(MTR_TRY(in.string(*n, "pss")));
    if (!level) return core::unexpected(in.error(*n, level.error().message));
    c.pss_level = *level;
  }
  if (const YamlNode* n = section->get("pss-version")) {
    auto v = parse_pss_version(MTR_TRY(in.string(*n, "pss-version")));
    if (!v) return core::unexpected(in.error(*n, v.error().message));
    c.pss_version = *v;
  }
  for (auto [key, target] : {std::pair{"only", &o.only}, std::pair{"skip", &o.skip}}) {
    const YamlNode* n = section->get(key);
    if (!n) continue;
    for (const std::string& g : MTR_TRY(in.strings(*n, key))) {
      auto group = parse_check_group(g);
      if (!group) return core::unexpected(in.error(*n, group.error().message));
      target->insert(*group);
    }
  }
  if (const YamlNode* n = section->get("ignored")) {
    o.ignored = MTR_TRY(in.strings(*n, "ignored"));
    check_ids(o.ignored, *n);
  }
  if (const YamlNode* n = section->get("enable")) {
    o.enabled = MTR_TRY(in.strings(*n, "enable"));
    check_ids(o.enabled, *n);
  }
  if (const YamlNode* n = section->get("severity")) {
    if (!n->is_mapping())
      return core::unexpected(in.error(*n, "'severity' must map check ids to severities"));
    for (std::size_t i = 0; i < n->entry_count(); ++i) {
      std::string id = MTR_TRY(in.string(n->entry_key(i), "severity"));
      std::string word = MTR_TRY(in.string(n->entry_value(i), "severity"));
      auto s = core::parse_severity(word);
      if (!s)
        return core::unexpected(
            in.error(n->entry_value(i),
                     fmt::format("'{}': unknown severity '{}' (critical, high, medium, low, none)",
                                 id, word)));
      check_ids({id}, n->entry_key(i));
      o.severity_overrides[id] = *s;
    }
  }
  if (const YamlNode* n = section->get("min-user-id"))
    c.min_user_id = MTR_TRY(in.integer(*n, "min-user-id"));
  if (const YamlNode* n = section->get("min-group-id"))
    c.min_group_id = MTR_TRY(in.integer(*n, "min-group-id"));
  if (const YamlNode* n = section->get("require-digest")) {
    c.require_digest = MTR_TRY(in.boolean(*n, "require-digest"));
    if (c.require_digest) o.enabled.push_back("MTR-K8S-402");
  }
  if (const YamlNode* n = section->get("allowed-registries"))
    c.allowed_registries = MTR_TRY(in.strings(*n, "allowed-registries"));
  if (const YamlNode* n = section->get("privileged-namespaces"))
    c.privileged_namespaces = MTR_TRY(in.strings(*n, "privileged-namespaces"));
  if (const YamlNode* n = section->get("fail-on")) out.fail_on = MTR_TRY(in.string(*n, "fail-on"));
  if (const YamlNode* n = section->get("exemptions")) {
    if (!n->is_sequence())
      return core::unexpected(in.error(*n, "'exemptions' must be a list of mappings"));
    for (const YamlNode& item : n->items()) {
      if (!item.is_mapping())
        return core::unexpected(in.error(item, "an exemption must be a mapping"));
      MTR_TRY_STATUS(in.known_keys(item, kExemptionKeys, "an exemption"));
      Exemption e;
      if (const YamlNode* v = item.get("checks")) {
        e.checks = MTR_TRY(in.strings(*v, "checks"));
        check_ids(e.checks, *v);
      }
      if (const YamlNode* v = item.get("namespace"))
        e.namespace_ = MTR_TRY(in.string(*v, "namespace"));
      if (const YamlNode* v = item.get("name")) e.name = MTR_TRY(in.string(*v, "name"));
      if (const YamlNode* v = item.get("kind")) e.kind = MTR_TRY(in.string(*v, "kind"));
      if (const YamlNode* v = item.get("reason")) e.reason = MTR_TRY(in.string(*v, "reason"));
      if (const YamlNode* v = item.get("labels")) {
        if (!v->is_mapping()) return core::unexpected(in.error(*v, "'labels' must be a mapping"));
        for (std::size_t i = 0; i < v->entry_count(); ++i)
          e.labels[MTR_TRY(in.string(v->entry_key(i), "labels"))] =
              MTR_TRY(in.string(v->entry_value(i), "labels"));
      }
      if (const YamlNode* v = item.get("expires")) {
        e.expires = MTR_TRY(in.string(*v, "expires"));
        if (!valid_date(e.expires))
          return core::unexpected(
              in.error(*v, fmt::format("'expires': '{}' is not a date (YYYY-MM-DD)", e.expires)));
      }
      if (e.checks.empty() && e.namespace_.empty() && e.name.empty() && e.kind.empty() &&
          e.labels.empty())
        return core::unexpected(in.error(
            item, "an exemption needs at least one of checks, namespace, name, kind, labels"));
      o.exemptions.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace mtr::kube
