// Communities in the store, on SQLite and PostgreSQL: joining with a handle, closed groups
// that moderators fill, threads and replies with mentions that email the person named,
// hiding a post and blocking a member, archived groups, and digests that go once per
// member and period, in the member's language, with only what they may read.
#include "communities/communities.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../../tests/support/test_store.h"

namespace solidum::communities {
namespace {

constexpr std::int64_t kDay = 86'400'000'000;

class CommunitiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "communities"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES ('RIPESS', 'x', 'x') RETURNING id", {});
    ASSERT_TRUE(org.ok()) << org.error().message;
    org_ = (*org)->Int(0);
    for (int i = 0; i < 6; ++i) {
      auto u = conn->QueryOne("INSERT INTO users (email, password_hash, created_at) VALUES (?, 'x', 'x') RETURNING id",
                              {"person" + std::to_string(i) + "@example.org"});
      ASSERT_TRUE(u.ok()) << u.error().message;
      users_.push_back((*u)->Int(0));
    }
    // person0 moderates: an editor of the organisation.
    ASSERT_TRUE(conn->Exec("INSERT INTO organisation_roles (organisation_id, user_id, role, granted_at) VALUES (?, ?, 'editor', 'x')",
                           {org_, users_[0]}).ok());
    communities_ = std::make_unique<Communities>(*store_, clock_, "https://solidum.example");
  }
  Community Group(const std::string& json) {
    auto in = ReadCommunity(boost::json::parse(json), true);
    EXPECT_TRUE(in.ok()) << in.error().message;
    auto made = communities_->Create(org_, *in, users_[0]);
    EXPECT_TRUE(made.ok()) << made.error().message;
    return made.ok() ? *made : Community{};
  }
  PostInput Input(const std::string& json, bool thread) {
    auto in = thread ? ReadThread(boost::json::parse(json)) : ReadReply(boost::json::parse(json));
    EXPECT_TRUE(in.ok()) << in.error().message;
    return in.ok() ? *in : PostInput{};
  }
  std::vector<std::string> Outbox() { return solidum::testing::OutboxLines(*store_); }
  std::string LastBody() {
    auto conn = store_->Acquire();
    auto row = conn->QueryOne("SELECT body FROM mail_outbox ORDER BY id DESC LIMIT 1", {});
    EXPECT_TRUE(row.ok() && *row);
    return row.ok() && *row ? (*row)->Text(0) : "";
  }
  solidum::testing::TempDir dir_;
  ManualClock clock_{1'800'000'000'000'000};  // Friday 15 January 2027, 08:00 UTC
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Communities> communities_;
  std::int64_t org_ = 0;
  std::vector<std::int64_t> users_;
};

TEST_F(CommunitiesTest, MembersJoinWithAHandleAndClosedGroupsAreFilledByModerators) {
  const Community open = Group(R"({"name":"Finance solidaire","languages":["fr","pt"]})");
  EXPECT_EQ(open.organisation_name, "RIPESS");
  auto ana = communities_->Join(open.id, users_[1], "ana_sousa", "pt");
  ASSERT_TRUE(ana.ok()) << ana.error().message;
  EXPECT_EQ(ana->handle, "ana_sousa");
  EXPECT_FALSE(ana->moderator);
  EXPECT_EQ(communities_->Join(open.id, users_[1], "ana2", "pt").error().code, "already_member");
  auto taken = communities_->Join(open.id, users_[2], "Ana.Sousa", "fr");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, "handle_taken");
  EXPECT_EQ(taken.error().fields.at(0).field, "/handle");
  ASSERT_TRUE(communities_->Join(open.id, users_[0], "moderation", "fr").ok());
  EXPECT_TRUE(communities_->Get(open.id, {users_[0], true})->me->moderator);
  EXPECT_EQ(communities_->Get(open.id, {})->community.members, 2);
  EXPECT_EQ(communities_->SettingsOf(users_[1])->language, "pt");  // the first join sets the email language
  EXPECT_EQ(communities_->SettingsOf(users_[1])->digest, Digest::kWeekly);

  // Leaving and coming back keeps nothing lost; the old handle stays reserved meanwhile.
  ASSERT_TRUE(communities_->Leave(open.id, users_[1]).ok());
  EXPECT_EQ(communities_->Join(open.id, users_[2], "ana_sousa", "fr").error().code, "handle_taken");
  ASSERT_TRUE(communities_->Join(open.id, users_[1], "ana", "pt").ok());

  // A closed group: nobody joins by themself, its conversations are for members.
  const Community closed = Group(R"({"name":"Conseil","open":false})");
  EXPECT_EQ(communities_->Join(closed.id, users_[3], "bruno", "fr").error().code, "closed_group");
  EXPECT_EQ(communities_->Threads(closed.id, {users_[3], false}, 50, 0).error().code, "members_only");
  EXPECT_EQ(communities_->Add(org_, closed.id, "nobody@example.org", "x1", users_[0]).error().fields.at(0).code, "unknown_user");
  ASSERT_TRUE(communities_->Add(org_, closed.id, "person3@example.org", "bruno", users_[0]).ok());
  EXPECT_TRUE(communities_->Threads(closed.id, {users_[3], false}, 50, 0).ok());
  EXPECT_TRUE(communities_->Threads(closed.id, {users_[4], true}, 50, 0).ok());  // a moderator reads
  EXPECT_EQ(communities_->OfUser(users_[3])->size(), 1u);
  EXPECT_EQ(communities_->OfOrganisation(org_)->size(), 2u);

  // Version checks on changes; archiving stops joining and writing.
  auto archive = ReadCommunity(boost::json::parse(R"({"archived":true})"), false);
  EXPECT_EQ(communities_->Change(org_, open.id, open.version + 1, *archive).error().code, "version_mismatch");
  ASSERT_TRUE(communities_->Change(org_, open.id, open.version, *archive).ok());
  EXPECT_EQ(communities_->Join(open.id, users_[5], "eve", "en").error().code, "archived");
  EXPECT_EQ(communities_->StartThread(open.id, users_[1], Input(R"({"title":"T","language":"pt","body":"x"})", true)).error().code, "archived");
  EXPECT_EQ(communities_->List(50, 0)->size(), 1u);  // the archived group is not listed
}

TEST_F(CommunitiesTest, ThreadsRepliesAndMentionsThatEmailThePersonNamed) {
  const Community g = Group(R"({"name":"Finance solidaire","languages":["fr","pt"]})");
  ASSERT_TRUE(communities_->Join(g.id, users_[1], "ana_sousa", "pt").ok());
  ASSERT_TRUE(communities_->Join(g.id, users_[2], "joão", "fr").ok());
  EXPECT_EQ(communities_->StartThread(g.id, users_[3], Input(R"({"title":"T","language":"fr","body":"x"})", true)).error().code, "not_a_member");

  auto t = communities_->StartThread(g.id, users_[1], Input(R"({"title":"Fundos rotativos","language":"pt","body":"Olá @Joao, e @ana_sousa e @ninguem."})", true));
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->posts.size(), 1u);
  EXPECT_EQ(t->thread.author_handle, "ana_sousa");
  EXPECT_EQ(t->posts[0].mentions, std::vector<std::int64_t>{users_[2]});  // not herself, not a stranger
  EXPECT_EQ(Outbox(), std::vector<std::string>{"community_mention person2@example.org fr @ana_sousa vous a mentionné dans Finance solidaire"});
  EXPECT_NE(LastBody().find("https://solidum.example/communities/" + std::to_string(g.id) + "/threads/" + std::to_string(t->thread.id)),
            std::string::npos);

  clock_.Advance(60'000'000);
  auto reply = communities_->Reply(g.id, t->thread.id, users_[2], Input(R"({"language":"fr","body":"Merci !"})", false));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->parent_id, t->posts[0].id);
  EXPECT_EQ(reply->depth, 1);
  auto deeper = communities_->Reply(g.id, t->thread.id, users_[1],
                                    Input(R"({"language":"pt","body":"De nada @joão","parent":)" + std::to_string(reply->id) + "}", false));
  ASSERT_TRUE(deeper.ok()) << deeper.error().message;
  EXPECT_EQ(deeper->depth, 2);
  EXPECT_EQ(Outbox().size(), 2u);
  auto stray = communities_->Reply(g.id, t->thread.id, users_[1], Input(R"({"language":"pt","body":"x","parent":999999})", false));
  EXPECT_EQ(stray.error().fields.at(0).code, "unknown_post");

  // Editing: the author only; a mention added by an edit emails once, not again.
  EXPECT_EQ(communities_->Edit(g.id, reply->id, users_[1], Input(R"({"language":"fr","body":"x"})", false)).error().code, "not_author");
  auto edited = communities_->Edit(g.id, reply->id, users_[2], Input(R"({"language":"fr","body":"Merci @ana_sousa !"})", false));
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_TRUE(edited->edited_at.has_value());
  ASSERT_TRUE(communities_->Edit(g.id, reply->id, users_[2], Input(R"({"language":"fr","body":"Merci @ana_sousa !!"})", false)).ok());
  EXPECT_EQ(Outbox().size(), 3u);
  EXPECT_EQ(Outbox().back(), "community_mention person1@example.org pt @joão mencionou-o em Finance solidaire");

  auto page = communities_->Threads(g.id, {}, 50, 0);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].posts, 3);
  EXPECT_EQ(page->total, 1);
}

TEST_F(CommunitiesTest, ModeratorsHidePostsAndBlockMembers) {
  const Community g = Group(R"({"name":"Finance solidaire"})");
  ASSERT_TRUE(communities_->Join(g.id, users_[1], "ana", "en").ok());
  ASSERT_TRUE(communities_->Join(g.id, users_[2], "spam", "en").ok());
  ASSERT_TRUE(communities_->Join(g.id, users_[0], "mod", "en").ok());
  auto t = communities_->StartThread(g.id, users_[1], Input(R"({"title":"Hello","language":"en","body":"Welcome"})", true));
  ASSERT_TRUE(t.ok());
  auto bad = communities_->Reply(g.id, t->thread.id, users_[2], Input(R"({"language":"en","body":"Buy now"})", false));
  ASSERT_TRUE(bad.ok());

  auto hidden = communities_->Hide(org_, g.id, bad->id, users_[0], "Advertising");
  ASSERT_TRUE(hidden.ok()) << hidden.error().message;
  EXPECT_TRUE(hidden->hidden_at.has_value());
  const auto reader = communities_->GetThread(g.id, t->thread.id, {users_[1], false});
  ASSERT_TRUE(reader.ok());
  ASSERT_EQ(reader->posts.size(), 2u);  // keeps its place
  EXPECT_EQ(reader->posts[1].body, "");
  EXPECT_FALSE(reader->posts[1].hidden_reason.has_value());
  EXPECT_EQ(reader->thread.posts, 1);
  const auto author = communities_->GetThread(g.id, t->thread.id, {users_[2], false});
  EXPECT_EQ(author->posts[1].hidden_reason.value_or(""), "Advertising");  // its author learns why
  EXPECT_EQ(author->posts[1].body, "");
  const auto moderator = communities_->GetThread(g.id, t->thread.id, {users_[0], true});
  EXPECT_EQ(moderator->posts[1].body, "Buy now");
  EXPECT_EQ(communities_->Edit(g.id, bad->id, users_[2], Input(R"({"language":"en","body":"Nice"})", false)).error().code, "hidden");
  ASSERT_TRUE(communities_->Unhide(org_, g.id, bad->id).ok());
  EXPECT_EQ(communities_->GetThread(g.id, t->thread.id, {})->posts[1].body, "Buy now");

  auto blocked = communities_->Block(org_, g.id, users_[2], users_[0], "Spam, twice");
  ASSERT_TRUE(blocked.ok()) << blocked.error().message;
  EXPECT_EQ(blocked->block_reason.value_or(""), "Spam, twice");
  EXPECT_EQ(communities_->Reply(g.id, t->thread.id, users_[2], Input(R"({"language":"en","body":"Again"})", false)).error().code, "blocked");
  EXPECT_EQ(communities_->Leave(g.id, users_[2]).error().code, "blocked");
  EXPECT_TRUE(communities_->GetThread(g.id, t->thread.id, {users_[2], false}).ok());  // still reads
  EXPECT_EQ(communities_->Block(org_, g.id, users_[0], users_[0], "x").error().code, "moderator");
  EXPECT_EQ(communities_->Block(org_ + 1, g.id, users_[2], users_[0], "x").error().code, "not_found");  // another organisation's group
  ASSERT_TRUE(communities_->Unblock(org_, g.id, users_[2]).ok());
  EXPECT_TRUE(communities_->Reply(g.id, t->thread.id, users_[2], Input(R"({"language":"en","body":"Sorry"})", false)).ok());
  EXPECT_EQ(communities_->Members(org_, g.id)->size(), 3u);
}

TEST_F(CommunitiesTest, DigestsGoOncePerMemberAndPeriodInTheirLanguage) {
  const Community g = Group(R"({"name":"Finance solidaire"})");
  const Community other = Group(R"({"name":"Autre groupe"})");
  ASSERT_TRUE(communities_->Join(g.id, users_[1], "ana", "pt").ok());
  ASSERT_TRUE(communities_->Join(g.id, users_[2], "bruno", "fr").ok());
  ASSERT_TRUE(communities_->Join(g.id, users_[3], "carla", "es").ok());
  ASSERT_TRUE(communities_->Join(other.id, users_[4], "dora", "en").ok());
  ASSERT_TRUE(communities_->ChangeSettings(users_[1], *ReadSettings(boost::json::parse(R"({"digest":"daily"})"))).ok());
  ASSERT_TRUE(communities_->ChangeSettings(users_[2], *ReadSettings(boost::json::parse(R"({"digest":"daily"})"))).ok());
  ASSERT_TRUE(communities_->ChangeSettings(users_[3], *ReadSettings(boost::json::parse(R"({"digest":"none"})"))).ok());
  ASSERT_TRUE(communities_->ChangeSettings(users_[4], *ReadSettings(boost::json::parse(R"({"digest":"daily"})"))).ok());

  // Friday 15 January: Ana writes twice, Bruno once, one of Ana's posts gets hidden.
  auto t = communities_->StartThread(g.id, users_[1], Input(R"({"title":"Fundos rotativos","language":"pt","body":"Como **funciona**?"})", true));
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(communities_->Reply(g.id, t->thread.id, users_[2], Input(R"({"language":"fr","body":"Comme une tontine."})", false)).ok());
  auto hidden = communities_->Reply(g.id, t->thread.id, users_[1], Input(R"({"language":"pt","body":"Segredo"})", false));
  ASSERT_TRUE(hidden.ok());
  ASSERT_TRUE(communities_->Hide(org_, g.id, hidden->id, users_[0], "Off topic").ok());
  const std::size_t before = Outbox().size();

  // The day is not over: nothing about it yet (the digest covers the 14th, when nothing was written).
  EXPECT_EQ(*communities_->WriteDigests(), 0);
  clock_.Advance(kDay);  // Saturday 16th
  EXPECT_EQ(*communities_->WriteDigests(), 2);
  EXPECT_EQ(*communities_->WriteDigests(), 0);  // never twice for a period
  const auto out = Outbox();
  ASSERT_EQ(out.size(), before + 2);
  // Ana reads Bruno's post (not her own, not the hidden one); Bruno reads Ana's first post.
  EXPECT_EQ(out[before], "community_digest person1@example.org pt As suas comunidades: 1 novas mensagens");
  EXPECT_EQ(out[before + 1], "community_digest person2@example.org fr Vos communautés : 1 nouveaux messages");
  const std::string body = LastBody();
  EXPECT_NE(body.find("== Finance solidaire =="), std::string::npos) << body;
  EXPECT_NE(body.find("@ana: Como funciona?"), std::string::npos) << body;
  EXPECT_EQ(body.find("Segredo"), std::string::npos) << body;
  EXPECT_NE(body.find("https://solidum.example/communities?settings=1"), std::string::npos) << body;

  // A quiet day sends nothing; a new one is its own period.
  clock_.Advance(kDay);
  EXPECT_EQ(*communities_->WriteDigests(), 0);
  ASSERT_TRUE(communities_->Reply(g.id, t->thread.id, users_[2], Input(R"({"language":"fr","body":"Et aussi…"})", false)).ok());
  clock_.Advance(kDay);
  EXPECT_EQ(*communities_->WriteDigests(), 1);  // Ana only: Bruno wrote it
  EXPECT_EQ(Outbox().back(), "community_digest person1@example.org pt As suas comunidades: 1 novas mensagens");
}

}  // namespace
}  // namespace solidum::communities
