// Images as Matryoshka reads them: a manifest, a config and an ordered list of layer blobs,
// opened from any source (docker-archive, OCI layout, Docker daemon, registry) or a plain
// root directory. Sources own all I/O; the scan (oci/scan.h) only sees these interfaces.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace mtr::core {
class Progress;
}

namespace mtr::oci {

struct Platform {
  std::string os = "linux";
  std::string architecture;
  std::string variant;
  // "linux/amd64", "linux/arm64/v8", "amd64" (os defaults to linux).
  static core::Result<Platform> parse(std::string_view text);
  // The platform this binary runs on (linux/amd64 on x86-64).
  static Platform host();
  std::string to_string() const;
  // Whether an image built for `other` runs here: os and architecture equal, and the variant
  // equal when both name one (arm64 "v8" is the default variant).
  bool matches(const Platform& other) const;
};

struct Descriptor {
  std::string media_type;
  std::string digest;
  std::int64_t size = -1;
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;
};

struct LayerRef {
  Descriptor blob;      // compressed (or not) layer blob as stored
  std::string diff_id;  // sha256 of the uncompressed tar, from the config
  int index = 0;        // 0 = base layer
};

struct ImageMeta {
  std::string source;           // how the user named it: "docker-archive:/tmp/x.tar"
  std::string name;             // repository:tag (or digest) when known
  std::string manifest_digest;  // empty for dir:
  std::string config_digest;    // the image id
  nlohmann::json config;        // parsed image config (empty object for dir:)
  std::vector<LayerRef> layers;
  Platform platform;
  std::vector<std::string> repo_tags;
};

// A stream of a blob's stored bytes. next() returns the next chunk, an empty span at the end.
class BlobStream {
 public:
  virtual ~BlobStream() = default;
  virtual core::Result<std::span<const unsigned char>> next() = 0;
};

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  virtual const ImageMeta& meta() const = 0;
  // Opens a layer's stored bytes. Safe to call from several threads at once.
  virtual core::Result<std::unique_ptr<BlobStream>> open_layer(const LayerRef& layer) = 0;
  // For dir: sources only: the root directory to walk instead of layers.
  virtual const std::filesystem::path* rootfs() const { return nullptr; }
};

struct OpenOptions {
  std::optional<Platform> platform;  // --platform; default: the host's
  bool insecure = false;             // allow plain HTTP / bad TLS for non-localhost registries
  std::string docker_config;         // path of config.json holding registry credentials
  std::string docker_host = "unix:///var/run/docker.sock";
  std::string username, password;      // explicit registry credentials (override config.json)
  core::Progress* progress = nullptr;  // may be null
  std::uint64_t max_manifest_bytes = 4ull << 20;
};

// Opens IMAGE as DESIGN.md describes: docker-archive:PATH, oci:DIR[:TAG], docker:REF,
// dir:PATH, a registry reference host[:port]/repo[:tag][@sha256:…], or a bare path
// (a directory: OCI layout when it has index.json, else a root filesystem; a file: a
// docker-archive).
core::Result<std::unique_ptr<ImageSource>> open_image(std::string_view reference,
                                                      const OpenOptions& options);

}  // namespace mtr::oci
