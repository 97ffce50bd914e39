// merge_layers: what a container sees. A file found in layer i is visible unless a higher
// layer replaces it, deletes it or an ancestor (whiteout), hides its directory (opaque
// marker), or puts a non-directory where one of its ancestors was.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "inventory/os_release.h"
#include "inventory/purl.h"
#include "oci/detail/path.h"
#include "oci/scan.h"

namespace mtr::oci {
namespace {

struct LayerIndex {
  std::unordered_map<std::string_view, FileType> types;
  std::unordered_set<std::string_view> whiteouts;
  std::unordered_set<std::string_view> opaque;
};

class Visibility {
 public:
  explicit Visibility(const std::vector<LayerResult>& layers) {
    index_.resize(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) {
      for (const auto& f : layers[i].files) index_[i].types[f.path] = f.type;
      for (const auto& w : layers[i].whiteouts) index_[i].whiteouts.insert(w);
      for (const auto& o : layers[i].opaque_dirs) index_[i].opaque.insert(o);
    }
  }

  bool visible(std::size_t layer, std::string_view path) const {
    return !hidden_by(layer, path).has_value();
  }

  // The first layer above `layer` that deletes or replaces `path`.
  std::optional<std::size_t> hidden_by(std::size_t layer, std::string_view path) const {
    for (std::size_t j = layer + 1; j < index_.size(); ++j) {
      const auto& upper = index_[j];
      if (upper.types.count(path) != 0 || upper.whiteouts.count(path) != 0) return j;
      for (std::string_view a = detail::parent_path(path);; a = detail::parent_path(a)) {
        if (upper.whiteouts.count(a) != 0 || upper.opaque.count(a) != 0) return j;
        if (auto it = upper.types.find(a);
            it != upper.types.end() && it->second != FileType::kDirectory) {
          return j;
        }
        if (a == "/") break;
      }
    }
    return std::nullopt;
  }

  // Whether layer j writes a file of its own at `path` (rather than deleting it).
  bool writes(std::size_t j, std::string_view path) const {
    auto it = index_[j].types.find(path);
    return it != index_[j].types.end() && it->second != FileType::kDirectory;
  }

 private:
  std::vector<LayerIndex> index_;
};

// Symlinks are followed at most this many times, as the kernel does (ELOOP).
constexpr int kMaxSymlinkHops = 40;

// Kept files reached through a symlink in the merged view (Debian's /etc/os-release points
// at ../usr/lib/os-release) get the target's content. Targets resolve inside the image root
// only, and cycles end after kMaxSymlinkHops.
void alias_symlinked_files(const std::vector<LayerResult>& layers, const Visibility& vis,
                           std::map<std::string, std::string, std::less<>>& kept) {
  std::unordered_map<std::string_view, std::string_view> links;  // visible symlinks: path → target
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const auto& f : layers[i].files) {
      if (f.type == FileType::kSymlink && inventory::os_file_required(f.path) &&
          vis.visible(i, f.path)) {
        links[f.path] = f.link;
      }
    }
  }
  for (const auto& [path, target] : links) {
    if (kept.count(path) != 0) continue;
    std::string at(path);
    std::string next = detail::resolve_link_target(at, target);
    for (int hop = 0; hop < kMaxSymlinkHops; ++hop) {
      if (auto it = kept.find(next); it != kept.end()) {
        kept.emplace(std::string(path), it->second);
        break;
      }
      auto link = links.find(next);
      if (link == links.end()) break;
      at = next;
      next = detail::resolve_link_target(at, link->second);
    }
  }
}

bool same_package(const inventory::Package& a, const inventory::Package& b) {
  return a.name == b.name && a.version == b.version && a.arch == b.arch;
}

inventory::Inventory merge_inventory(const std::vector<LayerResult>& layers,
                                     const Visibility& vis) {
  inventory::Inventory inv;

  std::map<std::string, std::string, std::less<>> kept;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const auto& [path, content] : layers[i].kept_files) {
      if (vis.visible(i, path)) kept[path] = content;
    }
    for (const auto& w : layers[i].warnings) inv.warnings.push_back(w);
  }
  alias_symlinked_files(layers, vis, kept);
  inv.os = inventory::detect_os(kept);

  // Hits by (path, cataloger) per layer, for attributing database packages.
  std::vector<std::unordered_map<std::string, const LayerResult::Hit*>> hits_by_key(layers.size());
  auto key_of = [](const LayerResult::Hit& h) { return h.path + '\n' + h.cataloger; };
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const auto& h : layers[i].hits) hits_by_key[i].emplace(key_of(h), &h);
  }
  auto hit_in = [&](std::size_t layer, const std::string& key) -> const LayerResult::Hit* {
    auto it = hits_by_key[layer].find(key);
    return it == hits_by_key[layer].end() ? nullptr : it->second;
  };

  std::vector<inventory::LicenseFact> licenses;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const auto& hit : layers[i].hits) {
      if (!vis.visible(i, hit.path)) continue;
      licenses.insert(licenses.end(), hit.licenses.begin(), hit.licenses.end());
      const std::string key = key_of(hit);
      for (const auto& pkg : hit.packages) {
        inventory::Package p = pkg;
        std::size_t introduced = i;
        // A database file is rewritten by every layer that installs something: the package
        // came with the lowest layer of the unbroken run of copies that already list it.
        while (introduced > 0) {
          const auto* lower = hit_in(introduced - 1, key);
          if (lower == nullptr ||
              std::none_of(lower->packages.begin(), lower->packages.end(),
                           [&](const inventory::Package& q) { return same_package(p, q); })) {
            break;
          }
          --introduced;
        }
        p.layer_index = static_cast<int>(introduced);
        p.layer_digest = layers[introduced].diff_id;
        inv.packages.push_back(std::move(p));
      }
    }
  }

  // Licenses kept elsewhere (Debian's copyright files) join their package by name.
  std::unordered_map<std::string, const inventory::LicenseFact*> by_name;
  for (const auto& fact : licenses) by_name[fact.ecosystem + "\n" + fact.package] = &fact;
  for (auto& p : inv.packages) {
    if (!p.licenses.empty()) continue;
    if (auto it = by_name.find(p.ecosystem + "\n" + p.name); it != by_name.end())
      p.licenses = it->second->licenses;
  }

  for (auto& p : inv.packages) p.purl = inventory::make_purl(p, inv.os);
  std::stable_sort(inv.packages.begin(), inv.packages.end(), [](const auto& a, const auto& b) {
    return std::tie(a.ecosystem, a.name, a.version, a.found_in) <
           std::tie(b.ecosystem, b.name, b.version, b.found_in);
  });
  return inv;
}

std::vector<MergedFile> merged_files(const std::vector<LayerResult>& layers,
                                     const Visibility& vis) {
  std::vector<MergedFile> out;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const auto& f : layers[i].files) {
      if (vis.visible(i, f.path)) out.push_back({f, i});
    }
  }
  // A directory listed by several layers: keep the highest (its mode is what a container sees).
  std::stable_sort(out.begin(), out.end(), [](const MergedFile& a, const MergedFile& b) {
    return a.entry.path < b.entry.path || (a.entry.path == b.entry.path && a.layer > b.layer);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const MergedFile& a, const MergedFile& b) {
                          return a.entry.path == b.entry.path;
                        }),
            out.end());
  return out;
}

std::vector<LayerContentHit> place_content_hits(const std::vector<LayerResult>& layers,
                                                const Visibility& vis) {
  std::vector<LayerContentHit> out;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const auto& hit : layers[i].content_hits) {
      LayerContentHit placed{hit, i, vis.hidden_by(i, hit.path), false};
      if (placed.hidden_by) placed.replaced = vis.writes(*placed.hidden_by, hit.path);
      out.push_back(std::move(placed));
    }
  }
  return out;
}

}  // namespace

inventory::Inventory merge_layers(const std::vector<LayerResult>& layers) {
  return merge_inventory(layers, Visibility(layers));
}

MergedView merge_view(const std::vector<LayerResult>& layers) {
  Visibility vis(layers);
  return {merge_inventory(layers, vis), merged_files(layers, vis), place_content_hits(layers, vis)};
}

}  // namespace mtr::oci
