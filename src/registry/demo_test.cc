#include "registry/demo.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace solidum::registry {
namespace {

TEST(Demo, IsDeterministicPerSeed) {
  auto a = Demo(50, 7).organisations;
  auto b = Demo(50, 7).organisations;
  auto c = Demo(50, 8).organisations;
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].latitude, b[i].latitude);
  }
  int differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ += a[i].name != c[i].name;
  EXPECT_GT(differ, 25);
}

TEST(Demo, ProducesValidRecordsInTheLanguageOfTheirPlace) {
  auto demo = Demo(200, 1);
  ASSERT_EQ(demo.organisations.size(), 200 + demo.networks);
  for (std::size_t i = demo.networks; i < demo.organisations.size(); ++i) {
    const auto& o = demo.organisations[i];
    ASSERT_TRUE(o.latitude && o.longitude);
    EXPECT_LE(std::abs(*o.latitude), 90);
    EXPECT_FALSE(o.name.empty());
    EXPECT_TRUE(o.region.has_value());
    EXPECT_FALSE(o.network_scope.has_value());
    if (o.country == "FR") {
      EXPECT_NE(o.description.find(" à "), std::string::npos) << o.description;
    }
    if (o.country == "BR") {
      EXPECT_NE(o.description.find(" em "), std::string::npos) << o.description;
    }
  }
}

// One international network over national ones, regional and sector networks under those,
// and every organisation in at most its region's network and its sector's federation.
TEST(Demo, NetworksNestFromRegionsToTheWorld) {
  auto demo = Demo(500, 3);
  std::map<std::string, int> scopes;
  for (std::size_t i = 0; i < demo.networks; ++i) scopes[demo.organisations[i].network_scope.value()]++;
  EXPECT_EQ(scopes["international"], 1);
  EXPECT_EQ(scopes["national"], 11 * 3);  // 11 countries: a national network and two federations
  EXPECT_EQ(scopes["regional"], 18);
  std::map<std::size_t, std::set<std::size_t>> in;
  int ended = 0;
  for (const auto& m : demo.memberships) {
    ASSERT_LT(m.network, demo.networks) << "only networks have members";
    EXPECT_TRUE(in[m.member].insert(m.network).second) << "one membership per pair";
    EXPECT_LT(m.start_date, m.end_date.value_or("9999"));
    ended += m.end_date.has_value();
  }
  std::size_t members = 0;
  for (std::size_t i = demo.networks; i < demo.organisations.size(); ++i) members += in.count(i);
  EXPECT_GT(members, 400u);
  EXPECT_GT(ended, 0);
  EXPECT_EQ(demo.organisations[0].network_scope, "international");
}

}  // namespace
}  // namespace solidum::registry
