// GET /api/v1/loan-schedule through the real server: the textbook annuity for anyone,
// grace capitalised, and bad parameters named, several at once.
#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

TEST_F(ApiTest, ALoanScheduleIsComputedForAnyone) {
  auto r = http_->Get("/api/v1/loan-schedule?principal=1000000&annual_rate_ppm=120000&instalments=12&first_due=2027-01-31");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = r.Json();
  EXPECT_EQ(j.at("method").as_string(), "equal_instalments");
  EXPECT_EQ(j.at("total_interest").as_int64(), 66'186);
  const auto& rows = j.at("instalments").as_array();
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0].at("total").as_int64(), 88'849);
  EXPECT_EQ(rows[1].at("due").as_string(), "2027-02-28");
  EXPECT_EQ(rows[11].at("total").as_int64(), 88'847);
  EXPECT_EQ(rows[11].at("balance").as_int64(), 0);

  auto cap = http_->Get("/api/v1/loan-schedule?principal=1000000&annual_rate_ppm=120000&instalments=4&grace_principal=2&grace_interest=2"
                        "&grace_interest_rule=capitalised&period=monthly&first_due=2027-01-31");
  ASSERT_EQ(cap.status, 200) << cap.body;
  EXPECT_EQ(cap.Json().at("total_capitalised").as_int64(), 20'100);
  EXPECT_EQ(cap.Json().at("total_principal").as_int64(), 1'020'100);
}

TEST_F(ApiTest, ALoanScheduleNamesEveryBadParameter) {
  auto r = http_->Get("/api/v1/loan-schedule?principal=-5&method=balloon&first_due=2027-02-30&colour=red");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Fields(), (std::vector<std::string>{"?principal invalid_value", "?method unknown_term", "?first_due invalid_date",
                                                  "?colour unknown_parameter"}));
  EXPECT_EQ(http_->Get("/api/v1/loan-schedule").Fields(), (std::vector<std::string>{"?principal required", "?first_due required"}));
  // The engine's own checks, named the same way.
  auto grace = http_->Get("/api/v1/loan-schedule?principal=100&instalments=3&grace_principal=3&first_due=2027-01-31");
  EXPECT_EQ(grace.Fields(), std::vector<std::string>{"?grace_principal out_of_range"});
  auto free = http_->Get("/api/v1/loan-schedule?principal=100&annual_rate_ppm=5&method=interest_free&first_due=2027-01-31");
  EXPECT_EQ(free.Fields(), std::vector<std::string>{"?annual_rate_ppm not_for_interest_free"});
}

}  // namespace
}  // namespace solidum::testing

namespace solidum::testing {
namespace {

// A fund through the real server: made by the organisation's admin, backers contribute
// once per id, the figures follow; strangers may neither read nor write; bad input named.
TEST_F(ApiTest, AFundTakesItsBackersCapitalOncePerId) {
  const auto admin = NewUser("treasurer@fund.example");
  const std::int64_t fund_org = CreateOrg(admin, R"({"name":"Fonds Solidaire Île-de-France","country":"FR"})");
  const std::int64_t backer = CreateOrg(admin, R"({"name":"Fondation du Crédit Coopératif","country":"FR"})");
  const std::string base = "/api/v1/organisations/" + std::to_string(fund_org) + "/funds";
  auto created = http_->SendJson("POST", base, R"({"name":"Fonds d'amorçage","code":"FONDS-IDF","unit":"EUR","decimals":2})", Bearer(admin));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t fid = created.Json().at("id").as_int64();
  EXPECT_EQ(created.Json().at("figures").at("pool").as_int64(), 0);
  const std::string contributions = base + "/" + std::to_string(fid) + "/contributions";
  const std::string body = R"({"id":"2027-dotation","backer":)" + std::to_string(backer) + R"(,"amount":5000000,"memo":"Dotation 2027"})";
  auto first = http_->SendJson("POST", contributions, body, Bearer(admin));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.Json().at("replayed").as_bool());
  auto again = http_->SendJson("POST", contributions, body, Bearer(admin));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.Json().at("replayed").as_bool());
  auto other = http_->SendJson("POST", contributions, R"({"id":"2027-dotation","backer":)" + std::to_string(backer) + R"(,"amount":1})", Bearer(admin));
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.Json().at("code").as_string(), "id_reused_with_different_content");

  auto fund = http_->Get(base + "/" + std::to_string(fid), Bearer(admin));
  ASSERT_EQ(fund.status, 200) << fund.body;
  const auto got = fund.Json();  // kept: what .at() answers points into it
  EXPECT_EQ(got.at("figures").at("pool").as_int64(), 5'000'000);
  EXPECT_EQ(got.at("figures").at("capital").as_int64(), 5'000'000);
  const auto& backers = got.at("backers").as_array();
  ASSERT_EQ(backers.size(), 1u);
  EXPECT_EQ(backers[0].at("name").as_string(), "Fondation du Crédit Coopératif");
  EXPECT_EQ(http_->Get(base, Bearer(admin)).Json().at("items").as_array().size(), 1u);

  // Strangers: no reading, no writing; nothing moved.
  const auto stranger = NewUser("someone@else.example");
  EXPECT_EQ(http_->Get(base + "/" + std::to_string(fid), Bearer(stranger)).status, 403);
  EXPECT_EQ(http_->SendJson("POST", contributions, R"({"id":"x","backer":1,"amount":1})", Bearer(stranger)).status, 403);
  EXPECT_EQ(http_->Get(base + "/" + std::to_string(fid)).status, 401);

  // Bad input, named.
  EXPECT_EQ(http_->SendJson("POST", contributions, R"({"id":"x","backer":999999,"amount":1})", Bearer(admin)).Fields(),
            std::vector<std::string>{"/backer unknown_organisation"});
  EXPECT_EQ(http_->SendJson("POST", contributions, R"({"id":"x","backer":1,"amount":0})", Bearer(admin)).Fields(),
            std::vector<std::string>{"/amount out_of_range"});
  EXPECT_EQ(http_->SendJson("POST", base, R"({"name":"F","code":"FONDS-IDF","unit":"EUR","decimals":2})", Bearer(admin)).status, 409);
  EXPECT_EQ(http_->SendJson("POST", base, R"({"name":"F","code":"bad code","unit":"EUR","decimals":2})", Bearer(admin)).Fields(),
            std::vector<std::string>{"/code invalid"});
  EXPECT_EQ(http_->Get(base + "/" + std::to_string(fid), Bearer(admin)).Json().at("figures").at("pool").as_int64(), 5'000'000);
}

}  // namespace
}  // namespace solidum::testing

namespace solidum::testing {
namespace {

// A loan through the real server, from both sides: the fund's admins set a product; an
// organisation applies for itself; the committee (an assembly of the fund's organisation)
// votes; the contract, a disbursement, repayments once per id, the portfolio; the
// applicant follows its application without the committee's notes; strangers see nothing.
TEST_F(ApiTest, ALoanGoesFromApplicationToRepaymentThroughTheCommitteesVote) {
  const auto admin = NewUser("treasurer@fonds.example");
  const std::int64_t fund_org = CreateOrg(admin, R"({"name":"Fonds Solidaire","country":"FR"})");
  const std::int64_t backer = CreateOrg(admin, R"({"name":"Fondation","country":"FR"})");
  const std::string org_path = "/api/v1/organisations/" + std::to_string(fund_org);
  auto admin_post = [&](const std::string& path, const std::string& json) { return http_->SendJson("POST", path, json, Bearer(admin)); };
  auto with_version = [&](const std::string& path, const std::string& read, const std::string& json) {
    auto now = http_->Get(read, Bearer(admin));
    return http_->SendJson("POST", path, json, {{"Authorization", "Bearer " + admin}, {"If-Match", now.Header("etag")}});
  };
  auto created = admin_post(org_path + "/funds", R"({"name":"Fonds d'amorçage","code":"FONDS-A","unit":"EUR","decimals":2})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string fund = org_path + "/funds/" + std::to_string(created.Json().at("id").as_int64());
  ASSERT_EQ(admin_post(fund + "/contributions", R"({"id":"d","backer":)" + std::to_string(backer) + R"(,"amount":10000000})").status, 201);

  EXPECT_EQ(admin_post(fund + "/products", R"({"name":"P","annual_rate_ppm":1000001,"principal_min":1,"principal_max":10,"instalments_max":12})").Fields(),
            std::vector<std::string>{"/annual_rate_ppm out_of_range"});
  EXPECT_EQ(admin_post(fund + "/products", R"({"name":"P","method":"balloon","principal_max":10,"instalments_max":12,"annual_rate_ppm":0,"principal_min":1})").Fields(),
            std::vector<std::string>{"/method unknown_term"});
  auto product = admin_post(fund + "/products", R"({"name":"Prêt d'amorçage","method":"equal_instalments","period":"monthly","annual_rate_ppm":120000,)"
                                                R"("principal_min":100000,"principal_max":5000000,"instalments_max":60,"grace_max":12})");
  ASSERT_EQ(product.status, 201) << product.body;
  const std::int64_t product_id = product.Json().at("id").as_int64();
  // Anyone sees which funds lend, and on what terms.
  auto public_funds = http_->Get("/api/v1/funds");
  ASSERT_EQ(public_funds.status, 200) << public_funds.body;
  const auto listed = public_funds.Json();
  ASSERT_EQ(listed.at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.at("items").at(0).at("products").at(0).at("annual_rate_ppm").as_int64(), 120'000);
  EXPECT_EQ(listed.at("items").at(0).as_object().count("figures"), 0u);  // the fund's books stay private

  // The bakery applies for itself.
  const auto baker = NewUser("gerante@boulangerie.example");
  const std::int64_t bakery = CreateOrg(baker, R"({"name":"Boulangerie coopérative","country":"FR"})");
  const std::string apply = "/api/v1/organisations/" + std::to_string(bakery) + "/loan-applications";
  const std::string fund_id = std::to_string(created.Json().at("id").as_int64());
  auto bad = http_->SendJson("POST", apply, R"({"fund_id":)" + fund_id + R"(,"product_id":)" + std::to_string(product_id) +
                                                R"(,"amount":-5,"instalments":12,"grace_principal":12,"purpose":"Un four","jobs_created":-1})",
                             Bearer(baker));
  EXPECT_EQ(bad.Fields(), (std::vector<std::string>{"/jobs_created out_of_range", "/amount out_of_range", "/grace_principal out_of_range"}));
  EXPECT_EQ(http_->SendJson("POST", apply, R"({"fund_id":999,"product_id":1,"amount":1,"instalments":1,"purpose":"x"})", Bearer(baker)).Fields(),
            std::vector<std::string>{"/fund_id unknown_fund"});
  EXPECT_EQ(http_->SendJson("POST", apply, R"({"fund_id":1,"product_id":1,"amount":1,"instalments":1,"purpose":"x"})", Bearer(NewUser("x@y.example"))).status, 403);
  auto applied = http_->SendJson("POST", apply, R"({"fund_id":)" + fund_id + R"(,"product_id":)" + std::to_string(product_id) +
                                                    R"(,"amount":1000000,"instalments":12,"purpose":"Un four à pain","jobs_created":2,"jobs_kept":3})",
                                 Bearer(baker));
  ASSERT_EQ(applied.status, 201) << applied.body;
  const std::string app = fund + "/applications/" + std::to_string(applied.Json().at("id").as_int64());

  // The fund's pipeline, a note, in review.
  auto pipeline = http_->Get(fund + "/applications?stage=submitted", Bearer(admin));
  ASSERT_EQ(pipeline.status, 200) << pipeline.body;
  EXPECT_EQ(pipeline.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(http_->Get(fund + "/applications?stage=lost", Bearer(admin)).Fields(), std::vector<std::string>{"?stage unknown_stage"});
  ASSERT_EQ(admin_post(app + "/notes", R"({"body":"Trésorerie tendue, plan solide."})").status, 201);
  EXPECT_EQ(http_->SendJson("POST", app + "/stage", R"({"stage":"in_review"})", Bearer(admin)).status, 428);  // If-Match
  ASSERT_EQ(with_version(app + "/stage", app, R"({"stage":"in_review"})").status, 200);

  // The committee meets: an assembly of the fund's organisation votes on the loan.
  ASSERT_EQ(admin_post(org_path + "/member-classes", R"({"code":"board","name":"Comité"})").status, 201);
  std::vector<std::int64_t> committee;
  for (const char* name : {"ines", "joao"}) {
    auto m = admin_post(org_path + "/members", std::string(R"({"name":")") + name + R"(","class":"board","joined_on":"2020-01-01"})");
    ASSERT_EQ(m.status, 201) << m.body;
    committee.push_back(m.Json().at("id").as_int64());
  }
  auto meeting = admin_post(org_path + "/assemblies", R"({"title":"Comité d'engagement","starts_at":"2027-01-10T18:00","timezone":"Europe/Paris",)"
                                                      R"("place":"Siège","notice_days":0,"quorum_percent":50,"proxy_limit":0,"items":[{"title":"Prêt à la boulangerie"}]})");
  ASSERT_EQ(meeting.status, 201) << meeting.body;
  const std::string assembly = org_path + "/assemblies/" + std::to_string(meeting.Json().at("id").as_int64());
  const std::int64_t item = meeting.Json().at("items").at(0).at("id").as_int64();
  ASSERT_EQ(with_version(assembly + "/convene", assembly, "").status, 200);
  for (auto m : committee) ASSERT_EQ(admin_post(assembly + "/attendance", R"({"member_id":)" + std::to_string(m) + R"(,"channel":"in_person"})").status, 200);
  ASSERT_EQ(with_version(assembly + "/open", assembly, "").status, 200);
  const std::string decision = R"({"assembly_id":)" + std::to_string(meeting.Json().at("id").as_int64()) + R"(,"item_id":)" + std::to_string(item) + "}";
  EXPECT_EQ(with_version(app + "/decision", app, decision).Code(), "not_voted");  // not voted yet
  ASSERT_EQ(admin_post(assembly + "/items/" + std::to_string(item) + "/decision", R"({"yes":2,"no":0,"abstain":0})").status, 200);
  auto votes = http_->Get(fund + "/committee-votes", Bearer(admin));
  ASSERT_EQ(votes.status, 200) << votes.body;
  const auto voted = votes.Json();
  ASSERT_EQ(voted.at("items").as_array().size(), 1u);
  EXPECT_EQ(voted.at("items").at(0).at("item_id").as_int64(), item);
  EXPECT_TRUE(voted.at("items").at(0).at("adopted").as_bool());
  auto approved = with_version(app + "/decision", app, decision);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json().at("stage").as_string(), "approved");
  EXPECT_EQ(approved.Json().at("decision").at("yes").as_int64(), 2);

  // The contract, a disbursement, repayments.
  EXPECT_EQ(admin_post(app + "/contract", R"({"start_on":"2025-01-15","tranches":[{"amount":1000000,"planned_on":"2025-13-01"}]})").Fields(),
            std::vector<std::string>{"/tranches/0/planned_on invalid_date"});
  auto contract = admin_post(app + "/contract", R"({"start_on":"2025-01-15"})");
  ASSERT_EQ(contract.status, 201) << contract.body;
  const auto loan_json = contract.Json();
  EXPECT_EQ(loan_json.at("schedule").as_array().size(), 12u);
  EXPECT_EQ(loan_json.at("schedule").at(0).at("due").as_string(), "2025-02-15");
  const std::string loan = fund + "/loans/" + std::to_string(loan_json.at("id").as_int64());
  ASSERT_EQ(admin_post(loan + "/disbursements", R"({"tranche":1,"on":"2025-01-15"})").status, 200);
  auto paid = admin_post(loan + "/repayments", R"({"id":"2027-02","amount":88849,"paid_on":"2025-02-15"})");
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(paid.Json().at("interest").as_int64(), 10'000);
  EXPECT_EQ(admin_post(loan + "/repayments", R"({"id":"2027-02","amount":88849,"paid_on":"2025-02-15"})").status, 200);
  EXPECT_EQ(admin_post(loan + "/repayments", R"({"id":"2027-02","amount":1,"paid_on":"2025-02-15"})").Code(), "id_reused_with_different_content");
  EXPECT_EQ(admin_post(loan + "/repayments", R"({"id":"z","amount":5,"paid_on":"2099-01-01"})").Fields(),
            (std::vector<std::string>{"/paid_on in_future"}));
  EXPECT_EQ(admin_post(loan + "/repayments", R"({"id":"z","amount":0,"paid_on":"2025-02-30"})").Fields(),
            (std::vector<std::string>{"/paid_on invalid_date"}));
  auto position = http_->Get(loan + "?as_of=2025-04-20", Bearer(admin));
  ASSERT_EQ(position.status, 200) << position.body;
  EXPECT_EQ(position.Json().at("position").at("arrears").as_int64(), 2 * 88'849);
  EXPECT_EQ(position.Json().at("schedule").at(0).at("paid_on").as_string(), "2025-02-15");
  auto portfolio = http_->Get(fund + "/portfolio?as_of=2025-04-20", Bearer(admin));
  ASSERT_EQ(portfolio.status, 200) << portfolio.body;
  EXPECT_EQ(portfolio.Json().at("at_risk_30").as_int64(), 921'151);
  EXPECT_EQ(portfolio.Json().at("par30_bp").as_int64(), 10'000);
  EXPECT_EQ(portfolio.Json().at("jobs_created").as_int64(), 2);
  EXPECT_EQ(portfolio.Json().at("by_territory").at(0).at("key").as_string(), "FR");
  EXPECT_EQ(http_->SendJson("POST", loan + "/write-off", R"({"on":"2025-05-01"})", {{"Authorization", "Bearer " + admin}, {"If-Match", "\"v1\""}}).status, 412);
  // Two months behind: rescheduled over 18 months, the arrears' interest capitalised.
  EXPECT_EQ(with_version(loan + "/reschedule", loan, R"({"on":"2025-04-20","instalments":18,"grace_principal":18})").Fields(),
            std::vector<std::string>{"/grace_principal out_of_range"});
  auto rescheduled = with_version(loan + "/reschedule", loan, R"({"on":"2025-04-20","instalments":18})");
  ASSERT_EQ(rescheduled.status, 200) << rescheduled.body;
  const auto after = rescheduled.Json();
  EXPECT_EQ(after.at("position").at("arrears").as_int64(), 0);
  EXPECT_EQ(after.at("reschedulings").at(0).at("capitalised_interest").as_int64(), 9'212 + 8'415);
  EXPECT_EQ(after.at("schedule").as_array().size(), 1u + 18u);

  // The applicant sees where its application stands, not the committee's notes, nor the fund's books.
  auto mine = http_->Get(apply, Bearer(baker));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().at("items").at(0).at("stage").as_string(), "contracted");
  EXPECT_EQ(mine.Json().at("items").at(0).as_object().count("notes"), 0u);
  EXPECT_EQ(http_->Get(loan, Bearer(baker)).status, 403);
  EXPECT_EQ(http_->Get(fund + "/portfolio", Bearer(baker)).status, 403);
}

// The business plan travels with the application: the applicant attaches it, the fund's
// staff read it, a file that is not what it claims is refused, and after the decision the
// files are kept as the committee saw them.
TEST_F(ApiTest, ABusinessPlanIsAttachedToTheApplicationAndReadByTheFund) {
  const auto admin = NewUser("treasurer@fonds.example");
  const std::int64_t fund_org = CreateOrg(admin, R"({"name":"Fonds Solidaire","country":"FR"})");
  const std::string org_path = "/api/v1/organisations/" + std::to_string(fund_org);
  auto created = http_->SendJson("POST", org_path + "/funds", R"({"name":"Fonds","code":"FONDS-B","unit":"EUR","decimals":2})", Bearer(admin));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string fund_id = std::to_string(created.Json().at("id").as_int64());
  const std::string fund = org_path + "/funds/" + fund_id;
  auto product = http_->SendJson("POST", fund + "/products", R"({"name":"P","method":"interest_free","period":"monthly","annual_rate_ppm":0,)"
                                                             R"("principal_min":1,"principal_max":5000000,"instalments_max":60})", Bearer(admin));
  ASSERT_EQ(product.status, 201) << product.body;
  const auto baker = NewUser("gerante@boulangerie.example");
  const std::int64_t bakery = CreateOrg(baker, R"({"name":"Boulangerie coopérative","country":"FR"})");
  const std::string apply = "/api/v1/organisations/" + std::to_string(bakery) + "/loan-applications";
  auto applied = http_->SendJson("POST", apply, R"({"fund_id":)" + fund_id + R"(,"product_id":)" + std::to_string(product.Json().at("id").as_int64()) +
                                                    R"(,"amount":100000,"instalments":12,"purpose":"Un four"})", Bearer(baker));
  ASSERT_EQ(applied.status, 201) << applied.body;
  const std::string aid = std::to_string(applied.Json().at("id").as_int64());
  const std::string own = apply + "/" + aid + "/attachments";
  const std::string app = fund + "/applications/" + aid;

  static constexpr char kPdf[] = "%PDF-1.7\n1 0 obj << >> endobj\n\0\xff binary\n%%EOF\n";
  const std::string pdf(kPdf, sizeof kPdf - 1);
  auto upload = [&](const std::string& path, const std::string& token, const std::string& type, const std::string& bytes) {
    return http_->Send("POST", path, bytes, {{"Authorization", "Bearer " + token}, {"Content-Type", type}});
  };
  auto up = upload(own + "?file_name=" + "Plan%20d%27affaires%20%C3%A9t%C3%A9.pdf", baker, "application/pdf", pdf);
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(up.Json().at("file_name").as_string(), "Plan d'affaires été.pdf");
  EXPECT_EQ(up.Json().at("size_bytes").as_int64(), static_cast<std::int64_t>(pdf.size()));
  const std::string att = std::to_string(up.Json().at("id").as_int64());

  // Refused, nothing kept: a web page sent as a PDF, a type not on the list, no bytes, a stranger.
  EXPECT_EQ(upload(own + "?file_name=plan.pdf", baker, "application/pdf", "<html><script>alert(1)</script></html>").Fields(),
            std::vector<std::string>{"/file type_mismatch"});
  EXPECT_EQ(upload(own + "?file_name=plan.html", baker, "text/html", "<html></html>").Fields(), std::vector<std::string>{"/file unsupported_type"});
  EXPECT_EQ(upload(own, baker, "application/pdf", "").Fields(), std::vector<std::string>{"/file empty"});
  EXPECT_EQ(upload(own + "?name=x", baker, "application/pdf", pdf).Fields(), std::vector<std::string>{"?name unknown_parameter"});
  EXPECT_EQ(upload(own, NewUser("x@y.example"), "application/pdf", pdf).status, 403);
  EXPECT_EQ(upload(apply + "/999/attachments", baker, "application/pdf", pdf).status, 404);

  // The applicant and the fund see the one file; the fund downloads it byte for byte, as a download.
  auto mine = http_->Get(apply, Bearer(baker));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().at("items").at(0).at("attachments").as_array().size(), 1u);
  EXPECT_TRUE(mine.Json().at("items").at(0).at("accepts_files").as_bool());
  auto seen = http_->Get(app, Bearer(admin));
  ASSERT_EQ(seen.status, 200) << seen.body;
  ASSERT_EQ(seen.Json().at("attachments").as_array().size(), 1u);
  EXPECT_EQ(seen.Json().at("attachments").at(0).at("media_type").as_string(), "application/pdf");
  auto file = http_->Get(app + "/attachments/" + att, Bearer(admin));
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.body, pdf);
  EXPECT_EQ(file.Header("content-type"), "application/pdf");
  EXPECT_EQ(file.Header("content-disposition"), "attachment; filename=\"Plan d'affaires _t_.pdf\"; filename*=UTF-8''Plan%20d%27affaires%20%C3%A9t%C3%A9.pdf");
  EXPECT_NE(file.Header("content-security-policy").find("sandbox"), std::string::npos);
  EXPECT_EQ(http_->Get(app + "/attachments/" + att, Bearer(baker)).status, 403);  // the fund's side is the fund's
  EXPECT_EQ(http_->Get(own + "/" + att, Bearer(baker)).body, pdf);
  EXPECT_EQ(http_->Get(own + "/" + att, Bearer(NewUser("z@y.example"))).status, 403);

  // The fund's staff add a scanned letter and remove it again; a removed file is gone from the lists.
  auto letter = upload(app + "/attachments?file_name=lettre.png", admin, "image/png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  ASSERT_EQ(letter.status, 201) << letter.body;
  const std::string letter_path = app + "/attachments/" + std::to_string(letter.Json().at("id").as_int64());
  EXPECT_EQ(http_->Send("DELETE", letter_path, "", Bearer(baker)).status, 403);
  EXPECT_EQ(http_->Send("DELETE", letter_path, "", Bearer(admin)).status, 204);
  EXPECT_EQ(http_->Get(letter_path, Bearer(admin)).status, 404);
  EXPECT_EQ(http_->Get(app, Bearer(admin)).Json().at("attachments").as_array().size(), 1u);

  // Withdrawn: the files stay as they were.
  auto now = http_->Get(app, Bearer(admin));
  auto withdrawn = http_->SendJson("POST", app + "/stage", R"({"stage":"withdrawn"})", {{"Authorization", "Bearer " + admin}, {"If-Match", now.Header("etag")}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(upload(own + "?file_name=v2.pdf", baker, "application/pdf", pdf).Code(), "wrong_stage");
  EXPECT_EQ(http_->Send("DELETE", own + "/" + att, "", Bearer(baker)).Code(), "wrong_stage");
  EXPECT_FALSE(http_->Get(apply, Bearer(baker)).Json().at("items").at(0).at("accepts_files").as_bool());
  EXPECT_EQ(http_->Get(app + "/attachments/" + att, Bearer(admin)).body, pdf);
}

}  // namespace
}  // namespace solidum::testing

namespace solidum::testing {
namespace {

// Member shares through the real server: the register's keeper opens the book and a class,
// records a subscription paid in two instalments (once per id), a certificate follows; a
// member reads their own shares; outsiders read nothing; bad input named.
TEST_F(ApiTest, MemberSharesAreSubscribedPaidAndRegistered) {
  const auto admin = NewUser("secretaire@scop.example");
  const std::int64_t org = CreateOrg(admin, R"({"name":"Scop des Ateliers","country":"FR"})");
  const std::string base = "/api/v1/organisations/" + std::to_string(org);
  auto post = [&](const std::string& path, const std::string& json) { return http_->SendJson("POST", base + path, json, Bearer(admin)); };
  ASSERT_EQ(post("/member-classes", R"({"code":"worker","name":"Salariés"})").status, 201);
  const auto ana_user = NewUser("ana@scop.example");
  auto ana = post("/members", R"({"name":"Ana","class":"worker","joined_on":"2020-01-01","user_email":"ana@scop.example"})");
  ASSERT_EQ(ana.status, 201) << ana.body;
  const std::int64_t ana_id = ana.Json().at("id").as_int64();
  EXPECT_EQ(http_->Get(base + "/shares", Bearer(admin)).status, 404);
  ASSERT_EQ(post("/shares", R"({"code":"PARTS-SCOP","unit":"EUR","decimals":2})").status, 201);
  EXPECT_EQ(post("/shares/classes", R"({"code":"A","name":"x","nominal":-1})").Fields(), (std::vector<std::string>{"/code invalid_code", "/nominal out_of_range"}));
  auto cls = post("/shares/classes", R"({"code":"a","name":"Parts A","nominal":10000,"member_class":"worker","max_shares":100})");
  ASSERT_EQ(cls.status, 201) << cls.body;
  const std::string class_id = std::to_string(cls.Json().at("id").as_int64());
  EXPECT_EQ(post("/shares/subscriptions", R"({"class_id":)" + class_id + R"(,"member_id":)" + std::to_string(ana_id) + R"(,"shares":101,"subscribed_on":"2025-01-10"})").Fields(),
            std::vector<std::string>{"/shares above_maximum"});
  auto sub = post("/shares/subscriptions", R"({"class_id":)" + class_id + R"(,"member_id":)" + std::to_string(ana_id) + R"(,"shares":30,"subscribed_on":"2025-01-10"})");
  ASSERT_EQ(sub.status, 201) << sub.body;
  const std::string pay = "/shares/subscriptions/" + std::to_string(sub.Json().at("id").as_int64()) + "/payments";
  ASSERT_EQ(post(pay, R"({"id":"jan","amount":100000,"paid_on":"2025-01-10"})").status, 201);
  EXPECT_EQ(post(pay, R"({"id":"jan","amount":100000,"paid_on":"2025-01-10"})").status, 200);
  EXPECT_EQ(post(pay, R"({"id":"feb","amount":200001,"paid_on":"2025-02-10"})").Fields(), std::vector<std::string>{"/amount more_than_owed"});
  auto paid = post(pay, R"({"id":"feb","amount":200000,"paid_on":"2025-02-10"})");
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(paid.Json().at("certificate").as_int64(), 1);

  auto reg = http_->Get(base + "/shares", Bearer(admin));
  ASSERT_EQ(reg.status, 200) << reg.body;
  const auto r = reg.Json();
  EXPECT_EQ(r.at("shares").as_int64(), 30);
  EXPECT_EQ(r.at("capital").as_int64(), 300'000);
  EXPECT_EQ(r.at("cash").as_int64(), 300'000);
  EXPECT_EQ(r.at("holdings").at(0).at("member").as_string(), "Ana");
  auto mine = http_->Get("/api/v1/me/shares", Bearer(ana_user));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().at("items").at(0).at("shares").as_int64(), 30);
  EXPECT_EQ(http_->Get(base + "/shares", Bearer(ana_user)).status, 403);  // the register is for its keepers
  EXPECT_EQ(http_->Get(base + "/shares", Bearer(NewUser("x@y.example"))).status, 403);
  EXPECT_EQ(post("/shares/movements", R"({"id":"r","class_id":)" + class_id + R"(,"from_member":)" + std::to_string(ana_id) + R"(,"shares":31,"on":"2025-03-01"})").Fields(),
            std::vector<std::string>{"/shares more_than_held"});

  // The year's surplus: a draft, the assembly's vote, posted.
  const std::string ana_s = std::to_string(ana_id);
  EXPECT_EQ(post("/surplus-allocations", R"({"year":"2026","surplus":100000,"rules":{"reserve_bp":12000},"members":[{"member_id":)" + ana_s + R"(,"patronage":-1}]})").Fields(),
            (std::vector<std::string>{"/rules/reserve_bp out_of_range"}));
  EXPECT_EQ(post("/surplus-allocations", R"({"year":"2026","surplus":100000,"rules":{"reserve_bp":2000},"members":[{"member_id":999999,"patronage":5}]})").Fields(),
            (std::vector<std::string>{"/members/0/member_id not_a_member"}));
  auto draft = post("/surplus-allocations", R"({"year":"2026","surplus":100000,"rules":{"reserve_bp":2000,"share_interest_bp":200,"share_interest_cap_bp":300},)"
                                            R"("members":[{"member_id":)" + ana_s + R"(,"patronage":1600}]})");
  ASSERT_EQ(draft.status, 201) << draft.body;
  const auto d = draft.Json();
  EXPECT_EQ(d.at("reserve").as_int64(), 20'000);
  EXPECT_EQ(d.at("lines").at(0).at("capital").as_int64(), 300'000);  // from the share register
  EXPECT_EQ(d.at("lines").at(0).at("interest").as_int64(), 6'000);
  EXPECT_EQ(d.at("lines").at(0).at("refund").as_int64(), 74'000);
  const std::string alloc = base + "/surplus-allocations/" + std::to_string(d.at("id").as_int64());
  auto with_version = [&](const std::string& path, const std::string& read, const std::string& json) {
    auto now = http_->Get(read, Bearer(admin));
    return http_->SendJson("POST", path, json, {{"Authorization", "Bearer " + admin}, {"If-Match", now.Header("etag")}});
  };
  EXPECT_EQ(with_version(alloc + "/post", alloc, "").Code(), "wrong_status");  // not approved yet
  auto meeting = post("/assemblies", R"({"title":"AG 2027","starts_at":"2027-05-10T18:00","timezone":"Europe/Paris","place":"Atelier","notice_days":0,)"
                                     R"("quorum_percent":50,"proxy_limit":0,"items":[{"title":"Affectation du résultat 2026"}]})");
  ASSERT_EQ(meeting.status, 201) << meeting.body;
  const std::string assembly = base + "/assemblies/" + std::to_string(meeting.Json().at("id").as_int64());
  const std::string item = std::to_string(meeting.Json().at("items").at(0).at("id").as_int64());
  ASSERT_EQ(with_version(assembly + "/convene", assembly, "").status, 200);
  ASSERT_EQ(post(assembly.substr(base.size()) + "/attendance", R"({"member_id":)" + ana_s + R"(,"channel":"in_person"})").status, 200);
  ASSERT_EQ(with_version(assembly + "/open", assembly, "").status, 200);
  const std::string vote = R"({"assembly_id":)" + std::to_string(meeting.Json().at("id").as_int64()) + R"(,"item_id":)" + item + "}";
  EXPECT_EQ(with_version(alloc + "/decision", alloc, vote).Code(), "not_voted");
  ASSERT_EQ(post(assembly.substr(base.size()) + "/items/" + item + "/decision", R"({"yes":1,"no":0,"abstain":0})").status, 200);
  auto approved = with_version(alloc + "/decision", alloc, vote);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json().at("status").as_string(), "approved");
  auto posted = with_version(alloc + "/post", alloc, "");
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.Json().at("status").as_string(), "posted");
  EXPECT_EQ(http_->Get(alloc, Bearer(ana_user)).status, 403);
  // Ana sees her refund and interest beside her shares; the draft was not hers to see.
  auto own = http_->Get("/api/v1/me/shares", Bearer(ana_user));
  ASSERT_EQ(own.status, 200) << own.body;
  const auto o = own.Json();
  ASSERT_EQ(o.at("items").at(0).at("refunds").as_array().size(), 1u);
  EXPECT_EQ(o.at("items").at(0).at("refunds").at(0).at("refund").as_int64(), 74'000);
  EXPECT_EQ(o.at("items").at(0).at("refunds").at(0).at("interest").as_int64(), 6'000);
  EXPECT_EQ(o.at("items").at(0).at("refunds").at(0).at("year").as_string(), "2026");
}

}  // namespace
}  // namespace solidum::testing

namespace solidum::testing {
namespace {

// A solidarity group borrows as one, shares the loan among its members, and repays it at
// its meetings on a collection sheet, member by member.
TEST_F(ApiTest, AGroupLoanIsCollectedAtTheGroupsMeetings) {
  const auto admin = NewUser("tresorier@microfinance.example");
  const std::int64_t fund_org = CreateOrg(admin, R"({"name":"Caisse solidaire","country":"SN"})");
  const std::int64_t group_org = CreateOrg(admin, R"({"name":"Groupement des femmes de Pikine","country":"SN"})");
  const std::string org_path = "/api/v1/organisations/" + std::to_string(fund_org);
  const std::string group_path = "/api/v1/organisations/" + std::to_string(group_org);
  auto post = [&](const std::string& path, const std::string& json) { return http_->SendJson("POST", path, json, Bearer(admin)); };
  auto with_version = [&](const std::string& path, const std::string& read, const std::string& json) {
    auto now = http_->Get(read, Bearer(admin));
    return http_->SendJson("POST", path, json, {{"Authorization", "Bearer " + admin}, {"If-Match", now.Header("etag")}});
  };
  auto created = post(org_path + "/funds", R"({"name":"Microcrédit","code":"MC-1","unit":"XOF","decimals":0})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string fund = org_path + "/funds/" + std::to_string(created.Json().at("id").as_int64());
  ASSERT_EQ(post(fund + "/contributions", R"({"id":"d","backer":)" + std::to_string(fund_org) + R"(,"amount":10000000})").status, 201);
  auto product = post(fund + "/products", R"({"name":"Crédit solidaire","method":"flat","period":"weekly","annual_rate_ppm":200000,)"
                                          R"("principal_min":10000,"principal_max":5000000,"instalments_max":52})");
  ASSERT_EQ(product.status, 201) << product.body;
  auto applied = post(fund + "/applications", R"({"product_id":)" + std::to_string(product.Json().at("id").as_int64()) + R"(,"organisation_id":)" +
                                                  std::to_string(group_org) + R"(,"amount":300000,"instalments":10,"purpose":"Petit commerce","jobs_kept":3})");
  ASSERT_EQ(applied.status, 201) << applied.body;
  const std::string app = fund + "/applications/" + std::to_string(applied.Json().at("id").as_int64());
  auto m = post(org_path + "/members", R"({"name":"Comité","joined_on":"2020-01-01"})");
  ASSERT_EQ(m.status, 201) << m.body;
  auto meeting = post(org_path + "/assemblies", R"({"title":"Comité de crédit","starts_at":"2027-01-10T18:00","timezone":"Africa/Dakar",)"
                                                R"("place":"Siège","notice_days":0,"quorum_percent":50,"proxy_limit":0,"items":[{"title":"Crédit au groupement"}]})");
  ASSERT_EQ(meeting.status, 201) << meeting.body;
  const std::string assembly = org_path + "/assemblies/" + std::to_string(meeting.Json().at("id").as_int64());
  const std::int64_t item = meeting.Json().at("items").at(0).at("id").as_int64();
  ASSERT_EQ(with_version(assembly + "/convene", assembly, "").status, 200);
  ASSERT_EQ(post(assembly + "/attendance", R"({"member_id":)" + std::to_string(m.Json().at("id").as_int64()) + R"(,"channel":"in_person"})").status, 200);
  ASSERT_EQ(with_version(assembly + "/open", assembly, "").status, 200);
  ASSERT_EQ(post(assembly + "/items/" + std::to_string(item) + "/decision", R"({"yes":1,"no":0,"abstain":0})").status, 200);
  ASSERT_EQ(with_version(app + "/decision", app, R"({"assembly_id":)" + std::to_string(meeting.Json().at("id").as_int64()) + R"(,"item_id":)" +
                                                     std::to_string(item) + "}").status, 200);
  auto contract = post(app + "/contract", R"({"start_on":"2025-01-01"})");
  ASSERT_EQ(contract.status, 201) << contract.body;
  const std::string loan = fund + "/loans/" + std::to_string(contract.Json().at("id").as_int64());
  ASSERT_EQ(post(loan + "/disbursements", R"({"tranche":1,"on":"2025-01-01"})").status, 200);

  const auto coumba = NewUser("coumba@pikine.example");
  std::vector<std::string> ids;
  for (const std::string name : {"Aïcha", "Bineta", "Coumba"}) {
    const std::string email = name == "Coumba" ? R"(,"user_email":"coumba@pikine.example")" : "";
    auto x = post(group_path + "/members", R"({"name":")" + name + R"(","joined_on":"2020-01-01")" + email + "}");
    ASSERT_EQ(x.status, 201) << x.body;
    ids.push_back(std::to_string(x.Json().at("id").as_int64()));
  }
  EXPECT_EQ(post(loan + "/group/meetings", R"({"number":1,"held_on":"2025-01-08","lines":[{"member":)" + ids[0] + R"(,"amount":1}]})").Code(), "no_group");
  EXPECT_EQ(post(loan + "/group", R"({"members":[{"member_id":)" + ids[0] + R"(,"amount":100000},{"member_id":)" + ids[1] + R"(,"amount":100000}]})").Fields(),
            std::vector<std::string>{"/members parts_mismatch"});
  auto set = post(loan + "/group", R"({"members":[{"member_id":)" + ids[0] + R"(,"amount":100000},{"member_id":)" + ids[1] +
                                       R"(,"amount":100000},{"member_id":)" + ids[2] + R"(,"amount":100000}]})");
  ASSERT_EQ(set.status, 201) << set.body;
  auto sheet = http_->Get(loan + "/group?as_of=2025-01-08", Bearer(admin));
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  const auto s = sheet.Json();
  // The first week: 10,000 of principal and a week of 20 % flat on 100,000 each, give or
  // take the minor unit the split puts on one of them.
  std::vector<std::int64_t> due;
  for (const auto& x : s.at("members").as_array()) due.push_back(x.at("due_now").as_int64());
  EXPECT_GT(due[0], 10'000);
  EXPECT_LE(due[0] - due[2], 1);
  EXPECT_EQ(s.at("due_now").as_int64(), due[0] + due[1] + due[2]);
  // Coumba cannot pay; Aïcha pays for her.
  const std::string sheet1 = R"({"number":1,"held_on":"2025-01-08","lines":[{"member":)" + ids[0] + R"(,"amount":)" + std::to_string(due[0]) + R"(},{"member":)" + ids[1] +
                             R"(,"amount":)" + std::to_string(due[1]) + R"(},{"member":)" + ids[2] + R"(,"amount":)" + std::to_string(due[2]) + R"(,"paid_by":)" + ids[0] + "}]}";
  EXPECT_EQ(post(loan + "/group/meetings", R"({"number":1,"held_on":"2025-01-08","lines":[{"member":)" + ids[0] + R"(,"amount":0,"paid_by":)" + ids[0] + "}]}").Fields(),
            (std::vector<std::string>{"/lines/0/paid_by same_member"}));
  auto first = post(loan + "/group/meetings", sheet1);
  ASSERT_EQ(first.status, 201) << first.body;
  const auto f = first.Json();
  EXPECT_EQ(f.at("loan_arrears").as_int64(), 0);
  EXPECT_EQ(f.at("members").at(2).at("covered_by_others").as_int64(), due[2]);
  EXPECT_EQ(f.at("members").at(0).at("paid_for_others").as_int64(), due[2]);
  EXPECT_EQ(post(loan + "/group/meetings", sheet1).status, 200);
  EXPECT_EQ(post(loan + "/repayments", R"({"id":"group-meeting-9","amount":5,"paid_on":"2025-01-09"})").Fields(), std::vector<std::string>{"/id reserved"});
  // Coumba, with an account, sees her part: Aïcha covered her week.
  auto mine = http_->Get("/api/v1/me/groups", Bearer(coumba));
  ASSERT_EQ(mine.status, 200) << mine.body;
  const auto mj = mine.Json();
  ASSERT_EQ(mj.at("group_loans").as_array().size(), 1u);
  EXPECT_EQ(mj.at("group_loans").at(0).at("covered_by_others").as_int64(), due[2]);
  EXPECT_EQ(mj.at("group_loans").at(0).at("part").as_int64(), 100'000);
  auto loan_now = http_->Get(loan + "?as_of=2025-01-08", Bearer(admin));
  ASSERT_EQ(loan_now.status, 200);
  EXPECT_EQ(loan_now.Json().at("repayments").as_array().size(), 1u);
}

}  // namespace
}  // namespace solidum::testing
