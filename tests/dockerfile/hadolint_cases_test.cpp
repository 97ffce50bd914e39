// hadolint's own rule cases (../shared/corpus/dockerfile/hadolint/cases.tsv, extracted from its
// Haskell specs): for every DL rule one of our rules carries as an alias, our verdict on each
// snippet equals hadolint's ("fail" = the rule fires at least once, "pass" = it does not).
// Deliberate differences are listed in kDeliberate with the reason.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dockerfile/lint.h"
#include "dockerfile/parser.h"
#include "support/test_support.h"

namespace mtr::dockerfile {
namespace {

struct Case {
  std::string rule;
  bool expect_fail = false;
  std::string snippet;
  std::string config;
  std::string name;
  int line = 0;
};

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = [] {
    std::vector<Case> out;
    std::istringstream in(
        test::read_file(test::corpus_dir() / "dockerfile" / "hadolint" / "cases.tsv"));
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (number == 1) continue;  // header
      std::vector<std::string> fields;
      std::size_t start = 0;
      while (true) {
        auto tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
      }
      if (fields.size() < 5) continue;
      out.push_back(Case{fields[0], fields[1] == "fail", unescape(fields[2]), unescape(fields[3]),
                         fields[4], number});
    }
    return out;
  }();
  return all;
}

// Quoted strings of a Haskell config literal: def { allowedRegistries = ["x.com", "*.y"] }.
std::vector<std::string> quoted(std::string_view s) {
  std::vector<std::string> out;
  while (true) {
    auto open = s.find('"');
    if (open == std::string_view::npos) break;
    auto close = s.find('"', open + 1);
    if (close == std::string_view::npos) break;
    out.emplace_back(s.substr(open + 1, close - open - 1));
    s.remove_prefix(close + 1);
  }
  return out;
}

// The configuration hadolint's spec used for a rule (its `config` column, or the spec's fixed
// label schema for the label rules, whose config is not in the TSV).
LintConfig config_for(const Case& c) {
  LintConfig config;
  if (c.config.find("allowedRegistries") != std::string::npos) {
    config.trusted_registries = dockerfile::quoted(c.config);  // not std::quoted via ADL
  }
  // Label-schema specs (test/Hadolint/Rule/DL30{49..58}Spec.hs) each define one schema.
  static const std::map<std::string, std::map<std::string, std::string>> kLabelSchemas = {
      {"DL3049", {{"foo", "text"}}},          {"DL3050", {{"required", "text"}}},
      {"DL3051", {{"emptylabel", "text"}}},   {"DL3052", {{"urllabel", "url"}}},
      {"DL3053", {{"datelabel", "rfc3339"}}}, {"DL3054", {{"spdxlabel", "spdx"}}},
      {"DL3055", {{"githash", "hash"}}},      {"DL3056", {{"semver", "semver"}}},
      {"DL3058", {{"maintainer", "email"}}},
  };
  if (auto it = kLabelSchemas.find(c.rule); it != kLabelSchemas.end()) {
    config.label_schema = it->second;
    config.strict_labels = c.rule == "DL3050";
  }
  return config;
}

// (rule, test name) → why our verdict differs from hadolint's on purpose.
const std::map<std::pair<std::string, std::string>, std::string> kDeliberate = {
    {{"DL3002", "warns on multiple stages"},
     "stage-aware: a builder stage's root USER does not reach the shipped image; the final "
     "stage sets USER foo"},
    {{"DL3043", "error when using `ONBUILD` within `ONBUILD`"},
     "BuildKit's parser rejects ONBUILD ONBUILD, so the file is a parse error, not a finding"},
    {{"DL3050", "ok with no label"},
     "the snippet is empty: BuildKit rejects a file with no instructions (parse error)"},
};

class HadolintCases : public testing::TestWithParam<std::string> {};

TEST_P(HadolintCases, VerdictMatches) {
  MTR_REQUIRE_CORPUS();
  const std::string& dl = GetParam();
  const RuleInfo* rule = builtin_rules().find(dl);
  if (rule == nullptr) GTEST_SKIP() << dl << " is not mapped to a Matryoshka rule";
  int checked = 0;
  for (const Case& c : cases()) {
    if (c.rule != dl) continue;
    if (kDeliberate.count({c.rule, c.name}) != 0) continue;
    ++checked;
    auto parsed = parse(c.snippet + "\n", "Dockerfile");
    if (!parsed) {
      ADD_FAILURE() << "cases.tsv:" << c.line << " " << dl << " \"" << c.name
                    << "\": does not parse: " << parsed.error().to_string() << "\n"
                    << c.snippet;
      continue;
    }
    LintOptions options;
    options.config = config_for(c);
    options.config.enabled.push_back(rule->id);
    options.config.scan_hint = false;
    bool fired = false;
    for (const auto& f : lint(*parsed, options)) fired = fired || f.id == rule->id;
    EXPECT_EQ(fired, c.expect_fail)
        << "cases.tsv:" << c.line << " " << dl << " (" << rule->id << ") \"" << c.name
        << "\": expected " << (c.expect_fail ? "fail" : "pass") << "\n"
        << c.snippet;
  }
  EXPECT_GT(checked, 0) << "no cases for " << dl;
}

std::vector<std::string> hadolint_rule_ids() {
  return {"DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008",
          "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL3018",
          "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026", "DL3027",
          "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036", "DL3037",
          "DL3038", "DL3040", "DL3041", "DL3042", "DL3043", "DL3044", "DL3045", "DL3046", "DL3047",
          "DL3048", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056",
          "DL3057", "DL3058", "DL3059", "DL3060", "DL3061", "DL3062", "DL3063", "DL3064", "DL3065",
          "DL3066", "DL3067", "DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006"};
}

INSTANTIATE_TEST_SUITE_P(Rules, HadolintCases, testing::ValuesIn(hadolint_rule_ids()),
                         [](const auto& test_info) { return test_info.param; });

}  // namespace
}  // namespace mtr::dockerfile
