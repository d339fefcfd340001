// The ledger's engine alone (ledger::Book, no store): batches of 8,000 transfers between
// 10,000 accounts, as in issue 6's batch target (the durable figure, with the store, is
// measured by the writer's benchmark). Google Benchmark; items/s = transfers per second.
// Deterministic: seed 6.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "ledger/book.h"

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

}  // namespace
}  // namespace solidum::ledger

BENCHMARK_MAIN();
