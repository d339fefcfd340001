// Lookup batching: many threads each look up one key; the keys waiting at one moment go
// to the database together, in one query, and each thread gets its own answer. On
// PostgreSQL this turns N round trips (and N wake-ups of a server process) into one, the
// way store::GroupCommit does for writes. No thread of its own: the first caller to find
// no batch running leads it (fetches for everyone waiting, itself included); callers who
// arrive meanwhile wait, and the first of them leads the next batch. So one batch runs at
// a time, at most `batch_max` keys each, and a lone caller pays nothing but a lock.
//
// `fetch` gets the keys in a batch and returns one answer per key, in order (nullopt: not
// found). When it fails, every caller in that batch gets its error. Thread-safe.
//
// A caller that should not wait (a request answered later, its thread free meanwhile) uses
// GetAsync: its callback gets the answer. Batches that no waiting thread leads are led by
// the batch's own thread (started at the first GetAsync), which also runs their callbacks,
// one after another: a callback must be short (hand the work on) and must not throw.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/result.h"

namespace solidum::store {

template <typename Key, typename Value>
class LookupBatch {
 public:
  using Answers = std::vector<std::optional<Value>>;
  using Fetch = std::function<Result<Answers>(std::span<const Key>)>;
  using Callback = std::function<void(Result<std::optional<Value>>)>;

  explicit LookupBatch(Fetch fetch, std::size_t batch_max = 256) : fetch_(std::move(fetch)), batch_max_(batch_max < 1 ? 1 : batch_max) {}
  LookupBatch(const LookupBatch&) = delete;
  LookupBatch& operator=(const LookupBatch&) = delete;
  // Answers the callers already waiting, then stops the batch's thread.
  ~LookupBatch() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    lead_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Calls `done` with the answer, from the thread that led the batch (never from this call).
  void GetAsync(Key key, Callback done) {
    auto me = std::make_unique<Waiter>(std::move(key));
    me->callback = std::move(done);
    {
      std::lock_guard lock(mu_);
      if (!thread_.joinable()) thread_ = std::thread([this] { Serve(); });
      waiting_.push_back(me.release());
      if (running_) return;  // the batch running hands the lead on
      running_ = true;
      thread_leads_ = true;
    }
    lead_cv_.notify_one();
  }

  Result<std::optional<Value>> Get(Key key) {
    Waiter me{std::move(key)};
    {
      std::lock_guard lock(mu_);
      waiting_.push_back(&me);
      if (!running_) {
        running_ = true;
        me.lead = true;
      }
    }
    if (!me.lead) {
      std::unique_lock lock(mu_);
      me.wake.wait(lock, [&] { return me.woken; });
      lock.unlock();
      if (me.answer) return std::move(*me.answer);  // else: we lead the next batch
    }
    Lead();
    return std::move(*me.answer);
  }

  // For tests and metrics: batches run so far, callers waiting now.
  std::size_t batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }
  std::size_t waiting() const {
    std::lock_guard lock(mu_);
    return waiting_.size();
  }

 private:
  struct Waiter {
    explicit Waiter(Key k) : key(std::move(k)) {}
    Key key;
    std::optional<Result<std::optional<Value>>> answer;
    bool lead = false;
    // Not a semaphore: libstdc++'s spins on sched_yield before sleeping, which costs more
    // than the wait itself on a busy virtual machine.
    bool woken = false;
    std::condition_variable wake;
    Callback callback;  // set: an asynchronous caller (the batch owns this Waiter)
  };

  // The batch's own thread: leads whenever the lead falls to no waiting thread.
  void Serve() {
    std::unique_lock lock(mu_);
    for (;;) {
      lead_cv_.wait(lock, [this] { return thread_leads_ || (stopping_ && !running_); });
      if (!thread_leads_) return;
      thread_leads_ = false;
      lock.unlock();
      Lead();
      lock.lock();
    }
  }

  // Runs one batch (the leader is in it: it is the oldest waiter), then hands the lead on.
  void Lead() {
    std::vector<Waiter*> batch;
    {
      std::lock_guard lock(mu_);
      std::size_t n = std::min(batch_max_, waiting_.size());
      batch.assign(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(n));
      waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(n));
      ++batches_;
    }
    std::vector<Key> keys;
    keys.reserve(batch.size());
    for (auto* w : batch) keys.push_back(w->key);
    auto got = fetch_(keys);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!got.ok()) batch[i]->answer.emplace(got.error());
      else if (got->size() != batch.size()) batch[i]->answer.emplace(Error::Internal("lookup batch: wrong number of answers"));
      else batch[i]->answer.emplace(std::move((*got)[i]));
    }
    // Woken under the lock: a waiter (and its condition variable, on its stack) may be
    // gone as soon as it sees `woken`. The leader itself is not waiting.
    std::vector<std::unique_ptr<Waiter>> called;
    {
      std::lock_guard lock(mu_);
      for (auto* w : batch) {
        if (w->callback) called.emplace_back(w);
        else if (!w->lead) Wake(*w);
      }
      if (waiting_.empty()) {
        running_ = false;
      } else if (waiting_.front()->callback) {
        thread_leads_ = true;  // no thread waits to lead: the batch's own does
        lead_cv_.notify_one();
      } else {
        waiting_.front()->lead = true;
        Wake(*waiting_.front());
      }
    }
    for (auto& w : called) w->callback(std::move(*w->answer));
  }
  static void Wake(Waiter& w) {
    w.woken = true;
    w.wake.notify_one();
  }

  Fetch fetch_;
  const std::size_t batch_max_;
  mutable std::mutex mu_;
  std::deque<Waiter*> waiting_;
  bool running_ = false;
  std::size_t batches_ = 0;
  // Asynchronous callers: the batch's own thread, and whether it is to lead next.
  std::condition_variable lead_cv_;
  bool thread_leads_ = false, stopping_ = false;
  std::thread thread_;
};

// A PostgreSQL array literal ('{"a","b"}' or '{1,2}'), to pass a batch's keys as one
// parameter (`unnest(?::text[])`).
inline std::string PgArray(std::span<const std::string> items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}
inline std::string PgArray(std::span<const std::int64_t> items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(items[i]);
  }
  return out + "}";
}

}  // namespace solidum::store
