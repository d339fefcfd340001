#include "identity/rate_limiter.h"

#include <gtest/gtest.h>

namespace solidum::identity {
namespace {

TEST(FailureLimiter, BlocksAfterTheLimitUntilTheWindowPasses) {
  ManualClock clock(1'000'000'000);
  FailureLimiter limiter(clock, 3, 60);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.RetryAfterSeconds("k"), 0);
    limiter.RecordFailure("k");
    clock.Advance(1'000'000);
  }
  EXPECT_EQ(limiter.RetryAfterSeconds("k"), 57);  // first failure leaves the window at +60 s
  EXPECT_EQ(limiter.RetryAfterSeconds("other"), 0);
  clock.Advance(57'000'000);
  EXPECT_EQ(limiter.RetryAfterSeconds("k"), 0);
}

TEST(FailureLimiter, ResetClears) {
  ManualClock clock(0);
  FailureLimiter limiter(clock, 1, 60);
  limiter.RecordFailure("k");
  EXPECT_GT(limiter.RetryAfterSeconds("k"), 0);
  limiter.Reset("k");
  EXPECT_EQ(limiter.RetryAfterSeconds("k"), 0);
}

}  // namespace
}  // namespace solidum::identity
