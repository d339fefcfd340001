#include "governance/quorum.h"

#include <gtest/gtest.h>

namespace solidum::governance {
namespace {

TEST(Quorum, RequiredIsTheCeilingWithNoRounding) {
  EXPECT_EQ(QuorumRequired(7, 30), 3);  // 2.1 -> 3
  EXPECT_EQ(QuorumRequired(10, 30), 3);
  EXPECT_EQ(QuorumRequired(10, 0), 0);
  EXPECT_EQ(QuorumRequired(10, 100), 10);
  EXPECT_EQ(QuorumRequired(0, 50), 0);
  EXPECT_EQ(QuorumRequired(3, 50), 2);
}

TEST(Quorum, OverallCountsPresentAndRepresented) {
  const auto q = ComputeQuorum({25, false}, {{"worker", 8, 2, 0}, {"user", 12, 1, 0}});
  EXPECT_EQ(q.entitled, 20);
  EXPECT_EQ(q.required, 5);
  EXPECT_FALSE(q.met);  // 3 of 20
  const auto q2 = ComputeQuorum({25, false}, {{"worker", 8, 2, 1}, {"user", 12, 1, 1}});
  EXPECT_TRUE(q2.met);  // 5 of 20
  EXPECT_EQ(q2.rule, "25 % of members present or represented");
}

TEST(Quorum, PerClassNeedsEveryClassThatHasMembers) {
  // 8 of 10 overall, but the user college has 1 of 5.
  auto q = ComputeQuorum({30, true}, {{"worker", 5, 5, 0}, {"user", 5, 1, 0}, {"supporter", 0, 0, 0}});
  EXPECT_FALSE(q.met);
  EXPECT_TRUE(q.classes[0].met);
  EXPECT_FALSE(q.classes[1].met);
  EXPECT_TRUE(q.classes[2].met);  // an empty class blocks nothing
  q = ComputeQuorum({30, true}, {{"worker", 5, 5, 0}, {"user", 5, 1, 1}, {"supporter", 0, 0, 0}});
  EXPECT_TRUE(q.met);
  EXPECT_EQ(q.rule, "30 % of members present or represented, in every class");
}

}  // namespace
}  // namespace solidum::governance
