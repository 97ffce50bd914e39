// matryoshka version compare, as users and our corpus checks run it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace mtr::test {
namespace {

TEST(VersionCliTest, PrintsTheOrder) {
  EXPECT_EQ(run_matryoshka({"version", "compare", "--type", "deb", "1:1.2-1", "1.3-1"}).out, ">\n");
  EXPECT_EQ(run_matryoshka({"version", "compare", "-t", "deb", "1.0~rc1", "1.0"}).out, "<\n");
  EXPECT_EQ(run_matryoshka({"version", "compare", "-t", "gem", "1.0", "1.0.0"}).out, "=\n");
  auto help = run_matryoshka({"version", "compare", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("composer"), std::string::npos);
}

TEST(VersionCliTest, ErrorsExitTwoAndSayWhat) {
  auto unknown = run_matryoshka({"version", "compare", "-t", "semver", "1", "2"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown version type 'semver'"), std::string::npos);
  auto invalid = run_matryoshka({"version", "compare", "-t", "npm", "1.x", "2.0.0"});
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_NE(invalid.err.find("1.x"), std::string::npos);
  EXPECT_EQ(run_matryoshka({"version", "compare", "-t", "npm", "1.0.0"}).exit_code, 2);
  TempDir dir;
  write_file(dir.path() / "in", "1.0\t2.0\nno tab here\n");
  auto batch =
      run_matryoshka({"version", "compare", "-t", "deb", "--batch"}, (dir.path() / "in").string());
  EXPECT_EQ(batch.exit_code, 2);
  EXPECT_NE(batch.err.find("<stdin>:2"), std::string::npos) << batch.err;
}

// Every dpkg and rpm vector a real implementation agreed with, through --batch.
TEST(VersionCliTest, BatchAgreesWithTheCorpusVectors) {
  MTR_REQUIRE_CORPUS();
  for (const auto& [file, type] :
       std::vector<std::pair<std::string, std::string>>{{"dpkg", "deb"}, {"semver", "npm"}}) {
    std::ifstream in(corpus_dir() / "vuln" / "versions" / (file + ".tsv"));
    std::string line;
    std::getline(in, line);  // header
    std::ostringstream pairs;
    std::vector<std::string> expected;
    while (std::getline(in, line)) {
      std::vector<std::string> cols;
      std::istringstream fields(line);
      for (std::string col; std::getline(fields, col, '\t');) cols.push_back(col);
      if (cols.size() < 5 || cols[4].find("reference-could-not-evaluate") != std::string::npos)
        continue;
      pairs << cols[0] << '\t' << cols[1] << '\n';
      expected.push_back(cols[2]);
    }
    ASSERT_GT(expected.size(), 50u) << file;
    TempDir dir;
    write_file(dir.path() / "pairs", pairs.str());
    auto r = run_matryoshka({"version", "compare", "--type", type, "--batch"},
                            (dir.path() / "pairs").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream got(r.out);
    std::size_t i = 0, mismatches = 0;
    for (std::string g; std::getline(got, g); ++i) {
      if (i < expected.size() && g != expected[i]) ++mismatches;
    }
    EXPECT_EQ(i, expected.size()) << file;
    EXPECT_EQ(mismatches, 0u) << file;
  }
}

}  // namespace
}  // namespace mtr::test
