// Deterministic demo data: the same (count, seed) always gives the same register, with
// names and descriptions in the language of each organisation's place. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "registry/organisation.h"

namespace solidum::registry {

// A register with its networks: an international network; per country a national network
// and two national sector federations (housing and worker co-operatives); per region a
// regional network. Regional and sector networks are members of their national network,
// national ones of the international one; each organisation of the `count` is a member of
// its region's network (most), of its sector's federation (housing and worker co-ops),
// with roles, start dates and a few ended memberships.
struct DemoRegister {
  std::vector<Organisation> organisations;  // the networks first, then `count` others
  struct Membership {
    std::size_t member, network;  // indexes into organisations
    std::string role, start_date;
    std::optional<std::string> end_date;
  };
  std::vector<Membership> memberships;
  std::size_t networks = 0;  // how many of organisations are networks
};

DemoRegister Demo(int count, std::uint64_t seed);

}  // namespace solidum::registry
