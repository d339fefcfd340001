// The member register through the real server: classes with college weights, members
// with history, who may read and change it, CSV out and back in (all or nothing), and a
// user's own memberships.
#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

class MembersTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    admin_ = NewUser("admin@coop.example");
    coop_ = CreateOrg(admin_, R"({"name":"Coopérative des Quatre Saisons","country":"FR"})");
    base_ = "/api/v1/organisations/" + std::to_string(coop_);
  }
  HttpResponse Post(const std::string& path, const std::string& json, const std::string& token = "") {
    return http_->SendJson("POST", base_ + path, json, Bearer(token.empty() ? admin_ : token));
  }
  HttpResponse Patch(const std::string& path, const std::string& json, const std::string& etag) {
    return http_->SendJson("PATCH", base_ + path, json, {{"Authorization", "Bearer " + admin_}, {"If-Match", etag}});
  }
  std::string admin_, base_;
  std::int64_t coop_ = 0;
};

TEST_F(MembersTest, ClassesCarryCollegeWeightsThatAddUpToAtMostAHundred) {
  for (const auto& [code, w] : std::vector<std::pair<std::string, int>>{{"worker", 30}, {"user", 30}, {"supporter", 15}, {"partner", 15}, {"local-authority", 5}}) {
    auto r = Post("/member-classes", R"({"code":")" + code + R"(","name":")" + code + R"(","college_weight_percent":)" + std::to_string(w) + "}");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto over = Post("/member-classes", R"({"code":"investor","name":"Investors","college_weight_percent":10})");
  EXPECT_EQ(over.status, 400);
  EXPECT_EQ(over.Fields(), std::vector<std::string>{"/college_weight_percent weights_over_100"});
  EXPECT_EQ(Post("/member-classes", R"({"code":"investor","name":"Investors","college_weight_percent":5})").status, 201);
  EXPECT_EQ(Post("/member-classes", R"({"code":"worker","name":"Again"})").Code(), "class_exists");
  EXPECT_EQ(Post("/member-classes", R"({"code":"Bad Code","name":"x"})").Fields(), std::vector<std::string>{"/code invalid_code"});
  auto list = http_->Get(base_ + "/member-classes", Bearer(admin_));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().at("items").as_array().size(), 6u);
}

TEST_F(MembersTest, MembersAreRegisteredChangedAndLeaveWithTheirHistory) {
  ASSERT_EQ(Post("/member-classes", R"({"code":"worker","name":"Worker members"})").status, 201);
  ASSERT_EQ(Post("/member-classes", R"({"code":"user","name":"User members"})").status, 201);
  const std::string ana_token = NewUser("ana@coop.example");
  auto ana = Post("/members", R"({"number":"001","name":"Ana Lópes","email":"Ana@Coop.Example","language":"pt","class":"worker","joined_on":"2019-03-01","user_email":"ana@coop.example"})");
  ASSERT_EQ(ana.status, 201) << ana.body;
  EXPECT_EQ(ana.Json().at("email").as_string(), "ana@coop.example");
  EXPECT_EQ(ana.Json().at("class").as_string(), "worker");
  EXPECT_TRUE(ana.Json().at("current").as_bool());
  const std::int64_t ana_id = ana.Json().at("id").as_int64();
  const std::string ana_path = "/members/" + std::to_string(ana_id);

  // A second open membership for the same person, or the same number, is refused.
  EXPECT_EQ(Post("/members", R"({"name":"Ana again","user_email":"ana@coop.example"})").Code(), "already_member");
  EXPECT_EQ(Post("/members", R"({"number":"001","name":"Bea"})").Code(), "number_taken");
  // Bad fields, all at once.
  auto bad = Post("/members", R"({"name":"","email":"nope","language":"de","class":"ghost","joined_on":"2024-02-30","status":"left","kind":"robot"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Fields().size(), 6u) << bad.body;  // the class is looked up once the shapes are right
  auto unknown = Post("/members", R"({"name":"Cy","class":"ghost","user_email":"nobody@x.example"})");
  EXPECT_EQ(unknown.Fields(), (std::vector<std::string>{"/class unknown_class", "/user_email unknown_user"}));
  EXPECT_EQ(Post("/members", R"({"name":"Cy","joined_on":"2024-01-01","left_on":"2023-01-01"})").Fields(),
            std::vector<std::string>{"/left_on dates_out_of_order"});

  // Change class; then she leaves.
  auto moved = Patch(ana_path, R"({"class":"user"})", ana.Header("etag"));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Patch(ana_path, R"({"class":"worker"})", ana.Header("etag")).status, 412);  // stale
  auto left = Patch(ana_path, R"({"left_on":"2025-06-30"})", moved.Header("etag"));
  ASSERT_EQ(left.status, 200) << left.body;
  EXPECT_FALSE(left.Json().at("current").as_bool());
  auto history = http_->Get(base_ + ana_path + "/history", Bearer(admin_));
  ASSERT_EQ(history.status, 200);
  const auto history_json = history.Json();
  const auto& events = history_json.at("items").as_array();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("kind").as_string(), "joined");
  EXPECT_EQ(events[1].at("changes").at("class"), (boost::json::array{"worker", "user"}));
  EXPECT_EQ(events[2].at("changes").at("left_on"), (boost::json::array{nullptr, "2025-06-30"}));

  // Having left, she may join again: a new membership.
  EXPECT_EQ(Post("/members", R"({"name":"Ana Lópes","user_email":"ana@coop.example","joined_on":"2026-01-05"})").status, 201);

  // Lists: current by default, left, all; text folded.
  EXPECT_EQ(http_->Get(base_ + "/members", Bearer(admin_)).Json().at("total").as_int64(), 1);
  EXPECT_EQ(http_->Get(base_ + "/members?filter=left", Bearer(admin_)).Json().at("total").as_int64(), 1);
  EXPECT_EQ(http_->Get(base_ + "/members?filter=all&q=LOPES", Bearer(admin_)).Json().at("total").as_int64(), 2);
  EXPECT_EQ(http_->Get(base_ + "/members?filter=all&class=user", Bearer(admin_)).Json().at("total").as_int64(), 1);
  EXPECT_EQ(http_->Get(base_ + "/members?filter=gone", Bearer(admin_)).Fields(), std::vector<std::string>{"?filter unknown_term"});

  // Ana sees her two memberships; she cannot read the register.
  auto mine = http_->Get("/api/v1/me/memberships", Bearer(ana_token));
  ASSERT_EQ(mine.status, 200);
  const auto mine_json = mine.Json();
  ASSERT_EQ(mine_json.at("items").as_array().size(), 2u);
  EXPECT_EQ(mine_json.at("items").as_array()[0].at("organisation_name").as_string(), "Coopérative des Quatre Saisons");
  EXPECT_EQ(http_->Get(base_ + "/members", Bearer(ana_token)).status, 403);
  EXPECT_EQ(http_->Get(base_ + "/members").status, 401);
  EXPECT_EQ(Post("/member-classes", R"({"code":"x","name":"x"})", ana_token).status, 403);
}

TEST_F(MembersTest, RegisterGoesOutAsCsvAndComesBackAllOrNothing) {
  ASSERT_EQ(Post("/member-classes", R"({"code":"worker","name":"Worker members"})").status, 201);
  const std::string csv =
      "Numéro;Nom;Collège;Date d'adhésion;Courriel;Langue\n"
      "101;Élodie Martin;worker;2020-01-15;elodie@example.org;fr\n"
      "102;\"Dupont; Fils & Cie\";;2021-06-01;;fr\n"
      "103;Zoé;worker;2022-09-09;;\n"
      "110;=1+2;;2022-09-09;;\n";
  auto imported = http_->Send("POST", base_ + "/members/imports", csv, Bearer(admin_));
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.Json().at("created").as_int64(), 4);

  auto exported = http_->Get(base_ + "/members/export", Bearer(admin_));
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(exported.body.find("102,Dupont; Fils & Cie,person,,active,2021-06-01,,,,fr,"), std::string::npos) << exported.body;
  // A spreadsheet would run a cell that starts with "=": it goes out as text.
  EXPECT_NE(exported.body.find("\r\n110,'=1+2,person,"), std::string::npos) << exported.body;

  // The export read back changes nothing.
  auto again = http_->Send("POST", base_ + "/members/imports", exported.body, Bearer(admin_));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json().at("unchanged").as_int64(), 4);
  EXPECT_EQ(again.Json().at("created").as_int64(), 0);

  // One bad cell among good rows: nothing written, every problem named.
  const std::string bad =
      "number,name,class,joined_on,email\n"
      "104,Nouveau,worker,2023-01-01,new@example.org\n"
      "105,Autre,ghost,2023-01-01,\n"
      "106,,worker,2023-13-01,not-an-email\n"
      "104,Double,worker,2023-01-01,\n";
  auto refused = http_->Send("POST", base_ + "/members/imports", bad, Bearer(admin_));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.Code(), "import_refused");
  EXPECT_EQ(refused.Fields(), (std::vector<std::string>{"line 3/class unknown_class", "line 4/email invalid_email",
                                                        "line 4/joined_on invalid_date", "line 4/name required",
                                                        "line 5/number duplicate_number"}))
      << refused.body;
  EXPECT_EQ(http_->Get(base_ + "/members?filter=all", Bearer(admin_)).Json().at("total").as_int64(), 4);
  EXPECT_EQ(CountRows("members"), 4);

  auto columns = http_->Send("POST", base_ + "/members/imports", "name,shoe size\nAna,38\n", Bearer(admin_));
  EXPECT_EQ(columns.Fields(), std::vector<std::string>{"line 1/shoe size unknown_column"});
  auto ragged = http_->Send("POST", base_ + "/members/imports", "name,email\nAna\n", Bearer(admin_));
  EXPECT_EQ(ragged.Fields(), std::vector<std::string>{"line 2 wrong_field_count"});
}

}  // namespace
}  // namespace solidum::testing
