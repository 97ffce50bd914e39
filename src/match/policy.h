// What counts: severity filter, --fail-on, an ignore file (ids, optional package, expiry) and
// OpenVEX statements. Pure: the CLI reads the files and passes their text in.
//
// Vulnerability findings carry these properties (set by the matcher):
//   package, installed_version, fixed_version (may be empty), purl (the package's purl),
//   ecosystem (purl type), status ("affected" = no fix yet, "fixed" = a fix exists,
//   "will_not_fix", "fix_deferred", "unimportant", "undetermined"), source_package,
//   source_version, vendor_severity, cvss_score, cvss_vector, data_source, layer_index.
// Finding::id is the vulnerability id (a CVE when there is one), Finding::aliases the others.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/result.h"
#include "core/severity.h"

namespace mtr::match {

// One line (or YAML entry) of an ignore file.
struct IgnoreRule {
  std::string id;       // vulnerability id or alias (CVE-…, GHSA-…); matched case-insensitively
  std::string package;  // optional: package name or purl (purl without version = any version)
  std::string expires;  // optional: YYYY-MM-DD; the rule stops applying after that day (UTC)
  std::string reason;   // optional free text (kept for the report)
  std::string origin;   // "FILE:LINE" for messages
};

// Text form (.matryoshkaignore / .trivyignore compatible): one rule per line,
//   ID [PACKAGE] [exp:YYYY-MM-DD] [# reason]
// or YAML: `vulnerabilities: [{id, package|purls, expires|expired_at, reason|statement}]`.
// Errors name the file and line.
core::Result<std::vector<IgnoreRule>> parse_ignore_file(std::string_view text,
                                                        std::string_view origin);

// One OpenVEX statement (https://github.com/openvex/spec), products flattened to identifiers
// (purls or image references, with their subcomponents).
struct VexStatement {
  std::string vulnerability;          // name (or @id) of the vulnerability
  std::vector<std::string> aliases;   // vulnerability.aliases
  std::vector<std::string> products;  // product @id / identifiers.purl
  std::vector<std::string> subcomponents;
  std::string status;  // not_affected | affected | fixed | under_investigation
  std::string justification;
  std::string impact_statement;
  std::string origin;  // "FILE: statement N"
};

core::Result<std::vector<VexStatement>> parse_openvex(std::string_view json,
                                                      std::string_view origin);

struct PolicyOptions {
  std::set<core::Severity> severities;  // empty = every severity
  std::vector<IgnoreRule> ignores;
  std::vector<VexStatement> vex;  // not_affected and fixed statements suppress findings
  std::string today;              // YYYY-MM-DD (from core::Clock), for expiry
  std::string target;             // the image reference/digest, for VEX products naming it
};

struct Suppressed {
  core::Finding finding;
  std::string reason;  // "ignored by FILE:LINE (reason)", "VEX not_affected (justification) FILE"
};

struct PolicyResult {
  std::vector<core::Finding> findings;  // what remains, in input order
  std::vector<Suppressed> suppressed;
  std::vector<std::string> warnings;  // expired ignore rules, VEX statements matching nothing
};

PolicyResult apply_policy(std::vector<core::Finding> findings, const PolicyOptions& options);

// "--severity critical,high" → the set; error naming the bad word.
core::Result<std::set<core::Severity>> parse_severity_list(std::string_view list);

// True when some finding is at or above `fail_on` (nullopt: never fail).
bool should_fail(const std::vector<core::Finding>& findings, std::optional<core::Severity> fail_on);

}  // namespace mtr::match
