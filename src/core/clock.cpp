#include "core/clock.h"

#include <fmt/chrono.h>

#include <ctime>

namespace mtr::core {
namespace {
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};
}  // namespace

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
  // Broken down explicitly in UTC: fmt 9 formats a system_clock time_point in local time,
  // which printed the local hour with a "Z" on any machine whose TZ is not UTC.
  std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", utc);
}

}  // namespace mtr::core
