// Events in the store (issue 8): the organiser's events with their programme and
// materials, registrations with a capacity and a waiting list, the participant list as
// each participant chose to appear in it, and iCalendar exports.
//
// Places are decided in the registration's write transaction, which first bumps the
// event's registrations_seq: on SQLite the write lock already serialises it, on
// PostgreSQL that UPDATE locks the event's row, so two people never take the last place
// and the waiting list keeps its order. A cancelled place goes to the first person
// waiting, in the same transaction, and they get an email (mail outbox) in the language
// they registered in.
//
// Who may call what is the HTTP layer's: the organiser's editors and admins manage the
// event; anyone reads a published one; a signed-in user registers themself.
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "events/event.h"
#include "store/store.h"

namespace solidum::events {

inline constexpr int kPageMax = 200;

struct Material {
  std::int64_t id = 0;  // the library resource
  std::string title, language, type;
};

// An event as shown: the event, its programme, its published materials.
struct EventView {
  Event event;
  std::vector<Session> sessions;
  std::vector<Material> materials;
};

struct ListQuery {
  std::optional<std::int64_t> organisation;  // the organiser
  std::string kind, country;
  bool past = false;   // false: not ended yet, soonest first; true: ended, latest first
  bool staff = false;  // the organiser's own list: every stage, past and coming, latest first
  int limit = 50, offset = 0;
};

// One line of the participant list, as the participant chose to appear.
struct Participant {
  std::optional<std::string> name, organisation, country;
};
struct ParticipantList {
  std::vector<Participant> items;  // confirmed participants, in registration order
  std::int64_t total = 0;          // confirmed participants, shown or not
  // Among those who show it: how many per country and per organisation, most first.
  std::vector<std::pair<std::string, std::int64_t>> by_country, by_organisation;
};

// A person's registration with its event, for "my events" and their calendar.
struct MyRegistration {
  Registration registration;
  Event event;
};

class Events {
 public:
  Events(store::Store& store, const Clock& clock, std::string public_url)
      : store_(store), clock_(clock), public_url_(std::move(public_url)) {}
  // The address links (emails, calendars) point at; set once the server listens.
  void set_public_url(std::string url) { public_url_ = std::move(url); }

  // Organiser's side. Errors: validation naming the field (event.h Check), /materials/0
  // unknown_resource (not a published resource of the library).
  Result<EventView> Create(std::int64_t organisation, const EventChanges& fields, std::int64_t user);
  Result<EventView> Get(std::int64_t organisation, std::int64_t id);
  // If-Match version; more capacity gives places to the waiting at once.
  Result<EventView> Change(std::int64_t organisation, std::int64_t id, std::int64_t version, const EventChanges& changes,
                           std::int64_t user);
  // Publishing checks CheckPublishable; cancelling emails everyone registered.
  Result<EventView> Move(std::int64_t organisation, std::int64_t id, std::int64_t version, Stage to, std::int64_t user);
  Result<Session> AddSession(std::int64_t organisation, std::int64_t event, const SessionChanges& fields);
  Result<Session> ChangeSession(std::int64_t organisation, std::int64_t event, std::int64_t session, const SessionChanges& changes);
  Result<void> RemoveSession(std::int64_t organisation, std::int64_t event, std::int64_t session);
  // Every registration (any status), with emails: the organiser's list.
  Result<std::vector<Registration>> Registrations(std::int64_t organisation, std::int64_t event);
  // The organiser cancels someone's registration (a place frees up).
  Result<Registration> CancelFor(std::int64_t organisation, std::int64_t event, std::int64_t registration, std::int64_t by);

  // Public side: published and cancelled events (a cancelled one says so).
  Result<EventView> GetPublic(std::int64_t id);
  Result<std::vector<Event>> List(const ListQuery& query);

  // A signed-in person. Errors: 409 already_registered, 409 event_full (no place and no
  // room on the waiting list), 409 registration_closed, 409 wrong_stage (not published),
  // 404 for an event that is not public.
  Result<Registration> Register(std::int64_t event, std::int64_t user, const RegistrationInput& input);
  // Their live registration (confirmed or waiting); kNotFound when none.
  Result<Registration> Mine(std::int64_t event, std::int64_t user);
  // What they let others see, or their name and organisation.
  Result<Registration> ChangeMine(std::int64_t event, std::int64_t user, const RegistrationInput& input);
  Result<Registration> CancelMine(std::int64_t event, std::int64_t user);
  // For confirmed participants (403 participants_only otherwise) and the organiser's staff
  // (`staff`): the confirmed participants as they chose to appear.
  Result<ParticipantList> Participants(std::int64_t event, std::int64_t user, bool staff);
  // Their live registrations, soonest first, upcoming and past.
  Result<std::vector<MyRegistration>> OfUser(std::int64_t user);

  // iCalendar: a public event (with its sessions when asked); a person's registrations
  // (their online links included for the confirmed ones).
  Result<std::string> EventCalendar(std::int64_t id, bool sessions);
  Result<std::string> UserCalendar(std::int64_t user);

 private:
  store::Store& store_;
  const Clock& clock_;
  std::string public_url_;
};

}  // namespace solidum::events
