#include "identity/rate_limiter.h"

namespace solidum::identity {

void FailureLimiter::Prune(std::deque<std::int64_t>& times, std::int64_t now) const {
  while (!times.empty() && times.front() <= now - window_micros_) times.pop_front();
}

int FailureLimiter::RetryAfterSeconds(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  std::int64_t now = clock_.NowMicros();
  Prune(it->second, now);
  if (static_cast<int>(it->second.size()) < max_) return 0;
  // Blocked until the oldest failure in the window leaves it.
  std::int64_t wait = it->second.front() + window_micros_ - now;
  return static_cast<int>((wait + 999'999) / 1'000'000);
}

void FailureLimiter::RecordFailure(const std::string& key) {
  std::lock_guard lock(mu_);
  std::int64_t now = clock_.NowMicros();
  auto [it, inserted] = failures_.try_emplace(key);
  if (inserted) {
    order_.push_back(key);
    while (failures_.size() > kKeysMax && !order_.empty()) {
      if (order_.front() != key) failures_.erase(order_.front());
      order_.pop_front();
    }
  }
  Prune(it->second, now);
  it->second.push_back(now);
  // Keep at most max_ timestamps: older ones cannot change the answer.
  while (static_cast<int>(it->second.size()) > max_) it->second.pop_front();
}

void FailureLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);  // its entry in order_ is skipped harmlessly on eviction
}

}  // namespace solidum::identity
