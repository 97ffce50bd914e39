// The real-world manifests of ../shared/corpus/k8s/real-world audit without an error, and the
// number of findings per check is pinned in real_world_counts.tsv so a change in any check's
// verdicts shows up in review. Every other manifest of the corpus (peers' test inputs, every-
// field API fixtures, admission bodies, RBAC and ABAC files) loads and audits without a crash;
// the few files that are broken on purpose fail with a file:line:col error. After an intended
// change, regenerate the counts:
//   MTR_UPDATE_GOLDEN=1 ./mtr_kube_tests --gtest_filter='KubeRealWorld.*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "kube/audit.h"
#include "kube/object.h"
#include "kube/rbac.h"
#include "support/test_support.h"

namespace mtr::kube {
namespace {

namespace fs = std::filesystem;

const fs::path kGolden = fs::path(MTR_SOURCE_DIR) / "tests" / "kube" / "real_world_counts.tsv";

std::vector<fs::path> manifests_under(const fs::path& root) {
  std::vector<fs::path> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext == ".yaml" || ext == ".yml" || ext == ".json" || ext == ".jsonl")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

core::Result<Manifest> load(const fs::path& path) {
  std::string text = test::read_file(path);
  return looks_like_abac(text) ? load_abac(text, path.string())
                               : load_manifest(text, path.string());
}

std::map<std::string, int> read_golden() {
  std::map<std::string, int> out;
  std::istringstream in(test::read_file(kGolden));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = std::stoi(line.substr(tab + 1));
  }
  return out;
}

TEST(KubeRealWorld, EveryManifestAuditsAndCountsArePinned) {
  MTR_REQUIRE_CORPUS();
  std::vector<fs::path> files = manifests_under(test::corpus_dir() / "k8s" / "real-world");
  ASSERT_GT(files.size(), 100u);
  std::vector<Manifest> manifests;
  std::map<std::string, int> counts;
  for (const auto& path : files) {
    auto m = load(path);
    ASSERT_TRUE(m) << m.error().to_string();
    counts["objects"] += static_cast<int>(m->objects.size());
    manifests.push_back(std::move(*m));
  }
  AuditOptions options;
  options.today = "2026-11-23";
  for (const auto& f : audit(manifests, options)) {
    ++counts[f.id];
    EXPECT_GT(f.location.line, 0u) << f.id << " in " << f.location.path << " has no line";
  }
  counts["files"] = static_cast<int>(files.size());

  if (const char* update = std::getenv("MTR_UPDATE_GOLDEN"); update && *update) {
    std::ostringstream out;
    out << "# check\tfindings over ../shared/corpus/k8s/real-world, all audited together "
           "(tests/kube/real_world_test.cpp)\n";
    for (const auto& [id, n] : counts) out << id << '\t' << n << '\n';
    test::write_file(kGolden, out.str());
    GTEST_SKIP() << "wrote " << kGolden;
  }
  auto golden = read_golden();
  ASSERT_FALSE(golden.empty()) << kGolden << " is missing: run with MTR_UPDATE_GOLDEN=1";
  for (const auto& [id, n] : golden) EXPECT_EQ(counts.count(id) ? counts[id] : 0, n) << id;
  for (const auto& [id, n] : counts)
    EXPECT_TRUE(golden.count(id)) << id << " fired " << n << " times and is not pinned";
}

TEST(KubeRealWorld, EveryOtherCorpusManifestLoadsOrFailsWithAPlace) {
  MTR_REQUIRE_CORPUS();
  // Broken on purpose by their projects: kubesec's form-encoded bodies, Polaris's bad YAML.
  const std::set<std::string> broken = {"form-prefix-file.json", "form-prefix-not-file.json",
                                        "bad.yaml"};
  std::size_t loaded = 0, objects = 0;
  for (const char* dir : {"peers", "api-roundtrip", "admission", "rbac", "abac", "psa"}) {
    std::vector<Manifest> manifests;
    for (const auto& path : manifests_under(test::corpus_dir() / "k8s" / dir)) {
      // Helm templates are not YAML until rendered.
      if (path.string().find("/templates/") != std::string::npos) continue;
      auto m = load(path);
      if (broken.contains(path.filename().string())) {
        ASSERT_FALSE(m) << path << " was expected not to parse";
        EXPECT_GT(m.error().location.line, 0u);
        continue;
      }
      ASSERT_TRUE(m) << m.error().to_string();
      ++loaded;
      objects += m->objects.size();
      manifests.push_back(std::move(*m));
    }
    AuditOptions options;
    options.today = "2026-11-23";
    (void)audit(manifests, options);
  }
  EXPECT_GT(loaded, 4000u);
  EXPECT_GT(objects, 4000u);
}

}  // namespace
}  // namespace mtr::kube
