// Fuzzes the CVSS vector parser and scorer: any accepted vector must score within 0..10 and
// have a rating.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vulndb/cvss.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view vector(reinterpret_cast<const char*>(data), size);
  const auto score = mtr::vulndb::score_cvss(vector);
  if (!score) return 0;
  if (!(score->base >= 0.0 && score->base <= 10.0)) __builtin_trap();
  if (mtr::vulndb::cvss_severity(*score) == mtr::core::Severity::kUnknown) __builtin_trap();
  return 0;
}
