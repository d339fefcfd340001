#include "common/clock.h"

#include <ctime>

#include <fmt/format.h>

namespace solidum {

std::int64_t SystemClock::NowMicros() const {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

std::string FormatTimestamp(std::int64_t micros) {
  std::int64_t secs = micros / 1'000'000;
  std::int64_t rem = micros % 1'000'000;
  if (rem < 0) {
    rem += 1'000'000;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rem / 1000);
}

}  // namespace solidum
