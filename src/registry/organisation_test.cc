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

TEST(ParseOrganisation, AcceptsUrlsWithFragments) {
  // Regression: Co-ops UK rows with "http://www.rvt.community/#home" were refused
  // (RFC 3986's absolute-URI has no fragment; a URI does).
  EXPECT_TRUE(P(R"({"name":"a","website":"http://www.rvt.community/#home"})").ok());
  EXPECT_TRUE(P(R"({"name":"a","website":"http://sharedplanet.wix.com/home#!vegbag/c24y5"})").ok());
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

TEST(ParseOrganisation, AcceptsTheWholeRecord) {
  auto r = P(R"({"name":"Coopérative Les Oliviers","other_names":["Les Oliviers","Oliviers SCOP"],
    "description":"Huilerie coopérative","mission":"Faire vivre les oliveraies","language":"fr",
    "translations":{"en":{"description":"Olive oil co-op","mission":"Keep the groves alive"},"es":{"description":"Almazara"}},
    "legal_form":"OS90","primary_activity":"ICA10","activities":["ICA10","ICA250"],"membership_type":"BMT20",
    "street":"1 chemin des Oliviers","locality":"Nyons","region":"Drôme","postcode":"26110","country":"fr",
    "latitude":44.36,"longitude":5.14,"website":"https://oliviers.example","urls":["https://social.example/@oliviers"],
    "email":"contact@oliviers.example","phone":"+33 4 75 00 00 00","languages":["fr","oc"],"founded_year":1923,
    "status":"active","members":412,"workers":18,"volunteers":3,"counts_year":2025,"sdgs":[2,8,12],
    "principles":{"purpose":5,"democracy":4},"source":"ess-drome","source_id":"X-17"})");
  ASSERT_TRUE(r.ok()) << FirstField(r);
  Organisation o;
  ASSERT_TRUE(Apply(*r, o).ok());
  EXPECT_EQ(o.other_names.size(), 2u);
  EXPECT_EQ(o.translations.at("en").mission, "Keep the groves alive");
  EXPECT_EQ(o.translations.at("es").mission, "");
  EXPECT_EQ(o.sdgs, (std::vector<std::int64_t>{2, 8, 12}));
  EXPECT_EQ(o.principles.at("democracy"), 4);
  EXPECT_EQ(o.country, "FR");
  std::string json;
  json_write::Writer w(json);
  WriteJson(w, o);
  auto back = boost::json::parse(json);
  EXPECT_EQ(back.at("translations").at("en").at("description").as_string(), "Olive oil co-op");
  EXPECT_EQ(back.at("languages").as_array().size(), 2u);
}

TEST(ParseOrganisation, NamesBadFieldsOfTheWholeRecord) {
  EXPECT_EQ(FirstField(P(R"({"name":"a","other_names":["x","x"]})")), "/other_names/1 duplicate");
  EXPECT_EQ(FirstField(P(R"({"name":"a","other_names":"x"})")), "/other_names wrong_type");
  EXPECT_EQ(FirstField(P(R"({"name":"a","language":"fra"})")), "/language invalid_language");
  EXPECT_EQ(FirstField(P(R"({"name":"a","translations":{"english":{"description":"x"}}})")), "/translations/english invalid_language");
  EXPECT_EQ(FirstField(P(R"({"name":"a","translations":{"en":{"summary":"x"}}})")), "/translations/en/summary unknown_field");
  EXPECT_EQ(FirstField(P(R"({"name":"a","activities":["ICA10",3]})")), "/activities/1 wrong_type");
  EXPECT_EQ(FirstField(P(R"({"name":"a","urls":["https://ok.example","ftp://no"]})")), "/urls/1 invalid_url");
  EXPECT_EQ(FirstField(P(R"({"name":"a","email":"not-an-email"})")), "/email invalid_email");
  EXPECT_EQ(FirstField(P(R"({"name":"a","phone":"call me"})")), "/phone invalid_phone");
  EXPECT_EQ(FirstField(P(R"({"name":"a","languages":["fr","EN"]})")), "/languages/1 invalid_language");
  EXPECT_EQ(FirstField(P(R"({"name":"a","founded_year":99999})")), "/founded_year out_of_range");
  EXPECT_EQ(FirstField(P(R"({"name":"a","members":-1})")), "/members out_of_range");
  EXPECT_EQ(FirstField(P(R"({"name":"a","members":1.5})")), "/members wrong_type");
  EXPECT_EQ(FirstField(P(R"({"name":"a","sdgs":[18]})")), "/sdgs/0 out_of_range");
  EXPECT_EQ(FirstField(P(R"({"name":"a","sdgs":[3,3]})")), "/sdgs/1 duplicate");
  EXPECT_EQ(FirstField(P(R"({"name":"a","principles":{"democracy":6}})")), "/principles/democracy out_of_range");
  EXPECT_EQ(FirstField(P(R"({"name":"a","principles":{"profit":1}})")), "/principles/profit unknown_field");
}

TEST(Apply, KeepsProvenanceTogetherAndThePrimaryActivityAmongActivities) {
  Organisation o;
  auto only_source = P(R"({"name":"a","source":"coops-uk"})");
  ASSERT_TRUE(only_source.ok());
  auto applied = Apply(*only_source, o);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().fields.at(0).field, "/source_id");

  Organisation p;
  auto primary = P(R"({"name":"a","primary_activity":"ICA10","activities":["ICA20"]})");
  ASSERT_TRUE(Apply(*primary, p).ok());
  EXPECT_EQ(p.activities, (std::vector<std::string>{"ICA10", "ICA20"}));
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
