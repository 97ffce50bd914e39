// The matryoshka binary as users run it: help, version, exit codes, log format, and the
// promise that scanning never changes what is scanned.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "oci/image_builder.h"
#include "support/test_support.h"

namespace mtr::test {
namespace {

namespace fs = std::filesystem;

TEST(CliTest, VersionAndHelpEverywhere) {
  auto version = run_matryoshka({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("matryoshka "), std::string::npos);
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"}, {"sbom", "--help"}}) {
    auto help = run_matryoshka(args);
    EXPECT_EQ(help.exit_code, 0) << args.back();
    EXPECT_NE(help.out.find("Usage"), std::string::npos) << help.out;
  }
  auto sbom_help = run_matryoshka({"sbom", "--help"});
  for (const char* word : {"docker-archive:", "oci:", "docker:", "dir:", "--format", "cyclonedx",
                           "spdx", "--platform"}) {
    EXPECT_NE(sbom_help.out.find(word), std::string::npos) << word;
  }
}

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(run_matryoshka({}).exit_code, 2);
  EXPECT_EQ(run_matryoshka({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(run_matryoshka({"sbom"}).exit_code, 2);
  EXPECT_EQ(run_matryoshka({"sbom", "dir:/", "--format", "xml"}).exit_code, 2);
}

TEST(CliTest, BadInputExitsTwoAndSaysWhere) {
  TempDir dir;
  auto missing = run_matryoshka({"sbom", "--no-progress", (dir.path() / "nope.tar").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.tar"), std::string::npos) << missing.err;

  write_file(dir.path() / "garbage.tar", std::string(3000, 'g'));
  auto garbage = run_matryoshka(
      {"sbom", "--no-cache", "docker-archive:" + (dir.path() / "garbage.tar").string()});
  EXPECT_EQ(garbage.exit_code, 2);
  EXPECT_NE(garbage.err.find("garbage.tar"), std::string::npos) << garbage.err;

  // A layout whose layer blob was truncated: the error names the layer.
  auto layer = gzip_layer({{"etc/hostname", "x\n"}});
  write_oci_layout(dir.path() / "oci", {layer});
  for (const auto& e : fs::directory_iterator(dir.path() / "oci" / "blobs" / "sha256")) {
    if (read_file(e.path()) == layer.stored) fs::resize_file(e.path(), layer.stored.size() / 2);
  }
  auto truncated = run_matryoshka({"sbom", "--no-cache", "oci:" + (dir.path() / "oci").string()});
  EXPECT_EQ(truncated.exit_code, 2);
  EXPECT_NE(truncated.err.find("layer 0"), std::string::npos) << truncated.err;
}

TEST(CliTest, JsonLogLinesAreJson) {
  TempDir dir;
  auto r = run_matryoshka(
      {"--log-format", "json", "sbom", "--no-cache", (dir.path() / "missing\"quote").string()});
  EXPECT_EQ(r.exit_code, 2);
  auto line = r.err.substr(0, r.err.find('\n'));
  auto j = nlohmann::json::parse(line, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << line;
  EXPECT_EQ(j["level"], "error");
  EXPECT_NE(j["msg"].get<std::string>().find("missing\"quote"), std::string::npos);
}

TEST(CliTest, OutputFileIsWrittenWhole) {
  TempDir dir;
  write_file(dir.path() / "root" / "etc" / "os-release", "ID=debian\nVERSION_ID=\"12\"\n");
  auto out = dir.path() / "sbom.json";
  auto r = run_matryoshka({"sbom", "--no-cache", "-f", "json", "-o", out.string(),
                           "dir:" + (dir.path() / "root").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  auto j = nlohmann::json::parse(read_file(out), nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["os"]["id"], "debian");
}

// Every file under `root` with its size and modification time.
std::map<std::string, std::pair<std::uintmax_t, std::int64_t>> snapshot(const fs::path& root) {
  std::map<std::string, std::pair<std::uintmax_t, std::int64_t>> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    struct stat st {};
    lstat(e.path().c_str(), &st);
    out[e.path().string()] = {
        static_cast<std::uintmax_t>(st.st_size),
        static_cast<std::int64_t>(st.st_mtim.tv_nsec + st.st_mtime * 1000000000LL)};
  }
  return out;
}

TEST(CliTest, ScanningLeavesPackageDatabasesUntouched) {
  MTR_REQUIRE_CORPUS();
  TempDir dir;
  // Writable copies, so that a scanner that tried to write (sqlite -wal/-shm, rpm locks) could.
  for (const char* name : {"sles-15-bci", "rhel-8-libuuid", "debian-12-minbase", "alpine-3.16"}) {
    fs::copy(corpus_dir() / "vuln" / "pkgdb" / name, dir.path() / name,
             fs::copy_options::recursive);
  }
  // An rpm sqlite database too, made by rpm itself when it is installed.
  auto before = snapshot(dir.path());
  for (const auto& e : fs::directory_iterator(dir.path())) {
    auto r = run_matryoshka({"sbom", "--no-cache", "-f", "json", "dir:" + e.path().string()});
    ASSERT_EQ(r.exit_code, 0) << e.path() << ": " << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded());
    EXPECT_FALSE(j["packages"].empty()) << e.path();
  }
  EXPECT_EQ(snapshot(dir.path()), before);
}

}  // namespace
}  // namespace mtr::test
