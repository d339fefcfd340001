#include "registry/organisation.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace solidum::registry {
namespace {

Result<OrganisationChanges> P(std::string_view s, Mode m = Mode::kCreate) {
  return ParseOrganisation(boost::json::parse(s), m);
}

std::string FirstField(const Result<OrganisationChanges>& r) {
  return r.ok() ? "" : r.error().fields.at(0).field + " " + r.error().fields.at(0).code;
}

TEST(ParseOrganisation, AcceptsAFullRecord) {
  auto r = P(R"({"name":"La Fabrique","description":"Boulangerie\ncoopérative","legal_form":"OS60",
                 "country":"fr","latitude":45.76,"longitude":4.83,"website":"https://fabrique.example/",
                 "status":"active"})");
  ASSERT_TRUE(r.ok()) << FirstField(r);
  Organisation o;
  ASSERT_TRUE(Apply(*r, o).ok());
  EXPECT_EQ(o.country, "FR");
  EXPECT_EQ(o.description, "Boulangerie\ncoopérative");
}

TEST(ParseOrganisation, NamesTheBadField) {
  EXPECT_EQ(FirstField(P(R"({})")), "/name required");
  EXPECT_EQ(FirstField(P(R"({"name":""})")), "/name required");
  EXPECT_EQ(FirstField(P(R"({"name":42})")), "/name wrong_type");
  EXPECT_EQ(FirstField(P(R"({"name":"a","nmae":"b"})")), "/nmae unknown_field");
  EXPECT_EQ(FirstField(P(R"({"name":"a","latitude":1e300,"longitude":0})")), "/latitude out_of_range");
  EXPECT_EQ(FirstField(P(R"({"name":"a","country":"FRA"})")), "/country too_long");
  EXPECT_EQ(FirstField(P(R"({"name":"a","country":"1F"})")), "/country invalid_country");
  EXPECT_EQ(FirstField(P(R"J({"name":"a","website":"javascript:alert(1)"})J")), "/website invalid_url");
  EXPECT_EQ(FirstField(P(R"({"name":"a","status":"dormant"})")), "/status unknown_term");
  EXPECT_EQ(FirstField(P(R"({"name":"two\nlines"})")), "/name control_characters");
  EXPECT_EQ(FirstField(P(R"({"name":null})", Mode::kPatch)), "/name not_nullable");
}

TEST(Apply, KeepsCoordinatesTogether) {
  Organisation o;
  auto r = P(R"({"name":"a","latitude":10})");
  ASSERT_TRUE(r.ok());
  auto applied = Apply(*r, o);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().fields.at(0).field, "/longitude");
}

TEST(Apply, PatchClearsWithNullAndKeepsWhatIsAbsent) {
  Organisation o;
  o.name = "Old";
  o.website = "https://old.example";
  o.country = "FR";
  auto r = P(R"({"website":null})", Mode::kPatch);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(Apply(*r, o).ok());
  EXPECT_EQ(o.name, "Old");
  EXPECT_FALSE(o.website);
  EXPECT_EQ(o.country, "FR");
}

TEST(ETag, RoundTripsThroughIfMatch) {
  EXPECT_EQ(ETagOf(3), "\"v3\"");
  EXPECT_EQ(VersionFromIfMatch(ETagOf(3)), 3);
  EXPECT_EQ(VersionFromIfMatch(" \"v12\" "), 12);
  EXPECT_FALSE(VersionFromIfMatch("W/\"v3\""));
  EXPECT_FALSE(VersionFromIfMatch("\"3\""));
  EXPECT_FALSE(VersionFromIfMatch("\"v-1\""));
}

}  // namespace
}  // namespace solidum::registry
