// Transaction kinds on each store: an appending transaction (TxKind::kAppend) commits its
// rows like a write; on PostgreSQL it goes in beside a transaction holding the write lock
// (a set-off run's upload beside the ledger's writer), on SQLite it waits for it, as every
// writer of one file does.
#include "store/store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "../../tests/support/test_store.h"

namespace solidum::store {
namespace {

TEST(TxKinds, AnAppendingTransactionCommitsAndOnPostgresDoesNotWaitForTheWriter) {
  solidum::testing::TempDir dir;
  auto opened = Open(solidum::testing::TestStoreUrl(dir, "kinds"));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto store = std::move(opened).value();
  const bool postgres = store->backend() == Backend::kPostgres;
  {
    auto conn = store->Acquire();
    ASSERT_TRUE(conn->ExecScript("CREATE TABLE appended (n BIGINT NOT NULL)").ok());
  }
  auto writer = store->Acquire();
  ASSERT_TRUE(writer->Begin(TxKind::kWrite).ok());
  ASSERT_TRUE(writer->Exec("INSERT INTO appended (n) VALUES (1)", {}).ok());
  auto append = std::async(std::launch::async, [&]() -> Result<void> {
    auto conn = store->Acquire();
    SOLIDUM_TRY(conn->Begin(TxKind::kAppend));
    if (auto r = conn->Exec("INSERT INTO appended (n) VALUES (2)", {}); !r.ok()) {
      (void)conn->Rollback();
      return r.error();
    }
    return conn->Commit();
  });
  if (postgres) {
    const bool waited = append.wait_for(std::chrono::seconds(10)) != std::future_status::ready;
    if (waited) (void)writer->Rollback();  // so that the append ends and the test can fail
    ASSERT_FALSE(waited) << "the append waited for the writer";
    auto r = append.get();
    EXPECT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(writer->Commit().ok());
  } else {
    EXPECT_EQ(append.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout) << "two writers at once on one SQLite file";
    ASSERT_TRUE(writer->Commit().ok());
    auto r = append.get();
    EXPECT_TRUE(r.ok()) << r.error().message;
  }
  auto conn = store->Acquire();
  auto sum = conn->QueryOne("SELECT COUNT(*), SUM(n) FROM appended", {});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ((*sum)->Int(0), 2);
  EXPECT_EQ((*sum)->Int(1), 3);
}

}  // namespace
}  // namespace solidum::store
