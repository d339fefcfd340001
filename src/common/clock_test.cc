#include "common/clock.h"

#include <gtest/gtest.h>

namespace solidum {
namespace {

TEST(Timestamp, FormatsRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(1795440910123456), "2026-11-23T13:35:10.123Z");
  EXPECT_EQ(FormatTimestamp(-1000), "1969-12-31T23:59:59.999Z");
}

TEST(ManualClock, Advances) {
  ManualClock c(100);
  c.Advance(50);
  EXPECT_EQ(c.NowMicros(), 150);
}

}  // namespace
}  // namespace solidum
