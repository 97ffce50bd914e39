// Flags `image scan` and `rescan` share: database, matching and policy options, and the
// output of vulnerability findings.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/result.h"
#include "match/match.h"
#include "match/policy.h"

namespace mtr::oci {
struct ImageScan;
}

namespace mtr::cli {

struct VulnFlags {
  std::string db;
  std::string format = "table";
  std::string output;
  std::string severity;
  std::string fail_on;
  std::string ignore_file;
  std::vector<std::string> vex;
  bool ignore_unfixed = false;
  bool include_unimportant = false;
};

// Adds --db, --format (with `formats`), --output, --severity, --fail-on, --ignore-file,
// --vex, --ignore-unfixed, --include-unimportant.
void add_vuln_flags(CLI::App* app, VulnFlags& flags, const std::vector<std::string>& formats);

match::MatchOptions match_options(const VulnFlags& flags);

// Reads the ignore file (default .matryoshkaignore in the working directory, when present)
// and the VEX documents.
core::Result<match::PolicyOptions> policy_options(const VulnFlags& flags,
                                                  const std::string& target);

core::Result<std::optional<core::Severity>> fail_on(const VulnFlags& flags);

// Renders findings in flags.format to flags.output. CycloneDX needs the scan (components)
// and lists suppressed findings with their VEX analysis state.
core::Status write_vuln_report_to(std::ostream& out, const VulnFlags& flags,
                                  const std::vector<core::Finding>& findings,
                                  const std::vector<match::Suppressed>& suppressed,
                                  const oci::ImageScan* scan);
core::Status write_vuln_report(const VulnFlags& flags, const std::vector<core::Finding>& findings,
                               const std::vector<match::Suppressed>& suppressed,
                               const oci::ImageScan* scan);

}  // namespace mtr::cli
