// Whole scans of layouts and archives built on disk: whiteouts, attribution, cache, sources.
#include <gtest/gtest.h>

#include "core/hash.h"
#include "oci/detail/path.h"
#include "oci/docker_archive.h"
#include "oci/fake_cataloger.h"
#include "oci/image_builder.h"
#include "oci/layer_cache.h"
#include "oci/manifest.h"
#include "oci/scan.h"
#include "oci/sources.h"
#include "support/test_support.h"

namespace mtr::oci {
namespace {

using test::TarEntry;

std::vector<std::string> names(const inventory::Inventory& inv) {
  std::vector<std::string> out;
  for (const auto& p : inv.packages)
    out.push_back(p.name + "@" + p.version + "#" + std::to_string(p.layer_index));
  return out;
}

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override { test::add_fake_catalogers(catalogers_); }
  core::Result<ImageScan> scan(ImageSource& source, bool cache = false) {
    ScanOptions options;
    options.use_cache = cache;
    options.cache_path = dir_.path() / "cache.db";
    return scan_image(source, catalogers_, options);
  }
  std::vector<test::TestLayer> layered_image() {
    return {
        test::gzip_layer({{"pkgs/db", "base 1\nlibc 2\n"},
                          {"pkgs/gone.txt", "gone 1\n"},
                          {"var/cache/old.txt", "x"},
                          {"opt/app/pkgs/skip", ""},
                          {"dir/pkgs/nested.txt", ""}}),
        test::zstd_layer({{"pkgs/db", "base 1\nlibc 2\ncurl 7\n"},
                          {"pkgs/.wh.gone.txt", ""},
                          {"pkgs/new.txt", "new 3\n"}}),
        test::plain_layer(
            {{"pkgs/db", "base 1\nlibc 3\ncurl 7\n"}, {"var/cache/.wh..wh..opq", ""}}),
    };
  }
  test::TempDir dir_;
  inventory::CatalogerRegistry catalogers_;
};

TEST_F(ScanTest, OciLayoutMergesLikeAContainer) {
  test::write_oci_layout(dir_.path() / "oci", layered_image(), "v1");
  auto source = open_oci_layout((dir_.path() / "oci").string(), "v1", {});
  ASSERT_TRUE(source) << source.error().to_string();
  auto result = scan(**source);
  ASSERT_TRUE(result) << result.error().to_string();
  // gone.txt was whited out; base came with layer 0, curl with layer 1, libc 3 with layer 2.
  EXPECT_EQ(names(result->inventory),
            (std::vector<std::string>{"base@1#0", "curl@7#1", "libc@3#2", "new@3#1"}));
  EXPECT_EQ(result->layers.size(), 3u);
  EXPECT_EQ(result->layers[1].created_by, "layer 1");
  EXPECT_EQ(result->inventory.packages[0].layer_digest, result->layers[0].diff_id);
}

TEST_F(ScanTest, DockerArchivePicksTheTag) {
  auto file = dir_.path() / "img.tar";
  test::write_docker_archive(file, layered_image(), {"app:1", "app:2"});
  auto ambiguous = open_docker_archive(file.string(), "", {});
  ASSERT_FALSE(ambiguous);
  EXPECT_NE(ambiguous.error().message.find("app:1"), std::string::npos);
  auto source = open_image("docker-archive:" + file.string() + ":app:2", {});
  ASSERT_TRUE(source) << source.error().to_string();
  EXPECT_EQ((*source)->meta().name, "app:2");
  auto result = scan(**source);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(names(result->inventory).size(), 4u);
  auto missing = open_image("docker-archive:" + file.string() + ":app:3", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

TEST_F(ScanTest, BarePathsAreDetected) {
  test::write_oci_layout(dir_.path() / "oci", layered_image());
  auto file = dir_.path() / "img.tar";
  test::write_docker_archive(file, layered_image(), {"app:1"});
  for (const auto& ref : {(dir_.path() / "oci").string(), file.string()}) {
    auto source = open_image(ref, {});
    ASSERT_TRUE(source) << ref << ": " << source.error().to_string();
    auto result = scan(**source);
    ASSERT_TRUE(result) << result.error().to_string();
    EXPECT_EQ(result->inventory.packages.size(), 4u) << ref;
  }
}

TEST_F(ScanTest, CorruptedBlobIsCaughtByDigest) {
  auto layers = layered_image();
  auto layout = dir_.path() / "oci";
  test::write_oci_layout(layout, layers);
  // Flip a byte of the zstd layer blob (stays valid zstd framing often enough to reach the digest
  // check).
  auto blob = layout / "blobs" / "sha256" /
              std::string(core::digest_hex(core::sha256_digest(layers[1].stored)));
  auto bytes = test::read_file(blob);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  test::write_file(blob, bytes);
  auto source = open_oci_layout(layout.string(), "", {});
  ASSERT_TRUE(source);
  auto result = scan(**source);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("layer 1"), std::string::npos) << result.error().message;
}

TEST_F(ScanTest, SecondScanComesFromTheCache) {
  test::write_oci_layout(dir_.path() / "oci", layered_image());
  auto source = open_oci_layout((dir_.path() / "oci").string(), "", {});
  ASSERT_TRUE(source);
  auto first = scan(**source, true);
  ASSERT_TRUE(first) << first.error().to_string();
  for (const auto& l : first->layers) EXPECT_FALSE(l.from_cache);
  auto second = scan(**source, true);
  ASSERT_TRUE(second) << second.error().to_string();
  for (const auto& l : second->layers) EXPECT_TRUE(l.from_cache);
  EXPECT_EQ(names(first->inventory), names(second->inventory));
}

TEST_F(ScanTest, CacheEncodingRoundTrips) {
  LayerResult r;
  r.diff_id = "sha256:00";
  r.files.push_back({"/a", FileType::kSymlink, 0777, 0, 1, 2, "/b"});
  r.whiteouts = {"/x"};
  r.opaque_dirs = {"/y"};
  inventory::Package p;
  p.name = "n";
  p.version = "1:2~3";
  p.licenses = {"MIT"};
  r.hits.push_back({"/pkgs/db", "lines-db", {p}, {{"deb", "n", {"GPL-2"}}}});
  r.kept_files["/etc/os-release"] = "ID=debian\n";
  auto back = decode_layer_result(encode_layer_result(r));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->files[0].link, "/b");
  EXPECT_EQ(back->hits[0].packages[0].version, "1:2~3");
  EXPECT_EQ(back->hits[0].licenses[0].licenses, std::vector<std::string>{"GPL-2"});
  EXPECT_EQ(back->kept_files.at("/etc/os-release"), "ID=debian\n");
  EXPECT_FALSE(decode_layer_result("garbage"));
}

TEST_F(ScanTest, RootDirectoryIsReadInPlace) {
  auto root = dir_.path() / "root";
  test::write_file(root / "pkgs" / "db", "one 1\ntwo 2\n");
  std::filesystem::create_directories(root / "pkgs" / "sub");
  // A symlink pointing outside the root must not be followed.
  test::write_file(dir_.path() / "outside.txt", "secret 9\n");
  std::filesystem::create_symlink(dir_.path() / "outside.txt", root / "pkgs" / "evil.txt");
  auto source = open_image("dir:" + root.string(), {});
  ASSERT_TRUE(source) << source.error().to_string();
  auto result = scan(**source);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(names(result->inventory), (std::vector<std::string>{"one@1#0", "two@2#0"}));
}

TEST_F(ScanTest, UnknownReferencesExplainThemselves) {
  auto r = open_image("/no/such/path", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
  auto bad = open_image("oci:/no/such/dir", {});
  ASSERT_FALSE(bad);
}

}  // namespace
}  // namespace mtr::oci

namespace mtr::oci {
namespace {
TEST(ManifestTest, NonStringFieldsNeverThrow) {
  auto doc = nlohmann::json::parse(R"({"os": 7, "architecture": ["x"], "variant": null,
    "history": [{"created_by": 5, "empty_layer": "yes"}],
    "manifests": [{"digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                   "platform": {"os": 1, "architecture": {}}}]})");
  auto p = config_platform(doc);
  EXPECT_EQ(p.os, "linux");
  EXPECT_EQ(p.architecture, "");
  auto index = parse_index(doc, "test");
  ASSERT_TRUE(index) << index.error().to_string();
  EXPECT_EQ(index->at(0).platform->os, "");
}
}  // namespace
}  // namespace mtr::oci

namespace mtr::oci {
namespace {
TEST(MergeTest, OsFilesAreFoundThroughSymlinksInsideTheRoot) {
  LayerResult base;
  base.diff_id = "sha256:base";
  base.files.push_back({"/usr/lib/os-release", FileType::kRegular, 0644, 30, 0, 0, ""});
  base.kept_files["/usr/lib/os-release"] = "ID=debian\nVERSION_ID=\"12\"\n";
  // Debian's relative link, and a cycle that must end.
  base.files.push_back(
      {"/etc/os-release", FileType::kSymlink, 0777, 0, 0, 0, "../usr/lib/os-release"});
  base.files.push_back(
      {"/etc/lsb-release", FileType::kSymlink, 0777, 0, 0, 0, "/etc/system-release"});
  base.files.push_back({"/etc/system-release", FileType::kSymlink, 0777, 0, 0, 0, "lsb-release"});
  auto inv = merge_layers({base});
  EXPECT_EQ(inv.os.id, "debian");
  EXPECT_EQ(inv.os.version_id, "12");
  EXPECT_EQ(inv.os.source_file, "/etc/os-release");  // read through the link, as a container would

  // Absolute targets and ".." stay inside the image root.
  EXPECT_EQ(detail::resolve_link_target("/etc/os-release", "../../../../usr/lib/os-release"),
            "/usr/lib/os-release");
  EXPECT_EQ(detail::resolve_link_target("/a/b", "/c/./d/"), "/c/d");
  EXPECT_EQ(detail::normalize_path("../x"), std::nullopt);
  EXPECT_EQ(*detail::normalize_path("./a//b/../c/"), "/a/c");
}
}  // namespace
}  // namespace mtr::oci
