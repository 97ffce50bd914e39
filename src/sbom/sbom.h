// SBOM documents from a scanned image: a table, our JSON, CycloneDX 1.5 JSON, SPDX 2.3 JSON.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include <vector>

#include "core/clock.h"
#include "core/finding.h"
#include "core/result.h"
#include "oci/scan.h"

namespace mtr::sbom {

enum class Format { kTable, kJson, kCycloneDx, kSpdx };

core::Result<Format> parse_format(std::string_view name);

struct WriteOptions {
  std::string tool_version;
  const core::Clock* clock = nullptr;  // null = system clock
  // CycloneDX only: vulnerability findings (from match/) written as the `vulnerabilities`
  // array, each affecting the component of its package. A finding whose property
  // "analysis_state" is set (VEX: not_affected, resolved) carries that analysis state.
  const std::vector<core::Finding>* vulnerabilities = nullptr;
};

// Packages appear in one order in every format (type, then name). Apart from CycloneDX's
// serialNumber, SPDX's documentNamespace (both carry a fresh random UUID) and the timestamp
// from `options.clock`, the same scan gives the same bytes. Versions are written exactly as
// the package database spells them; license texts become SPDX ids or expressions only when
// they are valid ones (see sbom/spdx_license.h).
void write_sbom(std::ostream& out, Format format, const oci::ImageScan& scan,
                const WriteOptions& options);

}  // namespace mtr::sbom
