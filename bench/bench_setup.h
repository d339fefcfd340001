// Shared by the benchmarks' setup tools (ballot_bench_setup, ledger_bench_setup): a
// migrated store and one demo organisation in it. Exits with a message on failure.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "common/clock.h"
#include "identity/identity.h"
#include "registry/demo.h"
#include "registry/organisations.h"
#include "store/store.h"

namespace solidum::bench {

inline std::unique_ptr<store::Store> OpenMigrated(const char* url) {
  auto store = store::Open(url);
  if (!store.ok()) std::fprintf(stderr, "%s\n", store.error().message.c_str()), std::exit(1);
  if (auto m = (*store)->Migrate(); !m.ok()) std::fprintf(stderr, "%s\n", m.error().message.c_str()), std::exit(1);
  return std::move(store).value();
}

inline std::int64_t DemoOrganisation(store::Store& store, identity::Identity& identity, const Clock& clock) {
  registry::Organisations orgs(store, identity, clock);
  auto ids = orgs.CreateMany(registry::Demo(1, 1).organisations);
  if (!ids.ok()) std::fprintf(stderr, "%s\n", ids.error().message.c_str()), std::exit(1);
  return ids->at(0);
}

}  // namespace solidum::bench
