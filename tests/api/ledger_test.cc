// The ledger through the real server: a time bank's currency and accounts set up by its
// admins, members paying from their own accounts only, batches answered item by item,
// replays, pending transfers, and bad input refused with the field named.
#include <boost/json.hpp>

#include "fixture.h"

#include <chrono>
#include <thread>

namespace solidum::testing {
namespace {

class LedgerApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    admin_ = NewUser("admin@timebank.example");
    bank_ = CreateOrg(admin_, R"({"name":"Banque du temps","country":"FR"})");
    base_ = "/api/v1/organisations/" + std::to_string(bank_);
    auto c = Post(base_ + "/currencies", R"({"code":"HOURS","name":"Heures","unit":"hour","decimals":0,"default_credit_limit":10})");
    ASSERT_EQ(c.status, 201) << c.body;
    currency_ = c.Json().at("id").as_int64();
    ana_token_ = NewUser("ana@timebank.example");
    auto ana = Post(base_ + "/members", R"({"name":"Ana","joined_on":"2026-01-01","user_email":"ana@timebank.example"})");
    ASSERT_EQ(ana.status, 201) << ana.body;
    ana_member_ = ana.Json().at("id").as_int64();
    ana_ = OpenAccount(R"({"member_id":)" + std::to_string(ana_member_) + R"(,"name":"Ana"})");
    bo_ = OpenAccount(R"({"name":"Bo"})");
    cy_ = OpenAccount(R"({"name":"Cy","credit_limit":0,"upper_limit":5})");
  }
  HttpResponse Post(const std::string& path, const std::string& json, const std::string& token = "") {
    return http_->SendJson("POST", path, json, Bearer(token.empty() ? admin_ : token));
  }
  std::int64_t OpenAccount(const std::string& json) {
    auto r = Post(base_ + "/currencies/" + std::to_string(currency_) + "/accounts", json);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().at("id").as_int64() : 0;
  }
  std::string Pay(const std::string& id, std::int64_t from, std::int64_t to, std::int64_t amount, const std::string& extra = "") {
    return R"({"id":")" + id + R"(","debit_account":)" + std::to_string(from) + R"(,"credit_account":)" + std::to_string(to) +
           R"(,"amount":)" + std::to_string(amount) + extra + "}";
  }
  // A local currency ("SOL", 2 decimals) of another community, whose admin is `admin`.
  std::int64_t OtherCommunitysCurrency(const std::string& admin) {
    const std::int64_t town = CreateOrg(admin, R"({"name":"Monnaie locale du quartier","country":"FR"})");
    auto sol = Post("/api/v1/organisations/" + std::to_string(town) + "/currencies",
                    R"({"code":"SOL","name":"Sol","unit":"sol","decimals":2,"default_credit_limit":5000})", admin);
    EXPECT_EQ(sol.status, 201) << sol.body;
    return sol.status == 201 ? sol.Json().at("id").as_int64() : 0;
  }
  std::int64_t Balance(std::int64_t account) {
    auto r = http_->Get("/api/v1/accounts/" + std::to_string(account), Bearer(admin_));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("balance").as_int64() : -999;
  }
  std::string admin_, ana_token_, base_;
  std::int64_t bank_ = 0, currency_ = 0, ana_member_ = 0, ana_ = 0, bo_ = 0, cy_ = 0;
};

TEST_F(LedgerApiTest, AMemberPaysFromTheirOwnAccountOnly) {
  auto paid = Post("/api/v1/transfers", Pay("g1", ana_, bo_, 3, R"(,"memo":"Gardening")"), ana_token_);
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(paid.Json().at("result").as_string(), "ok");
  EXPECT_EQ(paid.Json().at("transfer").at("amount").as_int64(), 3);
  // The same again: the original, nothing moves.
  auto again = Post("/api/v1/transfers", Pay("g1", ana_, bo_, 3, R"(,"memo":"Gardening")"), ana_token_);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.Json().at("replayed").as_bool());
  // Not from someone else's account.
  auto theft = Post("/api/v1/transfers", Pay("g2", bo_, ana_, 3), ana_token_);
  EXPECT_EQ(theft.status, 403) << theft.body;
  EXPECT_EQ(theft.Code(), "not_permitted");
  // Her own account she sees; another's is not there for her.
  auto mine = http_->Get("/api/v1/accounts/" + std::to_string(ana_), Bearer(ana_token_));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().at("balance").as_int64(), -3);
  EXPECT_EQ(mine.Json().at("available").as_int64(), 7);
  EXPECT_EQ(http_->Get("/api/v1/accounts/" + std::to_string(bo_), Bearer(ana_token_)).status, 404);
  // A refusal of a single transfer: 409 with the refusal's code.
  auto over = Post("/api/v1/transfers", Pay("g3", ana_, bo_, 8), ana_token_);
  EXPECT_EQ(over.status, 409) << over.body;
  EXPECT_EQ(over.Code(), "exceeds_credit_limit");
  EXPECT_EQ(Balance(bo_), 3);
  // Members may not set up currencies.
  EXPECT_EQ(Post(base_ + "/currencies", R"({"code":"X","name":"X","unit":"x","decimals":0,"default_credit_limit":0})", ana_token_).status, 403);
}

// Who may pay is read on every transfer and remembered for a moment (limits::
// kAccessCacheMicros); a change made on this server shows at once all the same.
TEST_F(LedgerApiTest, WhoMayPayFollowsTheRegisterTheRolesAndTheTokensAtOnce) {
  ASSERT_EQ(Post("/api/v1/transfers", Pay("w1", ana_, bo_, 1), ana_token_).status, 201);
  // The register unlinks Ana's record from her user account: her account is no longer hers.
  const std::string member = base_ + "/members/" + std::to_string(ana_member_);
  auto record = http_->Get(member, Bearer(admin_));
  ASSERT_EQ(record.status, 200) << record.body;
  auto unlinked = http_->SendJson("PATCH", member, R"({"user_email":null})", {{"Authorization", "Bearer " + admin_}, {"If-Match", record.Header("etag")}});
  ASSERT_EQ(unlinked.status, 200) << unlinked.body;
  EXPECT_EQ(Post("/api/v1/transfers", Pay("w2", ana_, bo_, 1), ana_token_).Code(), "not_permitted");
  // Made an admin of the bank she pays from any of its accounts; once revoked, no more.
  auto granted = Post(base_ + "/roles", R"({"email":"ana@timebank.example","role":"admin"})");
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(Post("/api/v1/transfers", Pay("w3", bo_, cy_, 1), ana_token_).status, 201);
  const auto ana_user = granted.Json().at("user_id").as_int64();
  ASSERT_EQ(http_->Send("DELETE", base_ + "/roles/" + std::to_string(ana_user), "", Bearer(admin_)).status, 204);
  EXPECT_EQ(Post("/api/v1/transfers", Pay("w4", bo_, cy_, 1), ana_token_).Code(), "not_permitted");
  // Linked again, she pays from her own; and her revoked token no longer works at all.
  record = http_->Get(member, Bearer(admin_));
  auto linked = http_->SendJson("PATCH", member, R"({"user_email":"ana@timebank.example"})", {{"Authorization", "Bearer " + admin_}, {"If-Match", record.Header("etag")}});
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(Post("/api/v1/transfers", Pay("w5", ana_, bo_, 1), ana_token_).status, 201);
  auto tokens = http_->Get("/api/v1/auth/tokens", Bearer(ana_token_));
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  const auto token_id = tokens.Json().at("items").as_array().at(0).at("id").as_int64();
  ASSERT_EQ(http_->Send("DELETE", "/api/v1/auth/tokens/" + std::to_string(token_id), "", Bearer(ana_token_)).status, 204);
  EXPECT_EQ(Post("/api/v1/transfers", Pay("w6", ana_, bo_, 1), ana_token_).status, 401);
  EXPECT_EQ(Balance(bo_), 1);  // w1 and w5 in, w3 out
}

TEST_F(LedgerApiTest, ABatchIsAnsweredItemByItemAndChainsHoldTogether) {
  const std::string batch = "[" + Pay("b1", bo_, cy_, 4) + "," + Pay("b2", bo_, cy_, 2) + "," + Pay("b3", ana_, bo_, 1, R"(,"linked":true)") + "," +
                            Pay("b4", cy_, ana_, 9) + "," + Pay("b5", ana_, ana_, 1) + "]";
  auto r = Post("/api/v1/transfers", batch);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto json = r.Json();
  const auto& items = json.as_array();
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].at("result").as_string(), "ok");
  EXPECT_EQ(items[1].at("result").as_string(), "exceeds_upper_limit");  // Cy may hold at most 5
  EXPECT_EQ(items[2].at("result").as_string(), "linked_event_failed");
  EXPECT_EQ(items[3].at("result").as_string(), "exceeds_credit_limit");  // Cy has 4, may not go below 0
  EXPECT_EQ(items[4].at("result").as_string(), "same_account");
  EXPECT_EQ(Balance(bo_), -4);
  EXPECT_EQ(Balance(cy_), 4);
  EXPECT_EQ(Balance(ana_), 0);
}

TEST_F(LedgerApiTest, APendingTransferIsPostedByTheAdmin) {
  auto hold = Post("/api/v1/transfers", Pay("h1", ana_, bo_, 5, R"(,"pending":true,"timeout_seconds":3600)"), ana_token_);
  ASSERT_EQ(hold.status, 201) << hold.body;
  auto acct = http_->Get("/api/v1/accounts/" + std::to_string(ana_), Bearer(ana_token_)).Json();
  EXPECT_EQ(acct.at("debits_pending").as_int64(), 5);
  EXPECT_EQ(acct.at("available").as_int64(), 5);
  auto post = Post("/api/v1/transfers", R"({"id":"h1-post","post_pending":true,"pending_id":"h1","debit_account":)" + std::to_string(ana_) + R"(,"amount":4})");
  ASSERT_EQ(post.status, 201) << post.body;
  EXPECT_EQ(post.Json().at("transfer").at("credit_account").as_int64(), bo_);
  EXPECT_EQ(Balance(ana_), -4);
  EXPECT_EQ(Balance(bo_), 4);
  auto again = Post("/api/v1/transfers", R"({"id":"h1-void","void_pending":true,"pending_id":"h1","debit_account":)" + std::to_string(ana_) + "}");
  EXPECT_EQ(again.Code(), "pending_transfer_already_posted");
}

TEST_F(LedgerApiTest, BadTransfersAreRefusedWithTheFieldNamedAndNothingMoves) {
  auto bad = Post("/api/v1/transfers", "[" + Pay("ok", bo_, ana_, 1) + R"(,{"id":"x","debit_account":1,"credit_account":2,"amount":"3"},)" +
                                           R"({"id":"y","debit_account":1,"credit_account":2,"amount":92233720368547758070},)" +
                                           R"({"id":"z","debit_account":1,"credit_account":2,"amount":-1,"colour":"red"}])");
  ASSERT_EQ(bad.status, 400) << bad.body;
  const auto fields = bad.Fields();
  EXPECT_NE(std::find(fields.begin(), fields.end(), "/1/amount wrong_type"), fields.end()) << bad.body;
  EXPECT_NE(std::find_if(fields.begin(), fields.end(), [](const std::string& f) { return f.starts_with("/2/amount "); }), fields.end()) << bad.body;
  EXPECT_NE(std::find_if(fields.begin(), fields.end(), [](const std::string& f) { return f.starts_with("/3/amount "); }), fields.end()) << bad.body;
  EXPECT_NE(std::find_if(fields.begin(), fields.end(), [](const std::string& f) { return f.starts_with("/3/colour "); }), fields.end()) << bad.body;
  EXPECT_EQ(Balance(ana_), 0);  // the good item did not go either
  std::string many = "[";
  for (int i = 0; i < 8191; ++i) many += (i ? "," : "") + Pay("m" + std::to_string(i), bo_, ana_, 1);
  auto too_many = Post("/api/v1/transfers", many + "]");
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.Fields(), std::vector<std::string>{" too_many_transfers"});  // the pointer of the whole body: ""
  EXPECT_EQ(Post("/api/v1/transfers", "[]").Fields(), std::vector<std::string>{" empty"});
  EXPECT_EQ(Post("/api/v1/transfers", Pay("~sys", bo_, ana_, 1)).Code(), "id_invalid");
  EXPECT_EQ(Balance(ana_), 0);
}

TEST_F(LedgerApiTest, AdminsFreezeCloseAndListAccounts) {
  const std::string accounts = base_ + "/currencies/" + std::to_string(currency_) + "/accounts";
  auto patch = [&](std::int64_t id, const std::string& json, const std::string& token = "") {
    return http_->SendJson("PATCH", accounts + "/" + std::to_string(id), json, Bearer(token.empty() ? admin_ : token));
  };
  ASSERT_EQ(Post("/api/v1/transfers", Pay("f1", ana_, bo_, 2), ana_token_).status, 201);
  auto frozen = patch(ana_, R"({"status":"frozen"})");
  ASSERT_EQ(frozen.status, 200) << frozen.body;
  EXPECT_EQ(frozen.Json().at("status").as_string(), "frozen");
  EXPECT_EQ(Post("/api/v1/transfers", Pay("f2", ana_, bo_, 1), ana_token_).Code(), "account_frozen");
  EXPECT_EQ(Post("/api/v1/transfers", Pay("f3", bo_, ana_, 1)).Code(), "account_frozen");  // nothing in either
  ASSERT_EQ(patch(ana_, R"({"status":"open","credit_limit":2})").status, 200);
  EXPECT_EQ(Post("/api/v1/transfers", Pay("f4", ana_, bo_, 1), ana_token_).Code(), "exceeds_credit_limit");  // at -2 already
  // Closing needs a zero balance; closed is final.
  EXPECT_EQ(patch(ana_, R"({"status":"closed"})").Code(), "balance_not_zero");
  ASSERT_EQ(patch(cy_, R"({"status":"closed"})").status, 200);
  EXPECT_EQ(patch(cy_, R"({"status":"open"})").Code(), "account_closed");
  EXPECT_EQ(Post("/api/v1/transfers", Pay("f5", bo_, cy_, 1)).Code(), "account_closed");
  // Bad changes, and members may not make them.
  EXPECT_EQ(patch(bo_, R"({"status":"asleep","credit_limit":-1})").Fields(),
            (std::vector<std::string>{"/status unknown_term", "/credit_limit out_of_range"}));
  EXPECT_EQ(patch(bo_, R"({"status":"frozen"})", ana_token_).status, 403);
  EXPECT_EQ(patch(999999, R"({"status":"frozen"})").status, 404);
  // The list, paged, with balances as committed.
  auto page = http_->Get(accounts + "?limit=2", Bearer(admin_));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Json().at("total").as_int64(), 3);
  ASSERT_EQ(page.Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(page.Json().at("items").as_array()[0].at("balance").as_int64(), -2);
  auto rest = http_->Get(accounts + "?limit=2&cursor=" + std::string(page.Json().at("next_cursor").as_string()), Bearer(admin_));
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(http_->Get(accounts, Bearer(ana_token_)).status, 403);
  auto listed = http_->Get(base_ + "/currencies");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.Json().at("items").as_array().at(0).at("code").as_string(), "HOURS");
}

TEST_F(LedgerApiTest, AStatementPagesAndExportsTheAccountsTransfers) {
  ASSERT_EQ(Post("/api/v1/transfers", Pay("st1", ana_, bo_, 3, R"j(,"memo":"=HYPERLINK(\"x\")")j"), ana_token_).status, 201);
  ASSERT_EQ(Post("/api/v1/transfers", Pay("st2", bo_, ana_, 1, R"(,"memo":"Thanks, Ana")")).status, 201);
  ASSERT_EQ(Post("/api/v1/transfers", Pay("st3", ana_, cy_, 2, R"(,"pending":true)"), ana_token_).status, 201);
  const std::string entries = "/api/v1/accounts/" + std::to_string(ana_) + "/entries";
  auto all = http_->Get(entries, Bearer(ana_token_));
  ASSERT_EQ(all.status, 200) << all.body;
  auto items = all.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("id").as_string(), "st3");
  EXPECT_EQ(items[0].at("kind").as_string(), "pending");
  EXPECT_EQ(items[0].at("change").as_int64(), 0);
  EXPECT_EQ(items[1].at("direction").as_string(), "in");
  EXPECT_EQ(items[1].at("counterparty").at("name").as_string(), "Bo");
  EXPECT_EQ(items[1].at("balance").as_int64(), -2);
  EXPECT_EQ(items[2].at("change").as_int64(), -3);
  EXPECT_EQ(items[2].at("balance").as_int64(), -3);
  EXPECT_EQ(all.Json().at("account").at("debits_pending").as_int64(), 2);
  EXPECT_TRUE(all.Json().at("next_cursor").is_null());
  // Page by page.
  auto first = http_->Get(entries + "?limit=2", Bearer(ana_token_));
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.Json().at("items").as_array().size(), 2u);
  const std::string cursor(first.Json().at("next_cursor").as_string());
  auto rest = http_->Get(entries + "?limit=2&cursor=" + cursor, Bearer(ana_token_));
  ASSERT_EQ(rest.status, 200) << rest.body;
  ASSERT_EQ(rest.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.Json().at("items").as_array()[0].at("id").as_string(), "st1");
  // Bad paging, someone else's statement, and a position from another account's.
  EXPECT_EQ(http_->Get(entries + "?limit=0&cursor=x&sort=asc", Bearer(ana_token_)).Fields(), std::vector<std::string>{"?limit out_of_range"});
  EXPECT_EQ(http_->Get(entries + "?cursor=x", Bearer(ana_token_)).Fields(), std::vector<std::string>{"?cursor invalid_cursor"});
  EXPECT_EQ(http_->Get(entries + "?sort=asc", Bearer(ana_token_)).Fields(), std::vector<std::string>{"?sort unknown_parameter"});
  auto cy_entries = http_->Get("/api/v1/accounts/" + std::to_string(cy_) + "/entries", Bearer(admin_));
  ASSERT_EQ(cy_entries.status, 200);
  const auto cy_seq = cy_entries.Json().at("items").as_array()[0].at("seq").as_int64();
  auto bo_entries = http_->Get("/api/v1/accounts/" + std::to_string(bo_) + "/entries?cursor=" + std::to_string(cy_seq), Bearer(admin_));
  EXPECT_EQ(bo_entries.Fields(), std::vector<std::string>{"?cursor invalid_cursor"});
  EXPECT_EQ(http_->Get("/api/v1/accounts/" + std::to_string(bo_) + "/entries", Bearer(ana_token_)).status, 404);
  EXPECT_EQ(http_->Get(entries).status, 401);

  // The CSV, oldest first, amounts as people write them, no formula a spreadsheet would run.
  const std::string csv_path = "/api/v1/accounts/" + std::to_string(ana_) + "/statement.csv";
  auto csv = http_->Get(csv_path, Bearer(ana_token_));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = csv.body.find("\r\n", at)) != std::string::npos; at = end + 2) lines.push_back(csv.body.substr(at, end - at));
  ASSERT_EQ(lines.size(), 4u) << csv.body;
  EXPECT_EQ(lines[0], "date,transfer,kind,counterparty_account,counterparty,memo,paid_in,paid_out,reserved,balance");
  EXPECT_NE(lines[1].find(",st1,transfer," + std::to_string(bo_) + ",Bo,\"'=HYPERLINK(\"\"x\"\")\",,3,,-3"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find(",st2,transfer," + std::to_string(bo_) + ",Bo,\"Thanks, Ana\",1,,,-2"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find(",st3,pending," + std::to_string(cy_) + ",Cy,,,,-2,-2"), std::string::npos) << lines[3];
  // Dates: a period after today holds nothing; bad ones are named.
  auto later = http_->Get(csv_path + "?from=2999-01-01", Bearer(ana_token_));
  ASSERT_EQ(later.status, 200);
  EXPECT_EQ(later.body.find("\r\n") + 2, later.body.size());
  auto bad = http_->Get(csv_path + "?from=2026-02-30&to=yesterday&format=xls", Bearer(ana_token_));
  EXPECT_EQ(bad.Fields(), (std::vector<std::string>{"?from invalid_date", "?to invalid_date", "?format unknown_parameter"}));
  EXPECT_EQ(http_->Get(csv_path + "?from=2026-03-02&to=2026-03-01", Bearer(ana_token_)).Fields(), std::vector<std::string>{"?to before_from"});
  EXPECT_EQ(http_->Get("/api/v1/accounts/" + std::to_string(bo_) + "/statement.csv", Bearer(ana_token_)).status, 404);
}

TEST_F(LedgerApiTest, StatisticsShowTheMonthAndTheSpreadToMembersAndAdminsOnly) {
  ASSERT_EQ(Post("/api/v1/transfers", Pay("v1", ana_, bo_, 4), ana_token_).status, 201);
  ASSERT_EQ(Post("/api/v1/transfers", Pay("v2", bo_, cy_, 1)).status, 201);
  const std::string stats = "/api/v1/currencies/" + std::to_string(currency_) + "/statistics";
  // Figures as of the writer's checkpoint, at most about a second after the last round.
  HttpResponse r;
  for (int i = 0; i < 50; ++i) {
    r = http_->Get(stats + "?months=3", Bearer(admin_));
    ASSERT_EQ(r.status, 200) << r.body;
    if (r.Json().at("months").as_array().back().at("trades").as_int64() == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto body = r.Json();
  const auto& months = body.at("months").as_array();
  ASSERT_EQ(months.size(), 3u);
  const auto& now = months.back();
  EXPECT_EQ(now.at("trades").as_int64(), 2);
  EXPECT_EQ(now.at("volume").as_int64(), 5);
  EXPECT_EQ(now.at("active_accounts").as_int64(), 3);
  EXPECT_EQ(now.at("supply").as_int64(), 4);  // Ana -4, Bo 3, Cy 1
  EXPECT_DOUBLE_EQ(now.at("velocity").as_double(), 1.25);
  EXPECT_TRUE(months.front().at("velocity").is_null());
  const auto& balances = body.at("balances");
  EXPECT_EQ(balances.at("accounts").as_int64(), 3);
  EXPECT_EQ(balances.at("min").as_int64(), -4);
  EXPECT_EQ(balances.at("max").as_int64(), 3);
  EXPECT_EQ(balances.at("negative").as_int64(), 1);
  std::int64_t counted = 0;
  for (const auto& b : balances.at("histogram").as_array()) counted += b.at("count").as_int64();
  EXPECT_EQ(counted, 3);
  // A member with an account sees them; a stranger does not; bad parameters are named.
  EXPECT_EQ(http_->Get(stats, Bearer(ana_token_)).status, 200);
  EXPECT_EQ(http_->Get(stats, Bearer(NewUser("stranger@example.org"))).status, 403);
  EXPECT_EQ(http_->Get(stats).status, 401);
  EXPECT_EQ(http_->Get(stats + "?months=0", Bearer(admin_)).Fields(), std::vector<std::string>{"?months out_of_range"});
  EXPECT_EQ(http_->Get(stats + "?from=2026", Bearer(admin_)).Fields(), std::vector<std::string>{"?from unknown_parameter"});
  EXPECT_EQ(http_->Get("/api/v1/currencies/999999/statistics", Bearer(admin_)).status, 404);
}

TEST_F(LedgerApiTest, AMemberListsTheirAccountsAndFindsWhomToPay) {
  ASSERT_EQ(Post("/api/v1/transfers", Pay("d1", ana_, bo_, 2), ana_token_).status, 201);
  auto mine = http_->Get("/api/v1/me/accounts", Bearer(ana_token_));
  ASSERT_EQ(mine.status, 200) << mine.body;
  const auto body = mine.Json();
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id").as_int64(), ana_);
  EXPECT_EQ(items[0].at("balance").as_int64(), -2);  // as committed, not as of the checkpoint
  EXPECT_EQ(items[0].at("currency").at("code").as_string(), "HOURS");
  EXPECT_EQ(items[0].at("organisation_name").as_string(), "Banque du temps");
  // The admin holds no account: an empty list, not an error.
  auto none = http_->Get("/api/v1/me/accounts", Bearer(admin_));
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(none.Json().at("items").as_array().empty());

  const std::string directory = "/api/v1/currencies/" + std::to_string(currency_) + "/directory";
  auto all = http_->Get(directory, Bearer(ana_token_));
  ASSERT_EQ(all.status, 200) << all.body;
  std::vector<std::string> names;
  const auto listed = all.Json();
  for (const auto& a : listed.at("items").as_array()) names.emplace_back(a.at("name").as_string());
  EXPECT_EQ(names, (std::vector<std::string>{"Ana", "Bo", "Cy"}));
  auto found = http_->Get(directory + "?q=b", Bearer(ana_token_));
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(found.Json().at("items").as_array()[0].at("id").as_int64(), bo_);
  EXPECT_TRUE(http_->Get(directory + "?q=%25", Bearer(ana_token_)).Json().at("items").as_array().empty());  // % is a letter here
  // Closed accounts are not offered; strangers see nothing; bad parameters are named.
  ASSERT_EQ(http_->SendJson("PATCH", base_ + "/currencies/" + std::to_string(currency_) + "/accounts/" + std::to_string(cy_), R"({"status":"closed"})",
                            Bearer(admin_)).status, 200);
  EXPECT_EQ(http_->Get(directory, Bearer(ana_token_)).Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(http_->Get(directory, Bearer(NewUser("stranger@example.org"))).status, 403);
  EXPECT_EQ(http_->Get(directory + "?limit=0", Bearer(ana_token_)).Fields(), std::vector<std::string>{"?limit out_of_range"});
  EXPECT_EQ(http_->Get(directory + "?sort=name", Bearer(ana_token_)).Fields(), std::vector<std::string>{"?sort unknown_parameter"});
}

TEST_F(LedgerApiTest, MembersPostFindAndCloseOffersAndWantsAndPayFromOne) {
  const std::string listings = "/api/v1/currencies/" + std::to_string(currency_) + "/listings";
  auto offer = Post(listings, R"({"kind":"offer","title":"Réparation de vélos","description":"Freins, chaînes.","category":"transport","price":2})", ana_token_);
  ASSERT_EQ(offer.status, 201) << offer.body;
  EXPECT_EQ(offer.Json().at("account").at("id").as_int64(), ana_);  // the poster's own account
  const auto id = offer.Json().at("id").as_int64();
  auto want = Post(listings, R"({"kind":"want","title":"Cours d'espagnol","category":"lessons","account_id":)" + std::to_string(bo_) + "}");
  ASSERT_EQ(want.status, 201) << want.body;  // an admin, for another account
  // All bad fields at once; a member may not post for someone else.
  EXPECT_EQ(Post(listings, R"({"kind":"gift","title":"","category":"astrology","price":0,"colour":"red"})", ana_token_).Fields(),
            (std::vector<std::string>{"/kind unknown_term", "/title required", "/category unknown_term", "/price out_of_range", "/colour unknown_field"}));
  EXPECT_EQ(Post(listings, R"({"kind":"offer","title":"Soupe","category":"food","account_id":)" + std::to_string(bo_) + "}", ana_token_).status, 403);
  EXPECT_EQ(Post(listings, R"({"kind":"offer","title":"Soupe","category":"food"})", NewUser("outsider@example.org")).status, 403);

  auto found = http_->Get(listings + "?q=VELO&kind=offer", Bearer(ana_token_));
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(found.Json().at("total").as_int64(), 1);
  EXPECT_EQ(found.Json().at("items").as_array()[0].at("title").as_string(), "Réparation de vélos");
  EXPECT_EQ(http_->Get(listings + "?category=lessons", Bearer(ana_token_)).Json().at("total").as_int64(), 1);
  EXPECT_EQ(http_->Get(listings + "?kind=gift&limit=0&sort=new", Bearer(ana_token_)).Fields(),
            (std::vector<std::string>{"?kind unknown_term", "?limit out_of_range", "?sort unknown_parameter"}));

  // Pay from the listing: a transfer to its account, for its price.
  ASSERT_EQ(Post("/api/v1/transfers", Pay("bike", bo_, ana_, 2, R"(,"memo":"Réparation de vélos")")).status, 201);
  EXPECT_EQ(Balance(ana_), 2);

  // Its holder closes it; then it is no longer listed, unless asked for.
  const std::string one = "/api/v1/listings/" + std::to_string(id);
  EXPECT_EQ(http_->SendJson("PATCH", one, R"({"open":false})", Bearer(NewUser("member2@example.org"))).status, 404);
  auto closed = http_->SendJson("PATCH", one, R"({"open":false,"price":null})", Bearer(ana_token_));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_FALSE(closed.Json().at("open").as_bool());
  EXPECT_TRUE(closed.Json().at("price").is_null());
  EXPECT_EQ(http_->Get(listings, Bearer(ana_token_)).Json().at("total").as_int64(), 1);
  EXPECT_EQ(http_->Get(listings + "?closed=true", Bearer(ana_token_)).Json().at("total").as_int64(), 2);
  EXPECT_EQ(http_->Get(one, Bearer(ana_token_)).status, 200);
  EXPECT_EQ(http_->SendJson("PATCH", one, R"({"category":"astrology"})", Bearer(admin_)).Fields(), std::vector<std::string>{"/category unknown_term"});
}

}  // namespace
}  // namespace solidum::testing

namespace solidum::testing {
namespace {

// Trade between communities: the time bank's hours linked to a local currency; Ana pays a
// shop in the other community in one request, both legs or neither.
// Two communities with separate admin teams: one proposes, the other accepts or declines.
TEST_F(LedgerApiTest, TwoAdminTeamsLinkTheirCurrenciesByProposalAndAcceptance) {
  const std::string sol_admin = NewUser("sol@quartier.example");
  const std::int64_t sol_id = OtherCommunitysCurrency(sol_admin);
  ASSERT_GT(sol_id, 0);
  const std::string hours = std::to_string(currency_), sols = std::to_string(sol_id);
  // Another community's currency is found by its code (public; any case).
  auto found = http_->Get("/api/v1/currencies/by-code/sol", {});
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.Json().at("id").as_int64(), sol_id);
  EXPECT_EQ(http_->Get("/api/v1/currencies/by-code/NOPE", {}).status, 404);
  const std::string offer = R"({"currency_a":)" + hours + R"(,"currency_b":)" + sols +
                            R"(,"rate":"12.5","clearing_credit_limit_a":2,"clearing_credit_limit_b":10000,"note":"Pour le marché du samedi"})";

  // Neither admin may link alone; a proposal comes from an admin of its first currency.
  EXPECT_EQ(Post("/api/v1/currency-links", R"({"currency_a":)" + hours + R"(,"currency_b":)" + sols + R"(,"rate":"12.5"})").Code(), "not_permitted");
  EXPECT_EQ(Post("/api/v1/currency-link-proposals", offer, sol_admin).Code(), "not_permitted");
  EXPECT_EQ(Post("/api/v1/currency-link-proposals", offer, ana_token_).Code(), "not_permitted");
  auto bad = Post("/api/v1/currency-link-proposals", R"({"currency_a":)" + hours + R"(,"currency_b":)" + hours + R"(,"rate":"1,5"})");
  EXPECT_EQ(bad.Fields(), (std::vector<std::string>{"/rate invalid_rate"}));
  EXPECT_EQ(Post("/api/v1/currency-link-proposals", R"({"currency_a":)" + hours + R"(,"currency_b":)" + hours + R"(,"rate":"1"})").Fields(),
            (std::vector<std::string>{"/currency_b same_currency"}));
  auto proposed = Post("/api/v1/currency-link-proposals", offer);
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const auto pj = proposed.Json();
  EXPECT_EQ(pj.at("status").as_string(), "open");
  EXPECT_EQ(pj.at("rate").as_string(), "12.5");
  EXPECT_EQ(pj.at("note").as_string(), "Pour le marché du samedi");
  const std::string path = "/api/v1/currency-link-proposals/" + std::to_string(pj.at("id").as_int64());
  // One open proposal per pair, either way round.
  EXPECT_EQ(Post("/api/v1/currency-link-proposals", R"({"currency_a":)" + sols + R"(,"currency_b":)" + hours + R"(,"rate":"0.08"})", sol_admin).Code(),
            "proposal_exists");

  // Both admin teams see it; nobody else does.
  auto listed = http_->Get("/api/v1/currencies/" + sols + "/link-proposals", Bearer(sol_admin));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(http_->Get("/api/v1/currencies/" + sols + "/link-proposals", Bearer(ana_token_)).status, 403);
  EXPECT_EQ(http_->Get(path, Bearer(ana_token_)).status, 404);
  EXPECT_EQ(Post(path + "/accept", "{}", ana_token_).status, 404);
  // The proposer may not accept it; the other side may not withdraw it.
  EXPECT_EQ(Post(path + "/accept", "{}").Code(), "not_permitted");
  EXPECT_EQ(Post(path + "/withdraw", "{}", sol_admin).Code(), "not_permitted");

  // Accepted: the link is made with the proposed terms, and the proposal closed with it.
  auto accepted = Post(path + "/accept", "{}", sol_admin);
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  const auto link = accepted.Json();
  EXPECT_EQ(link.at("rate").as_string(), "12.5");
  auto closed = http_->Get(path, Bearer(admin_));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json().at("status").as_string(), "accepted");
  EXPECT_EQ(closed.Json().at("link_id").as_int64(), link.at("id").as_int64());
  EXPECT_EQ(Post(path + "/accept", "{}", sol_admin).Code(), "proposal_closed");
  EXPECT_EQ(Post(path + "/decline", "{}", sol_admin).Code(), "proposal_closed");
  EXPECT_EQ(Post("/api/v1/currency-link-proposals", offer).Code(), "link_exists");
  auto links = http_->Get("/api/v1/currencies/" + hours + "/links", Bearer(admin_));
  ASSERT_EQ(links.status, 200) << links.body;
  ASSERT_EQ(links.Json().at("items").as_array().size(), 1u);
  // The clearing account in hours may owe 2 (the proposal's limit for a).
  const auto clearing = links.Json().at("items").as_array().at(0).at("clearing_account_a").at("id").as_int64();
  auto account = http_->Get("/api/v1/accounts/" + std::to_string(clearing), Bearer(admin_));
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_EQ(account.Json().at("credit_limit").as_int64(), 2);
}

TEST_F(LedgerApiTest, ALinkProposalIsDeclinedOrWithdrawnAndThenMakesNoLink) {
  const std::string sol_admin = NewUser("sol@quartier.example");
  const std::int64_t sol_id = OtherCommunitysCurrency(sol_admin);
  ASSERT_GT(sol_id, 0);
  const std::string hours = std::to_string(currency_), sols = std::to_string(sol_id);
  const std::string offer = R"({"currency_a":)" + hours + R"(,"currency_b":)" + sols + R"(,"rate":"12.5"})";
  auto first = Post("/api/v1/currency-link-proposals", offer);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string first_path = "/api/v1/currency-link-proposals/" + std::to_string(first.Json().at("id").as_int64());
  auto declined = Post(first_path + "/decline", "{}", sol_admin);
  ASSERT_EQ(declined.status, 200) << declined.body;
  EXPECT_EQ(declined.Json().at("status").as_string(), "declined");
  EXPECT_EQ(Post(first_path + "/accept", "{}", sol_admin).Code(), "proposal_closed");
  // Declined, a new proposal may follow; withdrawn by its proposer, it cannot be accepted.
  auto second = Post("/api/v1/currency-link-proposals", offer);
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string second_path = "/api/v1/currency-link-proposals/" + std::to_string(second.Json().at("id").as_int64());
  auto withdrawn = Post(second_path + "/withdraw", "{}");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(withdrawn.Json().at("status").as_string(), "withdrawn");
  EXPECT_EQ(Post(second_path + "/accept", "{}", sol_admin).Code(), "proposal_closed");
  auto links = http_->Get("/api/v1/currencies/" + sols + "/links", Bearer(sol_admin));
  ASSERT_EQ(links.status, 200) << links.body;
  EXPECT_TRUE(links.Json().at("items").as_array().empty());
  auto listed = http_->Get("/api/v1/currencies/" + hours + "/link-proposals", Bearer(admin_));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(listed.Json().at("items").as_array().at(0).at("status").as_string(), "withdrawn");  // newest first
}

TEST_F(LedgerApiTest, AMemberPaysAMemberOfALinkedCommunityBothLegsOrNeither) {
  const std::int64_t town = CreateOrg(admin_, R"({"name":"Monnaie locale du quartier","country":"FR"})");
  auto sol = Post("/api/v1/organisations/" + std::to_string(town) + "/currencies",
                  R"({"code":"SOL","name":"Sol","unit":"sol","decimals":2,"default_credit_limit":5000,"default_upper_limit":4000})");
  ASSERT_EQ(sol.status, 201) << sol.body;
  const std::int64_t sol_id = sol.Json().at("id").as_int64();
  auto shop = Post("/api/v1/organisations/" + std::to_string(town) + "/currencies/" + std::to_string(sol_id) + "/accounts", R"({"name":"Épicerie"})");
  ASSERT_EQ(shop.status, 201) << shop.body;
  const std::int64_t shop_id = shop.Json().at("id").as_int64();

  // Only someone who administers both may link them; the rate is checked.
  const std::string body = R"({"currency_a":)" + std::to_string(currency_) + R"(,"currency_b":)" + std::to_string(sol_id) + R"(,"rate":"12.5","clearing_credit_limit_a":2,"clearing_credit_limit_b":10000})";
  EXPECT_EQ(Post("/api/v1/currency-links", body, ana_token_).status, 403);
  auto bad = Post("/api/v1/currency-links", R"({"currency_a":)" + std::to_string(currency_) + R"(,"currency_b":)" + std::to_string(sol_id) + R"(,"rate":"-2"})");
  EXPECT_EQ(bad.Fields(), (std::vector<std::string>{"/rate invalid_rate"}));
  auto link = Post("/api/v1/currency-links", body);
  ASSERT_EQ(link.status, 201) << link.body;
  const auto l = link.Json();
  const std::string pay = "/api/v1/currency-links/" + std::to_string(l.at("id").as_int64()) + "/transfers";
  EXPECT_EQ(l.at("rate").as_string(), "12.5");
  EXPECT_EQ(Post("/api/v1/currency-links", body).Code(), "link_exists");

  // 3 hours from Ana arrive as 37.50 at the shop.
  const std::string three = R"({"id":"veg-1","debit_account":)" + std::to_string(ana_) + R"(,"credit_account":)" + std::to_string(shop_id) + R"(,"amount":3,"memo":"Légumes"})";
  auto paid = Post(pay, three, ana_token_);
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(paid.Json().at("sent").at("amount").as_int64(), 3);
  EXPECT_EQ(paid.Json().at("received").at("amount").as_int64(), 3750);
  EXPECT_EQ(paid.Json().at("received").at("id").as_string(), "veg-1/b");
  EXPECT_EQ(Balance(ana_), -3);
  EXPECT_EQ(Balance(shop_id), 3750);
  auto again = Post(pay, three, ana_token_);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.Json().at("replayed").as_bool());
  EXPECT_EQ(Balance(ana_), -3);
  // 3 more hours would take the shop over its upper limit of 40.00: neither leg happens.
  auto over = Post(pay, R"({"id":"veg-2","debit_account":)" + std::to_string(ana_) + R"(,"credit_account":)" + std::to_string(shop_id) + R"(,"amount":3})", ana_token_);
  EXPECT_EQ(over.status, 409) << over.body;
  EXPECT_EQ(over.Code(), "exceeds_upper_limit");
  EXPECT_EQ(Balance(ana_), -3);
  // Not from someone else's account; not to an account outside the link; not too little to arrive.
  EXPECT_EQ(Post(pay, R"({"id":"t","debit_account":)" + std::to_string(bo_) + R"(,"credit_account":)" + std::to_string(shop_id) + R"(,"amount":1})", ana_token_).status, 403);
  EXPECT_EQ(Post(pay, R"({"id":"t","debit_account":)" + std::to_string(ana_) + R"(,"credit_account":)" + std::to_string(bo_) + R"(,"amount":1})", ana_token_).Fields(),
            (std::vector<std::string>{"/credit_account not_in_link"}));
  EXPECT_EQ(Post(pay, R"({"id":"t","debit_account":)" + std::to_string(shop_id) + R"(,"credit_account":)" + std::to_string(ana_) + R"(,"amount":1249})").Fields(),
            (std::vector<std::string>{"/amount too_small"}));
  // Back the other way, by the shop's admin: 25.00 arrive as 2 hours.
  auto back = Post(pay, R"({"id":"repair-1","debit_account":)" + std::to_string(shop_id) + R"(,"credit_account":)" + std::to_string(ana_) + R"(,"amount":2500})");
  ASSERT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(Balance(ana_), -1);
  // Priced in the shop's unit: 12.50 must arrive, Ana pays the hour it takes.
  auto exact = Post(pay, R"({"id":"bread-1","debit_account":)" + std::to_string(ana_) + R"(,"credit_account":)" + std::to_string(shop_id) + R"(,"receive_amount":1250})", ana_token_);
  ASSERT_EQ(exact.status, 201) << exact.body;
  EXPECT_EQ(exact.Json().at("sent").at("amount").as_int64(), 1);
  EXPECT_EQ(exact.Json().at("received").at("amount").as_int64(), 1250);
  EXPECT_EQ(Balance(ana_), -2);
  EXPECT_EQ(Post(pay, R"({"id":"t","debit_account":)" + std::to_string(ana_) + R"(,"credit_account":)" + std::to_string(shop_id) + R"(,"amount":1,"receive_amount":1})", ana_token_).Fields(),
            (std::vector<std::string>{"/amount required"}));
  // Both communities see the link and their positions.
  auto links = http_->Get("/api/v1/currencies/" + std::to_string(currency_) + "/links", Bearer(ana_token_));
  ASSERT_EQ(links.status, 200) << links.body;
  const auto items = links.Json().at("items");
  ASSERT_EQ(items.as_array().size(), 1u);
  EXPECT_EQ(items.at(0).at("clearing_account_a").at("balance").as_int64(), 2);
  EXPECT_EQ(items.at(0).at("clearing_account_b").at("balance").as_int64(), -2500);
  EXPECT_EQ(items.at(0).at("b").at("code").as_string(), "SOL");
}

}  // namespace
}  // namespace solidum::testing

namespace solidum::testing {
namespace {

// A correction is a reversal: the currency's admins send the amount back, once.
TEST_F(LedgerApiTest, AnAdminReversesATransferOnceAndOthersCannot) {
  ASSERT_EQ(Post("/api/v1/transfers", Pay("r1", ana_, bo_, 4, R"(,"memo":"Plumbing")"), ana_token_).status, 201);
  // Ana may not reverse her own payment: to her the transfer is not there.
  EXPECT_EQ(Post("/api/v1/reversals", R"({"reverses":"r1"})", ana_token_).status, 404);
  auto rev = Post("/api/v1/reversals", R"({"reverses":"r1","reason":"Paid twice by mistake"})");
  ASSERT_EQ(rev.status, 201) << rev.body;
  const auto t = rev.Json().at("transfer");
  EXPECT_EQ(t.at("debit_account").as_int64(), bo_);
  EXPECT_EQ(t.at("credit_account").as_int64(), ana_);
  EXPECT_EQ(t.at("amount").as_int64(), 4);
  EXPECT_EQ(t.at("memo").as_string(), "Reversal of r1: Paid twice by mistake");
  EXPECT_EQ(Balance(ana_), 0);
  EXPECT_EQ(Balance(bo_), 0);
  // Twice is once: the first reversal answered again, nothing moved.
  auto again = Post("/api/v1/reversals", R"({"reverses":"r1","reason":"Paid twice by mistake"})");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.Json().at("replayed").as_bool());
  EXPECT_EQ(Balance(ana_), 0);
  // A pending transfer moved nothing to reverse; an unknown id is not found.
  ASSERT_EQ(Post("/api/v1/transfers", Pay("p1", ana_, bo_, 2, R"(,"pending":true)"), ana_token_).status, 201);
  EXPECT_EQ(Post("/api/v1/reversals", R"({"reverses":"p1"})").Code(), "not_reversible");
  EXPECT_EQ(Post("/api/v1/reversals", R"({"reverses":"nope"})").status, 404);
  EXPECT_EQ(Post("/api/v1/reversals", R"({"reverses":""})").Fields(), (std::vector<std::string>{"/reverses required"}));
}

}  // namespace
}  // namespace solidum::testing

namespace solidum::testing {
namespace {

// A current member opens their own account; a past member or a stranger cannot.
TEST_F(LedgerApiTest, ACurrentMemberOpensTheirOwnAccount) {
  const std::string dan = NewUser("dan@timebank.example");
  const std::string eve = NewUser("eve@timebank.example");
  const std::string stranger = NewUser("stranger@elsewhere.example");
  ASSERT_EQ(Post(base_ + "/members", R"({"name":"Dan Martin","joined_on":"2026-01-01","user_email":"dan@timebank.example"})").status, 201);
  ASSERT_EQ(Post(base_ + "/members", R"({"name":"Eve","joined_on":"2020-01-01","left_on":"2021-01-01","user_email":"eve@timebank.example"})").status, 201);
  // Ana holds one already: nothing to join; Dan may join HOURS.
  EXPECT_EQ(http_->Get("/api/v1/me/joinable-currencies", Bearer(ana_token_)).Json().at("items").as_array().size(), 0u);
  auto joinable = http_->Get("/api/v1/me/joinable-currencies", Bearer(dan));
  ASSERT_EQ(joinable.status, 200) << joinable.body;
  const auto items = joinable.Json().at("items");
  ASSERT_EQ(items.as_array().size(), 1u);
  EXPECT_EQ(items.at(0).at("currency").at("code").as_string(), "HOURS");
  EXPECT_EQ(items.at(0).at("organisation_name").as_string(), "Banque du temps");

  const std::string join = "/api/v1/currencies/" + std::to_string(currency_) + "/join";
  auto opened = Post(join, "", dan);
  ASSERT_EQ(opened.status, 201) << opened.body;
  EXPECT_EQ(opened.Json().at("name").as_string(), "Dan Martin");
  EXPECT_EQ(opened.Json().at("credit_limit").as_int64(), 10);
  EXPECT_EQ(Post(join, "", dan).Code(), "account_exists");
  EXPECT_EQ(http_->Get("/api/v1/me/joinable-currencies", Bearer(dan)).Json().at("items").as_array().size(), 0u);
  auto mine = http_->Get("/api/v1/me/accounts", Bearer(dan));
  EXPECT_EQ(mine.Json().at("items").as_array().size(), 1u);
  // Eve left; the stranger never joined.
  EXPECT_EQ(Post(join, "", eve).Code(), "not_a_member");
  EXPECT_EQ(Post(join, "", stranger).status, 403);
  EXPECT_EQ(Post("/api/v1/currencies/999999/join", "", dan).status, 404);
}

}  // namespace
}  // namespace solidum::testing
