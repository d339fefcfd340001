#include "registry/organisations.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "registry/registry_fixture.h"
#include "registry/search.h"

namespace solidum::registry {
namespace {

class OrganisationsTest : public RegistryTest {
 protected:
  OrganisationChanges Changes(std::string_view json, Mode m = Mode::kCreate) {
    return ParseOrganisation(boost::json::parse(json), m).value();
  }
};

TEST_F(OrganisationsTest, CreatesAndReads) {
  auto u = identity_->CreateUser("ana@coop.example", "a long password", false);
  auto o = orgs_->Create(Changes(R"({"name":"La Fabrique","legal_form":"OS60","country":"FR"})"), u->id);
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->version, 1);
  auto back = orgs_->Get(o->id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->name, "La Fabrique");
  EXPECT_EQ(back->created_at, "2026-11-23T13:35:10.000Z");
  EXPECT_EQ(*identity_->RoleIn(u->id, o->id), identity::Role::kAdmin);
}

TEST_F(OrganisationsTest, RejectsUnknownVocabularyWithoutWriting) {
  auto o = orgs_->Create(Changes(R"({"name":"X","legal_form":"OS999","country":"QQ"})"), std::nullopt);
  ASSERT_FALSE(o.ok());
  ASSERT_EQ(o.error().fields.size(), 2u);
  EXPECT_EQ(o.error().fields[0].field, "/legal_form");
  EXPECT_EQ(o.error().fields[1].field, "/country");
  auto page = orgs_->Search(*ParseSearchQuery({}));
  EXPECT_TRUE(page->items.empty());
}

TEST_F(OrganisationsTest, UpdatesOnlyTheExpectedVersion) {
  auto o = orgs_->Create(Changes(R"({"name":"A"})"), std::nullopt);
  auto u1 = orgs_->Update(o->id, 1, Changes(R"({"name":"B"})", Mode::kPatch));
  ASSERT_TRUE(u1.ok());
  EXPECT_EQ(u1->version, 2);
  auto stale = orgs_->Update(o->id, 1, Changes(R"({"name":"C"})", Mode::kPatch));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::kPreconditionFailed);
  EXPECT_EQ(orgs_->Get(o->id)->name, "B");
}

TEST_F(OrganisationsTest, StoredDocumentsFollowEveryWriteAndOldRowsStillRender) {
  auto o = orgs_->Create(Changes(R"({"name":"A","sdgs":[1,2],"translations":{"fr":{"description":"d"}}})"), std::nullopt);
  ASSERT_TRUE(o.ok());
  auto doc = orgs_->GetDocument(o->id);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->version, 1);
  auto json = boost::json::parse(doc->json);
  EXPECT_EQ(json.at("id").as_int64(), o->id);
  EXPECT_EQ(json.at("sdgs").as_array().size(), 2u);

  ASSERT_TRUE(orgs_->Update(o->id, 1, Changes(R"({"name":"B"})", Mode::kPatch)).ok());
  auto updated = orgs_->GetDocument(o->id);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(boost::json::parse(updated->json).at("name").as_string(), "B");
  EXPECT_EQ(boost::json::parse(updated->json).at("version").as_int64(), 2);

  // A row from before stored documents renders the same JSON from its columns.
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->Exec("UPDATE organisations SET doc = NULL WHERE id = ?", {o->id}).ok());
  }
  auto rendered = orgs_->GetDocument(o->id);
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(rendered->json, updated->json);
  auto page = orgs_->Search(*ParseSearchQuery({}));
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].json, updated->json);
}

TEST_F(OrganisationsTest, SoftDeletes) {
  auto o = orgs_->Create(Changes(R"({"name":"A"})"), std::nullopt);
  EXPECT_EQ(orgs_->Delete(o->id, 2).error().kind, ErrorKind::kPreconditionFailed);
  ASSERT_TRUE(orgs_->Delete(o->id, 1).ok());
  EXPECT_EQ(orgs_->Get(o->id).error().kind, ErrorKind::kNotFound);
  auto conn = store_->Acquire();
  EXPECT_TRUE((*conn->QueryOne("SELECT 1 FROM organisations WHERE id = ?", {o->id}))->size() == 1);
}

TEST_F(OrganisationsTest, PagesThroughEverythingOnce) {
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(orgs_->Create(Changes(R"({"name":"Org"})"), std::nullopt).ok());
  std::vector<std::int64_t> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    std::vector<std::pair<std::string, std::string>> params{{"limit", "3"}};
    if (cursor) params.emplace_back("cursor", *cursor);
    auto p = orgs_->Search(*ParseSearchQuery(params));
    ASSERT_TRUE(p.ok());
    for (auto& o : p->items) seen.push_back(o.id);
    cursor = p->next_cursor;
    ++pages;
  } while (cursor);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

}  // namespace
}  // namespace solidum::registry
