// scan_image: cache look-ups, parallel layer reads, merge.
#include "oci/scan.h"

#include <fmt/format.h>

#include <atomic>
#include <thread>

#include "core/log.h"
#include "core/progress.h"
#include "oci/layer_cache.h"
#include "oci/manifest.h"

namespace mtr::oci {
namespace {

// Non-empty history entries line up with layers; empty_layer ones do not.
std::vector<std::string> layer_commands(const nlohmann::json& config) {
  std::vector<std::string> out;
  auto history = config.find("history");
  if (history == config.end() || !history->is_array()) return out;
  for (const auto& h : *history) {
    if (!h.is_object()) continue;
    if (auto e = h.find("empty_layer"); e != h.end() && e->is_boolean() && e->get<bool>()) continue;
    out.push_back(json_string_or(h, "created_by", ""));
  }
  return out;
}

}  // namespace

core::Result<ImageScan> scan_image(ImageSource& source,
                                   const inventory::CatalogerRegistry& catalogers,
                                   const ScanOptions& options) {
  ImageScan scan;
  scan.meta = source.meta();
  std::vector<LayerResult> results;

  if (const auto* root = source.rootfs()) {
    results.push_back(MTR_TRY(read_rootfs(*root, catalogers, options.limits, options.content)));
    LayerSummary summary;
    summary.media_type = "directory";
    scan.layers.push_back(summary);
  } else {
    const auto& layers = scan.meta.layers;
    results.resize(layers.size());
    std::vector<bool> done(layers.size(), false);

    std::unique_ptr<LayerCache> cache;
    if (options.use_cache) {
      auto opened = LayerCache::open(options.cache_path);
      if (opened) {
        cache = std::move(*opened);
      } else {
        MTR_LOG_WARN("layer cache disabled: {}", opened.error().to_string());
      }
    }
    std::string versions = catalogers.version_key();
    if (options.content != nullptr) versions += "|" + options.content->cache_key();
    if (cache) {
      for (std::size_t i = 0; i < layers.size(); ++i) {
        if (auto hit = cache->get(LayerCache::key(layers[i].diff_id, versions))) {
          results[i] = std::move(*hit);
          done[i] = true;
        }
      }
    }

    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      if (!done[i]) todo.push_back(i);
    }
    if (options.progress != nullptr) {
      for (auto i : todo)
        options.progress->add_total(
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, layers[i].blob.size)));
      options.progress->set_label(scan.meta.name);
    }
    // Largest layers first so the last one to finish is a small one.
    std::stable_sort(todo.begin(), todo.end(),
                     [&](auto a, auto b) { return layers[a].blob.size > layers[b].blob.size; });

    unsigned threads =
        options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads =
        std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, todo.size())));
    std::atomic<std::size_t> next{0};
    std::vector<std::optional<core::Error>> errors(layers.size());
    auto worker = [&] {
      while (true) {
        auto slot = next.fetch_add(1);
        if (slot >= todo.size()) return;
        auto i = todo[slot];
        auto stream = source.open_layer(layers[i]);
        if (!stream) {
          errors[i] = std::move(stream).error().with_context(
              fmt::format("layer {} ({})", i, layers[i].diff_id));
          continue;
        }
        auto read = read_layer(**stream, layers[i], catalogers, options.limits, options.progress,
                               options.content);
        if (!read) {
          errors[i] = std::move(read).error();
          continue;
        }
        results[i] = std::move(*read);
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    for (auto& e : errors) {
      if (e) return core::unexpected(std::move(*e));
    }
    if (cache) {
      for (auto i : todo) {
        if (auto st = cache->put(LayerCache::key(layers[i].diff_id, versions), results[i]); !st) {
          MTR_LOG_WARN("{}", st.error().to_string());
          break;
        }
      }
    }
    auto commands = layer_commands(scan.meta.config);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      LayerSummary s;
      s.diff_id = layers[i].diff_id;
      s.blob_digest = layers[i].blob.digest;
      s.media_type = layers[i].blob.media_type;
      s.blob_size = layers[i].blob.size;
      s.uncompressed_bytes = results[i].uncompressed_bytes;
      s.from_cache = done[i];
      if (commands.size() == layers.size()) s.created_by = commands[i];
      scan.layers.push_back(std::move(s));
    }
  }
  for (const auto& r : results) {
    scan.files_seen += r.files.size();
    scan.content_stats.files += r.content_stats.files;
    scan.content_stats.bytes += r.content_stats.bytes;
    scan.content_stats.skipped_binary += r.content_stats.skipped_binary;
    scan.content_stats.skipped_large += r.content_stats.skipped_large;
  }
  auto merged = merge_view(results);
  scan.inventory = std::move(merged.inventory);
  scan.files = std::move(merged.files);
  scan.content_hits = std::move(merged.content_hits);
  return scan;
}

}  // namespace mtr::oci
