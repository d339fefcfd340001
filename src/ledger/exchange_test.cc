// Exchange rates and the legs of a payment between communities: rates read exactly,
// conversions exact and rounded down both ways, the two legs linked.
#include "ledger/exchange.h"

#include <gtest/gtest.h>

namespace solidum::ledger {
namespace {

TEST(Exchange, RatesAreReadExactlyAndWrittenShortest) {
  auto r = ParseRate("1.50");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->num, 15);
  EXPECT_EQ(r->den, 10);
  EXPECT_EQ(FormatRate(*r), "1.5");
  EXPECT_EQ(FormatRate(*ParseRate("10")), "10");
  EXPECT_EQ(FormatRate(*ParseRate("0.000000001")), "0.000000001");
  EXPECT_EQ(FormatRate(*ParseRate("1000000000")), "1000000000");
  EXPECT_EQ(FormatRate(*ParseRate("0.05")), "0.05");
  for (const char* bad : {"", "0", "0.0", "-1", "1.", ".5", "1,5", "1e3", "1.0000000001", "1000000000.5", "99999999999", " 1", "1 "}) {
    EXPECT_FALSE(ParseRate(bad)) << bad;
  }
}

TEST(Exchange, ConversionIsExactAndRoundsDownBothWays) {
  // 1 hour (0 decimals) = 12.5 units of a currency with 2 decimals.
  const Rate r = *ParseRate("12.5");
  EXPECT_EQ(Convert(3, r, 0, 2, false), 3750);       // 3 h -> 37.50
  EXPECT_EQ(Convert(3750, r, 2, 0, true), 3);        // and back
  EXPECT_EQ(Convert(3749, r, 2, 0, true), 2);        // 37.49 buys 2 whole hours, not 3
  EXPECT_EQ(Convert(1, *ParseRate("0.3"), 2, 2, false), 0);  // 0.01 -> 0.003: nothing arrives
  EXPECT_EQ(Convert(INT64_MAX, *ParseRate("1000000000"), 0, 0, false), std::nullopt);
  EXPECT_EQ(Convert(INT64_MAX, *ParseRate("1"), 6, 6, false), INT64_MAX);
}

TEST(Exchange, APaymentIsTwoLinkedLegsThroughTheClearingAccounts) {
  const LinkSide hours{1, 0, 101}, euros{2, 2, 202};
  auto legs = CrossLegs({"pay-1", 11, 22, 3, "Repair"}, hours, euros, *ParseRate("12.5"), false);
  ASSERT_TRUE(legs.ok());
  ASSERT_EQ(legs->size(), 2u);
  const auto& a = (*legs)[0];
  const auto& b = (*legs)[1];
  EXPECT_EQ(a.id, "pay-1");
  EXPECT_EQ(a.debit_account, 11);
  EXPECT_EQ(a.credit_account, 101);
  EXPECT_EQ(a.amount, 3);
  EXPECT_EQ(a.flags, kLinked);
  EXPECT_EQ(b.id, "pay-1/b");
  EXPECT_EQ(b.debit_account, 202);
  EXPECT_EQ(b.credit_account, 22);
  EXPECT_EQ(b.amount, 3750);
  EXPECT_EQ(b.flags, 0u);
  EXPECT_EQ(b.memo, "Repair");

  auto tiny = CrossLegs({"pay-2", 22, 11, 1249, ""}, euros, hours, *ParseRate("12.5"), true);
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.error().fields.at(0).code, "too_small");
  auto long_id = CrossLegs({std::string(kTransferIdBytesMax - 1, 'x'), 11, 22, 3, ""}, hours, euros, *ParseRate("1"), false);
  ASSERT_FALSE(long_id.ok());
  EXPECT_EQ(long_id.error().fields.at(0).field, "/id");
}

TEST(Exchange, TheDirectionFollowsTheAccountsCurrencies) {
  const LinkSide hours{1, 0, 101}, euros{2, 2, 202};
  const Rate r = *ParseRate("12.5");
  auto forward = CrossLegsBetween({"f", 11, 22, 2, ""}, hours, euros, r, 1, 2, "H", "E");
  ASSERT_TRUE(forward.ok());
  EXPECT_EQ((*forward)[0].credit_account, 101);
  EXPECT_EQ((*forward)[1].amount, 2500);
  auto back = CrossLegsBetween({"b", 22, 11, 2500, ""}, hours, euros, r, 2, 1, "H", "E");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)[0].credit_account, 202);
  EXPECT_EQ((*back)[1].debit_account, 101);
  EXPECT_EQ((*back)[1].amount, 2);
  EXPECT_EQ(CrossLegsBetween({"x", 11, 22, 2, ""}, hours, euros, r, 3, 2, "H", "E").error().fields.at(0).field, "/debit_account");
  EXPECT_EQ(CrossLegsBetween({"x", 11, 22, 2, ""}, hours, euros, r, 1, 1, "H", "E").error().fields.at(0).field, "/credit_account");
  EXPECT_EQ(CrossLegsBetween({"x", 11, 22, 2, ""}, hours, euros, r, 1, std::nullopt, "H", "E").error().fields.at(0).code, "not_in_link");
}

TEST(Exchange, WhatMustArriveIsPaidForRoundedUp) {
  const LinkSide hours{1, 0, 101}, euros{2, 2, 202};
  const Rate r = *ParseRate("12.5");
  // 2 hours must arrive, paid from euros: 25.00.
  auto legs = CrossLegs({"r", 22, 11, 2, "", true}, euros, hours, r, true);  // 2 hours must arrive
  ASSERT_TRUE(legs.ok());
  EXPECT_EQ((*legs)[0].amount, 2500);  // 2 hours cost 25.00
  EXPECT_EQ((*legs)[1].amount, 2);
  auto up = CrossLegs({"u", 11, 22, 3001, "", true}, hours, euros, r, false);  // 30.01 must arrive
  ASSERT_TRUE(up.ok());
  EXPECT_EQ((*up)[0].amount, 3);  // 2.4008 hours: 3 paid
  EXPECT_EQ((*up)[1].amount, 3001);
  EXPECT_EQ(Convert(3001, r, 2, 0, true, true), 3);
  EXPECT_EQ(Convert(2500, r, 2, 0, true, true), 2);  // exact: not rounded up
  // Errors name the field the client sent.
  auto huge = CrossLegs({"h", 11, 22, INT64_MAX, "", true}, hours, euros, *ParseRate("0.000000001"), false);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().fields.at(0).field, "/receive_amount");
  EXPECT_EQ(huge.error().fields.at(0).code, "out_of_range");
  EXPECT_EQ(CrossLegs({"z", 11, 22, 0, "", true}, hours, euros, r, false).error().fields.at(0).field, "/receive_amount");
}

}  // namespace
}  // namespace solidum::ledger
