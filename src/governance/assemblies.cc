#include "governance/assemblies.h"

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <set>

#include "common/json_fields.h"
#include "common/json_write.h"
#include "common/text.h"
#include "governance/entitled.h"
#include "governance/notices.h"

namespace solidum::governance {

using store::Conn;
using store::Opt;
using store::TxKind;
using store::Value;

namespace {

constexpr std::int64_t kIdMax = std::int64_t{1} << 53;
constexpr const char* kColumns =
    "id, organisation_id, kind, title, description, starts_at, timezone, place, online_url, notice_days, quorum_percent, "
    "quorum_scope, proxy_limit, proxy_same_class, state, convened_at, notice_given_days, opened_at, closed_at, quorum_at_opening, "
    "minutes, version, created_at, updated_at";

Error Forbidden(std::string code, std::string message) { return Error::Make(ErrorKind::kForbidden, std::move(code), std::move(message)); }

// "2026-12-15T18:00" (a wall time, no zone).
bool IsWallTime(std::string_view s) {
  if (s.size() != 16 || s[10] != 'T' || s[13] != ':' || !text::IsIsoDate(s.substr(0, 10))) return false;
  auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (!digit(11) || !digit(12) || !digit(14) || !digit(15)) return false;
  return (s[11] - '0') * 10 + (s[12] - '0') <= 23 && (s[14] - '0') * 10 + (s[15] - '0') <= 59;
}

// An IANA zone name's shape ("Europe/Paris", "America/Argentina/Buenos_Aires", "UTC").
bool IsZoneName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
  }
  return s.front() != '/' && s.back() != '/';
}

std::int64_t DayNumber(const std::string& iso_date) {
  const int y = std::stoi(iso_date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(iso_date.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(iso_date.substr(8, 2)));
  return std::chrono::sys_days(std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)))
      .time_since_epoch()
      .count();
}

Assembly FromRow(const store::Row& r) {
  Assembly a;
  a.id = r.Int(0);
  a.organisation_id = r.Int(1);
  a.kind = r.Text(2);
  a.title = r.Text(3);
  a.description = r.Text(4);
  a.starts_at = r.Text(5);
  a.timezone = r.Text(6);
  a.place = r.Text(7);
  a.online_url = r.Text(8);
  a.notice_days = r.Int(9);
  a.quorum = {r.Int(10), r.Text(11) == "per_class"};
  a.proxies = {r.Int(12), r.Int(13) != 0};
  a.state = r.Text(14);
  a.convened_at = r.OptText(15);
  a.notice_given_days = r.OptInt(16);
  a.opened_at = r.OptText(17);
  a.closed_at = r.OptText(18);
  a.quorum_at_opening = r.OptText(19);
  a.minutes = r.Text(20);
  a.version = r.Int(21);
  a.created_at = r.Text(22);
  a.updated_at = r.Text(23);
  return a;
}

Result<std::optional<Assembly>> Load(Conn& conn, std::int64_t id, std::optional<std::int64_t> organisation) {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM assemblies WHERE id = ?";
  std::vector<Value> params{id};
  if (organisation) {
    sql += " AND organisation_id = ?";
    params.emplace_back(*organisation);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(sql, params));
  if (!row) return std::optional<Assembly>();
  Assembly a = FromRow(*row);
  SOLIDUM_ASSIGN_OR_RETURN(auto items, conn.Query("SELECT id, position, title, description, ballot_id, decision, decided_at "
                                                  "FROM assembly_items WHERE assembly_id = ? ORDER BY position",
                                                  {id}));
  for (const auto& r : items) a.items.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.OptInt(4), r.OptText(5), r.OptText(6)});
  return std::optional<Assembly>(std::move(a));
}

Result<Assembly> LoadOr404(Conn& conn, std::int64_t id, std::int64_t organisation) {
  SOLIDUM_ASSIGN_OR_RETURN(auto a, Load(conn, id, organisation));
  if (!a) return Error::NotFound("No assembly " + std::to_string(id) + " here.");
  return std::move(*a);
}

Result<void> RequireState(const Assembly& a, std::initializer_list<std::string_view> states, std::string_view doing) {
  for (auto s : states) {
    if (a.state == s) return {};
  }
  return Conflict("wrong_state", "The assembly is " + a.state + ": it cannot " + std::string(doing) + " now.");
}

// Entitled members, present members (not gone), proxies: what quorum and attendance need.
struct Floor {
  std::vector<EntitledMember> entitled;
  std::map<std::int64_t, std::string> present;      // member -> channel
  std::map<std::int64_t, std::int64_t> proxy_of;    // grantor -> holder
  std::set<std::int64_t> Entitled() const {
    std::set<std::int64_t> s;
    for (const auto& m : entitled) s.insert(m.id);
    return s;
  }
  bool Represented(std::int64_t member) const {
    if (present.count(member)) return false;
    auto it = proxy_of.find(member);
    return it != proxy_of.end() && present.count(it->second) > 0;
  }
};

Result<Floor> LoadFloor(Conn& conn, const Assembly& a) {
  Floor f;
  SOLIDUM_ASSIGN_OR_RETURN(f.entitled, EntitledMembers(conn, a.organisation_id, a.Day()));
  SOLIDUM_ASSIGN_OR_RETURN(auto present, conn.Query("SELECT member_id, channel FROM assembly_attendance WHERE assembly_id = ? AND left_at IS NULL",
                                                    {a.id}));
  for (const auto& r : present) f.present[r.Int(0)] = r.Text(1);
  SOLIDUM_ASSIGN_OR_RETURN(auto proxies, conn.Query("SELECT grantor_member_id, holder_member_id FROM assembly_proxies WHERE assembly_id = ?", {a.id}));
  for (const auto& r : proxies) f.proxy_of[r.Int(0)] = r.Int(1);
  return f;
}

Quorum QuorumFrom(const Assembly& a, const Floor& f) {
  std::map<std::optional<std::string>, ClassAttendance> by_class;
  const auto entitled = f.Entitled();
  for (const auto& m : f.entitled) {
    auto& c = by_class[m.class_code];
    c.class_code = m.class_code;
    ++c.entitled;
    if (f.present.count(m.id)) ++c.present;
    else if (f.Represented(m.id) && entitled.count(f.proxy_of.at(m.id))) ++c.represented;
  }
  std::vector<ClassAttendance> classes;
  for (auto& [code, c] : by_class) classes.push_back(c);
  return ComputeQuorum(a.quorum, std::move(classes));
}

notices::AssemblyFacts Facts(const Assembly& a, const std::string& organisation, const std::string& public_url) {
  notices::AssemblyFacts f{organisation, a.title, a.kind, a.starts_at, a.timezone, a.place, a.online_url,
                           public_url + "/assemblies/" + std::to_string(a.id), {}};
  for (const auto& i : a.items) f.agenda.push_back(i.title);
  return f;
}

// The decisions of the record email, from the items' JSON.
std::vector<notices::Decision> Decisions(const Assembly& a) {
  std::vector<notices::Decision> out;
  for (const auto& i : a.items) {
    notices::Decision d{i.title, std::nullopt, 0, 0, 0, {}, ""};
    if (i.decision) {
      const auto v = boost::json::parse(*i.decision).as_object();
      if (const auto* x = v.if_contains("adopted"); x && x->is_bool()) {
        d.adopted = x->as_bool();
        d.yes = v.at("yes").as_int64();
        d.no = v.at("no").as_int64();
        d.abstain = v.at("abstain").as_int64();
      }
      if (const auto* e = v.if_contains("elected")) {
        for (const auto& n : e->as_array()) d.elected.push_back(std::string(n.as_string()));
      }
      if (const auto* n = v.if_contains("note")) d.note = std::string(n->as_string());
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<Assembly> Bump(Conn& conn, const Assembly& a, const std::string& now) {
  SOLIDUM_TRY(conn.Exec("UPDATE assemblies SET state = ?, convened_at = ?, notice_given_days = ?, opened_at = ?, closed_at = ?, "
                        "quorum_at_opening = ?, minutes = ?, version = version + 1, updated_at = ? WHERE id = ?",
                        {a.state, Opt(a.convened_at), Opt(a.notice_given_days), Opt(a.opened_at), Opt(a.closed_at), Opt(a.quorum_at_opening),
                         a.minutes, now, a.id}));
  SOLIDUM_ASSIGN_OR_RETURN(auto back, Load(conn, a.id, a.organisation_id));
  return std::move(*back);
}

}  // namespace

Result<Assembly> ParseAssembly(const boost::json::value& body) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Invalid("", "not_an_object", "A JSON object is expected.");
  Assembly a;
  auto kind = r.Text("kind", {.nullable = false, .max_chars = 20});
  auto title = r.Text("title", {.required = true, .nullable = false, .max_chars = 300});
  auto description = r.Text("description", {.max_chars = 20000, .multiline = true});
  auto starts = r.Text("starts_at", {.required = true, .nullable = false, .max_chars = 16});
  auto zone = r.Text("timezone", {.nullable = false, .max_chars = 64});
  auto place = r.Text("place", {.max_chars = 300});
  auto online = r.Text("online_url", {.max_chars = 500});
  auto notice = r.Integer("notice_days", 0, 365);
  auto quorum = r.Integer("quorum_percent", 0, 100);
  auto scope = r.Text("quorum_scope", {.nullable = false, .max_chars = 20});
  auto limit = r.Integer("proxy_limit", 0, 1000);
  auto same = r.Bool("proxy_same_class");
  const boost::json::value* items = r.Raw("items");
  if (kind.has_value()) {
    if (kind.value == "ordinary" || kind.value == "extraordinary") a.kind = kind.value;
    else r.Fail("kind", "unknown_term", "ordinary or extraordinary.");
  }
  a.title = title.value;
  a.description = description.has_value() ? description.value : "";
  if (starts.has_value()) {
    if (IsWallTime(starts.value)) a.starts_at = starts.value;
    else r.Fail("starts_at", "invalid_time", "The local time where it is held, such as 2026-12-15T18:00.");
  }
  if (zone.has_value()) {
    if (IsZoneName(zone.value)) a.timezone = zone.value;
    else r.Fail("timezone", "invalid_timezone", "A time zone name such as Europe/Paris.");
  }
  a.place = place.has_value() ? place.value : "";
  a.online_url = online.has_value() ? online.value : "";
  if (!a.online_url.empty() && a.online_url.rfind("https://", 0) != 0 && a.online_url.rfind("http://", 0) != 0) {
    r.Fail("online_url", "invalid_url", "A web address (https://...).");
  }
  if (a.place.empty() && a.online_url.empty()) r.Fail("place", "required", "A place, an online link, or both.");
  if (notice.has_value()) a.notice_days = notice.value;
  if (quorum.has_value()) a.quorum.percent = quorum.value;
  if (scope.has_value()) {
    if (scope.value == "overall" || scope.value == "per_class") a.quorum.per_class = scope.value == "per_class";
    else r.Fail("quorum_scope", "unknown_term", "overall or per_class.");
  }
  if (limit.has_value()) a.proxies.limit = limit.value;
  a.proxies.same_class = same.has_value() && same.value;
  if (items) {
    if (!items->is_array()) {
      r.Fail("items", "not_an_array", "The agenda: a list of items.");
    } else if (items->as_array().size() > kAgendaItemsMax) {
      r.Fail("items", "too_many", "At most " + std::to_string(kAgendaItemsMax) + " agenda items.");
    } else {
      for (std::size_t i = 0; i < items->as_array().size(); ++i) {
        json_fields::ObjectReader ir(items->as_array()[i], r.PathOf("items") + "/" + std::to_string(i));
        if (!ir.is_object()) {
          r.FailAt(ir.path(), "not_an_object", "An agenda item is an object.");
          continue;
        }
        auto t = ir.Text("title", {.required = true, .nullable = false, .max_chars = 300});
        auto d = ir.Text("description", {.max_chars = 5000, .multiline = true});
        auto b = ir.Integer("ballot_id", 1, kIdMax);
        AgendaItem item;
        item.position = static_cast<std::int64_t>(i) + 1;
        item.title = t.value;
        item.description = d.has_value() ? d.value : "";
        if (b.has_value()) item.ballot_id = b.value;
        r.Merge(ir);
        a.items.push_back(std::move(item));
      }
    }
  }
  SOLIDUM_TRY(r.Finish());
  return a;
}

Result<DecisionInput> ParseDecision(const boost::json::value& body) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Invalid("", "not_an_object", "A JSON object is expected.");
  DecisionInput d;
  auto yes = r.Integer("yes", 0, 100'000'000);
  auto no = r.Integer("no", 0, 100'000'000);
  auto abstain = r.Integer("abstain", 0, 100'000'000);
  auto threshold = r.Text("threshold", {.nullable = false, .max_chars = 20});
  auto base = r.Text("majority_base", {.nullable = false, .max_chars = 20});
  auto abstentions = r.Text("abstentions", {.nullable = false, .max_chars = 20});
  auto from_ballot = r.Bool("from_ballot");
  auto note = r.Text("note", {.max_chars = 5000, .multiline = true});
  const bool votes = yes.present || no.present || abstain.present;
  if (votes) {
    for (auto [f, key] : {std::pair{&yes, "yes"}, std::pair{&no, "no"}, std::pair{&abstain, "abstain"}}) {
      if (!f->has_value()) r.Fail(key, "required", "A vote by show of hands gives yes, no and abstain.");
    }
    d.yes = yes.value;
    d.no = no.value;
    d.abstain = abstain.value;
  }
  if (threshold.has_value()) {
    if (auto t = tally::ParseThreshold(threshold.value)) d.rule.threshold = *t;
    else r.Fail("threshold", "unknown_term", "simple, two_thirds or three_quarters.");
  }
  if (base.has_value()) {
    if (auto t = tally::ParseMajorityBase(base.value)) d.rule.base = *t;
    else r.Fail("majority_base", "unknown_term", "votes_cast or members.");
  }
  if (abstentions.has_value()) {
    if (auto t = tally::ParseAbstentions(abstentions.value)) d.rule.abstentions = *t;
    else r.Fail("abstentions", "unknown_term", "excluded or against.");
  }
  d.from_ballot = from_ballot.has_value() && from_ballot.value;
  if (d.from_ballot && votes) r.Fail("from_ballot", "both", "Either the votes by show of hands or the ballot's result.");
  d.note = note.has_value() ? note.value : "";
  if (!votes && !d.from_ballot && d.note.empty()) r.Fail("note", "required", "Votes, the ballot's result, or a note of what was decided.");
  SOLIDUM_TRY(r.Finish());
  return d;
}

namespace {

// The agenda's ballots belong to the organisation; the items are written in order.
Result<void> WriteItems(Conn& conn, std::int64_t organisation, std::int64_t id, const std::vector<AgendaItem>& items) {
  std::vector<std::vector<Value>> rows;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].ballot_id) {
      SOLIDUM_ASSIGN_OR_RETURN(auto b, conn.QueryOne("SELECT 1 FROM ballots WHERE id = ? AND organisation_id = ?", {*items[i].ballot_id, organisation}));
      if (!b) return Error::Invalid("/items/" + std::to_string(i) + "/ballot_id", "unknown_ballot", "No ballot of this organisation has this id.");
    }
    rows.push_back({id, items[i].position, items[i].title, items[i].description, Opt(items[i].ballot_id)});
  }
  SOLIDUM_TRY(conn.Exec("DELETE FROM assembly_items WHERE assembly_id = ?", {id}));
  if (!rows.empty()) {
    SOLIDUM_TRY(conn.ExecMany("INSERT INTO assembly_items (assembly_id, position, title, description, ballot_id) VALUES (?, ?, ?, ?, ?)", rows));
  }
  return {};
}

}  // namespace

Result<Assembly> Assemblies::Create(std::int64_t organisation, const Assembly& in, std::optional<std::int64_t> by) {
  const std::string now = Now();
  return store::InTransaction<Assembly>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Assembly> {
    SOLIDUM_TRY(OrganisationName(conn, organisation));
    SOLIDUM_ASSIGN_OR_RETURN(
        auto row,
        conn.QueryOne("INSERT INTO assemblies (organisation_id, kind, title, description, starts_at, timezone, place, online_url, notice_days, "
                      "quorum_percent, quorum_scope, proxy_limit, proxy_same_class, state, created_by, created_at, updated_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id",
                      {organisation, in.kind, in.title, in.description, in.starts_at, in.timezone, in.place, in.online_url, in.notice_days,
                       in.quorum.percent, std::string(in.quorum.per_class ? "per_class" : "overall"), in.proxies.limit,
                       std::int64_t{in.proxies.same_class ? 1 : 0}, Opt(by), now, now}));
    SOLIDUM_TRY(WriteItems(conn, organisation, row->Int(0), in.items));
    return LoadOr404(conn, row->Int(0), organisation);
  });
}

Result<Assembly> Assemblies::UpdateDraft(std::int64_t organisation, std::int64_t id, std::int64_t expected_version, const Assembly& in) {
  const std::string now = Now();
  return store::InTransaction<Assembly>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Assembly> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    if (a.version != expected_version) return VersionMismatch("assembly");
    SOLIDUM_TRY(RequireState(a, {"draft"}, "change (once convened, members hold its notice)"));
    SOLIDUM_TRY(conn.Exec("UPDATE assemblies SET kind = ?, title = ?, description = ?, starts_at = ?, timezone = ?, place = ?, online_url = ?, "
                          "notice_days = ?, quorum_percent = ?, quorum_scope = ?, proxy_limit = ?, proxy_same_class = ?, version = version + 1, "
                          "updated_at = ? WHERE id = ?",
                          {in.kind, in.title, in.description, in.starts_at, in.timezone, in.place, in.online_url, in.notice_days, in.quorum.percent,
                           std::string(in.quorum.per_class ? "per_class" : "overall"), in.proxies.limit, std::int64_t{in.proxies.same_class ? 1 : 0},
                           now, id}));
    SOLIDUM_TRY(WriteItems(conn, organisation, id, in.items));
    return LoadOr404(conn, id, organisation);
  });
}

Result<Assembly> Assemblies::Get(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<Assembly>(store_, TxKind::kRead, [&](Conn& conn) { return LoadOr404(conn, id, organisation); });
}

Result<std::vector<Assembly>> Assemblies::List(std::int64_t organisation) {
  return store::InTransaction<std::vector<Assembly>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Assembly>> {
    SOLIDUM_TRY(OrganisationName(conn, organisation));
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kColumns) +
                                                       " FROM assemblies WHERE organisation_id = ? ORDER BY starts_at DESC, id DESC LIMIT 500",
                                                   {organisation}));
    std::vector<Assembly> out;
    for (const auto& r : rows) out.push_back(FromRow(r));
    return out;
  });
}

Result<void> Assemblies::DeleteDraft(std::int64_t organisation, std::int64_t id, std::int64_t expected_version) {
  return store::InTransaction<void>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    if (a.version != expected_version) return VersionMismatch("assembly");
    SOLIDUM_TRY(RequireState(a, {"draft"}, "be deleted (only drafts can)"));
    SOLIDUM_TRY(conn.Exec("DELETE FROM assembly_items WHERE assembly_id = ?", {id}));
    SOLIDUM_TRY(conn.Exec("DELETE FROM assemblies WHERE id = ?", {id}));
    return {};
  });
}

Result<std::pair<Assembly, Convened>> Assemblies::Convene(std::int64_t organisation, std::int64_t id, std::int64_t expected_version) {
  const std::string now = Now();
  const std::string today = now.substr(0, 10);
  using Out = std::pair<Assembly, Convened>;
  return store::InTransaction<Out>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Out> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    if (a.version != expected_version) return VersionMismatch("assembly");
    SOLIDUM_TRY(RequireState(a, {"draft"}, "be convened"));
    if (a.Day() < today) return Conflict("assembly_day_past", "The assembly's day (" + a.Day() + ") is past: set a new date.");
    Convened c;
    a.notice_given_days = DayNumber(a.Day()) - DayNumber(today);
    if (*a.notice_given_days < a.notice_days) {
      c.warnings.push_back({"short_notice", "The statutes ask for " + std::to_string(a.notice_days) + " days' notice; this gives " +
                                                std::to_string(*a.notice_given_days) + ". Decisions may be challenged."});
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto members, EntitledMembers(conn, organisation, a.Day()));
    if (members.empty()) c.warnings.push_back({"no_members", "No member is entitled on " + a.Day() + ": the register is empty then."});
    SOLIDUM_ASSIGN_OR_RETURN(auto org, OrganisationName(conn, organisation));
    const auto facts = Facts(a, org, public_url_);
    std::vector<mail::Outgoing> out;
    for (const auto& m : members) {
      if (!m.email || !mail::IsValidAddress(*m.email)) {
        ++c.without_email;
        continue;
      }
      auto text = notices::AssemblyNotice(m.language, facts, m.name);
      out.push_back({{*m.email, m.name, std::move(text.subject), std::move(text.body)}, m.language, "assembly_notice",
                     "assembly:" + std::to_string(id), m.id});
    }
    SOLIDUM_ASSIGN_OR_RETURN(c.notices_queued, mail::Enqueue(conn, out, now));
    a.state = "convened";
    a.convened_at = now;
    SOLIDUM_ASSIGN_OR_RETURN(auto back, Bump(conn, a, now));
    return Out{std::move(back), std::move(c)};
  });
}

Result<Assembly> Assemblies::Open(std::int64_t organisation, std::int64_t id, std::int64_t expected_version) {
  const std::string now = Now();
  return store::InTransaction<Assembly>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Assembly> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    if (a.version != expected_version) return VersionMismatch("assembly");
    SOLIDUM_TRY(RequireState(a, {"convened"}, "open"));
    SOLIDUM_ASSIGN_OR_RETURN(auto floor, LoadFloor(conn, a));
    auto q = QuorumJson(QuorumFrom(a, floor));
    q["at"] = now;
    a.quorum_at_opening = json_write::Serialize(q);
    a.state = "in_session";
    a.opened_at = now;
    return Bump(conn, a, now);
  });
}

Result<Assembly> Assemblies::Close(std::int64_t organisation, std::int64_t id, std::int64_t expected_version, const std::string& minutes) {
  const std::string now = Now();
  return store::InTransaction<Assembly>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Assembly> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    if (a.version != expected_version) return VersionMismatch("assembly");
    SOLIDUM_TRY(RequireState(a, {"in_session"}, "close"));
    SOLIDUM_ASSIGN_OR_RETURN(auto floor, LoadFloor(conn, a));
    const Quorum q = QuorumFrom(a, floor);
    SOLIDUM_ASSIGN_OR_RETURN(auto org, OrganisationName(conn, organisation));
    const auto facts = Facts(a, org, public_url_);
    const auto decisions = Decisions(a);
    notices::Attendance at{q.met, q.present, q.represented, q.entitled};
    if (a.quorum_at_opening) {  // the record states the quorum the session was opened with
      const auto v = boost::json::parse(*a.quorum_at_opening).as_object();
      at = {v.at("met").as_bool(), v.at("present").as_int64(), v.at("represented").as_int64(), v.at("entitled").as_int64()};
    }
    std::vector<mail::Outgoing> out;
    for (const auto& m : floor.entitled) {
      if (!m.email) continue;
      auto text = notices::AssemblyRecord(m.language, facts, at, decisions, m.name);
      out.push_back({{*m.email, m.name, std::move(text.subject), std::move(text.body)}, m.language, "assembly_record",
                     "assembly:" + std::to_string(id), m.id});
    }
    SOLIDUM_TRY(mail::Enqueue(conn, out, now));
    a.state = "closed";
    a.closed_at = now;
    a.minutes = minutes;
    return Bump(conn, a, now);
  });
}

Result<void> Assemblies::SignIn(std::int64_t organisation, std::int64_t id, std::int64_t member, const std::string& channel) {
  const std::string now = Now();
  return store::InTransaction<void>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    SOLIDUM_TRY(RequireState(a, {"convened", "in_session"}, "take attendance"));
    SOLIDUM_ASSIGN_OR_RETURN(auto entitled, IsEntitled(conn, organisation, a.Day(), member));
    if (!entitled) {
      return Forbidden("not_entitled", "Member " + std::to_string(member) + " is not a member with voting rights on " + a.Day() + ".");
    }
    // Coming in person takes the vote back from a proxy.
    SOLIDUM_TRY(conn.Exec("DELETE FROM assembly_proxies WHERE assembly_id = ? AND grantor_member_id = ?", {id, member}));
    SOLIDUM_TRY(conn.Exec("DELETE FROM assembly_attendance WHERE assembly_id = ? AND member_id = ?", {id, member}));
    SOLIDUM_TRY(conn.Exec("INSERT INTO assembly_attendance (assembly_id, member_id, channel, arrived_at) VALUES (?, ?, ?, ?)",
                          {id, member, channel, now}));
    return {};
  });
}

Result<void> Assemblies::SignOut(std::int64_t organisation, std::int64_t id, std::int64_t member) {
  const std::string now = Now();
  return store::InTransaction<void>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    SOLIDUM_TRY(RequireState(a, {"convened", "in_session"}, "take attendance"));
    SOLIDUM_ASSIGN_OR_RETURN(auto n, conn.Exec("UPDATE assembly_attendance SET left_at = ? WHERE assembly_id = ? AND member_id = ? AND left_at IS NULL",
                                               {now, id, member}));
    if (n == 0) return Error::NotFound("Member " + std::to_string(member) + " is not signed in.");
    return {};
  });
}

namespace {

// The statutes' proxy rules, checked in this order (documented in docs/architecture.md).
Result<void> CheckProxy(const Assembly& a, const Floor& f, std::int64_t grantor, std::int64_t holder) {
  if (a.proxies.limit == 0) return Conflict("proxies_not_allowed", "The statutes allow no proxies at this assembly.");
  if (grantor == holder) return Error::Invalid("/holder_member_id", "same_member", "A member cannot hold their own proxy.");
  const auto entitled = f.Entitled();
  if (!entitled.count(grantor)) return Forbidden("not_entitled", "The member giving the proxy has no vote on " + a.Day() + ".");
  if (!entitled.count(holder)) return Error::Invalid("/holder_member_id", "not_entitled", "The proxy's holder has no vote on " + a.Day() + ".");
  if (f.present.count(grantor)) return Conflict("grantor_present", "The member is present: they vote themselves.");
  if (f.proxy_of.count(holder)) return Conflict("holder_gave_proxy", "The holder has given their own proxy: proxies do not pass on.");
  for (const auto& [g, h] : f.proxy_of) {
    if (h == grantor) return Conflict("grantor_holds_proxies", "The member holds proxies of others: they cannot give theirs.");
  }
  if (a.proxies.same_class) {
    std::optional<std::int64_t> gc, hc;
    for (const auto& m : f.entitled) {
      if (m.id == grantor) gc = m.class_id;
      if (m.id == holder) hc = m.class_id;
    }
    if (gc != hc) return Conflict("proxy_other_class", "The statutes ask for a holder of the same class.");
  }
  std::int64_t held = 0;
  for (const auto& [g, h] : f.proxy_of) held += (h == holder && g != grantor) ? 1 : 0;
  if (held >= a.proxies.limit) {
    return Conflict("proxy_limit_reached", "The holder already holds " + std::to_string(held) + " proxies, the most the statutes allow.");
  }
  return {};
}

}  // namespace

Result<void> Assemblies::GiveProxy(std::int64_t organisation, std::int64_t id, std::int64_t grantor, std::int64_t holder) {
  const std::string now = Now();
  return store::InTransaction<void>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    SOLIDUM_TRY(RequireState(a, {"convened", "in_session"}, "take proxies"));
    SOLIDUM_ASSIGN_OR_RETURN(auto floor, LoadFloor(conn, a));
    SOLIDUM_TRY(CheckProxy(a, floor, grantor, holder));
    SOLIDUM_TRY(conn.Exec("DELETE FROM assembly_proxies WHERE assembly_id = ? AND grantor_member_id = ?", {id, grantor}));
    SOLIDUM_TRY(conn.Exec("INSERT INTO assembly_proxies (assembly_id, grantor_member_id, holder_member_id, given_at) VALUES (?, ?, ?, ?)",
                          {id, grantor, holder, now}));
    return {};
  });
}

Result<void> Assemblies::GiveOwnProxy(std::int64_t user_id, std::int64_t id, const std::string& holder_number) {
  SOLIDUM_ASSIGN_OR_RETURN(auto mine, ForUser(user_id, id));
  const std::int64_t organisation = mine.assembly.organisation_id, grantor = mine.member_id;
  std::int64_t holder = 0;
  auto found = store::InTransaction<void>(store_, TxKind::kRead, [&](Conn& conn) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto h, conn.QueryOne("SELECT id FROM members WHERE organisation_id = ? AND number = ?", {organisation, holder_number}));
    if (!h) return Error::Invalid("/holder_number", "unknown_member", "No member has this membership number.");
    holder = h->Int(0);
    return {};
  });
  if (!found.ok()) return found.error();
  return GiveProxy(organisation, id, grantor, holder);
}

Result<void> Assemblies::RevokeProxy(std::int64_t organisation, std::int64_t id, std::int64_t grantor) {
  return store::InTransaction<void>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    SOLIDUM_TRY(RequireState(a, {"convened", "in_session"}, "take proxies"));
    SOLIDUM_ASSIGN_OR_RETURN(auto n, conn.Exec("DELETE FROM assembly_proxies WHERE assembly_id = ? AND grantor_member_id = ?", {id, grantor}));
    if (n == 0) return Error::NotFound("Member " + std::to_string(grantor) + " gave no proxy.");
    return {};
  });
}

Result<std::vector<AttendanceRow>> Assemblies::Attendance(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<std::vector<AttendanceRow>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<AttendanceRow>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    SOLIDUM_ASSIGN_OR_RETURN(auto floor, LoadFloor(conn, a));
    SOLIDUM_ASSIGN_OR_RETURN(auto numbers, conn.Query("SELECT id, number FROM members WHERE organisation_id = ?", {organisation}));
    std::map<std::int64_t, std::optional<std::string>> number;
    for (const auto& r : numbers) number[r.Int(0)] = r.OptText(1);
    std::map<std::int64_t, std::string> name;
    std::map<std::int64_t, std::int64_t> held;
    for (const auto& m : floor.entitled) name[m.id] = m.name;
    for (const auto& [g, h] : floor.proxy_of) ++held[h];
    std::vector<AttendanceRow> out;
    for (const auto& m : floor.entitled) {
      AttendanceRow row{m.id, m.name, number[m.id], m.class_code, "absent", std::nullopt, std::nullopt, std::nullopt, held[m.id]};
      if (auto p = floor.present.find(m.id); p != floor.present.end()) {
        row.status = "present";
        row.channel = p->second;
      } else if (floor.Represented(m.id)) {
        row.status = "represented";
      }
      if (auto h = floor.proxy_of.find(m.id); h != floor.proxy_of.end()) {
        row.holder_id = h->second;
        row.holder_name = name[h->second];
      }
      out.push_back(std::move(row));
    }
    return out;
  });
}

Result<Quorum> Assemblies::QuorumOf(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<Quorum>(store_, TxKind::kRead, [&](Conn& conn) -> Result<Quorum> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    SOLIDUM_ASSIGN_OR_RETURN(auto floor, LoadFloor(conn, a));
    return QuorumFrom(a, floor);
  });
}

Result<Assembly> Assemblies::Decide(std::int64_t organisation, std::int64_t id, std::int64_t item_id, const DecisionInput& in) {
  const std::string now = Now();
  return store::InTransaction<Assembly>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Assembly> {
    SOLIDUM_ASSIGN_OR_RETURN(auto a, LoadOr404(conn, id, organisation));
    SOLIDUM_TRY(RequireState(a, {"in_session"}, "record decisions"));
    const AgendaItem* item = nullptr;
    for (const auto& i : a.items) item = i.id == item_id ? &i : item;
    if (!item) return Error::NotFound("No agenda item " + std::to_string(item_id) + " in this assembly.");
    boost::json::object d{{"note", in.note}};
    if (in.yes) {
      SOLIDUM_ASSIGN_OR_RETURN(auto floor, LoadFloor(conn, a));
      const Quorum q = QuorumFrom(a, floor);
      if (!q.met) return Conflict("quorum_not_met", "The quorum is not reached (" + q.rule + "): the assembly cannot vote.");
      const std::int64_t voters = q.present + q.represented;
      if (*in.yes + *in.no + *in.abstain > voters) {
        return Error::Invalid("/yes", "too_many_votes",
                              "More votes than members present or represented (" + std::to_string(voters) + ").");
      }
      const auto m = tally::CountMotion({{"", 0, *in.yes, *in.no, *in.abstain, q.entitled}}, in.rule);
      d["kind"] = "show_of_hands";
      d["adopted"] = m.adopted;
      d["yes"] = m.yes;
      d["no"] = m.no;
      d["abstain"] = m.abstain;
      d["entitled"] = m.entitled;
      d["rule"] = m.rule;
    } else if (in.from_ballot) {
      if (!item->ballot_id) return Error::Invalid("/from_ballot", "no_ballot", "This agenda item has no ballot.");
      SOLIDUM_ASSIGN_OR_RETURN(auto b, conn.QueryOne("SELECT state, result FROM ballots WHERE id = ?", {*item->ballot_id}));
      if (!b || b->IsNull(1)) return Error::Invalid("/from_ballot", "not_counted", "The ballot is not closed and counted yet.");
      const auto result = boost::json::parse(b->Text(1)).as_object();
      d["kind"] = "ballot";
      d["ballot_id"] = *item->ballot_id;
      if (const auto* adopted = result.if_contains("adopted")) {
        d["adopted"] = *adopted;
        d["yes"] = result.at("yes");
        d["no"] = result.at("no");
        d["abstain"] = result.at("abstain");
        d["rule"] = result.at("rule");
      } else {
        boost::json::array elected;
        for (const auto& k : result.at("contests").as_array()) {
          for (const auto& n : k.at("tally").at("elected").as_array()) elected.push_back(n);
        }
        d["elected"] = std::move(elected);
      }
    } else {
      d["kind"] = "note";
    }
    SOLIDUM_TRY(conn.Exec("UPDATE assembly_items SET decision = ?, decided_at = ? WHERE id = ?", {json_write::Serialize(d), now, item_id}));
    return Bump(conn, a, now);
  });
}

Result<mail::Delivery> Assemblies::Delivery(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<mail::Delivery>(store_, TxKind::kRead, [&](Conn& conn) -> Result<mail::Delivery> {
    SOLIDUM_TRY(LoadOr404(conn, id, organisation));
    return mail::DeliveryOf(conn, "assembly:" + std::to_string(id));
  });
}

namespace {

// The user's member record in the assembly's organisation on its day (any status).
constexpr const char* kMineSql =
    "SELECT a.id, o.name, m.id FROM assemblies a JOIN organisations o ON o.id = a.organisation_id "
    "JOIN members m ON m.organisation_id = a.organisation_id AND m.user_id = ? AND m.joined_on <= SUBSTR(a.starts_at, 1, 10) "
    "AND (m.left_on IS NULL OR m.left_on > SUBSTR(a.starts_at, 1, 10)) WHERE a.state <> 'draft'";

Result<MemberAssembly> Mine(Conn& conn, const store::Row& r) {
  SOLIDUM_ASSIGN_OR_RETURN(auto a, Load(conn, r.Int(0), std::nullopt));
  MemberAssembly out{std::move(*a), r.Text(1), r.Int(2), "absent", std::nullopt};
  SOLIDUM_ASSIGN_OR_RETURN(auto floor, LoadFloor(conn, out.assembly));
  if (floor.present.count(out.member_id)) out.status = "present";
  else if (floor.Represented(out.member_id)) out.status = "represented";
  if (auto h = floor.proxy_of.find(out.member_id); h != floor.proxy_of.end()) {
    for (const auto& m : floor.entitled) {
      if (m.id == h->second) out.holder_name = m.name;
    }
  }
  return out;
}

}  // namespace

Result<std::vector<MemberAssembly>> Assemblies::OfUser(std::int64_t user_id) {
  return store::InTransaction<std::vector<MemberAssembly>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<MemberAssembly>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(std::string(kMineSql) + " ORDER BY a.starts_at DESC, a.id DESC LIMIT 200", {user_id}));
    std::vector<MemberAssembly> out;
    for (const auto& r : rows) {
      SOLIDUM_ASSIGN_OR_RETURN(auto m, Mine(conn, r));
      out.push_back(std::move(m));
    }
    return out;
  });
}

Result<MemberAssembly> Assemblies::ForUser(std::int64_t user_id, std::int64_t id) {
  return store::InTransaction<MemberAssembly>(store_, TxKind::kRead, [&](Conn& conn) -> Result<MemberAssembly> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(std::string(kMineSql) + " AND a.id = ?", {user_id, id}));
    if (!row) return Error::NotFound("No assembly " + std::to_string(id) + " of yours.");
    return Mine(conn, *row);
  });
}

namespace {

std::optional<VotedItem> VotedFrom(const store::Row& r) {
  auto parsed = boost::json::parse(r.Text(5));
  if (!parsed.is_object()) return std::nullopt;
  const auto* adopted = parsed.as_object().if_contains("adopted");
  if (!adopted || !adopted->is_bool()) return std::nullopt;  // a note
  return VotedItem{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), adopted->as_bool(), parsed.as_object()};
}

constexpr std::string_view kVotedColumns = "SELECT s.id, i.id, s.title, s.starts_at, i.title, i.decision FROM assembly_items i JOIN assemblies s ON s.id = i.assembly_id ";

}  // namespace

Result<VotedItem> FindVotedItem(Conn& conn, std::int64_t organisation, std::int64_t assembly_id, std::int64_t item_id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(std::string(kVotedColumns) + "WHERE i.id = ? AND s.id = ? AND s.organisation_id = ?",
                                                   {item_id, assembly_id, organisation}));
  if (!row) return Error::Invalid("/item_id", "unknown_item", "No such agenda item in an assembly of this organisation.");
  if (row->IsNull(5)) return Error::Make(ErrorKind::kConflict, "not_voted", "The members have not decided this item yet.");
  auto voted = VotedFrom(*row);
  if (!voted) return Error::Make(ErrorKind::kConflict, "not_voted", "This item was recorded as a note, not decided by a vote.");
  return *voted;
}

Result<std::vector<VotedItem>> VotedItems(Conn& conn, std::int64_t organisation, int limit) {
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(std::string(kVotedColumns) + "WHERE s.organisation_id = ? AND i.decision IS NOT NULL "
                                                     "ORDER BY s.starts_at DESC, i.position LIMIT " + std::to_string(limit),
                                                 {organisation}));
  std::vector<VotedItem> out;
  for (const auto& r : rows) {
    if (auto v = VotedFrom(r)) out.push_back(std::move(*v));
  }
  return out;
}

}  // namespace solidum::governance
