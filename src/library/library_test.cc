// The library's resources in the store, on SQLite and PostgreSQL: created as drafts, moved
// through review to publication with the history saying who did what, translations kept
// one per language in a group, references checked, concurrent edits refused by version.
#include "library/library.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../../tests/support/test_store.h"

namespace solidum::library {
namespace {

class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "library"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    for (const char* name : {"RIPESS", "Épicerie du Lac", "Cantine des Sables"}) {
      auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES (?, 'x', 'x') RETURNING id", {std::string(name)});
      ASSERT_TRUE(org.ok()) << org.error().message;
      orgs_.push_back((*org)->Int(0));
    }
    for (const char* email : {"editor@ripess.example", "admin@ripess.example"}) {
      auto u = conn->QueryOne("INSERT INTO users (email, password_hash, created_at) VALUES (?, 'x', 'x') RETURNING id", {std::string(email)});
      ASSERT_TRUE(u.ok()) << u.error().message;
      users_.push_back((*u)->Int(0));
    }
    library_ = std::make_unique<Library>(*store_, clock_);
  }
  ResourceChanges Fields(const std::string& json, bool creating = true) {
    auto r = ReadResource(boost::json::parse(json), creating);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : ResourceChanges{};
  }
  Resource Create(const std::string& json) {
    auto r = library_->Create(orgs_[0], Fields(json), users_[0]);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : Resource{};
  }
  static std::vector<std::string> ErrorFields(const Error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.field + " " + f.code);
    return out;
  }
  solidum::testing::TempDir dir_;
  ManualClock clock_{1'800'000'000'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Library> library_;
  std::vector<std::int64_t> orgs_, users_;
};

TEST_F(LibraryTest, AResourceGoesThroughReviewToPublicationWithItsHistory) {
  auto r = Create(R"({"type":"case_study","title":"L'épicerie du Lac","summary":"Une épicerie solidaire.","language":"fr",)"
                  R"("body":"# L'histoire","themes":["food_sovereignty"],"sdgs":[2],"countries":["FR"],"organisations":[)" +
                  std::to_string(orgs_[1]) + "]}");
  EXPECT_EQ(r.stage, Stage::kDraft);
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(r.translation_group, r.id);
  ASSERT_EQ(r.organisations.size(), 1u);
  EXPECT_EQ(r.organisations[0].name, "Épicerie du Lac");
  EXPECT_EQ(r.publisher.name, "RIPESS");
  // Not public yet; not the other organisation's.
  EXPECT_EQ(library_->GetPublished(r.id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(library_->Get(orgs_[1], r.id).error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(library_->About(orgs_[1])->empty());

  clock_.Advance(1'000'000);
  auto edited = library_->Change(orgs_[0], r.id, 1, Fields(R"({"title":"L'Épicerie du Lac","sdgs":[2,12]})", false), users_[0], false);
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ(edited->version, 2);
  EXPECT_EQ(library_->Change(orgs_[0], r.id, 1, Fields(R"({"title":"x"})", false), users_[0], false).error().code, "version_mismatch");
  auto same = library_->Change(orgs_[0], r.id, 2, Fields(R"({"title":"L'Épicerie du Lac"})", false), users_[0], false);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->version, 2);  // nothing changed, nothing recorded

  EXPECT_EQ(library_->Move(orgs_[0], r.id, 2, Stage::kPublished, "", users_[1], true).error().code, "wrong_stage");
  auto sent = library_->Move(orgs_[0], r.id, 2, Stage::kInReview, "", users_[0], false);
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(library_->Move(orgs_[0], r.id, 3, Stage::kPublished, "", users_[0], false).error().code, "reviewers_only");
  auto published = library_->Move(orgs_[0], r.id, 3, Stage::kPublished, "Bravo.", users_[1], true);
  ASSERT_TRUE(published.ok()) << published.error().message;
  EXPECT_EQ(published->stage, Stage::kPublished);
  EXPECT_TRUE(published->published_at.has_value());
  // Published: the editor may no longer edit it; an admin corrects it.
  EXPECT_EQ(library_->Change(orgs_[0], r.id, 4, Fields(R"({"summary":"x"})", false), users_[0], false).error().code, "wrong_stage");
  ASSERT_TRUE(library_->Change(orgs_[0], r.id, 4, Fields(R"({"summary":"Une épicerie solidaire au bord du lac."})", false), users_[1], true).ok());
  auto pub = library_->GetPublished(r.id);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_EQ(pub->summary, "Une épicerie solidaire au bord du lac.");
  auto about = library_->About(orgs_[1]);
  ASSERT_TRUE(about.ok());
  ASSERT_EQ(about->size(), 1u);
  EXPECT_EQ((*about)[0].id, r.id);
  EXPECT_EQ((*about)[0].body, "");  // lists leave the body out

  auto history = library_->History(orgs_[0], r.id);
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->size(), 5u);
  std::vector<std::string> steps;
  for (const auto& h : *history) steps.push_back(h.action + ":" + std::string(StageName(h.stage)) + ":" + h.user);
  EXPECT_EQ(steps, (std::vector<std::string>{"created:draft:editor@ripess.example", "changed:draft:editor@ripess.example",
                                              "moved:in_review:editor@ripess.example", "moved:published:admin@ripess.example",
                                              "changed:published:admin@ripess.example"}));
  EXPECT_EQ(boost::json::parse((*history)[1].changes).at("title").at("from").as_string(), "L'épicerie du Lac");
  EXPECT_EQ(boost::json::parse((*history)[1].changes).at("sdgs").at("to"), boost::json::parse("[2,12]"));
  EXPECT_EQ((*history)[3].note, "Bravo.");
  EXPECT_EQ(boost::json::serialize(boost::json::parse((*history)[3].changes)), R"({"stage":{"from":"in_review","to":"published"}})");

  // Archived: out of the library, kept, not edited.
  ASSERT_TRUE(library_->Move(orgs_[0], r.id, 5, Stage::kArchived, "", users_[1], true).ok());
  EXPECT_EQ(library_->GetPublished(r.id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(library_->Change(orgs_[0], r.id, 6, Fields(R"({"summary":"x"})", false), users_[1], true).error().code, "wrong_stage");
  auto drafts = library_->OfPublisher(orgs_[0], Stage::kArchived, 10, std::nullopt);
  ASSERT_TRUE(drafts.ok());
  EXPECT_EQ(drafts->items.size(), 1u);
}

TEST_F(LibraryTest, TranslationsShareAGroupWithOneResourcePerLanguage) {
  auto fr = Create(R"({"type":"toolkit","title":"Boîte à outils","language":"fr"})");
  auto en = library_->Create(orgs_[0], Fields(R"({"type":"toolkit","title":"Toolkit","language":"en","translation_of":)" + std::to_string(fr.id) + "}"), users_[0]);
  ASSERT_TRUE(en.ok()) << en.error().message;
  EXPECT_EQ(en->translation_group, fr.id);
  ASSERT_EQ(en->translations.size(), 1u);
  EXPECT_EQ(en->translations[0].language, "fr");
  // A second French one in the group is refused, and nothing is left of it.
  auto again = library_->Create(orgs_[0], Fields(R"({"type":"toolkit","title":"Autre","language":"fr","translation_of":)" + std::to_string(en->id) + "}"), users_[0]);
  EXPECT_EQ(ErrorFields(again.error()), std::vector<std::string>{"/language translation_exists"});
  EXPECT_EQ(library_->OfPublisher(orgs_[0], std::nullopt, 10, std::nullopt)->items.size(), 2u);
  EXPECT_EQ(ErrorFields(library_->Create(orgs_[0], Fields(R"({"type":"toolkit","title":"x","language":"es","translation_of":999})"), users_[0]).error()),
            std::vector<std::string>{"/translation_of unknown_resource"});
  // The first leaves the group: the English one keeps its own name for it.
  auto es = library_->Create(orgs_[0], Fields(R"({"type":"toolkit","title":"Caja","language":"es","translation_of":)" + std::to_string(fr.id) + "}"), users_[0]);
  ASSERT_TRUE(es.ok());
  auto left = library_->Change(orgs_[0], fr.id, 1, Fields(R"({"translation_of":null})", false), users_[0], false);
  ASSERT_TRUE(left.ok()) << left.error().message;
  EXPECT_TRUE(left->translations.empty());
  auto en_now = library_->Get(orgs_[0], en->id);
  ASSERT_TRUE(en_now.ok());
  EXPECT_EQ(en_now->translation_group, en->id);
  ASSERT_EQ(en_now->translations.size(), 1u);
  EXPECT_EQ(en_now->translations[0].id, es->id);
  // Changing language into one the group has is refused too.
  EXPECT_EQ(ErrorFields(library_->Change(orgs_[0], es->id, es->version, Fields(R"({"language":"en"})", false), users_[0], false).error()),
            std::vector<std::string>{"/language translation_exists"});
  // The public sees published translations only.
  for (auto id : {en->id, es->id}) {
    auto cur = library_->Get(orgs_[0], id);
    ASSERT_TRUE(library_->Move(orgs_[0], id, cur->version, Stage::kInReview, "", users_[0], false).ok());
  }
  auto en_review = library_->Get(orgs_[0], en->id);
  ASSERT_TRUE(library_->Move(orgs_[0], en->id, en_review->version, Stage::kPublished, "", users_[1], true).ok());
  auto pub = library_->GetPublished(en->id);
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(pub->translations.empty());  // the Spanish one is still in review
}

TEST_F(LibraryTest, ReferencesAndThemesAreChecked) {
  auto bad = library_->Create(orgs_[0], Fields(R"({"type":"policy","title":"Loi","language":"fr","themes":["work_employment","digital_commons"],)"
                                               R"("organisations":[999]})"),
                              users_[0]);
  EXPECT_EQ(ErrorFields(bad.error()), (std::vector<std::string>{"/themes/1 unknown_theme", "/organisations/0 unknown_organisation"}));
  EXPECT_TRUE(library_->OfPublisher(orgs_[0], std::nullopt, 10, std::nullopt)->items.empty());

  auto theme = library_->AddTheme({"digital_commons", {{"en", "Digital commons"}, {"fr", "Communs numériques"}}, false}, users_[1]);
  ASSERT_TRUE(theme.ok()) << theme.error().message;
  EXPECT_EQ(library_->AddTheme({"digital_commons", {{"en", "Again"}}, false}, users_[1]).error().code, "validation_failed");
  EXPECT_EQ(ErrorFields(library_->AddTheme({"work_employment", {{"en", "Work"}}, false}, users_[1]).error()),
            std::vector<std::string>{"/code theme_exists"});
  EXPECT_EQ(ErrorFields(library_->AddTheme({"Bad Code", {{"english", "x"}, {"fr", ""}}, false}, users_[1]).error()),
            (std::vector<std::string>{"/code invalid_code", "/labels/english invalid_language", "/labels/fr invalid"}));
  auto themes = library_->Themes();
  ASSERT_TRUE(themes.ok());
  ASSERT_EQ(themes->size(), std::size(kStandardThemes) + 1);
  EXPECT_EQ(themes->back().labels.at("fr"), "Communs numériques");
  auto good = library_->Create(orgs_[0], Fields(R"({"type":"policy","title":"Loi","language":"fr","themes":["digital_commons"]})"), users_[0]);
  EXPECT_TRUE(good.ok()) << good.error().message;
}

TEST_F(LibraryTest, PagesGoBackwardsThroughAPublishersResources) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Create(R"({"type":"research","title":"R)" + std::to_string(i) + R"(","language":"en"})").id);
  auto first = library_->OfPublisher(orgs_[0], Stage::kDraft, 2, std::nullopt);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].id, ids[4]);
  ASSERT_TRUE(first->next_after.has_value());
  auto second = library_->OfPublisher(orgs_[0], Stage::kDraft, 2, first->next_after);
  EXPECT_EQ(second->items[0].id, ids[2]);
  auto last = library_->OfPublisher(orgs_[0], Stage::kDraft, 2, ids[1]);
  ASSERT_EQ(last->items.size(), 1u);
  EXPECT_FALSE(last->next_after.has_value());
  EXPECT_TRUE(library_->OfPublisher(orgs_[1], std::nullopt, 10, std::nullopt)->items.empty());
}

// Search sees published resources only, folds case and accents in every language, and a
// second server on the same database sees the first one's writes at its next search.
TEST_F(LibraryTest, SearchFindsPublishedResourcesByFoldedWordsWithFacets) {
  auto publish = [&](const std::string& json) {
    auto r = Create(json);
    auto sent = library_->Move(orgs_[0], r.id, r.version, Stage::kInReview, "", users_[0], false);
    EXPECT_TRUE(sent.ok());
    auto done = library_->Move(orgs_[0], r.id, sent->version, Stage::kPublished, "", users_[1], true);
    EXPECT_TRUE(done.ok()) << done.error().message;
    return *done;
  };
  auto fr = publish(R"({"type":"case_study","title":"L'Épicerie solidaire du Lac","language":"fr","summary":"Une coopérative de consommateurs.",)"
                    R"("body":"Les habitants gèrent le magasin.","themes":["food_sovereignty"],"countries":["FR"],"sdgs":[2],"organisations":[)" +
                    std::to_string(orgs_[1]) + "]}");
  auto en = publish(R"({"type":"case_study","title":"The Lake grocery","language":"en","summary":"A consumer co-operative shop.",)"
                    R"("themes":["food_sovereignty"],"countries":["FR"],"translation_of":)" + std::to_string(fr.id) + "}");
  publish(R"({"type":"toolkit","title":"Cuisine collective","language":"fr","body":"Des repas pour l'école.","themes":["work_employment"],"countries":["SN"]})");
  Create(R"({"type":"toolkit","title":"Épicerie brouillon","language":"fr"})");  // a draft: never found

  auto search = [&](Library& lib, std::vector<std::pair<std::string, std::string>> params) {
    auto q = ParseSearchQuery(params);
    EXPECT_TRUE(q.ok());
    auto r = lib.Search(*q);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : SearchResult{};
  };
  auto found = search(*library_, {{"q", "EPICERIE"}});
  ASSERT_EQ(found.total, 1);
  EXPECT_EQ(found.items[0].id, fr.id);
  EXPECT_EQ(found.items[0].publisher.name, "RIPESS");
  ASSERT_EQ(found.items[0].translations.size(), 1u);  // also available in English
  EXPECT_EQ(found.items[0].translations[0].language, "en");
  EXPECT_EQ(search(*library_, {{"q", "geren"}}).total, 1);     // "gèrent", the last word a prefix
  EXPECT_EQ(search(*library_, {{"q", "co-operative"}}).total, 1);
  EXPECT_EQ(search(*library_, {{"q", "brouillon"}}).total, 0);
  EXPECT_EQ(search(*library_, {{"q", "!!"}}).total, 0);

  auto all = search(*library_, {{"theme", "food_sovereignty"}, {"language", "fr"}});
  EXPECT_EQ(all.total, 1);
  std::map<std::string, std::int64_t> languages;
  for (const auto& v : all.page->facets.at("language")) languages[v.value] = v.count;
  EXPECT_EQ(languages, (std::map<std::string, std::int64_t>{{"en", 1}, {"fr", 1}}));
  EXPECT_EQ(search(*library_, {{"organisation", std::to_string(orgs_[1])}}).total, 1);
  EXPECT_EQ(search(*library_, {{"sort", "title"}}).items.front().title, "Cuisine collective");

  // Another server on the same database: its catalogue loads, then follows the first's writes.
  Library other(*store_, clock_);
  EXPECT_EQ(search(other, {}).total, 3);
  auto archived = library_->Move(orgs_[0], en.id, en.version, Stage::kArchived, "", users_[1], true);
  ASSERT_TRUE(archived.ok()) << archived.error().message;
  EXPECT_EQ(search(other, {}).total, 2);
  EXPECT_EQ(search(other, {{"q", "grocery"}}).total, 0);
  EXPECT_TRUE(search(other, {{"q", "epicerie"}}).items[0].translations.empty());
}

}  // namespace
}  // namespace solidum::library
