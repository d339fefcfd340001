// Events over HTTP. The organiser's side (/organisations/{id}/events/...) is for its
// editors and admins: the event, its programme, its registrations. The public side
// (/events/...) shows published and cancelled events and their calendars; a signed-in
// person registers, changes what others see of them, cancels, and reads the participant
// list once confirmed. The online link is only ever sent to the organiser and to
// confirmed participants.
#include <boost/json.hpp>

#include <charconv>

#include "common/json_fields.h"
#include "events/events.h"
#include "http/api/routes.h"
#include "http/app.h"
#include "http/problem.h"
#include "library/markdown.h"
#include "registry/organisation.h"

namespace solidum::http::api {

using identity::Action;

namespace {

using events::Event;
using events::Stage;

boost::json::value OptText(const std::optional<std::string>& s) { return s ? boost::json::value(*s) : nullptr; }

boost::json::object EventJson(const Event& e, bool with_online) {
  boost::json::object j{{"id", e.id},
                        {"organiser", {{"id", e.organiser.id}, {"name", e.organiser.name}}},
                        {"kind", e.kind},
                        {"title", e.title},
                        {"summary", e.summary},
                        {"languages", boost::json::value_from(e.languages)},
                        {"starts_at", e.starts_at},
                        {"ends_at", e.ends_at},
                        {"timezone", e.timezone},
                        {"starts_utc", e.starts_utc},
                        {"ends_utc", e.ends_utc},
                        {"registration_closes", OptText(e.registration_closes)},
                        {"closes_utc", e.closes_utc},
                        {"venue", e.venue},
                        {"address", e.address},
                        {"city", e.city},
                        {"country", e.country},
                        {"online", !e.online_url.empty()},
                        {"capacity", e.capacity ? boost::json::value(*e.capacity) : nullptr},
                        {"waiting_list", e.waiting_list},
                        {"confirmed", e.confirmed},
                        {"waiting", e.waiting},
                        {"places_left", e.capacity ? boost::json::value(std::max<std::int64_t>(0, *e.capacity - e.confirmed)) : nullptr},
                        {"stage", events::StageName(e.stage)},
                        {"version", e.version},
                        {"created_at", e.created_at},
                        {"updated_at", e.updated_at}};
  if (with_online) j["online_url"] = e.online_url;
  return j;
}

boost::json::object SessionJson(const events::Session& s) {
  return {{"id", s.id},           {"title", s.title},         {"description", s.description}, {"starts_at", s.starts_at},
          {"ends_at", s.ends_at}, {"starts_utc", s.starts_utc}, {"ends_utc", s.ends_utc},     {"room", s.room},
          {"speakers", s.speakers}, {"language", s.language}};
}

Response ViewJson(const events::EventView& v, bool staff, int status = 200) {
  auto j = EventJson(v.event, staff);
  j["description"] = v.event.description;
  j["description_html"] = library::RenderMarkdown(v.event.description);
  boost::json::array sessions, materials;
  for (const auto& s : v.sessions) sessions.push_back(SessionJson(s));
  for (const auto& m : v.materials) materials.push_back({{"id", m.id}, {"title", m.title}, {"language", m.language}, {"type", m.type}});
  j["sessions"] = std::move(sessions);
  j["materials"] = std::move(materials);
  if (staff) j["material_ids"] = boost::json::value_from(v.event.materials);
  return WithETag(Json(status, j), v.event.version);
}

boost::json::object RegistrationJson(const events::Registration& r, bool staff) {
  boost::json::object j{{"id", r.id},
                        {"event_id", r.event_id},
                        {"status", events::StatusName(r.status)},
                        {"position", r.status == events::Status::kWaiting ? boost::json::value(r.position) : nullptr},
                        {"name", r.name},
                        {"organisation", r.organisation},
                        {"country", r.country},
                        {"language", r.language},
                        {"show_name", r.show_name},
                        {"show_organisation", r.show_organisation},
                        {"show_country", r.show_country},
                        {"created_at", r.created_at},
                        {"updated_at", r.updated_at},
                        {"promoted_at", OptText(r.promoted_at)}};
  if (staff) j["email"] = r.email;
  return j;
}

Response Ics(std::string body, const std::string& file_name) {
  Response r;
  r.content_type = "text/calendar; charset=utf-8";
  r.body = std::move(body);
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Result<int> IntParam(const std::string& key, const std::string& value, std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < min || n > max) {
    return Error::Invalid("?" + key, "out_of_range", "A whole number from " + std::to_string(min) + " to " + std::to_string(max) + ".");
  }
  return static_cast<int>(n);
}

// ?kind=&country=&past=&limit=&offset=
Result<events::ListQuery> ReadListQuery(Context& ctx) {
  events::ListQuery q;
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "kind") {
      if (std::find(std::begin(events::kKinds), std::end(events::kKinds), value) == std::end(events::kKinds)) {
        return Error::Invalid("?kind", "unknown_kind", "forum, academy, conference, workshop, field_visit, webinar, meeting or other.");
      }
      q.kind = value;
    } else if (key == "country") {
      q.country = value;
      if (!registry::NormaliseCountryCode(q.country)) return Error::Invalid("?country", "invalid_country", "An ISO 3166-1 alpha-2 code.");
    } else if (key == "past") {
      if (value != "true" && value != "false") return Error::Invalid("?past", "invalid_boolean", "true or false.");
      q.past = value == "true";
    } else if (key == "organisation") {
      SOLIDUM_ASSIGN_OR_RETURN(auto id, IntParam(key, value, 1, INT32_MAX));
      q.organisation = id;
    } else if (key == "limit") {
      SOLIDUM_ASSIGN_OR_RETURN(q.limit, IntParam(key, value, 1, events::kPageMax));
    } else if (key == "offset") {
      SOLIDUM_ASSIGN_OR_RETURN(q.offset, IntParam(key, value, 0, 100'000));
    } else {
      return Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known.");
    }
  }
  return q;
}

Response ListJson(const std::vector<Event>& list, const events::ListQuery& q, bool staff) {
  boost::json::array items;
  for (const auto& e : list) items.push_back(EventJson(e, staff));
  const bool more = static_cast<int>(list.size()) == q.limit;
  return Json(200, {{"items", std::move(items)}, {"next_offset", more ? boost::json::value(q.offset + q.limit) : nullptr}});
}

// --- Organiser ----------------------------------------------------------------------

Response CreateEvent(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto fields, events::ReadEvent(body, true));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.events.Create(org, fields, *ctx.principal.user_id));
  return ViewJson(v, true, 201);
}

Response OrganiserEvents(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto q, ReadListQuery(ctx));
  q.organisation = org;
  q.staff = true;
  SOLIDUM_HTTP_TRY(auto list, ctx.services.events.List(q));
  return ListJson(list, q, true);
}

Response OrganiserEvent(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.events.Get(org, id));
  return ViewJson(v, true);
}

Response ChangeEvent(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto changes, events::ReadEvent(body, false));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.events.Change(org, id, version, changes, *ctx.principal.user_id));
  return ViewJson(v, true);
}

Response MoveEvent(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto version, IfMatchVersion(ctx.request));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  json_fields::ObjectReader r(body);
  auto to = r.Text("stage", {.required = true, .max_chars = 20});
  SOLIDUM_HTTP_CHECK(r.Finish());
  auto stage = events::ParseStage(to.value);
  if (!stage) return Problem(Error::Invalid("/stage", "unknown_stage", "draft, published or cancelled."), ctx.request.path);
  SOLIDUM_HTTP_TRY(auto v, ctx.services.events.Move(org, id, version, *stage, *ctx.principal.user_id));
  return ViewJson(v, true);
}

Response AddSession(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto fields, events::ReadSession(body, true));
  SOLIDUM_HTTP_TRY(auto s, ctx.services.events.AddSession(org, id, fields));
  return Json(201, SessionJson(s));
}

Response ChangeSession(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto sid, ctx.IdParam("sid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto changes, events::ReadSession(body, false));
  SOLIDUM_HTTP_TRY(auto s, ctx.services.events.ChangeSession(org, id, sid, changes));
  return Json(200, SessionJson(s));
}

Response RemoveSession(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto sid, ctx.IdParam("sid"));
  SOLIDUM_HTTP_CHECK(ctx.services.events.RemoveSession(org, id, sid));
  return NoContent();
}

Response OrganiserRegistrations(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.events.Registrations(org, id));
  boost::json::array items;
  for (const auto& r : list) items.push_back(RegistrationJson(r, true));
  return Json(200, {{"items", std::move(items)}});
}

Response CancelRegistration(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto rid, ctx.IdParam("rid"));
  SOLIDUM_HTTP_TRY(auto r, ctx.services.events.CancelFor(org, id, rid, *ctx.principal.user_id));
  return Json(200, RegistrationJson(r, true));
}

boost::json::object ParticipantsJson(const events::ParticipantList& list) {
  boost::json::array items, countries, organisations;
  for (const auto& p : list.items) {
    items.push_back({{"name", OptText(p.name)}, {"organisation", OptText(p.organisation)}, {"country", OptText(p.country)}});
  }
  for (const auto& [k, n] : list.by_country) countries.push_back({{"value", k}, {"count", n}});
  for (const auto& [k, n] : list.by_organisation) organisations.push_back({{"value", k}, {"count", n}});
  return {{"items", std::move(items)}, {"total", list.total}, {"by_country", std::move(countries)}, {"by_organisation", std::move(organisations)}};
}

Response OrganiserParticipants(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto org, ctx.IdParam("id"));
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.events.Get(org, id));  // theirs
  SOLIDUM_HTTP_TRY(auto list, ctx.services.events.Participants(v.event.id, *ctx.principal.user_id, true));
  return Json(200, ParticipantsJson(list));
}

// --- Public and participants --------------------------------------------------------

Response PublicEvents(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto q, ReadListQuery(ctx));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.events.List(q));
  return ListJson(list, q, false);
}

Response PublicEvent(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto v, ctx.services.events.GetPublic(id));
  return ViewJson(v, false);
}

Response EventCalendar(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  bool sessions = false;
  for (const auto& [key, value] : ctx.request.query) {
    if (key != "sessions") return Problem(Error::Invalid("?" + key, "unknown_parameter", "This parameter is not known."), ctx.request.path);
    if (value != "true" && value != "false") return Problem(Error::Invalid("?sessions", "invalid_boolean", "true or false."), ctx.request.path);
    sessions = value == "true";
  }
  SOLIDUM_HTTP_TRY(auto ics, ctx.services.events.EventCalendar(id, sessions));
  return Ics(std::move(ics), "event-" + std::to_string(id) + ".ics");
}

// The registration with the online link once confirmed.
Response MineJson(Context& ctx, std::int64_t event, const events::Registration& r, int status = 200) {
  auto j = RegistrationJson(r, false);
  if (r.status == events::Status::kConfirmed) {
    SOLIDUM_HTTP_TRY(auto v, ctx.services.events.GetPublic(event));
    j["online_url"] = v.event.online_url;
  }
  return Json(status, j);
}

Response Register(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, events::ReadRegistration(body, true));
  SOLIDUM_HTTP_TRY(auto r, ctx.services.events.Register(id, *ctx.principal.user_id, in));
  return MineJson(ctx, id, r, 201);
}

Response MyRegistration(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto r, ctx.services.events.Mine(id, *ctx.principal.user_id));
  return MineJson(ctx, id, r);
}

Response ChangeMyRegistration(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto body, ParseJsonBody(ctx.request));
  SOLIDUM_HTTP_TRY(auto in, events::ReadRegistration(body, false));
  SOLIDUM_HTTP_TRY(auto r, ctx.services.events.ChangeMine(id, *ctx.principal.user_id, in));
  return MineJson(ctx, id, r);
}

Response CancelMyRegistration(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto r, ctx.services.events.CancelMine(id, *ctx.principal.user_id));
  return Json(200, RegistrationJson(r, false));
}

Response Participants(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto id, ctx.IdParam("eid"));
  SOLIDUM_HTTP_TRY(auto list, ctx.services.events.Participants(id, *ctx.principal.user_id, false));
  return Json(200, ParticipantsJson(list));
}

Response MyEvents(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto list, ctx.services.events.OfUser(*ctx.principal.user_id));
  boost::json::array items;
  for (const auto& m : list) {
    auto j = RegistrationJson(m.registration, false);
    j["event"] = EventJson(m.event, m.registration.status == events::Status::kConfirmed);
    items.push_back(std::move(j));
  }
  return Json(200, {{"items", std::move(items)}});
}

Response MyCalendar(Context& ctx) {
  SOLIDUM_HTTP_TRY(auto ics, ctx.services.events.UserCalendar(*ctx.principal.user_id));
  return Ics(std::move(ics), "my-events.ics");
}

}  // namespace

void RegisterEvents(Router& router) {
  const std::string own = "/api/v1/organisations/{id}/events";
  const std::string one = own + "/{eid}";
  router.Add({"POST", own, Action::kOrganisationUpdate, "id", CreateEvent, "Prepare an event of this organisation (a draft)"});
  router.Add({"GET", own, Action::kOrganisationUpdate, "id", OrganiserEvents, "This organisation's events in every stage, latest first"});
  router.Add({"GET", one, Action::kOrganisationUpdate, "id", OrganiserEvent, "An event of this organisation with its programme and online link"});
  router.Add({"PATCH", one, Action::kOrganisationUpdate, "id", ChangeEvent,
              "Change an event (If-Match); more capacity gives places to the waiting list at once"});
  router.Add({"POST", one + "/stage", Action::kOrganisationUpdate, "id", MoveEvent,
              "Publish an event, cancel it (everyone registered gets an email) or take it back to a draft (If-Match)"});
  router.Add({"POST", one + "/sessions", Action::kOrganisationUpdate, "id", AddSession, "Add a session to the event's programme"});
  router.Add({"PATCH", one + "/sessions/{sid}", Action::kOrganisationUpdate, "id", ChangeSession, "Change a session of the programme"});
  router.Add({"DELETE", one + "/sessions/{sid}", Action::kOrganisationUpdate, "id", RemoveSession, "Remove a session from the programme"});
  router.Add({"GET", one + "/registrations", Action::kOrganisationUpdate, "id", OrganiserRegistrations,
              "Every registration of the event, with emails and places on the waiting list"});
  router.Add({"DELETE", one + "/registrations/{rid}", Action::kOrganisationUpdate, "id", CancelRegistration,
              "Cancel someone's registration; a freed place goes to the first waiting"});
  router.Add({"GET", one + "/participants", Action::kOrganisationUpdate, "id", OrganiserParticipants,
              "The participant list as participants see it"});

  router.Add({"GET", "/api/v1/events", Action::kAnyone, "", PublicEvents,
              "Coming events (?past=true for those that ended), ?kind=, ?country=, ?organisation=, ?limit=, ?offset="});
  router.Add({"GET", "/api/v1/events/{eid}", Action::kAnyone, "", PublicEvent, "A published or cancelled event, its programme and materials"});
  router.Add({"GET", "/api/v1/events/{eid}/calendar.ics", Action::kAnyone, "", EventCalendar,
              "The event as iCalendar (RFC 5545); ?sessions=true adds each session of the programme"});
  router.Add({"POST", "/api/v1/events/{eid}/registration", Action::kSignedIn, "", Register,
              "Register for an event: a place if one is free, else the waiting list; twice is refused"});
  router.Add({"GET", "/api/v1/events/{eid}/registration", Action::kSignedIn, "", MyRegistration, "My registration for this event"});
  router.Add({"PATCH", "/api/v1/events/{eid}/registration", Action::kSignedIn, "", ChangeMyRegistration,
              "Change my name, organisation, country or what other participants see of me"});
  router.Add({"DELETE", "/api/v1/events/{eid}/registration", Action::kSignedIn, "", CancelMyRegistration,
              "Cancel my registration; my place goes to the first waiting"});
  router.Add({"GET", "/api/v1/events/{eid}/participants", Action::kSignedIn, "", Participants,
              "The participant list, for confirmed participants: each shows what they chose"});
  router.Add({"GET", "/api/v1/me/events", Action::kSignedIn, "", MyEvents, "My registrations with their events, soonest first"});
  router.Add({"GET", "/api/v1/me/events/calendar.ics", Action::kSignedIn, "", MyCalendar,
              "My registrations as iCalendar (waiting ones as tentative)"});
}

}  // namespace solidum::http::api
