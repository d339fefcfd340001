#include "governance/tally/motion.h"

#include <gtest/gtest.h>

namespace solidum::tally {
namespace {

CollegeVotes All(std::int64_t yes, std::int64_t no, std::int64_t abstain, std::int64_t entitled) {
  return {"", 0, yes, no, abstain, entitled};
}

TEST(Motion, SimpleMajorityNeedsMoreThanHalfOfVotesCast) {
  EXPECT_TRUE(CountMotion({All(51, 49, 30, 200)}, {}).adopted);
  EXPECT_FALSE(CountMotion({All(50, 50, 0, 200)}, {}).adopted);  // a tie is not a majority
  // Abstentions counted against turn the same votes into a defeat.
  MotionRule against{Threshold::kSimple, MajorityBase::kVotesCast, Abstentions::kAgainst, false};
  EXPECT_FALSE(CountMotion({All(51, 49, 30, 200)}, against).adopted);
  EXPECT_EQ(CountMotion({All(51, 49, 30, 200)}, {}).rule,
            "more than half of the votes cast; abstentions not counted; one member, one vote");
}

TEST(Motion, QualifiedMajoritiesAreReachedExactly) {
  MotionRule two_thirds{Threshold::kTwoThirds, MajorityBase::kVotesCast, Abstentions::kExcluded, false};
  EXPECT_TRUE(CountMotion({All(200, 100, 5, 400)}, two_thirds).adopted);   // exactly 2/3
  EXPECT_FALSE(CountMotion({All(199, 100, 5, 400)}, two_thirds).adopted);
  MotionRule three_quarters{Threshold::kThreeQuarters, MajorityBase::kVotesCast, Abstentions::kExcluded, false};
  EXPECT_TRUE(CountMotion({All(75, 25, 0, 100)}, three_quarters).adopted);
  EXPECT_FALSE(CountMotion({All(74, 25, 0, 100)}, three_quarters).adopted);
  // Of the members: absent members count against.
  MotionRule members{Threshold::kTwoThirds, MajorityBase::kMembers, Abstentions::kExcluded, false};
  const auto r = CountMotion({All(200, 10, 0, 400)}, members);
  EXPECT_FALSE(r.adopted);
  EXPECT_EQ(r.share_ppm, 500000);
  EXPECT_NE(r.rule.find("of the members entitled to vote"), std::string::npos);
}

TEST(Motion, WeightedCollegesCountEachCollegesShare) {
  // A SCIC: workers 30 %, users 30 %, supporters 15 %, partners 15 %, authorities 5 %, founders 5 %.
  std::vector<CollegeVotes> scic = {
      {"worker", 30, 8, 2, 0, 12},   {"user", 30, 100, 300, 0, 900}, {"supporter", 15, 40, 10, 0, 60},
      {"partner", 15, 3, 0, 0, 4},   {"authority", 5, 1, 0, 0, 1},   {"founder", 5, 0, 0, 0, 2},
  };
  // Unweighted: 152 yes of 464 votes: rejected. Weighted: (30*.8 + 30*.25 + 15*.8 + 15*1 + 5*1) / 95 = 63.5/95 = 66.84 %.
  MotionRule plain{};
  EXPECT_FALSE(CountMotion(scic, plain).adopted);
  MotionRule weighted{Threshold::kSimple, MajorityBase::kVotesCast, Abstentions::kExcluded, true};
  const auto r = CountMotion(scic, weighted);
  EXPECT_TRUE(r.adopted);
  EXPECT_EQ(r.share_ppm, 668421);
  EXPECT_EQ(r.college_share_ppm, (std::vector<std::int64_t>{800000, 250000, 800000, 1000000, 1000000, 0}));
  EXPECT_NE(r.rule.find("colleges weighted 30/30/15/15/5/5 %"), std::string::npos);
  // Two-thirds weighted: 66.84 % reaches it; three-quarters does not.
  weighted.threshold = Threshold::kTwoThirds;
  EXPECT_TRUE(CountMotion(scic, weighted).adopted);
  weighted.threshold = Threshold::kThreeQuarters;
  EXPECT_FALSE(CountMotion(scic, weighted).adopted);
}

TEST(Motion, NoVotesAdoptsNothing) {
  EXPECT_FALSE(CountMotion({All(0, 0, 0, 10)}, {}).adopted);
  EXPECT_FALSE(CountMotion({}, MotionRule{Threshold::kSimple, MajorityBase::kVotesCast, Abstentions::kExcluded, true}).adopted);
}

}  // namespace
}  // namespace solidum::tally
