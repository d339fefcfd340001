#include "identity/policy.h"

namespace solidum::identity {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kEditor: return "editor";
    case Role::kMember: return "member";
    case Role::kNone: return "none";
  }
  return "none";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "editor") return Role::kEditor;
  if (name == "member") return Role::kMember;
  return std::nullopt;
}

bool IsOrganisationScoped(Action action) {
  switch (action) {
    case Action::kOrganisationUpdate:
    case Action::kOrganisationDelete:
    case Action::kOrganisationManageRoles:
    case Action::kOrganisationRelate:
    case Action::kNetworkManageMembers:
    case Action::kNetworkFollowUp:
    case Action::kNetworkImport:
    case Action::kMembersRead:
    case Action::kMembersManage:
    case Action::kGovernanceAdmin:
    case Action::kLedgerAdmin:
    case Action::kClearingAdmin:
      return true;
    default:
      return false;
  }
}

Decision Authorize(const Principal& who, Action action, Role role) {
  if (action == Action::kAnyone) return Decision::kAllow;
  if (!who.authenticated()) return Decision::kUnauthenticated;
  if (who.is_platform_admin) return Decision::kAllow;
  auto allow_if = [](bool ok) { return ok ? Decision::kAllow : Decision::kForbidden; };
  switch (action) {
    case Action::kAnyone:
    case Action::kSignedIn:
    case Action::kOrganisationCreate:  // the creator becomes its first admin
      return Decision::kAllow;
    case Action::kPlatformAdmin:
      return Decision::kForbidden;
    case Action::kOrganisationUpdate:
    case Action::kOrganisationRelate:
    case Action::kNetworkManageMembers:
    case Action::kNetworkFollowUp:
    case Action::kMembersRead:
    case Action::kMembersManage:
      return allow_if(role >= Role::kEditor);
    case Action::kOrganisationDelete:
    case Action::kOrganisationManageRoles:
    case Action::kNetworkImport:
    case Action::kGovernanceAdmin:
    case Action::kLedgerAdmin:
    case Action::kClearingAdmin:
      return allow_if(role >= Role::kAdmin);
  }
  return Decision::kForbidden;
}

}  // namespace solidum::identity
