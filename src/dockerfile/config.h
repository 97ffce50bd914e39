// The lint configuration file (`.matryoshka.yaml`, section `dockerfile:`), also accepting
// hadolint's `.hadolint.yaml` keys so users carry their settings over:
//
//   dockerfile:
//     ignored: [DL3008, MTR-DF-103]          # ids or aliases
//     severity: {DL3059: low}                 # per-rule severity (critical … none)
//     override: {error: [DL3015], info: [..]} # hadolint's form of the same
//     enable: [MTR-DF-006]                    # rules that are off by default
//     trusted-registries: [docker.io, "*.corp.example"]   # hadolint: trustedRegistries
//     label-schema: {maintainer: email, org.opencontainers.image.source: url}
//     strict-labels: true
//     scan-hint: false                        # commandment 9's hint
//     disable-ignore-pragma: false            # ignore inline `# … ignore=` comments
//     fail-on: high                           # hadolint: failure-threshold
//
// A file without a `dockerfile:` section is read as that section (a .hadolint.yaml). Pure: the
// CLI reads the file; errors name origin:line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/severity.h"
#include "dockerfile/lint.h"

namespace mtr::dockerfile {

struct LintFileConfig {
  LintOptions options;  // config, ignored, severity overrides, pragmas
  std::string
      fail_on;  // fail-on / failure-threshold as written ("high", "error", "none"); "" = unset
  // Ids no rule answers to (ShellCheck's SC codes, hadolint rules we do not carry): kept in
  // the options (harmless) and reported, so a carried-over .hadolint.yaml still loads.
  std::vector<std::string> warnings;
};

// Reads the configuration text; unknown keys, bad severities and unknown label types are
// errors naming origin:line. `registry` resolves rule ids.
core::Result<LintFileConfig> parse_lint_config(std::string_view text, std::string_view origin,
                                               const RuleRegistry& registry = builtin_rules());

// hadolint's severity words (error, warning, info, style) and ours (critical … none).
std::optional<core::Severity> parse_lint_severity(std::string_view word);

}  // namespace mtr::dockerfile
