// The library's catalogue: filters combine (any value within a filter, every filter),
// facets count every filter but their own, text narrows and ranks, pages and orders hold,
// and the query's parameters are checked.
#include "library/catalogue.h"

#include <gtest/gtest.h>

#include <random>

namespace solidum::library {
namespace {

CatalogueEntry Entry(std::int64_t id, std::string type, std::string language, std::vector<std::string> themes,
                     std::vector<std::string> countries, std::vector<std::int64_t> sdgs, std::string published_at, std::string title) {
  CatalogueEntry e;
  e.id = id;
  e.type = std::move(type);
  e.language = std::move(language);
  e.themes = std::move(themes);
  e.countries = std::move(countries);
  e.sdgs = std::move(sdgs);
  e.publisher = 1;
  e.published_at = std::move(published_at);
  e.title_key = std::move(title);
  return e;
}

std::map<std::string, std::int64_t> Counts(const CataloguePage& p, const std::string& facet) {
  std::map<std::string, std::int64_t> out;
  for (const auto& v : p.facets.at(facet)) out[v.value] = v.count;
  return out;
}

class CatalogueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c_.Upsert(Entry(1, "good_practice", "fr", {"food_sovereignty"}, {"FR", "SN"}, {2}, "2026-01-01", "epicerie"));
    c_.Upsert(Entry(2, "case_study", "en", {"food_sovereignty", "work_employment"}, {"GB"}, {2, 8}, "2026-03-01", "canteen"));
    c_.Upsert(Entry(3, "toolkit", "es", {"solidarity_finance_trade"}, {"BR"}, {1}, "2026-02-01", "banco"));
    c_.Upsert(Entry(4, "good_practice", "pt", {"work_employment"}, {"BR", "PT"}, {8}, "2026-04-01", "alimentos"));
  }
  CataloguePage Search(SearchQuery q, const TextMatches* text = nullptr) { return c_.Search(q, text); }
  Catalogue c_;
};

TEST_F(CatalogueTest, FiltersCombineAndFacetsCountEveryFilterButTheirOwn) {
  SearchQuery q;
  auto all = Search(q);
  EXPECT_EQ(all.total, 4);
  EXPECT_EQ(all.ids, (std::vector<std::int64_t>{4, 2, 3, 1}));  // newest first
  EXPECT_EQ(Counts(all, "theme"), (std::map<std::string, std::int64_t>{{"food_sovereignty", 2}, {"solidarity_finance_trade", 1}, {"work_employment", 2}}));
  EXPECT_EQ(Counts(all, "sdg"), (std::map<std::string, std::int64_t>{{"1", 1}, {"2", 2}, {"8", 2}}));

  q.themes = {"food_sovereignty"};
  q.countries = {"BR", "GB"};
  auto both = Search(q);
  EXPECT_EQ(both.ids, std::vector<std::int64_t>{2});
  // The theme facet counts what the country filter lets through, and the other way round.
  EXPECT_EQ(Counts(both, "theme"), (std::map<std::string, std::int64_t>{{"food_sovereignty", 1}, {"solidarity_finance_trade", 1}, {"work_employment", 2}}));
  EXPECT_EQ(Counts(both, "country"), (std::map<std::string, std::int64_t>{{"FR", 1}, {"GB", 1}, {"SN", 1}}));
  EXPECT_EQ(Counts(both, "language"), (std::map<std::string, std::int64_t>{{"en", 1}}));

  q = {};
  q.languages = {"xx"};  // never seen: nothing
  EXPECT_EQ(Search(q).total, 0);
  q = {};
  q.sdgs = {8};
  q.types = {"good_practice"};
  EXPECT_EQ(Search(q).ids, std::vector<std::int64_t>{4});
  q = {};
  q.organisation = 7;
  EXPECT_EQ(Search(q).total, 0);
}

TEST_F(CatalogueTest, TextNarrowsAndRanksAndPagesHold) {
  TextMatches text{{1, 3, 4, 99}, {-2.0, -5.0, -1.0, -9.0}};  // 99: not published any more
  SearchQuery q;
  q.sort = SearchSort::kRelevance;
  auto found = Search(q, &text);
  EXPECT_EQ(found.total, 3);
  EXPECT_EQ(found.ids, (std::vector<std::int64_t>{3, 1, 4}));
  q.limit = 1;
  q.offset = 1;
  EXPECT_EQ(Search(q, &text).ids, std::vector<std::int64_t>{1});
  q.offset = 5;
  EXPECT_TRUE(Search(q, &text).ids.empty());
  q = {};
  q.sort = SearchSort::kTitle;
  EXPECT_EQ(Search(q).ids, (std::vector<std::int64_t>{4, 3, 2, 1}));
  TextMatches none;
  EXPECT_EQ(Search(SearchQuery{}, &none).total, 0);
}

TEST_F(CatalogueTest, UpsertsReplaceAndRemovalsForget) {
  c_.Upsert(Entry(1, "research", "fr", {}, {"CA"}, {}, "2026-05-01", "etude"));
  c_.Remove(3);
  c_.Remove(42);
  auto all = Search(SearchQuery{});
  EXPECT_EQ(all.ids, (std::vector<std::int64_t>{1, 4, 2}));
  EXPECT_EQ(Counts(all, "type"), (std::map<std::string, std::int64_t>{{"case_study", 1}, {"good_practice", 1}, {"research", 1}}));
  EXPECT_EQ(Counts(all, "country"), (std::map<std::string, std::int64_t>{{"BR", 1}, {"CA", 1}, {"GB", 1}, {"PT", 1}}));
}

// Against a plain recount over random catalogues, with churn that makes the pools compact.
TEST(CatalogueRandomTest, TotalsAndFacetsMatchABruteForceCount) {
  std::mt19937 rng(7);
  const std::vector<std::string> types = {"good_practice", "case_study", "toolkit"}, langs = {"en", "fr", "es", "pt"},
                                 themes = {"a", "b", "c", "d"}, countries = {"FR", "BR", "SN", "IN", "MX"};
  Catalogue c;
  std::map<std::int64_t, CatalogueEntry> truth;
  auto pick = [&](const std::vector<std::string>& from, int most) {
    std::vector<std::string> out;
    for (const auto& v : from) {
      if (static_cast<int>(out.size()) < most && rng() % 3 == 0) out.push_back(v);
    }
    return out;
  };
  for (int round = 0; round < 6000; ++round) {
    const std::int64_t id = 1 + static_cast<std::int64_t>(rng() % 900);
    if (rng() % 5 == 0) {
      c.Remove(id);
      truth.erase(id);
      continue;
    }
    std::vector<std::int64_t> sdgs;
    for (std::int64_t g = 1; g <= 17; ++g) {
      if (rng() % 9 == 0) sdgs.push_back(g);
    }
    auto e = Entry(id, types[rng() % 3], langs[rng() % 4], pick(themes, 3), pick(countries, 3), sdgs, std::to_string(rng() % 1000), "t");
    c.Upsert(e);
    truth[id] = e;
  }
  for (int trial = 0; trial < 50; ++trial) {
    SearchQuery q;
    q.limit = 100;
    if (rng() % 2) q.types = {types[rng() % 3]};
    if (rng() % 2) q.themes = {themes[rng() % 4], themes[rng() % 4]};
    if (rng() % 2) q.countries = {countries[rng() % 5]};
    if (rng() % 2) q.sdgs = {1 + static_cast<std::int64_t>(rng() % 17)};
    auto has = [](const auto& list, const auto& v) { return std::find(list.begin(), list.end(), v) != list.end(); };
    auto passes = [&](const CatalogueEntry& e, const std::string& except) {
      auto any = [&](const auto& wanted, const auto& got) {
        if (wanted.empty()) return true;
        for (const auto& w : wanted) {
          if (has(got, w)) return true;
        }
        return false;
      };
      return (except == "type" || q.types.empty() || has(q.types, e.type)) && (except == "theme" || any(q.themes, e.themes)) &&
             (except == "country" || any(q.countries, e.countries)) && (except == "sdg" || any(q.sdgs, e.sdgs));
    };
    auto page = c.Search(q, nullptr);
    std::int64_t total = 0;
    std::map<std::string, std::int64_t> theme_counts, country_counts;
    for (const auto& [id, e] : truth) {
      total += passes(e, "") ? 1 : 0;
      if (passes(e, "theme")) {
        for (const auto& t : e.themes) ++theme_counts[t];
      }
      if (passes(e, "country")) {
        for (const auto& x : e.countries) ++country_counts[x];
      }
    }
    EXPECT_EQ(page.total, total) << trial;
    EXPECT_EQ(Counts(page, "theme"), theme_counts) << trial;
    EXPECT_EQ(Counts(page, "country"), country_counts) << trial;
    EXPECT_EQ(page.ids.size(), static_cast<std::size_t>(std::min<std::int64_t>(total, 100))) << trial;
  }
}

TEST(SearchQueryTest, ParametersAreCheckedAndNamed) {
  auto q = ParseSearchQuery({{"q", " épicerie "}, {"theme", "food_sovereignty,work_employment"}, {"country", "fr"}, {"sdg", "2"}, {"sdg", "8"},
                             {"limit", "10"}, {"offset", "20"}});
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->text, "épicerie");
  EXPECT_EQ(q->themes, (std::vector<std::string>{"food_sovereignty", "work_employment"}));
  EXPECT_EQ(q->countries, std::vector<std::string>{"FR"});
  EXPECT_EQ(q->sdgs, (std::vector<std::int64_t>{2, 8}));
  EXPECT_EQ(q->sort, SearchSort::kRelevance);  // text: relevance by default
  EXPECT_EQ(ParseSearchQuery({})->sort, SearchSort::kNewest);
  auto bad = ParseSearchQuery({{"sdg", "18"}, {"limit", "0"}, {"offset", "-1"}, {"sort", "random"}, {"colour", "red"}, {"facets", "yes"}});
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields) fields.push_back(f.field + " " + f.code);
  EXPECT_EQ(fields, (std::vector<std::string>{"?sdg out_of_range", "?limit out_of_range", "?offset out_of_range", "?sort unknown_sort",
                                              "?colour unknown_parameter", "?facets invalid_boolean"}));
  EXPECT_EQ(ParseSearchQuery({{"sort", "relevance"}}).error().fields[0].code, "needs_text");
  EXPECT_EQ(ParseSearchQuery({{"q", std::string(201, 'a')}}).error().fields[0].code, "too_long");
}

}  // namespace
}  // namespace solidum::library
