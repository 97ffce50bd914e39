// Trivy's Dockerfile checks (../shared/corpus/dockerfile/peers/trivy-checks): for every DS
// check one of our rules carries as an alias, our rule fires on each of the check's `bad`
// examples and on none of its `good` ones.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <sstream>
#include <string>
#include <vector>

#include "dockerfile/lint.h"
#include "dockerfile/parser.h"
#include "support/test_support.h"

namespace mtr::dockerfile {
namespace {

struct Check {
  std::string id;  // DS-0001
  std::string examples_file;
};

std::vector<Check> trivy_checks() {
  std::vector<Check> out;
  auto dir = test::corpus_dir() / "dockerfile" / "peers" / "trivy-checks";
  std::istringstream in(test::read_file(dir / "checks.tsv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
      auto tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (fields.size() < 9 || fields[8].empty()) continue;
    out.push_back(Check{fields[0], fields[8]});
  }
  return out;
}

bool fires(const RuleInfo& rule, const std::string& text) {
  auto parsed = parse(text + "\n", "Dockerfile");
  if (!parsed) {
    ADD_FAILURE() << "does not parse: " << parsed.error().to_string() << "\n" << text;
    return false;
  }
  LintOptions options;
  options.config.enabled.push_back(rule.id);
  options.config.scan_hint = false;
  for (const auto& f : lint(*parsed, options)) {
    if (f.id == rule.id) return true;
  }
  return false;
}

TEST(TrivyExamples, VerdictsMatchForMappedChecks) {
  MTR_REQUIRE_CORPUS();
  auto dir = test::corpus_dir() / "dockerfile" / "peers" / "trivy-checks";
  int mapped = 0;
  std::vector<std::string> unmapped;
  for (const auto& check : trivy_checks()) {
    const RuleInfo* rule = builtin_rules().find(check.id);
    if (rule == nullptr) {
      unmapped.push_back(check.id);
      continue;
    }
    ++mapped;
    YAML::Node doc = YAML::LoadFile((dir / check.examples_file).string());
    for (const auto& good : doc["dockerfile"]["good"]) {
      EXPECT_FALSE(fires(*rule, good.as<std::string>()))
          << check.id << " (" << rule->id << ") fired on a good example:\n"
          << good.as<std::string>();
    }
    for (const auto& bad : doc["dockerfile"]["bad"]) {
      EXPECT_TRUE(fires(*rule, bad.as<std::string>()))
          << check.id << " (" << rule->id << ") missed a bad example:\n"
          << bad.as<std::string>();
    }
  }
  std::string list;
  for (const auto& id : unmapped) list += " " + id;
  std::cout << "trivy checks mapped: " << mapped << ", not mapped:" << list << "\n";
  EXPECT_GT(mapped, 0);
}

}  // namespace
}  // namespace mtr::dockerfile
