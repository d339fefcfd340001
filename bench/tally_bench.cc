// Counting a million ballots: reading the BLT file and each STV method, with Google
// Benchmark. `tally_bench --write FILE [BALLOTS]` writes the generated election as BLT (for
// timing `solidum tally` end to end, bench/tally.sh) and exits; with `full`, every ballot
// ranks all 15 candidates (the hardest case for the counts).
//
// The election: 15 candidates, 5 seats, 1,000,000 ballot lines of weight 1. Preferences
// follow a Plackett-Luce model (candidate strengths 1/(rank^0.8), so support is uneven as
// in real elections) and ballots rank 1 to 15 candidates, 4.6 on average (Scottish ward
// ballots rank 3 to 5). Deterministic: seed 2026.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "governance/tally/blt.h"
#include "governance/tally/count.h"

namespace solidum::tally {
namespace {

Election Generate(int ballots, bool full_rankings = false) {
  constexpr int kCandidates = 15;
  Election e;
  e.seats = 5;
  e.title = "Generated: 15 candidates, 5 seats";
  for (int i = 0; i < kCandidates; ++i) e.candidates.push_back(Candidate{"Candidate " + std::to_string(i + 1), "", "", false});
  std::mt19937_64 rng(2026);
  std::vector<double> strength(kCandidates);
  for (int i = 0; i < kCandidates; ++i) strength[static_cast<std::size_t>(i)] = 1.0 / std::pow(i + 1, 0.8);
  std::geometric_distribution<int> extra(0.28);
  std::vector<CandidateIndex> ranking;
  std::vector<double> left;
  for (int b = 0; b < ballots; ++b) {
    const int length = full_rankings ? kCandidates : std::min(kCandidates, 1 + extra(rng));
    left = strength;
    ranking.clear();
    for (int k = 0; k < length; ++k) {
      std::discrete_distribution<int> pick(left.begin(), left.end());
      const int c = pick(rng);
      ranking.push_back(static_cast<CandidateIndex>(c));
      left[static_cast<std::size_t>(c)] = 0;
    }
    e.AddBallot(ranking, 1);
  }
  return e;
}

const Election& Million() {
  static const Election e = Generate(1'000'000);
  return e;
}

void BM_ReadBlt(benchmark::State& state) {
  const std::string text = WriteBlt(Million());
  for (auto _ : state) {
    auto r = ParseBlt(text);
    benchmark::DoNotOptimize(r);
  }
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_ReadBlt)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_Count(benchmark::State& state, Method method) {
  const Election& e = Million();
  std::size_t stages = 0;
  for (auto _ : state) {
    auto t = Count(e, Options{method, 0, 1, {}});
    stages = t->stages.size();
    benchmark::DoNotOptimize(t);
  }
  state.counters["stages"] = static_cast<double>(stages);
}
BENCHMARK_CAPTURE(BM_Count, scottish, Method::kScottish)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(BM_Count, wigm, Method::kWigm)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(BM_Count, meek, Method::kMeek)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(BM_Count, plurality, Method::kPlurality)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace solidum::tally

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "--write") {
    const int ballots = argc >= 4 ? std::stoi(argv[3]) : 1'000'000;
    const bool full = argc >= 5 && std::string(argv[4]) == "full";
    std::ofstream(argv[2], std::ios::binary) << solidum::tally::WriteBlt(solidum::tally::Generate(ballots, full));
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
