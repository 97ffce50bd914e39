// open_image: turns what the user typed into an image source.
#include <fmt/format.h>

#include <filesystem>

#include "oci/docker_archive.h"
#include "oci/image.h"
#include "oci/remote.h"
#include "oci/sources.h"

namespace mtr::oci {
namespace {

using core::ErrorCode;
namespace fs = std::filesystem;

class RootfsSource final : public ImageSource {
 public:
  explicit RootfsSource(fs::path root) : root_(std::move(root)) {
    meta_.source = "dir:" + root_.string();
    meta_.name = root_.string();
    meta_.config = nlohmann::json::object();
    meta_.platform = Platform::host();
  }
  const ImageMeta& meta() const override { return meta_; }
  core::Result<std::unique_ptr<BlobStream>> open_layer(const LayerRef&) override {
    return core::fail(ErrorCode::kInternal, "a root directory has no layers");
  }
  const fs::path* rootfs() const override { return &root_; }

 private:
  fs::path root_;
  ImageMeta meta_;
};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "PATH:TAG" where PATH may itself hold colons: the longest existing prefix is the path.
std::pair<std::string, std::string> split_path_tag(std::string_view spec) {
  std::error_code ec;
  if (fs::exists(fs::path(spec), ec)) return {std::string(spec), ""};
  auto colon = spec.rfind(':');
  if (colon == std::string_view::npos) return {std::string(spec), ""};
  // A tag may contain ':' too (repo:tag); try each split from the left.
  for (std::size_t at = spec.find(':'); at != std::string_view::npos; at = spec.find(':', at + 1)) {
    if (fs::exists(fs::path(spec.substr(0, at)), ec))
      return {std::string(spec.substr(0, at)), std::string(spec.substr(at + 1))};
  }
  return {std::string(spec.substr(0, colon)), std::string(spec.substr(colon + 1))};
}

}  // namespace

core::Result<std::unique_ptr<ImageSource>> open_rootfs(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return core::fail(ErrorCode::kNotFound, fmt::format("dir:{}: no such directory", dir));
  }
  return std::unique_ptr<ImageSource>(std::make_unique<RootfsSource>(fs::absolute(dir)));
}

core::Result<std::unique_ptr<ImageSource>> open_image(std::string_view reference,
                                                      const OpenOptions& options) {
  if (reference.empty()) return core::fail(ErrorCode::kUsage, "empty image reference");
  if (starts_with(reference, "docker-archive:")) {
    auto [path, tag] = split_path_tag(reference.substr(15));
    return open_docker_archive(path, tag, options);
  }
  if (starts_with(reference, "oci:")) {
    auto [dir, tag] = split_path_tag(reference.substr(4));
    return open_oci_layout(dir, tag, options);
  }
  if (starts_with(reference, "dir:")) return open_rootfs(std::string(reference.substr(4)));
  if (starts_with(reference, "docker:"))
    return open_docker_daemon_image(reference.substr(7), options);

  std::error_code ec;
  fs::path as_path(reference);
  if (fs::is_directory(as_path, ec)) {
    if (fs::is_regular_file(as_path / "index.json", ec) && fs::exists(as_path / "oci-layout", ec)) {
      return open_oci_layout(std::string(reference), "", options);
    }
    return open_rootfs(std::string(reference));
  }
  if (fs::is_regular_file(as_path, ec))
    return open_docker_archive(std::string(reference), "", options);
  if (starts_with(reference, "/") || starts_with(reference, "./") ||
      starts_with(reference, "../")) {
    return core::fail(ErrorCode::kNotFound,
                      fmt::format("'{}': no such file or directory", reference));
  }
  auto ref = RegistryRef::parse(reference);
  if (!ref) {
    return core::fail(
        ErrorCode::kUsage,
        fmt::format(
            "'{}' is neither a file, a directory nor a registry reference ({}); prefix it with "
            "docker-archive:, oci:, docker: or dir:",
            reference, ref.error().message));
  }
  return open_registry_image(*ref, options);
}

}  // namespace mtr::oci
