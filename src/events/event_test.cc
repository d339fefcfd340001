// The pure part of events: fields read with every bad one named, wall times checked in
// their zone (daylight-saving gaps included) and turned into UTC, the organiser's moves,
// and who gets a place.
#include "events/event.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "events/zones.h"

namespace solidum::events {
namespace {

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field + " " + f.code);
  return out;
}

Event Made(const std::string& json) {
  auto c = ReadEvent(boost::json::parse(json), true);
  EXPECT_TRUE(c.ok()) << c.error().message;
  Event e;
  if (c.ok()) Apply(*c, e);
  return e;
}

TEST(WallTime, OnlyRealMinutesOfRealDays) {
  EXPECT_TRUE(IsWallTime("2027-07-06T09:00"));
  EXPECT_TRUE(IsWallTime("2028-02-29T23:59"));
  EXPECT_FALSE(IsWallTime("2027-02-29T09:00"));
  EXPECT_FALSE(IsWallTime("2027-07-06T24:00"));
  EXPECT_FALSE(IsWallTime("2027-07-06T09:60"));
  EXPECT_FALSE(IsWallTime("2027-07-06 09:00"));
  EXPECT_FALSE(IsWallTime("2027-07-06T09:00:00"));
  EXPECT_FALSE(IsWallTime("2027-13-06T09:00"));
  EXPECT_FALSE(IsWallTime("２027-07-06T09:00"));
}

TEST(Zones, WallTimesBecomeUtcThroughTheSystemsZoneinfo) {
  EXPECT_TRUE(IsKnownZone("Europe/Lisbon"));
  EXPECT_TRUE(IsKnownZone("America/Bogota"));
  EXPECT_TRUE(IsKnownZone("UTC"));
  EXPECT_FALSE(IsKnownZone("Europe/Atlantis"));
  EXPECT_FALSE(IsKnownZone("../../etc/passwd"));
  EXPECT_FALSE(IsKnownZone(""));
  EXPECT_EQ(UtcOf("2027-07-06T09:00", "Europe/Paris"), "2027-07-06T07:00:00Z");   // summer time, +2
  EXPECT_EQ(UtcOf("2027-01-06T09:00", "Europe/Paris"), "2027-01-06T08:00:00Z");   // winter, +1
  EXPECT_EQ(UtcOf("2027-07-06T09:00", "America/Sao_Paulo"), "2027-07-06T12:00:00Z");
  EXPECT_EQ(UtcOf("2027-07-06T09:00", "Asia/Kolkata"), "2027-07-06T03:30:00Z");
  EXPECT_EQ(UtcOf("2027-07-06T23:30", "America/Bogota"), "2027-07-07T04:30:00Z");  // the next day in UTC
  // 02:30 on the last Sunday of March does not exist in Paris: the clocks jump from 2 to 3.
  EXPECT_EQ(UtcOf("2027-03-28T02:30", "Europe/Paris"), std::nullopt);
  EXPECT_EQ(UtcOf("2027-03-28T03:30", "Europe/Paris"), "2027-03-28T01:30:00Z");
  EXPECT_EQ(UtcOf("2027-07-06T09:00", "Europe/Atlantis"), std::nullopt);
}

TEST(ReadEvent, NamesEveryBadFieldAtOnce) {
  auto r = ReadEvent(boost::json::parse(R"({"kind":"party","title":"","starts_at":"2027-07-06 09:00","ends_at":"2027-07-06T18:00",)"
                                        R"x("timezone":"Europe/Lisbon","country":"Portugal","online_url":"javascript:alert(1)",)x"
                                        R"("languages":["pt","por"],"capacity":0,"colour":"red"})"),
                     true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Fields(r.error()), (std::vector<std::string>{"/kind unknown_kind", "/title required", "/starts_at invalid_time",
                                                         "/country too_long", "/online_url invalid_url", "/languages/1 too_long",
                                                         "/capacity out_of_range", "/colour unknown_field"}));
  auto missing = ReadEvent(boost::json::parse(R"({"title":"Forum"})"), true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(Fields(missing.error()), (std::vector<std::string>{"/kind required", "/starts_at required", "/ends_at required", "/timezone required"}));
}

TEST(CheckEvent, DerivesUtcAndRefusesImpossibleTimes) {
  Event e = Made(R"({"kind":"forum","title":"GSEF","starts_at":"2027-07-06T09:00","ends_at":"2027-07-08T18:00","timezone":"Europe/Lisbon"})");
  ASSERT_TRUE(Check(e).ok());
  EXPECT_EQ(e.starts_utc, "2027-07-06T08:00:00Z");
  EXPECT_EQ(e.ends_utc, "2027-07-08T17:00:00Z");
  EXPECT_EQ(e.closes_utc, e.starts_utc);  // registrations close when it starts, unless told

  Event unknown = e;
  unknown.timezone = "Europe/Atlantis";
  EXPECT_EQ(Fields(Check(unknown).error()), std::vector<std::string>{"/timezone unknown_timezone"});
  Event backwards = e;
  backwards.ends_at = "2027-07-06T08:59";
  EXPECT_EQ(Fields(Check(backwards).error()), std::vector<std::string>{"/ends_at ends_before_start"});
  Event gap = e;
  gap.timezone = "Europe/Paris";
  gap.starts_at = "2027-03-28T02:15";
  gap.ends_at = "2027-03-28T18:00";
  EXPECT_EQ(Fields(Check(gap).error()), std::vector<std::string>{"/starts_at nonexistent_time"});
  Event endless = e;
  endless.ends_at = "2027-10-01T18:00";
  EXPECT_EQ(Fields(Check(endless).error()), std::vector<std::string>{"/ends_at too_long"});
  Event late = e;
  late.registration_closes = "2027-07-09T00:00";
  EXPECT_EQ(Fields(Check(late).error()), std::vector<std::string>{"/registration_closes after_end"});
  Event deadline = e;
  deadline.registration_closes = "2027-07-01T23:59";
  ASSERT_TRUE(Check(deadline).ok());
  EXPECT_EQ(deadline.closes_utc, "2027-07-01T22:59:00Z");

  EXPECT_EQ(Fields(CheckPublishable(e).error()), std::vector<std::string>{"/venue place_required"});
  e.online_url = "https://meet.example/gsef";
  EXPECT_TRUE(CheckPublishable(e).ok());
}

TEST(CheckSession, StaysWithinTheEvent) {
  Event e = Made(R"({"kind":"academy","title":"Academy","starts_at":"2027-07-06T09:00","ends_at":"2027-07-08T18:00","timezone":"Europe/Lisbon"})");
  ASSERT_TRUE(Check(e).ok());
  auto read = ReadSession(boost::json::parse(R"({"title":"Opening","starts_at":"2027-07-06T09:00","ends_at":"2027-07-06T10:30","language":"pt"})"), true);
  ASSERT_TRUE(read.ok()) << read.error().message;
  Session s;
  Apply(*read, s);
  ASSERT_TRUE(Check(s, e).ok());
  EXPECT_EQ(s.starts_utc, "2027-07-06T08:00:00Z");
  Session before = s;
  before.starts_at = "2027-07-06T08:00";
  EXPECT_EQ(Fields(Check(before, e).error()), std::vector<std::string>{"/starts_at outside_event"});
  Session backwards = s;
  backwards.ends_at = "2027-07-06T09:00";
  EXPECT_EQ(Fields(Check(backwards, e).error()), std::vector<std::string>{"/ends_at ends_before_start"});
  EXPECT_EQ(Fields(ReadSession(boost::json::parse(R"({"starts_at":null})"), false).error()), std::vector<std::string>{"/starts_at not_nullable"});
}

TEST(Moves, DraftPublishedCancelled) {
  EXPECT_TRUE(CheckMove(Stage::kDraft, Stage::kPublished, 0).ok());
  EXPECT_TRUE(CheckMove(Stage::kPublished, Stage::kCancelled, 12).ok());
  EXPECT_TRUE(CheckMove(Stage::kPublished, Stage::kDraft, 0).ok());
  EXPECT_EQ(CheckMove(Stage::kPublished, Stage::kDraft, 1).error().code, "has_registrations");
  EXPECT_EQ(CheckMove(Stage::kCancelled, Stage::kPublished, 0).error().code, "wrong_stage");
  EXPECT_EQ(CheckMove(Stage::kDraft, Stage::kCancelled, 0).error().code, "wrong_stage");
}

TEST(Places, FirstComeFirstServedAndNobodyJumpsTheQueue) {
  EXPECT_EQ(Place(std::nullopt, true, 5'000, 0), Placement::kConfirmed);
  EXPECT_EQ(Place(3, true, 2, 0), Placement::kConfirmed);
  EXPECT_EQ(Place(3, true, 3, 0), Placement::kWaiting);
  EXPECT_EQ(Place(3, false, 3, 0), Placement::kFull);
  EXPECT_EQ(Place(3, true, 2, 1), Placement::kWaiting);  // a place is free but someone waits for it
  EXPECT_EQ(Place(3, true, 3, kWaitingMax), Placement::kFull);
  EXPECT_EQ(PlacesFreed(3, 2, 5), 1);
  EXPECT_EQ(PlacesFreed(10, 2, 5), 5);
  EXPECT_EQ(PlacesFreed(3, 3, 5), 0);
  EXPECT_EQ(PlacesFreed(2, 3, 5), 0);  // capacity lowered below the confirmed: nobody is put out
  EXPECT_EQ(PlacesFreed(std::nullopt, 3, 5), 5);
}

TEST(ReadRegistration, NameRequiredAndChoicesNotNull) {
  auto ok = ReadRegistration(boost::json::parse(R"({"name":"Ana Souza","organisation":"Rede","country":"br","show_name":false})"), true);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  Registration r;
  Apply(*ok, r);
  EXPECT_EQ(r.country, "BR");
  EXPECT_FALSE(r.show_name);
  EXPECT_TRUE(r.show_country);
  EXPECT_EQ(Fields(ReadRegistration(boost::json::parse(R"({"country":"B1"})"), true).error()),
            (std::vector<std::string>{"/name required", "/country invalid_country"}));
  EXPECT_EQ(Fields(ReadRegistration(boost::json::parse(R"({"show_country":null})"), false).error()),
            std::vector<std::string>{"/show_country not_nullable"});
}

}  // namespace
}  // namespace solidum::events
