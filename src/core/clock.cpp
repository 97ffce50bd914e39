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

std::string format_date(std::chrono::system_clock::time_point t) {
  return format_rfc3339(t).substr(0, 10);
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
  auto digits = [&text](std::size_t pos, std::size_t n, int* out) {
    if (pos + n > text.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  std::tm tm{};
  int year = 0, month = 0, day = 0;
  if (!digits(0, 4, &year) || text.size() < 10 || text[4] != '-' || !digits(5, 2, &month) ||
      text[7] != '-' || !digits(8, 2, &day) || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  long offset = 0;
  if (text.size() > 10) {
    if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(11, 2, &tm.tm_hour) ||
        text.size() < 19 || text[13] != ':' || !digits(14, 2, &tm.tm_min) || text[16] != ':' ||
        !digits(17, 2, &tm.tm_sec)) {
      return std::nullopt;
    }
    std::size_t i = 19;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    }
    if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
      ++i;
    } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      int hh = 0, mm = 0;
      if (!digits(i + 1, 2, &hh) || i + 3 >= text.size() || text[i + 3] != ':' ||
          !digits(i + 4, 2, &mm)) {
        return std::nullopt;
      }
      offset = (text[i] == '+' ? 1 : -1) * (hh * 3600L + mm * 60L);
      i += 6;
    }
    if (i != text.size()) return std::nullopt;
  }
  std::time_t t = timegm(&tm);
  return std::chrono::system_clock::from_time_t(t - offset);
}

}  // namespace mtr::core
