// Reading obligations: the columns by name, and every bad row refused with its line.
#include "clearing/obligations.h"

#include <gtest/gtest.h>

namespace solidum::clearing {
namespace {

TEST(Obligations, ReadsColumnsByNameWithOptionalIdAndDue) {
  auto set = ParseObligations("due,id,amount,creditor,debtor\r\n2026-12-31,a1,100,Coop B,Coop A\r\n,a2,5,Coop A,\"Coop, C\"\r\n");
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set->obligations.size(), 2u);
  EXPECT_EQ(set->firms, (std::vector<std::string>{"Coop A", "Coop B", "Coop, C"}));
  EXPECT_EQ(set->obligations[0].debtor, 0u);
  EXPECT_EQ(set->obligations[0].creditor, 1u);
  EXPECT_EQ(set->obligations[0].amount, 100);
  EXPECT_EQ(set->obligations[0].line, 2u);
  EXPECT_EQ(set->obligations[1].debtor, 2u);
  EXPECT_EQ(set->obligations[1].line, 3u);
  EXPECT_TRUE(set->has_ids);
  EXPECT_TRUE(set->has_due);
  EXPECT_EQ(set->ids, (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(set->due, (std::vector<std::string>{"2026-12-31", ""}));
  EXPECT_EQ(set->total, 105);
}

TEST(Obligations, AHeaderOnlyFileHasNoObligations) {
  auto set = ParseObligations("debtor,creditor,amount\n");
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->obligations.empty());
  EXPECT_FALSE(set->has_ids);
}

struct Bad {
  const char* csv;
  const char* line;
  const char* says;
};

TEST(Obligations, BadInputNamesItsLine) {
  const Bad cases[] = {
      {"", "line 1", "empty"},
      {"debtor,creditor\n", "line 1", "lacks the column amount"},
      {"debtor,creditor,amount,note\n", "line 1", "Unknown column \"note\""},
      {"debtor,creditor,amount,amount\n", "line 1", "twice"},
      {"debtor,creditor,amount\na,b,1\na,b\n", "line 3", "2 fields"},
      {"debtor,creditor,amount\na,b,1,2\n", "line 2", "4 fields"},
      {"debtor,creditor,amount\n,b,1\n", "line 2", "empty"},
      {"debtor,creditor,amount\na,a,1\n", "line 2", "cannot owe itself"},
      {"debtor,creditor,amount\na,b,0\n", "line 2", "not a positive whole number"},
      {"debtor,creditor,amount\na,b,-5\n", "line 2", "not a positive whole number"},
      {"debtor,creditor,amount\na,b,1.50\n", "line 2", "not a positive whole number"},
      {"debtor,creditor,amount\na,b, 7\n", "line 2", "not a positive whole number"},
      {"debtor,creditor,amount\na,b,\n", "line 2", "not a positive whole number"},
      {"debtor,creditor,amount\na,b,1000000000000001\n", "line 2", "more than"},
      {"debtor,creditor,amount\na,b,99999999999999999999999\n", "line 2", "more than"},
      {"debtor,creditor,amount,id\na,b,1,x\nb,c,2,x\n", "line 3", "The id x appears twice"},
      {"debtor,creditor,amount,due\na,b,1,31/12/2026\n", "line 2", "not YYYY-MM-DD"},
      {"debtor,creditor,amount\na,b,1\n\"c,d,2\n", "line 3", "never closes"},
      {"debtor,creditor,amount\na\x01,b,1\n", "line 2", "not valid text"},
  };
  for (const auto& c : cases) {
    auto set = ParseObligations(c.csv);
    ASSERT_FALSE(set.ok()) << c.csv;
    ASSERT_FALSE(set.error().fields.empty()) << c.csv;
    EXPECT_EQ(set.error().fields[0].field, c.line) << c.csv;
    EXPECT_NE(set.error().fields[0].message.find(c.says), std::string::npos) << c.csv << " -> " << set.error().fields[0].message;
  }
}

TEST(Obligations, ATotalThatOverflowsIsRefused) {
  std::string csv = "debtor,creditor,amount\n";
  for (int i = 0; i < 9300; ++i) csv += "a,b,1000000000000000\n";  // 9.3e18 > 2^63
  auto set = ParseObligations(csv);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().fields.at(0).message.find("overflows"), std::string::npos);
  EXPECT_EQ(set.error().fields.at(0).field, "line 9225");  // the first row past 2^63 - 1
}

}  // namespace
}  // namespace solidum::clearing
