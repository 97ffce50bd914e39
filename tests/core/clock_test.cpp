#include "core/clock.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

namespace mtr::core {
namespace {

TEST(FormatRfc3339, Utc) {
  EXPECT_EQ(format_rfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(1709296496))),
            "2024-03-01T12:34:56Z");
  EXPECT_EQ(format_rfc3339(std::chrono::system_clock::time_point()), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(std::chrono::system_clock::time_point(std::chrono::milliseconds(1999))),
            "1970-01-01T00:00:01Z");  // truncated, never rounded up
}

// The "Z" must be true whatever the machine's time zone.
TEST(FormatRfc3339, IndependentOfTheLocalTimeZone) {
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", "America/New_York", 1);
  tzset();
  auto text =
      format_rfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(1709296496)));
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  EXPECT_EQ(text, "2024-03-01T12:34:56Z");
}

TEST(FixedClock, ReturnsItsTime) {
  auto at = std::chrono::system_clock::time_point(std::chrono::seconds(42));
  FixedClock clock(at);
  EXPECT_EQ(clock.now(), at);
  const Clock& c = clock;
  EXPECT_EQ(c.now(), at);
}

}  // namespace
}  // namespace mtr::core
