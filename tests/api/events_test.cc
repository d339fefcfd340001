// Events through the real server: an organiser prepares and publishes an event with its
// programme; people register until it is full, then wait in line; a cancellation gives
// the place to the first waiting; registering twice is refused; the online link and the
// participant list are for confirmed participants only; calendars come as iCalendar.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fixture.h"

namespace solidum::testing {
namespace {

TEST_F(ApiTest, AnEventFillsUpKeepsAWaitingListAndExportsCalendars) {
  const auto admin = NewUser("admin@ripess.example");
  const std::int64_t ripess = CreateOrg(admin, R"({"name":"RIPESS","country":"BE"})");
  const std::string own = "/api/v1/organisations/" + std::to_string(ripess) + "/events";

  // Bad input: every field named, nothing stored.
  auto bad = http_->SendJson("POST", own, R"({"kind":"party","title":"Forum","starts_at":"2031-07-06 09:00","ends_at":"2031-07-08T18:00",)"
                                          R"("timezone":"Europe/Lisbon","capacity":-1})", Bearer(admin));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Fields(), (std::vector<std::string>{"/kind unknown_kind", "/starts_at invalid_time", "/capacity out_of_range"}));
  EXPECT_EQ(http_->SendJson("POST", own, R"({"kind":"forum","title":"Forum","starts_at":"2031-07-06T09:00","ends_at":"2031-07-08T18:00",)"
                                         R"("timezone":"Europe/Atlantis"})", Bearer(admin)).Fields(),
            std::vector<std::string>{"/timezone unknown_timezone"});
  EXPECT_EQ(CountRows("events"), 0);
  EXPECT_EQ(http_->SendJson("POST", own, R"({"kind":"forum"})", Bearer(NewUser("stranger@example.org"))).status, 403);

  auto created = http_->SendJson("POST", own, R"({"kind":"forum","title":"Forum of the SSE","summary":"Three days in Lisbon.",)"
                                              R"("starts_at":"2031-07-06T09:00","ends_at":"2031-07-08T18:00","timezone":"Europe/Lisbon",)"
                                              R"("city":"Lisboa","country":"PT","online_url":"https://meet.example/sse","capacity":1,)"
                                              R"("description":"**Welcome** <script>alert(1)</script>"})", Bearer(admin));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto event = created.Json();
  const std::string id = std::to_string(event.at("id").as_int64());
  const std::string one = own + "/" + id, pub = "/api/v1/events/" + id;
  EXPECT_EQ(event.at("starts_utc").as_string(), "2031-07-06T08:00:00Z");
  const std::string html(event.at("description_html").as_string());
  EXPECT_NE(html.find("<strong>Welcome</strong>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(http_->Get(pub).status, 404);  // a draft

  auto send = [&](const std::string& method, const std::string& path, const std::string& json) {
    return http_->SendJson(method, path, json, {{"Authorization", "Bearer " + admin}, {"If-Match", http_->Get(one, Bearer(admin)).Header("etag")}});
  };
  auto session = http_->SendJson("POST", one + "/sessions", R"({"title":"Opening","starts_at":"2031-07-06T09:00","ends_at":"2031-07-06T10:00"})",
                                 Bearer(admin));
  ASSERT_EQ(session.status, 201) << session.body;
  EXPECT_EQ(http_->SendJson("POST", one + "/sessions", R"({"title":"Late","starts_at":"2031-07-09T09:00","ends_at":"2031-07-09T10:00"})",
                            Bearer(admin)).Fields(),
            std::vector<std::string>{"/starts_at outside_event"});
  ASSERT_EQ(send("POST", one + "/stage", R"({"stage":"published"})").status, 200);

  // The public page: no online link.
  auto page = http_->Get(pub);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_FALSE(page.Json().as_object().contains("online_url"));
  EXPECT_EQ(page.body.find("meet.example"), std::string::npos);
  EXPECT_EQ(page.Json().at("sessions").as_array().size(), 1u);
  EXPECT_EQ(http_->Get("/api/v1/events?country=pt").Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(http_->Get("/api/v1/events?country=Portugal").Fields(), std::vector<std::string>{"?country invalid_country"});

  // Registrations: one place, then the waiting list.
  const std::string reg = pub + "/registration";
  EXPECT_EQ(http_->SendJson("POST", reg, R"({"name":"Nobody"})").status, 401);
  const auto ana = NewUser("ana@rede.example"), luis = NewUser("luis@coop.example");
  EXPECT_EQ(http_->SendJson("POST", reg, R"({"name":"","country":"Brasil"})", Bearer(ana)).Fields(),
            (std::vector<std::string>{"/name required", "/country too_long"}));
  auto first = http_->SendJson("POST", reg, R"({"name":"Ana Souza","organisation":"Rede","country":"BR","language":"pt"})", Bearer(ana));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json().at("status").as_string(), "confirmed");
  EXPECT_EQ(first.Json().at("online_url").as_string(), "https://meet.example/sse");
  auto second = http_->SendJson("POST", reg, R"({"name":"Luis","country":"ES","show_name":false,"language":"es"})", Bearer(luis));
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.Json().at("status").as_string(), "waiting");
  EXPECT_EQ(second.Json().at("position").as_int64(), 1);
  EXPECT_FALSE(second.Json().as_object().contains("online_url"));
  auto twice = http_->SendJson("POST", reg, R"({"name":"Luis"})", Bearer(luis));
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.Code(), "already_registered");
  EXPECT_EQ(CountRows("event_registrations"), 2);
  EXPECT_EQ(http_->Get(pub).Json().at("places_left").as_int64(), 0);

  // The participant list is for the confirmed.
  EXPECT_EQ(http_->Get(pub + "/participants", Bearer(luis)).Code(), "participants_only");
  auto list = http_->Get(pub + "/participants", Bearer(ana));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().at("items").at(0).at("name").as_string(), "Ana Souza");

  // Calendars.
  auto ics = http_->Get(pub + "/calendar.ics?sessions=true");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(ics.Header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_NE(ics.body.find("DTSTART:20310706T080000Z\r\n"), std::string::npos) << ics.body;
  EXPECT_NE(ics.body.find("SUMMARY:Opening - Forum of the SSE\r\n"), std::string::npos) << ics.body;
  EXPECT_EQ(ics.body.find("meet.example"), std::string::npos);
  auto mine = http_->Get("/api/v1/me/events/calendar.ics", Bearer(luis));
  ASSERT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("STATUS:TENTATIVE"), std::string::npos) << mine.body;
  EXPECT_EQ(http_->Get("/api/v1/me/events/calendar.ics").status, 401);

  // Ana cancels: Luis gets the place, and an email in Spanish is queued.
  auto cancelled = http_->Send("DELETE", reg, "", {{"Authorization", "Bearer " + ana}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  auto luis_now = http_->Get(reg, Bearer(luis));
  EXPECT_EQ(luis_now.Json().at("status").as_string(), "confirmed");
  EXPECT_EQ(luis_now.Json().at("online_url").as_string(), "https://meet.example/sse");
  EXPECT_EQ(CountRows("mail_outbox"), 1);
  auto everyone = http_->Get(one + "/registrations", Bearer(admin));
  ASSERT_EQ(everyone.status, 200);
  EXPECT_EQ(everyone.Json().at("items").at(1).at("email").as_string(), "luis@coop.example");
  EXPECT_EQ(http_->Get(one + "/registrations", Bearer(ana)).status, 403);
  auto my = http_->Get("/api/v1/me/events", Bearer(luis));
  ASSERT_EQ(my.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(my.Json().at("items").at(0).at("event").at("title").as_string(), "Forum of the SSE");
}

}  // namespace
}  // namespace solidum::testing
