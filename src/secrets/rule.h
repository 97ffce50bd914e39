// Secret rules as data: what a credential looks like, how it is found fast (keywords for the
// multi-pattern pass) and exactly (a regular expression, an entropy floor, an optional
// validator), and why it matters. The built-in table, user rules from the secret config file
// and `docs/secrets.md` all use this one shape.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/severity.h"

namespace mtr::secrets {

// Exact check on a candidate after the regular expression matched: `secret` is the captured
// secret, `match` the whole regular-expression match. False drops the candidate.
using Validator = std::function<bool(std::string_view secret, std::string_view match)>;

struct Rule {
  std::string id;     // stable, kebab-case: "aws-access-key-id"
  std::string title;  // "AWS access key ID"
  core::Severity severity = core::Severity::kHigh;
  std::string why;  // one sentence: what the holder of this secret can do
  // Literal strings, matched case-insensitively by the multi-pattern pass; the regex runs on a
  // file only when one of them occurs in it. Empty: the regex runs on every file the rule's
  // `path` admits (use only with a `path`).
  std::vector<std::string> keywords;
  // RE2 syntax. The secret is capture group `secret_group` (0 = the whole match).
  std::string regex;
  int secret_group = 0;
  // Shannon entropy (bits per character) the secret must reach; 0 = no floor.
  double min_entropy = 0;
  // RE2 on the absolute file path ("/root/.netrc"): the rule applies only to matching files.
  // Empty = every file. Image-config text (Env, Labels, history) has the path "".
  std::string path;
  // RE2 patterns: a secret (or whole match) matching any of them is a known placeholder or
  // example ("AKIAIOSFODNN7EXAMPLE", "changeme", "${PASSWORD}") and is not reported.
  std::vector<std::string> allow;
  Validator validate;  // optional
  std::vector<std::string> references;
};

// Suppresses findings: by rule id (empty = any rule), by path (RE2 on the file path) and/or by
// the secret or match text (RE2). All given fields must match.
struct AllowRule {
  std::string id;  // for messages: "tests"
  std::string description;
  std::string rule;   // rule id this applies to; empty = every rule
  std::string path;   // RE2 on the path
  std::string regex;  // RE2 on the secret / whole match
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<AllowRule> allow;
};

// Every built-in rule and the built-in allow rules (paths that hold documented examples).
RuleSet builtin_rules();

// Shannon entropy in bits per character (0 for an empty string).
double shannon_entropy(std::string_view text);

// The secret as it may be printed: at most the first 4 characters of a secret of 20 or more
// characters kept ("AKIA****************"), everything else '*'. Never longer than 40.
std::string mask(std::string_view secret);

}  // namespace mtr::secrets
