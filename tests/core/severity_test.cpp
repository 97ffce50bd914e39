#include "core/severity.h"

#include <gtest/gtest.h>

namespace mtr::core {
namespace {

TEST(Severity, NamesRoundTrip) {
  for (auto s : {Severity::kUnknown, Severity::kNone, Severity::kLow, Severity::kMedium,
                 Severity::kHigh, Severity::kCritical}) {
    EXPECT_EQ(parse_severity(to_string(s)), s) << to_string(s);
  }
  EXPECT_STREQ(to_string(Severity::kCritical), "critical");
}

TEST(Severity, ParsingIgnoresCase) {
  EXPECT_EQ(parse_severity("HIGH"), Severity::kHigh);
  EXPECT_EQ(parse_severity("Critical"), Severity::kCritical);
  EXPECT_EQ(parse_severity("mEdIuM"), Severity::kMedium);
}

TEST(Severity, UnknownWordsAreRejected) {
  EXPECT_FALSE(parse_severity(""));
  EXPECT_FALSE(parse_severity("severe"));
  EXPECT_FALSE(parse_severity(" high"));
  EXPECT_FALSE(parse_severity("high,low"));
}

TEST(Severity, OrderMeansAtLeast) {
  EXPECT_LT(Severity::kUnknown, Severity::kNone);
  EXPECT_LT(Severity::kNone, Severity::kLow);
  EXPECT_LT(Severity::kLow, Severity::kMedium);
  EXPECT_LT(Severity::kMedium, Severity::kHigh);
  EXPECT_LT(Severity::kHigh, Severity::kCritical);
}

}  // namespace
}  // namespace mtr::core
