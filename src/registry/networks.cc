#include "registry/networks.h"

#include <set>

#include "common/text.h"
#include "registry/search_index.h"

namespace solidum::registry {

using store::Conn;
using store::Null;
using store::TxKind;
using store::Opt;
using store::Value;

namespace {

constexpr std::string_view kMemberOf = "member_of";

// Columns of a relationship with both names; FromRow reads them in this order.
constexpr std::string_view kSelect =
    "SELECT r.id, r.subject_id, s.name, r.kind, r.object_id, o.name, r.role, r.start_date, r.end_date, r.note, "
    "r.version, r.created_at, r.updated_at FROM relationships r "
    "JOIN organisations s ON s.id = r.subject_id AND s.deleted_at IS NULL "
    "JOIN organisations o ON o.id = r.object_id AND o.deleted_at IS NULL ";
constexpr std::size_t kSelectColumns = 13;

bool Holds(const std::optional<std::string>& start, const std::optional<std::string>& end, const std::string& today) {
  return (!start || *start <= today) && (!end || *end > today);
}

Relationship FromRow(const store::Row& r, const std::string& today) {
  Relationship x;
  x.id = r.Int(0);
  x.subject = {r.Int(1), r.Text(2)};
  x.kind = r.Text(3);
  x.object = {r.Int(4), r.Text(5)};
  x.role = r.OptText(6);
  x.start_date = r.OptText(7);
  x.end_date = r.OptText(8);
  x.note = r.Text(9);
  x.version = r.Int(10);
  x.created_at = r.Text(11);
  x.updated_at = r.Text(12);
  x.current = Holds(x.start_date, x.end_date, today);
  return x;
}

Result<std::optional<Relationship>> Load(Conn& conn, std::int64_t id, const std::string& today) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(std::string(kSelect) + "WHERE r.id = ? AND r.deleted_at IS NULL", {id}));
  if (!row) return std::optional<Relationship>();
  return std::optional<Relationship>(FromRow(*row, today));
}

Error NoRelationship() { return Error::NotFound("No such relationship here."); }

Error VersionMismatch(std::int64_t current) {
  return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch",
                     "The relationship was changed by someone else (now at version " + std::to_string(current) + ").");
}

Error DatesOutOfOrder() {
  return Error::Invalid("/end_date", "before_start", "The end date must come after the start date.");
}


// Whether `code` is in vocabulary `table`.
Result<bool> Known(Conn& conn, const char* table, const std::string& code) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(std::string("SELECT 1 FROM ") + table + " WHERE code = ?", {code}));
  return row.has_value();
}

}  // namespace

Result<RelationshipChanges> ParseRelationship(const boost::json::value& body, RelationshipSide side, bool create) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Invalid("", "not_an_object", "A JSON object is expected.");
  RelationshipChanges c;
  constexpr std::int64_t kIdMax = std::int64_t{1} << 53;
  if (side == RelationshipSide::kMembership) {
    if (create) c.other_id = r.Integer("organisation_id", 1, kIdMax, /*required=*/true);
    c.role = r.Text("role", {.max_chars = 32});
  } else if (create) {
    c.kind = r.Text("kind", {.required = true, .max_chars = 32});
    c.other_id = r.Integer("object_id", 1, kIdMax, /*required=*/true);
  }
  c.start_date = r.Text("start_date", {.max_chars = 10});
  c.end_date = r.Text("end_date", {.max_chars = 10});
  for (auto* date : {&c.start_date, &c.end_date}) {
    if (date->has_value() && !date->value.empty() && !text::IsIsoDate(date->value)) {
      r.Fail(date == &c.start_date ? "start_date" : "end_date", "invalid_date", "A date such as 2024-09-30 is expected.");
    }
  }
  c.note = r.Text("note", {.max_chars = kRelationshipNoteCharsMax, .multiline = true});
  SOLIDUM_TRY(r.Finish());
  return c;
}

std::string Networks::Today() const { return FormatTimestamp(clock_.NowMicros()).substr(0, 10); }

Result<void> StampWithMembers(Conn& conn, std::int64_t organisation, std::int64_t change_seq) {
  SOLIDUM_TRY(conn.Exec(
      "WITH RECURSIVE down(id) AS (SELECT ? UNION SELECT r.subject_id FROM relationships r JOIN down ON "
      "r.object_id = down.id WHERE r.kind = 'member_of' AND r.deleted_at IS NULL) "
      "UPDATE organisations SET change_seq = ? WHERE id IN (SELECT id FROM down)",
      {organisation, change_seq}));
  return Ok();
}

Result<Relationship> Networks::Insert(std::int64_t subject, const std::string& kind, std::int64_t object,
                                      const RelationshipChanges& in, std::optional<std::int64_t> by) {
  std::string today = Today();
  std::string now = FormatTimestamp(clock_.NowMicros());
  bool membership = kind == kMemberOf;
  auto text = [](const json_fields::Field<std::string>& f) -> std::optional<std::string> {
    if (!f.has_value() || f.value.empty()) return std::nullopt;
    return f.value;
  };
  std::optional<std::string> role = text(in.role), start = text(in.start_date), end = text(in.end_date);
  if (start && end && *end <= *start) return DatesOutOfOrder();
  return store::InTransaction<Relationship>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Relationship> {
    // The path's organisation first (404), then the body's (422).
    std::int64_t path_org = membership ? object : subject;
    std::int64_t body_org = membership ? subject : object;
    const char* body_field = membership ? "/organisation_id" : "/object_id";
    SOLIDUM_ASSIGN_OR_RETURN(
        auto owner, conn.QueryOne("SELECT network_scope FROM organisations WHERE id = ? AND deleted_at IS NULL", {path_org}));
    if (!owner) return Error::NotFound("No organisation " + std::to_string(path_org) + ".");
    if (membership && owner->IsNull(0)) {
      return Error::Make(ErrorKind::kConflict, "not_a_network",
                         "This organisation is not a network: give it a network_scope first.");
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto other,
                             conn.QueryOne("SELECT 1 FROM organisations WHERE id = ? AND deleted_at IS NULL", {body_org}));
    if (!other) return Error::Invalid(body_field, "unknown_organisation", "No such organisation.");
    if (body_org == path_org) return Error::Invalid(body_field, "same_organisation", "An organisation cannot relate to itself.");
    SOLIDUM_ASSIGN_OR_RETURN(bool kind_known, Known(conn, "relationship_types", kind));
    if (!kind_known) return Error::Invalid("/kind", "unknown_term", "Not a relationship type (see /api/v1/vocabularies/relationship_types).");
    if (role) {
      SOLIDUM_ASSIGN_OR_RETURN(bool role_known, Known(conn, "membership_roles", *role));
      if (!role_known) return Error::Invalid("/role", "unknown_term", "Not a membership role (see /api/v1/vocabularies/membership_roles).");
    }
    if (membership) {
      // Would the network become a member of itself through the subject?
      SOLIDUM_ASSIGN_OR_RETURN(
          auto cycle,
          conn.QueryOne("WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT r.object_id FROM relationships r JOIN up ON "
                        "r.subject_id = up.id WHERE r.kind = 'member_of' AND r.deleted_at IS NULL AND "
                        "(r.end_date IS NULL OR r.end_date > ?)) SELECT 1 FROM up WHERE id = ?",
                        {object, today, subject}));
      if (cycle) {
        return Error::Make(ErrorKind::kConflict, "cycle",
                           "This network is itself a member of that organisation, directly or through others.");
      }
    }
    auto inserted = conn.QueryOne(
        "INSERT INTO relationships (subject_id, kind, object_id, role, start_date, end_date, note, created_at, "
        "updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {subject, kind, object, Opt(role), Opt(start), Opt(end), in.note.has_value() ? in.note.value : std::string(), now,
         now, by ? Value(*by) : Value(Null{})});
    if (!inserted.ok()) {
      if (inserted.error().kind == ErrorKind::kConflict) {
        return Error::Make(ErrorKind::kConflict, membership ? "already_member" : "already_related",
                           membership ? "This organisation is already a member: end that membership first."
                                      : "This relationship is already recorded.");
      }
      return std::move(inserted).error();
    }
    std::int64_t id = (*inserted)->Int(0);
    if (membership) {
      SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
      SOLIDUM_TRY(StampWithMembers(conn, subject, change));
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto loaded, Load(conn, id, today));
    return std::move(*loaded);
  });
}

Result<Relationship> Networks::AddMember(std::int64_t network, const RelationshipChanges& input,
                                         std::optional<std::int64_t> by) {
  return Insert(input.other_id.value, std::string(kMemberOf), network, input, by);
}

Result<Relationship> Networks::Relate(std::int64_t subject, const RelationshipChanges& input,
                                      std::optional<std::int64_t> by) {
  if (input.kind.value == kMemberOf) {
    return Error::Invalid("/kind", "use_network_members",
                          "Memberships are recorded by the network: POST /api/v1/networks/{id}/members.");
  }
  return Insert(subject, input.kind.value, input.other_id.value, input, by);
}

namespace {
bool Owns(const Relationship& r, std::int64_t owner, RelationshipSide side) {
  return side == RelationshipSide::kMembership ? r.kind == kMemberOf && r.object.id == owner
                                               : r.kind != kMemberOf && r.subject.id == owner;
}
}  // namespace

Result<Relationship> Networks::Update(std::int64_t owner, RelationshipSide side, std::int64_t id,
                                      std::int64_t expected_version, const RelationshipChanges& changes) {
  std::string today = Today();
  std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Relationship>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Relationship> {
    SOLIDUM_ASSIGN_OR_RETURN(auto current, Load(conn, id, today));
    if (!current || !Owns(*current, owner, side)) return NoRelationship();
    if (current->version != expected_version) return VersionMismatch(current->version);
    Relationship next = *current;
    auto apply = [](const json_fields::Field<std::string>& f, std::optional<std::string>& target) {
      if (!f.present) return;
      if (f.is_null || f.value.empty()) target.reset();
      else target = f.value;
    };
    apply(changes.role, next.role);
    apply(changes.start_date, next.start_date);
    apply(changes.end_date, next.end_date);
    if (changes.note.present) next.note = changes.note.is_null ? "" : changes.note.value;
    if (next.start_date && next.end_date && *next.end_date <= *next.start_date) return DatesOutOfOrder();
    if (next.role && next.role != current->role) {
      SOLIDUM_ASSIGN_OR_RETURN(bool known, Known(conn, "membership_roles", *next.role));
      if (!known) return Error::Invalid("/role", "unknown_term", "Not a membership role.");
    }
    auto changed = conn.Exec(
        "UPDATE relationships SET role = ?, start_date = ?, end_date = ?, note = ?, updated_at = ?, version = version + 1 "
        "WHERE id = ? AND version = ? AND deleted_at IS NULL",
        {Opt(next.role), Opt(next.start_date), Opt(next.end_date), next.note, now, id, expected_version});
    if (!changed.ok()) {
      if (changed.error().kind == ErrorKind::kConflict) {
        return Error::Make(ErrorKind::kConflict, "already_member", "Another open membership exists: end it first.");
      }
      return std::move(changed).error();
    }
    if (*changed != 1) return VersionMismatch(current->version);
    if (current->kind == kMemberOf) {
      SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
      SOLIDUM_TRY(StampWithMembers(conn, current->subject.id, change));
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto loaded, Load(conn, id, today));
    return std::move(*loaded);
  });
}

Result<void> Networks::Delete(std::int64_t owner, RelationshipSide side, std::int64_t id, std::int64_t expected_version) {
  std::string today = Today();
  std::string now = FormatTimestamp(clock_.NowMicros());
  auto r = store::InTransaction<bool>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
    SOLIDUM_ASSIGN_OR_RETURN(auto current, Load(conn, id, today));
    if (!current || !Owns(*current, owner, side)) return NoRelationship();
    if (current->version != expected_version) return VersionMismatch(current->version);
    SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn.Exec("UPDATE relationships SET deleted_at = ?, updated_at = ?, "
                                                     "version = version + 1 WHERE id = ? AND version = ?",
                                                     {now, now, id, expected_version}));
    if (changed != 1) return VersionMismatch(current->version);
    if (current->kind == kMemberOf) {
      SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
      SOLIDUM_TRY(StampWithMembers(conn, current->subject.id, change));
    }
    return true;
  });
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Result<void> Networks::RecordMemberships(const std::vector<NewMembership>& memberships) {
  std::string now = FormatTimestamp(clock_.NowMicros());
  auto r = store::InTransaction<bool>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
    SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
    std::vector<std::vector<Value>> rows;
    std::vector<std::int64_t> members;
    for (const auto& m : memberships) {
      rows.push_back({m.member, m.network, m.role, m.start_date, Opt(m.end_date), now, now});
      members.push_back(m.member);
    }
    SOLIDUM_TRY(conn.ExecMany("INSERT INTO relationships (subject_id, kind, object_id, role, start_date, end_date, "
                              "created_at, updated_at) VALUES (?, 'member_of', ?, ?, ?, ?, ?, ?)",
                              rows));
    SOLIDUM_TRY(conn.Exec("UPDATE organisations SET change_seq = ? WHERE id IN (" +
                              std::string(store::JsonIntegers(conn.backend())) + ")",
                          {change, store::JsonArray(members)}));
    return true;
  });
  if (!r.ok()) return std::move(r).error();
  if (memberships.size() >= kBulkWriteRows) return store_.RefreshStatistics();
  return Ok();
}

Result<std::size_t> Networks::EnsureMembers(std::int64_t network, const std::vector<std::int64_t>& organisations,
                                           std::optional<std::int64_t> by) {
  std::string today = Today();
  std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<std::size_t>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<std::size_t> {
    SOLIDUM_ASSIGN_OR_RETURN(
        auto owner, conn.QueryOne("SELECT network_scope FROM organisations WHERE id = ? AND deleted_at IS NULL", {network}));
    if (!owner) return Error::NotFound("No organisation " + std::to_string(network) + ".");
    if (owner->IsNull(0)) {
      return Error::Make(ErrorKind::kConflict, "not_a_network", "This organisation is not a network: give it a network_scope first.");
    }
    std::vector<std::int64_t> others;
    for (auto id : organisations) {
      if (id != network) others.push_back(id);
    }
    std::string list = store::JsonArray(others);
    // Not those already members (an open membership), nor the network's own ancestors (a cycle).
    SOLIDUM_ASSIGN_OR_RETURN(
        auto added,
        conn.Exec("INSERT INTO relationships (subject_id, kind, object_id, role, start_date, created_at, updated_at, "
                  "created_by) SELECT DISTINCT j.value, 'member_of', ?, 'full', ?, ?, ?, CAST(? AS BIGINT) FROM (" +
                      std::string(store::JsonIntegers(conn.backend())) + ") j "
                  "WHERE NOT EXISTS (SELECT 1 FROM relationships r WHERE r.subject_id = j.value AND r.object_id = ? AND "
                  "r.kind = 'member_of' AND r.deleted_at IS NULL AND r.end_date IS NULL) "
                  "AND j.value NOT IN (WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT r.object_id FROM relationships r "
                  "JOIN up ON r.subject_id = up.id WHERE r.kind = 'member_of' AND r.deleted_at IS NULL) SELECT id FROM up)",
                  {network, today, now, now, by ? Value(*by) : Value(Null{}), list, network, network}));
    if (added > 0) {
      SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
      SOLIDUM_TRY(conn.Exec("UPDATE organisations SET change_seq = ? WHERE id IN (" +
                                std::string(store::JsonIntegers(conn.backend())) + ")",
                            {change, list}));
    }
    return static_cast<std::size_t>(added);
  });
}

Result<std::vector<Relationship>> Networks::ListFor(std::int64_t organisation) {
  std::string today = Today();
  using List = std::vector<Relationship>;
  return store::InTransaction<List>(store_, TxKind::kRead, [&](Conn& conn) -> Result<List> {
    SOLIDUM_ASSIGN_OR_RETURN(
        auto exists, conn.QueryOne("SELECT 1 FROM organisations WHERE id = ? AND deleted_at IS NULL", {organisation}));
    if (!exists) return Error::NotFound("No organisation " + std::to_string(organisation) + ".");
    SOLIDUM_ASSIGN_OR_RETURN(
        auto rows, conn.Query(std::string(kSelect) +
                                  "WHERE (r.subject_id = ? OR r.object_id = ?) AND r.deleted_at IS NULL "
                                  "ORDER BY r.kind, COALESCE(r.start_date, ''), r.id LIMIT 10000",
                              {organisation, organisation}));
    List out;
    for (const auto& r : rows) out.push_back(FromRow(r, today));
    return out;
  });
}

Result<MemberPage> Networks::Members(std::int64_t network, MemberStatus status, MemberSort sort, int limit,
                                     std::int64_t offset) {
  std::string today = Today();
  int year = std::stoi(today.substr(0, 4));
  return store::InTransaction<MemberPage>(store_, TxKind::kRead, [&](Conn& conn) -> Result<MemberPage> {
    SOLIDUM_ASSIGN_OR_RETURN(
        auto exists, conn.QueryOne("SELECT 1 FROM organisations WHERE id = ? AND deleted_at IS NULL", {network}));
    if (!exists) return Error::NotFound("No organisation " + std::to_string(network) + ".");
    std::string where = "WHERE r.object_id = ? AND r.kind = 'member_of' AND r.deleted_at IS NULL";
    std::vector<Value> params{network};
    if (status == MemberStatus::kCurrent) {
      where += " AND (r.start_date IS NULL OR r.start_date <= ?) AND (r.end_date IS NULL OR r.end_date > ?)";
      params.insert(params.end(), {today, today});
    } else if (status == MemberStatus::kPast) {
      where += " AND r.end_date IS NOT NULL AND r.end_date <= ?";
      params.emplace_back(today);
    }
    MemberPage page;
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne(
        "SELECT COUNT(*) FROM relationships r JOIN organisations s ON s.id = r.subject_id AND s.deleted_at IS NULL " + where,
        params));
    page.total = count->Int(0);
    std::string sql = std::string(kSelect).insert(kSelect.find(" FROM "),
        ", s.country, s.locality, s.legal_form, s.network_scope, s.updated_at, s.latitude IS NOT NULL, "
        "s.primary_activity IS NOT NULL OR s.activities <> '[]', "
        "s.website IS NOT NULL OR s.email IS NOT NULL OR s.phone IS NOT NULL, "
        "s.members IS NOT NULL OR s.workers IS NOT NULL, s.counts_year, s.description <> ''") + where;
    sql += sort == MemberSort::kName ? " ORDER BY s.name, r.id" : " ORDER BY s.updated_at, r.id";
    sql += " LIMIT ? OFFSET ?";
    params.insert(params.end(), {std::int64_t{limit}, offset});
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, params));
    for (const auto& r : rows) {
      NetworkMember m;
      m.membership = FromRow(r, today);
      std::size_t i = kSelectColumns;
      m.country = r.OptText(i);
      m.locality = r.OptText(i + 1);
      m.legal_form = r.OptText(i + 2);
      m.network_scope = r.OptText(i + 3);
      m.updated_at = r.Text(i + 4);
      auto need = [&](bool present, const char* what) {
        if (!present) m.missing.emplace_back(what);
      };
      need(m.locality.has_value(), "locality");
      need(m.country.has_value(), "country");
      need(r.Int(i + 5) != 0, "coordinates");
      need(m.legal_form.has_value(), "legal_form");
      need(r.Int(i + 6) != 0, "activity");
      need(r.Int(i + 7) != 0, "contact");
      bool counts = r.Int(i + 8) != 0;
      need(counts, "headcounts");
      need(r.Int(i + 10) != 0, "description");
      auto counts_year = r.OptInt(i + 9);
      m.counts_stale = counts && (!counts_year || *counts_year < year - 2);
      page.items.push_back(std::move(m));
    }
    return page;
  });
}

Result<RelationshipImportSummary> Networks::Import(const std::vector<RelationshipRow>& rows) {
  std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<RelationshipImportSummary>(
      store_, TxKind::kWrite, [&](Conn& conn) -> Result<RelationshipImportSummary> {
        RelationshipImportSummary out;
        std::set<std::string> kinds, roles;
        SOLIDUM_ASSIGN_OR_RETURN(auto kind_rows, conn.Query("SELECT code FROM relationship_types"));
        for (const auto& r : kind_rows) kinds.insert(r.Text(0));
        SOLIDUM_ASSIGN_OR_RETURN(auto role_rows, conn.Query("SELECT code FROM membership_roles"));
        for (const auto& r : role_rows) roles.insert(r.Text(0));
        struct Found {
          std::int64_t id;
          bool network;
        };
        auto find = [&](const std::string& source, const std::string& source_id) -> Result<std::optional<Found>> {
          SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id, network_scope FROM organisations WHERE source = ? AND "
                                                           "source_id = ? AND deleted_at IS NULL",
                                                           {source, source_id}));
          if (!row) return std::optional<Found>();
          return std::optional<Found>(Found{row->Int(0), !row->IsNull(1)});
        };
        std::set<std::int64_t> moved;  // subjects whose memberships changed
        for (const auto& r : rows) {
          auto leave_out = [&](const std::string& why) {
            out.left_out.emplace_back(r.line, "relationship " + r.kind + " " + r.object_source + "/" + r.object_source_id +
                                                  " left out: " + why);
          };
          if (!kinds.contains(r.kind)) {
            leave_out("not a relationship type");
            continue;
          }
          if (r.role && !roles.contains(*r.role)) {
            leave_out("\"" + *r.role + "\" is not a membership role");
            continue;
          }
          bool dates_ok = (!r.start_date || text::IsIsoDate(*r.start_date)) && (!r.end_date || text::IsIsoDate(*r.end_date));
          if (!dates_ok || (r.start_date && r.end_date && *r.end_date <= *r.start_date)) {
            leave_out("its dates are not YYYY-MM-DD with the end after the start");
            continue;
          }
          if (r.note.size() > kRelationshipNoteCharsMax * 4) {
            leave_out("its note is too long");
            continue;
          }
          SOLIDUM_ASSIGN_OR_RETURN(auto subject_found, find(r.subject_source, r.subject_source_id));
          SOLIDUM_ASSIGN_OR_RETURN(auto object_found, find(r.object_source, r.object_source_id));
          if (!subject_found || !object_found) {
            leave_out("no such organisation in the register");
            continue;
          }
          std::int64_t* subject = &subject_found->id;
          std::int64_t* object = &object_found->id;
          if (*subject == *object) {
            leave_out("an organisation cannot relate to itself");
            continue;
          }
          bool membership = r.kind == kMemberOf;
          if (membership && !object_found->network) {
            leave_out("the object is not a network (it has no network_scope)");
            continue;
          }
          SOLIDUM_ASSIGN_OR_RETURN(
              auto same, conn.QueryOne("SELECT id, role, end_date, note FROM relationships WHERE subject_id = ? AND kind = ? "
                                       "AND object_id = ? AND COALESCE(start_date, '') = ? AND deleted_at IS NULL",
                                       {*subject, r.kind, *object, r.start_date.value_or("")}));
          if (same) {
            if (same->OptText(1) == r.role && same->OptText(2) == r.end_date && same->Text(3) == r.note) {
              ++out.unchanged;
              continue;
            }
          }
          if (!r.end_date) {  // at most one open relationship per (subject, kind, object)
            SOLIDUM_ASSIGN_OR_RETURN(
                auto open, conn.QueryOne("SELECT 1 FROM relationships WHERE subject_id = ? AND kind = ? AND object_id = ? "
                                         "AND end_date IS NULL AND deleted_at IS NULL AND id <> ?",
                                         {*subject, r.kind, *object, same ? same->Int(0) : std::int64_t{0}}));
            if (open) {
              leave_out("another open relationship of this kind between them is recorded");
              continue;
            }
          }
          if (membership) {
            SOLIDUM_ASSIGN_OR_RETURN(
                auto cycle,
                conn.QueryOne("WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT r.object_id FROM relationships r JOIN up ON "
                              "r.subject_id = up.id WHERE r.kind = 'member_of' AND r.deleted_at IS NULL) "
                              "SELECT 1 FROM up WHERE id = ?",
                              {*object, *subject}));
            if (cycle) {
              leave_out("the network is itself a member of this organisation (a cycle)");
              continue;
            }
            moved.insert(*subject);
          }
          if (same) {
            SOLIDUM_TRY(conn.Exec("UPDATE relationships SET role = ?, end_date = ?, note = ?, updated_at = ?, "
                                  "version = version + 1 WHERE id = ?",
                                  {Opt(r.role), Opt(r.end_date), r.note, now, same->Int(0)}));
            ++out.updated;
          } else {
            SOLIDUM_TRY(conn.Exec("INSERT INTO relationships (subject_id, kind, object_id, role, start_date, end_date, "
                                  "note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  {*subject, r.kind, *object, Opt(r.role), Opt(r.start_date), Opt(r.end_date), r.note,
                                   now, now}));
            ++out.created;
          }
        }
        if (!moved.empty()) {
          SOLIDUM_ASSIGN_OR_RETURN(auto change, search_store::NextChange(conn));
          for (auto id : moved) SOLIDUM_TRY(StampWithMembers(conn, id, change));
        }
        return out;
      });
}

Result<std::vector<ExportRelationship>> Networks::ForExport() {
  using List = std::vector<ExportRelationship>;
  return store::InTransaction<List>(store_, TxKind::kRead, [&](Conn& conn) -> Result<List> {
    SOLIDUM_ASSIGN_OR_RETURN(
        auto rows, conn.Query("SELECT r.subject_id, r.kind, o.source, o.source_id, o.id, r.role, r.start_date, r.end_date, "
                              "r.note FROM relationships r "
                              "JOIN organisations s ON s.id = r.subject_id AND s.deleted_at IS NULL "
                              "JOIN organisations o ON o.id = r.object_id AND o.deleted_at IS NULL "
                              "WHERE r.deleted_at IS NULL ORDER BY r.subject_id, r.kind, COALESCE(r.start_date, ''), r.id"));
    List out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
      ExportRelationship x;
      x.subject = row.Int(0);
      x.kind = row.Text(1);
      x.object_source = row.OptText(2);
      x.object_source_id = x.object_source ? row.OptText(3).value_or("") : std::to_string(row.Int(4));
      x.role = row.OptText(5);
      x.start_date = row.OptText(6);
      x.end_date = row.OptText(7);
      x.note = row.Text(8);
      out.push_back(std::move(x));
    }
    return out;
  });
}

}  // namespace solidum::registry
