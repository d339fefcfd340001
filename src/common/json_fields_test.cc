#include "common/json_fields.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace solidum::json_fields {
namespace {

boost::json::value Parse(std::string_view s) { return boost::json::parse(s); }

TEST(ObjectReader, ReadsValidFields) {
  auto v = Parse(R"({"name":"  Café Coop ","lat":45.5,"n":3,"ok":true})");
  ObjectReader r(v);
  auto name = r.Text("name", {.required = true});
  auto lat = r.Number("lat", -90, 90);
  auto n = r.Integer("n", 0, 10);
  auto ok = r.Bool("ok");
  auto missing = r.Text("missing", {});
  ASSERT_TRUE(r.Finish().ok());
  EXPECT_EQ(name.value, "Café Coop");
  EXPECT_DOUBLE_EQ(lat.value, 45.5);
  EXPECT_EQ(n.value, 3);
  EXPECT_TRUE(ok.value);
  EXPECT_FALSE(missing.present);
}

TEST(ObjectReader, CollectsEveryErrorWithItsPointer) {
  auto v = Parse(R"({"name":"   ","lat":91,"n":"3","ok":1,"extra/field":0,"desc":"a\u0000b"})");
  ObjectReader r(v, "/org");
  (void)r.Text("name", {.required = true});
  (void)r.Number("lat", -90, 90);
  (void)r.Integer("n", 0, 10);
  (void)r.Bool("ok");
  (void)r.Text("desc", {.multiline = true});
  auto res = r.Finish();
  ASSERT_FALSE(res.ok());
  std::map<std::string, std::string> got;
  for (const auto& f : res.error().fields) got[f.field] = f.code;
  EXPECT_EQ(got["/org/name"], "required");
  EXPECT_EQ(got["/org/lat"], "out_of_range");
  EXPECT_EQ(got["/org/n"], "wrong_type");
  EXPECT_EQ(got["/org/ok"], "wrong_type");
  EXPECT_EQ(got["/org/extra~1field"], "unknown_field");
  EXPECT_EQ(got["/org/desc"], "control_characters");
  EXPECT_EQ(got.size(), 6u);
}

TEST(ObjectReader, DistinguishesNullFromAbsent) {
  auto v = Parse(R"({"website":null})");
  ObjectReader r(v);
  auto w = r.Text("website", {});
  auto d = r.Text("description", {});
  ASSERT_TRUE(r.Finish().ok());
  EXPECT_TRUE(w.present);
  EXPECT_TRUE(w.is_null);
  EXPECT_FALSE(d.present);
}

TEST(ObjectReader, BadValuesAreNotPresent) {
  // Regression: a refused value once counted as present, and callers' own checks then
  // reported the field a second time.
  auto v = Parse(R"({"a":"","b":5,"c":"abcd","d":"x","e":"1"})");
  ObjectReader r(v);
  EXPECT_FALSE(r.Text("a", {.required = true}).present);
  EXPECT_FALSE(r.Text("b", {}).present);
  EXPECT_FALSE(r.Text("c", {.max_chars = 2}).present);
  EXPECT_FALSE(r.Number("d", 0, 1).present);
  EXPECT_FALSE(r.Integer("e", 0, 1).present);
  EXPECT_EQ(r.Finish().error().fields.size(), 5u);
}

TEST(ObjectReader, RejectsNonObjects) {
  auto v = Parse("[1,2]");
  ObjectReader r(v);
  EXPECT_FALSE(r.Finish().ok());
}

TEST(ObjectReader, LimitsLengthInCharacters) {
  auto v = Parse(R"({"a":"ééé","b":"éééé"})");
  ObjectReader r(v);
  auto a = r.Text("a", {.max_chars = 3});
  (void)r.Text("b", {.max_chars = 3});
  auto res = r.Finish();
  EXPECT_TRUE(a.present);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().fields.at(0).field, "/b");
}

}  // namespace
}  // namespace solidum::json_fields
