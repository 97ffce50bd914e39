#include "kube/object.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

namespace mtr::kube {

namespace {

std::string scalar_or_empty(const core::YamlNode* node) {
  if (!node) return {};
  auto text = node->as_string();
  return text ? std::string(*text) : std::string();
}

bool is_list_kind(std::string_view kind, const core::YamlNode& node) {
  if (kind.size() < 4 || kind.substr(kind.size() - 4) != "List") return false;
  const core::YamlNode* items = node.find("items");
  return items && (items->is_sequence() || items->is_null());
}

// An object from a mapping with a kind; nullopt for anything else.
std::optional<Object> make_object(const core::YamlNode& node, std::string path_prefix,
                                  const std::string& file, std::size_t document) {
  if (!node.is_mapping()) return std::nullopt;
  std::string kind = scalar_or_empty(node.find("kind"));
  if (kind.empty()) return std::nullopt;
  Object object;
  object.kind = std::move(kind);
  object.api_version = scalar_or_empty(node.find("apiVersion"));
  if (const core::YamlNode* meta = node.get("metadata"); meta && meta->is_mapping()) {
    object.name = scalar_or_empty(meta->find("name"));
    object.namespace_ = scalar_or_empty(meta->find("namespace"));
    object.labels = read_string_map(meta->find("labels"));
    object.annotations = read_string_map(meta->find("annotations"));
  }
  object.node = &node;
  object.path_prefix = std::move(path_prefix);
  object.file = file;
  object.document = document;
  object.mark = node.mark();
  return object;
}

}  // namespace

std::map<std::string, std::string> read_string_map(const core::YamlNode* node) {
  std::map<std::string, std::string> out;
  if (!node || !node->is_mapping()) return out;
  for (std::size_t i = 0; i < node->entry_count(); ++i) {
    auto key = node->entry_key(i).as_string();
    if (!key) continue;
    out[std::string(*key)] = scalar_or_empty(&node->entry_value(i));  // last one wins
  }
  return out;
}

std::string_view Object::group() const {
  std::string_view v = api_version;
  auto slash = v.find('/');
  return slash == std::string_view::npos ? std::string_view() : v.substr(0, slash);
}

std::string Object::display() const {
  std::string who = name.empty() ? "<unnamed>" : name;
  if (!namespace_.empty()) who = namespace_ + "/" + who;
  return kind + " " + who;
}

std::string Object::at(std::string_view path) const {
  if (path_prefix.empty()) return std::string(path);
  if (path.empty()) return path_prefix;
  return path_prefix + "." + std::string(path);
}

core::Result<Manifest> load_manifest(std::string_view text, std::string origin,
                                     const core::YamlLimits& limits) {
  Manifest manifest;
  manifest.origin = std::move(origin);
  manifest.documents = MTR_TRY(core::parse_yaml_stream(text, manifest.origin, limits));
  for (const core::YamlDocument& doc : manifest.documents) {
    const core::YamlNode& root = doc.root;
    std::string kind = root.is_mapping() ? scalar_or_empty(root.find("kind")) : std::string();
    if (!kind.empty() && is_list_kind(kind, root)) {
      const core::YamlNode* items = root.find("items");
      std::size_t i = 0;
      for (const core::YamlNode& item : items->items()) {
        if (auto object =
                make_object(item, fmt::format("items[{}]", i), manifest.origin, doc.index))
          manifest.objects.push_back(std::move(*object));
        ++i;
      }
      continue;
    }
    if (auto object = make_object(root, {}, manifest.origin, doc.index))
      manifest.objects.push_back(std::move(*object));
  }
  return manifest;
}

}  // namespace mtr::kube
