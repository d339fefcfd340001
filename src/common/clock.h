// Clock: the only way Solidum code reads the time, so tests can set it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace solidum {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC. Thread-safe.
  virtual std::int64_t NowMicros() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t NowMicros() const override;
  static const SystemClock& Instance();
};

// A clock tests move by hand. Thread-safe for reads; Set/Advance from one thread.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t now_micros) : now_(now_micros) {}
  std::int64_t NowMicros() const override { return now_; }
  void Advance(std::int64_t micros) { now_ += micros; }

 private:
  std::int64_t now_;
};

// Timestamps are stored and sent as RFC 3339 UTC text with millisecond precision,
// "2026-11-23T13:35:10.123Z": sortable as text, identical in every store.
std::string FormatTimestamp(std::int64_t micros_since_epoch);

}  // namespace solidum
