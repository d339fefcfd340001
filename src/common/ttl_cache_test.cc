#include "common/ttl_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/text.h"

namespace solidum {
namespace {

TEST(TtlCache, AnEntryLivesTheTtlFromWhenTheStoreWasRead) {
  ManualClock clock(1'000'000);
  TtlCache<std::int64_t, int> cache(clock, 1'000, 10);
  auto ticket = cache.Take();
  clock.Advance(400);  // the store read took a while: the age counts from the ticket
  cache.Put(7, 70, ticket);
  EXPECT_EQ(cache.Get(7), 70);
  EXPECT_EQ(cache.Get(8), std::nullopt);
  clock.Advance(599);
  EXPECT_EQ(cache.Get(7), 70);
  clock.Advance(1);
  EXPECT_EQ(cache.Get(7), std::nullopt);
}

TEST(TtlCache, APutWithATicketTakenBeforeAClearIsIgnored) {
  ManualClock clock(0);
  TtlCache<std::int64_t, int> cache(clock, 1'000, 10);
  auto before = cache.Take();
  cache.Put(1, 10, before);
  cache.Clear();  // a change committed while a reader held `before`
  EXPECT_EQ(cache.Get(1), std::nullopt);
  cache.Put(2, 20, before);
  EXPECT_EQ(cache.Get(2), std::nullopt);
  cache.Put(2, 21, cache.Take());
  EXPECT_EQ(cache.Get(2), 21);
}

TEST(TtlCache, ItNeverHoldsMoreThanItsLimit) {
  ManualClock clock(0);
  TtlCache<std::int64_t, int> cache(clock, 1'000, 3);
  for (int i = 0; i < 10; ++i) {
    cache.Put(i, i, cache.Take());
    EXPECT_LE(cache.Size(), 3u);
    EXPECT_EQ(cache.Get(i), i);
  }
  cache.Clear();
  for (int i = 0; i < 3; ++i) cache.Put(i, i, cache.Take());
  cache.Put(2, 22, cache.Take());  // replacing a key held does not empty a full cache
  EXPECT_EQ(cache.Size(), 3u);
  EXPECT_EQ(cache.Get(0), 0);
  EXPECT_EQ(cache.Get(2), 22);
  cache.Put(3, 3, cache.Take());  // a new key does
  EXPECT_EQ(cache.Size(), 1u);
  EXPECT_EQ(cache.Get(3), 3);
}

TEST(TtlCache, AClockGoingBackDoesNotKeepAnEntryAlive) {
  ManualClock clock(10'000);
  TtlCache<std::int64_t, int> cache(clock, 1'000, 3);
  cache.Put(1, 1, cache.Take());
  clock.Advance(-5'000);
  EXPECT_EQ(cache.Get(1), std::nullopt);
}

TEST(TtlCache, StringKeysAreFoundByStringView) {
  ManualClock clock(0);
  TtlCache<std::string, int, text::TransparentHash> cache(clock, 1'000, 3);
  cache.Put("abc", 1, cache.Take());
  EXPECT_EQ(cache.Get(std::string_view("abc")), 1);
  EXPECT_EQ(cache.Get(std::string_view("abd")), std::nullopt);
}

}  // namespace
}  // namespace solidum
