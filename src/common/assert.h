// SOLIDUM_ASSERT: invariants cheap enough to keep on in production builds.
// Never assert on input from outside: validate it and return an Error instead.
#pragma once

namespace solidum::detail {
[[noreturn]] void AssertFail(const char* expr, const char* file, int line);
}

#define SOLIDUM_ASSERT(cond) \
  ((cond) ? (void)0 : ::solidum::detail::AssertFail(#cond, __FILE__, __LINE__))
