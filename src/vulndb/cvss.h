// CVSS base scores from vectors: v2.0, v3.0, v3.1 and v4.0, computed as each specification's
// calculator does (FIRST's reference formulas and, for v4.0, its macro-vector table).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/severity.h"

namespace mtr::vulndb {

struct CvssScore {
  std::string version;  // "2.0", "3.0", "3.1", "4.0"
  double base = 0;      // 0.0 … 10.0, one decimal
};

// nullopt when the vector is malformed (unknown metric, missing mandatory metric, bad value).
std::optional<CvssScore> score_cvss(std::string_view vector);

// Qualitative rating: v3/v4 → none/low/medium/high/critical; v2 → low/medium/high.
core::Severity cvss_severity(const CvssScore& score);

}  // namespace mtr::vulndb
