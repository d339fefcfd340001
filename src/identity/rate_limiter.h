// Counts failures per key (an account, an address) in a sliding window and says when a
// key has had too many. In memory, per process: with several servers each keeps its own
// count, so the effective limit is per server (noted in docs/architecture.md).
// Thread-safe. Memory is bounded: at most kKeysMax keys; the oldest are dropped first.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace solidum::identity {

class FailureLimiter {
 public:
  static constexpr std::size_t kKeysMax = 100'000;

  FailureLimiter(const Clock& clock, int max_failures, int window_seconds)
      : clock_(clock), max_(max_failures), window_micros_(std::int64_t{window_seconds} * 1'000'000) {}

  // Seconds until `key` may try again; 0 when it may try now.
  int RetryAfterSeconds(const std::string& key);
  void RecordFailure(const std::string& key);
  void Reset(const std::string& key);

 private:
  void Prune(std::deque<std::int64_t>& times, std::int64_t now) const;

  const Clock& clock_;
  int max_;
  std::int64_t window_micros_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> failures_;
  std::deque<std::string> order_;  // insertion order of keys, for eviction
};

}  // namespace solidum::identity
