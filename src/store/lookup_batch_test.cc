// Lookup batching: every caller gets its own answer; callers who arrive while a batch runs
// share the next one; a failed fetch fails its batch only; PostgreSQL array literals carry
// any text.
#include "store/lookup_batch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
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
