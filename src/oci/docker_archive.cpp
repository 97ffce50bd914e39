#include "oci/docker_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include "oci/detail/archive_ptr.h"

#include <map>

#include "core/hash.h"
#include "oci/detail/file_stream.h"
#include "oci/detail/path.h"
#include "oci/manifest.h"

namespace mtr::oci {
namespace {

using core::ErrorCode;
using nlohmann::json;

class DockerArchiveSource final : public ImageSource {
 public:
  DockerArchiveSource(std::string path, int owned_fd, ImageMeta meta,
                      std::vector<std::string> members)
      : path_(std::move(path)),
        owned_fd_(owned_fd),
        meta_(std::move(meta)),
        members_(std::move(members)) {}
  ~DockerArchiveSource() override {
    if (owned_fd_ >= 0) close(owned_fd_);
  }
  const ImageMeta& meta() const override { return meta_; }
  core::Result<std::unique_ptr<BlobStream>> open_layer(const LayerRef& layer) override {
    return detail::open_tar_member_stream(path_,
                                          members_.at(static_cast<std::size_t>(layer.index)));
  }

 private:
  std::string path_;
  int owned_fd_;
  ImageMeta meta_;
  std::vector<std::string> members_;
};

// Reads the named small members of the archive in one header-skipping pass; `sizes`, when
// given, receives the size of every member (layer sizes for scheduling and progress).
core::Result<std::map<std::string, std::string>> read_members(
    const std::string& path, const std::vector<std::string>& names, std::uint64_t max,
    std::map<std::string, std::int64_t>* sizes = nullptr) {
  detail::ArchiveReader ar(archive_read_new());
  archive_read_support_format_tar(ar.get());
  if (archive_read_open_filename(ar.get(), path.c_str(), 1 << 20) != ARCHIVE_OK) {
    return core::fail(ErrorCode::kNotFound,
                      fmt::format("cannot open '{}': {}", path, archive_error_string(ar.get())));
  }
  std::map<std::string, std::string> found;
  archive_entry* entry = nullptr;
  while (sizes != nullptr || found.size() < names.size()) {
    int rc = archive_read_next_header(ar.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      return core::fail(
          ErrorCode::kInvalidInput,
          fmt::format("{}: not a readable tar archive: {}", path, archive_error_string(ar.get())));
    }
    const char* raw = archive_entry_pathname(entry);
    auto name = raw != nullptr ? detail::normalize_path(raw) : std::nullopt;
    if (!name) continue;
    if (sizes != nullptr) (*sizes)[*name] = archive_entry_size(entry);
    for (const auto& wanted : names) {
      if (*name != wanted || found.count(wanted) != 0) continue;
      if (archive_entry_size(entry) < 0 ||
          static_cast<std::uint64_t>(archive_entry_size(entry)) > max) {
        return core::fail(
            ErrorCode::kLimitExceeded,
            fmt::format("{}: member '{}' is larger than {} bytes", path, wanted, max));
      }
      std::string data(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
      auto n = archive_read_data(ar.get(), data.data(), data.size());
      if (n < 0 || static_cast<std::size_t>(n) != data.size()) {
        return core::fail(ErrorCode::kInvalidInput,
                          fmt::format("{}: member '{}' is truncated", path, wanted));
      }
      found[wanted] = std::move(data);
    }
  }
  return found;
}

// "debian:12" matches "debian:12", "docker.io/library/debian:12" and "library/debian:12".
bool tag_matches(std::string_view repo_tag, std::string_view wanted) {
  if (repo_tag == wanted) return true;
  for (std::string_view prefix : {"docker.io/library/", "docker.io/", "library/"}) {
    if (repo_tag.substr(0, prefix.size()) == prefix && repo_tag.substr(prefix.size()) == wanted)
      return true;
    if (wanted.substr(0, prefix.size()) == prefix && wanted.substr(prefix.size()) == repo_tag)
      return true;
  }
  if (wanted.find(':') == std::string_view::npos) {
    return tag_matches(repo_tag, std::string(wanted) + ":latest");
  }
  return false;
}

core::Result<std::unique_ptr<ImageSource>> open_archive(const std::string& path,
                                                        std::string display, int owned_fd,
                                                        const std::string& tag,
                                                        const OpenOptions& options) {
  std::map<std::string, std::int64_t> sizes;
  auto members =
      MTR_TRY(read_members(path, {"/manifest.json"}, options.max_manifest_bytes, &sizes));
  if (members.empty()) {
    return core::fail(
        ErrorCode::kInvalidInput,
        fmt::format("{}: no manifest.json: not a docker-archive (output of `docker save`)",
                    display));
  }
  auto doc = json::parse(members.begin()->second, nullptr, false);
  if (doc.is_discarded() || !doc.is_array() || doc.empty()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: manifest.json is not a non-empty JSON array", display));
  }
  const json* chosen = nullptr;
  std::vector<std::string> all_tags;
  for (const auto& image : doc) {
    if (!image.is_object()) continue;
    std::vector<std::string> tags;
    if (auto it = image.find("RepoTags"); it != image.end() && it->is_array()) {
      for (const auto& t : *it) {
        if (t.is_string()) tags.push_back(t.get<std::string>());
      }
    }
    all_tags.insert(all_tags.end(), tags.begin(), tags.end());
    if (!tag.empty() &&
        std::any_of(tags.begin(), tags.end(), [&](const auto& t) { return tag_matches(t, tag); })) {
      chosen = &image;
    }
  }
  if (tag.empty()) {
    if (doc.size() > 1) {
      return core::fail(ErrorCode::kUsage,
                        fmt::format("{} holds {} images ({}): pick one with docker-archive:{}:TAG",
                                    display, doc.size(), fmt::join(all_tags, ", "), display));
    }
    chosen = &doc[0];
  } else if (chosen == nullptr) {
    return core::fail(
        ErrorCode::kNotFound,
        fmt::format("{}: no image tagged '{}' (tags: {})", display, tag,
                    all_tags.empty() ? "none" : fmt::format("{}", fmt::join(all_tags, ", "))));
  }
  if (!chosen->is_object() || !chosen->contains("Config") || !(*chosen)["Config"].is_string() ||
      !chosen->contains("Layers") || !(*chosen)["Layers"].is_array()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: manifest.json entry lacks Config or Layers", display));
  }
  auto config_name = detail::normalize_path((*chosen)["Config"].get<std::string>());
  if (!config_name)
    return core::fail(ErrorCode::kInvalidInput, fmt::format("{}: bad Config path", display));
  auto config_member = MTR_TRY(read_members(path, {*config_name}, options.max_manifest_bytes));
  if (config_member.empty()) {
    return core::fail(ErrorCode::kInvalidInput,
                      fmt::format("{}: config '{}' is missing", display, *config_name));
  }
  const auto& config_bytes = config_member.begin()->second;
  ImageMeta meta;
  meta.source = "docker-archive:" + display + (tag.empty() ? "" : ":" + tag);
  meta.config_digest = core::sha256_digest(config_bytes);
  meta.config = MTR_TRY(parse_json_document(config_bytes, fmt::format("{}: config", display)));
  // Config names are "<hex>.json" (legacy) or "blobs/sha256/<hex>": either way the hex is the
  // digest.
  std::string expected_hex(detail::base_name(*config_name));
  if (expected_hex.size() > 5 && expected_hex.substr(expected_hex.size() - 5) == ".json")
    expected_hex.resize(expected_hex.size() - 5);
  if (expected_hex.size() == 64 && core::digest_hex(meta.config_digest) != expected_hex) {
    return core::fail(
        ErrorCode::kDigestMismatch,
        fmt::format("{}: config {} has digest {}", display, *config_name, meta.config_digest));
  }

  std::vector<Descriptor> layers;
  std::vector<std::string> member_names;
  for (const auto& l : (*chosen)["Layers"]) {
    if (!l.is_string())
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("{}: Layers entry is not a string", display));
    auto member = detail::normalize_path(l.get<std::string>());
    if (!member)
      return core::fail(ErrorCode::kInvalidInput, fmt::format("{}: bad layer path", display));
    Descriptor d;
    // Docker 25+ stores layers as blobs/sha256/<hex>: their name is their digest, so check it.
    if (member->rfind("/blobs/sha256/", 0) == 0) {
      std::string digest = "sha256:" + std::string(detail::base_name(*member));
      if (core::validate_digest(digest)) d.digest = digest;
    }
    if (auto it = sizes.find(*member); it != sizes.end()) d.size = it->second;
    member_names.push_back(*member);
    layers.push_back(std::move(d));
  }
  meta.layers = MTR_TRY(pair_layers(meta.config, layers, fmt::format("{}: config", display)));
  meta.platform = config_platform(meta.config);
  if (auto it = chosen->find("RepoTags"); it != chosen->end() && it->is_array()) {
    for (const auto& t : *it) {
      if (t.is_string()) meta.repo_tags.push_back(t.get<std::string>());
    }
  }
  meta.name = !tag.empty() ? tag : (!meta.repo_tags.empty() ? meta.repo_tags.front() : display);
  return std::unique_ptr<ImageSource>(std::make_unique<DockerArchiveSource>(
      path, owned_fd, std::move(meta), std::move(member_names)));
}

}  // namespace

core::Result<std::unique_ptr<ImageSource>> open_docker_archive(const std::string& path,
                                                               const std::string& tag,
                                                               const OpenOptions& options) {
  return open_archive(path, path, -1, tag, options);
}

core::Result<std::unique_ptr<ImageSource>> open_docker_archive_fd(int fd, std::string source_name,
                                                                  std::string tag,
                                                                  const OpenOptions& options) {
  // Each layer reader opens its own file description through /proc, so parallel reads do not
  // share one file offset.
  auto source =
      open_archive(fmt::format("/proc/self/fd/{}", fd), std::move(source_name), fd, tag, options);
  if (!source) close(fd);
  return source;
}

}  // namespace mtr::oci
