// Password hashing (argon2id) and random secrets (session cookies, API tokens, CSRF tokens),
// through libsodium. Nothing here logs; callers must not log secrets either.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace solidum::identity {

// Checks the password policy: kPasswordBytesMin..Max characters, valid UTF-8.
// The error names field `field`.
Result<void> ValidatePassword(std::string_view password, std::string_view field = "/password");

// argon2id with libsodium's "interactive" cost (64 MiB, 2 passes): ~50-100 ms and 64 MiB
// per call, so callers run it off the network threads. Answers libsodium's encoded string.
Result<std::string> HashPassword(std::string_view password);

// Constant-time with respect to the password. False for a malformed hash.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// Spends the same time as a real verification, for unknown accounts (no timing oracle).
void VerifyDummyPassword(std::string_view password);

// A new random secret: `prefix` + 43 base64url characters (256 bits).
std::string NewSecret(std::string_view prefix);

// The hex BLAKE2b-256 of a secret: what the store keeps instead of the secret.
std::string HashSecret(std::string_view secret);

// Constant-time string equality.
bool SecretEquals(std::string_view a, std::string_view b);

}  // namespace solidum::identity
