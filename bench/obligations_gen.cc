// Writes a synthetic network of N trade-credit obligations as CSV (debtor,creditor,amount)
// to standard output, for bench/clearing.sh. Shaped like the shared datasets (measured on
// synthetic_network_01.csv): about N/3.5 firms, of which two thirds only ever owe (they
// cannot be on a cycle), a quarter owe and are owed, and the rest are only owed; who is
// owed is strongly skewed (a few firms are owed by thousands); amounts spread from 100 to
// 10^9 with a median in the tens of thousands. Deterministic for a seed.
// Usage: obligations_gen N [SEED]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: obligations_gen N [SEED]\n");
    return 2;
  }
  const long n = std::atol(argv[1]);
  const unsigned long seed = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1;
  const long firms = n * 2 / 7 + 10;
  // Firms [0, traders) owe and are owed; [traders, traders + sellers) are only owed; the
  // rest only owe.
  const long traders = firms / 4, sellers = firms / 11;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::lognormal_distribution<double> size(std::log(26000.0), 2.0);
  auto skewed = [&](long count) { return static_cast<long>(static_cast<double>(count) * std::pow(unit(rng), 3.0)) % count; };
  std::string out = "debtor,creditor,amount\n";
  for (long i = 0; i < n; ++i) {
    const bool from_trader = unit(rng) < 0.28;
    long d = from_trader ? static_cast<long>(rng() % static_cast<unsigned long>(traders))
                         : traders + sellers + static_cast<long>(rng() % static_cast<unsigned long>(firms - traders - sellers));
    long c = unit(rng) < 0.8 ? skewed(traders) : traders + skewed(sellers);
    if (c == d) c = (c + 1) % traders;
    const long amount = std::max(100L, std::min(1000000000L, static_cast<long>(size(rng))));
    out += std::to_string(d) + ',' + std::to_string(c) + ',' + std::to_string(amount) + '\n';
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
