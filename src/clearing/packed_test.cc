// Packed pages of obligations: what is packed unpacks to the same obligations, lines, left
// amounts, ids and due dates, page after page; a damaged page is refused whole.
#include "clearing/packed.h"

#include <gtest/gtest.h>

#include <random>

namespace solidum::clearing {
namespace {

ObligationSet Sample(std::size_t n, bool ids, bool due, std::vector<std::int64_t>& left) {
  std::mt19937_64 rng(11);
  ObligationSet set;
  set.has_ids = ids;
  set.has_due = due;
  for (int f = 0; f < 300; ++f) set.firms.push_back("firm " + std::to_string(f));
  std::size_t line = 1;
  for (std::size_t i = 0; i < n; ++i) {
    line += 1 + rng() % 3;  // blank lines between some
    const auto debtor = static_cast<std::uint32_t>(rng() % 300);
    const auto creditor = static_cast<std::uint32_t>((debtor + 1 + rng() % 299) % 300);
    const std::int64_t amount = i % 7 == 0 ? kAmountMax : 1 + static_cast<std::int64_t>(rng() % 1'000'000);
    set.obligations.push_back({debtor, creditor, amount, line});
    left.push_back(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(amount + 1)));
    if (ids) set.ids.push_back(i % 5 == 0 ? "" : "facture-é-" + std::to_string(i));
    if (due) set.due.push_back(i % 3 == 0 ? "" : "2026-12-0" + std::to_string(1 + i % 9));
  }
  return set;
}

void ExpectRoundTrip(bool ids, bool due) {
  std::vector<std::int64_t> left;
  const ObligationSet set = Sample(2'500, ids, due, left);
  ObligationSet back;
  back.firms = set.firms;
  back.has_ids = ids;
  back.has_due = due;
  std::vector<std::int64_t> back_left;
  for (std::size_t begin = 0; begin < set.obligations.size(); begin += 1'000) {  // three pages, the last one short
    const std::string page = PackObligations(set, left, begin, std::min(set.obligations.size(), begin + 1'000));
    auto r = UnpackObligations(page, back, back_left);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  ASSERT_EQ(back.obligations.size(), set.obligations.size());
  for (std::size_t i = 0; i < set.obligations.size(); ++i) {
    EXPECT_EQ(back.obligations[i].debtor, set.obligations[i].debtor);
    EXPECT_EQ(back.obligations[i].creditor, set.obligations[i].creditor);
    EXPECT_EQ(back.obligations[i].amount, set.obligations[i].amount);
    EXPECT_EQ(back.obligations[i].line, set.obligations[i].line);
  }
  EXPECT_EQ(back_left, left);
  EXPECT_EQ(back.ids, set.ids);
  EXPECT_EQ(back.due, set.due);
}

TEST(PackedObligations, RoundTripWithAndWithoutIdsAndDueDates) {
  ExpectRoundTrip(false, false);
  ExpectRoundTrip(true, false);
  ExpectRoundTrip(false, true);
  ExpectRoundTrip(true, true);
}

TEST(PackedObligations, ADamagedPageIsRefusedAndAppendsNothing) {
  std::vector<std::int64_t> left;
  const ObligationSet set = Sample(50, true, true, left);
  const std::string page = PackObligations(set, left, 0, 50);
  auto refused = [&](const std::string& bytes, std::size_t firms = 300) {
    ObligationSet back;
    back.firms.assign(firms, "x");
    back.has_ids = back.has_due = true;
    std::vector<std::int64_t> back_left;
    auto r = UnpackObligations(bytes, back, back_left);
    return !r.ok() && r.error().kind == ErrorKind::kInternal && back.obligations.empty() && back.ids.empty() && back_left.empty();
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(std::string(1, '\x02') + page.substr(1)));  // unknown version
  for (std::size_t cut : {page.size() - 1, page.size() / 2, std::size_t{2}}) EXPECT_TRUE(refused(page.substr(0, cut))) << cut;
  EXPECT_TRUE(refused(page, 10));                                  // firms out of range
  EXPECT_TRUE(refused(page + std::string(11, '\xff')));            // a varint longer than 64 bits
  // An obligation whose left amount exceeds its amount: 1 line, firms 0 and 1, amount 5, left 6.
  EXPECT_TRUE(refused(std::string("\x01\x02\x00\x01\x05\x06\x00\x00", 8)));
  // A second obligation on the same line.
  EXPECT_TRUE(refused(std::string("\x01\x02\x00\x01\x05\x01\x00\x00\x00\x00\x01\x05\x01\x00\x00", 15)));
  // And the well-formed versions of those two are read.
  ObligationSet ok;
  ok.firms = {"a", "b"};
  ok.has_ids = ok.has_due = true;
  std::vector<std::int64_t> ok_left;
  ASSERT_TRUE(UnpackObligations(std::string("\x01\x02\x00\x01\x05\x05\x00\x00\x01\x00\x01\x05\x01\x00\x00", 15), ok, ok_left).ok());
  EXPECT_EQ(ok.obligations.size(), 2u);
  EXPECT_EQ(ok.obligations[1].line, 3u);
  EXPECT_EQ(ok_left, (std::vector<std::int64_t>{5, 1}));
}

}  // namespace
}  // namespace solidum::clearing
