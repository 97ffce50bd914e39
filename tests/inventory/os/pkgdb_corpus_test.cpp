// Every real package database of the corpus (vuln/pkgdb/*) read by our catalogers must list
// exactly the packages an independent reader lists: dpkg-query, rpm, or a few lines of code
// written here where no tool reads the format.
#include <rpm/header.h>
#include <rpm/rpmtag.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "inventory/os/os_catalogers.h"
#include "support/test_support.h"

namespace mtr::inventory::os {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> ours(const CatalogResult& result) {
  std::vector<std::string> list;
  for (const auto& p : result.packages) list.push_back(p.name + "\t" + p.version);
  std::sort(list.begin(), list.end());
  return list;
}

std::vector<std::string> sorted(std::vector<std::string> list) {
  std::sort(list.begin(), list.end());
  return list;
}

bool tool_exists(const std::string& tool) {
  return test::run_command({"sh", "-c", "command -v " + tool}).exit_code == 0;
}

// dpkg-query -W lists every package not in state "not-installed", including "config-files"
// and half-installed ones; our inventory keeps only state "installed", so the state is
// printed and filtered here.
std::vector<std::string> dpkg_query(const fs::path& admindir) {
  auto run = test::run_command({"dpkg-query", "--admindir=" + admindir.string(), "-W", "-f",
                                "${db:Status-Status}\t${Package}\t${Version}\n"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> list;
  for (const auto& line : split_lines(run.out)) {
    constexpr std::string_view kInstalled = "installed\t";
    if (line.starts_with(kInstalled)) list.push_back(line.substr(kInstalled.size()));
  }
  return sorted(list);
}

// rpm -qa over a directory holding a database rpm can read (Debian's rpm reads sqlite and,
// read-only, Berkeley DB; it has no NDB backend).
std::vector<std::string> rpm_query(const fs::path& dbpath) {
  auto run = test::run_command(
      {"rpm", "--dbpath", dbpath.string(), "-qa", "--qf", "%{NAME}\t%{VERSION}-%{RELEASE}\n"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> list;
  for (const auto& line : split_lines(run.out)) {
    if (!line.starts_with("gpg-pubkey\t")) list.push_back(line);
  }
  return sorted(list);
}

// apk's database read with the least code possible: P: and V: lines, one pair per stanza.
std::vector<std::string> apk_by_hand(const std::string& content) {
  std::vector<std::string> list;
  std::string name;
  for (const auto& line : split_lines(content)) {
    if (line.starts_with("P:")) name = line.substr(2);
    if (line.starts_with("V:")) list.push_back(name + "\t" + line.substr(2));
  }
  return sorted(list);
}

// NDB: no tool on Debian reads it. Independently of our slot-table walk, find every blob by
// its "BlbS" magic at 16-byte alignment and let librpm's own headerImport parse it.
std::vector<std::string> ndb_by_librpm(const std::string& content) {
  std::vector<std::string> list;
  auto u32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(content[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(content[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(content[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(content[at + 3])) << 24;
  };
  for (std::size_t at = 0; at + 16 <= content.size(); at += 16) {
    if (content.compare(at, 4, "BlbS") != 0) continue;
    std::size_t length = u32(at + 12);
    if (at + 16 + length > content.size()) continue;
    std::string blob = content.substr(at + 16, length);
    Header h = headerImport(blob.data(), static_cast<unsigned int>(blob.size()), HEADERIMPORT_COPY);
    if (h == nullptr) continue;
    std::string name = headerGetString(h, RPMTAG_NAME);
    std::string line =
        name + "\t" + headerGetString(h, RPMTAG_VERSION) + "-" + headerGetString(h, RPMTAG_RELEASE);
    headerFree(h);
    if (name != "gpg-pubkey") list.push_back(line);
  }
  return sorted(list);
}

TEST(PkgdbCorpus, EveryDatabaseMatchesAnIndependentReader) {
  MTR_REQUIRE_CORPUS();
  fs::path root = test::corpus_dir() / "vuln" / "pkgdb";
  ASSERT_TRUE(fs::is_directory(root));
  int folders = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    const fs::path dir = entry.path();
    SCOPED_TRACE(dir.filename().string());
    ++folders;
    int databases = 0;

    if (fs::path status = dir / "var/lib/dpkg/status"; fs::exists(status)) {
      ++databases;
      auto result = parse_dpkg_status("/var/lib/dpkg/status", test::read_file(status));
      ASSERT_TRUE(result) << result.error().to_string();
      EXPECT_FALSE(result->packages.empty());
      if (!tool_exists("dpkg-query")) {
        GTEST_SKIP() << "dpkg-query is absent: cannot cross-check " << status;
      }
      EXPECT_EQ(ours(*result), dpkg_query(dir / "var/lib/dpkg"));
    }

    if (fs::path installed = dir / "lib/apk/db/installed"; fs::exists(installed)) {
      ++databases;
      auto content = test::read_file(installed);
      auto result = parse_apk_installed("/lib/apk/db/installed", content);
      ASSERT_TRUE(result) << result.error().to_string();
      EXPECT_FALSE(result->packages.empty());
      EXPECT_EQ(ours(*result), apk_by_hand(content));
    }

    if (fs::path packages = dir / "var/lib/rpm/Packages"; fs::exists(packages)) {
      ++databases;
      auto result = parse_rpmdb("/var/lib/rpm/Packages", test::read_file(packages));
      ASSERT_TRUE(result) << result.error().to_string();
      EXPECT_TRUE(result->warnings.empty());
      EXPECT_FALSE(result->packages.empty());
      if (!tool_exists("rpm")) GTEST_SKIP() << "rpm is absent: cannot cross-check " << packages;
      EXPECT_EQ(ours(*result), rpm_query(packages.parent_path()));
    }

    if (fs::path ndb = dir / "usr/lib/sysimage/rpm/Packages.db"; fs::exists(ndb)) {
      ++databases;
      auto content = test::read_file(ndb);
      auto result = parse_rpmdb("/usr/lib/sysimage/rpm/Packages.db", content);
      ASSERT_TRUE(result) << result.error().to_string();
      EXPECT_TRUE(result->warnings.empty());
      EXPECT_FALSE(result->packages.empty());
      EXPECT_EQ(ours(*result), ndb_by_librpm(content));
    }

    EXPECT_GT(databases, 0) << "no database this test knows how to cross-check: extend the test";
  }
  EXPECT_GT(folders, 0);
}

// The corpus has no rpmdb.sqlite; rpm itself converts the Berkeley DB ones into one (in a
// temporary directory), and both rpm and our reader then read that sqlite file.
TEST(PkgdbCorpus, SqliteConvertedByRpmMatchesRpm) {
  MTR_REQUIRE_CORPUS();
  if (!tool_exists("rpmdb") || !tool_exists("rpm")) GTEST_SKIP() << "rpm tools are absent";
  std::vector<fs::path> sources = {
      test::corpus_dir() / "vuln/pkgdb/rhel-8-libuuid/var/lib/rpm/Packages",
      test::corpus_dir() /
          "vuln/peers/osv-scalibr/os-extractor-testdata/rpm/testdata/Packages_epoch",
  };
  for (const auto& source : sources) {
    SCOPED_TRACE(source.string());
    ASSERT_TRUE(fs::exists(source));
    test::TempDir dir;
    fs::copy_file(source, dir.path() / "Packages");
    auto rebuild = test::run_command({"rpmdb", "--dbpath", dir.path().string(), "--rebuilddb",
                                      "--define", "_db_backend sqlite"});
    ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
    ASSERT_TRUE(fs::exists(dir.path() / "rpmdb.sqlite"));
    fs::remove(dir.path() / "Packages");
    auto content = test::read_file(dir.path() / "rpmdb.sqlite");
    ASSERT_EQ(content[18], 2) << "rpm writes WAL-mode databases; the test expects one";
    auto result = parse_rpmdb("/var/lib/rpm/rpmdb.sqlite", content);
    ASSERT_TRUE(result) << result.error().to_string();
    EXPECT_TRUE(result->warnings.empty());
    ASSERT_FALSE(result->packages.empty());
    EXPECT_EQ(ours(*result), rpm_query(dir.path()));

    auto bdb = parse_rpmdb("/var/lib/rpm/Packages", test::read_file(source));
    ASSERT_TRUE(bdb);
    EXPECT_EQ(ours(*bdb), ours(*result));
  }
}

}  // namespace
}  // namespace mtr::inventory::os
