// The real-world and insecure Dockerfiles of ../shared/corpus/dockerfile lint without a parse
// error, and the number of findings per rule is pinned in real_world_counts.tsv so a change in
// any rule's verdicts shows up in review. After an intended change, regenerate the file:
//   MTR_UPDATE_GOLDEN=1 ./mtr_dockerfile_tests --gtest_filter='RealWorld.*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "dockerfile/lint.h"
#include "dockerfile/parser.h"
#include "support/test_support.h"

namespace mtr::dockerfile {
namespace {

namespace fs = std::filesystem;

const fs::path kGolden =
    fs::path(MTR_SOURCE_DIR) / "tests" / "dockerfile" / "real_world_counts.tsv";

std::map<std::string, int> read_golden() {
  std::map<std::string, int> out;
  std::istringstream in(test::read_file(kGolden));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out[line.substr(0, tab)] = std::stoi(line.substr(tab + 1));
  }
  return out;
}

TEST(RealWorld, EveryFileParsesAndFindingCountsArePinned) {
  MTR_REQUIRE_CORPUS();
  std::vector<fs::path> files;
  for (const char* dir : {"real-world", "insecure"}) {
    auto root = test::corpus_dir() / "dockerfile" / dir;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 100u);

  std::map<std::string, int> counts;
  LintOptions options;
  options.today = "2026-11-23";
  for (const auto& path : files) {
    auto parsed = parse(test::read_file(path), path.string());
    ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
    for (const auto& f : lint(*parsed, options)) {
      ++counts[f.id];
      EXPECT_GT(f.location.line, 0u) << f.id << " in " << path << " has no line";
    }
  }
  counts["files"] = static_cast<int>(files.size());

  if (const char* update = std::getenv("MTR_UPDATE_GOLDEN"); update && *update) {
    std::ostringstream out;
    out << "# rule\tfindings over ../shared/corpus/dockerfile/{real-world,insecure} "
           "(tests/dockerfile/real_world_test.cpp)\n";
    for (const auto& [id, n] : counts) out << id << '\t' << n << '\n';
    test::write_file(kGolden, out.str());
    GTEST_SKIP() << "wrote " << kGolden;
  }
  auto golden = read_golden();
  ASSERT_FALSE(golden.empty()) << kGolden << " is missing: run with MTR_UPDATE_GOLDEN=1";
  for (const auto& [id, n] : golden) {
    EXPECT_EQ(counts.count(id) ? counts[id] : 0, n) << id;
  }
  for (const auto& [id, n] : counts) {
    EXPECT_TRUE(golden.count(id)) << id << " fired " << n << " times and is not pinned";
  }
}

}  // namespace
}  // namespace mtr::dockerfile
