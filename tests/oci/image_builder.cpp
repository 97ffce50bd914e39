#include "oci/image_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <zstd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/hash.h"
#include "support/test_support.h"

namespace mtr::test {

std::string make_tar(const std::vector<TarEntry>& entries) {
  std::vector<char> buf(16 << 20);
  std::size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_perm(entry, e.mode);
    archive_entry_set_mtime(entry, 1700000000, 0);
    switch (e.kind) {
      case TarEntry::Kind::kFile:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
        break;
      case TarEntry::Kind::kDir:
        archive_entry_set_filetype(entry, AE_IFDIR);
        break;
      case TarEntry::Kind::kSymlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_symlink(entry, e.content.c_str());
        break;
      case TarEntry::Kind::kHardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_hardlink(entry, e.content.c_str());
        break;
    }
    archive_write_header(a, entry);
    if (e.kind == TarEntry::Kind::kFile) archive_write_data(a, e.content.data(), e.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

std::string gzip_bytes(const std::string& data) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string zstd_bytes(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

TestLayer plain_layer(const std::vector<TarEntry>& entries) {
  auto tar = make_tar(entries);
  return {tar, tar, "application/vnd.oci.image.layer.v1.tar"};
}
TestLayer gzip_layer(const std::vector<TarEntry>& entries) {
  auto tar = make_tar(entries);
  return {tar, gzip_bytes(tar), "application/vnd.oci.image.layer.v1.tar+gzip"};
}
TestLayer zstd_layer(const std::vector<TarEntry>& entries) {
  auto tar = make_tar(entries);
  return {tar, zstd_bytes(tar), "application/vnd.oci.image.layer.v1.tar+zstd"};
}

namespace {
using nlohmann::json;

json config_for(const std::vector<TestLayer>& layers) {
  json diff_ids = json::array();
  json history = json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    diff_ids.push_back(core::sha256_digest(layers[i].tar));
    history.push_back({{"created_by", "layer " + std::to_string(i)}});
  }
  return {{"architecture", "amd64"},
          {"os", "linux"},
          {"config", {{"Env", {"PATH=/usr/bin"}}}},
          {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
          {"history", history}};
}

std::string put_blob(const std::filesystem::path& dir, const std::string& bytes) {
  auto digest = core::sha256_digest(bytes);
  write_file(dir / "blobs" / "sha256" / std::string(core::digest_hex(digest)), bytes);
  return digest;
}
}  // namespace

std::string write_oci_layout(const std::filesystem::path& dir, const std::vector<TestLayer>& layers,
                             const std::string& tag) {
  auto config = config_for(layers).dump();
  auto config_digest = put_blob(dir, config);
  json layer_list = json::array();
  for (const auto& l : layers) {
    layer_list.push_back({{"mediaType", l.media_type},
                          {"digest", put_blob(dir, l.stored)},
                          {"size", l.stored.size()}});
  }
  json manifest = {{"schemaVersion", 2},
                   {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                   {"config",
                    {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                     {"digest", config_digest},
                     {"size", config.size()}}},
                   {"layers", layer_list}};
  auto manifest_bytes = manifest.dump();
  auto manifest_digest = put_blob(dir, manifest_bytes);
  json index = {{"schemaVersion", 2},
                {"manifests",
                 json::array({{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                               {"digest", manifest_digest},
                               {"size", manifest_bytes.size()},
                               {"annotations", {{"org.opencontainers.image.ref.name", tag}}}}})}};
  write_file(dir / "index.json", index.dump());
  write_file(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  return manifest_digest;
}

void write_docker_archive(const std::filesystem::path& file, const std::vector<TestLayer>& layers,
                          const std::vector<std::string>& tags) {
  std::vector<TarEntry> entries;
  auto config = config_for(layers).dump();
  auto config_name = std::string(core::digest_hex(core::sha256_digest(config))) + ".json";
  json layer_names = json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    auto name = "layer" + std::to_string(i) + "/layer.tar";
    entries.push_back({name, layers[i].stored});
    layer_names.push_back(name);
  }
  entries.push_back({config_name, config});
  json manifest = json::array();
  for (const auto& t : tags)
    manifest.push_back({{"Config", config_name}, {"RepoTags", {t}}, {"Layers", layer_names}});
  entries.push_back({"manifest.json", manifest.dump()});
  write_file(file, make_tar(entries));
}

}  // namespace mtr::test
