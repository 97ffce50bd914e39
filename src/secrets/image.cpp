#include "secrets/image.h"

#include <fmt/format.h>

#include <set>

namespace mtr::secrets {
namespace {

constexpr const char* kFix =
    "Remove the secret from the image and rebuild it without the secret in any layer (use "
    "build secrets, e.g. `RUN --mount=type=secret`, instead of files, ENV or ARG), then revoke "
    "and rotate it: everyone who pulled the image has a copy.";

core::Finding base_finding(const Rule* rule, const std::string& rule_id,
                           const std::string& target) {
  core::Finding f;
  f.id = rule_id;
  f.target = target;
  f.fix = kFix;
  f.properties["scanner"] = "secret";
  if (rule != nullptr) {
    f.severity = rule->severity;
    f.title = rule->title;
    f.description = rule->why;
    f.references = rule->references;
  } else {
    f.severity = core::Severity::kHigh;  // a rule the cache knows but the rule set no longer has
    f.title = rule_id;
  }
  return f;
}

// Layers that carry a history entry: history entries with empty_layer set add no layer.
std::vector<std::pair<std::size_t, std::optional<std::size_t>>> history_layers(
    const nlohmann::json& config) {
  std::vector<std::pair<std::size_t, std::optional<std::size_t>>> out;  // history index → layer
  auto history = config.find("history");
  if (history == config.end() || !history->is_array()) return out;
  std::size_t layer = 0;
  for (std::size_t i = 0; i < history->size(); ++i) {
    const auto& h = (*history)[i];
    bool empty = false;
    if (h.is_object()) {
      if (auto e = h.find("empty_layer"); e != h.end() && e->is_boolean()) empty = e->get<bool>();
    }
    out.emplace_back(i, empty ? std::nullopt : std::optional<std::size_t>(layer));
    if (!empty) ++layer;
  }
  return out;
}

std::string text_of(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) {
      if (!item.is_string()) continue;
      if (!out.empty()) out += ' ';
      out += item.get<std::string>();
    }
    return out;
  }
  return {};
}

}  // namespace

std::string LayerScanner::cache_key() const { return "secrets:" + scanner_.fingerprint(); }

void LayerScanner::scan(std::string_view path, std::string_view content,
                        std::vector<oci::ContentHit>& out) const {
  for (auto& m : scanner_.scan(path, content)) {
    out.push_back({std::string(path), std::move(m.rule_id), m.line, m.column, std::move(m.evidence),
                   std::move(m.fingerprint)});
  }
}

std::vector<core::Finding> image_findings(const oci::ImageScan& scan, const Scanner& scanner,
                                          const std::string& target) {
  std::vector<core::Finding> out;
  const auto& layers = scan.layers;
  auto layer_digest = [&](std::size_t i) {
    return i < layers.size() ? layers[i].diff_id : std::string();
  };

  for (const auto& h : scan.content_hits) {
    auto f = base_finding(scanner.find(h.hit.rule_id), h.hit.rule_id, target);
    f.location.path = h.hit.path;
    f.location.line = h.hit.line;
    f.location.column = h.hit.column;
    f.location.layer_digest = layer_digest(h.layer);
    f.evidence = h.hit.evidence;
    f.properties["layer_index"] = std::to_string(h.layer);
    f.properties["fingerprint"] = h.hit.fingerprint;
    if (h.hidden_by) {
      f.properties["visibility"] =
          fmt::format("{} in layer {}, still present in layer {}",
                      h.replaced ? "replaced" : "removed", *h.hidden_by, h.layer);
      f.properties["hidden_by_layer"] = std::to_string(*h.hidden_by);
    } else {
      f.properties["visibility"] = "present in the final file system";
    }
    if (h.layer < layers.size() && !layers[h.layer].created_by.empty())
      f.properties["layer_created_by"] = layers[h.layer].created_by;
    out.push_back(std::move(f));
  }

  // The image config: what `docker inspect` shows to anyone who can pull the image.
  const auto& root = scan.meta.config;
  if (!root.is_object()) return out;
  std::set<std::pair<std::string, std::string>> seen;  // (rule, fingerprint) already reported
  auto report = [&](std::string_view text, const std::string& json_path,
                    std::optional<std::size_t> layer) {
    for (auto& m : scanner.scan("", text)) {
      if (!seen.emplace(m.rule_id, m.fingerprint).second) continue;
      auto f = base_finding(scanner.find(m.rule_id), m.rule_id, target);
      f.location.json_path = json_path;
      f.location.path = "image config";
      if (layer) {
        f.location.layer_digest = layer_digest(*layer);
        f.properties["layer_index"] = std::to_string(*layer);
      }
      f.evidence = std::move(m.evidence);
      f.properties["fingerprint"] = m.fingerprint;
      f.properties["visibility"] = "image config (shown by docker inspect / docker history)";
      out.push_back(std::move(f));
    }
  };
  if (auto config = root.find("config"); config != root.end() && config->is_object()) {
    if (auto env = config->find("Env"); env != config->end() && env->is_array()) {
      for (std::size_t i = 0; i < env->size(); ++i) {
        if ((*env)[i].is_string())
          report((*env)[i].get<std::string>(), fmt::format("config.Env[{}]", i), std::nullopt);
      }
    }
    if (auto labels = config->find("Labels"); labels != config->end() && labels->is_object()) {
      for (const auto& [k, v] : labels->items()) {
        if (v.is_string())
          report(k + "=" + v.get<std::string>(), fmt::format("config.Labels[\"{}\"]", k),
                 std::nullopt);
      }
    }
    for (const char* key : {"Entrypoint", "Cmd"}) {
      if (auto v = config->find(key); v != config->end())
        report(text_of(*v), fmt::format("config.{}", key), std::nullopt);
    }
  }
  if (auto history = root.find("history"); history != root.end() && history->is_array()) {
    for (const auto& [i, layer] : history_layers(root)) {
      const auto& h = (*history)[i];
      if (!h.is_object()) continue;
      if (auto c = h.find("created_by"); c != h.end() && c->is_string())
        report(c->get<std::string>(), fmt::format("history[{}].created_by", i), layer);
    }
  }
  return out;
}

}  // namespace mtr::secrets
