// Group commit on both stores: shared transactions, failures isolated, nothing
// acknowledged lost; unguarded (one-statement) jobs, whose failure on PostgreSQL aborts
// the shared transaction.
#include "store/group_commit.h"

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

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Open(solidum::testing::TestStoreUrl(dir_, "gc"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
  }
  solidum::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

// Jobs from many threads share transactions; one that fails is rolled back alone; every
// caller gets its own answer after the commit.
TEST_F(GroupCommitTest, SharesTransactionsAndIsolatesFailures) {
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->ExecScript("CREATE TABLE gc (k INTEGER PRIMARY KEY, v TEXT NOT NULL)").ok());
  }
  GroupCommit group(*store_);
  constexpr int kThreads = 16, kEach = 50;
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t k = t * kEach + i;
        auto r = group.Run<std::int64_t>([&](Conn& conn) -> Result<std::int64_t> {
          SOLIDUM_TRY(conn.Exec("INSERT INTO gc (k, v) VALUES (?, ?)", {k, std::string("x")}));
          // Every seventh job writes, then fails: its row must not survive.
          if (k % 7 == 0) return Error::Invalid("k", "refused", "a job that fails after writing");
          return k;
        });
        if (r.ok() && *r == k) ++ok;
        else if (!r.ok() && r.error().fields.at(0).code == "refused") ++refused;
      }
    });
  }
  for (auto& th : threads) th.join();
  const int total = kThreads * kEach;
  const int failing = (total + 6) / 7;
  EXPECT_EQ(ok.load(), total - failing);
  EXPECT_EQ(refused.load(), failing);
  auto conn = store_->Acquire();
  auto rows = conn->QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN k % 7 = 0 THEN 1 ELSE 0 END), 0) FROM gc", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)->Int(0), total - failing);
  EXPECT_EQ((*rows)->Int(1), 0);
  EXPECT_EQ(group.jobs(), static_cast<std::size_t>(total));
  EXPECT_LT(group.batches(), group.jobs());  // transactions were shared
}

TEST_F(GroupCommitTest, UnguardedJobsMixWithGuardedOnesAndAFailedStatementLosesNothingAcknowledged) {
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->ExecScript("CREATE TABLE gu (k INTEGER PRIMARY KEY, v TEXT NOT NULL); INSERT INTO gu (k, v) VALUES (-1, 'pre')").ok());
  }
  GroupCommit group(*store_);
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> ok{0}, refused{0}, duplicate{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t k = t * kEach + i;
        Result<std::int64_t> r = Error::Internal("not run");
        if (k % 3 == 0) {  // guarded: writes, then maybe fails
          r = group.Run<std::int64_t>([&](Conn& conn) -> Result<std::int64_t> {
            SOLIDUM_TRY(conn.Exec("INSERT INTO gu (k, v) VALUES (?, 'g')", {k}));
            if (k % 9 == 0) return Error::Invalid("k", "refused", "refused after writing");
            return k;
          });
        } else {  // unguarded: one statement; every fifth is refused without writing
          r = group.RunUnguarded<std::int64_t>([&](Conn& conn) -> Result<std::int64_t> {
            if (k % 5 == 0) return Error::Invalid("k", "refused", "refused before writing");
            SOLIDUM_ASSIGN_OR_RETURN(auto n, conn.Exec("INSERT INTO gu (k, v) VALUES (?, 'u') ON CONFLICT DO NOTHING", {k}));
            if (n != 1) return Error::Internal("not written");
            return k;
          });
        }
        if (r.ok() && *r == k) ++ok;
        else if (!r.ok() && !r.error().fields.empty() && r.error().fields.at(0).code == "refused") ++refused;
      }
      // A statement that fails (a duplicate key): on PostgreSQL it aborts the shared
      // transaction, so its batch fails as a whole (every job in it is refused, none
      // acknowledged); on SQLite only the job fails.
      auto dup = group.RunUnguarded<std::int64_t>([&](Conn& conn) -> Result<std::int64_t> {
        SOLIDUM_TRY(conn.Exec("INSERT INTO gu (k, v) VALUES (-1, 'dup')", {}));
        return 0;
      });
      if (!dup.ok()) ++duplicate;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(duplicate.load(), kThreads);
  auto conn = store_->Acquire();
  // Every acknowledged write is there; nothing refused or failed is.
  auto rows = conn->QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN v = 'dup' THEN 1 ELSE 0 END), 0), "
                             "COALESCE(SUM(CASE WHEN k % 9 = 0 AND v = 'g' THEN 1 ELSE 0 END), 0) FROM gu WHERE k >= 0", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)->Int(0), ok.load());
  EXPECT_EQ((*rows)->Int(1), 0);
  EXPECT_EQ((*rows)->Int(2), 0);
  EXPECT_GT(ok.load(), kThreads * kEach / 2);
  EXPECT_GT(refused.load(), 0);
}

// Statement jobs: each sees the rows its statement changed; a job refused by its `then`
// (nothing written) costs no other job; what is acknowledged is there, once.
TEST_F(GroupCommitTest, StatementJobsArePipelinedAndEachSeesItsOwnRowCount) {
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->ExecScript("CREATE TABLE gs (k INTEGER PRIMARY KEY, v TEXT NOT NULL)").ok());
  }
  GroupCommit group(*store_);
  constexpr int kThreads = 8, kEach = 60;
  std::atomic<int> written{0}, duplicates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Two threads write each key: one row changes, the other's statement changes none.
        const std::int64_t k = (t / 2) * kEach + i;
        auto r = group.RunStatement<std::int64_t>(
            "INSERT INTO gs (k, v) VALUES (?, ?) ON CONFLICT DO NOTHING", {k, std::string("t") + std::to_string(t)},
            [&](Conn& conn, std::int64_t changed) -> Result<std::int64_t> {
              if (changed == 1) return k;
              SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT v FROM gs WHERE k = ?", {k}));
              return Error::Make(ErrorKind::kConflict, "taken", row ? row->Text(0) : "?");
            });
        if (r.ok() && *r == k) ++written;
        else if (!r.ok() && r.error().code == "taken") ++duplicates;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(written.load(), kThreads / 2 * kEach);
  EXPECT_EQ(duplicates.load(), kThreads / 2 * kEach);
  auto conn = store_->Acquire();
  auto rows = conn->QueryOne("SELECT COUNT(*) FROM gs", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)->Int(0), kThreads / 2 * kEach);
  EXPECT_LT(group.batches(), group.jobs());
}

// Asynchronous statement jobs: each callback gets its own answer once, after the commit
// (the row is there for any reader then), and none of the submitting threads waits.
TEST_F(GroupCommitTest, AsynchronousStatementJobsAreAnsweredAfterTheirCommit) {
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->ExecScript("CREATE TABLE ga (k INTEGER PRIMARY KEY)").ok());
  }
  constexpr int kJobs = 300;
  std::mutex mu;
  std::condition_variable cv;
  int answered = 0, written = 0, taken = 0, seen_after_commit = 0;
  {
    GroupCommit group(*store_);
    for (int i = 0; i < kJobs; ++i) {
      const std::int64_t k = i % (kJobs / 2);  // each key twice: the second is refused
      group.RunStatementAsync<std::int64_t>(
          "INSERT INTO ga (k) VALUES (?) ON CONFLICT DO NOTHING", {k},
          [k](Conn&, std::int64_t changed) -> Result<std::int64_t> {
            if (changed == 1) return k;
            return Error::Make(ErrorKind::kConflict, "taken", "taken");
          },
          [&, k](Result<std::int64_t> r) {
            // Committed: another connection sees the row.
            auto conn = store_->Acquire();
            auto row = conn->QueryOne("SELECT 1 FROM ga WHERE k = ?", {k});
            std::lock_guard lock(mu);
            if (row.ok() && *row) ++seen_after_commit;
            if (r.ok() && *r == k) ++written;
            else if (!r.ok() && r.error().code == "taken") ++taken;
            ++answered;
            cv.notify_all();
          });
    }
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return answered == kJobs; }));
  }
  EXPECT_EQ(written, kJobs / 2);
  EXPECT_EQ(taken, kJobs / 2);
  EXPECT_EQ(seen_after_commit, kJobs);
}

}  // namespace
}  // namespace solidum::store
