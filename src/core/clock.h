// The only place that reads the wall clock. Code that needs time takes a Clock& so that
// tests can inject a fixed one.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mtr::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

// The real clock.
const Clock& system_clock();

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point at) : at_(at) {}
  std::chrono::system_clock::time_point now() const override { return at_; }

 private:
  std::chrono::system_clock::time_point at_;
};

// RFC 3339 in UTC, seconds precision: "2026-11-23T08:00:00Z".
std::string format_rfc3339(std::chrono::system_clock::time_point t);

// Parses "YYYY-MM-DDTHH:MM:SSZ" (fraction and numeric offsets accepted) and "YYYY-MM-DD"
// (midnight UTC); nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

// "YYYY-MM-DD" (UTC) of a time point.
std::string format_date(std::chrono::system_clock::time_point t);

}  // namespace mtr::core
