#include "common/csv.h"

#include <gtest/gtest.h>

namespace solidum {
namespace {

std::vector<CsvRecord> ReadAll(std::string_view data, std::vector<std::string>* errors = nullptr) {
  CsvReader r(data);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  for (;;) {
    auto n = r.Next(rec);
    if (!n.ok()) {
      if (errors) errors->push_back(n.error().message);
      continue;
    }
    if (!*n) break;
    out.push_back(rec);
  }
  return out;
}

TEST(CsvReader, ReadsQuotedFieldsAcrossLines) {
  auto recs = ReadAll("\xEF\xBB\xBFid,name,address\r\n1,\"Coop, \"\"The\"\"\",\"1 Street\nTown\"\r\n2,Plain,\n\n3,\"\",x");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].fields[0], "id") << "the BOM is skipped";
  EXPECT_EQ(recs[1].fields[1], "Coop, \"The\"");
  EXPECT_EQ(recs[1].fields[2], "1 Street\nTown");
  EXPECT_EQ(recs[2].line, 4u) << "line numbers count the line breaks inside quotes";
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"2", "Plain", ""}));
  EXPECT_EQ(recs[3].line, 6u) << "blank lines are skipped but counted";
  EXPECT_EQ(recs[3].fields[1], "");
}

TEST(CsvReader, ReportsBrokenQuotingWithTheLineAndGoesOn) {
  std::vector<std::string> errors;
  auto recs = ReadAll("a,b\n1,\"x\"y\n2,ok\n3,bro\"ken\n4,\"never closes\n5,z", &errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[0].find("line 2"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("line 4"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("line 5"), std::string::npos) << errors[2];
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].fields[1], "ok");
}

TEST(CsvReader, SurvivesBinaryGarbage) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
  std::vector<std::string> errors;
  auto recs = ReadAll(junk, &errors);
  EXPECT_GT(recs.size() + errors.size(), 0u);
}

}  // namespace
}  // namespace solidum

namespace solidum {
namespace {

TEST(CsvColumns, FoundByNameInAnyOrderWithOptionalOnesAndEveryProblemNamed) {
  static constexpr std::string_view kNames[] = {"member", "capital", "patronage", "name"};
  auto columns = ColumnsByName(CsvRecord{1, {" patronage", "member ", "capital"}}, kNames, 3);
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(*columns, (std::vector<int>{1, 2, 0, -1}));
  EXPECT_EQ(ColumnsByName(CsvRecord{1, {"member", "capital", "patronage", "hours"}}, kNames, 3).error().fields.at(0).message,
            "Unknown column \"hours\": the columns are member, capital, patronage, and optionally name.");
  EXPECT_EQ(ColumnsByName(CsvRecord{1, {"member", "member"}}, kNames, 3).error().fields.at(0).code, "repeated_column");
  EXPECT_EQ(ColumnsByName(CsvRecord{1, {"member", "capital"}}, kNames, 3).error().fields.at(0).message, "The header lacks the column patronage.");
}

}  // namespace
}  // namespace solidum
