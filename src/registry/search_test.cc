#include "registry/search.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <set>

#include "registry/registry_fixture.h"

namespace solidum::registry {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(FtsQuery, QuotesWordsAndStripsSyntax) {
  EXPECT_EQ(FtsQuery("café coop"), "\"café\" \"coop\"*");
  EXPECT_EQ(FtsQuery("  \"a\" OR b* NEAR(c) name:d -e ^f "), "\"a\" \"OR\" \"b\" \"NEAR\" \"c\" \"name\" \"d\" \"e\" \"f\"*");
  EXPECT_EQ(FtsQuery("***"), "");
}

std::string FirstError(const Params& p) {
  auto r = ParseSearchQuery(p);
  return r.ok() ? "" : r.error().fields.at(0).field + " " + r.error().fields.at(0).code;
}

TEST(ParseSearchQuery, ValidatesEveryParameter) {
  EXPECT_EQ(FirstError({{"bbox", "1,2,3"}}), "?bbox invalid_bbox");
  EXPECT_EQ(FirstError({{"bbox", "10,0,5,1"}}), "?bbox invalid_bbox");
  EXPECT_EQ(FirstError({{"bbox", "-200,0,5,1"}}), "?bbox invalid_bbox");
  EXPECT_EQ(FirstError({{"near", "45,4"}}), "?near invalid_near");
  EXPECT_EQ(FirstError({{"near", "45,4,-1"}}), "?near invalid_near");
  EXPECT_EQ(FirstError({{"near", "95,4,1"}}), "?near invalid_near");
  EXPECT_EQ(FirstError({{"sdg", "0"}}), "?sdg out_of_range");
  EXPECT_EQ(FirstError({{"sdg", "x"}}), "?sdg out_of_range");
  EXPECT_EQ(FirstError({{"sort", "random"}}), "?sort unknown_term");
  EXPECT_EQ(FirstError({{"sort", "relevance"}}), "?sort needs_q");
  EXPECT_EQ(FirstError({{"sort", "distance"}}), "?sort needs_near");
  EXPECT_EQ(FirstError({{"limit", "0"}}), "?limit out_of_range");
  EXPECT_EQ(FirstError({{"cursor", "garbage"}}), "?cursor invalid_cursor");
  EXPECT_EQ(FirstError({{"legal_form", "OS60,,OS70"}}), "?legal_form invalid_value");
  EXPECT_EQ(FirstError({{"colour", "red"}}), "?colour unknown_parameter");
  EXPECT_EQ(FirstError({{"q", std::string(201, 'a')}}), "?q too_long");
  auto ok = ParseSearchQuery({{"q", "bakery"}, {"country", "fr,es"}, {"sdg", "8,8,12"}, {"near", "45.7,4.8,10"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->sort, SearchSort::kRelevance);
  EXPECT_EQ(ok->countries, (std::vector<std::string>{"FR", "ES"}));
  EXPECT_EQ(ok->sdgs, (std::vector<std::int64_t>{8, 12}));
}

class SearchTest : public RegistryTest {
 protected:
  std::int64_t Add(std::string_view json) {
    auto c = ParseOrganisation(boost::json::parse(json), Mode::kCreate);
    EXPECT_TRUE(c.ok()) << json;
    auto o = orgs_->Create(*c, std::nullopt);
    EXPECT_TRUE(o.ok()) << (o.ok() ? "" : o.error().message);
    return o.ok() ? o->id : 0;
  }
  std::vector<std::int64_t> Ids(const Params& params) {
    auto q = ParseSearchQuery(params);
    EXPECT_TRUE(q.ok()) << (q.ok() ? "" : q.error().fields.at(0).field);
    auto r = orgs_->Search(*q);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    std::vector<std::int64_t> ids;
    for (const auto& d : r->items) ids.push_back(d.id);
    return ids;
  }
};

TEST_F(SearchTest, FindsTextWithCaseAndAccentsFoldedInEveryField) {
  auto a = Add(R"({"name":"Coopérative Énergie Citoyenne","locality":"Lyon","country":"FR","legal_form":"OS100"})");
  auto b = Add(R"({"name":"Bike Kitchen","other_names":["Atelier Vélo"],"translations":{"es":{"description":"Taller de bicicletas"}}})");
  auto c = Add(R"({"name":"Growers","primary_activity":"ICA10"})");
  EXPECT_EQ(Ids({{"q", "cooperative energie"}}), std::vector<std::int64_t>{a});
  EXPECT_EQ(Ids({{"q", "ÉNERGIE"}}), std::vector<std::int64_t>{a});
  EXPECT_EQ(Ids({{"q", "velo"}}), std::vector<std::int64_t>{b});
  EXPECT_EQ(Ids({{"q", "bicicletas"}}), std::vector<std::int64_t>{b});
  EXPECT_EQ(Ids({{"q", "agricultura"}}), std::vector<std::int64_t>{c}) << "activity labels in every language";
  EXPECT_EQ(Ids({{"q", "lyon"}}), std::vector<std::int64_t>{a}) << "place names";
  EXPECT_EQ(Ids({{"q", "coop"}}), std::vector<std::int64_t>{a}) << "the last word is a prefix";
  EXPECT_TRUE(Ids({{"q", "\"\""}}).empty());
}

TEST_F(SearchTest, FiltersByPlace) {
  auto lyon = Add(R"({"name":"Lyon","latitude":45.764,"longitude":4.836})");
  auto villeurbanne = Add(R"({"name":"Villeurbanne","latitude":45.771,"longitude":4.880})");
  auto paris = Add(R"({"name":"Paris","latitude":48.857,"longitude":2.352})");
  Add(R"({"name":"Nowhere"})");
  auto fiji = Add(R"({"name":"Suva","latitude":-18.14,"longitude":178.44})");
  auto samoa = Add(R"({"name":"Apia","latitude":-13.83,"longitude":-171.76})");
  EXPECT_EQ(Ids({{"bbox", "4,45,5,46"}}), (std::vector<std::int64_t>{lyon, villeurbanne}));
  EXPECT_EQ(Ids({{"near", "45.76,4.84,10"}}), (std::vector<std::int64_t>{lyon, villeurbanne}));
  EXPECT_EQ(Ids({{"near", "45.76,4.84,500"}}), (std::vector<std::int64_t>{lyon, villeurbanne, paris}));
  EXPECT_EQ(Ids({{"near", "48.85,2.35,500"}}), (std::vector<std::int64_t>{paris, lyon, villeurbanne})) << "by distance";
  EXPECT_EQ(Ids({{"near", "48.85,2.35,500"}, {"sort", "id"}}), (std::vector<std::int64_t>{lyon, villeurbanne, paris}));
  // Across the antimeridian: Suva and Apia are ~1,150 km apart.
  EXPECT_EQ(Ids({{"near", "-18.14,178.44,1300"}}), (std::vector<std::int64_t>{fiji, samoa}));
}

TEST_F(SearchTest, CombinesFiltersAndCountsFacets) {
  auto a = Add(R"({"name":"A","legal_form":"OS60","country":"FR","activities":["ICA10"],"sdgs":[8]})");
  auto b = Add(R"({"name":"B","legal_form":"OS60","country":"ES","activities":["ICA10","ICA20"],"sdgs":[2,8]})");
  auto c = Add(R"({"name":"C","legal_form":"OS80","country":"FR","status":"closed","sdgs":[2]})");
  EXPECT_EQ(Ids({{"legal_form", "OS60"}}), (std::vector<std::int64_t>{a, b}));
  EXPECT_EQ(Ids({{"legal_form", "OS60"}, {"country", "fr"}}), (std::vector<std::int64_t>{a}));
  EXPECT_EQ(Ids({{"activity", "ICA20"}}), (std::vector<std::int64_t>{b}));
  EXPECT_EQ(Ids({{"sdg", "2"}}), (std::vector<std::int64_t>{b, c}));
  EXPECT_EQ(Ids({{"sdg", "2"}, {"status", "active"}}), (std::vector<std::int64_t>{b}));
  EXPECT_EQ(Ids({{"country", "FR,ES"}, {"legal_form", "OS80"}}), (std::vector<std::int64_t>{c}));

  auto r = orgs_->Search(*ParseSearchQuery({{"legal_form", "OS60"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 2);
  auto counts = [&](const std::string& facet) {
    std::map<std::string, std::int64_t> m;
    for (const auto& v : r->facets.at(facet)) m[v.value] = v.count;
    return m;
  };
  // A facet ignores its own filter, so people see what else they could pick.
  EXPECT_EQ(counts("legal_form"), (std::map<std::string, std::int64_t>{{"OS60", 2}, {"OS80", 1}}));
  EXPECT_EQ(counts("country"), (std::map<std::string, std::int64_t>{{"FR", 1}, {"ES", 1}}));
  EXPECT_EQ(counts("activity"), (std::map<std::string, std::int64_t>{{"ICA10", 2}, {"ICA20", 1}}));
  EXPECT_EQ(counts("sdg"), (std::map<std::string, std::int64_t>{{"8", 2}, {"2", 1}}));
  EXPECT_EQ(counts("status"), (std::map<std::string, std::int64_t>{{"active", 2}}));
}

TEST_F(SearchTest, FollowsEveryWrite) {
  auto id = Add(R"({"name":"Old Name","latitude":1,"longitude":1,"sdgs":[3]})");
  EXPECT_EQ(Ids({{"q", "old"}}).size(), 1u);
  auto c = ParseOrganisation(boost::json::parse(R"({"name":"New Name","latitude":null,"longitude":null,"sdgs":[4]})"),
                             Mode::kPatch);
  ASSERT_TRUE(orgs_->Update(id, 1, *c).ok());
  EXPECT_TRUE(Ids({{"q", "old"}}).empty());
  EXPECT_EQ(Ids({{"q", "new"}}).size(), 1u);
  EXPECT_TRUE(Ids({{"bbox", "0,0,2,2"}}).empty());
  EXPECT_TRUE(Ids({{"sdg", "3"}}).empty());
  EXPECT_EQ(Ids({{"sdg", "4"}}).size(), 1u);
  ASSERT_TRUE(orgs_->Delete(id, 2).ok());
  EXPECT_TRUE(Ids({{"q", "new"}}).empty());
  EXPECT_TRUE(Ids({{"sdg", "4"}}).empty());
}

TEST_F(SearchTest, PagesStayStableWhenOrganisationsArrive) {
  for (int i = 0; i < 12; ++i) Add(R"({"name":"Coop )" + std::string(1, static_cast<char>('a' + (i * 7) % 12)) + R"("})");
  for (const char* sort : {"id", "name"}) {
    std::vector<std::int64_t> seen;
    std::optional<std::string> cursor;
    int page = 0;
    do {
      Params p{{"q", "coop"}, {"sort", sort}, {"limit", "5"}};
      if (cursor) p.emplace_back("cursor", *cursor);
      auto r = orgs_->Search(*ParseSearchQuery(p));
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->total, 12 + (page > 0 ? 1 : 0) + (std::string(sort) == "name" ? 1 : 0)) << sort;
      for (const auto& d : r->items) seen.push_back(d.id);
      if (++page == 1) Add(R"({"name":"Coop 0 arrives first by name"})");  // before the cursor by name
      cursor = r->next_cursor;
    } while (cursor);
    std::set<std::int64_t> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), seen.size()) << sort << ": no duplicates";
    EXPECT_GE(seen.size(), 12u) << sort << ": nothing skipped";
  }
}

}  // namespace
}  // namespace solidum::registry
