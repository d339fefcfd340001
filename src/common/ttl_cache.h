// TtlCache: a small thread-safe map whose entries live a bounded time, for facts read on
// every request (who holds this API token, this user's role in this organisation) that
// change rarely and are invalidated by the code that changes them.
//
// Contract:
// - An entry is returned for at most `ttl_micros` after the store was read for it (by the
//   cache's clock). This bounds how stale it can be when another server changed the fact.
// - Clear() drops every entry, and a Put() whose ticket was taken before that Clear() is
//   ignored: a reader that looked the store up before a change and stores its answer after
//   the change's Clear() cannot bring the old fact back. So the code that changes a fact
//   calls Clear() after its change is committed.
// - At most `max_entries`: when full, the cache is emptied (facts read per request of a few
//   callers; a full cache means many callers, and rebuilding it costs one read each).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include "common/clock.h"

namespace solidum {

template <class Key, class Value, class Hash = std::hash<Key>, class Equal = std::equal_to<>>
class TtlCache {
 public:
  TtlCache(const Clock& clock, std::int64_t ttl_micros, std::size_t max_entries)
      : clock_(clock), ttl_micros_(ttl_micros), max_entries_(max_entries) {}

  // Taken before reading the store; given back to Put.
  struct Ticket {
    std::uint64_t generation = 0;
    std::int64_t read_at_us = 0;
  };
  Ticket Take() const {
    std::lock_guard lock(mu_);
    return Ticket{generation_, clock_.NowMicros()};
  }

  // The value, if stored less than ttl ago and not cleared since. K: Key or a type Hash and
  // Equal accept (a string_view for a string key).
  template <class K>
  std::optional<Value> Get(const K& key) const {
    const std::int64_t now = clock_.NowMicros();
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || now - it->second.read_at_us >= ttl_micros_ || now < it->second.read_at_us) {
      return std::nullopt;
    }
    return it->second.value;
  }

  // The value for `key`: remembered, or `load()` (a Result<Value>), remembered when
  // `keep(value)` holds. Takes the ticket before loading, as Put's contract needs.
  template <class Load, class Keep>
  auto GetOrLoad(const Key& key, Load&& load, Keep&& keep) -> decltype(load()) {
    if (auto known = Get(key)) return std::move(*known);
    const Ticket ticket = Take();
    auto loaded = load();
    if (loaded.ok() && keep(*loaded)) Put(key, *loaded, ticket);
    return loaded;
  }

  void Put(Key key, Value value, const Ticket& ticket) {
    std::lock_guard lock(mu_);
    if (ticket.generation != generation_) return;
    if (entries_.size() >= max_entries_ && entries_.find(key) == entries_.end()) entries_.clear();
    entries_.insert_or_assign(std::move(key), Entry{std::move(value), ticket.read_at_us});
  }

  void Clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
    ++generation_;
  }

  std::size_t Size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    Value value;
    std::int64_t read_at_us = 0;
  };
  const Clock& clock_;
  const std::int64_t ttl_micros_;
  const std::size_t max_entries_;
  mutable std::mutex mu_;
  std::uint64_t generation_ = 0;
  std::unordered_map<Key, Entry, Hash, Equal> entries_;
};

}  // namespace solidum
