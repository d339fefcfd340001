// The ESSGLOBAL CSV reader and the import, on the real Co-ops UK file (../shared).
#include "registry/open_data.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "registry/registry_fixture.h"
#include "registry/search.h"

namespace solidum::registry {
namespace {

std::string SharedFile(const std::string& rel) {
  std::string path = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/registry/" + rel;
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OpenData, TermCodesAndSchemes) {
  EXPECT_EQ(TermCode("https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/OS130"), "OS130");
  EXPECT_EQ(TermCode("ICA10"), "ICA10");
  EXPECT_EQ(WithScheme("www.coop.example"), "http://www.coop.example");
  EXPECT_EQ(WithScheme("https://coop.example"), "https://coop.example");
}

TEST(OpenData, RefusesFilesThatAreNotEssglobal) {
  EXPECT_EQ(ReadEssglobalCsv("Nom,Pays\nA,FR\n", "x").error().code, "bad_header");
  EXPECT_EQ(ReadEssglobalCsv("", "x").error().code, "empty_file");
  EXPECT_EQ(ReadEssglobalCsv("Identifier,Name\n1,caf\xC3\x28\n", "x").error().code, "not_utf8");
}

TEST(OpenData, ReportsBadRowsByLine) {
  auto r = ReadEssglobalCsv("Identifier,Name,Latitude,Longitude\n1,A,1,2\n2,B,north,2\n3,C\n,D,,\n4,\"E\",,\n", "t");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->read, 5u);
  ASSERT_EQ(r->rows.size(), 2u);
  ASSERT_EQ(r->rejected.size(), 3u);
  EXPECT_EQ(r->rejected[0].line, 3u);
  EXPECT_NE(r->rejected[0].reason.find("coordinates"), std::string::npos);
  EXPECT_EQ(r->rejected[1].line, 4u);
  EXPECT_EQ(r->rejected[2].line, 5u);
}

using ImportTest = RegistryTest;

TEST_F(ImportTest, ImportsCoopsUkIdempotently) {
  std::string data = SharedFile("coops-uk-2022-essglobal.csv");
  ASSERT_GT(data.size(), 1'000'000u) << "../shared/datasets/registry/coops-uk-2022-essglobal.csv";
  auto parsed = ReadEssglobalCsv(data, "coops-uk-2022");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->read, 7272u);
  EXPECT_TRUE(parsed->rejected.empty());
  auto first = orgs_->Import(parsed->rows, nullptr);
  ASSERT_TRUE(first.ok());
  for (const auto& r : first->rejected) ADD_FAILURE() << "line " << r.line << ": " << r.reason;
  EXPECT_EQ(first->created, 7272u);

  auto all = orgs_->Search(*ParseSearchQuery({{"limit", "1"}, {"facets", "false"}}));
  EXPECT_EQ(all->total, 7272);
  auto placed = orgs_->Search(*ParseSearchQuery({{"bbox", "-9,49,2,61"}, {"limit", "1"}, {"facets", "false"}}));
  EXPECT_EQ(placed->total, 6970) << "coordinates from the Geo Container columns";
  auto group = orgs_->Search(*ParseSearchQuery({{"q", "angel square manchester"}, {"country", "GB"}}));
  bool found = false;
  for (const auto& d : group->items) found |= d.json.find("\"name\":\"The Co-operative Group\"") != std::string::npos;
  EXPECT_TRUE(found) << group->total << " results";
  auto multiline = orgs_->Search(*ParseSearchQuery({{"q", "hermes road"}}));
  ASSERT_GE(multiline->total, 1);
  EXPECT_NE(multiline->items[0].json.find("Central House\\nHermes Road"), std::string::npos)
      << "line breaks inside quoted fields are kept";

  auto second = orgs_->Import(parsed->rows, nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->created, 0u);
  EXPECT_EQ(second->updated, 0u);
  EXPECT_EQ(second->unchanged, 7272u);

  // A changed row updates its record, and only that one.
  auto changed = parsed->rows;
  changed[0].record.as_object()["name"] = "The Co-operative Group Limited";
  auto third = orgs_->Import(changed, nullptr);
  EXPECT_EQ(third->updated, 1u);
  EXPECT_EQ(third->unchanged, 7271u);
}

TEST_F(ImportTest, KeepsGoodRowsWhenOthersFail) {
  auto parsed = ReadEssglobalCsv(
      "Identifier,Name,Organisational Structure,Country ID,Website\n"
      "a,Good,OS60,FR,coop.example\n"
      "b,,OS60,FR,\n"
      "c,Bad term,OS999,FR,\n"
      "d,Bad country,OS60,XX,\n"
      "e,Also good,,ES,\n",
      "mixed");
  ASSERT_TRUE(parsed.ok());
  auto r = orgs_->Import(parsed->rows, nullptr);
  ASSERT_TRUE(r.ok());
  // A row without a name is refused; unknown terms are left out of rows that are kept.
  EXPECT_EQ(r->created, 4u);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].line, 3u);
  EXPECT_NE(r->rejected[0].reason.find("/name"), std::string::npos) << r->rejected[0].reason;
  ASSERT_EQ(r->warnings.size(), 2u);
  EXPECT_EQ(r->warnings[0].line, 4u);
  EXPECT_NE(r->warnings[0].reason.find("left out /legal_form"), std::string::npos) << r->warnings[0].reason;
  EXPECT_EQ(r->warnings[1].line, 5u);
  EXPECT_NE(r->warnings[1].reason.find("left out /country"), std::string::npos) << r->warnings[1].reason;
  auto doc = orgs_->Search(*ParseSearchQuery({{"q", "good"}}));
  EXPECT_EQ(doc->total, 2);
  auto bad = orgs_->Search(*ParseSearchQuery({{"q", "bad"}}));
  ASSERT_EQ(bad->total, 2);
  for (const auto& d : bad->items) {
    auto o = boost::json::parse(d.json);
    EXPECT_TRUE(o.at("legal_form").is_null() || o.at("country").is_null()) << d.json;
  }
}

}  // namespace
}  // namespace solidum::registry
