// The secret engine with small hand-written rules: keyword gating, capture groups, entropy,
// allow lists, overlap between rules, line/column, and masking of the evidence.
#include "secrets/scanner.h"

#include <gtest/gtest.h>

#include "secrets/config.h"

namespace mtr::secrets {
namespace {

Rule token_rule() {
  Rule r;
  r.id = "acme-token";
  r.title = "ACME token";
  r.why = "test";
  r.keywords = {"acme_"};
  r.regex = R"(acme_([a-zA-Z0-9]{20}))";
  r.secret_group = 1;
  return r;
}

Rule generic_rule() {
  Rule r;
  r.id = "generic-password";
  r.title = "password";
  r.why = "test";
  r.keywords = {"password"};
  r.regex = R"((?i)password\s*=\s*([^\s"']{8,}))";
  r.secret_group = 1;
  r.min_entropy = 3.0;
  r.allow = {"(?i)^changeme"};
  return r;
}

std::unique_ptr<Scanner> compile(RuleSet set, ScannerOptions options = {}) {
  auto s = Scanner::compile(std::move(set), options);
  EXPECT_TRUE(s) << (s ? "" : s.error().to_string());
  return s ? std::move(*s) : nullptr;
}

TEST(SecretScanner, FindsTheSecretGroupWithLineAndColumnAndMasksIt) {
  auto s = compile({{token_rule()}, {}});
  const std::string text = "line one\n  key: acme_Zq8rT1vW3xY5nB7mK9pL\n";
  auto found = s->scan("/app/config.yml", text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule_id, "acme-token");
  EXPECT_EQ(found[0].line, 2u);
  EXPECT_EQ(found[0].column, 13u);  // the secret group, after "acme_"
  EXPECT_EQ(found[0].evidence, "  key: acme_Zq8r****************");
  EXPECT_EQ(found[0].evidence.find("Zq8rT1vW3xY5nB7mK9pL"), std::string::npos);
  EXPECT_EQ(found[0].fingerprint.size(), 16u);
}

TEST(SecretScanner, KeywordsGateTheRegexCaseInsensitively) {
  Rule r = token_rule();
  r.keywords = {"NEEDLE"};
  auto s = compile({{r}, {}});
  EXPECT_TRUE(s->scan("/x", "acme_Zq8rT1vW3xY5nB7mK9pL").empty());
  EXPECT_EQ(s->scan("/x", "needle acme_Zq8rT1vW3xY5nB7mK9pL").size(), 1u);
}

TEST(SecretScanner, EntropyFloorAndAllowListDropPlaceholders) {
  auto s = compile({{generic_rule()}, {}});
  EXPECT_TRUE(s->scan("/x", "password=aaaaaaaaaaaa").empty());         // low entropy
  EXPECT_TRUE(s->scan("/x", "password=ChangeMe-Later-2024").empty());  // allow-listed
  EXPECT_EQ(s->scan("/x", "password=Tr0ub4dor&3xq").size(), 1u);
}

TEST(SecretScanner, GlobalAllowRulesByPathAndRule) {
  AllowRule a;
  a.id = "fixtures";
  a.path = "^/app/fixtures/";
  auto s = compile({{token_rule()}, {a}});
  EXPECT_TRUE(s->scan("/app/fixtures/x.txt", "acme_Zq8rT1vW3xY5nB7mK9pL").empty());
  EXPECT_EQ(s->scan("/app/x.txt", "acme_Zq8rT1vW3xY5nB7mK9pL").size(), 1u);
}

TEST(SecretScanner, PathRulesApplyOnlyToTheirFiles) {
  Rule r;
  r.id = "netrc-like";
  r.title = "t";
  r.path = R"((^|/)\.netrc$)";
  r.regex = R"(password\s+(\S+))";
  r.secret_group = 1;
  auto s = compile({{r}, {}});
  EXPECT_TRUE(s->scan("/root/notes.txt", "password hunter2x").empty());
  EXPECT_EQ(s->scan("/root/.netrc", "machine a login b password hunter2x").size(), 1u);
}

TEST(SecretScanner, AnEarlierRuleOwnsAnOverlappingSecret) {
  Rule specific = token_rule();
  Rule generic = generic_rule();
  generic.regex = R"((?i)password\s*=\s*(\S{8,}))";
  auto s = compile({{specific, generic}, {}});
  auto found = s->scan("/x", "password=acme_Zq8rT1vW3xY5nB7mK9pL");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule_id, "acme-token");
}

TEST(SecretScanner, EvidenceMasksEverySecretOnTheLine) {
  auto s = compile({{token_rule()}, {}});
  const std::string text = "A=acme_Zq8rT1vW3xY5nB7mK9pL B=acme_Hj2kL4mN6pQ8rS0tU2vW";
  auto found = s->scan("", text);
  ASSERT_EQ(found.size(), 2u);
  for (const auto& m : found) {
    EXPECT_EQ(m.evidence.find("Zq8rT1vW3xY5nB7mK9pL"), std::string::npos);
    EXPECT_EQ(m.evidence.find("Hj2kL4mN6pQ8rS0tU2vW"), std::string::npos);
  }
  EXPECT_NE(found[0].fingerprint, found[1].fingerprint);
}

TEST(SecretScanner, BadPatternsAreErrorsNamingTheRule) {
  Rule r = token_rule();
  r.regex = "acme_(";
  auto s = Scanner::compile({{r}, {}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("acme-token"), std::string::npos);
  Rule bad_group = token_rule();
  bad_group.secret_group = 3;
  EXPECT_FALSE(Scanner::compile({{bad_group}, {}}));
  Rule unbounded = token_rule();
  unbounded.keywords.clear();
  EXPECT_FALSE(Scanner::compile({{unbounded}, {}}));
  EXPECT_FALSE(Scanner::compile({{token_rule(), token_rule()}, {}}));  // duplicate id
}

TEST(SecretScanner, FingerprintFollowsRulesAndOptions) {
  auto a = compile({{token_rule()}, {}});
  auto b = compile({{token_rule(), generic_rule()}, {}});
  ScannerOptions binary;
  binary.scan_binary = true;
  auto c = compile({{token_rule()}, {}}, binary);
  EXPECT_NE(a->fingerprint(), b->fingerprint());
  EXPECT_NE(a->fingerprint(), c->fingerprint());
  EXPECT_EQ(a->fingerprint(), compile({{token_rule()}, {}})->fingerprint());
}

TEST(SecretScanner, MatchesPerFileAreBounded) {
  ScannerOptions options;
  options.max_matches_per_file = 5;
  auto s = compile({{token_rule()}, {}}, options);
  std::string text;
  for (int i = 0; i < 50; ++i) text += "acme_Zq8rT1vW3xY5nB7mK" + std::to_string(100 + i) + "\n";
  EXPECT_EQ(s->scan("/x", text).size(), 5u);
}

TEST(SecretMask, KeepsAShortPrefixOfLongSecretsOnly) {
  EXPECT_EQ(mask("hunter2"), "*******");
  EXPECT_EQ(mask("AKIAZZZZZZZZZZZZZZZZ"), "AKIA****************");
  EXPECT_EQ(mask(std::string(100, 'x')).size(), 40u);
  EXPECT_EQ(mask(""), "");
}

TEST(SecretEntropy, ShannonBitsPerCharacter) {
  EXPECT_DOUBLE_EQ(shannon_entropy(""), 0.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("abab"), 1.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("abcd"), 2.0);
}

TEST(SecretBinary, NulInTheFirst8KiB) {
  EXPECT_FALSE(looks_binary("plain text"));
  EXPECT_TRUE(
      looks_binary(std::string("\x7f"
                               "ELF\0\0",
                               6)));
  std::string late(9000, 'a');
  late[8500] = '\0';
  EXPECT_FALSE(looks_binary(late));
}

// --- the secret config file ---------------------------------------------------------------

TEST(SecretConfig, AddsRulesAllowRulesAndDisablesBuiltIns) {
  RuleSet base{{token_rule(), generic_rule()}, {}};
  auto set = apply_config(R"(
rules:
  - id: corp-key
    title: Corp key
    severity: critical
    keywords: [corp_]
    regex: 'corp_[0-9a-f]{16}'
allow-rules:
  - id: fixtures
    path: '^/fixtures/'
disable-rules: [generic-password]
)",
                          "secret.yaml", base);
  ASSERT_TRUE(set) << set.error().to_string();
  ASSERT_EQ(set->rules.size(), 2u);
  EXPECT_EQ(set->rules[1].id, "corp-key");
  EXPECT_EQ(set->rules[1].severity, core::Severity::kCritical);
  ASSERT_EQ(set->allow.size(), 1u);
  auto s = compile(*set);
  EXPECT_EQ(s->scan("/app/a", "corp_0123456789abcdef").size(), 1u);
  EXPECT_TRUE(s->scan("/fixtures/a", "corp_0123456789abcdef").empty());
  EXPECT_TRUE(s->scan("/app/a", "password=Tr0ub4dor&3xq").empty());
}

TEST(SecretConfig, EnableBuiltinRulesKeepsOnlyThose) {
  auto set = apply_config("enable-builtin-rules: [acme-token]\n", "s.yaml",
                          {{token_rule(), generic_rule()}, {}});
  ASSERT_TRUE(set);
  ASSERT_EQ(set->rules.size(), 1u);
  EXPECT_EQ(set->rules[0].id, "acme-token");
}

TEST(SecretConfig, ErrorsNameTheFileAndLine) {
  RuleSet base{{token_rule()}, {}};
  struct Case {
    const char* yaml;
    const char* says;
    std::uint64_t line;
  } cases[] = {
      {"rules:\n  - id: x\n    regx: a\n", "unknown key 'regx'", 3},
      {"rules:\n  - id: x\n    keywords: [a]\n", "needs a 'regex'", 2},
      {"disable-rules: [nope]\n", "unknown rule 'nope'", 1},
      {"rules:\n  - id: acme-token\n    keywords: [a]\n    regex: a\n", "already defined", 2},
      {"rules:\n  - id: x\n    regex: a\n", "needs 'keywords'", 2},
      {"rules: [\n", "invalid YAML", 2},
      {"rules:\n  - id: x\n    regex: a\n    keywords: [a]\n    severity: dire\n",
       "unknown severity", 5},
      {"- a\n", "must be a mapping", 1},
  };
  for (const auto& c : cases) {
    auto set = apply_config(c.yaml, "secret.yaml", base);
    ASSERT_FALSE(set) << c.yaml;
    EXPECT_NE(set.error().message.find(c.says), std::string::npos) << set.error().to_string();
    EXPECT_EQ(set.error().location.file, "secret.yaml");
    EXPECT_EQ(set.error().location.line, c.line) << c.yaml;
  }
}

}  // namespace
}  // namespace mtr::secrets
