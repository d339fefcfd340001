// Whole-file reads for the command line: the file as it is, refused past the limit, a
// missing file named.
#include "common/files.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../../tests/support/temp_dir.h"

namespace solidum::files {
namespace {

TEST(Files, ReadsAWholeFileWithinItsLimitAndNamesWhatStopsIt) {
  solidum::testing::TempDir dir;
  const std::string path = dir.File("x.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(1000, 'a') << '\0' << "end";
  }
  std::string got;
  ASSERT_TRUE(ReadWhole(path, 2000, got).ok());
  EXPECT_EQ(got.size(), 1004u);
  EXPECT_EQ(got.substr(1001), "end");
  auto big = ReadWhole(path, 1000, got);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().fields.at(0).code, "too_large");
  auto missing = ReadWhole(dir.File("nope.csv"), 1000, got);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().fields.at(0).code, "unreadable");
  EXPECT_NE(missing.error().fields.at(0).message.find("nope.csv"), std::string::npos);
  auto directory = ReadWhole(dir.path().string(), 1000, got);
  EXPECT_FALSE(directory.ok());
}

}  // namespace
}  // namespace solidum::files
