#include "core/severity.h"

#include <algorithm>
#include <cctype>

namespace mtr::core {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::kUnknown:
      return "unknown";
    case Severity::kNone:
      return "none";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

std::optional<Severity> parse_severity(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (auto s : {Severity::kUnknown, Severity::kNone, Severity::kLow, Severity::kMedium,
                 Severity::kHigh, Severity::kCritical}) {
    if (lower == to_string(s)) return s;
  }
  return std::nullopt;
}

}  // namespace mtr::core
