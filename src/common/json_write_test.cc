#include "common/json_write.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <limits>

namespace solidum::json_write {
namespace {

TEST(JsonWrite, WritesNumbersAsPeopleDo) {
  boost::json::object o{{"a", 45.5}, {"b", -30.1333939286063}, {"c", 0.1}, {"d", 4.0}, {"e", std::int64_t{-7}},
                        {"f", std::uint64_t{18446744073709551615ull}}};
  EXPECT_EQ(Serialize(o), R"({"a":45.5,"b":-30.1333939286063,"c":0.1,"d":4,"e":-7,"f":18446744073709551615})");
}

TEST(JsonWrite, EscapesStringsAndRoundTrips) {
  boost::json::value v = boost::json::parse(
      R"({"s":"quote \" backslash \\ tab \t nl \n bell \u0007 café 🌱","n":null,"t":true,"a":[1,2.5,[]],"o":{}})");
  std::string out = Serialize(v);
  EXPECT_NE(out.find("\\u0007"), std::string::npos);
  EXPECT_NE(out.find("café 🌱"), std::string::npos);
  EXPECT_EQ(boost::json::parse(out), v);
}

TEST(JsonWrite, WritesNonFiniteAsNull) {
  EXPECT_EQ(Serialize(boost::json::value(std::numeric_limits<double>::infinity())), "null");
}

TEST(JsonWrite, RoundTripsDoublesExactly) {
  for (double d : {1e-7, 123456.789, -0.000123, 1e300, 5e-324, 0.30000000000000004}) {
    EXPECT_EQ(boost::json::parse(Serialize(boost::json::value(d))).as_double(), d) << d;
  }
}

TEST(Writer, PlacesCommasAndNests) {
  std::string out;
  Writer w(out);
  w.BeginObject().Key("a").Int(1).Key("b").BeginArray().Double(2.5).String("x\"y").Null().EndArray();
  w.Key("c").BeginObject().EndObject().Key("d").Optional(std::optional<std::string>()).Key("e").Bool(false).EndObject();
  EXPECT_EQ(out, R"({"a":1,"b":[2.5,"x\"y",null],"c":{},"d":null,"e":false})");
  EXPECT_NO_THROW((void)boost::json::parse(out));
}

TEST(WriterDeathTest, RefusesAMemberWithoutAKey) {
  std::string out;
  Writer w(out);
  w.BeginObject();
  EXPECT_DEATH(w.Int(1), "assertion");
}

}  // namespace
}  // namespace solidum::json_write
