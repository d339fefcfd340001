// Lookup batching: every caller gets its own answer; callers who arrive while a batch runs
// share the next one; a failed fetch fails its batch only; PostgreSQL array literals carry
// any text.
#include "store/lookup_batch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "../../tests/support/test_store.h"

namespace solidum::store {
namespace {

using Batch = LookupBatch<int, int>;

TEST(LookupBatchTest, EachCallerGetsItsOwnAnswerAndWaitersShareABatch) {
  constexpr int kCallers = 24;
  std::atomic<int> fetches{0};
  std::unique_ptr<Batch> batch;
  batch = std::make_unique<Batch>([&](std::span<const int> keys) -> Result<Batch::Answers> {
    // The first batch (its leader, and whoever came in time) holds on until every other
    // caller waits: they must all go together into the second.
    if (fetches++ == 0) {
      while (batch->waiting() + keys.size() < kCallers) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    Batch::Answers out;
    for (int k : keys) out.push_back(k % 5 == 0 ? std::nullopt : std::optional<int>(k * 10));
    return out;
  });
  std::vector<std::optional<Result<std::optional<int>>>> got(kCallers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] { got[static_cast<std::size_t>(i)].emplace(batch->Get(i)); });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kCallers; ++i) {
    const auto& r = *got[static_cast<std::size_t>(i)];
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (i % 5 == 0) EXPECT_FALSE(r->has_value()) << i;
    else EXPECT_EQ(r->value_or(-1), i * 10) << i;
  }
  EXPECT_EQ(batch->batches(), 2u);
  EXPECT_EQ(fetches.load(), 2);
}

TEST(LookupBatchTest, BatchesAreCappedAndAFailureStaysInItsBatch) {
  constexpr int kCallers = 10;
  std::unique_ptr<Batch> batch;
  std::atomic<int> fetches{0};
  std::atomic<std::size_t> first_size{0};
  batch = std::make_unique<Batch>(
      [&](std::span<const int> keys) -> Result<Batch::Answers> {
        EXPECT_LE(keys.size(), 3u);
        if (fetches++ == 0) {
          first_size = keys.size();
          while (batch->waiting() + keys.size() < kCallers) std::this_thread::sleep_for(std::chrono::milliseconds(1));
          return Error::Internal("database gone");
        }
        return Batch::Answers(keys.begin(), keys.end());
      },
      /*batch_max=*/3);
  std::atomic<int> failed{0}, answered{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      auto r = batch->Get(i);
      if (!r.ok()) ++failed;
      else if (r->value_or(-1) == i) ++answered;
    });
  }
  for (auto& t : threads) t.join();
  // The first batch (1 to 3 callers) failed; the others waited and were answered, in
  // batches of at most 3.
  const int first = static_cast<int>(first_size.load());
  EXPECT_EQ(failed.load(), first);
  EXPECT_EQ(answered.load(), kCallers - first);
  EXPECT_EQ(batch->batches(), 1u + static_cast<std::size_t>((kCallers - first + 2) / 3));
}

TEST(LookupBatchTest, AFetchWithTheWrongNumberOfAnswersIsAnError) {
  Batch batch([](std::span<const int>) -> Result<Batch::Answers> { return Batch::Answers{}; });
  auto r = batch.Get(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInternal);
}

// Asynchronous callers: no thread of theirs waits; each callback gets its own answer
// exactly once, from the batch's thread or a waiting thread that led; callers of both
// kinds share batches; a failure reaches only its batch.
TEST(LookupBatchTest, AsynchronousCallersGetTheirAnswersWithoutWaiting) {
  constexpr int kAsync = 200, kSync = 20;
  std::atomic<int> fetches{0};
  Batch batch([&](std::span<const int> keys) -> Result<Batch::Answers> {
    if (fetches++ == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let callers pile up
      return Error::Internal("database gone");
    }
    Batch::Answers out;
    for (int k : keys) out.push_back(k % 7 == 0 ? std::nullopt : std::optional<int>(k + 1000));
    return out;
  }, /*batch_max=*/16);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> calls(kAsync, 0), answers(kAsync, -1);
  int done = 0, failed = 0;
  for (int i = 0; i < kAsync; ++i) {
    batch.GetAsync(i, [&, i](Result<std::optional<int>> r) {
      std::lock_guard lock(mu);
      ++calls[static_cast<std::size_t>(i)];
      if (!r.ok()) ++failed;
      else answers[static_cast<std::size_t>(i)] = r->value_or(-2);
      ++done;
      cv.notify_all();
    });
  }
  std::vector<std::thread> threads;
  std::atomic<int> sync_right{0};
  for (int i = 0; i < kSync; ++i) {
    threads.emplace_back([&, i] {
      const int k = kAsync + i;
      auto r = batch.Get(k);
      if (r.ok() && r->value_or(-2) == (k % 7 == 0 ? -2 : k + 1000)) ++sync_right;
    });
  }
  for (auto& t : threads) t.join();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done == kAsync; }));
  }
  // Only the first batch failed (its callers: the first few asynchronous ones).
  EXPECT_GE(failed, 1);
  EXPECT_LE(failed, 16);
  for (int i = 0; i < kAsync; ++i) {
    EXPECT_EQ(calls[static_cast<std::size_t>(i)], 1) << i;
    if (i < failed) EXPECT_EQ(answers[static_cast<std::size_t>(i)], -1) << i;
    else EXPECT_EQ(answers[static_cast<std::size_t>(i)], i % 7 == 0 ? -2 : i + 1000) << i;
  }
  EXPECT_EQ(sync_right.load(), kSync);
  EXPECT_GE(batch.batches(), static_cast<std::size_t>((kAsync + kSync) / 16));
  EXPECT_EQ(batch.waiting(), 0u);
}

TEST(LookupBatchTest, PgArraysCarryAnyTextThroughPostgres) {
  solidum::testing::TempDir dir;
  auto url = solidum::testing::TestStoreUrl(dir, "arr");
  if (!url.starts_with("postgres")) {
    // On SQLite the literal is only built, never parsed: check its shape.
    const std::vector<std::string> items{"a\"b", "c\\d"};
    EXPECT_EQ(PgArray(items), R"({"a\"b","c\\d"})");
    const std::vector<std::int64_t> ints{1, -2};
    EXPECT_EQ(PgArray(ints), "{1,-2}");
    return;
  }
  auto s = Open(url);
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto conn = (*s)->Acquire();
  const std::vector<std::string> items{"plain", "", "with,comma", "with \"quotes\"", "back\\slash", "{braces}", "NULL", " spaced ",
                                       "Économie solidaire"};
  auto rows = conn->Query("SELECT x FROM unnest(?::text[]) WITH ORDINALITY AS k(x, i) ORDER BY i", {PgArray(items)});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) EXPECT_EQ((*rows)[i].Text(0), items[i]);
  const std::vector<std::int64_t> ints{1, -2, 9007199254740993};
  auto sums = conn->Query("SELECT sum(x)::text FROM unnest(?::bigint[]) AS x", {PgArray(ints)});
  ASSERT_TRUE(sums.ok()) << sums.error().message;
  EXPECT_EQ((*sums)[0].Text(0), "9007199254740992");
}

}  // namespace
}  // namespace solidum::store
