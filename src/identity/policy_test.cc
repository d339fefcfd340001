#include "identity/policy.h"

#include <gtest/gtest.h>

namespace solidum::identity {
namespace {

Principal User(bool admin = false) { return Principal{7, "a@b.c", admin, Principal::Via::kToken, ""}; }

TEST(Policy, AnyoneReadsPublicData) {
  EXPECT_EQ(Authorize(Principal{}, Action::kAnyone), Decision::kAllow);
}

TEST(Policy, AnonymousWritesNeedSignIn) {
  for (Action a : {Action::kSignedIn, Action::kOrganisationCreate, Action::kOrganisationUpdate,
                   Action::kOrganisationDelete, Action::kOrganisationManageRoles, Action::kPlatformAdmin,
                   Action::kOrganisationRelate, Action::kNetworkManageMembers, Action::kNetworkFollowUp}) {
    EXPECT_EQ(Authorize(Principal{}, a, Role::kAdmin), Decision::kUnauthenticated);
  }
}

TEST(Policy, OrganisationRolesGateChanges) {
  EXPECT_EQ(Authorize(User(), Action::kOrganisationUpdate, Role::kNone), Decision::kForbidden);
  EXPECT_EQ(Authorize(User(), Action::kOrganisationUpdate, Role::kMember), Decision::kForbidden);
  EXPECT_EQ(Authorize(User(), Action::kOrganisationUpdate, Role::kEditor), Decision::kAllow);
  EXPECT_EQ(Authorize(User(), Action::kOrganisationDelete, Role::kEditor), Decision::kForbidden);
  EXPECT_EQ(Authorize(User(), Action::kOrganisationDelete, Role::kAdmin), Decision::kAllow);
  EXPECT_EQ(Authorize(User(), Action::kOrganisationManageRoles, Role::kEditor), Decision::kForbidden);
  EXPECT_EQ(Authorize(User(), Action::kNetworkImport, Role::kEditor), Decision::kForbidden);
  EXPECT_EQ(Authorize(User(), Action::kNetworkImport, Role::kAdmin), Decision::kAllow);
  EXPECT_EQ(Authorize(User(), Action::kOrganisationCreate), Decision::kAllow);
  for (Action a : {Action::kOrganisationRelate, Action::kNetworkManageMembers, Action::kNetworkFollowUp}) {
    EXPECT_TRUE(IsOrganisationScoped(a));
    EXPECT_EQ(Authorize(User(), a, Role::kMember), Decision::kForbidden);
    EXPECT_EQ(Authorize(User(), a, Role::kEditor), Decision::kAllow);
  }
}

TEST(Policy, PlatformAdminMayDoAnything) {
  EXPECT_EQ(Authorize(User(), Action::kPlatformAdmin), Decision::kForbidden);
  EXPECT_EQ(Authorize(User(true), Action::kPlatformAdmin), Decision::kAllow);
  EXPECT_EQ(Authorize(User(true), Action::kOrganisationDelete, Role::kNone), Decision::kAllow);
}

TEST(Policy, RolesRoundTripThroughNames) {
  for (Role r : {Role::kAdmin, Role::kEditor, Role::kMember}) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("owner"));
}

}  // namespace
}  // namespace solidum::identity
