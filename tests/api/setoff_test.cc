// Set-off runs through the real server: a network's admins upload obligations, read the
// run and its firms, and download the remaining obligations, which clear to nothing more;
// others are kept out, and a bad file is refused with its line named, nothing stored.
#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

class SetOffApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    admin_ = NewUser("admin@reseau.example");
    network_ = CreateOrg(admin_, R"({"name":"Réseau des entreprises solidaires","country":"FR"})");
    runs_ = "/api/v1/organisations/" + std::to_string(network_) + "/setoff-runs";
  }
  HttpResponse Upload(const std::string& title, const std::string& csv, const std::string& token = "") {
    return http_->Send("POST", runs_ + "?title=" + title, csv, Headers{{"Authorization", "Bearer " + (token.empty() ? admin_ : token)},
                                                                      {"Content-Type", "text/csv"}});
  }
  std::string admin_, runs_;
  std::int64_t network_ = 0;
};

const std::string kCsv =
    "id,debtor,creditor,amount,due\n"
    "F-1,Café Crème,Boulangerie,100,2026-12-01\n"
    "F-2,Boulangerie,\"Menuiserie, Fils\",80,\n"
    "F-3,\"Menuiserie, Fils\",Café Crème,120,2026-12-15\n"
    "F-4,Imprimerie,Librairie,50,\n"
    "F-5,Librairie,Imprimerie,30,\n";

TEST_F(SetOffApiTest, ANetworkRunsASetOffAndDownloadsWhatIsLeft) {
  auto created = Upload("November%20invoices", kCsv);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto run = created.Json();
  EXPECT_EQ(run.at("title").as_string(), "November invoices");
  EXPECT_EQ(run.at("obligations").as_int64(), 5);
  EXPECT_EQ(run.at("firms").as_int64(), 5);
  EXPECT_EQ(run.at("total").as_int64(), 380);
  EXPECT_EQ(run.at("nid").as_int64(), 60);
  EXPECT_EQ(run.at("cleared").as_int64(), 300);
  EXPECT_EQ(run.at("remaining").as_int64(), 80);
  const std::string at = runs_ + "/" + std::to_string(run.at("id").as_int64());
  EXPECT_EQ(created.Header("location"), at);

  auto got = http_->Get(at, Bearer(admin_));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json().at("cleared").as_int64(), 300);
  auto list = http_->Get(runs_, Bearer(admin_));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().at("total").as_int64(), 1);

  auto firms = http_->Get(at + "/firms?q=cafe&limit=5", Bearer(admin_));
  ASSERT_EQ(firms.status, 200) << firms.body;
  const auto found = firms.Json();
  ASSERT_EQ(found.at("total").as_int64(), 1);
  const auto& cafe = found.at("items").at(0);
  EXPECT_EQ(cafe.at("name").as_string(), "Café Crème");
  EXPECT_EQ(cafe.at("set_off").as_int64(), 80);
  EXPECT_EQ(cafe.at("owes_after").as_int64(), 20);
  EXPECT_EQ(cafe.at("owed_after").as_int64(), 40);
  EXPECT_EQ(cafe.at("net_position").as_int64(), 20);

  // What is left, in the input's own format: the same names (quoted where needed), ids and
  // due dates; cleared again, it cancels nothing more.
  auto remaining = http_->Get(at + "/remaining.csv", Bearer(admin_));
  ASSERT_EQ(remaining.status, 200) << remaining.body;
  EXPECT_NE(remaining.Header("content-type").find("text/csv"), std::string::npos);
  EXPECT_EQ(remaining.body,
            "debtor,creditor,amount,id,due\n"
            "Café Crème,Boulangerie,20,F-1,2026-12-01\n"
            "\"Menuiserie, Fils\",Café Crème,40,F-3,2026-12-15\n"
            "Imprimerie,Librairie,20,F-4,\n");
  auto again = Upload("What%20was%20left", remaining.body);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Json().at("cleared").as_int64(), 0);
  EXPECT_EQ(again.Json().at("total").as_int64(), 80);

  auto firms_csv = http_->Get(at + "/firms.csv", Bearer(admin_));
  ASSERT_EQ(firms_csv.status, 200) << firms_csv.body;
  EXPECT_EQ(firms_csv.body.substr(0, firms_csv.body.find('\n')), "firm,owes,owed,set_off,owes_after,owed_after,net_position");
  EXPECT_NE(firms_csv.body.find("\nCafé Crème,100,120,80,20,40,20\n"), std::string::npos);
}

TEST_F(SetOffApiTest, OnlyTheNetworksAdminsRunAndReadIt) {
  auto created = Upload("Mine", kCsv);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string at = runs_ + "/" + std::to_string(created.Json().at("id").as_int64());
  const std::string stranger = NewUser("someone@else.example");
  EXPECT_EQ(Upload("Theirs", kCsv, stranger).status, 403);
  for (const std::string& path : {runs_, at, at + "/firms", at + "/remaining.csv", at + "/firms.csv"}) {
    EXPECT_EQ(http_->Get(path, Bearer(stranger)).status, 403) << path;
    EXPECT_EQ(http_->Get(path).status, 401) << path;
  }
  // A run of one network is not reached through another's path.
  const std::int64_t other = CreateOrg(stranger, R"({"name":"Autre réseau","country":"FR"})");
  const std::string through = "/api/v1/organisations/" + std::to_string(other) + "/setoff-runs/" + std::to_string(created.Json().at("id").as_int64());
  EXPECT_EQ(http_->Get(through, Bearer(stranger)).status, 404);
  EXPECT_EQ(http_->Get(through + "/remaining.csv", Bearer(stranger)).status, 404);
}

TEST_F(SetOffApiTest, ABadFileIsRefusedWithItsLineAndNothingIsStored) {
  auto negative = Upload("Bad", "debtor,creditor,amount\nA,B,10\nB,C,-4\n");
  EXPECT_EQ(negative.status, 400) << negative.body;
  EXPECT_EQ(negative.Fields(), (std::vector<std::string>{"line 3 invalid_obligations"}));
  auto overflow = Upload("Bad", "debtor,creditor,amount\nA,B,99999999999999999999\n");
  EXPECT_EQ(overflow.status, 400) << overflow.body;
  EXPECT_EQ(overflow.Fields(), (std::vector<std::string>{"line 2 invalid_obligations"}));
  auto columns = Upload("Bad", "debtor,creditor,amount,colour\nA,B,10,red\n");
  EXPECT_EQ(columns.status, 400) << columns.body;
  EXPECT_EQ(Upload("", kCsv).Fields(), (std::vector<std::string>{"/title invalid"}));
  EXPECT_EQ(Upload("Empty", "").status, 400);
  EXPECT_EQ(http_->Get(runs_ + "?sort=up", Bearer(admin_)).Fields(), (std::vector<std::string>{"?sort unknown_parameter"}));
  EXPECT_EQ(CountRows("setoff_runs"), 0);
  EXPECT_EQ(CountRows("setoff_obligations"), 0);
}

TEST_F(SetOffApiTest, ARunIsPostedIntoTheNetworksCurrencyOnceBalancesUnchanged) {
  auto created = Upload("November", kCsv);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string at = runs_ + "/" + std::to_string(created.Json().at("id").as_int64());
  auto currency = http_->SendJson("POST", "/api/v1/organisations/" + std::to_string(network_) + "/currencies",
                                  R"({"code":"BARTER","name":"Circuit","unit":"credit","decimals":2,"default_credit_limit":0})", Bearer(admin_));
  ASSERT_EQ(currency.status, 201) << currency.body;
  const std::int64_t cid = currency.Json().at("id").as_int64();
  const std::string body = R"({"currency_id":)" + std::to_string(cid) + "}";
  // No accounts yet: nothing is posted, the missing firms are named.
  auto missing = http_->SendJson("POST", at + "/postings", body, Bearer(admin_));
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(missing.Fields(), (std::vector<std::string>{"/currency_id firms_without_accounts"}));
  for (const char* name : {"Café Crème", "Boulangerie", "Menuiserie, Fils", "Imprimerie", "Librairie"}) {
    auto a = http_->SendJson("POST", "/api/v1/organisations/" + std::to_string(network_) + "/currencies/" + std::to_string(cid) + "/accounts",
                             std::string(R"({"name":")") + name + R"("})", Bearer(admin_));
    ASSERT_EQ(a.status, 201) << a.body;
  }
  auto posted = http_->SendJson("POST", at + "/postings", body, Bearer(admin_));
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.Json().at("firms").as_int64(), 5);
  EXPECT_EQ(posted.Json().at("posted").as_int64(), 5);
  auto again = http_->SendJson("POST", at + "/postings", body, Bearer(admin_));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json().at("replayed").as_int64(), 5);
  EXPECT_EQ(again.Json().at("posted").as_int64(), 0);
  EXPECT_EQ(CountRows("transfers"), 10);
  // Someone else may not post it.
  const std::string stranger = NewUser("poster@else.example");
  EXPECT_EQ(http_->SendJson("POST", at + "/postings", body, Bearer(stranger)).status, 403);
}

}  // namespace
}  // namespace solidum::testing

