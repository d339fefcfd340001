#include "registry/catalogue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

namespace solidum::registry {
namespace {

CatalogueEntry Entry(std::int64_t id, std::string name, std::optional<double> lat, std::optional<double> lon,
                     std::string form, std::string country, std::vector<std::string> activities = {},
                     std::vector<std::int64_t> networks = {}) {
  CatalogueEntry e;
  e.id = id;
  e.name = std::move(name);
  e.latitude = lat;
  e.longitude = lon;
  e.legal_form = std::move(form);
  e.country = std::move(country);
  e.status = "active";
  e.activities = std::move(activities);
  e.networks = std::move(networks);
  return e;
}

std::vector<std::int64_t> Ids(const Catalogue& c, const SearchQuery& q, const TextMatches* text = nullptr) {
  return c.Search(q, text).ids;
}

TEST(Catalogue, FacetsCountEveryFilterButTheirOwn) {
  Catalogue c;
  c.Upsert(Entry(1, "a", 45, 5, "OS60", "FR", {"ICA10"}));
  c.Upsert(Entry(2, "b", 46, 6, "OS60", "FR", {"ICA20"}));
  c.Upsert(Entry(3, "c", 40, -3, "OS70", "ES", {"ICA10"}));
  c.Upsert(Entry(4, "d", 41, -2, "OS70", "FR", {"ICA10", "ICA20"}));
  SearchQuery q;
  q.legal_forms = {"OS60"};
  q.countries = {"FR"};
  auto page = c.Search(q, nullptr);
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(page.ids, (std::vector<std::int64_t>{1, 2}));
  // legal_form counts the French ones of every form; country counts the OS60s of every country.
  std::map<std::string, std::int64_t> forms, countries, activities;
  for (const auto& v : page.facets["legal_form"]) forms[v.value] = v.count;
  for (const auto& v : page.facets["country"]) countries[v.value] = v.count;
  for (const auto& v : page.facets["activity"]) activities[v.value] = v.count;
  EXPECT_EQ(forms, (std::map<std::string, std::int64_t>{{"OS60", 2}, {"OS70", 1}}));
  EXPECT_EQ(countries, (std::map<std::string, std::int64_t>{{"FR", 2}}));
  EXPECT_EQ(activities, (std::map<std::string, std::int64_t>{{"ICA10", 1}, {"ICA20", 1}}));
}

TEST(Catalogue, BoxesAcrossTheAntimeridianAndRadii) {
  Catalogue c;
  c.Upsert(Entry(1, "Fiji", -18, 178, "OS60", "FJ"));
  c.Upsert(Entry(2, "Samoa", -13.8, -171.8, "OS60", "WS"));
  c.Upsert(Entry(3, "Lyon", 45.76, 4.84, "OS60", "FR"));
  c.Upsert(Entry(4, "Villeurbanne", 45.77, 4.88, "OS60", "FR"));
  c.Upsert(Entry(5, "Paris", 48.86, 2.35, "OS60", "FR"));
  c.Upsert(Entry(6, "Nowhere", std::nullopt, std::nullopt, "OS60", "FR"));
  SearchQuery q;
  q.near = Near{-16, 180, 1500};  // reaches both sides of the date line
  EXPECT_EQ(Ids(c, q), (std::vector<std::int64_t>{1, 2}));
  q.near = Near{45.76, 4.84, 10};
  EXPECT_EQ(Ids(c, q), (std::vector<std::int64_t>{3, 4}));
  q.sort = SearchSort::kDistance;
  q.near = Near{45.77, 4.88, 1000};
  EXPECT_EQ(Ids(c, q), (std::vector<std::int64_t>{4, 3, 5}));
  SearchQuery box;
  box.bbox = BoundingBox{2, 45, 5, 49};
  EXPECT_EQ(Ids(c, box), (std::vector<std::int64_t>{3, 4, 5}));
  // Distances are great-circle: Lyon-Paris is about 392 km.
  SearchQuery paris;
  paris.near = Near{45.76, 4.84, 395};
  EXPECT_EQ(c.Search(paris, nullptr).total, 3);
  paris.near = Near{45.76, 4.84, 385};
  EXPECT_EQ(c.Search(paris, nullptr).total, 2);
}

TEST(Catalogue, PagesByNameAndRelevanceWithoutGapsOrRepeats) {
  Catalogue c;
  TextMatches text;
  for (int i = 1; i <= 57; ++i) {
    c.Upsert(Entry(i, "Org " + std::to_string(i % 10), 0, 0, "OS60", "FR"));
    if (i % 3 != 0) {
      text.ids.push_back(i);
      text.ranks.push_back(-static_cast<double>(i % 7));
    }
  }
  for (SearchSort sort : {SearchSort::kId, SearchSort::kName, SearchSort::kRelevance}) {
    SearchQuery q;
    q.sort = sort;
    q.limit = 4;
    std::vector<std::int64_t> seen;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = c.Search(q, &text);
      EXPECT_EQ(page.total, static_cast<std::int64_t>(text.ids.size()));
      seen.insert(seen.end(), page.ids.begin(), page.ids.end());
      if (!page.next_cursor) break;
      std::vector<std::pair<std::string, std::string>> params{{"cursor", *page.next_cursor}, {"limit", "4"}};
      if (sort == SearchSort::kName) params.push_back({"sort", "name"});
      if (sort == SearchSort::kRelevance) params.push_back({"q", "x"});
      auto next = ParseSearchQuery(params);
      ASSERT_TRUE(next.ok());
      q = *next;
    }
    std::set<std::int64_t> unique(seen.begin(), seen.end());
    EXPECT_EQ(seen.size(), text.ids.size()) << static_cast<int>(sort);
    EXPECT_EQ(unique, std::set<std::int64_t>(text.ids.begin(), text.ids.end()));
  }
}

TEST(Catalogue, UpsertReplacesAndRemoveForgets) {
  Catalogue c;
  for (int i = 1; i <= 10000; ++i) c.Upsert(Entry(i, "n", 1, 1, "OS60", "FR", {"ICA10"}, {1}));
  // Many rewrites leave garbage in the list pool, which compaction must not lose.
  for (int round = 0; round < 3; ++round) {
    for (int i = 1; i <= 10000; ++i) c.Upsert(Entry(i, "n", 1, 1, "OS70", "ES", {"ICA20", "ICA30"}, {2, 3}));
  }
  c.Remove(5);
  c.Remove(5);
  c.Upsert(Entry(20000, "late", 1, 1, "OS60", "FR"));
  c.Remove(7);
  c.Upsert(Entry(7, "back", 1, 1, "OS60", "FR"));  // into the middle
  EXPECT_EQ(c.size(), 10000u);
  SearchQuery q;
  q.networks = {3};
  auto page = c.Search(q, nullptr);
  EXPECT_EQ(page.total, 9998);
  ASSERT_EQ(page.facets["activity"].size(), 2u);
  EXPECT_EQ(page.facets["activity"][0].count, 9998);
  SearchQuery all;
  all.limit = 3;
  all.after_id = 5;
  EXPECT_EQ(Ids(c, all), (std::vector<std::int64_t>{6, 7, 8}));
  all.legal_forms = {"OS60"};
  EXPECT_EQ(Ids(c, all), (std::vector<std::int64_t>{7, 20000}));
}

// The catalogue against a plain reading of the rules, on random registers and queries.
TEST(Catalogue, AgreesWithABruteForceReading) {
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> forms{"OS60", "OS70", "OS80"}, countries{"FR", "ES", "PT", "BR"},
      activities{"ICA10", "ICA20", "ICA30"};
  std::vector<CatalogueEntry> entries;
  Catalogue c;
  for (int i = 1; i <= 600; ++i) {
    std::vector<std::string> acts;
    for (const auto& a : activities) {
      if (pick(3) == 0) acts.push_back(a);
    }
    std::vector<std::int64_t> nets;
    if (pick(2) == 0) nets.push_back(1 + pick(3));
    bool placed = pick(10) != 0;
    auto e = Entry(i, "n" + std::to_string(pick(50)), placed ? std::optional<double>(pick(120) - 60.0) : std::nullopt,
                   placed ? std::optional<double>(pick(360) - 180.0) : std::nullopt, forms[pick(3)], countries[pick(4)],
                   acts, nets);
    if (pick(5) == 0) e.legal_form.reset();
    entries.push_back(e);
    c.Upsert(e);
  }
  for (int trial = 0; trial < 300; ++trial) {
    SearchQuery q;
    if (pick(2)) q.legal_forms = {forms[pick(3)]};
    if (pick(2)) q.countries = {countries[pick(4)], countries[pick(4)]};
    if (pick(2)) q.activities = {activities[pick(3)]};
    if (pick(3) == 0) q.networks = {1 + pick(3)};
    if (pick(2)) {
      double lon = pick(300) - 150.0, lat = pick(100) - 50.0;
      q.bbox = BoundingBox{lon, lat, lon + 1 + pick(100), lat + 1 + pick(40)};
      q.bbox->max_lon = std::min(180.0, q.bbox->max_lon);
      q.bbox->max_lat = std::min(90.0, q.bbox->max_lat);
    }
    TextMatches text;
    bool with_text = pick(2);
    if (with_text) {
      for (const auto& e : entries) {
        if (pick(2)) text.ids.push_back(e.id), text.ranks.push_back(0);
      }
    }
    auto in = [](const auto& list, const auto& v) { return std::find(list.begin(), list.end(), v) != list.end(); };
    auto passes = [&](const CatalogueEntry& e, const std::string& skip) {
      if (with_text && !in(text.ids, e.id)) return false;
      if (q.bbox && (!e.latitude || *e.longitude < q.bbox->min_lon || *e.longitude > q.bbox->max_lon ||
                     *e.latitude < q.bbox->min_lat || *e.latitude > q.bbox->max_lat)) {
        return false;
      }
      if (skip != "legal_form" && !q.legal_forms.empty() && (!e.legal_form || !in(q.legal_forms, *e.legal_form))) return false;
      if (skip != "country" && !q.countries.empty() && !in(q.countries, *e.country)) return false;
      if (skip != "activity" && !q.activities.empty() &&
          std::none_of(e.activities.begin(), e.activities.end(), [&](const auto& a) { return in(q.activities, a); })) {
        return false;
      }
      if (skip != "network" && !q.networks.empty() &&
          std::none_of(e.networks.begin(), e.networks.end(), [&](auto n) { return in(q.networks, n); })) {
        return false;
      }
      return true;
    };
    std::int64_t total = 0, placed = 0;
    std::map<std::string, std::int64_t> form_counts, activity_counts;
    for (const auto& e : entries) {
      total += passes(e, "");
      placed += passes(e, "") && e.latitude;
      if (passes(e, "legal_form") && e.legal_form) ++form_counts[*e.legal_form];
      if (passes(e, "activity")) {
        for (const auto& a : e.activities) ++activity_counts[a];
      }
    }
    auto page = c.Search(q, with_text ? &text : nullptr);
    ASSERT_EQ(page.total, total) << "trial " << trial;
    std::map<std::string, std::int64_t> got_forms, got_activities;
    for (const auto& v : page.facets["legal_form"]) got_forms[v.value] = v.count;
    for (const auto& v : page.facets["activity"]) got_activities[v.value] = v.count;
    EXPECT_EQ(got_forms, form_counts) << "trial " << trial;
    EXPECT_EQ(got_activities, activity_counts) << "trial " << trial;
    auto points = c.Map(q, with_text ? &text : nullptr);
    EXPECT_EQ(static_cast<std::int64_t>(points.ids.size()), placed) << "trial " << trial;
  }
}

TEST(Catalogue, PortraitsSumHeadcountsAndSayHowManyReported) {
  Catalogue c;
  auto e1 = Entry(1, "a", 1, 1, "OS60", "FR", {"ICA10", "ICA20"});
  e1.members = 100;
  e1.workers = 5;
  e1.founded_year = 1990;
  auto e2 = Entry(2, "b", 1, 1, "OS60", "FR", {"ICA10"});
  e2.members = 50;
  e2.founded_year = 1985;
  auto e3 = Entry(3, "c", 1, 1, "OS70", "ES");
  c.Upsert(e1);
  c.Upsert(e2);
  c.Upsert(e3);
  auto by_country = c.Portrait(SearchQuery{}, nullptr, PortraitGroup::kCountry);
  ASSERT_EQ(by_country.size(), 2u);
  EXPECT_EQ(by_country[0].group, "FR");
  EXPECT_EQ(by_country[0].organisations, 2);
  EXPECT_EQ(by_country[0].members, 150);
  EXPECT_EQ(by_country[0].members_reported, 2);
  EXPECT_EQ(by_country[0].workers, 5);
  EXPECT_EQ(by_country[0].workers_reported, 1);
  auto by_activity = c.Portrait(SearchQuery{}, nullptr, PortraitGroup::kActivity);
  ASSERT_EQ(by_activity.size(), 3u);
  EXPECT_EQ(by_activity[0].group, "ICA10");
  EXPECT_EQ(by_activity[0].organisations, 2);
  EXPECT_EQ(by_activity[2].group, "");  // no activity given
  auto by_year = c.Portrait(SearchQuery{}, nullptr, PortraitGroup::kYear);
  ASSERT_EQ(by_year.size(), 3u);
  EXPECT_EQ(by_year[0].group, "1985");
  EXPECT_EQ(by_year[1].group, "1990");
  EXPECT_EQ(by_year[2].group, "");
}

}  // namespace
}  // namespace solidum::registry
