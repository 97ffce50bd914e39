#include <gtest/gtest.h>

#include <filesystem>

#include "inventory/lang/lang.h"
#include "lang_test_util.h"

namespace mtr::inventory::lang {
namespace {

using testing::coordinates;
using testing::run;
using testing::sorted;

// Writes `value` as `width` bytes at `at`, in the given byte order.
void put(std::string& buf, std::size_t at, std::uint64_t value, std::size_t width, bool big) {
  for (std::size_t i = 0; i < width; ++i) {
    const std::size_t shift = 8 * (big ? width - 1 - i : i);
    buf[at + i] = static_cast<char>((value >> shift) & 0xff);
  }
}

// A minimal ELF (one PT_LOAD segment mapping the whole file at kBase, no sections) holding
// pre-1.18 pointer-format build info: the header points at two Go string headers.
constexpr std::uint64_t kBase = 0x10000;
std::string pointer_format_elf(bool is64, bool big, std::string_view go_version,
                               std::string_view mod_info) {
  std::string buf(4096, '\0');
  buf.replace(0, 4,
              "\x7f"
              "ELF");
  buf[4] = is64 ? 2 : 1;
  buf[5] = big ? 2 : 1;
  buf[6] = 1;
  const std::size_t ptr = is64 ? 8 : 4;
  const std::size_t phoff = is64 ? 64 : 52;
  if (is64) {
    put(buf, 0x20, phoff, 8, big);
    put(buf, 0x36, 56, 2, big);
    put(buf, 0x38, 1, 2, big);
    put(buf, phoff, 1, 4, big);                // PT_LOAD
    put(buf, phoff + 8, 0, 8, big);            // p_offset
    put(buf, phoff + 16, kBase, 8, big);       // p_vaddr
    put(buf, phoff + 32, buf.size(), 8, big);  // p_filesz
  } else {
    put(buf, 0x1C, phoff, 4, big);
    put(buf, 0x2A, 32, 2, big);
    put(buf, 0x2C, 1, 2, big);
    put(buf, phoff, 1, 4, big);
    put(buf, phoff + 4, 0, 4, big);
    put(buf, phoff + 8, kBase, 4, big);
    put(buf, phoff + 16, buf.size(), 4, big);
  }
  const std::size_t info = 0x100, hdr_a = 0x200, hdr_b = 0x220, str_a = 0x300, str_b = 0x400;
  buf.replace(info, 14, "\xff Go buildinf:");
  buf[info + 14] = static_cast<char>(ptr);
  buf[info + 15] = big ? 1 : 0;
  put(buf, info + 16, kBase + hdr_a, ptr, big);
  put(buf, info + 16 + ptr, kBase + hdr_b, ptr, big);
  put(buf, hdr_a, kBase + str_a, ptr, big);
  put(buf, hdr_a + ptr, go_version.size(), ptr, big);
  put(buf, hdr_b, kBase + str_b, ptr, big);
  put(buf, hdr_b + ptr, mod_info.size(), ptr, big);
  buf.replace(str_a, go_version.size(), go_version);
  buf.replace(str_b, mod_info.size(), mod_info);
  return buf;
}

const std::string kSentinelStart = "0\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6";
const std::string kSentinelEnd = "\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2";
const std::string kModInfo = kSentinelStart +
                             "path\texample.com/demo/app\n"
                             "mod\texample.com/demo/app\t(devel)\t\n"
                             "dep\tgithub.com/pkg/errors\tv0.9.1\th1:abc=\n"
                             "dep\tgolang.org/x/text\tv0.3.0\th1:def=\n"
                             "=>\tgolang.org/x/text\tv0.3.8\th1:ghi=\n"
                             "dep\texample.com/local\tv1.0.0\n"
                             "=>\t../local\t\t\n" +
                             kSentinelEnd;

TEST(GoBinary, RequiredNeedsExecBit) {
  const auto c = make_go_binary_cataloger();
  EXPECT_TRUE(testing::required(*c, "/usr/bin/app", 1 << 20, 0755));
  EXPECT_FALSE(testing::required(*c, "/usr/bin/app", 1 << 20, 0644));
  EXPECT_EQ(c->max_size(), 256ull << 20);
}

TEST(GoBinary, PointerFormatAllWidthsAndByteOrders) {
  const auto c = make_go_binary_cataloger();
  for (const bool is64 : {true, false}) {
    for (const bool big : {false, true}) {
      const auto r = run(*c, "/bin/app", pointer_format_elf(is64, big, "go1.16.5", kModInfo), 0755);
      ASSERT_TRUE(r) << r.error().to_string();
      EXPECT_EQ(coordinates(*r),
                sorted({"example.com/demo/app@(devel)", "github.com/pkg/errors@v0.9.1",
                        "golang.org/x/text@v0.3.8", "example.com/local@(devel)", "stdlib@v1.16.5"}))
          << "is64=" << is64 << " big=" << big;
      for (const auto& p : r->packages) {
        EXPECT_EQ(p.ecosystem, "golang");
        EXPECT_EQ(p.cataloger, "go-binary");
        EXPECT_EQ(p.found_in, "/bin/app");
      }
    }
  }
}

TEST(GoBinary, StringPointerOutsideSegmentYieldsNothing) {
  const auto c = make_go_binary_cataloger();
  std::string elf = pointer_format_elf(true, false, "go1.16.5", kModInfo);
  put(elf, 0x220 + 8, 1ull << 40, 8, false);  // module-info length far beyond the file
  const auto r = run(*c, "/bin/app", elf, 0755);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->packages.empty());
}

TEST(GoBinary, BogusSectionTableIsLocatedError) {
  const auto c = make_go_binary_cataloger();
  std::string elf = pointer_format_elf(true, false, "go1.16.5", kModInfo);
  put(elf, 0x28, 0xffffffff00ull, 8, false);  // e_shoff
  put(elf, 0x3A, 64, 2, false);               // e_shentsize
  put(elf, 0x3C, 3, 2, false);                // e_shnum
  const auto r = run(*c, "/bin/app", elf, 0755);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().location.file, "/bin/app");
  EXPECT_FALSE(r.error().location.object.empty());
}

TEST(GoBinary, TruncatedElfDoesNotCrash) {
  const auto c = make_go_binary_cataloger();
  const std::string elf = pointer_format_elf(true, false, "go1.16.5", kModInfo);
  for (std::size_t len = 0; len < elf.size(); len += 37) {
    const auto r = run(*c, "/bin/app", std::string_view(elf).substr(0, len), 0755);
    if (r) {
      EXPECT_LE(r->packages.size(), 5u);
    }
  }
}

TEST(GoBinary, NonGoElfYieldsNothing) {
  const auto c = make_go_binary_cataloger();
  const std::string ls = test::read_file("/bin/ls");
  if (ls.empty()) GTEST_SKIP() << "/bin/ls not readable";
  const auto r = run(*c, "/bin/ls", ls, 0755);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->packages.empty());
  const auto script = run(*c, "/bin/script", "#!/bin/sh\necho hi\n", 0755);
  ASSERT_TRUE(script);
  EXPECT_TRUE(script->packages.empty());
}

// Builds real binaries with the Debian toolchain: Go ≥ 1.18 writes the inline format.
class GoBuild : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/bin/go")) GTEST_SKIP() << "go is not installed";
  }
  std::string build(const std::filesystem::path& module_dir, const std::filesystem::path& out) {
    const std::string cache = (dir_.path() / "cache").string();
    const auto r = test::run_command(
        {"/usr/bin/env", "-C", module_dir.string(), "GOFLAGS=-mod=mod", "GOPROXY=off",
         "GOTOOLCHAIN=local", "CGO_ENABLED=0", "GOCACHE=" + cache,
         "GOPATH=" + (dir_.path() / "gopath").string(), "HOME=" + dir_.path().string(),
         "/usr/bin/go", "build", "-o", out.string(), "."});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return test::read_file(out);
  }
  std::string go_version() {
    const auto r =
        test::run_command({"/usr/bin/env", "GOTOOLCHAIN=local", "HOME=" + dir_.path().string(),
                           "/usr/bin/go", "env", "GOVERSION"});
    std::string v = r.out.substr(0, r.out.find('\n'));
    return "v" + v.substr(2);
  }
  test::TempDir dir_;
};

TEST_F(GoBuild, ModuleWithoutDependencies) {
  const auto app = dir_.path() / "app";
  test::write_file(app / "go.mod", "module example.com/demo/hello\n\ngo 1.18\n");
  test::write_file(app / "main.go", "package main\n\nfunc main() { println(\"hello\") }\n");
  const std::string bin = build(app, dir_.path() / "hello");
  ASSERT_FALSE(bin.empty());
  const auto c = make_go_binary_cataloger();
  const auto r = run(*c, "/usr/local/bin/hello", bin, 0755);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"example.com/demo/hello@(devel)", "stdlib@" + go_version()}));
}

TEST_F(GoBuild, LocalReplaceDependency) {
  const auto lib = dir_.path() / "lib";
  const auto app = dir_.path() / "app";
  test::write_file(lib / "go.mod", "module example.com/demo/lib\n\ngo 1.18\n");
  test::write_file(lib / "lib.go", "package lib\n\nfunc Hello() string { return \"hi\" }\n");
  test::write_file(
      app / "go.mod",
      "module example.com/demo/app\n\ngo 1.18\n\nrequire example.com/demo/lib v1.0.0\n\n"
      "replace example.com/demo/lib => ../lib\n");
  test::write_file(
      app / "main.go",
      "package main\n\nimport \"example.com/demo/lib\"\n\nfunc main() { println(lib.Hello()) }\n");
  const std::string bin = build(app, dir_.path() / "app-bin");
  ASSERT_FALSE(bin.empty());
  const auto c = make_go_binary_cataloger();
  const auto r = run(*c, "/app", bin, 0755);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(coordinates(*r), sorted({"example.com/demo/app@(devel)", "example.com/demo/lib@(devel)",
                                     "stdlib@" + go_version()}));
  for (const auto& p : r->packages) {
    if (p.name == "lib") {
      EXPECT_EQ(p.purl_namespace, "example.com/demo");
    }
  }
}

}  // namespace
}  // namespace mtr::inventory::lang
