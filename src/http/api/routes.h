// The API's routes, one file per concept. Handlers are thin: parse and validate input,
// call the concept's library, shape the JSON. Adding a route means adding it to
// docs/openapi.json as well (a test checks the two agree).
#pragma once

#include "http/router.h"

namespace solidum::http::api {

void RegisterSystem(Router& router);
void RegisterAuth(Router& router);
void RegisterOrganisations(Router& router);
void RegisterNetworks(Router& router);
void RegisterTallies(Router& router);
void RegisterMembers(Router& router);
void RegisterBallots(Router& router);
void RegisterAssemblies(Router& router);
void RegisterLedger(Router& router);
void RegisterListings(Router& router);
void RegisterSetOff(Router& router);
void RegisterTrade(Router& router);
void RegisterFinance(Router& router);
void RegisterLoans(Router& router);
void RegisterShares(Router& router);
void RegisterSurplus(Router& router);
void RegisterGroups(Router& router);
void RegisterLibrary(Router& router);
void RegisterEvents(Router& router);
void RegisterCommunities(Router& router);

inline void RegisterAll(Router& router) {
  RegisterSystem(router);
  RegisterAuth(router);
  RegisterOrganisations(router);
  RegisterNetworks(router);
  RegisterTallies(router);
  RegisterMembers(router);
  RegisterBallots(router);
  RegisterAssemblies(router);
  RegisterLedger(router);
  RegisterListings(router);
  RegisterSetOff(router);
  RegisterTrade(router);
  RegisterFinance(router);
  RegisterLoans(router);
  RegisterShares(router);
  RegisterSurplus(router);
  RegisterGroups(router);
  RegisterLibrary(router);
  RegisterEvents(router);
  RegisterCommunities(router);
}

}  // namespace solidum::http::api
