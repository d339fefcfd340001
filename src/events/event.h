// An event of the field (issue 8): a forum, an academy, a workshop, a field visit... held
// by an organisation of the register, with its programme of sessions, its registrations
// (capacity and a waiting list) and its materials (resources of the library). This file is
// pure: what an event, a session and a registration hold, how a request's JSON is read
// (every bad field named at once), how an event's times are checked against its zone, and
// who gets a place. The store's part is events.h; iCalendar is calendar.h.
//
// Times are kept as the wall time where the event happens ("2027-07-06T09:00") plus the
// IANA name of its zone ("Europe/Lisbon"): that is what the organiser means and what a
// participant reads on the programme, and it stays right if the zone's rules change. The
// UTC instants (for ordering, "upcoming", registration deadlines and iCalendar) are
// derived from them through the system's zoneinfo (zones.h).
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_fields.h"
#include "common/result.h"

namespace solidum::events {

inline constexpr std::string_view kKinds[] = {"forum", "academy", "conference", "workshop", "field_visit", "webinar", "meeting", "other"};

enum class Stage : std::uint8_t { kDraft, kPublished, kCancelled };
std::string_view StageName(Stage s);  // "draft", "published", "cancelled"
std::optional<Stage> ParseStage(std::string_view name);

enum class Status : std::uint8_t { kConfirmed, kWaiting, kCancelled };
std::string_view StatusName(Status s);  // "confirmed", "waiting", "cancelled"
std::optional<Status> ParseStatus(std::string_view name);

inline constexpr std::size_t kTitleCharsMax = 300;
inline constexpr std::size_t kSummaryCharsMax = 2'000;
inline constexpr std::size_t kDescriptionCharsMax = 50'000;  // Markdown
inline constexpr std::size_t kPlaceCharsMax = 300;           // venue, address, city, room
inline constexpr std::size_t kUrlCharsMax = 2'000;
inline constexpr std::size_t kLanguagesMax = 10;
inline constexpr std::size_t kMaterialsMax = 50;
inline constexpr std::size_t kSessionsMax = 300;
inline constexpr std::int64_t kCapacityMax = 100'000;
inline constexpr std::int64_t kWaitingMax = 10'000;       // a waiting list longer than this helps nobody
inline constexpr std::size_t kNameCharsMax = 200;          // a participant's name, organisation
inline constexpr std::size_t kSpeakersCharsMax = 1'000;
inline constexpr std::int64_t kDurationDaysMax = 60;       // an academy runs for weeks, not months

struct OrganisationRef {
  std::int64_t id = 0;
  std::string name;
};

struct Event {
  std::int64_t id = 0;
  OrganisationRef organiser;
  std::string kind, title, summary, description;
  std::vector<std::string> languages;  // ISO 639-1: what is spoken (or interpreted)
  std::string starts_at, ends_at;      // wall time there: "2027-07-06T09:00"
  std::string timezone;                // IANA: "Europe/Lisbon"
  std::optional<std::string> registration_closes;  // wall time there; none: when it starts
  std::string venue, address, city, country;        // country: ISO 3166-1 alpha-2 or empty
  std::string online_url;              // given to confirmed participants and the organiser only
  std::optional<std::int64_t> capacity;  // none: no limit
  bool waiting_list = true;            // when full, new registrations wait for a place
  std::vector<std::int64_t> materials;  // library resources, in the organiser's order
  Stage stage = Stage::kDraft;
  std::int64_t version = 1;
  std::string created_at, updated_at;
  // Derived (Check): the UTC instants, "2027-07-06T08:00:00Z".
  std::string starts_utc, ends_utc, closes_utc;
  // Counted by the store.
  std::int64_t confirmed = 0, waiting = 0;
};

// A request's fields; what is absent stays as it is.
struct EventChanges {
  json_fields::Field<std::string> kind, title, summary, description, starts_at, ends_at, timezone, registration_closes, venue, address,
      city, country, online_url;
  json_fields::Field<std::vector<std::string>> languages;
  json_fields::Field<std::int64_t> capacity;  // null: no limit
  json_fields::Field<bool> waiting_list;
  json_fields::Field<std::vector<std::int64_t>> materials;
};

// Reads an event's fields. `creating` requires kind, title, starts_at, ends_at and
// timezone. Checks shapes only; Check() checks the whole event once changes are applied.
Result<EventChanges> ReadEvent(const boost::json::value& body, bool creating);
void Apply(const EventChanges& changes, Event& e);

// Checks what concerns the event as a whole and derives its UTC instants: the zone is a
// known one, each wall time exists there (not in a daylight-saving gap), it ends after it
// starts and within kDurationDaysMax, registrations close before it ends. Errors name
// the field (/timezone unknown_timezone, /ends_at ends_before_start, ...).
Result<void> Check(Event& e);
// What publishing needs beyond Check: a place (venue or city) or an online link.
Result<void> CheckPublishable(const Event& e);
// The organiser's moves: draft -> published -> cancelled, and published -> draft while
// nobody is registered. Errors: 409 wrong_stage, 409 has_registrations.
Result<void> CheckMove(Stage from, Stage to, std::int64_t registrations);

struct Session {
  std::int64_t id = 0, event_id = 0;
  std::string title, description, starts_at, ends_at, room, speakers, language;
  std::string starts_utc, ends_utc;  // derived with the event's zone
};
struct SessionChanges {
  json_fields::Field<std::string> title, description, starts_at, ends_at, room, speakers, language;
};
Result<SessionChanges> ReadSession(const boost::json::value& body, bool creating);
void Apply(const SessionChanges& changes, Session& s);
// The session within the event's days, ending after it starts, in the event's zone.
Result<void> Check(Session& s, const Event& e);

// A registration: who, and what they let other participants see.
struct Registration {
  std::int64_t id = 0, event_id = 0, user_id = 0;
  Status status = Status::kConfirmed;
  std::string name, organisation, country, language;  // language: of the emails they get
  bool show_name = true, show_organisation = true, show_country = true;
  std::string created_at, updated_at;
  std::optional<std::string> promoted_at;  // when a place came to them from the waiting list
  std::int64_t position = 0;                // on the waiting list, 1 = next; 0 otherwise
  std::string email;                        // for the organiser only
};
struct RegistrationInput {
  json_fields::Field<std::string> name, organisation, country, language;
  json_fields::Field<bool> show_name, show_organisation, show_country;
};
// `creating` requires the name.
Result<RegistrationInput> ReadRegistration(const boost::json::value& body, bool creating);
void Apply(const RegistrationInput& in, Registration& r);

// Where a new registration goes, given the places taken now.
enum class Placement : std::uint8_t { kConfirmed, kWaiting, kFull };
Placement Place(std::optional<std::int64_t> capacity, bool waiting_list, std::int64_t confirmed, std::int64_t waiting);
// How many of the waiting get a place now (after a cancellation or more capacity).
std::int64_t PlacesFreed(std::optional<std::int64_t> capacity, std::int64_t confirmed, std::int64_t waiting);

// "2027-07-06T09:00" (a wall time, minutes, no zone).
bool IsWallTime(std::string_view s);

}  // namespace solidum::events
