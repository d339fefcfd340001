#include "identity/identity.h"

#include "common/limits.h"
#include "common/text.h"
#include "identity/secrets.h"

namespace solidum::identity {

using store::Conn;
using store::Null;
using store::Value;

namespace {
constexpr std::string_view kSessionPrefix = "sess_";
constexpr std::string_view kTokenPrefix = "sol_";

User UserFromRow(const store::Row& r) {
  return User{r.Int(0), r.Text(1), r.OptText(2).value_or(""), r.Int(3) != 0, r.Text(4)};
}
constexpr std::string_view kUserColumns = "id, email, display_name, is_platform_admin, created_at";
}  // namespace

Result<std::string> NormalizeEmail(std::string_view email, std::string_view field) {
  std::string f(field);
  if (!text::IsValidUtf8(email)) return Error::Invalid(f, "invalid_utf8", "The email is not valid UTF-8.");
  std::string e = text::AsciiLower(text::Trim(email));
  if (e.empty()) return Error::Invalid(f, "required", "An email address is required.");
  if (e.size() > limits::kEmailBytesMax) return Error::Invalid(f, "too_long", "The email address is too long.");
  auto at = e.find('@');
  bool shape_ok = at != std::string::npos && at > 0 && at + 1 < e.size() &&
                  e.find('@', at + 1) == std::string::npos;
  for (unsigned char c : e) {
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',' || c == ';') shape_ok = false;
  }
  if (!shape_ok) return Error::Invalid(f, "invalid_email", "This is not an email address.");
  return e;
}

Identity::Identity(store::Store& store, const Clock& clock)
    : store_(store),
      clock_(clock),
      per_account_(clock, limits::kSignInFailuresPerAccountMax, limits::kSignInWindowSeconds),
      per_address_(clock, limits::kSignInFailuresPerAddressMax, limits::kSignInWindowSeconds),
      tokens_(clock, limits::kAccessCacheMicros, limits::kAccessCacheEntriesMax),
      roles_(clock, limits::kAccessCacheMicros, limits::kAccessCacheEntriesMax) {
  if (store.backend() != store::Backend::kPostgres) return;  // in-process SQLite: no round trip to save
  token_batch_ = std::make_unique<store::LookupBatch<std::string, Principal>>(
      [this](std::span<const std::string> hashes) -> Result<std::vector<std::optional<Principal>>> {
        auto conn = store_.Acquire();
        SOLIDUM_ASSIGN_OR_RETURN(
            auto rows, conn->Query("SELECT k.i, u.id, u.email, u.is_platform_admin FROM unnest(?::text[]) WITH ORDINALITY AS k(h, i) "
                                   "JOIN api_tokens t ON t.token_hash = k.h JOIN users u ON u.id = t.user_id "
                                   "WHERE t.revoked_at IS NULL AND u.disabled_at IS NULL",
                                   {store::PgArray(hashes)}));
        std::vector<std::optional<Principal>> out(hashes.size());
        for (const auto& r : rows) {
          out.at(static_cast<std::size_t>(r.Int(0) - 1)) = Principal{r.Int(1), r.Text(2), r.Int(3) != 0, Principal::Via::kToken, ""};
        }
        return out;
      });
}

Result<User> Identity::CreateUser(std::string_view email, std::string_view password, bool platform_admin,
                                  std::string_view display_name) {
  SOLIDUM_ASSIGN_OR_RETURN(std::string norm, NormalizeEmail(email));
  SOLIDUM_TRY(ValidatePassword(password));
  std::string name(text::Trim(display_name));
  if (!text::IsValidUtf8(name) || text::HasControlChars(name) || text::CodePointCount(name) > limits::kNameCharsMax) {
    return Error::Invalid("/display_name", "invalid", "The display name is not valid.");
  }
  SOLIDUM_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  std::string now = FormatTimestamp(clock_.NowMicros());
  auto conn = store_.Acquire();
  auto rows = conn->Query(
      "INSERT INTO users (email, display_name, password_hash, is_platform_admin, created_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      {norm, name.empty() ? Value(Null{}) : Value(name), hash, std::int64_t{platform_admin ? 1 : 0}, now});
  if (!rows.ok()) {
    if (rows.error().kind == ErrorKind::kConflict) {
      Error e = Error::Make(ErrorKind::kConflict, "email_taken", "A user with this email exists.");
      e.fields.push_back({"/email", "taken", "A user with this email exists."});
      return e;
    }
    return std::move(rows).error();
  }
  return User{rows->at(0).Int(0), norm, name, platform_admin, now};
}

Result<std::optional<User>> Identity::FindUserByEmail(std::string_view email) {
  SOLIDUM_ASSIGN_OR_RETURN(std::string norm, NormalizeEmail(email));
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string("SELECT ") + std::string(kUserColumns) +
                                                        " FROM users WHERE email = ? AND disabled_at IS NULL",
                                                    {norm}));
  if (!row) return std::optional<User>();
  return std::optional<User>(UserFromRow(*row));
}

Result<SessionGrant> Identity::SignIn(std::string_view email, std::string_view password,
                                      const std::string& address, int* retry_after_seconds) {
  auto invalid = [] {
    return Error::Make(ErrorKind::kUnauthenticated, "invalid_credentials", "The email or password is wrong.");
  };
  auto norm = NormalizeEmail(email);
  std::string account_key = norm.ok() ? *norm : std::string(email.substr(0, limits::kEmailBytesMax));
  int wait = std::max(per_account_.RetryAfterSeconds(account_key), per_address_.RetryAfterSeconds(address));
  if (wait > 0) {
    if (retry_after_seconds) *retry_after_seconds = wait;
    return Error::Make(ErrorKind::kRateLimited, "too_many_attempts",
                       "Too many failed sign-ins. Try again in " + std::to_string(wait) + " seconds.");
  }
  if (!norm.ok() || password.size() > limits::kPasswordBytesMax) {
    per_address_.RecordFailure(address);
    return invalid();
  }
  std::optional<store::Row> row;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(row, conn->QueryOne(std::string("SELECT ") + std::string(kUserColumns) +
                                                     ", password_hash FROM users "
                                                     "WHERE email = ? AND disabled_at IS NULL",
                                                 {*norm}));
  }
  bool ok = false;
  if (row) {
    ok = VerifyPassword(row->Text(5), password);
  } else {
    VerifyDummyPassword(password);
  }
  if (!ok) {
    per_account_.RecordFailure(account_key);
    per_address_.RecordFailure(address);
    return invalid();
  }
  per_account_.Reset(account_key);

  SessionGrant grant;
  grant.user = UserFromRow(*row);
  grant.session_token = NewSecret(kSessionPrefix);
  grant.csrf_token = NewSecret("");
  std::int64_t now = clock_.NowMicros();
  grant.expires_at = FormatTimestamp(now + std::int64_t{limits::kSessionLifetimeHours} * 3600 * 1'000'000);
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      {HashSecret(grant.session_token), grant.user.id, grant.csrf_token, FormatTimestamp(now), grant.expires_at}));
  return grant;
}

Result<void> Identity::SignOut(std::string_view session_token) {
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("DELETE FROM sessions WHERE token_hash = ?", {HashSecret(session_token)}));
  return Ok();
}

Result<std::string> Identity::CreateApiToken(std::int64_t user_id, std::string_view label) {
  std::string l(text::Trim(label));
  if (!text::IsValidUtf8(l) || text::HasControlChars(l) || text::CodePointCount(l) > limits::kNameCharsMax) {
    return Error::Invalid("/label", "invalid", "The label is not valid.");
  }
  std::string token = NewSecret(kTokenPrefix);
  auto conn = store_.Acquire();
  SOLIDUM_TRY(conn->Exec("INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?)",
                         {user_id, HashSecret(token), l, FormatTimestamp(clock_.NowMicros())}));
  return token;
}

Result<std::vector<Identity::ApiTokenInfo>> Identity::ListApiTokens(std::int64_t user_id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT id, label, created_at FROM api_tokens "
                                                  "WHERE user_id = ? AND revoked_at IS NULL ORDER BY id",
                                                  {user_id}));
  std::vector<ApiTokenInfo> out;
  for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2)});
  return out;
}

Result<void> Identity::RevokeApiToken(std::int64_t user_id, std::int64_t token_id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto n, conn->Exec("UPDATE api_tokens SET revoked_at = ? "
                                              "WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                                              {FormatTimestamp(clock_.NowMicros()), token_id, user_id}));
  if (n == 0) return Error::NotFound("No such token.");
  tokens_.Clear();  // after the change is committed (TtlCache's contract)
  return Ok();
}

Result<std::optional<Principal>> Identity::FromSession(std::string_view session_token) {
  if (!session_token.starts_with(kSessionPrefix)) return std::optional<Principal>();
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(
      auto row, conn->QueryOne("SELECT u.id, u.email, u.is_platform_admin, s.csrf_token FROM sessions s "
                               "JOIN users u ON u.id = s.user_id "
                               "WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
                               {HashSecret(session_token), FormatTimestamp(clock_.NowMicros())}));
  if (!row) return std::optional<Principal>();
  return std::optional<Principal>(
      Principal{row->Int(0), row->Text(1), row->Int(2) != 0, Principal::Via::kSession, row->Text(3)});
}

Result<std::optional<Principal>> Identity::FromApiToken(std::string_view token) {
  if (!token.starts_with(kTokenPrefix)) return std::optional<Principal>();
  const std::string hash = HashSecret(token);
  auto load = [&]() -> Result<std::optional<Principal>> {
    if (token_batch_) return token_batch_->Get(hash);
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(
        auto row, conn->QueryOne("SELECT u.id, u.email, u.is_platform_admin FROM api_tokens t "
                                 "JOIN users u ON u.id = t.user_id "
                                 "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
                                 {hash}));
    if (!row) return std::optional<Principal>();
    return std::optional<Principal>(Principal{row->Int(0), row->Text(1), row->Int(2) != 0, Principal::Via::kToken, ""});
  };
  // Unknown tokens are not remembered.
  return tokens_.GetOrLoad(hash, load, [](const std::optional<Principal>& p) { return p.has_value(); });
}

bool Identity::ApiTokenLookupWouldWait(std::string_view token) const {
  return token_batch_ && token.starts_with(kTokenPrefix) && !tokens_.Get(HashSecret(token));
}

void Identity::FromApiTokenAsync(std::string_view token, std::function<void(Result<std::optional<Principal>>)> done) {
  if (!ApiTokenLookupWouldWait(token)) {
    done(FromApiToken(token));
    return;
  }
  std::string hash = HashSecret(token);
  const auto ticket = tokens_.Take();  // before the lookup: a revocation meanwhile wins
  token_batch_->GetAsync(hash, [this, hash, ticket, done = std::move(done)](Result<std::optional<Principal>> p) {
    if (p.ok() && p->has_value()) tokens_.Put(hash, *p, ticket);  // unknown tokens are not remembered
    done(std::move(p));
  });
}

Result<Role> Identity::RoleIn(std::int64_t user_id, std::int64_t organisation_id) {
  auto load = [&]() -> Result<Role> {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto row,
                             conn->QueryOne("SELECT role FROM organisation_roles WHERE user_id = ? AND organisation_id = ?",
                                            {user_id, organisation_id}));
    return row ? ParseRole(row->Text(0)).value_or(Role::kNone) : Role::kNone;
  };
  // Only roles held: "none" is what a stranger probing gets, and a grant must show at once.
  return roles_.GetOrLoad(UserOrganisation{user_id, organisation_id}, load, [](Role r) { return r != Role::kNone; });
}

Result<std::vector<std::pair<std::int64_t, Role>>> Identity::RolesOf(std::int64_t user_id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT organisation_id, role FROM organisation_roles WHERE user_id = ? "
                                                  "ORDER BY organisation_id LIMIT " + std::to_string(kRolesListedMax),
                                                  {user_id}));
  std::vector<std::pair<std::int64_t, Role>> out;
  for (const auto& r : rows) out.emplace_back(r.Int(0), ParseRole(r.Text(1)).value_or(Role::kNone));
  return out;
}

Result<void> Identity::Grant(Conn& conn, std::int64_t user_id, std::int64_t organisation_id, Role role) {
  SOLIDUM_TRY(conn.Exec(
      "INSERT INTO organisation_roles (organisation_id, user_id, role, granted_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = excluded.role, granted_at = excluded.granted_at",
      {organisation_id, user_id, std::string(RoleName(role)), FormatTimestamp(clock_.NowMicros())}));
  roles_.Clear();
  return Ok();
}

Result<std::vector<Identity::RoleHolder>> Identity::ListRoles(std::int64_t organisation_id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows, conn->Query("SELECT u.id, u.email, u.display_name, u.is_platform_admin, u.created_at, r.role "
                             "FROM organisation_roles r JOIN users u ON u.id = r.user_id "
                             "WHERE r.organisation_id = ? ORDER BY u.email",
                             {organisation_id}));
  std::vector<RoleHolder> out;
  for (const auto& row : rows) out.push_back({UserFromRow(row), ParseRole(row.Text(5)).value_or(Role::kNone)});
  return out;
}

Result<void> Identity::Revoke(std::int64_t user_id, std::int64_t organisation_id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto n, conn->Exec("DELETE FROM organisation_roles WHERE user_id = ? AND organisation_id = ?",
                                              {user_id, organisation_id}));
  if (n == 0) return Error::NotFound("This user has no role here.");
  roles_.Clear();  // after the change is committed (TtlCache's contract)
  return Ok();
}

}  // namespace solidum::identity
