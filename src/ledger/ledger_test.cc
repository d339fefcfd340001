// The ledger service on both stores: transfers durable and found again after a restart
// (balances, replays, open pending transfers), expiries written by the writer, many
// threads sharing transactions, and memory never ahead of the store.
#include "ledger/ledger.h"
#include "ledger/testing.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "../../tests/support/test_store.h"

namespace solidum::ledger {
namespace {

// A clock the test moves while the writer reads it.
class TestClock final : public Clock {
 public:
  std::int64_t NowMicros() const override { return now_.load(); }
  void Advance(std::int64_t micros) { now_ += micros; }

 private:
  std::atomic<std::int64_t> now_{1'800'000'000'000'000};
};

using testing::Pay;

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "ledger"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES ('Banque du temps', 'x', 'x') RETURNING id", {});
    ASSERT_TRUE(org.ok()) << org.error().message;
    organisation_ = (*org)->Int(0);
    Restart();
    auto c = ledger_->CreateCurrency(organisation_, CurrencyInput{"HOURS", "Heures", "hour", 0, 20, std::nullopt});
    ASSERT_TRUE(c.ok()) << c.error().message;
    currency_ = c->id;
    for (int i = 0; i < 3; ++i) {
      auto a = ledger_->OpenAccount(currency_, AccountInput{std::nullopt, "Account " + std::to_string(i), std::nullopt, std::nullopt, false});
      ASSERT_TRUE(a.ok()) << a.error().message;
      accounts_.push_back(a->state.id);
    }
  }
  // A new Ledger on the same store, as after a restart.
  void Restart() {
    ledger_.reset();
    ledger_ = std::make_unique<Ledger>(*store_, clock_);
    auto started = ledger_->Start();
    ASSERT_TRUE(started.ok()) << started.error().message;
  }
  std::vector<Outcome> Send(std::vector<TransferRequest> batch) {
    auto r = ledger_->Transfer(std::move(batch));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::vector<Outcome>{};
  }
  std::int64_t Balance(std::int64_t account) { return ledger_->AccountState(account).value().balance; }

  solidum::testing::TempDir dir_;
  TestClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Ledger> ledger_;
  std::int64_t organisation_ = 0, currency_ = 0;
  std::vector<std::int64_t> accounts_;
};

TEST_F(LedgerTest, TransfersAreDurableAndFoundAgainAfterARestart) {
  auto out = Send({Pay("t1", accounts_[0], accounts_[1], 5), Pay("t2", accounts_[1], accounts_[2], 3), Pay("t3", accounts_[2], accounts_[0], 99)});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].refusal, Refusal::kNone);
  EXPECT_EQ(out[1].refusal, Refusal::kNone);
  EXPECT_EQ(out[2].refusal, Refusal::kExceedsCreditLimit);  // the currency's default limit: 20
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
  Restart();
  EXPECT_EQ(Balance(accounts_[0]), -5);
  EXPECT_EQ(Balance(accounts_[1]), 2);
  EXPECT_EQ(Balance(accounts_[2]), 3);
  // The same ids after the restart: answered again, nothing moves; other content refused.
  auto again = Send({Pay("t1", accounts_[0], accounts_[1], 5), Pay("t2", accounts_[1], accounts_[2], 4)});
  EXPECT_TRUE(again[0].replayed);
  EXPECT_EQ(again[0].transfer.at_us, out[0].transfer.at_us);
  EXPECT_EQ(again[1].refusal, Refusal::kIdReusedWithDifferentContent);
  EXPECT_EQ(Balance(accounts_[1]), 2);
  // A refused id is free.
  EXPECT_EQ(Send({Pay("t3", accounts_[2], accounts_[0], 3)})[0].refusal, Refusal::kNone);
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
}

// Rounds take ids for new and find retries by the id index (see ledger.h): a retry must
// be answered as the original even when applying it again would be refused, alone, in a
// linked chain, or mixed with new transfers, and nothing may move twice.
TEST_F(LedgerTest, RetriesAreAnsweredAsTheOriginalEvenWhenApplyingThemAgainWouldBeRefused) {
  auto first = Send({Pay("full", accounts_[0], accounts_[1], 20)});  // to the limit of 20
  ASSERT_EQ(first[0].refusal, Refusal::kNone);
  auto check = [&](std::vector<TransferRequest> batch, std::size_t retry) {
    clock_.Advance(kCarefulMicros);  // the retry seen before no longer makes rounds careful
    auto out = Send(std::move(batch));
    ASSERT_GT(out.size(), retry);
    EXPECT_EQ(out[retry].refusal, Refusal::kNone);
    EXPECT_TRUE(out[retry].replayed);
    EXPECT_EQ(out[retry].transfer.at_us, first[0].transfer.at_us);
  };
  check({Pay("full", accounts_[0], accounts_[1], 20)}, 0);                                    // the limit would refuse it
  check({Pay("new-1", accounts_[2], accounts_[1], 1), Pay("full", accounts_[0], accounts_[1], 20)}, 1);  // beside a new one
  check({Pay("new-2", accounts_[2], accounts_[1], 1, kLinked), Pay("full", accounts_[0], accounts_[1], 20)}, 1);  // ending a chain
  EXPECT_EQ(Balance(accounts_[0]), -20);
  EXPECT_EQ(Balance(accounts_[1]), 22);  // 20, then new-1 and new-2 once each
  EXPECT_EQ(Balance(accounts_[2]), -2);
  ASSERT_TRUE(ledger_->ChangeAccount(currency_, accounts_[0], AccountChange{AccountStatus::kFrozen, std::nullopt, false, std::nullopt}).ok());
  check({Pay("full", accounts_[0], accounts_[1], 20)}, 0);  // the account is frozen now
  clock_.Advance(kCarefulMicros);
  EXPECT_EQ(Send({Pay("full", accounts_[0], accounts_[1], 19)})[0].refusal, Refusal::kIdReusedWithDifferentContent);
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
  Restart();
  EXPECT_EQ(Balance(accounts_[1]), 22);
}

// Rows go to the store many per statement (store::Conn::InsertRows): full statements and
// the rest one by one, each row whole and in order.
TEST_F(LedgerTest, ABatchIsStoredWholeAndInOrderAcrossItsMultiRowStatements) {
  const std::size_t n = 2 * store::Conn::kRowsPerInsert + 7;
  std::vector<TransferRequest> batch;
  for (std::size_t i = 0; i < n; ++i) {
    // Back and forth, within the credit limit of 20.
    auto t = i % 2 ? Pay("m" + std::to_string(i), accounts_[2], accounts_[0], 1) : Pay("m" + std::to_string(i), accounts_[0], accounts_[2], 1);
    t.memo = "n° " + std::to_string(i);
    batch.push_back(t);
  }
  for (const auto& o : Send(batch)) ASSERT_EQ(o.refusal, Refusal::kNone);
  Restart();
  EXPECT_EQ(Balance(accounts_[2]), 1);  // n is odd
  auto entries = ledger_->Statement(accounts_[2], 0, static_cast<int>(n));
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), n);
  for (std::size_t k = 0; k < n; ++k) {  // newest first, each with its running balance
    const std::size_t i = n - 1 - k;
    EXPECT_EQ((*entries)[k].transfer.request.id, "m" + std::to_string(i));
    EXPECT_EQ((*entries)[k].transfer.request.memo, "n° " + std::to_string(i));
    EXPECT_EQ((*entries)[k].balance, i % 2 ? 0 : 1);
  }
}

TEST_F(LedgerTest, PendingTransfersSurviveARestartAndLapse) {
  auto hold = Pay("hold", accounts_[0], accounts_[1], 15, kPending);
  auto lapsing = Pay("lapsing", accounts_[2], accounts_[1], 4, kPending);
  lapsing.timeout_seconds = 60;
  auto out = Send({hold, lapsing});
  ASSERT_EQ(out[0].refusal, Refusal::kNone);
  ASSERT_EQ(out[1].refusal, Refusal::kNone);
  Restart();
  EXPECT_EQ(ledger_->AccountState(accounts_[0])->debits_pending, 15);
  EXPECT_EQ(Send({Pay("more", accounts_[0], accounts_[1], 6)})[0].refusal, Refusal::kExceedsCreditLimit);  // 15 of 20 reserved
  TransferRequest post;
  post.id = "post";
  post.pending_id = "hold";
  post.flags = kPostPending;
  post.amount = 10;
  ASSERT_EQ(Send({post})[0].refusal, Refusal::kNone);
  EXPECT_EQ(Balance(accounts_[0]), -10);
  EXPECT_EQ(ledger_->AccountState(accounts_[0])->debits_pending, 0);

  // The writer voids the lapsed one on its own, within about a second.
  clock_.Advance(61'000'000);
  for (int i = 0; i < 50 && ledger_->AccountState(accounts_[2])->debits_pending != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(ledger_->AccountState(accounts_[2])->debits_pending, 0);
  EXPECT_EQ(ledger_->AccountState(accounts_[1])->credits_pending, 0);
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
  Restart();
  TransferRequest late;
  late.id = "late";
  late.pending_id = "lapsing";
  late.flags = kPostPending;
  EXPECT_EQ(Send({late})[0].refusal, Refusal::kPendingTransferExpired);
  post.id = "post-again";
  EXPECT_EQ(Send({post})[0].refusal, Refusal::kPendingTransferAlreadyPosted);
  auto conn = store_->Acquire();
  auto expiry = conn->QueryOne("SELECT amount, flags FROM transfers WHERE pending_id = 'lapsing'", {});
  ASSERT_TRUE(expiry.ok() && expiry->has_value());
  EXPECT_EQ((*expiry)->Int(0), 4);
  EXPECT_EQ((*expiry)->Int(1), 16);
}

TEST_F(LedgerTest, ManyThreadsShareTransactionsAndBalancesStayTrue) {
  // More accounts, generous limits.
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 20; ++i) {
    auto a = ledger_->OpenAccount(currency_, AccountInput{std::nullopt, "Member " + std::to_string(i), 1000, std::nullopt, false});
    ASSERT_TRUE(a.ok());
    ids.push_back(a->state.id);
  }
  constexpr int kThreads = 8, kBatches = 25, kEach = 20;
  const std::size_t rounds_before = ledger_->rounds();
  std::atomic<int> accepted{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<unsigned>(t));
      for (int b = 0; b < kBatches; ++b) {
        std::vector<TransferRequest> batch;
        for (int k = 0; k < kEach; ++k) {
          const auto from = ids[rng() % ids.size()], to = ids[rng() % ids.size()];
          batch.push_back(Pay("x" + std::to_string(t) + "-" + std::to_string(b) + "-" + std::to_string(k), from, to,
                              1 + static_cast<std::int64_t>(rng() % 300), rng() % 5 == 0 ? kLinked : 0u));
        }
        batch.back().flags &= ~kLinked;
        auto r = ledger_->Transfer(batch);
        if (!r.ok()) {
          ++errors;
          continue;
        }
        for (const auto& o : *r) accepted += o.refusal == Refusal::kNone ? 1 : 0;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(accepted.load(), kThreads * kBatches * kEach / 2);
  EXPECT_LT(ledger_->rounds() - rounds_before, static_cast<std::size_t>(kThreads * kBatches));  // batches shared transactions
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
  auto conn = store_->Acquire();
  auto sums = conn->QueryOne("SELECT SUM(balance), COUNT(*) FROM ledger_accounts WHERE currency_id = ?", {currency_});
  ASSERT_TRUE(sums.ok());
  EXPECT_EQ((*sums)->Int(0), 0);
  auto stored = conn->QueryOne("SELECT COUNT(*) FROM transfers", {});
  EXPECT_EQ((*stored)->Int(0), accepted.load());
}

TEST_F(LedgerTest, CurrenciesAndAccountsAreValidated) {
  auto bad_code = ledger_->CreateCurrency(organisation_, CurrencyInput{"hours!", "Heures", "hour", 0, 0, std::nullopt});
  ASSERT_FALSE(bad_code.ok());
  EXPECT_EQ(bad_code.error().fields.at(0).field, "/code");
  auto bad_decimals = ledger_->CreateCurrency(organisation_, CurrencyInput{"EUR-L", "Local euro", "euro", 9, 0, std::nullopt});
  ASSERT_FALSE(bad_decimals.ok());
  EXPECT_EQ(bad_decimals.error().fields.at(0).field, "/decimals");
  auto taken = ledger_->CreateCurrency(organisation_, CurrencyInput{"HOURS", "Other", "hour", 0, 0, std::nullopt});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, "code_taken");
  auto bad_limit = ledger_->OpenAccount(currency_, AccountInput{std::nullopt, "X", -1, std::nullopt, false});
  ASSERT_FALSE(bad_limit.ok());
  EXPECT_EQ(bad_limit.error().fields.at(0).field, "/credit_limit");
  EXPECT_EQ(ledger_->OpenAccount(999, AccountInput{std::nullopt, "X", std::nullopt, std::nullopt, false}).error().kind, ErrorKind::kNotFound);
  auto stranger = ledger_->OpenAccount(currency_, AccountInput{424242, "Not a member", std::nullopt, std::nullopt, false});
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().fields.at(0).field, "/member_id");
  EXPECT_EQ(stranger.error().fields.at(0).code, "unknown_member");
}

TEST_F(LedgerTest, ARefusedOpeningFailsAloneInItsRound) {
  // A member's second account in one currency is refused, while transfers go on.
  auto conn = store_->Acquire();
  auto member = conn->QueryOne("INSERT INTO members (organisation_id, kind, name, status, joined_on, created_at, updated_at) "
                               "VALUES (?, 'person', 'Ana', 'active', '2026-01-01', 'x', 'x') RETURNING id",
                               {organisation_});
  ASSERT_TRUE(member.ok()) << member.error().message;
  const std::int64_t m = (*member)->Int(0);
  ASSERT_TRUE(ledger_->OpenAccount(currency_, AccountInput{m, "Ana", std::nullopt, std::nullopt, false}).ok());
  std::thread payer([&] {
    for (int i = 0; i < 20; ++i) Send({Pay("p" + std::to_string(i), accounts_[0], accounts_[1], 1)});
  });
  for (int i = 0; i < 5; ++i) {
    auto second = ledger_->OpenAccount(currency_, AccountInput{m, "Ana again", std::nullopt, std::nullopt, false});
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, "account_exists");
  }
  payer.join();
  EXPECT_EQ(Balance(accounts_[1]), 20);
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
}

TEST_F(LedgerTest, TwoServersOnOneStoreNeverWorkFromStaleBalances) {
  // A second writer on the same store, as a second server would run.
  Ledger other(*store_, clock_);
  ASSERT_TRUE(other.Start().ok());
  ASSERT_EQ(Send({Pay("a1", accounts_[0], accounts_[1], 15)})[0].refusal, Refusal::kNone);
  // The other writer's memory still says account 0 is at 0: it must reload and refuse.
  auto second = other.Transfer({Pay("b1", accounts_[0], accounts_[2], 10)});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ((*second)[0].refusal, Refusal::kExceedsCreditLimit);  // 15 + 10 > 20
  auto third = other.Transfer({Pay("b2", accounts_[0], accounts_[2], 5), Pay("a1", accounts_[0], accounts_[1], 15)});
  ASSERT_TRUE(third.ok());
  EXPECT_EQ((*third)[0].refusal, Refusal::kNone);
  EXPECT_TRUE((*third)[1].replayed);  // the first writer's transfer, known to the second
  // And back: the first writer sees the second's transfer.
  EXPECT_EQ(Send({Pay("a2", accounts_[0], accounts_[1], 1)})[0].refusal, Refusal::kExceedsCreditLimit);  // at -20 already
  EXPECT_EQ(ledger_->ReadAccount(accounts_[0])->value().balance, -20);
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
  ASSERT_TRUE(other.Verify().ok()) << other.Verify().error().message;
}

TEST(FormatAmount, WritesMinorUnitsExactly) {
  EXPECT_EQ(FormatAmount(-1250, 2), "-12.50");
  EXPECT_EQ(FormatAmount(5, 2), "0.05");
  EXPECT_EQ(FormatAmount(0, 2), "0.00");
  EXPECT_EQ(FormatAmount(7, 0), "7");
  EXPECT_EQ(FormatAmount(-1, 6), "-0.000001");
  EXPECT_EQ(FormatAmount(INT64_MIN, 2), "-92233720368547758.08");
  EXPECT_EQ(FormatAmount(INT64_MAX, 0), "9223372036854775807");
}

TEST_F(LedgerTest, BalancesAreCheckpointedAndTheTransfersAfterAreReplayed) {
  auto stored = [&](std::int64_t account) {
    auto conn = store_->Acquire();
    auto r = conn->QueryOne("SELECT balance FROM ledger_accounts WHERE id = ?", {account});
    return r.ok() && *r ? (*r)->Int(0) : -999;
  };
  ASSERT_EQ(Send({Pay("c1", accounts_[0], accounts_[1], 5)})[0].refusal, Refusal::kNone);
  // Within the second: the stored balance waits for its checkpoint, the committed one is there.
  EXPECT_EQ(stored(accounts_[0]), 0);
  EXPECT_EQ(ledger_->ReadAccount(accounts_[0])->value().balance, -5);
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
  // A second later the next round writes them.
  clock_.Advance(kCheckpointMicros);
  ASSERT_EQ(Send({Pay("c2", accounts_[1], accounts_[2], 2)})[0].refusal, Refusal::kNone);
  EXPECT_EQ(stored(accounts_[0]), -5);
  EXPECT_EQ(stored(accounts_[1]), 3);
  EXPECT_EQ(stored(accounts_[2]), 2);
  // Transfers after the checkpoint are replayed by a server that starts without it (a
  // second server: the first one has not stopped, so it wrote no final checkpoint).
  ASSERT_EQ(Send({Pay("c3", accounts_[2], accounts_[0], 7), Pay("c4", accounts_[0], accounts_[1], 1)})[0].refusal, Refusal::kNone);
  EXPECT_EQ(stored(accounts_[0]), -5);
  {
    Ledger other(*store_, clock_);
    ASSERT_TRUE(other.Start().ok());
    EXPECT_EQ(other.AccountState(accounts_[0])->balance, 1);
    EXPECT_EQ(other.AccountState(accounts_[1])->balance, 4);
    EXPECT_EQ(other.AccountState(accounts_[2])->balance, -5);
    ASSERT_TRUE(other.Verify().ok()) << other.Verify().error().message;
  }
  // A writer that stops checkpoints what it holds.
  Restart();
  EXPECT_EQ(stored(accounts_[0]), 1);
  EXPECT_EQ(stored(accounts_[2]), -5);
  ASSERT_TRUE(ledger_->Verify().ok()) << ledger_->Verify().error().message;
}

TEST_F(LedgerTest, AStatementWalksAnAccountsTransfersWithRunningBalances) {
  const auto a = accounts_[0], b = accounts_[1], c = accounts_[2];
  ASSERT_EQ(Send({Pay("s1", a, b, 5), Pay("s2", c, a, 2), Pay("s3", b, c, 1)})[0].refusal, Refusal::kNone);
  auto hold = Pay("s4", a, c, 4, kPending);
  ASSERT_EQ(Send({hold})[0].refusal, Refusal::kNone);
  Restart();  // the chains go on across a restart
  TransferRequest post;
  post.id = "s5";
  post.pending_id = "s4";
  post.flags = kPostPending;
  post.amount = 3;
  ASSERT_EQ(Send({post, Pay("s6", b, a, 1)})[0].refusal, Refusal::kNone);

  auto all = ledger_->Statement(a, 0, 100);
  ASSERT_TRUE(all.ok()) << all.error().message;
  std::vector<std::string> ids, kinds;
  std::vector<std::int64_t> changes, balances;
  for (const auto& e : *all) {
    ids.push_back(e.transfer.request.id);
    kinds.push_back(std::string(EntryKind(e.transfer.request.flags)));
    changes.push_back(e.change);
    balances.push_back(e.balance);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"s6", "s5", "s4", "s2", "s1"}));
  EXPECT_EQ(kinds, (std::vector<std::string>{"transfer", "posted", "pending", "transfer", "transfer"}));
  EXPECT_EQ(changes, (std::vector<std::int64_t>{1, -3, 0, 2, -5}));
  EXPECT_EQ(balances, (std::vector<std::int64_t>{-5, -6, -3, -3, -5}));
  EXPECT_EQ(balances.front(), Balance(a));
  EXPECT_EQ((*all)[0].debit_name, "Account 1");

  // Pages of two, each from the last one's last transfer.
  auto first = ledger_->Statement(a, 0, 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  auto second = ledger_->Statement(a, first->back().seq, 2);
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].transfer.request.id, "s4");
  auto last = ledger_->Statement(a, second->back().seq, 2);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].transfer.request.id, "s1");
  EXPECT_TRUE(ledger_->Statement(a, last->back().seq, 2)->empty());

  // B's view of the same transfers: its own side of each.
  auto theirs = ledger_->Statement(b, 0, 100);
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(theirs->size(), 3u);
  EXPECT_EQ((*theirs)[0].change, -1);
  EXPECT_EQ((*theirs)[0].balance, Balance(b));
  // A position that is not the account's, and an unknown account.
  const auto s3 = (*theirs)[1].seq;
  EXPECT_EQ(ledger_->Statement(a, s3, 2).error().code, "unknown_position");
  EXPECT_EQ(ledger_->Statement(999999, 0, 2).error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(ledger_->Statement(c, 0, 100).ok());
}

TEST(Histogram, BinsAreRoundAndAlignedOnZero) {
  auto h = Histogram({-150, 0, 30, 420}, 20);
  ASSERT_EQ(h.size(), 12u);
  EXPECT_EQ(h.front().from, -150);
  EXPECT_EQ(h.front().to, -100);
  EXPECT_EQ(h.front().count, 1);
  EXPECT_EQ(h[3].from, 0);
  EXPECT_EQ(h[3].count, 2);
  EXPECT_EQ(h.back().from, 400);
  EXPECT_EQ(h.back().count, 1);
  EXPECT_TRUE(Histogram({}, 20).empty());
  auto one = Histogram({5}, 20);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].from, 5);
  EXPECT_EQ(one[0].to, 6);
  // The whole int64 range neither overflows nor makes more than about 20 bins.
  auto wide = Histogram({INT64_MIN, -1, INT64_MAX}, 20);
  std::int64_t total = 0;
  for (const auto& b : wide) total += b.count;
  EXPECT_EQ(total, 3);
  EXPECT_LE(wide.size(), 21u);
}

TEST_F(LedgerTest, StatisticsCountEachTransferOnceAcrossMonthsServersAndRestarts) {
  const auto a = accounts_[0], b = accounts_[1], c = accounts_[2];
  ASSERT_EQ(Send({Pay("m1", a, b, 5), Pay("m2", c, a, 2)})[0].refusal, Refusal::kNone);
  {
    // A second server, which starts with m1 and m2 after the checkpoint and writes its own.
    Ledger other(*store_, clock_);
    ASSERT_TRUE(other.Start().ok());
    auto r = other.Transfer({Pay("m3", b, c, 1), Pay("m4", a, c, 4, kPending)});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ((*r)[0].refusal, Refusal::kNone);
  }  // stops: its final checkpoint
  TransferRequest post;
  post.id = "m5";
  post.pending_id = "m4";
  post.flags = kPostPending;
  post.amount = 3;
  ASSERT_EQ(Send({post})[0].refusal, Refusal::kNone);  // this writer reloads first: m1-m3 are not counted again
  Restart();

  auto stats = ledger_->Statistics(currency_, 2);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  ASSERT_EQ(stats->months.size(), 2u);
  EXPECT_EQ(stats->months[0].month, "2026-12");
  EXPECT_EQ(stats->months[0].trades, 0);
  EXPECT_FALSE(stats->months[0].supply.has_value());
  const auto& jan = stats->months[1];
  EXPECT_EQ(jan.month, "2027-01");
  EXPECT_EQ(jan.trades, 4);   // m1, m2, m3 and the post; not the reservation
  EXPECT_EQ(jan.volume, 11);
  EXPECT_EQ(jan.active_accounts, 3);
  EXPECT_EQ(jan.supply, 6);   // a -6, b 4, c 2
  const auto& bal = stats->balances;
  EXPECT_EQ(bal.accounts, 3);
  EXPECT_EQ(bal.negative, 1);
  EXPECT_EQ(bal.positive, 2);
  EXPECT_EQ(bal.min, -6);
  EXPECT_EQ(bal.median, 2);
  EXPECT_EQ(bal.max, 4);
  EXPECT_EQ(bal.supply, 6);

  // Next month: its own line; the supply carries on.
  clock_.Advance(31LL * 86'400'000'000);
  ASSERT_EQ(Send({Pay("m6", b, a, 4)})[0].refusal, Refusal::kNone);
  Restart();
  stats = ledger_->Statistics(currency_, 3);
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->months.size(), 3u);
  EXPECT_EQ(stats->months[1].trades, 4);
  EXPECT_EQ(stats->months[2].month, "2027-02");
  EXPECT_EQ(stats->months[2].trades, 1);
  EXPECT_EQ(stats->months[2].volume, 4);
  EXPECT_EQ(stats->months[2].active_accounts, 2);
  EXPECT_EQ(stats->months[2].supply, 2);  // a -2, b 0, c 2
  EXPECT_EQ(ledger_->Statistics(currency_, 1)->months[0].month, "2027-02");
}

}  // namespace
}  // namespace solidum::ledger

namespace solidum::ledger {
namespace {

// Trade between communities: a time bank (hours) linked to a local currency (2 decimals)
// at 1 hour = 12.50; a payment is both legs or neither, each currency still sums to zero,
// and all of it holds after a restart.
TEST_F(LedgerTest, APaymentToAnotherCommunityIsBothLegsOrNeither) {
  auto euros = ledger_->CreateCurrency(organisation_, CurrencyInput{"SOL", "Sol-violette", "sol", 2, 5000, std::nullopt});
  ASSERT_TRUE(euros.ok()) << euros.error().message;
  auto shop = ledger_->OpenAccount(euros->id, AccountInput{std::nullopt, "Épicerie", std::nullopt, 4000, false});
  ASSERT_TRUE(shop.ok());
  auto bad_rate = ledger_->CreateLink({currency_, euros->id, "12,5", 0, 0, std::nullopt, {}});
  ASSERT_FALSE(bad_rate.ok());
  EXPECT_EQ(bad_rate.error().fields.at(0).field, "/rate");
  EXPECT_FALSE(ledger_->CreateLink({currency_, currency_, "1", 0, 0, std::nullopt, {}}).ok());
  auto link = ledger_->CreateLink({currency_, euros->id, "12.5", 2, 10000, std::nullopt, {}});
  ASSERT_TRUE(link.ok()) << link.error().message;
  auto again = ledger_->CreateLink({euros->id, currency_, "0.08", 0, 0, std::nullopt, {}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "link_exists");

  const LinkSide hours{currency_, 0, link->account_a}, sols{euros->id, 2, link->account_b};
  // 3 hours from account 0 arrive as 37.50 at the shop.
  auto legs = CrossLegs({"x-1", accounts_[0], shop->state.id, 3, "Légumes"}, hours, sols, link->rate, false);
  ASSERT_TRUE(legs.ok());
  auto out = Send(*legs);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].refusal, Refusal::kNone);
  EXPECT_EQ(out[1].refusal, Refusal::kNone);
  EXPECT_EQ(Balance(accounts_[0]), -3);
  EXPECT_EQ(Balance(link->account_a), 3);
  EXPECT_EQ(Balance(link->account_b), -3750);
  EXPECT_EQ(Balance(shop->state.id), 3750);
  // The shop may hold at most 40.00: 3 more hours (37.50) would take it over, so the
  // payer's leg is undone too.
  auto over = Send(*CrossLegs({"x-2", accounts_[1], shop->state.id, 3, ""}, hours, sols, link->rate, false));
  ASSERT_EQ(over.size(), 2u);
  EXPECT_EQ(over[0].refusal, Refusal::kLinkedEventFailed);
  EXPECT_EQ(over[1].refusal, Refusal::kExceedsUpperLimit);
  EXPECT_EQ(Balance(accounts_[1]), 0);
  // Back the other way: the shop pays 25.00 = 2 hours to account 2; the clearing account
  // in hours may go down to -2 (its credit limit), so a third hour is refused.
  auto back = Send(*CrossLegs({"x-3", shop->state.id, accounts_[2], 2500, ""}, sols, hours, link->rate, true));
  EXPECT_EQ(back[1].refusal, Refusal::kNone);
  EXPECT_EQ(Balance(accounts_[2]), 2);
  EXPECT_EQ(Balance(link->account_a), 1);
  auto beyond = Send(*CrossLegs({"x-4", shop->state.id, accounts_[2], 5000, ""}, sols, hours, link->rate, true));  // 4 hours: -3
  EXPECT_EQ(beyond[1].refusal, Refusal::kExceedsCreditLimit);
  EXPECT_EQ(Balance(shop->state.id), 1250);
  // The same payment again answers the original and moves nothing.
  auto replay = Send(*CrossLegs({"x-1", accounts_[0], shop->state.id, 3, "Légumes"}, hours, sols, link->rate, false));
  EXPECT_TRUE(replay[0].replayed);
  EXPECT_TRUE(replay[1].replayed);
  EXPECT_EQ(Balance(accounts_[0]), -3);

  Restart();
  EXPECT_EQ(Balance(link->account_a), 1);
  EXPECT_EQ(Balance(link->account_b), -3750 + 2500);
  for (std::int64_t c : {currency_, euros->id}) {  // each currency still sums to zero
    auto page = ledger_->ListAccounts(c, 0, 100);
    ASSERT_TRUE(page.ok());
    std::int64_t sum = 0;
    for (const auto& a : page->first) sum += a.state.balance;
    EXPECT_EQ(sum, 0) << c;
  }
  auto links = ledger_->LinksOf(euros->id);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ(FormatRate((*links)[0].rate), "12.5");
  EXPECT_EQ((*links)[0].a.def.code, "HOURS");
  EXPECT_TRUE(ledger_->Verify().ok());
}

}  // namespace
}  // namespace solidum::ledger

namespace solidum::ledger {
namespace {

// A link's other writes (accepting a proposal) belong to its transaction: when they fail,
// there is no link, no clearing account in the store, and none in the book.
TEST_F(LedgerTest, ALinkWhoseOtherWritesFailIsNotMadeAtAll) {
  auto other = ledger_->CreateCurrency(organisation_, CurrencyInput{"SOL", "Sol-violette", "sol", 2, 5000, std::nullopt});
  ASSERT_TRUE(other.ok()) << other.error().message;
  LinkInput in{currency_, other->id, "12.5", 0, 0, std::nullopt, {}};
  std::int64_t seen_link = 0;
  std::vector<std::int64_t> clearing_ids;  // as written in the transaction, before it fails
  in.also = [&](store::Conn& conn, std::int64_t link_id) -> Result<void> {
    seen_link = link_id;
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id FROM ledger_accounts WHERE name LIKE 'Clearing:%'"));
    for (const auto& r : rows) clearing_ids.push_back(r.Int(0));
    return Error::Make(ErrorKind::kConflict, "proposal_closed", "closed meanwhile");
  };
  auto refused = ledger_->CreateLink(in);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "proposal_closed");
  EXPECT_GT(seen_link, 0);
  EXPECT_TRUE(ledger_->LinksOf(currency_)->empty());
  auto conn = store_->Acquire();
  auto clearing = conn->QueryOne("SELECT COUNT(*) FROM ledger_accounts WHERE member_id IS NULL AND name LIKE 'Clearing:%'", {});
  ASSERT_TRUE(clearing.ok());
  EXPECT_EQ((*clearing)->Int(0), 0);
  ASSERT_EQ(clearing_ids.size(), 2u);
  for (std::int64_t id : clearing_ids) EXPECT_FALSE(ledger_->AccountState(id).has_value()) << id;  // nor in the book
  // Without the failing writes the same link is made.
  in.also = nullptr;
  EXPECT_TRUE(ledger_->CreateLink(in).ok());
  EXPECT_EQ(ledger_->LinksOf(currency_)->size(), 1u);
}

}  // namespace
}  // namespace solidum::ledger
