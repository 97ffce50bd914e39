// The built-in secret rules against their case corpus, tests/secrets/cases/<rule-id>/{tp,fp}/:
// a file under tp/ is scanned with its path below tp/ as its absolute path and must yield the
// rule; a file under fp/ must yield nothing at all. Failure messages name the case, the rule,
// the line and the engine's masked evidence, never the secret or the file's text.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "secrets/rule.h"
#include "secrets/scanner.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace {

struct Case {
  std::string rule_id;
  bool positive = false;
  fs::path file;             // on disk
  std::string virtual_path;  // as scanned: "/root/.netrc"
};

fs::path cases_dir() { return fs::path(MTR_SOURCE_DIR) / "tests" / "secrets" / "cases"; }

std::vector<Case> load_cases() {
  std::vector<Case> out;
  for (const auto& rule_dir : fs::directory_iterator(cases_dir())) {
    if (!rule_dir.is_directory()) continue;
    for (const char* kind : {"tp", "fp"}) {
      const fs::path root = rule_dir.path() / kind;
      if (!fs::is_directory(root)) continue;
      for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        out.push_back({rule_dir.path().filename().string(), std::string(kind) == "tp", entry.path(),
                       "/" + fs::relative(entry.path(), root).generic_string()});
      }
    }
  }
  return out;
}

std::string case_name(const Case& c) {
  return c.rule_id + (c.positive ? "/tp" : "/fp") + c.virtual_path;
}

// Only what the engine already masked: no secret, no file text.
std::string describe(const mtr::secrets::Match& m) {
  return m.rule_id + " at line " + std::to_string(m.line) + ":" + std::to_string(m.column) +
         " evidence \"" + m.evidence + "\" fingerprint " + m.fingerprint;
}

bool kebab_case(const std::string& id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && id[i + 1] == '-')) return false;
  }
  return true;
}

class BuiltinRules : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto compiled = mtr::secrets::Scanner::compile(mtr::secrets::builtin_rules());
    ASSERT_TRUE(compiled.has_value()) << compiled.error().message;
    scanner_ = compiled->release();
    cases_ = new std::vector<Case>(load_cases());
  }
  static void TearDownTestSuite() {
    delete scanner_;
    scanner_ = nullptr;
    delete cases_;
    cases_ = nullptr;
  }

  static const mtr::secrets::Scanner* scanner_;
  static const std::vector<Case>* cases_;
};

const mtr::secrets::Scanner* BuiltinRules::scanner_ = nullptr;
const std::vector<Case>* BuiltinRules::cases_ = nullptr;

TEST_F(BuiltinRules, MetadataIsComplete) {
  std::set<std::string> ids;
  for (const auto& rule : mtr::secrets::builtin_rules().rules) {
    EXPECT_TRUE(kebab_case(rule.id)) << "rule id '" << rule.id << "' is not kebab-case";
    EXPECT_TRUE(ids.insert(rule.id).second) << "rule id '" << rule.id << "' is not unique";
    EXPECT_FALSE(rule.title.empty()) << rule.id << ": no title";
    EXPECT_FALSE(rule.why.empty()) << rule.id << ": no why";
    EXPECT_FALSE(rule.regex.empty()) << rule.id << ": no regex";
    EXPECT_FALSE(rule.references.empty()) << rule.id << ": no reference";
    EXPECT_GE(rule.severity, mtr::core::Severity::kLow) << rule.id << ": no severity";
  }
}

TEST_F(BuiltinRules, EveryRuleHasTwoTrueAndTwoFalsePositiveCases) {
  ASSERT_NE(scanner_, nullptr);
  std::map<std::string, std::pair<int, int>> counts;  // rule id → (tp, fp)
  for (const auto& c : *cases_) {
    auto& [tp, fp] = counts[c.rule_id];
    ++(c.positive ? tp : fp);
  }
  for (const auto& rule : scanner_->rules()) {
    EXPECT_GE(counts[rule.id].first, 2) << rule.id << ": fewer than 2 true-positive cases";
    EXPECT_GE(counts[rule.id].second, 2) << rule.id << ": fewer than 2 false-positive cases";
  }
  for (const auto& [id, n] : counts) {
    EXPECT_NE(scanner_->find(id), nullptr) << "cases for unknown rule '" << id << "'";
  }
}

TEST_F(BuiltinRules, TruePositivesAreFound) {
  ASSERT_NE(scanner_, nullptr);
  int checked = 0;
  for (const auto& c : *cases_) {
    if (!c.positive) continue;
    ++checked;
    const auto matches = scanner_->scan(c.virtual_path, mtr::test::read_file(c.file));
    int own = 0;
    std::string others;
    for (const auto& m : matches) {
      if (m.rule_id == c.rule_id) {
        ++own;
      } else {
        others += "\n  instead: " + describe(m);
      }
    }
    EXPECT_GE(own, 1) << case_name(c) << ": rule " << c.rule_id << " found nothing" << others;
  }
  EXPECT_GT(checked, 0) << "no true-positive cases under " << cases_dir();
}

TEST_F(BuiltinRules, FalsePositivesFindNothing) {
  ASSERT_NE(scanner_, nullptr);
  int checked = 0;
  for (const auto& c : *cases_) {
    if (c.positive) continue;
    ++checked;
    for (const auto& m : scanner_->scan(c.virtual_path, mtr::test::read_file(c.file))) {
      ADD_FAILURE() << case_name(c) << ": unexpected " << describe(m);
    }
  }
  EXPECT_GT(checked, 0) << "no false-positive cases under " << cases_dir();
}

// Image-config strings (Env, Labels, history) are scanned with the path "": path-bound rules
// stay quiet, the others apply. The values are invented.
TEST_F(BuiltinRules, ImageConfigStrings) {
  ASSERT_NE(scanner_, nullptr);
  auto rules_in = [&](std::string_view text) {
    std::vector<std::string> ids;
    for (const auto& m : scanner_->scan("", text)) ids.push_back(m.rule_id);
    return ids;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(rules_in("GITHUB_TOKEN=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"), Ids{"github-token"});
  EXPECT_EQ(rules_in("DB_PASSWORD=6YYZYn9ZhyiA4u"), Ids{"generic-secret-assignment"});
  // What official images put in their config: versions, checksums, signing-key fingerprints.
  for (const char* clean : {
           "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "LANG=C.UTF-8",
           "GPG_KEY=C17149D439536B3216FDAEEB975729FAE923D5A4",
           "PYTHON_SHA256=fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc74254770f58904dba41",
           "org.opencontainers.image.revision=C17149D439536B3216FDAEEB975729FAE923D5A4",
           "DB_PASSWORD_FILE=/run/secrets/db_password",
           "/bin/sh -c #(nop)  ENV POSTGRES_PASSWORD=${POSTGRES_PASSWORD}",
       }) {
    EXPECT_EQ(rules_in(clean), Ids{}) << "config string " << clean;
  }
}

// The path restriction is part of a rule: a .netrc line in a README is not a .netrc.
TEST_F(BuiltinRules, PathRulesIgnoreOtherFiles) {
  ASSERT_NE(scanner_, nullptr);
  for (const auto& c : *cases_) {
    if (!c.positive) continue;
    const auto* rule = scanner_->find(c.rule_id);
    if (rule == nullptr || rule->path.empty()) continue;
    for (const auto& m : scanner_->scan("/app/docs/notes.txt", mtr::test::read_file(c.file))) {
      EXPECT_NE(m.rule_id, c.rule_id) << case_name(c) << " as /app/docs/notes.txt: " << describe(m);
    }
  }
}

}  // namespace
