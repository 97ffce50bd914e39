// The image scan: every layer read once, streaming, in parallel across cores; each file
// offered to the catalogers; whiteouts applied so the inventory equals what a container sees.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "inventory/cataloger.h"
#include "oci/image.h"

namespace mtr::oci {

// Resource bounds for untrusted layers. Every one is a named option with a sane default.
struct ScanLimits {
  std::uint64_t max_layer_bytes = 64ull << 30;  // uncompressed bytes per layer
  std::uint64_t max_compression_ratio = 1000;   // uncompressed ÷ compressed, per layer
  std::uint64_t max_files_per_layer = 5'000'000;
  std::uint64_t max_path_length = 4096;
  std::size_t read_chunk_bytes = 1 << 20;  // uncompressed bytes handed to the tar reader at once
};

// A hit of the content scanner (the secret rules) in one file of one layer. Only masked text
// and a fingerprint: the layer cache stores these, so a clear secret never reaches the disk.
struct ContentHit {
  std::string path;
  std::string rule_id;
  std::uint64_t line = 0;
  std::uint64_t column = 0;
  std::string evidence;
  std::string fingerprint;
};

// Sees the bytes of every regular file of every layer (not only the files catalogers want):
// the secret scan runs inside the one read of each layer.
class ContentScanner {
 public:
  virtual ~ContentScanner() = default;
  // Changes whenever results can change (rules, options): part of the layer-cache key.
  virtual std::string cache_key() const = 0;
  virtual std::uint64_t max_file_bytes() const = 0;  // larger files are skipped (and counted)
  virtual bool scan_binary() const = 0;              // else files that look binary are skipped
  virtual void scan(std::string_view path, std::string_view content,
                    std::vector<ContentHit>& out) const = 0;
};

struct ScanOptions {
  ScanLimits limits;
  const ContentScanner* content = nullptr;  // null: no content scan
  unsigned threads = 0;                     // 0 = one per core
  bool use_cache = true;
  std::filesystem::path cache_path;  // layer-cache SQLite file; empty = default XDG location
  core::Progress* progress = nullptr;
};

enum class FileType : std::uint8_t { kRegular, kDirectory, kSymlink, kHardlink, kOther };

// One entry of a layer (or of a root directory), whiteout markers excluded.
struct FileEntry {
  std::string path;  // normalised absolute path
  FileType type = FileType::kRegular;
  std::uint32_t mode = 0;  // permission bits incl. setuid/setgid/sticky
  std::uint64_t size = 0;
  std::uint32_t uid = 0, gid = 0;
  std::string link;  // symlink target or hard-link target path
};

// What one layer contributes, independent of every other layer: the unit of the layer cache.
struct LayerResult {
  std::string diff_id;
  std::vector<FileEntry> files;
  std::vector<std::string> whiteouts;    // paths deleted from lower layers
  std::vector<std::string> opaque_dirs;  // directories whose lower contents are hidden
  // path → packages found in that file (per cataloger run)
  struct Hit {
    std::string path;
    std::string cataloger;
    std::vector<inventory::Package> packages;
    std::vector<inventory::LicenseFact> licenses;
  };
  std::vector<Hit> hits;
  std::map<std::string, std::string, std::less<>> kept_files;  // os-release & co: path → content
  std::vector<std::string> warnings;
  std::uint64_t uncompressed_bytes = 0;
  // Content scan (when ScanOptions::content is set).
  std::vector<ContentHit> content_hits;
  struct ContentStats {
    std::uint64_t files = 0;  // regular files whose bytes were scanned
    std::uint64_t bytes = 0;  // their bytes
    std::uint64_t skipped_binary = 0;
    std::uint64_t skipped_large = 0;
  } content_stats;
};

struct LayerSummary {
  std::string diff_id;
  std::string blob_digest;
  std::string media_type;
  std::int64_t blob_size = -1;
  std::uint64_t uncompressed_bytes = 0;
  bool from_cache = false;
  std::string created_by;  // from the config history
};

// A file of the merged view (what a container sees) and the layer it comes from.
struct MergedFile {
  FileEntry entry;
  std::size_t layer = 0;
};

// A content hit placed in the image: which layer holds it, and whether the merged view still
// shows that file (a later layer may delete it, or replace it with other bytes).
struct LayerContentHit {
  ContentHit hit;
  std::size_t layer = 0;
  std::optional<std::size_t> hidden_by;  // the layer that deletes or replaces the file
  bool replaced = false;                 // hidden_by writes another file at the same path
};

struct ImageScan {
  ImageMeta meta;
  std::vector<LayerSummary> layers;
  inventory::Inventory inventory;
  std::uint64_t files_seen = 0;
  std::vector<MergedFile> files;  // the merged file system, sorted by path
  std::vector<LayerContentHit> content_hits;
  LayerResult::ContentStats content_stats;  // summed over the layers read (cached ones too)
};

// Reads one layer's stored bytes: checks the blob digest (when `layer.blob.digest` is set)
// and the diff_id, detects gzip/zstd/plain tar, and offers every file to the catalogers.
core::Result<LayerResult> read_layer(BlobStream& stream, const LayerRef& layer,
                                     const inventory::CatalogerRegistry& catalogers,
                                     const ScanLimits& limits, core::Progress* progress,
                                     const ContentScanner* content = nullptr);

// Walks a root directory (dir: sources) as if it were one layer, never leaving the root.
core::Result<LayerResult> read_rootfs(const std::filesystem::path& root,
                                      const inventory::CatalogerRegistry& catalogers,
                                      const ScanLimits& limits,
                                      const ContentScanner* content = nullptr);

// Applies whiteouts across layers and builds the inventory of what a container would see.
inventory::Inventory merge_layers(const std::vector<LayerResult>& layers);
// What scan_image keeps from the merge, from one visibility index over the layers: the
// inventory, the merged file system, and the content hits placed in the image.
struct MergedView {
  inventory::Inventory inventory;
  std::vector<MergedFile> files;
  std::vector<LayerContentHit> content_hits;
};
MergedView merge_view(const std::vector<LayerResult>& layers);

// The whole scan: cache look-ups, parallel layer reads, merge, purls.
core::Result<ImageScan> scan_image(ImageSource& source,
                                   const inventory::CatalogerRegistry& catalogers,
                                   const ScanOptions& options);

}  // namespace mtr::oci
