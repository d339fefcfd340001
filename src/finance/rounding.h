// Exact arithmetic the finance engines share: 128-bit intermediates (a balance times a
// rate never overflows), and division rounded half away from zero (for the non-negative
// amounts they divide), the rounding their documents promise.
#pragma once

#include <cstdint>

namespace solidum::finance {

__extension__ using Int128 = __int128;  // GCC and Clang on 64-bit targets

inline constexpr std::int64_t kBasisPoints = 10'000;  // 100 %

// n / d rounded half up; n >= 0, d > 0.
constexpr Int128 RoundHalfUp(Int128 n, Int128 d) { return (2 * n + d) / (2 * d); }

// x * bp / 10,000 rounded half up (x >= 0): `bp` basis points of x.
constexpr std::int64_t BasisPointsOf(std::int64_t x, std::int64_t bp) {
  return static_cast<std::int64_t>(RoundHalfUp(Int128(x) * bp, kBasisPoints));
}

}  // namespace solidum::finance
