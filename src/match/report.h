// The vulnerability table: findings grouped by package (packages with the worst findings
// first), each group sorted by severity, and a summary line.
#pragma once

#include <ostream>
#include <vector>

#include "core/finding.h"

namespace mtr::match {

void write_vuln_table(std::ostream& out, const std::vector<core::Finding>& findings,
                      std::size_t suppressed);

// Secrets: one row per finding, the secret masked, where it is (path:line, layer) and whether
// a later layer hides the file. Image configuration: one row per finding.
void write_secret_table(std::ostream& out, const std::vector<core::Finding>& findings);
void write_config_table(std::ostream& out, const std::vector<core::Finding>& findings);

}  // namespace mtr::match
