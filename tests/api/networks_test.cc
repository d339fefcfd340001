// Networks over HTTP: memberships recorded by networks, nesting, the network filter and
// facet, follow-up for the network's staff, declared relationships, the map and portraits.
#include <boost/json.hpp>

#include <ctime>
#include <fstream>
#include <iterator>
#include <set>

#include "fixture.h"

namespace solidum::testing {
namespace {

std::string Today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

class NetworksApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    staff_ = NewUser("staff@network.example");
    coop_ = NewUser("ana@coop.example");
    national_ = CreateOrg(staff_, R"({"name":"National SSE Network","network_scope":"national","country":"FR"})");
    regional_ = CreateOrg(staff_, R"({"name":"Regional Network","network_scope":"regional","country":"FR",
                                     "latitude":45.7,"longitude":4.8,"legal_form":"OS20"})");
    bakery_ = CreateOrg(coop_, R"({"name":"Boulangerie","country":"FR","latitude":45.76,"longitude":4.84,
                                  "legal_form":"OS60","members":12,"workers":4,"counts_year":2010})");
    garage_ = CreateOrg(coop_, R"({"name":"Garage solidaire","country":"FR","locality":"Lyon","legal_form":"OS60",
                                  "latitude":45.75,"longitude":4.85,"primary_activity":"ICA10","website":"https://g.example",
                                  "description":"Repairs","members":3})");
  }
  std::string Members(std::int64_t network) { return "/api/v1/networks/" + std::to_string(network) + "/members"; }
  HttpResponse AddMember(const std::string& token, std::int64_t network, std::int64_t org, const std::string& extra = "") {
    return http_->SendJson("POST", Members(network), R"({"organisation_id":)" + std::to_string(org) + extra + "}",
                           Bearer(token));
  }
  std::set<std::int64_t> Found(const std::string& query) {
    auto r = http_->Get("/api/v1/organisations?limit=100&" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::int64_t> ids;
    auto json = r.Json();
    for (const auto& item : json.at("items").as_array()) ids.insert(item.at("id").as_int64());
    return ids;
  }

  std::string staff_, coop_;
  std::int64_t national_ = 0, regional_ = 0, bakery_ = 0, garage_ = 0;
};

TEST_F(NetworksApiTest, NetworksNestAndTheFilterFollowsThem) {
  ASSERT_EQ(AddMember(staff_, national_, regional_, R"(,"role":"founding","start_date":"2001-05-01")").status, 201);
  auto r = AddMember(staff_, regional_, bakery_, R"(,"role":"full")");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json().at("current").as_bool(), true);
  EXPECT_FALSE(r.Header("etag").empty());
  ASSERT_EQ(AddMember(staff_, national_, garage_).status, 201);

  EXPECT_EQ(Found("network=" + std::to_string(regional_)), (std::set<std::int64_t>{bakery_}));
  EXPECT_EQ(Found("network=" + std::to_string(national_)), (std::set<std::int64_t>{regional_, bakery_, garage_}))
      << "members of member networks are in the national network too";
  EXPECT_EQ(Found("network_scope=regional,national"), (std::set<std::int64_t>{national_, regional_}));
  auto facets = http_->Get("/api/v1/organisations?limit=1").Json().at("facets");
  std::map<std::string, std::int64_t> networks;
  for (const auto& v : facets.at("network").as_array()) networks[std::string(v.at("value").as_string())] = v.at("count").as_int64();
  EXPECT_EQ(networks[std::to_string(national_)], 3);
  EXPECT_EQ(networks[std::to_string(regional_)], 1);

  // The public list: direct members only.
  auto list = http_->Get(Members(national_));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().at("total").as_int64(), 2);

  // A cycle, a non-network, itself, twice, an unknown role or organisation: refused.
  EXPECT_EQ(AddMember(staff_, regional_, national_).Code(), "cycle");
  EXPECT_EQ(AddMember(coop_, bakery_, garage_).Code(), "not_a_network");
  EXPECT_EQ(AddMember(staff_, regional_, regional_).Fields(), std::vector<std::string>{"/organisation_id same_organisation"});
  EXPECT_EQ(AddMember(staff_, regional_, bakery_).Code(), "already_member");
  EXPECT_EQ(AddMember(staff_, regional_, garage_, R"(,"role":"boss")").Fields(), std::vector<std::string>{"/role unknown_term"});
  EXPECT_EQ(AddMember(staff_, regional_, 999999).Fields(), std::vector<std::string>{"/organisation_id unknown_organisation"});
  EXPECT_EQ(AddMember(staff_, regional_, garage_, R"(,"start_date":"2024-02-30")").Fields(),
            std::vector<std::string>{"/start_date invalid_date"});
  EXPECT_EQ(AddMember(staff_, regional_, garage_, R"(,"start_date":"2024-02-01","end_date":"2024-01-01")").Fields(),
            std::vector<std::string>{"/end_date before_start"});
  EXPECT_EQ(CountRows("relationships"), 3);
}

TEST_F(NetworksApiTest, OnlyTheNetworksEditorsRecordMembersAndSeeTheFollowUp) {
  EXPECT_EQ(AddMember("", regional_, bakery_).status, 401);
  EXPECT_EQ(AddMember(coop_, regional_, bakery_).status, 403) << "a member cannot enrol itself";
  ASSERT_EQ(AddMember(staff_, regional_, bakery_).status, 201);
  ASSERT_EQ(AddMember(staff_, regional_, garage_).status, 201);
  std::string follow = "/api/v1/networks/" + std::to_string(regional_) + "/follow-up";
  EXPECT_EQ(http_->Get(follow).status, 401);
  EXPECT_EQ(http_->Get(follow, Bearer(coop_)).status, 403);
  auto r = http_->Get(follow, Bearer(staff_));
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = r.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  // Least recently updated first: the bakery was created before the garage.
  EXPECT_EQ(items[0].at("organisation").at("id").as_int64(), bakery_);
  std::set<std::string> missing;
  for (const auto& m : items[0].at("missing").as_array()) missing.insert(std::string(m.as_string()));
  EXPECT_EQ(missing, (std::set<std::string>{"locality", "activity", "contact", "description"}));
  EXPECT_TRUE(items[0].at("counts_stale").as_bool()) << "headcounts of 2010";
  EXPECT_TRUE(items[1].at("missing").as_array().empty());
  EXPECT_TRUE(items[1].at("counts_stale").as_bool()) << "headcounts without a year";
  EXPECT_FALSE(http_->Get(Members(regional_)).Json().at("items").as_array()[0].as_object().contains("missing"))
      << "the public list has no follow-up data";
}

TEST_F(NetworksApiTest, EndingAMembershipKeepsItAsHistory) {
  auto added = AddMember(staff_, regional_, bakery_, R"(,"start_date":"2015-01-01")");
  ASSERT_EQ(added.status, 201);
  std::string path = Members(regional_) + "/" + std::to_string(added.Json().at("id").as_int64());
  auto stale = http_->SendJson("PATCH", path, R"({"end_date":")" + Today() + R"("})",
                               {{"Authorization", "Bearer " + staff_}, {"If-Match", "\"v9\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(http_->SendJson("PATCH", path, R"({"end_date":"2016-01-01"})", Bearer(staff_)).status, 428);
  auto ended = http_->SendJson("PATCH", path, R"({"end_date":")" + Today() + R"("})",
                               {{"Authorization", "Bearer " + staff_}, {"If-Match", added.Header("etag")}});
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_FALSE(ended.Json().at("current").as_bool()) << "the end date is the first day it no longer holds";
  EXPECT_TRUE(Found("network=" + std::to_string(regional_)).empty());
  EXPECT_EQ(http_->Get(Members(regional_) + "?status=past").Json().at("total").as_int64(), 1);
  EXPECT_EQ(http_->Get(Members(regional_)).Json().at("total").as_int64(), 0);
  // Coming back is a new membership; the old one stays.
  ASSERT_EQ(AddMember(staff_, regional_, bakery_).status, 201);
  EXPECT_EQ(http_->Get(Members(regional_) + "?status=all").Json().at("total").as_int64(), 2);
  EXPECT_EQ(Found("network=" + std::to_string(regional_)), (std::set<std::int64_t>{bakery_}));
  // A network deleted: its members are in no network of that id any more.
  auto del = http_->Send("DELETE", "/api/v1/organisations/" + std::to_string(regional_), "",
                         {{"Authorization", "Bearer " + staff_},
                          {"If-Match", http_->Get("/api/v1/organisations/" + std::to_string(regional_)).Header("etag")}});
  ASSERT_EQ(del.status, 204);
  EXPECT_TRUE(Found("network=" + std::to_string(regional_)).empty());
}

TEST_F(NetworksApiTest, OrganisationsDeclareTheirOtherRelationships) {
  std::string path = "/api/v1/organisations/" + std::to_string(bakery_) + "/relationships";
  std::string body = R"({"kind":"supplier_of","object_id":)" + std::to_string(garage_) + R"(,"start_date":"2020-03-01"})";
  EXPECT_EQ(http_->SendJson("POST", path, body, Bearer(staff_)).status, 403);
  auto r = http_->SendJson("POST", path, body, Bearer(coop_));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(http_->SendJson("POST", path, body, Bearer(coop_)).Code(), "already_related");
  EXPECT_EQ(http_->SendJson("POST", path, R"({"kind":"member_of","object_id":)" + std::to_string(regional_) + "}",
                            Bearer(coop_)).Fields(),
            std::vector<std::string>{"/kind use_network_members"});
  EXPECT_EQ(http_->SendJson("POST", path, R"({"kind":"friend_of","object_id":)" + std::to_string(garage_) + "}",
                            Bearer(coop_)).Fields(),
            std::vector<std::string>{"/kind unknown_term"});
  EXPECT_EQ(http_->SendJson("POST", path, R"({"kind":"partner_of","object_id":1,"role":"full"})", Bearer(coop_)).Fields(),
            std::vector<std::string>{"/role unknown_field"});
  // Both sides see it.
  auto theirs = http_->Get("/api/v1/organisations/" + std::to_string(garage_) + "/relationships");
  ASSERT_EQ(theirs.status, 200);
  ASSERT_EQ(theirs.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(theirs.Json().at("items").as_array()[0].at("subject").at("name").as_string(), "Boulangerie");
  // Only its subject changes it: through another organisation's path it does not exist.
  std::int64_t rid = r.Json().at("id").as_int64();
  auto elsewhere = http_->SendJson("PATCH", "/api/v1/organisations/" + std::to_string(garage_) + "/relationships/" +
                                                std::to_string(rid),
                                   R"({"note":"x"})", {{"Authorization", "Bearer " + coop_}, {"If-Match", "\"v1\""}});
  EXPECT_EQ(elsewhere.status, 404);
  auto gone = http_->Send("DELETE", path + "/" + std::to_string(rid), "",
                          {{"Authorization", "Bearer " + coop_}, {"If-Match", r.Header("etag")}});
  EXPECT_EQ(gone.status, 204);
  EXPECT_TRUE(http_->Get(path).Json().at("items").as_array().empty());
}

TEST_F(NetworksApiTest, TheMapAndPortraitsTakeTheSearchFilters) {
  ASSERT_EQ(AddMember(staff_, regional_, bakery_).status, 201);
  ASSERT_EQ(AddMember(staff_, regional_, garage_).status, 201);
  auto map = http_->Get("/api/v1/organisations/map?legal_form=OS60");
  ASSERT_EQ(map.status, 200) << map.body;
  auto m = map.Json();
  EXPECT_EQ(m.at("total").as_int64(), 2);
  EXPECT_EQ(m.at("legal_forms").as_array(), boost::json::array{"OS60"});
  EXPECT_EQ(m.at("lat").as_array().size(), 2u);
  EXPECT_EQ(m.at("lon").as_array()[0].as_double(), 4.84);
  EXPECT_EQ(m.at("legal_form").as_array()[1].as_int64(), 0);
  EXPECT_EQ(http_->Get("/api/v1/organisations/map?bbox=0,0,1,1").Json().at("total").as_int64(), 0);

  auto p = http_->Get("/api/v1/portraits?group_by=network&legal_form=OS60");
  ASSERT_EQ(p.status, 200) << p.body;
  auto groups = p.Json().at("groups").as_array();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].at("group").as_string(), std::to_string(regional_));
  EXPECT_EQ(groups[0].at("organisations").as_int64(), 2);
  EXPECT_EQ(groups[0].at("members").as_int64(), 15);
  EXPECT_EQ(groups[0].at("workers").as_int64(), 4);
  EXPECT_EQ(groups[0].at("workers_reported").as_int64(), 1);
  EXPECT_EQ(http_->Get("/api/v1/portraits?group_by=colour").Fields(), std::vector<std::string>{"?group_by unknown_term"});
  EXPECT_EQ(http_->Get("/api/v1/portraits").Fields(), std::vector<std::string>{"?group_by required"});
  EXPECT_EQ(http_->Get("/api/v1/portraits?group_by=year&bbox=x").Fields(), std::vector<std::string>{"?bbox invalid_bbox"});
}

TEST_F(NetworksApiTest, NetworkAdminsImportFilesAsTheirMembers) {
  std::string ica;
  {
    std::ifstream in(std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/registry/ica-youth-coops.csv", std::ios::binary);
    ica.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string path = "/api/v1/networks/" + std::to_string(regional_) + "/imports";
  EXPECT_EQ(http_->Send("POST", path + "?format=csv", ica, Bearer(coop_)).status, 403);
  EXPECT_EQ(http_->Send("POST", path + "?format=csv", ica).status, 401);
  EXPECT_EQ(http_->Send("POST", path, ica, Bearer(staff_)).Fields(), std::vector<std::string>{"?format required"});
  EXPECT_EQ(http_->Send("POST", path + "?format=xls", ica, Bearer(staff_)).Fields(), std::vector<std::string>{"?format unknown_term"});
  auto r = http_->Send("POST", path + "?format=csv&map=Type%3Dlegal_form", ica, {{"Authorization", "Bearer " + staff_},
                                                                                  {"Content-Type", "text/csv"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j.at("read").as_int64(), 97);
  EXPECT_EQ(j.at("created").as_int64(), 97);
  EXPECT_EQ(j.at("members_added").as_int64(), 97);
  EXPECT_TRUE(j.at("rejected").as_array().empty());
  EXPECT_FALSE(j.at("warnings").as_array().empty()) << "types the legal forms do not name are reported";
  EXPECT_EQ(j.at("warnings").as_array()[0].at("line").as_int64() > 1, true);
  EXPECT_EQ(http_->Get(Members(regional_)).Json().at("total").as_int64(), 97);
  EXPECT_EQ(Found("network=" + std::to_string(regional_) + "&legal_form=OS100").size(), 18u)
      << "the 18 rows of type \"Multi-stakeholder cooperative\", the English label of OS100";
  // Again: nothing new, nobody added twice.
  auto again = http_->Send("POST", path + "?format=csv&map=Type%3Dlegal_form", ica, Bearer(staff_));
  EXPECT_EQ(again.Json().at("unchanged").as_int64(), 97);
  EXPECT_EQ(again.Json().at("members_added").as_int64(), 0);

  // Garbage and oversize files: clear refusals, nothing stored.
  std::string garbage;
  for (int i = 0; i < 200000; ++i) garbage.push_back(static_cast<char>((i * 7919 + 13) % 256));
  auto bad = http_->Send("POST", path + "?format=geojson", garbage, Bearer(staff_));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Code(), "not_utf8");
  auto huge = http_->Raw("POST " + path + "?format=csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + staff_ +
                         "\r\nContent-Length: 52428800\r\n\r\nName\n");
  EXPECT_EQ(huge.status, 413);
  EXPECT_NE(huge.body.find("33554432"), std::string::npos) << huge.body;
  EXPECT_EQ(CountRows("organisations"), 4 + 97);
}

}  // namespace
}  // namespace solidum::testing
