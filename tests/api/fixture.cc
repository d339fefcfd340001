#include "fixture.h"

#include <iostream>

#include "store/store.h"

namespace solidum::testing {

void ApiTest::SetUp() {
  server_ = std::make_unique<ServerProcess>();
  http_ = std::make_unique<HttpClient>(server_->port());
}

void ApiTest::TearDown() {
  if (HasFailure() && server_) std::cerr << "--- the server's output ---\n" << server_->Output() << "---\n";
}

std::string ApiTest::NewUser(const std::string& email, bool admin) {
  std::vector<std::string> args = {"--db", server_->db_url(), "user", "add", email, "--password-stdin"};
  if (admin) args.push_back("--admin");
  std::string out, err;
  EXPECT_EQ(RunCli(args, std::string(kPassword) + "\n", &out, &err), 0) << err;
  EXPECT_EQ(RunCli({"--db", server_->db_url(), "token", "create", email}, "", &out, &err), 0) << err;
  // The command prints the token and nothing else.
  EXPECT_EQ(out.find('\n'), out.size() - 1);
  return out.substr(0, out.size() - 1);
}

std::int64_t ApiTest::CreateOrg(const std::string& token, const std::string& json) {
  auto r = http_->SendJson("POST", "/api/v1/organisations", json, Bearer(token));
  EXPECT_EQ(r.status, 201) << r.body;
  if (r.status != 201) return 0;
  return r.Json().at("id").as_int64();
}

std::int64_t ApiTest::CountRows(const std::string& table) {
  auto store = store::Open(server_->db_url());
  EXPECT_TRUE(store.ok());
  auto conn = (*store)->Acquire();
  auto row = conn->QueryOne("SELECT COUNT(*) FROM " + table, {});
  EXPECT_TRUE(row.ok());
  return (*row)->Int(0);
}

}  // namespace solidum::testing
