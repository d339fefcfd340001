// The fixture of every API test: a real `solidum serve` on a fresh database, users made
// with the real CLI (`solidum user add`, `solidum token create`), and an HTTP client.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http_client.h"
#include "server_process.h"
#include "test_store.h"

namespace solidum::testing {

inline constexpr const char* kPassword = "a long enough password";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // On a failure, prints what the server wrote (its errors explain most failures).
  void TearDown() override;

  // Creates a user through the CLI and answers a bearer token for it.
  std::string NewUser(const std::string& email, bool admin = false);
  static Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  // POSTs an organisation as `token`; asserts 201 and answers its id.
  std::int64_t CreateOrg(const std::string& token, const std::string& json);
  // Live organisations, counted in the database itself.
  std::int64_t CountRows(const std::string& table);

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> http_;
};

}  // namespace solidum::testing
