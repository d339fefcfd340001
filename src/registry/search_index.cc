#include "registry/search_index.h"

namespace solidum::registry {

Result<void> SearchIndex::CatchUp(store::Conn& conn) {
  SOLIDUM_TRY(CatchUpTo(conn));
  return Ok();
}

Result<std::int64_t> SearchIndex::CatchUpTo(store::Conn& conn) {
  SOLIDUM_ASSIGN_OR_RETURN(auto current, search_store::CurrentChange(conn));
  std::string today = FormatTimestamp(clock_.NowMicros()).substr(0, 10);
  {
    std::shared_lock lock(mu_);
    if (caught_up_ >= current && day_ == today) return current;
  }
  std::lock_guard one(catch_up_mu_);
  std::int64_t since;
  {
    std::shared_lock lock(mu_);
    since = day_ == today ? caught_up_ : 0;
  }
  if (since >= current) return current;  // another request caught up meanwhile
  // Read outside the exclusive lock: searches go on over the previous state meanwhile.
  SOLIDUM_ASSIGN_OR_RETURN(auto changes, search_store::ChangesSince(conn, since, today));
  std::unique_lock lock(mu_);
  if (since == 0) catalogue_ = Catalogue();
  day_ = today;
  for (const auto& e : changes.entries) catalogue_.Upsert(e);
  for (auto id : changes.removed) catalogue_.Remove(id);
  caught_up_ = changes.change_seq;
  return current;
}

std::shared_ptr<TextMatches> SearchIndex::CachedMatches(const std::string& fts, std::int64_t change_seq) {
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(fts);
  if (it == cache_.end() || it->second.change_seq != change_seq) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.matches;
}

Result<std::shared_ptr<TextMatches>> SearchIndex::MatchText(store::Conn& conn, const std::string& fts,
                                                            std::int64_t change_seq) {
  if (auto hit = CachedMatches(fts, change_seq)) return hit;
  SOLIDUM_ASSIGN_OR_RETURN(auto found, search_store::MatchText(conn, fts));
  auto matches = std::make_shared<TextMatches>(std::move(found));
  {
    std::shared_lock lock(mu_);
    catalogue_.Resolve(*matches);
  }
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(fts);
  if (it != cache_.end()) {
    cached_ids_ -= it->second.matches->ids.size();
    lru_.erase(it->second.lru);
    cache_.erase(it);
  }
  if (matches->ids.size() <= kTextCacheIdsMax / 4) {
    lru_.push_front(fts);
    cache_.emplace(fts, Cached{change_seq, matches, lru_.begin()});
    cached_ids_ += matches->ids.size();
    while (cache_.size() > kTextCacheEntriesMax || cached_ids_ > kTextCacheIdsMax) {
      auto victim = cache_.find(lru_.back());
      cached_ids_ -= victim->second.matches->ids.size();
      cache_.erase(victim);
      lru_.pop_back();
    }
  }
  return matches;
}

std::optional<std::pair<CataloguePage, std::int64_t>> SearchIndex::SearchIfCurrent(const SearchQuery& query) {
  std::string today = FormatTimestamp(clock_.NowMicros()).substr(0, 10);
  std::int64_t seq;
  {
    std::shared_lock lock(mu_);
    if (caught_up_ == 0 || day_ != today) return std::nullopt;
    seq = caught_up_;
  }
  std::shared_ptr<TextMatches> text;
  if (!query.text.empty()) {
    std::string fts = FtsQuery(query.text);
    if (fts.empty()) return std::make_pair(CataloguePage{}, seq);
    text = CachedMatches(fts, seq);
    if (!text) return std::nullopt;
  }
  std::shared_lock lock(mu_);
  if (caught_up_ != seq) return std::nullopt;
  return std::make_pair(catalogue_.Search(query, text.get()), seq);
}

template <typename T, typename AskFn>
Result<T> SearchIndex::Ask(store::Conn& conn, const SearchQuery& query, T empty, AskFn&& ask) {
  SOLIDUM_ASSIGN_OR_RETURN(auto seq, CatchUpTo(conn));
  std::shared_ptr<TextMatches> text;
  if (!query.text.empty()) {
    std::string fts = FtsQuery(query.text);
    if (fts.empty()) return empty;  // only punctuation: nothing can match
    SOLIDUM_ASSIGN_OR_RETURN(text, MatchText(conn, fts, seq));
  }
  std::shared_lock lock(mu_);
  return ask(catalogue_, text.get());
}

Result<CataloguePage> SearchIndex::Search(store::Conn& conn, const SearchQuery& query) {
  return Ask(conn, query, CataloguePage{},
             [&](const Catalogue& c, const TextMatches* text) { return c.Search(query, text); });
}

Result<MapPoints> SearchIndex::Map(store::Conn& conn, const SearchQuery& query) {
  return Ask(conn, query, MapPoints{}, [&](const Catalogue& c, const TextMatches* text) { return c.Map(query, text); });
}

Result<std::vector<PortraitRow>> SearchIndex::Portrait(store::Conn& conn, const SearchQuery& query, PortraitGroup group) {
  return Ask(conn, query, std::vector<PortraitRow>{},
             [&](const Catalogue& c, const TextMatches* text) { return c.Portrait(query, text, group); });
}

}  // namespace solidum::registry
