// Communities of practice through the real server: a network starts a group; people join
// under a handle and write threads and replies in their languages; a mention emails the
// person named; a moderator hides a post and blocks a member; a closed group's
// conversations stay with its members; no script in a post reaches a reader as HTML.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

TEST_F(ApiTest, ACommunityOfPracticeTalksAcrossLanguagesAndIsModerated) {
  const auto admin = NewUser("admin@ripess.example");
  const std::int64_t ripess = CreateOrg(admin, R"({"name":"RIPESS","country":"BE"})");
  const std::string own = "/api/v1/organisations/" + std::to_string(ripess) + "/communities";

  // Bad input: every field named, nothing stored; only the organisation's staff start one.
  auto bad = http_->SendJson("POST", own, R"({"name":"","languages":["fr","xx1"],"open":"yes"})", Bearer(admin));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Fields(), (std::vector<std::string>{"/name required", "/languages/1 too_long", "/open wrong_type"}));
  EXPECT_EQ(CountRows("communities"), 0);
  const auto ana = NewUser("ana@rede.example"), luc = NewUser("luc@coop.example"), eve = NewUser("eve@spam.example");
  EXPECT_EQ(http_->SendJson("POST", own, R"({"name":"Mine"})", Bearer(ana)).status, 403);

  auto made = http_->SendJson("POST", own, R"({"name":"Finance solidaire","description":"Fonds **rotatifs**","languages":["fr","pt"]})", Bearer(admin));
  ASSERT_EQ(made.status, 201) << made.body;
  const auto group = made.Json();
  const std::string pub = "/api/v1/communities/" + std::to_string(group.at("id").as_int64());
  EXPECT_EQ(http_->Get("/api/v1/communities").Json().at("items").as_array().size(), 1u);

  // Joining: a handle, once; a taken handle named at its field.
  const std::string join = pub + "/membership";
  EXPECT_EQ(http_->SendJson("POST", join, R"({"handle":"ana"})").status, 401);
  EXPECT_EQ(http_->SendJson("POST", join, R"({"handle":"a b","language":"de"})", Bearer(ana)).Fields(),
            (std::vector<std::string>{"/handle invalid_handle", "/language unsupported_language"}));
  ASSERT_EQ(http_->SendJson("POST", join, R"({"handle":"ana_souza","language":"pt"})", Bearer(ana)).status, 201);
  auto taken = http_->SendJson("POST", join, R"({"handle":"Ana.Souza"})", Bearer(luc));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.Fields(), std::vector<std::string>{"/handle handle_taken"});
  ASSERT_EQ(http_->SendJson("POST", join, R"({"handle":"luc","language":"fr"})", Bearer(luc)).status, 201);
  ASSERT_EQ(http_->SendJson("POST", join, R"({"handle":"eve"})", Bearer(eve)).status, 201);
  EXPECT_EQ(http_->SendJson("POST", join, R"({"handle":"eve2"})", Bearer(eve)).Code(), "already_member");

  // A thread in Portuguese mentioning Luc, who gets an email in French.
  auto thread = http_->SendJson("POST", pub + "/threads",
                                R"x({"title":"Fundos rotativos","language":"pt","body":"Olá @luc! <script>alert(1)</script> [x](javascript:alert(1))"})x",
                                Bearer(ana));
  ASSERT_EQ(thread.status, 201) << thread.body;
  const auto t = thread.Json();
  const std::string tpath = pub + "/threads/" + std::to_string(t.at("id").as_int64());
  const std::string html(t.at("items").at(0).at("body_html").as_string());
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(CountRows("mail_outbox"), 1);
  EXPECT_EQ(http_->SendJson("POST", pub + "/threads", R"({"title":"","language":"portuguese","body":""})", Bearer(ana)).Fields(),
            (std::vector<std::string>{"/title required", "/language too_long", "/body required"}));
  EXPECT_EQ(http_->SendJson("POST", pub + "/threads", R"({"title":"T","language":"en","body":"x"})", Bearer(admin)).Code(), "not_a_member");

  auto reply = http_->SendJson("POST", tpath + "/posts", R"({"language":"fr","body":"Merci @ana_souza"})", Bearer(luc));
  ASSERT_EQ(reply.status, 201) << reply.body;
  auto spam = http_->SendJson("POST", tpath + "/posts", R"({"language":"en","body":"Buy pills"})", Bearer(eve));
  ASSERT_EQ(spam.status, 201) << spam.body;
  const std::string spam_id = std::to_string(spam.Json().at("id").as_int64());
  EXPECT_EQ(http_->SendJson("POST", tpath + "/posts", R"({"language":"en","body":"x","parent":99999})", Bearer(luc)).Fields(),
            std::vector<std::string>{"/parent unknown_post"});

  // The moderator hides the spam (with a reason) and blocks its author.
  const std::string mod = own + "/" + std::to_string(group.at("id").as_int64());
  EXPECT_EQ(http_->SendJson("POST", mod + "/posts/" + spam_id + "/hide", R"({"reason":"Spam"})", Bearer(ana)).status, 403);
  EXPECT_EQ(http_->SendJson("POST", mod + "/posts/" + spam_id + "/hide", "{}", Bearer(admin)).Fields(), std::vector<std::string>{"/reason required"});
  ASSERT_EQ(http_->SendJson("POST", mod + "/posts/" + spam_id + "/hide", R"({"reason":"Spam"})", Bearer(admin)).status, 200);
  auto read = http_->Get(tpath);
  ASSERT_EQ(read.status, 200) << read.body;
  const auto posts = read.Json().at("items").as_array();
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_TRUE(posts[2].at("hidden").as_bool());
  EXPECT_EQ(posts[2].at("body").as_string(), "");
  EXPECT_EQ(read.body.find("pills"), std::string::npos);
  EXPECT_NE(http_->Get(tpath, Bearer(admin)).body.find("pills"), std::string::npos);  // moderators still read it
  const std::string eve_id = std::to_string(http_->Get(pub, Bearer(eve)).Json().at("me").at("user_id").as_int64());
  ASSERT_EQ(http_->SendJson("POST", mod + "/members/" + eve_id + "/block", R"({"reason":"Spam"})", Bearer(admin)).status, 200);
  EXPECT_EQ(http_->SendJson("POST", tpath + "/posts", R"({"language":"en","body":"Again"})", Bearer(eve)).Code(), "blocked");
  auto members = http_->Get(mod + "/members", Bearer(admin));
  ASSERT_EQ(members.status, 200);
  EXPECT_EQ(members.Json().at("items").as_array().size(), 3u);
  EXPECT_EQ(http_->Get(mod + "/members", Bearer(luc)).status, 403);

  // A closed group: listed, but its threads are for members.
  auto closed = http_->SendJson("POST", own, R"({"name":"Conseil","open":false})", Bearer(admin));
  ASSERT_EQ(closed.status, 201);
  const std::string cpub = "/api/v1/communities/" + std::to_string(closed.Json().at("id").as_int64());
  EXPECT_EQ(http_->Get(cpub + "/threads", Bearer(luc)).Code(), "members_only");
  EXPECT_EQ(http_->Get(cpub + "/threads").Code(), "members_only");
  EXPECT_EQ(http_->Get(cpub + "/threads", Bearer(admin)).status, 200);
  EXPECT_EQ(http_->SendJson("POST", cpub + "/membership", R"({"handle":"luc"})", Bearer(luc)).Code(), "closed_group");

  // Settings and my groups.
  EXPECT_EQ(http_->Get("/api/v1/me/communities/settings", Bearer(luc)).Json().at("language").as_string(), "fr");
  EXPECT_EQ(http_->SendJson("PUT", "/api/v1/me/communities/settings", R"({"digest":"hourly"})", Bearer(luc)).Fields(),
            std::vector<std::string>{"/digest unknown_digest"});
  auto daily = http_->SendJson("PUT", "/api/v1/me/communities/settings", R"({"digest":"daily"})", Bearer(luc));
  ASSERT_EQ(daily.status, 200) << daily.body;
  EXPECT_EQ(daily.Json().at("digest").as_string(), "daily");
  EXPECT_EQ(http_->Get("/api/v1/me/communities", Bearer(luc)).Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(CountRows("mail_outbox"), 2);  // the two mentions
}

}  // namespace
}  // namespace solidum::testing
