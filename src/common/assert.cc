#include "common/assert.h"

#include <cstdio>
#include <cstdlib>

namespace solidum::detail {
void AssertFail(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "solidum: assertion failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}
}  // namespace solidum::detail
