// The content scanner inside the layer read: every regular file of every layer (deleted ones
// too) is offered, binary and oversize files are skipped and counted, hits are placed in the
// image (which layer hides them), and the layer cache keeps them.
#include <gtest/gtest.h>

#include "oci/fake_cataloger.h"
#include "oci/image_builder.h"
#include "oci/scan.h"
#include "oci/sources.h"
#include "support/test_support.h"

namespace mtr::oci {
namespace {

using test::TarEntry;

// Reports every line that starts with "SECRET " (masked evidence, as the real one does).
class LineScanner final : public ContentScanner {
 public:
  std::string cache_key() const override { return "lines:1"; }
  std::uint64_t max_file_bytes() const override { return 1024; }
  bool scan_binary() const override { return false; }
  void scan(std::string_view path, std::string_view content,
            std::vector<ContentHit>& out) const override {
    ++calls;
    std::uint64_t line = 1;
    for (std::size_t at = 0; at < content.size();) {
      auto end = content.find('\n', at);
      if (end == std::string_view::npos) end = content.size();
      if (content.substr(at, 7) == "SECRET ") {
        out.push_back({std::string(path), "line-secret", line, 8, "SECRET ****", "fp"});
      }
      at = end + 1;
      ++line;
    }
  }
  mutable int calls = 0;
};

class ContentScanTest : public ::testing::Test {
 protected:
  void SetUp() override { test::add_fake_catalogers(catalogers_); }
  core::Result<ImageScan> scan(bool cache) {
    auto source = open_oci_layout((dir_.path() / "oci").string(), "1", {});
    if (!source) return core::unexpected(std::move(source).error());
    ScanOptions options;
    options.use_cache = cache;
    options.cache_path = dir_.path() / "cache.db";
    options.content = &scanner_;
    return scan_image(**source, catalogers_, options);
  }
  test::TempDir dir_;
  inventory::CatalogerRegistry catalogers_;
  LineScanner scanner_;
};

TEST_F(ContentScanTest, DeletedAndReplacedFilesAreStillScannedAndPlaced) {
  std::string binary("SECRET in a binary\n\0\0\0", 22);
  test::write_oci_layout(
      dir_.path() / "oci",
      {test::gzip_layer({{"app/live.env", "x\nSECRET live\n"},
                         {"app/deleted.env", "SECRET deleted\n"},
                         {"app/replaced.env", "SECRET old\n"},
                         {"app/dir/inner.txt", "SECRET in a directory removed later\n"},
                         {"app/tool.bin", binary},
                         {"app/big.txt", "SECRET big\n" + std::string(2000, 'x')}}),
       test::gzip_layer({{"app/.wh.deleted.env", ""},
                         {"app/replaced.env", "clean now\n"},
                         {"app/.wh.dir", ""}})},
      "1");
  auto result = scan(false);
  ASSERT_TRUE(result) << result.error().to_string();
  std::map<std::string, const LayerContentHit*> by_path;
  for (const auto& h : result->content_hits) by_path[h.hit.path] = &h;
  ASSERT_EQ(by_path.size(), 4u);
  const auto* live = by_path.at("/app/live.env");
  EXPECT_EQ(live->layer, 0u);
  EXPECT_EQ(live->hit.line, 2u);
  EXPECT_FALSE(live->hidden_by.has_value());
  const auto* deleted = by_path.at("/app/deleted.env");
  ASSERT_TRUE(deleted->hidden_by.has_value());
  EXPECT_EQ(*deleted->hidden_by, 1u);
  EXPECT_FALSE(deleted->replaced);
  const auto* replaced = by_path.at("/app/replaced.env");
  ASSERT_TRUE(replaced->hidden_by.has_value());
  EXPECT_TRUE(replaced->replaced);
  EXPECT_TRUE(by_path.at("/app/dir/inner.txt")->hidden_by.has_value());
  EXPECT_EQ(result->content_stats.skipped_binary, 1u);
  EXPECT_EQ(result->content_stats.skipped_large, 1u);
  EXPECT_EQ(result->content_stats.files, 5u);  // 4 in layer 0, replaced.env in layer 1

  // The merged file system shows what a container sees.
  std::vector<std::string> visible;
  for (const auto& f : result->files) {
    if (f.entry.type == FileType::kRegular) visible.push_back(f.entry.path);
  }
  EXPECT_EQ(visible, (std::vector<std::string>{"/app/big.txt", "/app/live.env", "/app/replaced.env",
                                               "/app/tool.bin"}));
}

TEST_F(ContentScanTest, TheLayerCacheKeepsHitsAndStats) {
  test::write_oci_layout(dir_.path() / "oci",
                         {test::gzip_layer({{"etc/app.conf", "SECRET one\nSECRET two\n"}})}, "1");
  auto first = scan(true);
  ASSERT_TRUE(first) << first.error().to_string();
  ASSERT_EQ(first->content_hits.size(), 2u);
  int calls = scanner_.calls;
  auto second = scan(true);
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_EQ(scanner_.calls, calls);  // nothing re-read
  ASSERT_EQ(second->content_hits.size(), 2u);
  EXPECT_EQ(second->content_hits[1].hit.line, 2u);
  EXPECT_EQ(second->content_hits[1].hit.evidence, "SECRET ****");
  EXPECT_EQ(second->content_stats.files, first->content_stats.files);
  EXPECT_EQ(second->content_stats.bytes, first->content_stats.bytes);
}

TEST_F(ContentScanTest, CatalogersStillSeeFilesTheContentScannerSkips) {
  // A file both a cataloger and the content scanner want, bigger than the scanner's limit:
  // the cataloger still gets it.
  std::string db = "base 1\n" + std::string(1500, '#') + "\n";
  test::write_oci_layout(dir_.path() / "oci", {test::gzip_layer({{"pkgs/db", db}})}, "1");
  auto result = scan(false);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->inventory.packages.size(), 1u);
  EXPECT_EQ(result->content_stats.skipped_large, 1u);
}

}  // namespace
}  // namespace mtr::oci
