#include "identity/identity.h"

#include <gtest/gtest.h>

#include "../../tests/support/test_store.h"
#include "common/limits.h"

namespace solidum::identity {
namespace {

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::Open(solidum::testing::TestStoreUrl(dir_, "t")).value());
    ASSERT_TRUE(store_->Migrate().ok());
    identity_ = std::make_unique<Identity>(*store_, clock_);
  }
  solidum::testing::TempDir dir_;
  ManualClock clock_{1'795'440'910'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Identity> identity_;
};

TEST(Email, IsNormalisedAndChecked) {
  EXPECT_EQ(*NormalizeEmail("  Ana@Coop.Example "), "ana@coop.example");
  EXPECT_FALSE(NormalizeEmail("").ok());
  EXPECT_FALSE(NormalizeEmail("no-at-sign").ok());
  EXPECT_FALSE(NormalizeEmail("a@b@c").ok());
  EXPECT_FALSE(NormalizeEmail("a b@c.d").ok());
  EXPECT_FALSE(NormalizeEmail(std::string(300, 'a') + "@x.y").ok());
}

TEST_F(IdentityTest, CreatesUsersOncePerEmail) {
  auto u = identity_->CreateUser("Ana@Coop.Example", "a long password", false);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->email, "ana@coop.example");
  auto dup = identity_->CreateUser("ana@coop.example", "another long one", false);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "email_taken");
}

TEST_F(IdentityTest, SignsInWithTheRightPasswordOnly) {
  ASSERT_TRUE(identity_->CreateUser("ana@coop.example", "a long password", false).ok());
  int wait = 0;
  auto bad = identity_->SignIn("ana@coop.example", "wrong password", "10.0.0.1", &wait);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_credentials");
  auto unknown = identity_->SignIn("bob@coop.example", "wrong password", "10.0.0.1", &wait);
  EXPECT_EQ(unknown.error().code, "invalid_credentials");

  auto good = identity_->SignIn("ANA@coop.example", "a long password", "10.0.0.1", &wait);
  ASSERT_TRUE(good.ok());
  auto who = identity_->FromSession(good->session_token);
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(who->has_value());
  EXPECT_EQ((*who)->email, "ana@coop.example");
  EXPECT_EQ((*who)->csrf_token, good->csrf_token);

  // The store never holds the session token itself.
  auto conn = store_->Acquire();
  auto leaked = conn->QueryOne("SELECT 1 FROM sessions WHERE token_hash = ?", {good->session_token});
  EXPECT_FALSE(leaked->has_value());
}

TEST_F(IdentityTest, SessionsExpireAndEndAtSignOut) {
  ASSERT_TRUE(identity_->CreateUser("ana@coop.example", "a long password", false).ok());
  auto g = identity_->SignIn("ana@coop.example", "a long password", "a", nullptr);
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(identity_->SignOut(g->session_token).ok());
  EXPECT_FALSE(identity_->FromSession(g->session_token)->has_value());

  auto g2 = identity_->SignIn("ana@coop.example", "a long password", "a", nullptr);
  clock_.Advance(std::int64_t{13} * 3600 * 1'000'000);
  EXPECT_FALSE(identity_->FromSession(g2->session_token)->has_value());
}

TEST_F(IdentityTest, LimitsFailedSignInsPerAccount) {
  ASSERT_TRUE(identity_->CreateUser("ana@coop.example", "a long password", false).ok());
  for (int i = 0; i < 5; ++i) {
    (void)identity_->SignIn("ana@coop.example", "nope nope nope", "addr-" + std::to_string(i), nullptr);
  }
  int wait = 0;
  auto blocked = identity_->SignIn("ana@coop.example", "a long password", "fresh-addr", &wait);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, "too_many_attempts");
  EXPECT_GT(wait, 0);
  clock_.Advance(std::int64_t{16} * 60 * 1'000'000);
  EXPECT_TRUE(identity_->SignIn("ana@coop.example", "a long password", "fresh-addr", &wait).ok());
}

TEST_F(IdentityTest, LimitsFailedSignInsPerAddress) {
  ASSERT_TRUE(identity_->CreateUser("ana@coop.example", "a long password", false).ok());
  // Spraying many accounts from one address trips the per-address limit...
  for (int i = 0; i < 20; ++i) {
    (void)identity_->SignIn("user" + std::to_string(i) + "@coop.example", "guess guess", "203.0.113.9", nullptr);
  }
  int wait = 0;
  auto blocked = identity_->SignIn("ana@coop.example", "a long password", "203.0.113.9", &wait);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, "too_many_attempts");
  // ...but not for the account's owner elsewhere.
  EXPECT_TRUE(identity_->SignIn("ana@coop.example", "a long password", "198.51.100.7", &wait).ok());
}

TEST_F(IdentityTest, ApiTokensIdentifyTheirUser) {
  auto u = identity_->CreateUser("ana@coop.example", "a long password", true);
  auto token = identity_->CreateApiToken(u->id, "script");
  ASSERT_TRUE(token.ok());
  auto who = identity_->FromApiToken(*token);
  ASSERT_TRUE(who->has_value());
  EXPECT_TRUE((*who)->is_platform_admin);
  EXPECT_FALSE(identity_->FromApiToken("sol_forged")->has_value());
  EXPECT_FALSE(identity_->FromApiToken(token->substr(0, token->size() - 1))->has_value());
}

// Tokens and roles are remembered for limits::kAccessCacheMicros (they are read on every
// request). A change made through this Identity shows at once; one made through another
// server's (another Identity on the same store) shows within that time, never later.
TEST_F(IdentityTest, ARevokedTokenIsRefusedAtOnceHereAndWithinTheCacheTimeElsewhere) {
  Identity other_server(*store_, clock_);
  auto u = identity_->CreateUser("ana@coop.example", "a long password", false);
  auto token = identity_->CreateApiToken(u->id, "script");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(identity_->FromApiToken(*token)->has_value());  // remembered by both
  ASSERT_TRUE(other_server.FromApiToken(*token)->has_value());
  auto tokens = identity_->ListApiTokens(u->id);
  ASSERT_EQ(tokens->size(), 1u);
  ASSERT_TRUE(identity_->RevokeApiToken(u->id, (*tokens)[0].id).ok());
  EXPECT_FALSE(identity_->FromApiToken(*token)->has_value());
  clock_.Advance(limits::kAccessCacheMicros - 1);
  EXPECT_TRUE(other_server.FromApiToken(*token)->has_value());
  clock_.Advance(1);
  EXPECT_FALSE(other_server.FromApiToken(*token)->has_value());
}

TEST_F(IdentityTest, RolesGrantedAndRevokedShowAtOnceHereAndWithinTheCacheTimeElsewhere) {
  Identity other_server(*store_, clock_);
  auto u = identity_->CreateUser("ana@coop.example", "a long password", false);
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn->Exec("INSERT INTO organisations (id, name, created_at, updated_at) VALUES (7, 'Coop', 'x', 'x')").ok());
  EXPECT_EQ(*identity_->RoleIn(u->id, 7), Role::kNone);
  EXPECT_EQ(*other_server.RoleIn(u->id, 7), Role::kNone);
  ASSERT_TRUE(identity_->Grant(*conn, u->id, 7, Role::kAdmin).ok());
  EXPECT_EQ(*identity_->RoleIn(u->id, 7), Role::kAdmin);
  EXPECT_EQ(*other_server.RoleIn(u->id, 7), Role::kAdmin);  // "none" is never remembered
  ASSERT_TRUE(identity_->Grant(*conn, u->id, 7, Role::kMember).ok());
  EXPECT_EQ(*identity_->RoleIn(u->id, 7), Role::kMember);
  EXPECT_EQ(*other_server.RoleIn(u->id, 7), Role::kAdmin);
  clock_.Advance(limits::kAccessCacheMicros);
  EXPECT_EQ(*other_server.RoleIn(u->id, 7), Role::kMember);
  ASSERT_TRUE(identity_->Revoke(u->id, 7).ok());
  EXPECT_EQ(*identity_->RoleIn(u->id, 7), Role::kNone);
  EXPECT_EQ(*other_server.RoleIn(u->id, 7), Role::kMember);
  clock_.Advance(limits::kAccessCacheMicros);
  EXPECT_EQ(*other_server.RoleIn(u->id, 7), Role::kNone);
}

}  // namespace
}  // namespace solidum::identity
