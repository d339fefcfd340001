// The authorization policy: the one place that says who may do what. Every HTTP route
// names the Action it performs (http/router.h); the dispatcher asks Authorize() before
// the handler runs, so no endpoint can forget to check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace solidum::identity {

// A role in one organisation or network, in increasing order of power.
enum class Role { kNone = 0, kMember = 1, kEditor = 2, kAdmin = 3 };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);  // "admin" | "editor" | "member"

// Who is asking. Anonymous when user_id is empty.
struct Principal {
  std::optional<std::int64_t> user_id;
  std::string email;
  bool is_platform_admin = false;
  enum class Via { kNone, kSession, kToken } via = Via::kNone;
  std::string csrf_token;  // for session principals: what unsafe requests must echo

  bool authenticated() const { return user_id.has_value(); }
};

enum class Action {
  kAnyone,                  // public data and sign-in: anyone, signed in or not
  kSignedIn,                 // anything a signed-in user does for themself
  kPlatformAdmin,            // platform administration
  kOrganisationCreate,
  kOrganisationUpdate,
  kOrganisationDelete,
  kOrganisationManageRoles,
  kOrganisationRelate,       // declare its relationships (supplier of, partner of, ...)
  kNetworkManageMembers,     // a network's members: add, change dates and role, remove
  kNetworkFollowUp,          // a network's view of its members' records (last update, gaps)
  kNetworkImport,            // import open data into the register as the network's members
  kMembersRead,              // an organisation's member register (personal data)
  kMembersManage,            // register members, change them, import a register
  kGovernanceAdmin,          // member classes (colleges) and, next, assemblies and elections
  kLedgerAdmin,              // the organisation's currencies: create them, open accounts, see every account
  kClearingAdmin,            // a network's set-off runs: the obligations between its firms, cleared and reported
};

// True when the action is about one organisation, so the caller's role there matters.
bool IsOrganisationScoped(Action action);

enum class Decision {
  kAllow,
  kUnauthenticated,  // sign in first (401)
  kForbidden,        // signed in, but not allowed (403)
};

// `role` is the principal's role in the target organisation (kNone when not scoped).
Decision Authorize(const Principal& who, Action action, Role role = Role::kNone);

}  // namespace solidum::identity
