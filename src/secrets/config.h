// The secret section of the user's configuration: their own rules, allow rules, and which
// built-in rules to turn off. A YAML file in the shape of Trivy's trivy-secret.yaml, so
// existing files mostly carry over:
//
//   rules:                       # added after the built-in rules
//     - id: acme-api-key
//       title: ACME API key
//       severity: HIGH
//       why: Grants full access to the ACME account.
//       keywords: [acme_]
//       regex: 'acme_[a-z0-9]{32}'
//       secret-group: 0           # optional
//       entropy: 3.0              # optional
//       path: '\.conf$'           # optional
//       allow: ['acme_0{32}']     # optional
//   allow-rules:
//     - id: fixtures
//       description: test fixtures
//       path: '^/app/tests/fixtures/'
//       regex: ...                 # optional; rule: RULE-ID optional
//   disable-rules: [jwt]
//   disable-allow-rules: [...]
//   enable-builtin-rules: [...]    # only these built-in rules (default: all)
#pragma once

#include <filesystem>
#include <string_view>

#include "core/result.h"
#include "secrets/rule.h"

namespace mtr::secrets {

// Applies a configuration text to `rules` (usually builtin_rules()). Errors name the origin
// (file name) and line: unknown keys, wrong types, unknown rule ids, a rule without a regex.
core::Result<RuleSet> apply_config(std::string_view yaml, std::string_view origin, RuleSet rules);
core::Result<RuleSet> apply_config_file(const std::filesystem::path& file, RuleSet rules);

}  // namespace mtr::secrets
