// Deterministic demo data: the same (count, seed) always gives the same register, with
// names and descriptions in the language of each organisation's place. Pure.
#pragma once

#include <cstdint>
#include <vector>

#include "registry/organisation.h"

namespace solidum::registry {

std::vector<Organisation> DemoOrganisations(int count, std::uint64_t seed);

}  // namespace solidum::registry
