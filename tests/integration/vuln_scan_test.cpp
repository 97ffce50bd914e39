// `image scan` on the real test images (scripts/test-env/build-images.sh), through the source
// kinds users give, against the corpus's vulnerability data: the findings equal what the
// independent scripts in tests/tools compute from the image's own root filesystem (dpkg status
// with `dpkg --compare-versions`; dist-info with python3-packaging). None missing, none extra.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "integration/test_env.h"
#include "support/test_support.h"

namespace mtr::test {
namespace {

namespace fs = std::filesystem;
using Row = std::vector<std::string>;

std::set<Row> tsv_rows(const std::string& text) {
  std::set<Row> rows;
  for (const auto& line : split(text, '\n')) {
    Row row;
    std::size_t start = 0;
    while (true) {
      auto tab = line.find('\t', start);
      row.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.insert(std::move(row));
  }
  return rows;
}

std::string dump(const std::set<Row>& rows) {
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) out += (i ? "\t" : "") + r[i];
    out += "\n";
  }
  return out;
}

// Findings of one ecosystem as rows; deb: binary, version, source, source version, id, fixed;
// pypi: name, version, id.
std::set<Row> our_rows(const std::string& json_text, const std::string& ecosystem) {
  std::set<Row> rows;
  const auto doc = nlohmann::json::parse(json_text);
  for (const auto& f : doc["findings"]) {
    const auto& p = f["properties"];
    auto get = [&p](const char* k) { return p.contains(k) ? p[k].get<std::string>() : ""; };
    if (get("ecosystem") != ecosystem) continue;
    if (ecosystem == "deb") {
      rows.insert({get("package"), get("installed_version"),
                   get("source_package").empty() ? get("package") : get("source_package"),
                   get("source_version").empty() ? get("installed_version") : get("source_version"),
                   f["id"].get<std::string>(), get("fixed_version")});
    } else {
      rows.insert({get("package"), get("installed_version"), f["id"].get<std::string>()});
    }
  }
  return rows;
}

class VulnScan : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = load_test_env(skip_reason_);
    if (!env_) GTEST_SKIP() << skip_reason_;
    if (corpus_dir().empty()) GTEST_SKIP() << "../shared/corpus is absent: vulnerability data";
  }
  fs::path vuln() const { return corpus_dir() / "vuln"; }
  std::optional<TestEnv> env_;
  std::string skip_reason_;
};

TEST_F(VulnScan, DebianPackagesOfEveryImageEqualTheIndependentComputation) {
  TempDir dir;
  auto db = dir.path() / "v.db";
  const auto data = vuln() / "debian-derived" / "tracker.json";
  auto imported = run_matryoshka({"db", "import", "--db", db.string(), "--from", data.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const auto script = fs::path(MTR_SOURCE_DIR) / "tests" / "tools" / "debian_expected.py";
  int images = 0;
  for (const auto& [name, image] : env_->images) {
    // Built for the secret and config scanners: their packages are debian's.
    if (name == "secrets" || name == "misconfig" || name == "clean") continue;
    auto status = fs::path(image.rootfs) / "var" / "lib" / "dpkg" / "status";
    if (!fs::exists(status)) continue;
    auto theirs = run_command({"python3", script.string(), status.string(), data.string(), "12"});
    ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
    const auto expected = tsv_rows(theirs.out);
    for (const auto& source : {"docker-archive:" + image.docker_archive, "oci:" + image.oci}) {
      auto r = run_matryoshka({"image", "scan", source, "--db", db.string(), "--format", "json",
                               "--no-store", "-q", "--scanners", "vuln"});
      ASSERT_EQ(r.exit_code, 0) << source << ": " << r.err;
      EXPECT_EQ(dump(our_rows(r.out, "deb")), dump(expected)) << source;
    }
    ++images;
  }
  EXPECT_GE(images, 5);
}

TEST_F(VulnScan, PythonPackagesEqualTheIndependentComputation) {
  auto it = env_->images.find("python");
  if (it == env_->images.end()) GTEST_SKIP() << "no python test image";
  TempDir dir;
  auto db = dir.path() / "v.db";
  const auto data = vuln() / "osv" / "pypi";
  ASSERT_EQ(run_matryoshka({"db", "import", "--db", db.string(), "--from", data.string(), "-q"})
                .exit_code,
            0);
  auto r =
      run_matryoshka({"image", "scan", "docker-archive:" + it->second.docker_archive, "--db",
                      db.string(), "--format", "json", "--no-store", "-q", "--scanners", "vuln"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto script = fs::path(MTR_SOURCE_DIR) / "tests" / "tools" / "pypi_expected.py";
  auto theirs =
      run_command({"/usr/bin/python3", script.string(), it->second.rootfs, data.string()});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  EXPECT_EQ(dump(our_rows(r.out, "pypi")), dump(tsv_rows(theirs.out)));
}

}  // namespace
}  // namespace mtr::test
