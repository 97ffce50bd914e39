// Builds small real images for tests: tar layers (libarchive), gzip/zstd compression, and
// the OCI layout and docker-archive forms on disk.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mtr::test {

struct TarEntry {
  enum class Kind { kFile, kDir, kSymlink, kHardlink };
  std::string name;     // as written in the tar (may be malicious)
  std::string content;  // file content, or link target
  Kind kind = Kind::kFile;
  unsigned mode = 0644;
};

std::string make_tar(const std::vector<TarEntry>& entries);
std::string gzip_bytes(const std::string& data);
std::string zstd_bytes(const std::string& data);

struct TestLayer {
  std::string tar;     // uncompressed
  std::string stored;  // as stored in the image (maybe compressed)
  std::string media_type;
};
TestLayer plain_layer(const std::vector<TarEntry>& entries);
TestLayer gzip_layer(const std::vector<TarEntry>& entries);
TestLayer zstd_layer(const std::vector<TarEntry>& entries);

// Writes an OCI image layout with one image tagged `tag`; returns the manifest digest.
std::string write_oci_layout(const std::filesystem::path& dir, const std::vector<TestLayer>& layers,
                             const std::string& tag = "latest");
// Writes a docker-archive (legacy layout: <n>/layer.tar, <hex>.json, manifest.json) holding one
// image per tag, all with the same layers.
void write_docker_archive(const std::filesystem::path& file, const std::vector<TestLayer>& layers,
                          const std::vector<std::string>& tags);

}  // namespace mtr::test
