#include "vulndb/cvss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"
#include "vulndb/detail/cvss_v4_table.h"

namespace mtr::vulndb {
namespace {

using core::Severity;

// The score, or -1 when the vector is rejected, so that expectations read as one number.
double base_of(std::string_view vector) {
  const auto score = score_cvss(vector);
  return score ? score->base : -1.0;
}

std::string version_of(std::string_view vector) {
  const auto score = score_cvss(vector);
  return score ? score->version : "rejected";
}

// --- Specification examples ----------------------------------------------------------------

TEST(CvssV2, GuideExamples) {
  // CVSS v2 guide, section 3.3.
  EXPECT_DOUBLE_EQ(base_of("AV:N/AC:L/Au:N/C:N/I:N/A:C"), 7.8);   // CVE-2002-0392
  EXPECT_DOUBLE_EQ(base_of("AV:N/AC:L/Au:N/C:C/I:C/A:C"), 10.0);  // CVE-2003-0818
  EXPECT_DOUBLE_EQ(base_of("AV:L/AC:H/Au:N/C:C/I:C/A:C"), 6.2);   // CVE-2003-0062
  EXPECT_DOUBLE_EQ(base_of("AV:N/AC:L/Au:N/C:P/I:P/A:P"), 7.5);
  EXPECT_DOUBLE_EQ(base_of("AV:N/AC:M/Au:N/C:N/I:P/A:N"), 4.3);
  EXPECT_DOUBLE_EQ(base_of("AV:L/AC:L/Au:N/C:N/I:N/A:N"), 0.0);
  EXPECT_EQ(version_of("AV:N/AC:L/Au:N/C:P/I:P/A:P"), "2.0");
}

TEST(CvssV2, PrefixAndParenthesesAreAccepted) {
  EXPECT_DOUBLE_EQ(base_of("(AV:N/AC:L/Au:N/C:P/I:P/A:P)"), 7.5);
  EXPECT_DOUBLE_EQ(base_of("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P"), 7.5);
  EXPECT_EQ(version_of("(AV:N/AC:L/Au:N/C:P/I:P/A:P"), "rejected");
  EXPECT_EQ(version_of("CVSS:2.0/(AV:N/AC:L/Au:N/C:P/I:P/A:P)"), "rejected");
}

TEST(CvssV2, TemporalAndEnvironmentalMetricsDoNotChangeTheBaseScore) {
  EXPECT_DOUBLE_EQ(base_of("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H"),
                   7.8);
  EXPECT_DOUBLE_EQ(base_of("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:ND/RL:ND/RC:ND"), 7.8);
}

TEST(CvssV3, SpecificationExamples) {
  // CVSS v3.1 examples document.
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"), 7.5);  // Heartbleed
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);  // Shellshock
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);  // XSS
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"), 9.9);
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N"), 3.8);
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N"), 0.0);
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N"), 6.8);
  EXPECT_EQ(version_of("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N"), "3.0");
  EXPECT_EQ(version_of("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N"), "3.1");
}

TEST(CvssV3, TemporalAndEnvironmentalMetricsDoNotChangeTheBaseScore) {
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F/RL:X"), 3.8);
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:R/CR:L/"
                           "IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:C/MC:N/MI:N/MA:N"),
                   9.8);
}

TEST(CvssV4, SpecificationExamples) {
  // FIRST's calculator.
  EXPECT_DOUBLE_EQ(base_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H"),
                   10.0);
  EXPECT_DOUBLE_EQ(base_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), 9.3);
  EXPECT_DOUBLE_EQ(base_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"), 6.9);
  EXPECT_DOUBLE_EQ(base_of("CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), 7.3);
  EXPECT_DOUBLE_EQ(base_of("CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:A/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:U"),
                   0.1);
  EXPECT_DOUBLE_EQ(base_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"), 0.0);
  EXPECT_EQ(version_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"), "4.0");
}

TEST(CvssV4, UndefinedMetricsTakeTheirDefaults) {
  const std::string base = "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  EXPECT_DOUBLE_EQ(base_of(base), 7.7);
  // E defaults to A (attacked), CR/IR/AR to H, M* to the base metric.
  EXPECT_DOUBLE_EQ(base_of(base + "/E:X/CR:X/IR:X/AR:X/MAV:X/MSI:X"), 7.7);
  EXPECT_DOUBLE_EQ(base_of(base + "/E:A/CR:H/IR:H/AR:H"), 7.7);
  EXPECT_DOUBLE_EQ(base_of(base + "/E:U"), 5.2);
  // Supplemental metrics never change the score.
  EXPECT_DOUBLE_EQ(base_of(base + "/S:P/AU:Y/R:I/V:C/RE:H/U:Red"), 7.7);
}

TEST(CvssV4, EnvironmentalMetricsOverrideBaseMetrics) {
  const std::string base = "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N";
  EXPECT_DOUBLE_EQ(base_of(base), 8.6);
  EXPECT_DOUBLE_EQ(base_of(base + "/MSI:S/S:P"), 9.7);  // safety impact on subsequent systems
  // Modifying every impact to None leaves nothing to score.
  EXPECT_DOUBLE_EQ(base_of(base + "/MVC:N/MVI:N"), 0.0);
  // Modifying AV to N gives the score of the vector written with AV:N.
  EXPECT_DOUBLE_EQ(base_of(base + "/MAV:N"),
                   base_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N"));
}

TEST(CvssV4, BaseVectorsScoreWithinRange) {
  // Every 11th of the 104,976 combinations of the eleven base metrics (all of them take ~12 s in
  // a debug build); 11 is coprime with every radix, so each metric value is visited.
  const std::vector<std::pair<std::string, std::string>> metrics = {
      {"AV", "NALP"}, {"AC", "LH"},  {"AT", "NP"},  {"PR", "NLH"}, {"UI", "NPA"}, {"VC", "HLN"},
      {"VI", "HLN"},  {"VA", "HLN"}, {"SC", "HLN"}, {"SI", "HLN"}, {"SA", "HLN"}};
  size_t count = 0;
  for (size_t n = 0; n < 104976; n += 11) {
    std::string vector = "CVSS:4.0";
    bool any_impact = false;
    size_t rest = n;
    for (const auto& [name, values] : metrics) {
      const char value = values[rest % values.size()];
      rest /= values.size();
      vector += "/" + name + ":" + value;
      if (name.size() == 2 && (name[0] == 'V' || name[0] == 'S') && value != 'N') {
        any_impact = true;
      }
    }
    const auto score = score_cvss(vector);
    ASSERT_TRUE(score) << vector;
    ASSERT_GE(score->base, 0.0) << vector;
    ASSERT_LE(score->base, 10.0) << vector;
    ASSERT_DOUBLE_EQ(std::round(score->base * 10) / 10, score->base) << vector;
    // Only a vector without any impact scores 0; the lowest macro vector scores 0.1.
    ASSERT_EQ(score->base > 0.0, any_impact) << vector;
    ++count;
  }
  EXPECT_EQ(count, 9544u);
}

TEST(CvssV4, MacroVectorTableCoversEveryReachableClass) {
  const auto& table = detail::kMacroVectorScores;
  std::set<std::string_view> keys;
  for (const auto& row : table) {
    ASSERT_EQ(row.macro_vector.size(), 6u);
    EXPECT_GT(row.score, 0.0) << row.macro_vector;
    EXPECT_LE(row.score, 10.0) << row.macro_vector;
    keys.insert(row.macro_vector);
  }
  EXPECT_TRUE(std::is_sorted(table.begin(), table.end(), [](const auto& a, const auto& b) {
    return a.macro_vector < b.macro_vector;
  }));
  // EQ levels: 3, 2, 3, 3, 3, 2; EQ3=2 (no high impact) cannot meet EQ6=0.
  size_t reachable = 0;
  for (int e1 = 0; e1 < 3; ++e1)
    for (int e2 = 0; e2 < 2; ++e2)
      for (int e3 = 0; e3 < 3; ++e3)
        for (int e4 = 0; e4 < 3; ++e4)
          for (int e5 = 0; e5 < 3; ++e5)
            for (int e6 = 0; e6 < 2; ++e6) {
              if (e3 == 2 && e6 == 0) continue;
              ++reachable;
              std::string key;
              for (int level : {e1, e2, e3, e4, e5, e6}) key += static_cast<char>('0' + level);
              EXPECT_TRUE(keys.contains(key)) << key;
            }
  EXPECT_EQ(reachable, 270u);
  EXPECT_EQ(keys.size(), 270u);
  EXPECT_DOUBLE_EQ(table.front().score, 10.0);  // 000000
  EXPECT_DOUBLE_EQ(table.back().score, 0.1);    // 212221
}

// --- Malformed vectors ---------------------------------------------------------------------

TEST(CvssParse, MalformedVectorsAreRejected) {
  for (const char* vector : {
           "",
           "CVSS:3.1",
           "CVSS:3.1/",
           "CVSS:3.3/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
           "cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",           // missing A
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H",   // duplicate
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X",       // X is not a base value
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/Z:1",   // unknown metric
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:h",       // values are case-sensitive
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H//",     // empty metric
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N",  // a v4.0 metric
           "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A-H",
           "CVSS:3.1/CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
           " CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
           "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",  // v3 metrics without their prefix
           "AV:N/AC:L/Au:N/C:N/I:N",
           "AV:N/AC:L/Au:N/C:N/I:N/A:C/Au:N",
           "AV:N/AC:L/Au:N/C:N/I:N/A:",
           "AV:N/AC:L/Au:N/C:N/I:N/A:C?notaurl=1",
           "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:X",  // v2 says ND, not X
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N",
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:S/SA:N",  // S only as MSI
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:F",
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/MSC:S",
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/U:red",
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/RL:O",  // v3 only
           "CVSS:4.0///////////////",
       }) {
    EXPECT_FALSE(score_cvss(vector)) << vector;
  }
}

TEST(CvssParse, MetricOrderAndOneTrailingSlashAreTolerated) {
  // Published advisories carry both (GHSA-28g4-38q8-3cwc, GHSA-f5pg-7wfw-84q9).
  EXPECT_DOUBLE_EQ(base_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N"),
                   base_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"));
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N"), 9.8);
  EXPECT_DOUBLE_EQ(base_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/"), 9.8);
}

// --- Severity ------------------------------------------------------------------------------

TEST(CvssSeverity, V3AndV4Ratings) {
  for (const char* version : {"3.0", "3.1", "4.0"}) {
    EXPECT_EQ(cvss_severity({version, 0.0}), Severity::kNone) << version;
    EXPECT_EQ(cvss_severity({version, 0.1}), Severity::kLow) << version;
    EXPECT_EQ(cvss_severity({version, 3.9}), Severity::kLow) << version;
    EXPECT_EQ(cvss_severity({version, 4.0}), Severity::kMedium) << version;
    EXPECT_EQ(cvss_severity({version, 6.9}), Severity::kMedium) << version;
    EXPECT_EQ(cvss_severity({version, 7.0}), Severity::kHigh) << version;
    EXPECT_EQ(cvss_severity({version, 8.9}), Severity::kHigh) << version;
    EXPECT_EQ(cvss_severity({version, 9.0}), Severity::kCritical) << version;
    EXPECT_EQ(cvss_severity({version, 10.0}), Severity::kCritical) << version;
  }
}

TEST(CvssSeverity, V2Ratings) {
  EXPECT_EQ(cvss_severity({"2.0", 0.0}), Severity::kLow);
  EXPECT_EQ(cvss_severity({"2.0", 3.9}), Severity::kLow);
  EXPECT_EQ(cvss_severity({"2.0", 4.0}), Severity::kMedium);
  EXPECT_EQ(cvss_severity({"2.0", 6.9}), Severity::kMedium);
  EXPECT_EQ(cvss_severity({"2.0", 7.0}), Severity::kHigh);
  EXPECT_EQ(cvss_severity({"2.0", 10.0}), Severity::kHigh);
}

TEST(CvssSeverity, FromScoredVectors) {
  EXPECT_EQ(cvss_severity(*score_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")),
            Severity::kCritical);
  EXPECT_EQ(cvss_severity(*score_cvss("AV:N/AC:L/Au:N/C:C/I:C/A:C")), Severity::kHigh);
  EXPECT_EQ(
      cvss_severity(*score_cvss("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N")),
      Severity::kNone);
  EXPECT_EQ(cvss_severity({"", 5.0}), Severity::kUnknown);
}

// --- Corpus: claircore's CVSS test tables --------------------------------------------------

struct ListRow {
  std::string vector;
  std::string rest;  // what follows the vector: a score and/or a "# comment"
  int line = 0;
};

std::vector<ListRow> read_list(const std::filesystem::path& path) {
  std::vector<ListRow> rows;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const size_t end = line.find_first_of(" \t");
    ListRow row{line.substr(0, end), end == std::string::npos ? "" : line.substr(end), number};
    // "A:C #OK": the comment may follow the vector without a space.
    if (const size_t hash = row.vector.find('#'); hash != std::string::npos) {
      row.rest = row.vector.substr(hash) + row.rest;
      row.vector.resize(hash);
    }
    rows.push_back(row);
  }
  return rows;
}

std::filesystem::path claircore_cvss_dir() {
  return test::corpus_dir() / "vuln/peers/claircore/toolkit/types/cvss/testdata";
}

// The vector cut down to its version prefix and base metrics, which claircore lists first.
std::string base_part(const std::string& vector) {
  const size_t base_metrics = vector.starts_with("CVSS:3") ? 9 : 6;  // prefix counts as one
  size_t end = 0;
  for (size_t i = 0; i < base_metrics && end != std::string::npos; ++i) {
    end = vector.find('/', end == 0 ? 0 : end + 1);
  }
  return vector.substr(0, end);
}

TEST(CvssClaircore, ScoreTables) {
  MTR_REQUIRE_CORPUS();
  std::map<std::string, int> compared;
  std::map<std::string, int> base_only;
  for (const char* name : {"v2_score.list", "v30_score.list", "v31_score.list", "v4_score.list"}) {
    const auto rows = read_list(claircore_cvss_dir() / name);
    ASSERT_FALSE(rows.empty()) << name;
    for (const ListRow& row : rows) {
      SCOPED_TRACE(std::string(name) + ":" + std::to_string(row.line) + " " + row.vector);
      std::istringstream rest(row.rest);
      double expected = -1;
      ASSERT_TRUE(rest >> expected);
      const auto score = score_cvss(row.vector);
      ASSERT_TRUE(score);
      const bool v4 = row.vector.starts_with("CVSS:4.0/");
      if (v4 || base_part(row.vector) == row.vector) {
        EXPECT_DOUBLE_EQ(score->base, expected);
        ++compared[name];
      } else {
        // claircore scores v2/v3 temporal and environmental metrics; ours is the base score,
        // which the same vector without them must give.
        EXPECT_DOUBLE_EQ(score->base, base_of(base_part(row.vector)));
        ++base_only[name];
      }
    }
  }
  EXPECT_EQ(compared["v2_score.list"], 3);
  EXPECT_EQ(compared["v30_score.list"], 32);
  EXPECT_EQ(compared["v31_score.list"], 33);
  EXPECT_EQ(compared["v4_score.list"], 40);
  EXPECT_EQ(base_only["v2_score.list"], 9);
  EXPECT_EQ(base_only["v31_score.list"], 2);
}

TEST(CvssClaircore, RoundtripTablesParse) {
  MTR_REQUIRE_CORPUS();
  std::map<std::string, int> counts;
  for (const char* name : {"v2_roundtrip.list", "v3_roundtrip.list", "v4_roundtrip.list"}) {
    for (const ListRow& row : read_list(claircore_cvss_dir() / name)) {
      EXPECT_TRUE(score_cvss(row.vector)) << name << ":" << row.line << " " << row.vector;
      ++counts[name];
    }
  }
  EXPECT_EQ(counts["v2_roundtrip.list"], 6);
  EXPECT_EQ(counts["v3_roundtrip.list"], 22);
  EXPECT_EQ(counts["v4_roundtrip.list"], 43);
}

TEST(CvssClaircore, ErrorTables) {
  MTR_REQUIRE_CORPUS();
  // Where score_cvss deliberately differs from claircore's stricter parsers.
  const std::set<std::string> accepted_here = {
      // The "CVSS:2.0/" prefix is accepted, as some feeds write it.
      "CVSS:2.0/AV:N/AC:L/Au:N/C:N/I:N/A:C",
      // Temporal and environmental metrics need not come as complete groups.
      "AV:A/AC:L/Au:N/C:C/I:C/A:C/CDP:H/TD:H/CR:H",
      "AV:A/AC:L/Au:N/C:C/I:C/A:C/E:F",
      // Metric order is not enforced (advisories in the wild break it).
      "AV:A/AC:L/Au:N/A:C/I:C/C:C",
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/E:A/SA:N",
      // A valid v3.1 vector, listed as an error only for claircore's v4 parser.
      "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N",
  };
  int valid = 0;
  int rejected = 0;
  int deviations = 0;
  for (const char* name : {"v2_error.list", "v3_error.list", "v4_error.list"}) {
    for (const ListRow& row : read_list(claircore_cvss_dir() / name)) {
      SCOPED_TRACE(std::string(name) + ":" + std::to_string(row.line) + " " + row.vector);
      if (row.rest.find("#OK") != std::string::npos) {
        EXPECT_TRUE(score_cvss(row.vector));
        ++valid;
      } else if (accepted_here.contains(row.vector)) {
        EXPECT_TRUE(score_cvss(row.vector));
        ++deviations;
      } else {
        EXPECT_FALSE(score_cvss(row.vector));
        ++rejected;
      }
    }
  }
  EXPECT_EQ(valid, 7);
  EXPECT_EQ(deviations, 6);
  EXPECT_EQ(rejected, 48 - 7 - 6);
}

// --- Corpus: OSV severity entries ----------------------------------------------------------

// Every {"type": "CVSS_V*", "score": "<vector>"} object anywhere in the document.
void collect_severities(const nlohmann::json& node, std::vector<std::string>& types,
                        std::vector<std::string>& vectors) {
  if (node.is_object()) {
    const auto type = node.find("type");
    const auto score = node.find("score");
    if (type != node.end() && type->is_string() && score != node.end() && score->is_string() &&
        type->get<std::string>().starts_with("CVSS_V")) {
      types.push_back(type->get<std::string>());
      vectors.push_back(score->get<std::string>());
    }
  }
  if (node.is_structured()) {
    for (const auto& child : node) collect_severities(child, types, vectors);
  }
}

TEST(CvssOsv, EverySeverityVectorParses) {
  MTR_REQUIRE_CORPUS();
  std::map<std::string, int> counts;
  int ghsa_scores = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(test::corpus_dir() / "vuln/osv")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    const auto document = nlohmann::json::parse(test::read_file(entry.path()), nullptr, false);
    if (document.is_discarded()) continue;
    std::vector<std::string> types;
    std::vector<std::string> vectors;
    collect_severities(document, types, vectors);
    for (size_t i = 0; i < vectors.size(); ++i) {
      const auto score = score_cvss(vectors[i]);
      EXPECT_TRUE(score) << entry.path() << ": " << vectors[i];
      if (score) {
        EXPECT_EQ("CVSS_V" + score->version.substr(0, 1), types[i]) << entry.path();
      }
      ++counts[types[i]];
    }
    // GitHub's advisory format states the score beside the vector.
    if (document.is_object() && document.contains("cvss") && document["cvss"].is_object()) {
      const auto& cvss = document["cvss"];
      if (cvss.value("vectorString", nlohmann::json()).is_string()) {
        const auto vector = cvss["vectorString"].get<std::string>();
        EXPECT_DOUBLE_EQ(base_of(vector), cvss.value("score", -2.0)) << entry.path();
        ++ghsa_scores;
      }
    }
  }
  std::cout << "[ CVSS     ] OSV vectors: " << counts["CVSS_V2"] << " v2, " << counts["CVSS_V3"]
            << " v3, " << counts["CVSS_V4"] << " v4; GHSA stated scores: " << ghsa_scores << "\n";
  EXPECT_GE(counts["CVSS_V3"], 1000);
  EXPECT_GE(counts["CVSS_V4"], 100);
  EXPECT_GE(ghsa_scores, 6);
}

}  // namespace
}  // namespace mtr::vulndb
