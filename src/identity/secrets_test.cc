#include "identity/secrets.h"

#include <gtest/gtest.h>

namespace solidum::identity {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_EQ(h->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse batterx"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
}

TEST(Password, SaltsEveryHash) {
  EXPECT_NE(*HashPassword("same password"), *HashPassword("same password"));
}

TEST(Password, EnforcesThePolicy) {
  EXPECT_FALSE(ValidatePassword("short").ok());
  EXPECT_EQ(ValidatePassword("short").error().fields.at(0).code, "too_short");
  EXPECT_FALSE(ValidatePassword(std::string(2000, 'a')).ok());
  EXPECT_FALSE(ValidatePassword("bad \xFF utf-8 here").ok());
  EXPECT_TRUE(ValidatePassword("ten chars!").ok());
  // Counted in characters, not bytes: 9 two-byte characters are too short.
  EXPECT_FALSE(ValidatePassword("ééééééééé").ok());
}

TEST(Secrets, AreRandomPrefixedAndHashed) {
  auto a = NewSecret("sol_");
  auto b = NewSecret("sol_");
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("sol_"));
  EXPECT_EQ(a.size(), 4u + 43u);
  EXPECT_EQ(HashSecret(a).size(), 64u);
  EXPECT_EQ(HashSecret(a), HashSecret(a));
  EXPECT_NE(HashSecret(a), HashSecret(b));
  EXPECT_TRUE(SecretEquals(a, a));
  EXPECT_FALSE(SecretEquals(a, b));
  EXPECT_FALSE(SecretEquals(a, a.substr(1)));
}

}  // namespace
}  // namespace solidum::identity
