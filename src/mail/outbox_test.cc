#include "mail/outbox.h"

#include <gtest/gtest.h>

#include "../../tests/support/smtp_sink.h"
#include "../../tests/support/test_store.h"

namespace solidum::mail {
namespace {

using store::Conn;
using store::TxKind;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::Open(solidum::testing::TestStoreUrl(dir_, "mail")).value());
    ASSERT_TRUE(store_->Migrate().ok());
  }
  SmtpConfig Config() const { return {sink_.url(), "", "", "noreply@solidum.example", "Solidum", 10}; }
  void Queue(const std::vector<std::string>& to, const std::string& ref = "assembly:1") {
    std::vector<Outgoing> out;
    for (const auto& t : to) out.push_back({{t, "", "Assemblée générale", "Bonjour,\nvous êtes convoqué·e.\n"}, "fr", "assembly_notice", ref, std::nullopt});
    auto n = store::InTransaction<std::int64_t>(*store_, TxKind::kWrite, [&](Conn& c) { return Enqueue(c, out, FormatTimestamp(clock_.NowMicros())); });
    ASSERT_TRUE(n.ok()) << n.error().message;
  }
  Delivery Of(const std::string& ref) {
    auto d = store::InTransaction<Delivery>(*store_, TxKind::kRead, [&](Conn& c) { return DeliveryOf(c, ref); });
    EXPECT_TRUE(d.ok());
    return d.ok() ? *d : Delivery{};
  }
  solidum::testing::TempDir dir_;
  solidum::testing::SmtpSink sink_;
  ManualClock clock_{1'795'440'910'000'000};
  std::unique_ptr<store::Store> store_;
};

TEST_F(OutboxTest, DeliversQueuedMessagesOverSmtpOnce) {
  Queue({"ana@coop.example", "bo@coop.example", "not an address"});
  Courier courier(*store_, clock_, Config(), {});
  auto sent = courier.DeliverDue();
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(*sent, 2);  // the invalid address was never queued
  const auto mails = sink_.Mails();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].from, "noreply@solidum.example");
  EXPECT_EQ(mails[0].to, std::vector<std::string>{"ana@coop.example"});
  EXPECT_EQ(mails[1].to, std::vector<std::string>{"bo@coop.example"});
  EXPECT_EQ(mails[0].Header("Subject"), "Assemblée générale");
  EXPECT_EQ(mails[0].Body(), "Bonjour,\nvous êtes convoqué·e.\n");
  EXPECT_NE(mails[0].Header("Message-ID"), mails[1].Header("Message-ID"));
  EXPECT_EQ(*courier.DeliverDue(), 0);  // nothing twice
  EXPECT_EQ(sink_.Mails().size(), 2u);
  const auto d = Of("assembly:1");
  EXPECT_EQ(d.sent, 2);
  EXPECT_EQ(d.queued, 0);
}

TEST_F(OutboxTest, RetriesAPassingFailureLaterAndGivesUpOnARefusal) {
  Queue({"ana@coop.example", "gone@coop.example"});
  sink_.FailNext(1);
  sink_.RefuseRecipient("gone@coop.example");
  Courier courier(*store_, clock_, Config(), {});
  EXPECT_EQ(*courier.DeliverDue(), 0);
  auto d = Of("assembly:1");
  EXPECT_EQ(d.queued, 1);  // ana: 451, tried again later
  EXPECT_EQ(d.failed, 1);  // gone: 550, for good
  ASSERT_EQ(d.failures.size(), 1u);
  EXPECT_EQ(d.failures[0].recipient, "gone@coop.example");
  EXPECT_NE(d.failures[0].error.find("550"), std::string::npos) << d.failures[0].error;

  EXPECT_EQ(*courier.DeliverDue(), 0);  // not due yet
  clock_.Advance(61'000'000);
  EXPECT_EQ(*courier.DeliverDue(), 1);
  EXPECT_EQ(Of("assembly:1").sent, 1);
  EXPECT_EQ(sink_.Mails().size(), 1u);
}

TEST_F(OutboxTest, AnUnreachableServerKeepsTheMessagesQueued) {
  Queue({"ana@coop.example"});
  SmtpConfig down = Config();
  {
    solidum::testing::SmtpSink closed;  // a port that was free and is closed again
    down.url = closed.url();
  }
  Courier courier(*store_, clock_, down, {});
  EXPECT_EQ(*courier.DeliverDue(), 0);
  EXPECT_EQ(Of("assembly:1").queued, 1);
  clock_.Advance(61'000'000);
  Courier back(*store_, clock_, Config(), {});
  EXPECT_EQ(*back.DeliverDue(), 1);
}

TEST_F(OutboxTest, TheCourierThreadSendsWhatIsQueuedWhileItRuns) {
  // Queued at clock_'s time, which is past for the system clock: due at once.
  Courier courier(*store_, SystemClock::Instance(), Config(), {.poll_ms = 50, .batch = 2});
  courier.Start();
  Queue({"a@coop.example", "b@coop.example", "c@coop.example", "d@coop.example", "e@coop.example"});
  EXPECT_EQ(sink_.WaitFor(5).size(), 5u);
  courier.Stop();
  EXPECT_EQ(Of("assembly:1").sent, 5);
}

TEST_F(OutboxTest, SentMessagesGoAfterThirtyDaysAndFailedOnesAfterNinety) {
  Queue({"ana@coop.example", "gone@coop.example"});
  sink_.RefuseRecipient("gone@coop.example");
  Courier courier(*store_, clock_, Config(), {});
  EXPECT_EQ(*courier.DeliverDue(), 1);
  EXPECT_EQ(*courier.Purge(), 0);
  clock_.Advance(31LL * 86'400 * 1'000'000);
  EXPECT_EQ(*courier.Purge(), 1);  // the sent one
  EXPECT_EQ(Of("assembly:1").failed, 1);
  clock_.Advance(60LL * 86'400 * 1'000'000);
  EXPECT_EQ(*courier.Purge(), 1);  // the failed one, kept for the organisation to see meanwhile
  const auto d = Of("assembly:1");
  EXPECT_EQ(d.sent + d.failed + d.queued, 0);
}

}  // namespace
}  // namespace solidum::mail
