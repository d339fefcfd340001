#include "store/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "../../tests/support/temp_dir.h"
#include "store/postgres/postgres_store.h"

namespace solidum::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Open("sqlite:" + dir_.File("db/test.db"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    auto m = store_->Migrate();
    ASSERT_TRUE(m.ok()) << m.error().message;
  }
  solidum::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, MigratesOnceAndRecordsTheVersion) {
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_GE(*v, 1);
  auto again = store_->Migrate();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(StoreTest, SeedsVocabularies) {
  auto conn = store_->Acquire();
  auto row = conn->QueryOne("SELECT label_en, label_pt FROM legal_forms WHERE code = ?", {std::string("OS60")});
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->Text(0), "Workers cooperative");
  EXPECT_EQ((*row)->Text(1), "Cooperativa de trabalho");
  auto n = conn->QueryOne("SELECT COUNT(*) FROM countries", {});
  EXPECT_EQ((*n)->Int(0), 249);
}

TEST_F(StoreTest, RollsBackWhenTheBodyFails) {
  auto r = InTransaction<int>(*store_, TxKind::kWrite, [](Conn& c) -> Result<int> {
    SOLIDUM_TRY(c.Exec("INSERT INTO countries (code, label_en) VALUES ('ZZ', 'Nowhere')", {}));
    return Error::Invalid("/x", "test", "fail on purpose");
  });
  ASSERT_FALSE(r.ok());
  auto conn = store_->Acquire();
  auto row = conn->QueryOne("SELECT 1 FROM countries WHERE code = 'ZZ'", {});
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(row->has_value());
}

TEST_F(StoreTest, MapsUniqueViolationsToConflict) {
  auto conn = store_->Acquire();
  auto r = conn->Exec("INSERT INTO countries (code, label_en) VALUES ('FR', 'again')", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kConflict);
}

TEST_F(StoreTest, RoundTripsValuesOfEveryType) {
  auto conn = store_->Acquire();
  auto rows = conn->Query("SELECT ?, ?, ?, ?", {Null{}, std::int64_t{-9007199254740993}, 2.5,
                                                std::string("Coopérative \xF0\x9F\x8C\xB1")});
  ASSERT_TRUE(rows.ok());
  const Row& row = rows->at(0);
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_EQ(row.Int(1), -9007199254740993);
  EXPECT_DOUBLE_EQ(row.Real(2), 2.5);
  EXPECT_EQ(row.Text(3), "Coopérative \xF0\x9F\x8C\xB1");
}

TEST_F(StoreTest, ConcurrentWritersAllCommit) {
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->ExecScript("CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0);").ok());
  }
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto r = InTransaction<bool>(*store_, TxKind::kWrite, [](Conn& c) -> Result<bool> {
          SOLIDUM_ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT n FROM counter", {}));
          SOLIDUM_TRY(c.Exec("UPDATE counter SET n = ?", {row->Int(0) + 1}));
          return true;
        });
        ASSERT_TRUE(r.ok()) << r.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto conn = store_->Acquire();
  EXPECT_EQ((*conn->QueryOne("SELECT n FROM counter", {}))->Int(0), kThreads * kEach);
}

// WAL checkpoints run on the store's own thread (sqlite_store.cc; SQLite's automatic one
// is off on the store's connections, which would run at 20,000 pages only): after a
// commit that leaves the log past 1,000 pages, the pages reach the database file without
// any other write or close, so the log never grows without bound.
TEST_F(StoreTest, CheckpointsTheWalInTheBackground) {
  const std::string file = dir_.File("db/test.db");
  const auto before = std::filesystem::file_size(file);
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn->ExecScript("CREATE TABLE bulk (b BLOB); BEGIN; "
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
                                 "INSERT INTO bulk SELECT randomblob(4000) FROM n; COMMIT;").ok());
  }
  // 1,500 rows of 4,000 bytes: about 6 MB that only a checkpoint copies into the file.
  auto grown = [&] { return std::filesystem::file_size(file) >= before + 5'000'000; };
  for (int i = 0; i < 200 && !grown(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(grown()) << std::filesystem::file_size(file) << " bytes, " << before << " before";
}

TEST(StoreOpen, RejectsUnknownUrls) {
  auto r = Open("mysql://nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "bad_store_url");
}

}  // namespace
TEST(PostgresStore, NumbersPlaceholdersOutsideQuotes) {
  EXPECT_EQ(postgres::NumberPlaceholders("SELECT ? FROM t WHERE a = ? AND b = '?' AND \"c?\" = ?"),
            "SELECT $1 FROM t WHERE a = $2 AND b = '?' AND \"c?\" = $3");
  EXPECT_EQ(postgres::NumberPlaceholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
}

TEST(PostgresStore, NeverShowsAPassword) {
  EXPECT_EQ(postgres::RedactPassword("postgresql://ana:s3cret@db.example:5432/solidum"),
            "postgresql://ana:***@db.example:5432/solidum");
  EXPECT_EQ(postgres::RedactPassword("postgresql://ana@db.example/solidum?password=s3cret&sslmode=require"),
            "postgresql://ana@db.example/solidum?password=***&sslmode=require");
  EXPECT_EQ(postgres::RedactPassword("postgresql://db.example/solidum"), "postgresql://db.example/solidum");
}

}  // namespace solidum::store
