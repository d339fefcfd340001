// Events in the store, on SQLite and PostgreSQL: an event from draft to publication,
// registrations up to the capacity then on the waiting list in order, a freed place going
// to the first waiting (with an email in their language), registering twice or past the
// deadline refused, concurrent registrations never overfilling, the participant list as
// each one chose to appear, and calendars.
#include "events/events.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <thread>

#include "../../tests/support/test_store.h"

namespace solidum::events {
namespace {

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Open(solidum::testing::TestStoreUrl(dir_, "events"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto conn = store_->Acquire();
    for (const char* name : {"RIPESS", "Rede Brasileira"}) {
      auto org = conn->QueryOne("INSERT INTO organisations (name, created_at, updated_at) VALUES (?, 'x', 'x') RETURNING id", {std::string(name)});
      ASSERT_TRUE(org.ok()) << org.error().message;
      orgs_.push_back((*org)->Int(0));
    }
    for (int i = 0; i < 24; ++i) {
      auto u = conn->QueryOne("INSERT INTO users (email, password_hash, created_at) VALUES (?, 'x', 'x') RETURNING id",
                              {"person" + std::to_string(i) + "@example.org"});
      ASSERT_TRUE(u.ok()) << u.error().message;
      users_.push_back((*u)->Int(0));
    }
    events_ = std::make_unique<Events>(*store_, clock_, "https://solidum.example");
  }
  EventChanges Fields(const std::string& json, bool creating = true) {
    auto r = ReadEvent(boost::json::parse(json), creating);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : EventChanges{};
  }
  // A published event in Lisbon, in July 2027 (the clock is in January 2027).
  Event Published(const std::string& extra) {
    auto made = events_->Create(orgs_[0], Fields(R"({"kind":"forum","title":"Forum","starts_at":"2027-07-06T09:00","ends_at":"2027-07-08T18:00",)"
                                                 R"("timezone":"Europe/Lisbon","city":"Lisboa","country":"pt","online_url":"https://meet.example/f")" +
                                                 extra + "}"),
                                users_[0]);
    EXPECT_TRUE(made.ok()) << made.error().message;
    if (!made.ok()) return {};
    auto moved = events_->Move(orgs_[0], made->event.id, made->event.version, Stage::kPublished, users_[0]);
    EXPECT_TRUE(moved.ok()) << moved.error().message;
    return moved.ok() ? moved->event : Event{};
  }
  Result<Registration> Register(std::int64_t event, int person, const std::string& json = "") {
    auto in = ReadRegistration(boost::json::parse(json.empty() ? R"({"name":"Person )" + std::to_string(person) + R"("})" : json), true);
    EXPECT_TRUE(in.ok()) << in.error().message;
    return events_->Register(event, users_[person], *in);
  }
  static ListQuery Query(const std::string& country, bool past = false) {
    ListQuery q;
    q.country = country;
    q.past = past;
    return q;
  }
  std::vector<std::string> Outbox() { return solidum::testing::OutboxLines(*store_); }
  solidum::testing::TempDir dir_;
  ManualClock clock_{1'800'000'000'000'000};  // 2027-01-15
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Events> events_;
  std::vector<std::int64_t> orgs_, users_;
};

TEST_F(EventsTest, ADraftIsTheOrganisersUntilPublishedWithAPlace) {
  auto made = events_->Create(orgs_[0], Fields(R"({"kind":"academy","title":"SSE Academy","starts_at":"2027-07-06T09:00",)"
                                               R"("ends_at":"2027-07-10T17:00","timezone":"America/Bogota","languages":["es","en"]})"),
                              users_[0]);
  ASSERT_TRUE(made.ok()) << made.error().message;
  const Event& e = made->event;
  EXPECT_EQ(e.stage, Stage::kDraft);
  EXPECT_EQ(e.starts_utc, "2027-07-06T14:00:00Z");
  EXPECT_EQ(e.organiser.name, "RIPESS");
  EXPECT_EQ(events_->GetPublic(e.id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(events_->Get(orgs_[1], e.id).error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(events_->List({})->empty());
  EXPECT_EQ(Register(e.id, 1).error().kind, ErrorKind::kNotFound);

  auto nowhere = events_->Move(orgs_[0], e.id, e.version, Stage::kPublished, users_[0]);
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().fields.at(0).code, "place_required");
  auto stale = events_->Change(orgs_[0], e.id, e.version + 1, Fields(R"({"city":"Bogotá"})", false), users_[0]);
  EXPECT_EQ(stale.error().code, "version_mismatch");
  auto placed = events_->Change(orgs_[0], e.id, e.version, Fields(R"({"city":"Bogotá","country":"CO"})", false), users_[0]);
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  auto published = events_->Move(orgs_[0], e.id, placed->event.version, Stage::kPublished, users_[0]);
  ASSERT_TRUE(published.ok()) << published.error().message;
  EXPECT_EQ(events_->GetPublic(e.id)->event.city, "Bogotá");
  auto listed = events_->List(Query("CO"));
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().title, "SSE Academy");
  EXPECT_TRUE(events_->List(Query("FR"))->empty());
  EXPECT_TRUE(events_->List(Query("", true))->empty());

  // The programme: sessions within the event's days, in its zone.
  auto opening = ReadSession(boost::json::parse(R"({"title":"Apertura","starts_at":"2027-07-06T09:00","ends_at":"2027-07-06T10:00","language":"es"})"), true);
  ASSERT_TRUE(opening.ok());
  auto s = events_->AddSession(orgs_[0], e.id, *opening);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->starts_utc, "2027-07-06T14:00:00Z");
  auto outside = ReadSession(boost::json::parse(R"({"title":"Late","starts_at":"2027-07-11T09:00","ends_at":"2027-07-11T10:00"})"), true);
  EXPECT_EQ(events_->AddSession(orgs_[0], e.id, *outside).error().fields.at(0).code, "outside_event");
  // Shortening the event past a session is refused until the session moves.
  auto view = events_->Get(orgs_[0], e.id);
  auto shorter = events_->Change(orgs_[0], e.id, view->event.version, Fields(R"({"starts_at":"2027-07-07T09:00"})", false), users_[0]);
  EXPECT_EQ(shorter.error().fields.at(0).code, "sessions_outside");
  EXPECT_EQ(events_->GetPublic(e.id)->sessions.size(), 1u);
}

TEST_F(EventsTest, PlacesGoInOrderAndAFreedPlaceGoesToTheFirstWaiting) {
  const Event e = Published(R"(,"capacity":2)");
  auto a = Register(e.id, 1);
  auto b = Register(e.id, 2);
  auto c = Register(e.id, 3, R"({"name":"Ana","language":"pt"})");
  auto d = Register(e.id, 4, R"({"name":"Lucía","language":"es"})");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(a->status, Status::kConfirmed);
  EXPECT_EQ(b->status, Status::kConfirmed);
  EXPECT_EQ(c->status, Status::kWaiting);
  EXPECT_EQ(c->position, 1);
  EXPECT_EQ(d->position, 2);
  // Twice is refused, confirmed or waiting.
  EXPECT_EQ(Register(e.id, 1).error().code, "already_registered");
  EXPECT_EQ(Register(e.id, 4).error().code, "already_registered");
  auto view = events_->GetPublic(e.id);
  EXPECT_EQ(view->event.confirmed, 2);
  EXPECT_EQ(view->event.waiting, 2);

  // The second confirmed cancels: Ana, first waiting, gets the place and an email in Portuguese.
  auto cancelled = events_->CancelMine(e.id, users_[2]);
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, Status::kCancelled);
  auto ana = events_->Mine(e.id, users_[3]);
  EXPECT_EQ(ana->status, Status::kConfirmed);
  EXPECT_TRUE(ana->promoted_at.has_value());
  EXPECT_EQ(events_->Mine(e.id, users_[4])->position, 1);
  EXPECT_EQ(events_->Mine(e.id, users_[2]).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Outbox(), std::vector<std::string>{"event_place person3@example.org pt Tem um lugar: Forum"});
  // A waiting person cancelling frees nothing.
  ASSERT_TRUE(events_->CancelMine(e.id, users_[4]).ok());
  EXPECT_EQ(Outbox().size(), 1u);
  // Whoever cancelled may register again, at the end of the line.
  auto again = Register(e.id, 2);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->status, Status::kWaiting);
  // More capacity gives the waiting their places at once.
  auto current = events_->Get(orgs_[0], e.id);
  auto bigger = events_->Change(orgs_[0], e.id, current->event.version, Fields(R"({"capacity":5})", false), users_[0]);
  ASSERT_TRUE(bigger.ok()) << bigger.error().message;
  EXPECT_EQ(bigger->event.confirmed, 3);
  EXPECT_EQ(bigger->event.waiting, 0);
  EXPECT_EQ(events_->Mine(e.id, users_[2])->status, Status::kConfirmed);
  // The organiser sees everyone, with emails; and may cancel a registration.
  auto all = events_->Registrations(orgs_[0], e.id);
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().email, "person1@example.org");
  auto removed = events_->CancelFor(orgs_[0], e.id, all->front().id, users_[0]);
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(events_->GetPublic(e.id)->event.confirmed, 2);
  EXPECT_EQ(events_->CancelFor(orgs_[0], e.id, all->front().id, users_[0]).error().kind, ErrorKind::kNotFound);
}

TEST_F(EventsTest, FullWithoutAWaitingListClosedAfterTheDeadlineAndCancelledRefuses) {
  const Event e = Published(R"(,"capacity":1,"waiting_list":false,"registration_closes":"2027-06-30T23:59")");
  ASSERT_TRUE(Register(e.id, 1).ok());
  auto full = Register(e.id, 2);
  EXPECT_EQ(full.error().code, "event_full");
  EXPECT_EQ(full.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(events_->GetPublic(e.id)->event.confirmed, 1);

  const Event later = Published("");
  clock_.Advance(1'814'400'000'000'000 - 1'800'000'000'000'000);  // 2027-07-01T00:00Z: past the first deadline, before the second event starts
  EXPECT_EQ(events_->CancelMine(e.id, users_[1]).ok(), true);
  EXPECT_EQ(Register(e.id, 2).error().code, "registration_closed");
  ASSERT_TRUE(Register(later.id, 5, R"({"name":"Awa","language":"fr"})").ok());
  auto current = events_->Get(orgs_[0], later.id);
  auto cancelled = events_->Move(orgs_[0], later.id, current->event.version, Stage::kCancelled, users_[0]);
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
  EXPECT_EQ(Register(later.id, 6).error().code, "wrong_stage");
  EXPECT_EQ(Outbox(), std::vector<std::string>{"event_cancelled person5@example.org fr Annulé : Forum"});
  // Still public, saying it is cancelled; its calendar says so too.
  EXPECT_EQ(events_->GetPublic(later.id)->event.stage, Stage::kCancelled);
  EXPECT_NE(events_->EventCalendar(later.id, false)->find("STATUS:CANCELLED"), std::string::npos);
}

TEST_F(EventsTest, ConcurrentRegistrationsNeverOverfill) {
  const Event e = Published(R"(,"capacity":5)");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      auto in = ReadRegistration(boost::json::parse(R"({"name":"P"})"), true);
      for (int attempt = 0; attempt < 50; ++attempt) {
        auto r = events_->Register(e.id, users_[i], *in);
        if (r.ok()) {
          ++ok;
          return;
        }
        if (r.error().code != "store_busy") {
          ADD_FAILURE() << r.error().code << ": " << r.error().message;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 20);
  auto all = events_->Registrations(orgs_[0], e.id);
  ASSERT_EQ(all->size(), 20u);
  int confirmed = 0;
  std::vector<std::int64_t> positions;
  for (const auto& r : *all) {
    if (r.status == Status::kConfirmed) ++confirmed;
    else positions.push_back(r.position);
  }
  EXPECT_EQ(confirmed, 5);
  ASSERT_EQ(positions.size(), 15u);
  for (std::size_t i = 0; i < positions.size(); ++i) EXPECT_EQ(positions[i], static_cast<std::int64_t>(i + 1));
}

TEST_F(EventsTest, TheParticipantListShowsWhatEachChose) {
  const Event e = Published("");
  ASSERT_TRUE(Register(e.id, 1, R"({"name":"Ana Souza","organisation":"Rede Brasileira","country":"BR"})").ok());
  ASSERT_TRUE(Register(e.id, 2, R"({"name":"Jean Dupont","organisation":"Coop 57","country":"FR","show_name":false})").ok());
  ASSERT_TRUE(Register(e.id, 3, R"({"name":"Hidden","organisation":"Secret","country":"BR","show_name":false,"show_organisation":false,"show_country":false})").ok());
  ASSERT_TRUE(Register(e.id, 4, R"({"name":"Lia","organisation":"Rede Brasileira","country":"BR"})").ok());
  auto list = events_->Participants(e.id, users_[1], false);
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->total, 4);
  ASSERT_EQ(list->items.size(), 3u);  // the one who shows nothing is counted, not listed
  EXPECT_EQ(list->items[0].name, "Ana Souza");
  EXPECT_EQ(list->items[1].name, std::nullopt);
  EXPECT_EQ(list->items[1].organisation, "Coop 57");
  for (const auto& p : list->items) EXPECT_NE(p.name, "Hidden");
  EXPECT_EQ(list->by_country, (std::vector<std::pair<std::string, std::int64_t>>{{"BR", 2}, {"FR", 1}}));
  EXPECT_EQ(list->by_organisation, (std::vector<std::pair<std::string, std::int64_t>>{{"Rede Brasileira", 2}, {"Coop 57", 1}}));
  // Not registered: no list.
  EXPECT_EQ(events_->Participants(e.id, users_[9], false).error().code, "participants_only");
  EXPECT_TRUE(events_->Participants(e.id, users_[9], true).ok());
  // A participant changes their mind.
  auto in = ReadRegistration(boost::json::parse(R"({"show_country":false})"), false);
  ASSERT_TRUE(events_->ChangeMine(e.id, users_[1], *in).ok());
  EXPECT_EQ(events_->Participants(e.id, users_[1], false)->by_country,
            (std::vector<std::pair<std::string, std::int64_t>>{{"BR", 1}, {"FR", 1}}));
}

TEST_F(EventsTest, CalendarsInUtcWithTheOnlineLinkForTheConfirmedOnly) {
  const Event full = Published(R"(,"capacity":1,"title":"Full forum")");
  const Event open = Published(R"(,"title":"Open forum","starts_at":"2027-09-01T10:00","ends_at":"2027-09-01T12:00")");
  ASSERT_TRUE(Register(full.id, 1).ok());
  ASSERT_TRUE(Register(full.id, 2).ok());  // waiting
  ASSERT_TRUE(Register(open.id, 2).ok());
  auto mine = events_->OfUser(users_[2]);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(mine->at(0).event.title, "Full forum");
  EXPECT_EQ(mine->at(0).registration.status, Status::kWaiting);
  EXPECT_EQ(mine->at(0).registration.position, 1);
  EXPECT_EQ(mine->at(1).event.title, "Open forum");
  EXPECT_EQ(mine->at(1).registration.status, Status::kConfirmed);
  EXPECT_EQ(mine->at(1).event.confirmed, 1);
  auto ics = events_->UserCalendar(users_[2]);
  ASSERT_TRUE(ics.ok());
  const auto first = ics->find("UID:event-" + std::to_string(full.id) + "@solidum");
  const auto second = ics->find("UID:event-" + std::to_string(open.id) + "@solidum");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  const std::string waiting = ics->substr(first, second - first), confirmed = ics->substr(second);
  EXPECT_NE(waiting.find("STATUS:TENTATIVE"), std::string::npos);
  EXPECT_EQ(waiting.find("meet.example"), std::string::npos);
  EXPECT_NE(confirmed.find("STATUS:CONFIRMED"), std::string::npos);
  EXPECT_NE(confirmed.find("meet.example"), std::string::npos);
  EXPECT_NE(confirmed.find("DTSTART:20270901T090000Z"), std::string::npos);  // 10:00 in Lisbon, summer time
  // The public calendar never has the online link.
  auto pub = events_->EventCalendar(open.id, true);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->find("meet.example"), std::string::npos);
}

TEST_F(EventsTest, MaterialsArePublishedResourcesOfTheLibrary) {
  auto conn = store_->Acquire();
  auto res = conn->QueryOne("INSERT INTO library_resources (publisher_id, type, title, summary, body, language, translation_group, themes, sdgs, "
                            "countries, stage, version, created_at, updated_at) VALUES (?, 'toolkit', 'Toolkit', '', '', 'en', 0, '[]', '[]', '[]', "
                            "'published', 1, 'x', 'x') RETURNING id",
                            {orgs_[0]});
  ASSERT_TRUE(res.ok()) << res.error().message;
  const std::int64_t toolkit = (*res)->Int(0);
  auto bad = events_->Create(orgs_[0], Fields(R"({"kind":"workshop","title":"W","starts_at":"2027-07-06T09:00","ends_at":"2027-07-06T12:00",)"
                                              R"("timezone":"UTC","materials":[)" + std::to_string(toolkit) + R"(,999999]})"),
                             users_[0]);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "/materials/1");
  auto good = events_->Create(orgs_[0], Fields(R"({"kind":"workshop","title":"W","starts_at":"2027-07-06T09:00","ends_at":"2027-07-06T12:00",)"
                                               R"("timezone":"UTC","materials":[)" + std::to_string(toolkit) + "]}"),
                              users_[0]);
  ASSERT_TRUE(good.ok()) << good.error().message;
  ASSERT_EQ(good->materials.size(), 1u);
  EXPECT_EQ(good->materials[0].title, "Toolkit");
}

}  // namespace
}  // namespace solidum::events
