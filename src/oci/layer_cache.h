// Per-layer result cache: LayerResult keyed by diff_id and the catalogers' versions, in one
// SQLite file under the XDG cache dir. A second scan of an image that shares base layers reads
// only the new layers. Any cache failure degrades to "no cache" with a warning, never an error.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "core/result.h"
#include "oci/scan.h"

namespace mtr::oci {

class LayerCache {
 public:
  // Opens (creating) the cache at `path`; empty = $MATRYOSHKA_CACHE_DIR, $XDG_CACHE_HOME/matryoshka
  // or ~/.cache/matryoshka, file layers.db.
  static core::Result<std::unique_ptr<LayerCache>> open(std::filesystem::path path);
  static std::filesystem::path default_path();
  ~LayerCache();
  LayerCache(const LayerCache&) = delete;
  LayerCache& operator=(const LayerCache&) = delete;

  std::optional<LayerResult> get(const std::string& key);
  core::Status put(const std::string& key, const LayerResult& result);

  // diff_id + what can change a layer's result.
  static std::string key(const std::string& diff_id, const std::string& catalogers_version);

 private:
  explicit LayerCache(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::mutex mu_;
};

// Serialisation of a layer result (also used by tests).
std::string encode_layer_result(const LayerResult& result);
core::Result<LayerResult> decode_layer_result(std::string_view bytes);

}  // namespace mtr::oci
