// read_layer: one pass over a layer blob — decompress, verify both digests, walk the tar with
// libarchive, record the file index and whiteouts, and hand wanted files to the catalogers.
#include <archive.h>
#include <archive_entry.h>

#include <fmt/format.h>
#include "oci/detail/archive_ptr.h"

#include <array>
#include <unordered_map>

#include "oci/detail/capture.h"
#include "oci/detail/decompress.h"
#include "oci/detail/path.h"
#include "oci/scan.h"

namespace mtr::oci {
namespace {

using core::ErrorCode;

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

// Bridges libarchive's pull callback to the decoder; remembers the first error.
struct ReadContext {
  detail::LayerDecoder* decoder;
  const ScanLimits* limits;
  std::optional<core::Error> error;
};

// Decompression bombs: bounds the uncompressed size and its ratio to the stored size.
core::Result<std::span<const unsigned char>> next_bounded(detail::LayerDecoder& decoder,
                                                          const ScanLimits& limits) {
  auto chunk = MTR_TRY(decoder.next());
  auto produced = decoder.uncompressed_bytes();
  auto stored = std::max<std::uint64_t>(decoder.stored_bytes(), 1);
  if (produced > limits.max_layer_bytes ||
      (produced > (64ull << 20) && produced / stored > limits.max_compression_ratio)) {
    return core::fail(
        ErrorCode::kLimitExceeded,
        fmt::format(
            "layer expands to more than {} bytes or {}x its stored size (decompression bomb?)",
            std::min(produced, limits.max_layer_bytes), limits.max_compression_ratio));
  }
  return chunk;
}

la_ssize_t read_callback(archive* a, void* client, const void** buffer) {
  auto* ctx = static_cast<ReadContext*>(client);
  auto chunk = next_bounded(*ctx->decoder, *ctx->limits);
  if (!chunk) {
    ctx->error = std::move(chunk).error();
    archive_set_error(a, EIO, "%s", ctx->error->message.c_str());
    return -1;
  }
  *buffer = chunk->data();
  return static_cast<la_ssize_t>(chunk->size());
}

FileType entry_type(archive_entry* entry) {
  if (archive_entry_hardlink(entry) != nullptr) return FileType::kHardlink;
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
      return FileType::kRegular;
    case AE_IFDIR:
      return FileType::kDirectory;
    case AE_IFLNK:
      return FileType::kSymlink;
    default:
      return FileType::kOther;
  }
}

}  // namespace

core::Result<LayerResult> read_layer(BlobStream& stream, const LayerRef& layer,
                                     const inventory::CatalogerRegistry& catalogers,
                                     const ScanLimits& limits, core::Progress* progress,
                                     const ContentScanner* content_scanner) {
  const std::string where = fmt::format("layer {} ({})", layer.index,
                                        layer.diff_id.empty() ? layer.blob.digest : layer.diff_id);
  auto with_where = [&](core::Error e) {
    return core::unexpected(std::move(e.with_context(where)));
  };

  detail::LayerDecoder decoder(stream, progress, limits.read_chunk_bytes);
  ReadContext ctx{&decoder, &limits, std::nullopt};
  detail::ArchiveReader ar(archive_read_new());
  archive_read_support_format_tar(ar.get());
  archive_read_support_format_empty(ar.get());
  if (archive_read_open(ar.get(), &ctx, nullptr, read_callback, nullptr) != ARCHIVE_OK) {
    if (ctx.error) return with_where(*ctx.error);
    return with_where(
        core::make_error(ErrorCode::kInvalidInput,
                         fmt::format("not a tar archive: {}", archive_error_string(ar.get()))));
  }

  LayerResult result;
  result.diff_id = layer.diff_id;
  detail::Capture capture(catalogers, result, content_scanner);
  std::unordered_map<std::string, std::size_t>
      regular_index;  // path → files[] index, for hard links
  archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(ar.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      if (ctx.error) return with_where(*ctx.error);
      return with_where(
          core::make_error(ErrorCode::kInvalidInput,
                           fmt::format("malformed tar after {} entries: {}", result.files.size(),
                                       archive_error_string(ar.get()))));
    }
    if (result.files.size() >= limits.max_files_per_layer) {
      return with_where(
          core::make_error(ErrorCode::kLimitExceeded,
                           fmt::format("more than {} entries", limits.max_files_per_layer)));
    }
    const char* raw_name = archive_entry_pathname(entry);
    if (raw_name == nullptr) raw_name = archive_entry_pathname_utf8(entry);
    if (raw_name == nullptr) {
      result.warnings.push_back(
          fmt::format("{}: skipped an entry whose name cannot be decoded", where));
      continue;
    }
    std::string_view name(raw_name);
    if (name.size() > limits.max_path_length) {
      result.warnings.push_back(
          fmt::format("{}: skipped an entry with a {}-byte name", where, name.size()));
      continue;
    }
    auto path = detail::normalize_path(name);
    if (!path) {
      result.warnings.push_back(
          fmt::format("{}: skipped entry '{}' that climbs out of the root", where, name));
      continue;
    }
    if (*path == "/") continue;
    auto base = detail::base_name(*path);
    if (base.substr(0, kWhiteoutPrefix.size()) == kWhiteoutPrefix) {
      auto dir = std::string(detail::parent_path(*path));
      if (base == kOpaqueMarker) {
        result.opaque_dirs.push_back(dir);
      } else if (base.substr(0, 8) != ".wh..wh.") {  // other .wh..wh. names are AUFS metadata
        result.whiteouts.push_back((dir == "/" ? "" : dir) + "/" +
                                   std::string(base.substr(kWhiteoutPrefix.size())));
      }
      continue;
    }

    FileEntry file;
    file.path = std::move(*path);
    file.type = entry_type(entry);
    file.mode = static_cast<std::uint32_t>(archive_entry_perm(entry)) & 07777u;
    file.size = archive_entry_size_is_set(entry)
                    ? static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(entry)))
                    : 0;
    file.uid = static_cast<std::uint32_t>(archive_entry_uid(entry));
    file.gid = static_cast<std::uint32_t>(archive_entry_gid(entry));
    if (file.type == FileType::kSymlink) {
      const char* target = archive_entry_symlink(entry);
      file.link = target != nullptr ? target : "";
    } else if (file.type == FileType::kHardlink) {
      auto target = detail::normalize_path(archive_entry_hardlink(entry));
      file.link = target ? *target : "";
    }

    if (file.type == FileType::kRegular) {
      if (capture.wanted(file)) {
        auto content = capture.read_entry(
            file, [&](detail::ByteBuffer& into, std::uint64_t limit) -> core::Result<bool> {
              // The buffer was sized from the header; only a longer file makes it grow.
              constexpr std::size_t kStep = 1 << 20;
              constexpr std::size_t kGrowStep = 64 << 10;
              while (into.size() < limit) {
                std::size_t want = into.spare() > 0 ? std::min(kStep, into.spare()) : kGrowStep;
                want = static_cast<std::size_t>(std::min<std::uint64_t>(want, limit - into.size()));
                la_ssize_t n = archive_read_data(ar.get(), into.room(want), want);
                if (n < 0) {
                  if (ctx.error) return core::unexpected(*ctx.error);
                  return core::fail(
                      ErrorCode::kInvalidInput,
                      fmt::format("{}: {}", file.path, archive_error_string(ar.get())));
                }
                if (n == 0) return true;
                into.commit(static_cast<std::size_t>(n));
              }
              return false;
            });
        if (!content) return with_where(std::move(content).error());
      }
      regular_index.emplace(file.path, result.files.size());
    } else if (file.type == FileType::kHardlink && !file.link.empty()) {
      // A hard link shares its target's bytes: let the catalogers see them under this name too.
      if (auto it = regular_index.find(file.link); it != regular_index.end()) {
        FileEntry as_regular = file;
        as_regular.size = result.files[it->second].size;
        as_regular.type = FileType::kRegular;
        capture.analyze_link(as_regular, file.link);
      }
    }
    result.files.push_back(std::move(file));
  }
  // Drain what libarchive did not need (end-of-archive padding) so both digests cover every byte.
  while (true) {
    auto chunk = next_bounded(decoder, limits);
    if (!chunk) return with_where(std::move(chunk).error());
    if (chunk->empty()) break;
  }
  if (ctx.error) return with_where(*ctx.error);

  result.uncompressed_bytes = decoder.uncompressed_bytes();
  auto stored = decoder.stored_digest();
  auto uncompressed = decoder.uncompressed_digest();
  if (!layer.blob.digest.empty() && stored != layer.blob.digest) {
    return with_where(
        core::make_error(ErrorCode::kDigestMismatch,
                         fmt::format("blob digest mismatch: manifest says {}, content is {}",
                                     layer.blob.digest, stored)));
  }
  if (!layer.diff_id.empty() && uncompressed != layer.diff_id) {
    return with_where(
        core::make_error(ErrorCode::kDigestMismatch,
                         fmt::format("diff_id mismatch: config says {}, uncompressed content is {}",
                                     layer.diff_id, uncompressed)));
  }
  if (result.diff_id.empty()) result.diff_id = uncompressed;
  return result;
}

}  // namespace mtr::oci
