// oci:DIR[:TAG] — an OCI image layout: oci-layout, index.json, blobs/sha256/….
#include <fmt/format.h>

#include <filesystem>

#include "core/hash.h"
#include "oci/detail/file_stream.h"
#include "oci/manifest.h"
#include "oci/sources.h"

namespace mtr::oci {
namespace {

using core::ErrorCode;
constexpr int kMaxIndexDepth = 4;
constexpr std::string_view kRefName = "org.opencontainers.image.ref.name";

class OciLayoutSource final : public ImageSource {
 public:
  OciLayoutSource(std::string dir, ImageMeta meta) : dir_(std::move(dir)), meta_(std::move(meta)) {}
  const ImageMeta& meta() const override { return meta_; }
  core::Result<std::unique_ptr<BlobStream>> open_layer(const LayerRef& layer) override {
    return detail::open_file_stream(blob_path(dir_, layer.blob.digest));
  }
  static std::string blob_path(const std::string& dir, const std::string& digest) {
    return fmt::format("{}/blobs/sha256/{}", dir, core::digest_hex(digest));
  }

 private:
  std::string dir_;
  ImageMeta meta_;
};

// Reads a small blob and checks it against its descriptor.
core::Result<std::string> read_blob(const std::string& dir, const Descriptor& d,
                                    const OpenOptions& options) {
  auto bytes = MTR_TRY(detail::read_small_file(OciLayoutSource::blob_path(dir, d.digest),
                                               options.max_manifest_bytes));
  auto actual = core::sha256_digest(bytes);
  if (actual != d.digest) {
    return core::fail(ErrorCode::kDigestMismatch,
                      fmt::format("{}: blob {} has digest {}", dir, d.digest, actual));
  }
  return bytes;
}

}  // namespace

core::Result<std::unique_ptr<ImageSource>> open_oci_layout(const std::string& dir,
                                                           const std::string& tag,
                                                           const OpenOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir + "/index.json", ec)) {
    return core::fail(ErrorCode::kNotFound,
                      fmt::format("'{}' is not an OCI image layout (no index.json)", dir));
  }
  auto index_bytes =
      MTR_TRY(detail::read_small_file(dir + "/index.json", options.max_manifest_bytes));
  auto index_doc = MTR_TRY(parse_json_document(index_bytes, dir + "/index.json"));
  auto manifests = MTR_TRY(parse_index(index_doc, dir + "/index.json"));

  // Pick by tag first (ref.name annotation), then by platform through nested indexes.
  std::vector<Descriptor> candidates;
  std::vector<std::string> tags;
  for (const auto& d : manifests) {
    auto it = d.annotations.find(std::string(kRefName));
    if (it != d.annotations.end()) tags.push_back(it->second);
    if (tag.empty() || (it != d.annotations.end() && it->second == tag)) candidates.push_back(d);
  }
  if (candidates.empty()) {
    return core::fail(
        ErrorCode::kNotFound,
        fmt::format("{}: no image tagged '{}' (tags: {})", dir, tag,
                    tags.empty() ? "none" : fmt::format("{}", fmt::join(tags, ", "))));
  }
  Descriptor chosen;
  if (candidates.size() == 1) {
    chosen = candidates.front();
  } else {
    auto picked = select_platform(candidates, options.platform, dir + "/index.json");
    if (!picked) {
      return core::fail(ErrorCode::kUsage,
                        fmt::format("{}: holds several images ({}); name one as oci:{}:TAG or "
                                    "pass --platform",
                                    dir, fmt::join(tags, ", "), dir));
    }
    chosen = *picked;
  }
  for (int depth = 0; is_index_media_type(chosen.media_type); ++depth) {
    if (depth == kMaxIndexDepth) {
      return core::fail(ErrorCode::kLimitExceeded,
                        fmt::format("{}: indexes nested more than {} deep", dir, kMaxIndexDepth));
    }
    auto bytes = MTR_TRY(read_blob(dir, chosen, options));
    auto doc = MTR_TRY(parse_json_document(bytes, fmt::format("index {}", chosen.digest)));
    auto inner = MTR_TRY(parse_index(doc, fmt::format("index {}", chosen.digest)));
    chosen = MTR_TRY(
        select_platform(inner, options.platform, fmt::format("{} index {}", dir, chosen.digest)));
  }
  auto manifest_bytes = MTR_TRY(read_blob(dir, chosen, options));
  auto what = fmt::format("manifest {}", chosen.digest);
  auto manifest = MTR_TRY(parse_manifest(MTR_TRY(parse_json_document(manifest_bytes, what)), what));
  auto config_bytes = MTR_TRY(read_blob(dir, manifest.config, options));
  ImageMeta meta;
  meta.config =
      MTR_TRY(parse_json_document(config_bytes, fmt::format("config {}", manifest.config.digest)));
  meta.layers = MTR_TRY(
      pair_layers(meta.config, manifest.layers, fmt::format("config {}", manifest.config.digest)));
  meta.source = "oci:" + dir + (tag.empty() ? "" : ":" + tag);
  meta.manifest_digest = chosen.digest;
  meta.config_digest = manifest.config.digest;
  meta.platform = config_platform(meta.config);
  if (auto it = chosen.annotations.find(std::string(kRefName)); it != chosen.annotations.end()) {
    meta.name = it->second;
    meta.repo_tags.push_back(it->second);
  }
  if (meta.name.empty()) meta.name = tag.empty() ? dir : tag;
  return std::unique_ptr<ImageSource>(std::make_unique<OciLayoutSource>(dir, std::move(meta)));
}

}  // namespace mtr::oci
