// The ledger: batches of 8,000 transfers between 10,000 accounts, as in issue 6's batch
// target. BM_ApplyBatches: the engine alone (ledger::Book, in memory). BM_DurableBatches:
// the service (ledger::Ledger) on a SQLite file in $TMPDIR (or the empty database in
// $SOLIDUM_LEDGER_BENCH_DB, one benchmark at a time), each batch committed (fsync)
// before the next is sent, one client; /0 with time-ordered ids (as UUID version 7 or
// ULID), /1 with random ones (UUID version 4). Google Benchmark; items/s = transfers per second.
// Deterministic: seed 6.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "common/clock.h"
#include "ledger/book.h"
#include "ledger/ledger.h"
#include "store/store.h"

namespace solidum::ledger {
namespace {

constexpr int kAccounts = 10'000, kBatch = 8'000;

void BM_ApplyBatches(benchmark::State& state) {
  Book book;
  for (int i = 1; i <= kAccounts; ++i) {
    Account a;
    a.id = i;
    a.currency = 1;
    a.credit_limit = 1'000'000'000;
    book.Put(a);
  }
  std::mt19937_64 rng(6);
  std::int64_t next = 0;
  const Known none;  // every id is new
  std::vector<TransferRequest> batch(kBatch);
  for (auto _ : state) {
    state.PauseTiming();
    for (auto& t : batch) {
      t.id = "t" + std::to_string(next++);
      t.debit_account = 1 + static_cast<std::int64_t>(rng() % kAccounts);
      t.credit_account = 1 + static_cast<std::int64_t>((t.debit_account + rng() % (kAccounts - 1)) % kAccounts);
      t.amount = 1 + static_cast<std::int64_t>(rng() % 10'000);
    }
    state.ResumeTiming();
    auto out = book.Apply(batch, none, 1);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_ApplyBatches)->Unit(benchmark::kMillisecond);

void BM_DurableBatches(benchmark::State& state) {
  const bool random_ids = state.range(0) != 0;
  const auto dir = std::filesystem::temp_directory_path() / ("ledger_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    // SOLIDUM_LEDGER_BENCH_DB: another store (an empty PostgreSQL database) instead.
    const char* other = std::getenv("SOLIDUM_LEDGER_BENCH_DB");
    auto store = store::Open(other && *other ? std::string(other) : "sqlite:" + (dir / "ledger.db").string());
    if (!store.ok() || !(*store)->Migrate().ok()) {
      state.SkipWithError("cannot open the store");
      return;
    }
    {
      auto conn = (*store)->Acquire();
      (void)conn->Exec("INSERT INTO organisations (name, created_at, updated_at) VALUES ('Bench', 'x', 'x')", {});
    }
    Ledger ledger(**store, SystemClock::Instance());
    (void)ledger.Start();
    static int run = 0;  // Google Benchmark calls this more than once; a store given from outside keeps its rows
    auto currency = ledger.CreateCurrency(1, CurrencyInput{"BENCH-" + std::to_string(run++), "Bench", "unit", 2, 1'000'000'000, std::nullopt});
    if (!currency.ok()) {
      state.SkipWithError(currency.error().message.c_str());
      return;
    }
    std::vector<std::int64_t> ids;
    for (int i = 0; i < kAccounts; ++i) {
      ids.push_back(ledger.OpenAccount(currency->id, AccountInput{std::nullopt, "A" + std::to_string(i), std::nullopt, std::nullopt, false})->state.id);
    }
    std::mt19937_64 rng(6);
    std::int64_t next = 0;
    std::vector<TransferRequest> batch(kBatch);
    for (auto _ : state) {
      state.PauseTiming();
      for (auto& t : batch) {
        char hex[40];
        if (random_ids) {  // UUID version 4: anywhere in the id index
          std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng()));
        } else {  // UUID version 7 / ULID: a time prefix (here a counter), then random bits
          std::snprintf(hex, sizeof hex, "%012llx%020llx", static_cast<unsigned long long>(next++),
                        static_cast<unsigned long long>(rng() >> 8));
        }
        t.id = hex;
        const std::size_t d = rng() % kAccounts;
        t.debit_account = ids[d];
        t.credit_account = ids[(d + 1 + rng() % (kAccounts - 1)) % kAccounts];
        t.amount = 1 + static_cast<std::int64_t>(rng() % 10'000);
      }
      state.ResumeTiming();
      auto out = ledger.Transfer(batch);
      if (!out.ok()) state.SkipWithError(out.error().message.c_str());
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DurableBatches)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace solidum::ledger

BENCHMARK_MAIN();
