#include "registry/demo.h"

#include <gtest/gtest.h>

namespace solidum::registry {
namespace {

TEST(Demo, IsDeterministicPerSeed) {
  auto a = DemoOrganisations(50, 7);
  auto b = DemoOrganisations(50, 7);
  auto c = DemoOrganisations(50, 8);
  ASSERT_EQ(a.size(), 50u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].latitude, b[i].latitude);
  }
  int differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ += a[i].name != c[i].name;
  EXPECT_GT(differ, 25);
}

TEST(Demo, ProducesValidRecordsInTheLanguageOfTheirPlace) {
  for (const auto& o : DemoOrganisations(200, 1)) {
    ASSERT_TRUE(o.latitude && o.longitude);
    EXPECT_LE(std::abs(*o.latitude), 90);
    EXPECT_FALSE(o.name.empty());
    if (o.country == "FR") {
      EXPECT_NE(o.description.find(" à "), std::string::npos) << o.description;
    }
    if (o.country == "BR") {
      EXPECT_NE(o.description.find(" em "), std::string::npos) << o.description;
    }
  }
}

}  // namespace
}  // namespace solidum::registry
