// Image configuration checks: risky settings a scanned image carries in its config (user,
// exposed ports, healthcheck, history) and in its merged file system (setuid binaries beyond the
// distribution's own, world-writable system paths, SSH, sudo, package caches, an end-of-life
// base). Pure: the scan hands over the image it read; each check is a row of one table with a
// stable id and, where one exists, the CIS Docker Benchmark section 4 and dockle ids.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/severity.h"
#include "oci/scan.h"

namespace mtr::imagecheck {

struct CheckInfo {
  std::string id;  // "MTR-IMG-001"
  std::string title;
  core::Severity severity = core::Severity::kMedium;
  std::string description;  // why it matters
  std::string fix;
  std::vector<std::string> references;  // "CIS Docker Benchmark 4.1", "CIS-DI-0001", URLs
};

// Every check, in id order (for `rules list`, docs and SARIF rule metadata).
const std::vector<CheckInfo>& builtin_checks();
const CheckInfo* find_check(std::string_view id);

struct CheckOptions {
  // "Today", injected (only src/core/clock.cpp reads the wall clock): the end-of-life check
  // compares the distribution's support end with it.
  std::chrono::sys_days today{};
  // Findings one check may report (a `chmod -R 777 /opt` would otherwise give one per file);
  // past it, one more finding of that check says how many were left out. 0 = no bound.
  std::size_t max_findings_per_check = 100;
};

// Runs every check over a scanned image. Findings carry target = scan.meta.name (or source),
// the layer diff_id and path where one applies, and evidence; never a clear secret.
std::vector<core::Finding> check_image(const oci::ImageScan& scan, const CheckOptions& options);

}  // namespace mtr::imagecheck
