// The vulnerability table: findings grouped by package (packages with the worst findings
// first), each group sorted by severity, and a summary line.
#pragma once

#include <ostream>
#include <vector>

#include "core/finding.h"

namespace mtr::match {

void write_vuln_table(std::ostream& out, const std::vector<core::Finding>& findings,
                      std::size_t suppressed);

}  // namespace mtr::match
