// Severity levels shared by every domain, ordered so that comparisons mean "at least".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mtr::core {

enum class Severity { kUnknown = 0, kNone, kLow, kMedium, kHigh, kCritical };

const char* to_string(Severity s);                              // "unknown", "low", …
std::optional<Severity> parse_severity(std::string_view text);  // case-insensitive

}  // namespace mtr::core
