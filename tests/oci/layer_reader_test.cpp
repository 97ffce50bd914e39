#include <gtest/gtest.h>

#include "core/hash.h"
#include "oci/fake_cataloger.h"
#include "oci/image_builder.h"
#include "oci/scan.h"

namespace mtr::oci {
namespace {

using test::TarEntry;

class MemoryStream final : public BlobStream {
 public:
  MemoryStream(std::string data, std::size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
  core::Result<std::span<const unsigned char>> next() override {
    auto n = std::min(chunk_, data_.size() - pos_);
    std::span<const unsigned char> out(reinterpret_cast<const unsigned char*>(data_.data()) + pos_,
                                       n);
    pos_ += n;
    return out;
  }

 private:
  std::string data_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

class LayerReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { test::add_fake_catalogers(catalogers_); }

  core::Result<LayerResult> read(const test::TestLayer& layer, bool with_digests = true,
                                 std::size_t chunk = 4096) {
    MemoryStream stream(layer.stored, chunk);
    LayerRef ref;
    if (with_digests) {
      ref.blob.digest = core::sha256_digest(layer.stored);
      ref.diff_id = core::sha256_digest(layer.tar);
    }
    return read_layer(stream, ref, catalogers_, limits_, nullptr);
  }

  inventory::CatalogerRegistry catalogers_;
  ScanLimits limits_;
};

std::vector<TarEntry> sample_entries() {
  return {{"pkgs", "", TarEntry::Kind::kDir, 0755},
          {"pkgs/a.txt", "alpha 1.0\nbeta 2.0\n"},
          {"./usr/bin/tool", std::string(100000, 'x'), TarEntry::Kind::kFile, 04755},
          {"etc/link", "../usr/bin/tool", TarEntry::Kind::kSymlink}};
}

TEST_F(LayerReaderTest, ReadsEveryCompressionAndVerifiesDigests) {
  for (const auto& layer : {test::plain_layer(sample_entries()), test::gzip_layer(sample_entries()),
                            test::zstd_layer(sample_entries())}) {
    auto r = read(layer);
    ASSERT_TRUE(r) << layer.media_type << ": " << r.error().to_string();
    EXPECT_EQ(r->diff_id, core::sha256_digest(layer.tar));
    ASSERT_EQ(r->files.size(), 4u);
    EXPECT_EQ(r->files[2].path, "/usr/bin/tool");
    EXPECT_EQ(r->files[2].mode, 04755u);
    EXPECT_EQ(r->files[3].type, FileType::kSymlink);
    EXPECT_EQ(r->files[3].link, "../usr/bin/tool");
    ASSERT_EQ(r->hits.size(), 1u);
    EXPECT_EQ(r->hits[0].path, "/pkgs/a.txt");
    ASSERT_EQ(r->hits[0].packages.size(), 2u);
    EXPECT_EQ(r->hits[0].packages[1].name, "beta");
    EXPECT_EQ(r->hits[0].packages[1].found_in, "/pkgs/a.txt");
  }
}

TEST_F(LayerReaderTest, TinyChunksGiveTheSameResult) {
  auto layer = test::gzip_layer(sample_entries());
  auto r = read(layer, true, 1);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->files.size(), 4u);
}

TEST_F(LayerReaderTest, BlobDigestMismatchNamesTheLayer) {
  auto layer = test::gzip_layer(sample_entries());
  MemoryStream stream(layer.stored, 4096);
  LayerRef ref;
  ref.index = 3;
  ref.blob.digest = core::sha256_digest("something else");
  ref.diff_id = core::sha256_digest(layer.tar);
  auto r = read_layer(stream, ref, catalogers_, limits_, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kDigestMismatch);
  EXPECT_NE(r.error().message.find("layer 3"), std::string::npos) << r.error().message;
}

TEST_F(LayerReaderTest, DiffIdMismatchIsAnError) {
  auto layer = test::zstd_layer(sample_entries());
  MemoryStream stream(layer.stored, 4096);
  LayerRef ref;
  ref.diff_id = core::sha256_digest("not the tar");
  auto r = read_layer(stream, ref, catalogers_, limits_, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kDigestMismatch);
  EXPECT_NE(r.error().message.find("diff_id"), std::string::npos);
}

TEST_F(LayerReaderTest, TruncatedGzipIsAnError) {
  auto layer = test::gzip_layer(sample_entries());
  layer.stored.resize(layer.stored.size() / 2);
  auto r = read(layer, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
}

TEST_F(LayerReaderTest, CorruptGzipIsAnError) {
  auto layer = test::gzip_layer(sample_entries());
  for (std::size_t i = 20; i < layer.stored.size() - 20; i += 7)
    layer.stored[i] = static_cast<char>(layer.stored[i] ^ 0x5a);
  auto r = read(layer, false);
  ASSERT_FALSE(r);
}

TEST_F(LayerReaderTest, TruncatedTarIsAnError) {
  auto tar = test::make_tar(sample_entries());
  test::TestLayer layer{tar.substr(0, 700), tar.substr(0, 700), ""};
  auto r = read(layer, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
}

TEST_F(LayerReaderTest, GarbageIsAnError) {
  test::TestLayer layer{"", std::string(5000, '\x7f'), ""};
  EXPECT_FALSE(read(layer, false));
}

TEST_F(LayerReaderTest, PathTraversalIsSkippedWithWarning) {
  auto layer = test::plain_layer({{"../../etc/evil", "x"},
                                  {"/abs/ok.txt", "y"},
                                  {"a/../../../b", "z"},
                                  {"pkgs/../pkgs/p.txt", "gamma 3\n"}});
  auto r = read(layer, false);
  ASSERT_TRUE(r) << r.error().to_string();
  std::vector<std::string> paths;
  for (const auto& f : r->files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/abs/ok.txt", "/pkgs/p.txt"}));
  EXPECT_EQ(r->warnings.size(), 2u);
  ASSERT_EQ(r->hits.size(), 1u);
}

TEST_F(LayerReaderTest, WhiteoutsAndOpaqueMarkers) {
  auto layer = test::plain_layer({{"etc/.wh.passwd", ""},
                                  {"var/cache/.wh..wh..opq", ""},
                                  {".wh.top", ""},
                                  {"x/.wh..wh.plnk", ""}});
  auto r = read(layer, false);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->files.empty());
  EXPECT_EQ(r->whiteouts, (std::vector<std::string>{"/etc/passwd", "/top"}));
  EXPECT_EQ(r->opaque_dirs, (std::vector<std::string>{"/var/cache"}));
}

TEST_F(LayerReaderTest, HardLinkToCapturedFileIsCatalogued) {
  auto layer = test::plain_layer(
      {{"pkgs/a.txt", "alpha 1\n"}, {"pkgs/b.txt", "pkgs/a.txt", TarEntry::Kind::kHardlink}});
  auto r = read(layer, false);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->hits.size(), 2u);
  EXPECT_EQ(r->hits[1].path, "/pkgs/b.txt");
  EXPECT_EQ(r->hits[1].packages.at(0).name, "alpha");
}

TEST_F(LayerReaderTest, DecompressionBombIsRefused) {
  // 200 MiB of zeros compress to ~200 KiB: over a ratio limit of 100.
  std::string zeros(200u << 20, '\0');
  test::TestLayer layer{"", test::zstd_bytes(zeros), ""};
  limits_.max_compression_ratio = 100;
  auto r = read(layer, false, 1 << 20);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kLimitExceeded);
}

TEST_F(LayerReaderTest, EmptyLayerIsFine) {
  test::TestLayer layer{std::string(1024, '\0'), std::string(1024, '\0'), ""};
  auto r = read(layer);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->files.empty());
}

}  // namespace
}  // namespace mtr::oci
