// The book's rules: what moves, what is refused and with which code (in the documented
// order), replays, linked chains, two-phase transfers; and, over random traffic, the
// invariants (balances sum to zero, no account past its limits).
#include "ledger/book.h"
#include "ledger/testing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace solidum::ledger {
namespace {

constexpr std::int64_t kHours = 1, kOther = 2;  // currencies
constexpr std::int64_t kNow = 1'800'000'000'000'000;

Account Open(std::int64_t id, std::int64_t credit_limit = 100, std::optional<std::int64_t> upper = std::nullopt, std::int64_t currency = kHours) {
  Account a;
  a.id = id;
  a.currency = currency;
  a.credit_limit = credit_limit;
  a.upper_limit = upper;
  return a;
}

using testing::Pay;

TransferRequest Settle(std::string id, std::string pending_id, std::uint32_t flag, std::int64_t amount = 0) {
  TransferRequest t;
  t.id = std::move(id);
  t.pending_id = std::move(pending_id);
  t.flags = flag;
  t.amount = amount;
  return t;
}

// The store, as far as the book is concerned: every transfer accepted in earlier batches.
struct Store {
  std::map<std::string, Transfer> transfers;
  Known known() {
    return [this](std::string_view id) -> std::optional<Transfer> {
      auto it = transfers.find(std::string(id));
      if (it == transfers.end()) return std::nullopt;
      return it->second;
    };
  }
  void Keep(const Book& book) {
    for (const auto& t : book.accepted()) transfers[t.request.id] = t;
    for (const auto& t : book.settled()) transfers[t.request.id] = t;
  }
};

class BookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    book.Put(Open(1));
    book.Put(Open(2));
    book.Put(Open(3, 0, 150));
  }
  std::vector<Outcome> Apply(std::vector<TransferRequest> batch, std::int64_t now = kNow) {
    auto out = book.Apply(batch, store.known(), now);
    store.Keep(book);
    return out;
  }
  Refusal One(TransferRequest t) { return Apply({std::move(t)}).at(0).refusal; }
  std::int64_t Balance(std::int64_t id) { return book.Find(id)->balance; }
  Book book;
  Store store;
};

TEST_F(BookTest, APaymentMovesTheAmountAndBalancesSumToZero) {
  auto out = Apply({Pay("t1", 1, 2, 40)});
  ASSERT_EQ(out[0].refusal, Refusal::kNone);
  EXPECT_FALSE(out[0].replayed);
  EXPECT_EQ(out[0].transfer.amount, 40);
  EXPECT_EQ(out[0].transfer.at_us, kNow);
  EXPECT_EQ(Balance(1), -40);
  EXPECT_EQ(Balance(2), 40);
  EXPECT_EQ(book.Sums(kHours), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_EQ(book.changed(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(book.accepted().size(), 1u);
}

TEST_F(BookTest, TheCreditLimitIsReachedButNotPassed) {
  EXPECT_EQ(One(Pay("t1", 1, 2, 100)), Refusal::kNone);  // down to -100: the limit
  EXPECT_EQ(One(Pay("t2", 1, 2, 1)), Refusal::kExceedsCreditLimit);
  EXPECT_EQ(Balance(1), -100);
  EXPECT_EQ(One(Pay("t3", 3, 2, 1)), Refusal::kExceedsCreditLimit);  // account 3 may not go below zero
}

TEST_F(BookTest, TheUpperLimitIsReachedButNotPassed) {
  EXPECT_EQ(One(Pay("t1", 1, 3, 100)), Refusal::kNone);
  EXPECT_EQ(One(Pay("t2", 2, 3, 50)), Refusal::kNone);  // 150: the upper limit
  EXPECT_EQ(One(Pay("t3", 2, 3, 1)), Refusal::kExceedsUpperLimit);
  EXPECT_EQ(Balance(3), 150);
}

TEST_F(BookTest, EachRefusalHasItsCodeAndMovesNothing) {
  book.Put(Open(4, 100, std::nullopt, kOther));
  Account frozen = Open(5);
  frozen.status = AccountStatus::kFrozen;
  book.Put(frozen);
  Account closed = Open(6);
  closed.status = AccountStatus::kClosed;
  book.Put(closed);
  auto with_memo = Pay("m", 1, 2, 1);
  with_memo.memo = std::string(kMemoBytesMax + 1, 'x');
  auto timeout_without_pending = Pay("to", 1, 2, 1);
  timeout_without_pending.timeout_seconds = 60;
  auto pending_id_on_plain = Pay("pi", 1, 2, 1);
  pending_id_on_plain.pending_id = "x";
  const std::pair<TransferRequest, Refusal> cases[] = {
      {Pay("", 1, 2, 1), Refusal::kIdInvalid},
      {Pay(std::string(kTransferIdBytesMax + 1, 'a'), 1, 2, 1), Refusal::kIdInvalid},
      {Pay("bad\nid", 1, 2, 1), Refusal::kIdInvalid},
      {Pay("~expired:x", 1, 2, 1), Refusal::kIdInvalid},
      {Pay("f", 1, 2, 1, kPending | kVoidPending), Refusal::kFlagsConflict},
      {Pay("f2", 1, 2, 1, 64), Refusal::kFlagsConflict},
      {with_memo, Refusal::kMemoInvalid},
      {Pay("z", 1, 2, 0), Refusal::kAmountNotPositive},
      {Pay("n", 1, 2, -5), Refusal::kAmountNotPositive},
      {timeout_without_pending, Refusal::kTimeoutInvalid},
      {pending_id_on_plain, Refusal::kPendingIdInvalid},
      {Settle("p0", "", kPostPending), Refusal::kPendingIdInvalid},
      {Settle("p1", "nothing", kPostPending), Refusal::kPendingTransferNotFound},
      {Pay("s", 1, 1, 1), Refusal::kSameAccount},
      {Pay("d", 9, 2, 1), Refusal::kDebitAccountNotFound},
      {Pay("c", 1, 9, 1), Refusal::kCreditAccountNotFound},
      {Pay("cm", 1, 4, 1), Refusal::kCurrencyMismatch},
      {Pay("fr", 5, 2, 1), Refusal::kAccountFrozen},
      {Pay("fr2", 1, 5, 1), Refusal::kAccountFrozen},
      {Pay("cl", 6, 2, 1), Refusal::kAccountClosed},
      {Pay("lim", 1, 2, 101), Refusal::kExceedsCreditLimit},
  };
  for (const auto& [t, want] : cases) {
    const Refusal got = One(t);
    EXPECT_EQ(got, want) << "transfer " << t.id << ": got " << RefusalCode(got) << ", want " << RefusalCode(want);
  }
  for (std::int64_t id : {1, 2, 3, 4, 5, 6}) EXPECT_EQ(Balance(id), 0) << id;
  EXPECT_TRUE(store.transfers.empty());
}

TEST_F(BookTest, RefusalsAreCheckedInTheDocumentedOrder) {
  // Wrong on every count at once: the earliest rule in the list answers.
  EXPECT_EQ(One(Pay("", 9, 9, -1, kPending | kPostPending)), Refusal::kIdInvalid);
  EXPECT_EQ(One(Pay("a", 9, 9, -1, kPending | kPostPending)), Refusal::kFlagsConflict);
  EXPECT_EQ(One(Pay("a", 9, 9, -1)), Refusal::kAmountNotPositive);
  EXPECT_EQ(One(Pay("a", 9, 9, 1)), Refusal::kSameAccount);
  EXPECT_EQ(One(Pay("a", 9, 8, 1)), Refusal::kDebitAccountNotFound);
  ASSERT_EQ(One(Pay("b", 1, 2, 1)), Refusal::kNone);
  EXPECT_EQ(One(Pay("b", 1, 1, 5)), Refusal::kIdReusedWithDifferentContent);  // before same_account
  for (int i = 0; i < kRefusalCount; ++i) EXPECT_FALSE(RefusalCode(static_cast<Refusal>(i)).empty());
}

TEST_F(BookTest, TheSameIdWithTheSameContentIsAnsweredAgainAndMovesNothing) {
  ASSERT_EQ(One(Pay("t1", 1, 2, 30)), Refusal::kNone);
  auto again = Apply({Pay("t1", 1, 2, 30)}, kNow + 5);
  EXPECT_EQ(again[0].refusal, Refusal::kNone);
  EXPECT_TRUE(again[0].replayed);
  EXPECT_EQ(again[0].transfer.at_us, kNow);  // the original
  EXPECT_TRUE(book.accepted().empty());
  EXPECT_EQ(Balance(2), 30);
  // Twice in one batch: once applied, once replayed.
  auto twice = Apply({Pay("t2", 1, 2, 5), Pay("t2", 1, 2, 5)});
  EXPECT_FALSE(twice[0].replayed);
  EXPECT_TRUE(twice[1].replayed);
  EXPECT_EQ(Balance(2), 35);
  EXPECT_EQ(One(Pay("t1", 1, 2, 31)), Refusal::kIdReusedWithDifferentContent);
  EXPECT_EQ(Balance(2), 35);
}

TEST_F(BookTest, ARefusedTransfersIdMayBeSentAgain) {
  EXPECT_EQ(One(Pay("t1", 1, 2, 500)), Refusal::kExceedsCreditLimit);
  EXPECT_EQ(One(Pay("t1", 1, 2, 50)), Refusal::kNone);
}

TEST_F(BookTest, ALinkedChainSucceedsOrFailsAsOne) {
  // 1 pays 2, 2 pays 3, 3 pays 1 beyond its limit: the whole chain goes back.
  auto out = Apply({Pay("a", 1, 2, 50, kLinked), Pay("b", 2, 3, 50, kLinked), Pay("c", 3, 1, 60), Pay("d", 1, 2, 7)});
  EXPECT_EQ(out[0].refusal, Refusal::kLinkedEventFailed);
  EXPECT_EQ(out[1].refusal, Refusal::kLinkedEventFailed);
  EXPECT_EQ(out[2].refusal, Refusal::kExceedsCreditLimit);
  EXPECT_EQ(out[3].refusal, Refusal::kNone);  // after the chain, on its own
  EXPECT_EQ(FailedLink(std::span<const Outcome>(out.data(), 3)), 2u);  // the chain failed at "c"
  EXPECT_EQ(Balance(1), -7);
  EXPECT_EQ(Balance(2), 7);
  EXPECT_EQ(Balance(3), 0);
  EXPECT_EQ(book.accepted().size(), 1u);
  EXPECT_EQ(store.transfers.count("a"), 0u);
  // The same chain within limits goes through whole.
  auto ok = Apply({Pay("a", 1, 2, 50, kLinked), Pay("b", 2, 3, 50, kLinked), Pay("c", 3, 1, 40)});
  for (const auto& o : ok) EXPECT_EQ(o.refusal, Refusal::kNone);
  EXPECT_EQ(FailedLink(ok), std::nullopt);
  EXPECT_EQ(Balance(1), -17);
  EXPECT_EQ(Balance(3), 10);
}

TEST_F(BookTest, ABatchEndingInsideAChainMovesNoneOfIt) {
  auto out = Apply({Pay("a", 1, 2, 5), Pay("b", 1, 2, 5, kLinked), Pay("c", 1, 2, 5, kLinked)});
  EXPECT_EQ(out[0].refusal, Refusal::kNone);
  EXPECT_EQ(out[1].refusal, Refusal::kLinkedEventFailed);
  EXPECT_EQ(out[2].refusal, Refusal::kLinkedEventChainOpen);
  EXPECT_EQ(Balance(2), 5);
}

TEST_F(BookTest, APendingTransferReservesThenPostsPartly) {
  ASSERT_EQ(One(Pay("hold", 1, 2, 80, kPending)), Refusal::kNone);
  EXPECT_EQ(Balance(1), 0);
  EXPECT_EQ(book.Find(1)->debits_pending, 80);
  EXPECT_EQ(book.Find(2)->credits_pending, 80);
  EXPECT_EQ(One(Pay("more", 1, 2, 21)), Refusal::kExceedsCreditLimit);  // 80 reserved of 100
  EXPECT_EQ(One(Settle("post", "hold", kPostPending, 81)), Refusal::kExceedsPendingAmount);
  auto post = Apply({Settle("post", "hold", kPostPending, 60)});
  ASSERT_EQ(post[0].refusal, Refusal::kNone);
  EXPECT_EQ(post[0].transfer.debit_account, 1);
  EXPECT_EQ(post[0].transfer.amount, 60);
  EXPECT_EQ(book.settled().at(0).state, PendingState::kPosted);
  EXPECT_EQ(Balance(1), -60);
  EXPECT_EQ(Balance(2), 60);
  EXPECT_EQ(book.Find(1)->debits_pending, 0);  // the 20 not posted are released
  EXPECT_EQ(book.Find(2)->credits_pending, 0);
  EXPECT_EQ(One(Settle("post2", "hold", kPostPending)), Refusal::kPendingTransferAlreadyPosted);
  EXPECT_EQ(One(Settle("void", "hold", kVoidPending)), Refusal::kPendingTransferAlreadyPosted);
  EXPECT_EQ(One(Settle("x", "post", kVoidPending)), Refusal::kPendingTransferNotPending);
  EXPECT_EQ(book.Sums(kHours), std::make_pair(std::int64_t{0}, std::int64_t{0}));
}

TEST_F(BookTest, AVoidReleasesAndAPostWithoutAmountTakesItAll) {
  ASSERT_EQ(One(Pay("h1", 1, 2, 30, kPending)), Refusal::kNone);
  ASSERT_EQ(One(Pay("h2", 1, 2, 40, kPending)), Refusal::kNone);
  auto wrong = Settle("v", "h1", kVoidPending);
  wrong.debit_account = 3;
  EXPECT_EQ(One(wrong), Refusal::kPendingTransferHasDifferentAccounts);
  EXPECT_EQ(One(Settle("v", "h1", kVoidPending)), Refusal::kNone);
  EXPECT_EQ(One(Settle("p", "h2", kPostPending)), Refusal::kNone);
  EXPECT_EQ(One(Settle("p2", "h1", kPostPending)), Refusal::kPendingTransferAlreadyVoided);
  EXPECT_EQ(Balance(1), -40);
  EXPECT_EQ(book.Find(1)->debits_pending, 0);
  EXPECT_EQ(book.pending(), 0u);
}

TEST_F(BookTest, APendingTransferLapsesAtItsTimeout) {
  auto hold = Pay("h", 1, 2, 50, kPending);
  hold.timeout_seconds = 60;
  ASSERT_EQ(One(hold), Refusal::kNone);
  EXPECT_EQ(One(Pay("n", 1, 2, 51)), Refusal::kExceedsCreditLimit);
  // Past its time it can no longer be posted, even before the writer expires it.
  EXPECT_EQ(Apply({Settle("late", "h", kPostPending)}, kNow + 60'000'000)[0].refusal, Refusal::kPendingTransferExpired);
  book.Expire(kNow + 59'999'999);
  EXPECT_TRUE(book.settled().empty());
  book.Expire(kNow + 60'000'000);
  ASSERT_EQ(book.settled().size(), 1u);
  EXPECT_EQ(book.settled()[0].state, PendingState::kExpired);
  EXPECT_EQ(book.changed(), (std::vector<std::int64_t>{1, 2}));
  store.Keep(book);
  EXPECT_EQ(book.Find(1)->debits_pending, 0);
  EXPECT_EQ(One(Pay("n", 1, 2, 100)), Refusal::kNone);  // the whole limit again
  EXPECT_EQ(One(Settle("late2", "h", kVoidPending)), Refusal::kPendingTransferExpired);  // from the store
}

// Expiry reads the deadlines in order instead of scanning every open pending transfer:
// against a plain model, over holds that are posted, voided, rolled back with their linked
// chain or left to lapse, it voids exactly the open ones whose time has come, oldest first.
TEST_F(BookTest, ExpiryVoidsExactlyTheOpenHoldsWhoseTimeHasComeInDeadlineOrder) {
  for (std::int64_t id = 10; id < 20; ++id) book.Put(Open(id, 1'000'000));
  std::mt19937_64 rng(7);
  std::map<std::string, std::int64_t> open;  // the model: id -> expires_at_us (0: none)
  std::int64_t now = kNow;
  int next = 0;
  for (int step = 0; step < 400; ++step) {
    now += 1'000'000;
    const int what = static_cast<int>(rng() % 6);
    if (what <= 2 || open.empty()) {  // a new hold, with a timeout or none
      auto t = Pay("h" + std::to_string(next++), 10 + static_cast<std::int64_t>(rng() % 5), 15 + static_cast<std::int64_t>(rng() % 5), 1, kPending);
      t.timeout_seconds = (rng() % 4 == 0) ? 0 : 1 + static_cast<std::int64_t>(rng() % 40);
      if (rng() % 5 == 0) {  // in a linked chain that fails: no hold, no deadline
        auto out = Apply({[&] { auto l = t; l.flags |= kLinked; return l; }(), Pay("x" + std::to_string(step), 10, 10, 1)}, now);
        ASSERT_EQ(out[0].refusal, Refusal::kLinkedEventFailed);
      } else {
        ASSERT_EQ(Apply({t}, now)[0].refusal, Refusal::kNone);
        open[t.id] = t.timeout_seconds ? now + t.timeout_seconds * 1'000'000 : 0;
      }
    } else if (what <= 4) {  // post or void one still open and not yet lapsed
      auto it = open.begin();
      std::advance(it, static_cast<long>(rng() % open.size()));
      if (it->second != 0 && it->second <= now) continue;
      ASSERT_EQ(Apply({Settle("s" + std::to_string(step), it->first, what == 3 ? kPostPending : kVoidPending)}, now)[0].refusal, Refusal::kNone);
      open.erase(it);
    } else {  // the writer's clock
      std::vector<std::pair<std::int64_t, std::string>> due;
      for (const auto& [id, at] : open) {
        if (at != 0 && at <= now) due.emplace_back(at, id);
      }
      std::sort(due.begin(), due.end());
      EXPECT_EQ(book.AnyExpired(now), !due.empty());
      book.Expire(now);
      store.Keep(book);
      ASSERT_EQ(book.settled().size(), due.size());
      for (std::size_t i = 0; i < due.size(); ++i) {
        EXPECT_EQ(book.settled()[i].request.id, due[i].second);
        EXPECT_EQ(book.settled()[i].state, PendingState::kExpired);
        open.erase(due[i].second);
      }
      EXPECT_FALSE(book.AnyExpired(now));
    }
    ASSERT_EQ(book.pending(), open.size());
  }
  EXPECT_EQ(book.Sums(kHours), std::make_pair(std::int64_t{0}, std::int64_t{0}));
}

TEST_F(BookTest, ALinkedChainThatPostsAndFailsLeavesTheReservation) {
  ASSERT_EQ(One(Pay("h", 1, 2, 50, kPending)), Refusal::kNone);
  auto out = Apply({Settle("p", "h", kPostPending | kLinked), Pay("x", 3, 1, 1000)});
  EXPECT_EQ(out[0].refusal, Refusal::kLinkedEventFailed);
  EXPECT_EQ(out[1].refusal, Refusal::kExceedsCreditLimit);
  EXPECT_EQ(book.pending(), 1u);
  EXPECT_EQ(book.Find(1)->debits_pending, 50);
  EXPECT_EQ(Balance(1), 0);
  EXPECT_TRUE(book.settled().empty());
  EXPECT_EQ(One(Settle("p", "h", kPostPending)), Refusal::kNone);  // the id was never used
}

TEST_F(BookTest, BalancesThatWouldLeave64BitsAreRefused) {
  book.Put(Open(10, INT64_MAX));
  book.Put(Open(11));
  book.Put(Open(12, INT64_MAX));
  ASSERT_EQ(One(Pay("a", 10, 11, INT64_MAX)), Refusal::kNone);
  EXPECT_EQ(One(Pay("b", 12, 11, 1)), Refusal::kOverflow);  // 11 would pass INT64_MAX
  EXPECT_EQ(One(Pay("c", 10, 12, 1)), Refusal::kExceedsCreditLimit);  // 10 is at -INT64_MAX, its limit
  EXPECT_EQ(Balance(11), INT64_MAX);
  EXPECT_EQ(Balance(12), 0);
}

TEST(BookRandom, RandomTrafficKeepsTheInvariants) {
  std::mt19937_64 rng(61);
  Book book;
  Store store;
  constexpr int kAccounts = 12;
  for (int i = 1; i <= kAccounts; ++i) {
    book.Put(Open(i, static_cast<std::int64_t>(rng() % 200), rng() % 3 == 0 ? std::optional<std::int64_t>(150) : std::nullopt));
  }
  std::vector<std::string> pendings;
  int accepted = 0, refused = 0, next = 0;
  for (int round = 0; round < 400; ++round) {
    std::vector<TransferRequest> batch;
    const int n = 1 + static_cast<int>(rng() % 20);
    for (int k = 0; k < n; ++k) {
      const int kind = static_cast<int>(rng() % 10);
      const std::uint32_t linked = rng() % 4 == 0 ? kLinked : 0u;
      if (kind < 2 && !pendings.empty()) {
        const std::string& p = pendings[rng() % pendings.size()];
        batch.push_back(Settle("s" + std::to_string(next++), p, (kind == 0 ? kPostPending : kVoidPending) | linked,
                               kind == 0 ? static_cast<std::int64_t>(rng() % 40) : 0));
      } else if (kind == 2 && !store.transfers.empty()) {
        auto it = store.transfers.begin();
        std::advance(it, static_cast<long>(rng() % store.transfers.size()));
        batch.push_back(it->second.request);  // a replay
      } else {
        auto t = Pay("t" + std::to_string(next++), 1 + static_cast<std::int64_t>(rng() % kAccounts), 1 + static_cast<std::int64_t>(rng() % kAccounts),
                     1 + static_cast<std::int64_t>(rng() % 80), (kind == 3 ? kPending : 0u) | linked);
        if (kind == 3) pendings.push_back(t.id);
        batch.push_back(t);
      }
    }
    const auto out = book.Apply(batch, store.known(), kNow + round);
    store.Keep(book);
    std::size_t moved = 0;
    for (const auto& o : out) {
      if (o.refusal == Refusal::kNone && !o.replayed) ++moved;
      (o.refusal == Refusal::kNone ? accepted : refused)++;
    }
    ASSERT_EQ(moved, book.accepted().size());
    ASSERT_EQ(book.Sums(kHours), std::make_pair(std::int64_t{0}, std::int64_t{0})) << round;
    for (int i = 1; i <= kAccounts; ++i) {
      const Account& a = *book.Find(i);
      ASSERT_GE(a.balance - a.debits_pending, -a.credit_limit) << "account " << i << " round " << round;
      if (a.upper_limit) {
        ASSERT_LE(a.balance + a.credits_pending, *a.upper_limit) << "account " << i << " round " << round;
      }
      ASSERT_GE(a.debits_pending, 0);
      ASSERT_GE(a.credits_pending, 0);
    }
  }
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(refused, 300);
}

}  // namespace
}  // namespace solidum::ledger
