// Issue 7's targets on the solidarity-finance engines, with Google Benchmark:
//  - schedules: instalments computed per second (24 monthly instalments, equal
//    instalments at 7.5 %, the common micro-credit loan; also with a year's grace, and
//    equal principal);
//  - a portfolio report (outstanding, arrears, PAR30/90) over 1,000,000 loans of 24
//    instalments with their repayments: every loan's position on a day, then Summarise;
//  - the year-end surplus allocation of a co-operative of 7,000,000 members.
// Deterministic data (seed 2026). Run by bench/finance.sh, never by ctest.
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "finance/schedule.h"
#include "finance/servicing.h"
#include "finance/surplus.h"

namespace solidum::finance {
namespace {

using namespace std::chrono;

Terms Loan(std::int64_t principal, Method method, int grace) {
  Terms t;
  t.principal = principal;
  t.annual_rate_ppm = 75'000;
  t.method = method;
  t.period = Period::kMonthly;
  t.instalments = 24;
  t.grace_principal = grace;
  t.first_due = year_month_day{year{2026}, month{1}, day{31}};
  return t;
}

void BM_Schedule(benchmark::State& state, Method method, int grace) {
  std::int64_t instalments = 0;
  std::int64_t principal = 100'000;
  for (auto _ : state) {
    auto s = ComputeSchedule(Loan(principal, method, grace));
    instalments += static_cast<std::int64_t>(s->instalments.size());
    principal = principal % 5'000'000 + 137;  // a different loan each time
    benchmark::DoNotOptimize(s);
  }
  state.counters["instalments/s"] = benchmark::Counter(static_cast<double>(instalments), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Schedule, equal_instalments, Method::kEqualInstalments, 0);
BENCHMARK_CAPTURE(BM_Schedule, equal_instalments_grace12, Method::kEqualInstalments, 12);
BENCHMARK_CAPTURE(BM_Schedule, equal_principal, Method::kEqualPrincipal, 0);

// A million loans disbursed over two years, each 24 monthly instalments; most borrowers pay
// on time, some late, some stop paying, a few are written off.
struct Book {
  std::vector<std::int64_t> disbursed;
  std::vector<std::vector<Due>> dues;
  std::vector<std::vector<Repayment>> repayments;
  std::vector<std::optional<year_month_day>> written_off;
};

const Book& Million() {
  static const Book book = [] {
    Book b;
    constexpr int kLoans = 1'000'000;
    std::mt19937_64 rng(2026);
    std::uniform_int_distribution<std::int64_t> amount(50'000, 2'000'000);
    std::uniform_int_distribution<int> start(0, 729);
    std::uniform_real_distribution<double> kind(0, 1);
    std::uniform_int_distribution<int> delay(0, 45);
    const sys_days origin = sys_days(year{2024} / 1 / 1);
    const sys_days as_of = sys_days(year{2026} / 1 / 1);
    b.disbursed.reserve(kLoans);
    b.dues.reserve(kLoans);
    b.repayments.reserve(kLoans);
    b.written_off.reserve(kLoans);
    for (int i = 0; i < kLoans; ++i) {
      Terms t = Loan(amount(rng), Method::kEqualInstalments, 0);
      const sys_days disbursed_on = origin + days(start(rng));
      t.first_due = year_month_day(disbursed_on + days(30));
      const Schedule s = *ComputeSchedule(t);
      std::vector<Due> dues;
      dues.reserve(s.instalments.size());
      for (const Instalment& in : s.instalments) dues.push_back(Due{in.due, in.principal, in.interest, 0});
      const double k = kind(rng);
      const int stops_after = k < 0.85 ? 24 : k < 0.95 ? 12 : 4;  // 85 % pay, 10 % stop at a year, 5 % early
      const int late = k < 0.6 ? 0 : delay(rng);
      std::vector<Repayment> paid;
      for (int n = 0; n < stops_after; ++n) {
        const sys_days on = sys_days(dues[static_cast<std::size_t>(n)].due) + days(late);
        if (on > as_of) break;
        paid.push_back(Repayment{year_month_day(on), dues[static_cast<std::size_t>(n)].principal + dues[static_cast<std::size_t>(n)].interest});
      }
      std::optional<year_month_day> off;
      if (k > 0.99) off = year_month_day(as_of - days(10));
      b.disbursed.push_back(t.principal);
      b.dues.push_back(std::move(dues));
      b.repayments.push_back(std::move(paid));
      b.written_off.push_back(off);
    }
    return b;
  }();
  return book;
}

void BM_PortfolioReport(benchmark::State& state) {
  const Book& b = Million();
  const year_month_day as_of{year{2026}, month{1}, day{1}};
  const std::size_t threads = static_cast<std::size_t>(state.range(0));
  Portfolio p;
  for (auto _ : state) {
    const std::size_t n = b.dues.size();
    std::vector<Portfolio> parts(threads);
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        const std::size_t from = n * t / threads, to = n * (t + 1) / threads;
        for (std::size_t i = from; i < to; ++i) parts[t].Add(b.disbursed[i], *Position(b.dues[i], b.repayments[i], b.written_off[i], as_of));
      });
    }
    for (auto& th : pool) th.join();
    p = Portfolio{};
    for (const Portfolio& part : parts) p.Add(part);
    p.Finish();
    benchmark::DoNotOptimize(p);
  }
  state.counters["loans"] = static_cast<double>(p.loans);
  state.counters["PAR30_bp"] = static_cast<double>(p.par30_bp);
  state.counters["PAR90_bp"] = static_cast<double>(p.par90_bp);
}
BENCHMARK(BM_PortfolioReport)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_Surplus(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  std::vector<SurplusMember> members;
  members.reserve(n);
  std::mt19937_64 rng(2026);
  std::uniform_int_distribution<std::int64_t> capital(1'000, 500'000);  // paid-up shares
  std::uniform_int_distribution<std::int64_t> use(0, 2'000'000);        // purchases over the year, cents
  for (std::size_t i = 0; i < n; ++i) members.push_back(SurplusMember{static_cast<std::int64_t>(i) * 7 + 1, capital(rng), use(rng)});
  SurplusRules rules;
  rules.reserve_bp = 3'000;
  rules.reserve_min_bp = 1'500;
  rules.fund_bp = 500;
  rules.share_interest_bp = 200;
  rules.share_interest_cap_bp = 400;
  rules.refunds_bp = 8'000;
  const std::int64_t surplus = 123'456'789'012;  // 1.2 billion in a currency with cents
  std::int64_t refunds = 0;
  for (auto _ : state) {
    auto a = AllocateSurplus(surplus, rules, members);
    refunds = a->refunds;
    benchmark::DoNotOptimize(a);
  }
  state.counters["members"] = static_cast<double>(n);
  state.counters["refunds"] = static_cast<double>(refunds);
}
BENCHMARK(BM_Surplus)->Arg(7'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace solidum::finance

BENCHMARK_MAIN();
