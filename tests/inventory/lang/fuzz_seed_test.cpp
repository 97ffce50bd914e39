// The binary fuzz seeds are hand-built; check they exercise the parsers' success paths.
#include <gtest/gtest.h>

#include <filesystem>

#include "inventory/lang/lang.h"
#include "lang_test_util.h"

namespace mtr::inventory::lang {
namespace {

using testing::coordinates;
using testing::run;
using testing::sorted;

std::string seed(std::string_view rel) {
  return test::read_file(std::filesystem::path(MTR_SOURCE_DIR) / "fuzz/corpus" / rel);
}

TEST(FuzzSeeds, GoBinaryPointerAndInlineFormats) {
  const auto c = make_go_binary_cataloger();
  for (const char* rel :
       {"inventory_go_binary/pointer-format.elf", "inventory_go_binary/inline-format.elf"}) {
    const auto r = run(*c, "/usr/local/bin/app", seed(rel), 0755);
    ASSERT_TRUE(r) << rel << ": " << r.error().to_string();
    EXPECT_EQ(coordinates(*r),
              sorted({"example.com/app@(devel)", "github.com/pkg/errors@v0.9.1", "stdlib@v1.16.5"}))
        << rel;
  }
}

TEST(FuzzSeeds, JavaArchiveAndCargoAuditable) {
  auto r =
      run(*make_java_archive_cataloger(), "/app/app.war", seed("inventory_java_archive/app.war"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"app@2.0", "org.a/a@1.0"}));
  r = run(*make_cargo_auditable_cataloger(), "/usr/local/bin/app",
          seed("inventory_cargo_auditable/dep-v0.elf"), 0755);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"app@0.1.0", "serde@1.0.188"}));
}

}  // namespace
}  // namespace mtr::inventory::lang
