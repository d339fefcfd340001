// Identity: users, browser sessions, API tokens and roles, kept in the Store.
// Thread-safe (each call borrows its own connection). Secrets (passwords, session and
// API tokens) go in and out of this API but are never stored in clear nor logged.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "common/text.h"
#include "common/ttl_cache.h"
#include "store/lookup_batch.h"
#include "identity/policy.h"
#include "identity/rate_limiter.h"
#include "store/store.h"

namespace solidum::identity {

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string display_name;
  bool is_platform_admin = false;
  std::string created_at;
};

// What sign-in hands back: the secret session token (goes in the cookie, once) and the
// CSRF token the browser must echo in X-CSRF-Token on unsafe requests.
struct SessionGrant {
  std::string session_token;
  std::string csrf_token;
  std::string expires_at;
  User user;
};

// Lower-cases and trims; checks the shape (local@domain, no spaces, length). Error field: `field`.
Result<std::string> NormalizeEmail(std::string_view email, std::string_view field = "/email");

class Identity {
 public:
  Identity(store::Store& store, const Clock& clock);

  // Creates a user. Errors: validation (email, password), kConflict "email_taken".
  Result<User> CreateUser(std::string_view email, std::string_view password, bool platform_admin,
                          std::string_view display_name = "");
  Result<std::optional<User>> FindUserByEmail(std::string_view email);

  // Errors: kUnauthenticated "invalid_credentials" (same answer for unknown account and wrong
  // password), kRateLimited "too_many_attempts" (message carries the wait). `address` is
  // the client's IP, for the per-address limit. Slow by design (argon2id).
  Result<SessionGrant> SignIn(std::string_view email, std::string_view password,
                              const std::string& address, int* retry_after_seconds);
  Result<void> SignOut(std::string_view session_token);

  // A new API token for the user, printed once; only its hash is kept.
  Result<std::string> CreateApiToken(std::int64_t user_id, std::string_view label);

  struct ApiTokenInfo {
    std::int64_t id = 0;
    std::string label;
    std::string created_at;
  };
  // The user's live tokens (never the secrets, which are not kept).
  Result<std::vector<ApiTokenInfo>> ListApiTokens(std::int64_t user_id);
  // Revokes one of the user's tokens. Errors: kNotFound when it is not theirs or already revoked.
  Result<void> RevokeApiToken(std::int64_t user_id, std::int64_t token_id);

  // Who holds this session cookie / bearer token, or nullopt when it is unknown, expired,
  // revoked or its user is disabled.
  Result<std::optional<Principal>> FromSession(std::string_view session_token);
  // A token found is remembered for limits::kAccessCacheMicros (it is read on every API
  // request): revoking it takes effect at once on this server, and within that time on
  // the others sharing the store.
  Result<std::optional<Principal>> FromApiToken(std::string_view token);
  // Whether FromApiToken would wait on the database: a token not in memory, on PostgreSQL.
  bool ApiTokenLookupWouldWait(std::string_view token) const;
  // FromApiToken answered to `done`: at once when it would not wait, otherwise from the
  // thread of the batched token lookup (store::LookupBatch::GetAsync), so `done` must be
  // short (hand the work on) and must not throw.
  void FromApiTokenAsync(std::string_view token, std::function<void(Result<std::optional<Principal>>)> done);

  // The user's role in an organisation (kNone when none).
  // A role found is remembered like a token (above); Grant and Revoke take effect at once
  // on this server.
  Result<Role> RoleIn(std::int64_t user_id, std::int64_t organisation_id);
  // Every role the user holds, by organisation (at most kRolesListedMax).
  Result<std::vector<std::pair<std::int64_t, Role>>> RolesOf(std::int64_t user_id);
  static constexpr int kRolesListedMax = 1000;
  // Takes effect at once when `conn` commits each statement. Inside a transaction (a new
  // organisation's first admin) the role cache is cleared before the commit; that is safe
  // because only roles held are cached, and nobody held one in an organisation being made.
  Result<void> Grant(store::Conn& conn, std::int64_t user_id, std::int64_t organisation_id, Role role);

  struct RoleHolder {
    User user;
    Role role;
  };
  Result<std::vector<RoleHolder>> ListRoles(std::int64_t organisation_id);
  // Errors: kNotFound when the user had no role there.
  Result<void> Revoke(std::int64_t user_id, std::int64_t organisation_id);

 private:
  store::Store& store_;
  const Clock& clock_;
  FailureLimiter per_account_;
  FailureLimiter per_address_;
  // PostgreSQL: concurrent requests' token lookups share one query (store::LookupBatch).
  std::unique_ptr<store::LookupBatch<std::string, Principal>> token_batch_;
  // Found tokens by hash, and roles other than none by (user, organisation).
  TtlCache<std::string, std::optional<Principal>, text::TransparentHash> tokens_;
  struct UserOrganisation {
    std::int64_t user = 0;
    std::int64_t organisation = 0;
    bool operator==(const UserOrganisation&) const = default;
  };
  struct UserOrganisationHash {
    std::size_t operator()(const UserOrganisation& k) const noexcept {
      // Unsigned: ids near 2^53 would overflow a signed product.
      return std::hash<std::uint64_t>{}(static_cast<std::uint64_t>(k.user) * 1'000'003u + static_cast<std::uint64_t>(k.organisation));
    }
  };
  TtlCache<UserOrganisation, Role, UserOrganisationHash> roles_;
};

}  // namespace solidum::identity
