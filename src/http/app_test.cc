// The dispatcher without sockets: the OpenAPI document covers every route, and every
// route is guarded by the policy. The full HTTP behaviour is in tests/api.
#include "http/app.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <set>

#include "../../tests/support/test_store.h"
#include "http_openapi_embedded.h"

namespace solidum::http {
namespace {

std::string ToOpenApiPath(const std::string& pattern) { return pattern; }  // both use {name}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::Open(solidum::testing::TestStoreUrl(dir_, "t")).value());
    ASSERT_TRUE(store_->Migrate().ok());
    identity_ = std::make_unique<identity::Identity>(*store_, clock_);
    orgs_ = std::make_unique<registry::Organisations>(*store_, *identity_, clock_);
    HttpConfig config;
    config.access_log = false;
    networks_ = std::make_unique<registry::Networks>(*store_, clock_);
    members_ = std::make_unique<governance::Members>(*store_, clock_);
    ballots_ = std::make_unique<governance::Ballots>(*store_, clock_);
    assemblies_ = std::make_unique<governance::Assemblies>(*store_, clock_, "http://localhost");
    ledger_ = std::make_unique<ledger::Ledger>(*store_, clock_);
    ASSERT_TRUE(ledger_->Start().ok());
    listings_ = std::make_unique<listings::Listings>(*store_, clock_);
    setoff_runs_ = std::make_unique<clearing::Runs>(*store_, clock_);
    link_proposals_ = std::make_unique<ledger::LinkProposals>(*store_, clock_, *ledger_);
    funds_ = std::make_unique<finance::Funds>(*store_, *ledger_);
    loans_ = std::make_unique<finance::Loans>(*store_, *ledger_, clock_);
    shares_ = std::make_unique<finance::Shares>(*store_, *ledger_, clock_);
    allocations_ = std::make_unique<finance::Allocations>(*store_, *ledger_, *shares_, clock_);
    savings_groups_ = std::make_unique<finance::SavingsGroups>(*store_, *ledger_, clock_);
    tontines_ = std::make_unique<finance::Tontines>(*store_, clock_);
    group_loans_ = std::make_unique<finance::GroupLoans>(*store_, *loans_, clock_);
    attachments_ = std::make_unique<attachments::Attachments>(*store_, clock_);
    library_ = std::make_unique<library::Library>(*store_, clock_);
    events_ = std::make_unique<events::Events>(*store_, clock_, "http://localhost");
    communities_ = std::make_unique<communities::Communities>(*store_, clock_, "http://localhost");
    app_ = std::make_unique<App>(Services{*store_, *identity_, *orgs_, *networks_, *members_, *ballots_, *assemblies_, *ledger_, *listings_, *setoff_runs_, *link_proposals_, *funds_, *loans_, *shares_, *allocations_, *savings_groups_, *tontines_, *group_loans_, *attachments_, *library_, *events_, *communities_, clock_}, config);
  }
  Response Call(std::string method, std::string target, std::string body = "",
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = std::move(method);
    r.target = target;
    EXPECT_TRUE(ParseTarget(target, r));
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.headers.emplace_back("host", "localhost");
    return app_->Handle(r);
  }
  solidum::testing::TempDir dir_;
  ManualClock clock_{1'795'440'910'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<identity::Identity> identity_;
  std::unique_ptr<registry::Organisations> orgs_;
  std::unique_ptr<registry::Networks> networks_;
  std::unique_ptr<governance::Members> members_;
  std::unique_ptr<governance::Ballots> ballots_;
  std::unique_ptr<governance::Assemblies> assemblies_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<listings::Listings> listings_;
  std::unique_ptr<clearing::Runs> setoff_runs_;
  std::unique_ptr<ledger::LinkProposals> link_proposals_;
  std::unique_ptr<finance::Funds> funds_;
  std::unique_ptr<finance::Loans> loans_;
  std::unique_ptr<finance::Shares> shares_;
  std::unique_ptr<finance::Allocations> allocations_;
  std::unique_ptr<finance::SavingsGroups> savings_groups_;
  std::unique_ptr<finance::Tontines> tontines_;
  std::unique_ptr<finance::GroupLoans> group_loans_;
  std::unique_ptr<attachments::Attachments> attachments_;
  std::unique_ptr<library::Library> library_;
  std::unique_ptr<events::Events> events_;
  std::unique_ptr<communities::Communities> communities_;
  std::unique_ptr<App> app_;
};

TEST_F(AppTest, OpenApiDocumentsEveryRouteAndNothingElse) {
  auto doc = boost::json::parse(solidum_openapi::kopenapi_json).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  std::set<std::string> documented;
  for (const auto& [path, item] : paths) {
    for (const auto& [method, op] : item.as_object()) {
      if (method != "parameters") documented.insert(Lower(std::string(method)) + " " + std::string(path));
    }
  }
  std::set<std::string> routed;
  for (const Route& r : app_->router().routes()) routed.insert(Lower(r.method) + " " + ToOpenApiPath(r.pattern));
  for (const auto& r : routed) EXPECT_TRUE(documented.contains(r)) << "route missing from docs/openapi.json: " << r;
  for (const auto& d : documented) EXPECT_TRUE(routed.contains(d)) << "documented but not routed: " << d;
}

TEST_F(AppTest, EveryUnsafeRouteRefusesAnonymousCallers) {
  for (const Route& r : app_->router().routes()) {
    if (r.method == "GET" || r.pattern == "/api/v1/auth/sign-in") continue;
    std::string path = r.pattern;
    for (auto pos = path.find('{'); pos != std::string::npos; pos = path.find('{')) {
      path.replace(pos, path.find('}', pos) - pos + 1, "1");
    }
    auto resp = Call(r.method, path, "{}", {{"content-type", "application/json"}});
    EXPECT_EQ(resp.status, 401) << r.method << " " << r.pattern;
    EXPECT_EQ(resp.content_type, "application/problem+json");
  }
}

TEST_F(AppTest, AnswersProblemsForUnknownPathsAndMethods) {
  auto nf = Call("GET", "/api/v1/nothing");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(boost::json::parse(nf.body).at("code").as_string(), "not_found");
  auto na = Call("PUT", "/api/v1/organisations");
  EXPECT_EQ(na.status, 405);
  bool allow = false;
  for (auto& [k, v] : na.headers) allow |= k == "Allow" && v == "GET, POST";
  EXPECT_TRUE(allow);
}

TEST_F(AppTest, TreatsIdsBeyondInt64AsUnknown) {
  auto r = Call("GET", "/api/v1/organisations/99999999999999999999");
  EXPECT_EQ(r.status, 404);
}

}  // namespace
}  // namespace solidum::http
