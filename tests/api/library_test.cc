// The library through the real server: a network's editor writes a resource, sends it to
// review, its admin publishes it; the public sees it only then, with its Markdown rendered
// safely, its files and its published translations; the history says who did what.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

TEST_F(ApiTest, AResourceIsWrittenReviewedPublishedAndReadByAnyone) {
  const auto admin = NewUser("admin@ripess.example");
  const std::int64_t ripess = CreateOrg(admin, R"({"name":"RIPESS Europe","country":"BE"})");
  const std::int64_t shop = CreateOrg(admin, R"({"name":"Épicerie du Lac","country":"FR"})");
  const auto editor = NewUser("editor@ripess.example");
  const std::string org = "/api/v1/organisations/" + std::to_string(ripess);
  ASSERT_EQ(http_->SendJson("POST", org + "/roles", R"({"email":"editor@ripess.example","role":"editor"})", Bearer(admin)).status, 200);
  const std::string own = org + "/library/resources";

  // Bad input: every field named, nothing stored.
  auto bad = http_->SendJson("POST", own, R"({"type":"novel","title":"","language":"fra","sdgs":[0],"organisations":[999]})", Bearer(editor));
  EXPECT_EQ(bad.Fields(), (std::vector<std::string>{"/type unknown_term", "/title required", "/language invalid_language", "/sdgs/0 out_of_range"}));
  EXPECT_EQ(http_->SendJson("POST", own, R"({"type":"toolkit","title":"x","language":"fr","organisations":[999]})", Bearer(editor)).Fields(),
            std::vector<std::string>{"/organisations/0 unknown_organisation"});
  EXPECT_EQ(CountRows("library_resources"), 0);
  EXPECT_EQ(http_->SendJson("POST", own, R"({"type":"toolkit","title":"x","language":"fr"})", Bearer(NewUser("x@y.example"))).status, 403);

  const std::string body = "# L'histoire\n\nUne *épicerie*.\n\n<script>alert('x')</script>\n\n[clic](javascript:alert(1)) <img src=x onerror=alert(1)>";
  boost::json::object create{{"type", "good_practice"}, {"title", "L'épicerie du Lac"}, {"summary", "Une épicerie solidaire."},
                             {"language", "fr"}, {"body", body}, {"themes", {"food_sovereignty"}}, {"sdgs", {2, 12}},
                             {"countries", {"fr"}}, {"organisations", {shop}}};
  auto created = http_->SendJson("POST", own, boost::json::serialize(create), Bearer(editor));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto r = created.Json();
  const std::string one = own + "/" + std::to_string(r.at("id").as_int64());
  const std::string pub = "/api/v1/library/resources/" + std::to_string(r.at("id").as_int64());
  EXPECT_EQ(r.at("stage").as_string(), "draft");
  EXPECT_EQ(created.Header("etag"), "\"v1\"");
  const std::string html(r.at("body_html").as_string());
  EXPECT_NE(html.find("<h1>L’histoire</h1>"), std::string::npos) << html;
  EXPECT_NE(html.find("<em>épicerie</em>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(r.at("organisations").at(0).at("name").as_string(), "Épicerie du Lac");
  EXPECT_EQ(r.at("countries").at(0).as_string(), "FR");

  // Not public yet.
  EXPECT_EQ(http_->Get(pub).status, 404);
  EXPECT_EQ(http_->Get("/api/v1/organisations/" + std::to_string(shop) + "/library/about").Json().at("items").as_array().size(), 0u);

  // A file: a fake PDF is refused; slides are kept.
  auto upload = [&](const std::string& token, const std::string& type, const std::string& bytes, const std::string& name) {
    return http_->Send("POST", one + "/attachments?file_name=" + name, bytes, {{"Authorization", "Bearer " + token}, {"Content-Type", type}});
  };
  EXPECT_EQ(upload(editor, "application/pdf", "<html><script>alert(1)</script></html>", "guide.pdf").Fields(),
            std::vector<std::string>{"/file type_mismatch"});
  const std::string pdf = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
  auto file = upload(editor, "application/pdf", pdf, "guide.pdf");
  ASSERT_EQ(file.status, 201) << file.body;
  const std::string att = std::to_string(file.Json().at("id").as_int64());

  // Edits need the version read; the editor sends it to review; only the admin publishes.
  auto read = [&](const std::string& token) { return http_->Get(one, Bearer(token)); };
  auto send = [&](const std::string& method, const std::string& path, const std::string& token, const std::string& json) {
    return http_->SendJson(method, path, json, {{"Authorization", "Bearer " + token}, {"If-Match", read(token).Header("etag")}});
  };
  EXPECT_EQ(http_->SendJson("PATCH", one, R"({"title":"x"})", Bearer(editor)).status, 428);
  EXPECT_EQ(http_->SendJson("PATCH", one, R"({"title":"x"})", {{"Authorization", "Bearer " + editor}, {"If-Match", "\"v9\""}}).status, 412);
  auto edited = send("PATCH", one, editor, R"({"title":"L'Épicerie du Lac"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  ASSERT_EQ(send("POST", one + "/stage", editor, R"({"stage":"in_review"})").status, 200);
  auto refused = send("POST", one + "/stage", editor, R"({"stage":"published"})");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Code(), "reviewers_only");
  EXPECT_EQ(send("POST", one + "/stage", admin, R"({"stage":"gone"})").Fields(), std::vector<std::string>{"/stage unknown_stage"});
  auto published = send("POST", one + "/stage", admin, R"({"stage":"published","note":"Très clair."})");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(send("PATCH", one, editor, R"({"summary":"x"})").Code(), "wrong_stage");
  EXPECT_EQ(upload(editor, "application/pdf", pdf, "v2.pdf").Code(), "wrong_stage");

  // Anyone reads it now, without the staff's view.
  auto seen = http_->Get(pub);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.Json().at("title").as_string(), "L'Épicerie du Lac");
  EXPECT_EQ(seen.Json().at("attachments").as_array().size(), 1u);
  auto got = http_->Get(pub + "/attachments/" + att);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, pdf);
  EXPECT_EQ(http_->Get("/api/v1/organisations/" + std::to_string(shop) + "/library/about").Json().at("items").at(0).at("title").as_string(),
            "L'Épicerie du Lac");
  EXPECT_EQ(http_->Get(one).status, 401);  // the staff's view is the staff's

  // A translation by the same network, in English: "also available in" once it is published.
  auto en = http_->SendJson("POST", own, R"({"type":"good_practice","title":"The Lake grocery","language":"en","translation_of":)" +
                                             std::to_string(r.at("id").as_int64()) + "}",
                            Bearer(editor));
  ASSERT_EQ(en.status, 201) << en.body;
  EXPECT_EQ(en.Json().at("translations").at(0).at("language").as_string(), "fr");
  EXPECT_EQ(http_->Get(pub).Json().at("translations").as_array().size(), 0u);
  EXPECT_EQ(http_->SendJson("POST", own, R"({"type":"good_practice","title":"Encore","language":"fr","translation_of":)" +
                                             std::to_string(r.at("id").as_int64()) + "}",
                            Bearer(editor)).Fields(),
            std::vector<std::string>{"/language translation_exists"});

  // Anyone finds it, by words with or without accents, with facets; drafts stay unseen.
  auto found = http_->Get("/api/v1/library/resources?q=epicerie&theme=food_sovereignty");
  ASSERT_EQ(found.status, 200) << found.body;
  const auto found_json = found.Json();
  EXPECT_EQ(found_json.at("total").as_int64(), 1);
  EXPECT_EQ(found_json.at("items").at(0).at("title").as_string(), "L'Épicerie du Lac");
  EXPECT_EQ(found_json.at("facets").at("type").at(0).at("value").as_string(), "good_practice");
  EXPECT_EQ(http_->Get("/api/v1/library/resources?q=lake").Json().at("total").as_int64(), 0);  // the English one is a draft
  EXPECT_EQ(http_->Get("/api/v1/library/resources?sdg=99&sort=best").Fields(), (std::vector<std::string>{"?sdg out_of_range", "?sort unknown_sort"}));

  // The history: who did what.
  auto history = http_->Get(one + "/history", Bearer(editor));
  ASSERT_EQ(history.status, 200) << history.body;
  const auto history_json = history.Json();
  const auto& items = history_json.at("items").as_array();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[1].at("changes").at("title").at("to").as_string(), "L'Épicerie du Lac");
  EXPECT_EQ(items[3].at("user").as_string(), "admin@ripess.example");
  EXPECT_EQ(items[3].at("note").as_string(), "Très clair.");

  // The publisher's list, by stage.
  auto drafts = http_->Get(own + "?stage=draft", Bearer(editor));
  ASSERT_EQ(drafts.status, 200) << drafts.body;
  EXPECT_EQ(drafts.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(http_->Get(own + "?stage=lost", Bearer(editor)).Fields(), std::vector<std::string>{"?stage unknown_stage"});
  EXPECT_EQ(http_->Get(own + "?limit=0", Bearer(editor)).Fields(), std::vector<std::string>{"?limit out_of_range"});
}

TEST_F(ApiTest, TheNetworkAddsThemesOfItsOwn) {
  const auto platform = NewUser("root@solidum.example", true);
  const auto someone = NewUser("someone@coop.example");
  EXPECT_EQ(http_->SendJson("POST", "/api/v1/library/themes", R"({"code":"digital_commons","labels":{"en":"Digital commons"}})", Bearer(someone)).status, 403);
  EXPECT_EQ(http_->SendJson("POST", "/api/v1/library/themes", R"({"code":"digital_commons","labels":{"en":5}})", Bearer(platform)).Fields(),
            std::vector<std::string>{"/labels/en wrong_type"});
  auto added = http_->SendJson("POST", "/api/v1/library/themes", R"({"code":"digital_commons","labels":{"en":"Digital commons","fr":"Communs numériques"}})",
                               Bearer(platform));
  ASSERT_EQ(added.status, 201) << added.body;
  auto themes = http_->Get("/api/v1/library/themes");
  ASSERT_EQ(themes.status, 200);
  const auto themes_json = themes.Json();
  const auto& items = themes_json.at("items").as_array();
  ASSERT_EQ(items.size(), 6u);
  EXPECT_TRUE(items[0].at("standard").as_bool());
  EXPECT_EQ(items[5].at("labels").at("fr").as_string(), "Communs numériques");
}

}  // namespace
}  // namespace solidum::testing
