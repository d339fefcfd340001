#include "events/event.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>

#include "events/zones.h"
#include "registry/organisation.h"

namespace solidum::events {

namespace {

using json_fields::TextRule;

constexpr std::string_view kStages[] = {"draft", "published", "cancelled"};
constexpr std::string_view kStatuses[] = {"confirmed", "waiting", "cancelled"};

TextRule Line(std::size_t max_chars) { return {.max_chars = max_chars}; }

int Digits(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Minutes since 1970 of a wall time (as if it were UTC): for spans and order within one zone.
std::int64_t MinutesOf(std::string_view wall) {
  using namespace std::chrono;
  const sys_days date = year_month_day(year(Digits(wall, 0, 4)), month(static_cast<unsigned>(Digits(wall, 5, 2))),
                                       day(static_cast<unsigned>(Digits(wall, 8, 2))));
  return date.time_since_epoch().count() * 1440 + Digits(wall, 11, 2) * 60 + Digits(wall, 14, 2);
}

void ReadWallTime(json_fields::ObjectReader& r, std::string_view key, json_fields::Field<std::string>& f, bool required) {
  f = r.Text(key, {.required = required, .max_chars = 16});
  if (f.has_value() && !IsWallTime(f.value)) {
    r.Fail(key, "invalid_time", "A local date and time such as 2027-07-06T09:00.");
  }
}

void ReadLanguage(json_fields::ObjectReader& r, std::string_view key, json_fields::Field<std::string>& f) {
  f = r.Text(key, {.max_chars = 2});
  if (f.has_value() && !registry::IsLanguageCode(f.value)) r.Fail(key, "invalid_language", "An ISO 639-1 code such as fr.");
}

void ReadCountry(json_fields::ObjectReader& r, std::string_view key, json_fields::Field<std::string>& f) {
  f = r.Text(key, {.max_chars = 2});
  if (f.has_value() && !registry::NormaliseCountryCode(f.value)) {
    r.Fail(key, "invalid_country", "An ISO 3166-1 alpha-2 code is expected, such as FR.");
  }
}

template <typename F, typename T>
void Set(const F& field, T& target) {
  if (field.present) target = field.is_null ? T{} : field.value;
}

Error Invalid(std::string field, std::string code, std::string message) {
  return Error::Invalid(std::move(field), std::move(code), std::move(message));
}

}  // namespace

std::string_view StageName(Stage s) { return kStages[static_cast<std::size_t>(s)]; }
std::optional<Stage> ParseStage(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kStages); ++i) {
    if (kStages[i] == name) return static_cast<Stage>(i);
  }
  return std::nullopt;
}
std::string_view StatusName(Status s) { return kStatuses[static_cast<std::size_t>(s)]; }
std::optional<Status> ParseStatus(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kStatuses); ++i) {
    if (kStatuses[i] == name) return static_cast<Status>(i);
  }
  return std::nullopt;
}

bool IsWallTime(std::string_view s) {
  if (s.size() != 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  using namespace std::chrono;
  const year_month_day d(year(Digits(s, 0, 4)), month(static_cast<unsigned>(Digits(s, 5, 2))), day(static_cast<unsigned>(Digits(s, 8, 2))));
  return d.ok() && Digits(s, 0, 4) >= 1900 && Digits(s, 11, 2) < 24 && Digits(s, 14, 2) < 60;
}

Result<EventChanges> ReadEvent(const boost::json::value& body, bool creating) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Make(ErrorKind::kMalformed, "not_an_object", "A JSON object is expected.");
  EventChanges c;
  c.kind = r.Text("kind", {.required = creating, .nullable = false, .max_chars = 20});
  if (c.kind.has_value() && std::find(std::begin(kKinds), std::end(kKinds), c.kind.value) == std::end(kKinds)) {
    r.Fail("kind", "unknown_kind", "forum, academy, conference, workshop, field_visit, webinar, meeting or other.");
  }
  c.title = r.Text("title", {.required = creating, .nullable = false, .max_chars = kTitleCharsMax});
  c.summary = r.Text("summary", {.max_chars = kSummaryCharsMax, .multiline = true});
  c.description = r.Text("description", {.max_chars = kDescriptionCharsMax, .multiline = true, .trim = false});
  ReadWallTime(r, "starts_at", c.starts_at, creating);
  ReadWallTime(r, "ends_at", c.ends_at, creating);
  c.timezone = r.Text("timezone", {.required = creating, .nullable = false, .max_chars = 64});
  ReadWallTime(r, "registration_closes", c.registration_closes, false);
  c.venue = r.Text("venue", Line(kPlaceCharsMax));
  c.address = r.Text("address", {.max_chars = kPlaceCharsMax, .multiline = true});
  c.city = r.Text("city", Line(kPlaceCharsMax));
  ReadCountry(r, "country", c.country);
  c.online_url = r.Text("online_url", Line(kUrlCharsMax));
  if (c.online_url.has_value() && !registry::IsAbsoluteHttpUrl(c.online_url.value)) {
    r.Fail("online_url", "invalid_url", "An absolute http or https URL is expected.");
  }
  c.languages = r.TextList("languages", {.max_chars = 2}, kLanguagesMax);
  for (std::size_t i = 0; c.languages.has_value() && i < c.languages.value.size(); ++i) {
    if (!registry::IsLanguageCode(c.languages.value[i])) {
      r.FailAt(r.PathOf("languages") + "/" + std::to_string(i), "invalid_language", "An ISO 639-1 code such as fr.");
    }
  }
  c.capacity = r.Integer("capacity", 1, kCapacityMax);
  c.waiting_list = r.Bool("waiting_list");
  if (c.waiting_list.is_null) r.Fail("waiting_list", "not_nullable", "true or false.");
  c.materials = r.IntegerList("materials", 1, INT64_MAX, kMaterialsMax);
  SOLIDUM_TRY(r.Finish());
  return c;
}

void Apply(const EventChanges& c, Event& e) {
  Set(c.kind, e.kind);
  Set(c.title, e.title);
  Set(c.summary, e.summary);
  Set(c.description, e.description);
  Set(c.starts_at, e.starts_at);
  Set(c.ends_at, e.ends_at);
  Set(c.timezone, e.timezone);
  if (c.registration_closes.present) {
    e.registration_closes = c.registration_closes.is_null ? std::nullopt : std::optional<std::string>(c.registration_closes.value);
  }
  Set(c.venue, e.venue);
  Set(c.address, e.address);
  Set(c.city, e.city);
  Set(c.country, e.country);
  Set(c.online_url, e.online_url);
  Set(c.languages, e.languages);
  if (c.capacity.present) e.capacity = c.capacity.is_null ? std::nullopt : std::optional<std::int64_t>(c.capacity.value);
  if (c.waiting_list.has_value()) e.waiting_list = c.waiting_list.value;
  Set(c.materials, e.materials);
}

Result<void> Check(Event& e) {
  if (!IsKnownZone(e.timezone)) {
    return Invalid("/timezone", "unknown_timezone", "A time zone of the IANA database, such as Europe/Lisbon or America/Bogota.");
  }
  auto utc = [&](std::string_view field, const std::string& wall) -> Result<std::string> {
    auto at = UtcOf(wall, e.timezone);
    if (!at) return Invalid("/" + std::string(field), "nonexistent_time", "This time does not exist there: the clocks skip it.");
    return *at;
  };
  SOLIDUM_ASSIGN_OR_RETURN(e.starts_utc, utc("starts_at", e.starts_at));
  SOLIDUM_ASSIGN_OR_RETURN(e.ends_utc, utc("ends_at", e.ends_at));
  if (e.ends_utc <= e.starts_utc) return Invalid("/ends_at", "ends_before_start", "The end comes after the start.");
  if (MinutesOf(e.ends_at) - MinutesOf(e.starts_at) > kDurationDaysMax * 1440) {
    return Invalid("/ends_at", "too_long", "An event lasts at most " + std::to_string(kDurationDaysMax) + " days.");
  }
  e.closes_utc = e.starts_utc;
  if (e.registration_closes) {
    SOLIDUM_ASSIGN_OR_RETURN(e.closes_utc, utc("registration_closes", *e.registration_closes));
    if (e.closes_utc > e.ends_utc) {
      return Invalid("/registration_closes", "after_end", "Registrations close before the event ends.");
    }
  }
  return Ok();
}

Result<void> CheckPublishable(const Event& e) {
  if (e.venue.empty() && e.city.empty() && e.online_url.empty()) {
    return Invalid("/venue", "place_required", "A place (venue or city), an online link, or both, before publishing.");
  }
  return Ok();
}

Result<void> CheckMove(Stage from, Stage to, std::int64_t registrations) {
  const bool allowed = (from == Stage::kDraft && to == Stage::kPublished) || (from == Stage::kPublished && to == Stage::kCancelled) ||
                       (from == Stage::kPublished && to == Stage::kDraft);
  if (!allowed) {
    return Error::Make(ErrorKind::kConflict, "wrong_stage",
                       "An event does not go from " + std::string(StageName(from)) + " to " + std::string(StageName(to)) + ".");
  }
  if (to == Stage::kDraft && registrations > 0) {
    return Error::Make(ErrorKind::kConflict, "has_registrations",
                       "People have registered: the event can be changed or cancelled, not taken back to a draft.");
  }
  return Ok();
}

Result<SessionChanges> ReadSession(const boost::json::value& body, bool creating) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Make(ErrorKind::kMalformed, "not_an_object", "A JSON object is expected.");
  SessionChanges c;
  c.title = r.Text("title", {.required = creating, .nullable = false, .max_chars = kTitleCharsMax});
  c.description = r.Text("description", {.max_chars = kSummaryCharsMax, .multiline = true});
  ReadWallTime(r, "starts_at", c.starts_at, creating);
  ReadWallTime(r, "ends_at", c.ends_at, creating);
  c.room = r.Text("room", Line(kPlaceCharsMax));
  c.speakers = r.Text("speakers", {.max_chars = kSpeakersCharsMax, .multiline = true});
  ReadLanguage(r, "language", c.language);
  SOLIDUM_TRY(r.Finish());
  if (c.starts_at.is_null) return Invalid("/starts_at", "not_nullable", "A session has a start.");
  if (c.ends_at.is_null) return Invalid("/ends_at", "not_nullable", "A session has an end.");
  return c;
}

void Apply(const SessionChanges& c, Session& s) {
  Set(c.title, s.title);
  Set(c.description, s.description);
  Set(c.starts_at, s.starts_at);
  Set(c.ends_at, s.ends_at);
  Set(c.room, s.room);
  Set(c.speakers, s.speakers);
  Set(c.language, s.language);
}

Result<void> Check(Session& s, const Event& e) {
  auto starts = UtcOf(s.starts_at, e.timezone);
  if (!starts) return Invalid("/starts_at", "nonexistent_time", "This time does not exist there: the clocks skip it.");
  auto ends = UtcOf(s.ends_at, e.timezone);
  if (!ends) return Invalid("/ends_at", "nonexistent_time", "This time does not exist there: the clocks skip it.");
  if (*ends <= *starts) return Invalid("/ends_at", "ends_before_start", "The end comes after the start.");
  if (*starts < e.starts_utc || *ends > e.ends_utc) {
    return Invalid("/starts_at", "outside_event", "A session is held between the event's start and end.");
  }
  s.starts_utc = *starts;
  s.ends_utc = *ends;
  return Ok();
}

Result<RegistrationInput> ReadRegistration(const boost::json::value& body, bool creating) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Make(ErrorKind::kMalformed, "not_an_object", "A JSON object is expected.");
  RegistrationInput in;
  in.name = r.Text("name", {.required = creating, .nullable = false, .max_chars = kNameCharsMax});
  in.organisation = r.Text("organisation", Line(kNameCharsMax));
  ReadCountry(r, "country", in.country);
  ReadLanguage(r, "language", in.language);
  in.show_name = r.Bool("show_name");
  in.show_organisation = r.Bool("show_organisation");
  in.show_country = r.Bool("show_country");
  SOLIDUM_TRY(r.Finish());
  for (auto [field, key] : {std::pair{&in.show_name, "/show_name"}, {&in.show_organisation, "/show_organisation"}, {&in.show_country, "/show_country"}}) {
    if (field->is_null) return Invalid(key, "not_nullable", "true or false.");
  }
  return in;
}

void Apply(const RegistrationInput& in, Registration& r) {
  Set(in.name, r.name);
  Set(in.organisation, r.organisation);
  Set(in.country, r.country);
  if (in.language.has_value()) r.language = in.language.value;
  if (in.show_name.has_value()) r.show_name = in.show_name.value;
  if (in.show_organisation.has_value()) r.show_organisation = in.show_organisation.value;
  if (in.show_country.has_value()) r.show_country = in.show_country.value;
}

Placement Place(std::optional<std::int64_t> capacity, bool waiting_list, std::int64_t confirmed, std::int64_t waiting) {
  // Nobody jumps the queue: while people wait, a newcomer waits behind them.
  if ((!capacity || confirmed < *capacity) && waiting == 0) return Placement::kConfirmed;
  if (waiting_list && waiting < kWaitingMax) return Placement::kWaiting;
  return Placement::kFull;
}

std::int64_t PlacesFreed(std::optional<std::int64_t> capacity, std::int64_t confirmed, std::int64_t waiting) {
  if (!capacity) return waiting;
  return std::clamp<std::int64_t>(*capacity - confirmed, 0, waiting);
}

}  // namespace solidum::events
