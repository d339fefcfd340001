#include "events/events.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <map>

#include "events/calendar.h"
#include "library/resource.h"
#include "mail/outbox.h"

namespace solidum::events {

using store::Conn;
using store::Value;

namespace {

constexpr std::string_view kEventColumns =
    "e.id, e.organisation_id, o.name, e.kind, e.title, e.summary, e.description, e.languages, e.starts_at, e.ends_at, e.timezone, "
    "e.registration_closes, e.starts_utc, e.ends_utc, e.closes_utc, e.venue, e.address, e.city, e.country, e.online_url, e.capacity, "
    "e.waiting_list, e.stage, e.version, e.created_at, e.updated_at, "
    "(SELECT COUNT(*) FROM event_registrations c WHERE c.event_id = e.id AND c.status = 'confirmed'), "
    "(SELECT COUNT(*) FROM event_registrations w WHERE w.event_id = e.id AND w.status = 'waiting') ";
constexpr std::string_view kEventFrom = " FROM events e JOIN organisations o ON o.id = e.organisation_id ";

constexpr std::string_view kRegistrationColumns =
    "r.id, r.event_id, r.user_id, r.status, r.name, r.organisation, r.country, r.language, r.show_name, r.show_organisation, "
    "r.show_country, r.created_at, r.updated_at, r.promoted_at, u.email ";
constexpr std::string_view kRegistrationFrom = " FROM event_registrations r JOIN users u ON u.id = r.user_id ";
// After kRegistrationColumns, for LiveRegistrationOf: how many wait ahead of this one.
constexpr std::string_view kWaitingAheadColumn =
    ", (SELECT COUNT(*) FROM event_registrations w WHERE w.event_id = r.event_id AND w.status = 'waiting' AND w.id < r.id) ";

Event EventOf(const store::Row& row) {
  Event e;
  e.id = row.Int(0);
  e.organiser = {row.Int(1), row.Text(2)};
  e.kind = row.Text(3);
  e.title = row.Text(4);
  e.summary = row.Text(5);
  e.description = row.Text(6);
  e.languages = library::StringsOf(row.Text(7));
  e.starts_at = row.Text(8);
  e.ends_at = row.Text(9);
  e.timezone = row.Text(10);
  e.registration_closes = row.OptText(11);
  e.starts_utc = row.Text(12);
  e.ends_utc = row.Text(13);
  e.closes_utc = row.Text(14);
  e.venue = row.Text(15);
  e.address = row.Text(16);
  e.city = row.Text(17);
  e.country = row.Text(18);
  e.online_url = row.Text(19);
  e.capacity = row.OptInt(20);
  e.waiting_list = row.Int(21) != 0;
  e.stage = ParseStage(row.Text(22)).value_or(Stage::kDraft);
  e.version = row.Int(23);
  e.created_at = row.Text(24);
  e.updated_at = row.Text(25);
  e.confirmed = row.Int(26);
  e.waiting = row.Int(27);
  return e;
}

Registration RegistrationOf(const store::Row& row) {
  Registration r;
  r.id = row.Int(0);
  r.event_id = row.Int(1);
  r.user_id = row.Int(2);
  r.status = ParseStatus(row.Text(3)).value_or(Status::kCancelled);
  r.name = row.Text(4);
  r.organisation = row.Text(5);
  r.country = row.Text(6);
  r.language = row.Text(7);
  r.show_name = row.Int(8) != 0;
  r.show_organisation = row.Int(9) != 0;
  r.show_country = row.Int(10) != 0;
  r.created_at = row.Text(11);
  r.updated_at = row.Text(12);
  r.promoted_at = row.OptText(13);
  r.email = row.Text(14);
  return r;
}

// A row of kRegistrationColumns then kWaitingAheadColumn: the registration with its place
// on the waiting list.
Registration LiveRegistrationOf(const store::Row& row) {
  Registration r = RegistrationOf(row);
  if (r.status == Status::kWaiting) r.position = row.Int(row.size() - 1) + 1;
  return r;
}

Session SessionOf(const store::Row& row) {
  return Session{row.Int(0), row.Int(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5), row.Text(8), row.Text(9), row.Text(10), row.Text(6), row.Text(7)};
}
constexpr std::string_view kSessionColumns =
    "id, event_id, title, description, starts_at, ends_at, starts_utc, ends_utc, room, speakers, language";

Result<std::optional<Event>> LoadEvent(Conn& conn, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kEventColumns) + std::string(kEventFrom) + "WHERE e.id = ?", {id}));
  if (!row) return std::optional<Event>();
  Event e = EventOf(*row);
  SOLIDUM_ASSIGN_OR_RETURN(auto mats, conn.Query("SELECT resource_id FROM event_materials WHERE event_id = ? ORDER BY position", {id}));
  for (const auto& m : mats) e.materials.push_back(m.Int(0));
  return std::optional<Event>(std::move(e));
}

Result<EventView> LoadView(Conn& conn, const Event& e) {
  EventView v{e, {}, {}};
  SOLIDUM_ASSIGN_OR_RETURN(auto sessions, conn.Query("SELECT " + std::string(kSessionColumns) +
                                                         " FROM event_sessions WHERE event_id = ? ORDER BY starts_utc, id",
                                                     {e.id}));
  for (const auto& s : sessions) v.sessions.push_back(SessionOf(s));
  SOLIDUM_ASSIGN_OR_RETURN(auto mats, conn.Query("SELECT r.id, r.title, r.language, r.type FROM event_materials m JOIN library_resources r "
                                                 "ON r.id = m.resource_id WHERE m.event_id = ? AND r.stage = 'published' ORDER BY m.position",
                                                 {e.id}));
  for (const auto& m : mats) v.materials.push_back({m.Int(0), m.Text(1), m.Text(2), m.Text(3)});
  return v;
}

Result<Event> OwnEvent(Conn& conn, std::int64_t organisation, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto e, LoadEvent(conn, id));
  if (!e || e->organiser.id != organisation) return Error::NotFound("No event " + std::to_string(id) + " here.");
  return std::move(*e);
}

Result<Event> PublicEvent(Conn& conn, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto e, LoadEvent(conn, id));
  if (!e || e->stage == Stage::kDraft) return Error::NotFound("No event " + std::to_string(id) + ".");
  return std::move(*e);
}

Error VersionMismatch() { return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch", "The event changed since you read it."); }

// Materials are published resources of the library.
Result<void> CheckMaterials(Conn& conn, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return Ok();
  SOLIDUM_ASSIGN_OR_RETURN(auto known, conn.Query("SELECT id FROM library_resources WHERE stage = 'published' AND id IN (" +
                                                      std::string(store::JsonIntegers(conn.backend())) + ")",
                                                  {store::JsonArray(ids)}));
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const bool found = std::any_of(known.begin(), known.end(), [&](const store::Row& k) { return k.Int(0) == ids[i]; });
    if (!found) errors.push_back({"/materials/" + std::to_string(i), "unknown_resource", "No published resource of the library has this id."});
  }
  if (errors.empty()) return Ok();
  return Error::Invalid(std::move(errors));
}

Result<void> WriteMaterials(Conn& conn, const Event& e) {
  SOLIDUM_TRY(conn.Exec("DELETE FROM event_materials WHERE event_id = ?", {e.id}));
  for (std::size_t i = 0; i < e.materials.size(); ++i) {
    SOLIDUM_TRY(conn.Exec("INSERT INTO event_materials (event_id, position, resource_id) VALUES (?, ?, ?)",
                          {e.id, static_cast<std::int64_t>(i), e.materials[i]}));
  }
  return Ok();
}

std::vector<Value> EventValues(const Event& e) {
  return {e.kind, e.title, e.summary, e.description, boost::json::serialize(boost::json::value_from(e.languages)), e.starts_at, e.ends_at, e.timezone,
          store::Opt(e.registration_closes), e.starts_utc, e.ends_utc, e.closes_utc, e.venue, e.address, e.city, e.country,
          e.online_url, store::Opt(e.capacity), std::int64_t{e.waiting_list ? 1 : 0}};
}
constexpr std::string_view kEventWritable =
    "kind, title, summary, description, languages, starts_at, ends_at, timezone, registration_closes, starts_utc, ends_utc, closes_utc, "
    "venue, address, city, country, online_url, capacity, waiting_list";

// --- Emails to participants ---------------------------------------------------------

enum Lang { kEn, kFr, kEs, kPt };
Lang LangOf(std::string_view l) { return l == "fr" ? kFr : l == "es" ? kEs : l == "pt" ? kPt : kEn; }
using Phrases = std::array<const char*, 4>;

const Phrases kPlaceSubject = {"A place is yours: {title}", "Une place pour vous : {title}", "Tiene una plaza: {title}",
                               "Tem um lugar: {title}"};
const Phrases kPlaceBody = {
    "Hello {name},\n\nA place opened at \"{title}\" ({when}) and it is yours: you were next on the waiting list. "
    "If you can no longer come, please cancel your registration so that the next person gets it.\n\n{link}\n",
    "Bonjour {name},\n\nUne place s'est libérée à « {title} » ({when}) et elle est pour vous : vous étiez en tête de la liste "
    "d'attente. Si vous ne pouvez plus venir, annulez votre inscription pour que la personne suivante en profite.\n\n{link}\n",
    "Hola {name}:\n\nSe liberó una plaza en «{title}» ({when}) y es suya: era la siguiente en la lista de espera. "
    "Si ya no puede asistir, cancele su inscripción para que la aproveche la siguiente persona.\n\n{link}\n",
    "Olá {name},\n\nVagou um lugar em «{title}» ({when}) e é seu: era a pessoa seguinte na lista de espera. "
    "Se já não puder vir, cancele a sua inscrição para que a pessoa seguinte o aproveite.\n\n{link}\n"};
const Phrases kCancelledSubject = {"Cancelled: {title}", "Annulé : {title}", "Cancelado: {title}", "Cancelado: {title}"};
const Phrases kCancelledBody = {
    "Hello {name},\n\nThe organiser has cancelled \"{title}\" ({when}). Your registration is cancelled with it.\n\n{link}\n",
    "Bonjour {name},\n\nL'organisateur a annulé « {title} » ({when}). Votre inscription est annulée avec.\n\n{link}\n",
    "Hola {name}:\n\nLa organización ha cancelado «{title}» ({when}). Su inscripción queda cancelada.\n\n{link}\n",
    "Olá {name},\n\nA organização cancelou «{title}» ({when}). A sua inscrição fica cancelada.\n\n{link}\n"};

std::string WhenOf(const Event& e) {
  std::string when = e.starts_at.substr(0, 10) + " " + e.starts_at.substr(11);
  return when + " (" + e.timezone + ")";
}

mail::Outgoing Letter(const Event& e, const Registration& r, const Phrases& subject, const Phrases& body, const std::string& link,
                      std::string kind) {
  const Lang l = LangOf(r.language);
  const std::map<std::string, std::string> values{{"name", r.name}, {"title", e.title}, {"when", WhenOf(e)}, {"link", link}};
  return mail::Outgoing{mail::Message{r.email, r.name, mail::FillTemplate(subject[l], values), mail::FillTemplate(body[l], values)}, r.language.empty() ? "en" : r.language,
                        std::move(kind), "event:" + std::to_string(e.id), std::nullopt};
}

// Gives the freed places to the first people waiting, in order, and emails them.
Result<void> Promote(Conn& conn, const Event& e, const std::string& now, const std::string& link) {
  SOLIDUM_ASSIGN_OR_RETURN(auto counts, conn.QueryOne("SELECT (SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'confirmed'), "
                                                      "(SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'waiting')",
                                                      {e.id, e.id}));
  const std::int64_t n = PlacesFreed(e.capacity, counts->Int(0), counts->Int(1));
  if (n == 0) return Ok();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kRegistrationColumns) + std::string(kRegistrationFrom) +
                                                     "WHERE r.event_id = ? AND r.status = 'waiting' ORDER BY r.id LIMIT ?",
                                                 {e.id, n}));
  std::vector<mail::Outgoing> letters;
  for (const auto& row : rows) {
    Registration r = RegistrationOf(row);
    SOLIDUM_TRY(conn.Exec("UPDATE event_registrations SET status = 'confirmed', promoted_at = ?, updated_at = ? WHERE id = ?", {now, now, r.id}));
    letters.push_back(Letter(e, r, kPlaceSubject, kPlaceBody, link, "event_place"));
  }
  SOLIDUM_TRY(mail::Enqueue(conn, letters, now));
  return Ok();
}

// Takes the event's registration lock (see events.h) and answers the event as it is now.
Result<Event> Lock(Conn& conn, std::int64_t id) {
  SOLIDUM_TRY(conn.Exec("UPDATE events SET registrations_seq = registrations_seq + 1 WHERE id = ?", {id}));
  return PublicEvent(conn, id);
}

// The person's live registration, with its place on the waiting list.
Result<std::optional<Registration>> LiveOf(Conn& conn, std::int64_t event, std::int64_t user) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kRegistrationColumns) + std::string(kWaitingAheadColumn) +
                                                       std::string(kRegistrationFrom) + "WHERE r.event_id = ? AND r.user_id = ? AND r.status <> 'cancelled'",
                                                   {event, user}));
  if (!row) return std::optional<Registration>();
  return std::optional<Registration>(LiveRegistrationOf(*row));
}

Result<Registration> Cancel(Conn& conn, const Event& e, const Registration& r, std::optional<std::int64_t> by, const std::string& now,
                            const std::string& link) {
  SOLIDUM_TRY(conn.Exec("UPDATE event_registrations SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, updated_at = ? WHERE id = ?",
                        {now, store::Opt(by), now, r.id}));
  if (r.status == Status::kConfirmed && e.stage == Stage::kPublished) SOLIDUM_TRY(Promote(conn, e, now, link));
  Registration out = r;
  out.status = Status::kCancelled;
  out.position = 0;
  out.updated_at = now;
  return out;
}

std::string Location(const Event& e) {
  std::string out;
  for (const auto* part : {&e.venue, &e.address, &e.city, &e.country}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ", ";
    out += *part;
  }
  return out;
}

CalendarItem ItemOf(const Event& e, const std::string& link, bool with_online, std::string status) {
  CalendarItem item;
  item.uid = "event-" + std::to_string(e.id) + "@solidum";
  item.summary = e.title;
  item.description = e.summary;
  if (!item.description.empty()) item.description += "\n\n";
  item.description += e.starts_at.substr(0, 10) + " " + e.starts_at.substr(11) + " - " + e.ends_at.substr(0, 10) + " " + e.ends_at.substr(11) +
                      " (" + e.timezone + ")\n" + link;
  item.location = Location(e);
  if (with_online && !e.online_url.empty()) item.location += (item.location.empty() ? "" : " / ") + e.online_url;
  item.url = link;
  item.starts_utc = e.starts_utc;
  item.ends_utc = e.ends_utc;
  item.status = e.stage == Stage::kCancelled ? "CANCELLED" : std::move(status);
  item.sequence = e.version;
  return item;
}

}  // namespace

// --- Organiser ----------------------------------------------------------------------

Result<EventView> Events::Create(std::int64_t organisation, const EventChanges& fields, std::int64_t user) {
  Event e;
  Apply(fields, e);
  SOLIDUM_TRY(Check(e));
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<EventView>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<EventView> {
    SOLIDUM_TRY(CheckMaterials(conn, e.materials));
    auto values = EventValues(e);
    values.insert(values.begin(), Value(organisation));
    for (Value v : {Value(now), Value(user), Value(now)}) values.push_back(v);
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO events (organisation_id, " + std::string(kEventWritable) +
                                                         ", stage, version, created_at, created_by, updated_at) VALUES (?, "
                                                         "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', 1, ?, ?, ?) RETURNING id",
                                                     values));
    e.id = row->Int(0);
    SOLIDUM_TRY(WriteMaterials(conn, e));
    SOLIDUM_ASSIGN_OR_RETURN(auto created, OwnEvent(conn, organisation, e.id));
    return LoadView(conn, created);
  });
}

Result<EventView> Events::Get(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<EventView>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<EventView> {
    SOLIDUM_ASSIGN_OR_RETURN(auto e, OwnEvent(conn, organisation, id));
    return LoadView(conn, e);
  });
}

Result<EventView> Events::Change(std::int64_t organisation, std::int64_t id, std::int64_t version, const EventChanges& changes,
                                 std::int64_t /*user*/) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<EventView>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<EventView> {
    SOLIDUM_TRY(conn.Exec("UPDATE events SET registrations_seq = registrations_seq + 1 WHERE id = ?", {id}));
    SOLIDUM_ASSIGN_OR_RETURN(auto e, OwnEvent(conn, organisation, id));
    if (e.version != version) return VersionMismatch();
    if (e.stage == Stage::kCancelled) return Error::Make(ErrorKind::kConflict, "wrong_stage", "A cancelled event is not changed.");
    Apply(changes, e);
    SOLIDUM_TRY(Check(e));
    if (e.stage == Stage::kPublished) SOLIDUM_TRY(CheckPublishable(e));
    if (changes.materials.present) {
      SOLIDUM_TRY(CheckMaterials(conn, e.materials));
      SOLIDUM_TRY(WriteMaterials(conn, e));
    }
    // The programme stays within the event's days.
    SOLIDUM_ASSIGN_OR_RETURN(auto outside, conn.QueryOne("SELECT COUNT(*) FROM event_sessions WHERE event_id = ? AND (starts_utc < ? OR ends_utc > ?)",
                                                         {id, e.starts_utc, e.ends_utc}));
    if (outside->Int(0) > 0) {
      return Error::Invalid("/starts_at", "sessions_outside",
                            "Some sessions of the programme fall outside these dates: move or remove them first.");
    }
    auto values = EventValues(e);
    for (Value v : {Value(now), Value(id)}) values.push_back(v);
    std::string set;
    std::string_view cols = kEventWritable;
    for (std::size_t start = 0; start < cols.size();) {
      std::size_t comma = cols.find(',', start);
      std::string_view col = cols.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
      set += std::string(col) + " = ?, ";
      start = comma == std::string_view::npos ? cols.size() : comma + 1;
    }
    SOLIDUM_TRY(conn.Exec("UPDATE events SET " + set + "version = version + 1, updated_at = ? WHERE id = ?", values));
    if (e.stage == Stage::kPublished) SOLIDUM_TRY(Promote(conn, e, now, public_url_ + "/events/" + std::to_string(id)));
    SOLIDUM_ASSIGN_OR_RETURN(auto changed, OwnEvent(conn, organisation, id));
    return LoadView(conn, changed);
  });
}

Result<EventView> Events::Move(std::int64_t organisation, std::int64_t id, std::int64_t version, Stage to, std::int64_t /*user*/) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<EventView>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<EventView> {
    SOLIDUM_TRY(conn.Exec("UPDATE events SET registrations_seq = registrations_seq + 1 WHERE id = ?", {id}));
    SOLIDUM_ASSIGN_OR_RETURN(auto e, OwnEvent(conn, organisation, id));
    if (e.version != version) return VersionMismatch();
    SOLIDUM_TRY(CheckMove(e.stage, to, e.confirmed + e.waiting));
    if (to == Stage::kPublished) SOLIDUM_TRY(CheckPublishable(e));
    SOLIDUM_TRY(conn.Exec("UPDATE events SET stage = ?, version = version + 1, updated_at = ? WHERE id = ?",
                          {std::string(StageName(to)), now, id}));
    if (to == Stage::kCancelled) {
      SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kRegistrationColumns) + std::string(kRegistrationFrom) +
                                                         "WHERE r.event_id = ? AND r.status <> 'cancelled' ORDER BY r.id",
                                                     {id}));
      std::vector<mail::Outgoing> letters;
      const std::string link = public_url_ + "/events/" + std::to_string(id);
      for (const auto& row : rows) letters.push_back(Letter(e, RegistrationOf(row), kCancelledSubject, kCancelledBody, link, "event_cancelled"));
      SOLIDUM_TRY(mail::Enqueue(conn, letters, now));
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto moved, OwnEvent(conn, organisation, id));
    return LoadView(conn, moved);
  });
}

Result<Session> Events::AddSession(std::int64_t organisation, std::int64_t event, const SessionChanges& fields) {
  return store::InTransaction<Session>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Session> {
    SOLIDUM_ASSIGN_OR_RETURN(auto e, OwnEvent(conn, organisation, event));
    if (e.stage == Stage::kCancelled) return Error::Make(ErrorKind::kConflict, "wrong_stage", "A cancelled event is not changed.");
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) FROM event_sessions WHERE event_id = ?", {event}));
    if (count->Int(0) >= static_cast<std::int64_t>(kSessionsMax)) {
      return Error::Make(ErrorKind::kConflict, "too_many_sessions", "A programme has at most " + std::to_string(kSessionsMax) + " sessions.");
    }
    Session s;
    s.event_id = event;
    Apply(fields, s);
    SOLIDUM_TRY(Check(s, e));
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO event_sessions (event_id, title, description, starts_at, ends_at, starts_utc, "
                                                     "ends_utc, room, speakers, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {event, s.title, s.description, s.starts_at, s.ends_at, s.starts_utc, s.ends_utc, s.room,
                                                      s.speakers, s.language}));
    s.id = row->Int(0);
    SOLIDUM_TRY(conn.Exec("UPDATE events SET version = version + 1 WHERE id = ?", {event}));
    return s;
  });
}

Result<Session> Events::ChangeSession(std::int64_t organisation, std::int64_t event, std::int64_t session, const SessionChanges& changes) {
  return store::InTransaction<Session>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Session> {
    SOLIDUM_ASSIGN_OR_RETURN(auto e, OwnEvent(conn, organisation, event));
    if (e.stage == Stage::kCancelled) return Error::Make(ErrorKind::kConflict, "wrong_stage", "A cancelled event is not changed.");
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kSessionColumns) + " FROM event_sessions WHERE id = ? AND event_id = ?",
                                                     {session, event}));
    if (!row) return Error::NotFound("No session " + std::to_string(session) + " in this event.");
    Session s = SessionOf(*row);
    Apply(changes, s);
    SOLIDUM_TRY(Check(s, e));
    SOLIDUM_TRY(conn.Exec("UPDATE event_sessions SET title = ?, description = ?, starts_at = ?, ends_at = ?, starts_utc = ?, ends_utc = ?, "
                          "room = ?, speakers = ?, language = ? WHERE id = ?",
                          {s.title, s.description, s.starts_at, s.ends_at, s.starts_utc, s.ends_utc, s.room, s.speakers, s.language, s.id}));
    SOLIDUM_TRY(conn.Exec("UPDATE events SET version = version + 1 WHERE id = ?", {event}));
    return s;
  });
}

Result<void> Events::RemoveSession(std::int64_t organisation, std::int64_t event, std::int64_t session) {
  return store::InTransaction<void>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto e, OwnEvent(conn, organisation, event));
    if (e.stage == Stage::kCancelled) return Error::Make(ErrorKind::kConflict, "wrong_stage", "A cancelled event is not changed.");
    SOLIDUM_ASSIGN_OR_RETURN(auto n, conn.Exec("DELETE FROM event_sessions WHERE id = ? AND event_id = ?", {session, event}));
    if (n == 0) return Error::NotFound("No session " + std::to_string(session) + " in this event.");
    SOLIDUM_TRY(conn.Exec("UPDATE events SET version = version + 1 WHERE id = ?", {event}));
    return Ok();
  });
}

Result<std::vector<Registration>> Events::Registrations(std::int64_t organisation, std::int64_t event) {
  return store::InTransaction<std::vector<Registration>>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Registration>> {
    SOLIDUM_TRY(OwnEvent(conn, organisation, event));
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kRegistrationColumns) + std::string(kRegistrationFrom) +
                                                       "WHERE r.event_id = ? ORDER BY r.id",
                                                   {event}));
    std::vector<Registration> out;
    std::int64_t waiting = 0;
    for (const auto& row : rows) {
      out.push_back(RegistrationOf(row));
      if (out.back().status == Status::kWaiting) out.back().position = ++waiting;
    }
    return out;
  });
}

Result<Registration> Events::CancelFor(std::int64_t organisation, std::int64_t event, std::int64_t registration, std::int64_t by) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Registration>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Registration> {
    SOLIDUM_TRY(conn.Exec("UPDATE events SET registrations_seq = registrations_seq + 1 WHERE id = ?", {event}));
    SOLIDUM_ASSIGN_OR_RETURN(auto e, OwnEvent(conn, organisation, event));
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kRegistrationColumns) + std::string(kRegistrationFrom) +
                                                         "WHERE r.id = ? AND r.event_id = ? AND r.status <> 'cancelled'",
                                                     {registration, event}));
    if (!row) return Error::NotFound("No live registration " + std::to_string(registration) + " for this event.");
    return Cancel(conn, e, RegistrationOf(*row), by, now, public_url_ + "/events/" + std::to_string(event));
  });
}

// --- Public -------------------------------------------------------------------------

Result<EventView> Events::GetPublic(std::int64_t id) {
  return store::InTransaction<EventView>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<EventView> {
    SOLIDUM_ASSIGN_OR_RETURN(auto e, PublicEvent(conn, id));
    return LoadView(conn, e);
  });
}

Result<std::vector<Event>> Events::List(const ListQuery& q) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  std::string sql = "SELECT " + std::string(kEventColumns) + std::string(kEventFrom);
  std::vector<Value> params;
  if (q.staff) {
    sql += "WHERE 1 = 1";
  } else {
    sql += "WHERE e.stage <> 'draft'";
    sql += q.past ? " AND e.ends_utc < ?" : " AND e.ends_utc >= ?";
    params.push_back(now);
  }
  if (q.organisation) {
    sql += " AND e.organisation_id = ?";
    params.push_back(*q.organisation);
  }
  if (!q.kind.empty()) {
    sql += " AND e.kind = ?";
    params.push_back(q.kind);
  }
  if (!q.country.empty()) {
    sql += " AND e.country = ?";
    params.push_back(q.country);
  }
  sql += q.past || q.staff ? " ORDER BY e.starts_utc DESC, e.id DESC" : " ORDER BY e.starts_utc, e.id";
  sql += " LIMIT ? OFFSET ?";
  params.push_back(std::int64_t{q.limit});
  params.push_back(std::int64_t{q.offset});
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
  std::vector<Event> out;
  for (const auto& row : rows) out.push_back(EventOf(row));
  return out;
}

// --- Participants -------------------------------------------------------------------

Result<Registration> Events::Register(std::int64_t event, std::int64_t user, const RegistrationInput& input) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Registration>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Registration> {
    SOLIDUM_ASSIGN_OR_RETURN(auto e, Lock(conn, event));
    if (e.stage != Stage::kPublished) return Error::Make(ErrorKind::kConflict, "wrong_stage", "This event was cancelled.");
    if (now > e.closes_utc) return Error::Make(ErrorKind::kConflict, "registration_closed", "Registrations for this event are closed.");
    SOLIDUM_ASSIGN_OR_RETURN(auto live, LiveOf(conn, event, user));
    if (live) {
      return Error::Make(ErrorKind::kConflict, "already_registered",
                         std::string("You are already registered") + (live->status == Status::kWaiting ? " (on the waiting list)." : "."));
    }
    const Placement place = Place(e.capacity, e.waiting_list, e.confirmed, e.waiting);
    if (place == Placement::kFull) {
      return Error::Make(ErrorKind::kConflict, "event_full",
                         e.waiting_list ? "The event is full and so is its waiting list." : "The event is full.");
    }
    Registration r;
    Apply(input, r);
    if (r.language.empty()) r.language = "en";
    const std::string status(StatusName(place == Placement::kConfirmed ? Status::kConfirmed : Status::kWaiting));
    SOLIDUM_TRY(conn.Exec("INSERT INTO event_registrations (event_id, user_id, status, name, organisation, country, language, show_name, "
                          "show_organisation, show_country, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          {event, user, status, r.name, r.organisation, r.country, r.language, std::int64_t{r.show_name},
                           std::int64_t{r.show_organisation}, std::int64_t{r.show_country}, now, now}));
    SOLIDUM_ASSIGN_OR_RETURN(auto created, LiveOf(conn, event, user));
    return std::move(*created);
  });
}

Result<Registration> Events::Mine(std::int64_t event, std::int64_t user) {
  return store::InTransaction<Registration>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<Registration> {
    SOLIDUM_TRY(PublicEvent(conn, event));
    SOLIDUM_ASSIGN_OR_RETURN(auto live, LiveOf(conn, event, user));
    if (!live) return Error::NotFound("You are not registered for this event.");
    return std::move(*live);
  });
}

Result<Registration> Events::ChangeMine(std::int64_t event, std::int64_t user, const RegistrationInput& input) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Registration>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Registration> {
    SOLIDUM_TRY(PublicEvent(conn, event));
    SOLIDUM_ASSIGN_OR_RETURN(auto live, LiveOf(conn, event, user));
    if (!live) return Error::NotFound("You are not registered for this event.");
    Registration r = *live;
    Apply(input, r);
    SOLIDUM_TRY(conn.Exec("UPDATE event_registrations SET name = ?, organisation = ?, country = ?, language = ?, show_name = ?, "
                          "show_organisation = ?, show_country = ?, updated_at = ? WHERE id = ?",
                          {r.name, r.organisation, r.country, r.language, std::int64_t{r.show_name}, std::int64_t{r.show_organisation},
                           std::int64_t{r.show_country}, now, r.id}));
    r.updated_at = now;
    return r;
  });
}

Result<Registration> Events::CancelMine(std::int64_t event, std::int64_t user) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Registration>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Registration> {
    SOLIDUM_ASSIGN_OR_RETURN(auto e, Lock(conn, event));
    SOLIDUM_ASSIGN_OR_RETURN(auto live, LiveOf(conn, event, user));
    if (!live) return Error::NotFound("You are not registered for this event.");
    return Cancel(conn, e, *live, user, now, public_url_ + "/events/" + std::to_string(event));
  });
}

Result<ParticipantList> Events::Participants(std::int64_t event, std::int64_t user, bool staff) {
  return store::InTransaction<ParticipantList>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<ParticipantList> {
    SOLIDUM_ASSIGN_OR_RETURN(auto e, LoadEvent(conn, event));
    if (!e || (e->stage == Stage::kDraft && !staff)) return Error::NotFound("No event " + std::to_string(event) + ".");
    if (!staff) {
      SOLIDUM_ASSIGN_OR_RETURN(auto live, LiveOf(conn, event, user));
      if (!live || live->status != Status::kConfirmed) {
        return Error::Make(ErrorKind::kForbidden, "participants_only", "The participant list is for the event's confirmed participants.");
      }
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kRegistrationColumns) + std::string(kRegistrationFrom) +
                                                       "WHERE r.event_id = ? AND r.status = 'confirmed' ORDER BY r.id",
                                                   {event}));
    ParticipantList list;
    std::map<std::string, std::int64_t> countries, organisations;
    for (const auto& row : rows) {
      const Registration r = RegistrationOf(row);
      Participant p;
      if (r.show_name) p.name = r.name;
      if (r.show_organisation && !r.organisation.empty()) {
        p.organisation = r.organisation;
        ++organisations[r.organisation];
      }
      if (r.show_country && !r.country.empty()) {
        p.country = r.country;
        ++countries[r.country];
      }
      ++list.total;
      // Someone who shows nothing is counted, not listed.
      if (p.name || p.organisation || p.country) list.items.push_back(std::move(p));
    }
    auto ranked = [](const std::map<std::string, std::int64_t>& m) {
      std::vector<std::pair<std::string, std::int64_t>> v(m.begin(), m.end());
      std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      return v;
    };
    list.by_country = ranked(countries);
    list.by_organisation = ranked(organisations);
    return list;
  });
}

// Three queries however many registrations: theirs (with each waiting one's place), their
// events, and those events' materials.
Result<std::vector<MyRegistration>> Events::OfUser(std::int64_t user) {
  return store::InTransaction<std::vector<MyRegistration>>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::vector<MyRegistration>> {
    SOLIDUM_ASSIGN_OR_RETURN(
        auto rows, conn.Query("SELECT " + std::string(kRegistrationColumns) + std::string(kWaitingAheadColumn) +
                                  std::string(kRegistrationFrom) + "JOIN events e ON e.id = r.event_id "
                                  "WHERE r.user_id = ? AND r.status <> 'cancelled' AND e.stage <> 'draft' ORDER BY e.starts_utc, e.id",
                              {user}));
    if (rows.empty()) return std::vector<MyRegistration>{};
    std::vector<std::int64_t> ids;
    for (const auto& row : rows) ids.push_back(row.Int(1));
    const std::string in = " IN (" + std::string(store::JsonIntegers(conn.backend())) + ")";
    SOLIDUM_ASSIGN_OR_RETURN(auto event_rows, conn.Query("SELECT " + std::string(kEventColumns) + std::string(kEventFrom) + "WHERE e.id" + in,
                                                         {store::JsonArray(ids)}));
    std::map<std::int64_t, Event> events;
    for (const auto& row : event_rows) {
      Event e = EventOf(row);
      events.emplace(e.id, std::move(e));
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto mats, conn.Query("SELECT event_id, resource_id FROM event_materials WHERE event_id" + in + " ORDER BY event_id, position",
                                                   {store::JsonArray(ids)}));
    for (const auto& m : mats) {
      if (auto it = events.find(m.Int(0)); it != events.end()) it->second.materials.push_back(m.Int(1));
    }
    std::vector<MyRegistration> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
      auto it = events.find(row.Int(1));
      if (it != events.end()) out.push_back({LiveRegistrationOf(row), it->second});  // (it is: one transaction)
    }
    return out;
  });
}

Result<std::string> Events::EventCalendar(std::int64_t id, bool sessions) {
  SOLIDUM_ASSIGN_OR_RETURN(auto view, GetPublic(id));
  const std::string link = public_url_ + "/events/" + std::to_string(id);
  std::vector<CalendarItem> items{ItemOf(view.event, link, false, "CONFIRMED")};
  if (sessions) {
    for (const auto& s : view.sessions) {
      CalendarItem item = items.front();
      item.uid = "event-" + std::to_string(id) + "-session-" + std::to_string(s.id) + "@solidum";
      item.summary = s.title + " - " + view.event.title;
      item.description = s.description;
      if (!s.speakers.empty()) item.description += (item.description.empty() ? "" : "\n\n") + s.speakers;
      if (!s.room.empty()) item.location = s.room + (item.location.empty() ? "" : ", " + item.location);
      item.starts_utc = s.starts_utc;
      item.ends_utc = s.ends_utc;
      items.push_back(std::move(item));
    }
  }
  return ICalendar(view.event.title, items, FormatTimestamp(clock_.NowMicros()));
}

Result<std::string> Events::UserCalendar(std::int64_t user) {
  SOLIDUM_ASSIGN_OR_RETURN(auto mine, OfUser(user));
  std::vector<CalendarItem> items;
  for (const auto& m : mine) {
    const bool confirmed = m.registration.status == Status::kConfirmed;
    items.push_back(ItemOf(m.event, public_url_ + "/events/" + std::to_string(m.event.id), confirmed, confirmed ? "CONFIRMED" : "TENTATIVE"));
  }
  return ICalendar("Solidum", items, FormatTimestamp(clock_.NowMicros()));
}

}  // namespace solidum::events
