#include "imagecheck/detail/context.h"

#include <cstdio>

#include "imagecheck/detail/history.h"

namespace mtr::imagecheck::detail {

using nlohmann::json;

const json* member(const json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(key);
  if (it == object->end()) return nullptr;
  return &*it;
}

std::optional<std::string_view> as_string(const json* value) {
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string_view(value->get_ref<const std::string&>());
}

Context::Context(const oci::ImageScan& scan, const CheckOptions& options)
    : scan_(scan), options_(options) {
  const json& config = scan.meta.config;
  // dir: sources carry an empty object: no user, ports or history to judge.
  if (config.is_object() && !config.empty()) {
    image_config_ = &config;
    const json* runtime = member(image_config_, "config");
    if (runtime != nullptr && runtime->is_object()) runtime_config_ = runtime;
  }

  if (const json* history = member(image_config_, "history");
      history != nullptr && history->is_array()) {
    std::size_t layer = 0;
    std::size_t index = 0;
    for (const json& item : *history) {
      HistoryEntry entry;
      entry.index = index++;
      if (auto text = as_string(member(&item, "created_by"))) entry.created_by = *text;
      const json* empty = member(&item, "empty_layer");
      bool empty_layer = empty != nullptr && empty->is_boolean() && empty->get<bool>();
      entry.empty_layer = empty_layer || !item.is_object();
      if (!entry.empty_layer) entry.layer = layer++;
      auto parsed = parse_instruction(entry.created_by);
      entry.instruction = std::move(parsed.keyword);
      entry.arguments = std::move(parsed.arguments);
      history_.push_back(std::move(entry));
    }
    // History that does not match the layers (hand-made configs, squashed images) cannot
    // place a step in a layer: drop the attribution rather than point at the wrong one.
    if (layer != scan.layers.size()) {
      for (auto& entry : history_) entry.layer.reset();
    }
  }

  by_path_.reserve(scan.files.size());
  for (const auto& file : scan.files) by_path_.emplace(file.entry.path, &file);
}

const oci::MergedFile* Context::file(std::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : it->second;
}

std::string Context::layer_digest(std::size_t layer) const {
  if (layer < scan_.layers.size() && !scan_.layers[layer].diff_id.empty()) {
    return scan_.layers[layer].diff_id;
  }
  if (layer < scan_.meta.layers.size()) return scan_.meta.layers[layer].diff_id;
  return {};
}

std::string Context::target() const {
  return scan_.meta.name.empty() ? scan_.meta.source : scan_.meta.name;
}

std::string json_key_path(std::string_view prefix, std::string_view key) {
  // Keys come from untrusted JSON: quote them as JSON strings, never throwing on bad UTF-8.
  json quoted = std::string(key);
  return std::string(prefix) + "[" + quoted.dump(-1, ' ', false, json::error_handler_t::replace) +
         "]";
}

std::string clip(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Never split a UTF-8 sequence: back off over continuation bytes (10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::string human_bytes(std::uint64_t bytes) {
  constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f %s", value, kUnits[unit]);
  return buffer;
}

std::string octal_mode(std::uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%05o", mode & 07777u);
  return buffer;
}

std::string usr_merged(std::string_view path) {
  for (std::string_view dir : {"/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"}) {
    if (path.substr(0, dir.size()) == dir) return "/usr" + std::string(path);
  }
  return std::string(path);
}

std::string_view basename(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool starts_with_dir(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path.front() == '/';
  if (path.substr(0, dir.size()) != dir) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

}  // namespace mtr::imagecheck::detail
