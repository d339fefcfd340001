#include "governance/members.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "common/json_write.h"
#include "common/limits.h"
#include "common/text.h"
#include "identity/identity.h"
#include "common/csv.h"

namespace solidum::governance {

using store::Conn;
using store::Null;
using store::Opt;
using store::TxKind;
using store::Value;

namespace {

// Create, Update and Import may link members to users: IdsOfUser's memory goes when they
// return, after their commit (TtlCache's contract).
struct ForgetUserLinks {
  TtlCache<std::int64_t, std::vector<std::int64_t>>& cache;
  ~ForgetUserLinks() { cache.Clear(); }
};

constexpr std::int64_t kIdMax = std::int64_t{1} << 53;
constexpr std::string_view kLanguages[] = {"en", "fr", "es", "pt"};

bool IsCode(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

bool OneOf(std::string_view v, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), v) != options.end();
}

std::string Now(const Clock& clock) { return FormatTimestamp(clock.NowMicros()); }

// ---- classes -------------------------------------------------------------------------

constexpr std::string_view kClassColumns =
    "c.id, c.organisation_id, c.code, c.name, c.college_weight_percent, c.note, c.version, c.created_at, c.updated_at";

MemberClass ClassFromRow(const store::Row& row) {
  MemberClass c;
  c.id = row.Int(0);
  c.organisation_id = row.Int(1);
  c.code = row.Text(2);
  c.name = row.Text(3);
  c.college_weight_percent = row.OptInt(4);
  c.note = row.Text(5);
  c.version = row.Int(6);
  c.created_at = row.Text(7);
  c.updated_at = row.Text(8);
  if (row.size() > 9) c.current_members = row.Int(9);
  return c;
}

Result<void> OrganisationExists(Conn& conn, std::int64_t organisation) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT 1 FROM organisations WHERE id = ? AND deleted_at IS NULL", {organisation}));
  if (!row) return Error::NotFound("No organisation " + std::to_string(organisation) + ".");
  return Ok();
}

// The college weights of an organisation's other classes plus `weight` may not pass 100.
Result<void> CheckWeights(Conn& conn, std::int64_t organisation, std::int64_t except_id, std::optional<std::int64_t> weight) {
  if (!weight) return Ok();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT COALESCE(SUM(college_weight_percent), 0) FROM member_classes "
                                                   "WHERE organisation_id = ? AND id <> ?",
                                                   {organisation, except_id}));
  if (row->Int(0) + *weight > 100) {
    return Error::Invalid("/college_weight_percent", "weights_over_100",
                          "The colleges' weights would add up to " + std::to_string(row->Int(0) + *weight) + " %, more than 100 %.");
  }
  return Ok();
}

// ---- members -------------------------------------------------------------------------

constexpr std::string_view kMemberColumns =
    "m.id, m.organisation_id, m.number, m.kind, m.name, m.email, m.phone, m.language, m.user_id, "
    "m.member_organisation_id, m.class_id, c.code, m.status, m.joined_on, m.left_on, m.note, m.version, m.created_at, "
    "m.updated_at";
constexpr std::string_view kMemberFrom = " FROM members m LEFT JOIN member_classes c ON c.id = m.class_id ";

Member MemberFromRow(const store::Row& row) {
  Member m;
  m.id = row.Int(0);
  m.organisation_id = row.Int(1);
  m.number = row.OptText(2);
  m.kind = row.Text(3);
  m.name = row.Text(4);
  m.email = row.OptText(5);
  m.phone = row.OptText(6);
  m.language = row.Text(7);
  m.user_id = row.OptInt(8);
  m.member_organisation_id = row.OptInt(9);
  m.class_id = row.OptInt(10);
  m.class_code = row.OptText(11);
  m.status = row.Text(12);
  m.joined_on = row.Text(13);
  m.left_on = row.OptText(14);
  m.note = row.Text(15);
  m.version = row.Int(16);
  m.created_at = row.Text(17);
  m.updated_at = row.Text(18);
  return m;
}

Result<std::optional<Member>> LoadMember(Conn& conn, std::int64_t organisation, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kMemberColumns) + std::string(kMemberFrom) +
                                                       "WHERE m.id = ? AND m.organisation_id = ?",
                                                   {id, organisation}));
  if (!row) return std::optional<Member>();
  return std::optional<Member>(MemberFromRow(*row));
}

std::string SearchText(const Member& m) {
  return text::Fold(m.name + " " + m.email.value_or("") + " " + m.number.value_or(""));
}

// Applies `in` onto `m` (a new member's defaults or the stored record), resolving class
// codes, user emails and member organisations in the store, and checks the record as a
// whole. Field errors go to `errors`, named `prefix` + field ("/email", "line 4/email").
Result<void> Apply(Conn& conn, std::int64_t organisation, const MemberInput& in, Member& m, const std::string& prefix,
                   std::vector<FieldError>& errors) {
  auto text = [](const json_fields::Field<std::string>& f) -> std::optional<std::string> {
    if (!f.has_value() || f.value.empty()) return std::nullopt;
    return f.value;
  };
  auto fail = [&](const std::string& field, std::string code, std::string message) {
    errors.push_back({prefix + field, std::move(code), std::move(message)});
  };
  if (in.number.present) m.number = text(in.number);
  if (in.kind.has_value()) m.kind = in.kind.value;
  if (in.name.has_value()) m.name = in.name.value;
  if (in.email.present) m.email = text(in.email);
  if (in.phone.present) m.phone = text(in.phone);
  if (in.language.has_value()) m.language = in.language.value;
  if (in.status.has_value()) m.status = in.status.value;
  if (in.joined_on.has_value()) m.joined_on = in.joined_on.value;
  if (in.left_on.present) m.left_on = text(in.left_on);
  if (in.note.present) m.note = in.note.has_value() ? in.note.value : std::string();
  if (in.class_code.present) {
    m.class_id.reset();
    m.class_code.reset();
    if (auto code = text(in.class_code)) {
      SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id FROM member_classes WHERE organisation_id = ? AND code = ?",
                                                       {organisation, *code}));
      if (row) {
        m.class_id = row->Int(0);
        m.class_code = *code;
      } else {
        fail("class", "unknown_class", "No member class has the code \"" + *code + "\" here.");
      }
    }
  }
  if (in.user_email.present) {
    m.user_id.reset();
    if (auto email = text(in.user_email)) {
      SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id FROM users WHERE email = ?", {*email}));
      if (row) m.user_id = row->Int(0);
      else fail("user_email", "unknown_user", "No user account has this email.");
    }
  }
  if (in.member_organisation_id.present) {
    m.member_organisation_id = in.member_organisation_id.has_value() ? std::optional(in.member_organisation_id.value) : std::nullopt;
    if (m.member_organisation_id) {
      SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT name FROM organisations WHERE id = ? AND deleted_at IS NULL",
                                                       {*m.member_organisation_id}));
      if (!row) fail("member_organisation_id", "unknown_organisation", "No such organisation in the register.");
      if (*m.member_organisation_id == organisation) {
        fail("member_organisation_id", "same_organisation", "An organisation cannot be its own member.");
      }
    }
  }
  if (m.member_organisation_id && m.kind != "organisation") {
    fail("kind", "kind_mismatch", "A member organisation is of kind \"organisation\".");
  }
  if (m.name.empty()) fail("name", "required", "A name is required.");
  if (m.left_on && *m.left_on <= m.joined_on) {
    fail("left_on", "dates_out_of_order", "The leaving date must come after the joining date.");
  }
  return Ok();
}

// Conflicts the unique indexes would raise, found first (a failed statement would abort
// a PostgreSQL transaction) and named.
Result<void> CheckUnique(Conn& conn, const Member& m) {
  if (m.number) {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id FROM members WHERE organisation_id = ? AND number = ? AND id <> ?",
                                                     {m.organisation_id, *m.number, m.id}));
    if (row) return Error::Make(ErrorKind::kConflict, "number_taken", "Member number " + *m.number + " is already in use.");
  }
  if (!m.left_on) {
    for (const auto& [column, value] : {std::pair{"user_id", m.user_id}, std::pair{"member_organisation_id", m.member_organisation_id}}) {
      if (!value) continue;
      SOLIDUM_ASSIGN_OR_RETURN(
          auto row, conn.QueryOne("SELECT id FROM members WHERE organisation_id = ? AND " + std::string(column) +
                                      " = ? AND left_on IS NULL AND id <> ?",
                                  {m.organisation_id, *value, m.id}));
      if (row) {
        return Error::Make(ErrorKind::kConflict, "already_member",
                           "This " + std::string(std::string_view(column) == "user_id" ? "person" : "organisation") +
                               " already holds an open membership (member " + std::to_string(row->Int(0)) + ").");
      }
    }
  }
  return Ok();
}

Result<std::int64_t> InsertMember(Conn& conn, const Member& m, const std::string& now) {
  SOLIDUM_ASSIGN_OR_RETURN(
      auto row,
      conn.QueryOne("INSERT INTO members (organisation_id, number, kind, name, email, phone, language, user_id, "
                    "member_organisation_id, class_id, status, joined_on, left_on, note, search_text, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {m.organisation_id, Opt(m.number), m.kind, m.name, Opt(m.email), Opt(m.phone), m.language, Opt(m.user_id),
                     Opt(m.member_organisation_id), Opt(m.class_id), m.status, m.joined_on, Opt(m.left_on), m.note,
                     SearchText(m), now, now}));
  return row->Int(0);
}

Result<bool> UpdateMember(Conn& conn, const Member& m, std::int64_t expected_version, const std::string& now) {
  SOLIDUM_ASSIGN_OR_RETURN(
      auto n, conn.Exec("UPDATE members SET number = ?, kind = ?, name = ?, email = ?, phone = ?, language = ?, user_id = ?, "
                        "member_organisation_id = ?, class_id = ?, status = ?, joined_on = ?, left_on = ?, note = ?, "
                        "search_text = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                        {Opt(m.number), m.kind, m.name, Opt(m.email), Opt(m.phone), m.language, Opt(m.user_id),
                         Opt(m.member_organisation_id), Opt(m.class_id), m.status, m.joined_on, Opt(m.left_on), m.note,
                         SearchText(m), now, m.id, expected_version}));
  return n == 1;
}

// {field: [before, after]} for every field that differs; empty when none.
boost::json::object Diff(const Member& a, const Member& b) {
  boost::json::object out;
  auto opt = [](const auto& v) -> boost::json::value {
    if (!v) return nullptr;
    return boost::json::value_from(*v);
  };
  auto add = [&](const char* field, boost::json::value before, boost::json::value after) {
    if (before != after) out[field] = boost::json::array{std::move(before), std::move(after)};
  };
  add("number", opt(a.number), opt(b.number));
  add("kind", boost::json::value(a.kind), boost::json::value(b.kind));
  add("name", boost::json::value(a.name), boost::json::value(b.name));
  add("email", opt(a.email), opt(b.email));
  add("phone", opt(a.phone), opt(b.phone));
  add("language", boost::json::value(a.language), boost::json::value(b.language));
  add("user_id", opt(a.user_id), opt(b.user_id));
  add("member_organisation_id", opt(a.member_organisation_id), opt(b.member_organisation_id));
  add("class", opt(a.class_code), opt(b.class_code));
  add("status", boost::json::value(a.status), boost::json::value(b.status));
  add("joined_on", boost::json::value(a.joined_on), boost::json::value(b.joined_on));
  add("left_on", opt(a.left_on), opt(b.left_on));
  add("note", boost::json::value(a.note), boost::json::value(b.note));
  return out;
}

Result<void> RecordEvent(Conn& conn, std::int64_t member, const std::string& now, std::optional<std::int64_t> by,
                         std::string_view kind, const boost::json::object& changes) {
  SOLIDUM_TRY(conn.Exec("INSERT INTO member_events (member_id, at, by_user, kind, changes) VALUES (?, ?, ?, ?, ?)",
                        {member, now, Opt(by), std::string(kind), json_write::Serialize(changes)}));
  return Ok();
}

Error FieldErrors(std::vector<FieldError> errors) {
  return Error{ErrorKind::kInvalidInput, "validation_failed", "The request has invalid fields.", std::move(errors)};
}

// Shape checks shared by JSON and CSV input.
void CheckShapes(MemberInput& in, const std::function<void(const std::string&, std::string, std::string)>& fail) {
  if (in.kind.has_value() && !OneOf(in.kind.value, {"person", "organisation"})) fail("kind", "unknown_term", "person or organisation.");
  if (in.status.has_value() && !OneOf(in.status.value, {"active", "suspended"})) {
    fail("status", "unknown_term", "active or suspended (a member leaves by left_on).");
  }
  if (in.language.has_value() && std::find(std::begin(kLanguages), std::end(kLanguages), in.language.value) == std::end(kLanguages)) {
    fail("language", "unknown_term", "en, fr, es or pt.");
  }
  for (auto* f : {&in.email, &in.user_email}) {
    if (!f->has_value() || f->value.empty()) continue;
    auto e = identity::NormalizeEmail(f->value);
    if (e.ok()) f->value = *e;
    else fail(f == &in.email ? "email" : "user_email", "invalid_email", "This is not an email address.");
  }
  for (auto* f : {&in.joined_on, &in.left_on}) {
    if (f->has_value() && !f->value.empty() && !text::IsIsoDate(f->value)) {
      fail(f == &in.joined_on ? "joined_on" : "left_on", "invalid_date", "A date such as 2024-09-30 is expected.");
    }
  }
  if (in.class_code.has_value() && !in.class_code.value.empty() && !IsCode(in.class_code.value)) {
    fail("class", "invalid_code", "A class code: lower-case letters, digits, - and _.");
  }
}

}  // namespace

std::string Members::Today() const { return FormatTimestamp(clock_.NowMicros()).substr(0, 10); }

Result<MemberClassInput> ParseMemberClass(const boost::json::value& body, bool create) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Invalid("", "not_an_object", "A JSON object is expected.");
  MemberClassInput in;
  in.code = r.Text("code", {.required = create, .nullable = false, .max_chars = 32});
  if (in.code.has_value() && !in.code.value.empty() && !IsCode(in.code.value)) {
    r.Fail("code", "invalid_code", "Lower-case letters, digits, - and _ (e.g. worker, user-members).");
  }
  in.name = r.Text("name", {.required = create, .nullable = false, .max_chars = 200});
  in.college_weight_percent = r.Integer("college_weight_percent", 0, 100);
  in.note = r.Text("note", {.max_chars = 1000, .multiline = true});
  SOLIDUM_TRY(r.Finish());
  return in;
}

Result<MemberInput> ParseMember(const boost::json::value& body, bool create) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Invalid("", "not_an_object", "A JSON object is expected.");
  MemberInput in;
  in.number = r.Text("number", {.max_chars = 40});
  in.kind = r.Text("kind", {.nullable = false, .max_chars = 20});
  in.name = r.Text("name", {.required = create, .nullable = false, .max_chars = 200});
  in.email = r.Text("email", {.max_chars = 254});
  in.phone = r.Text("phone", {.max_chars = 40});
  in.language = r.Text("language", {.nullable = false, .max_chars = 5});
  in.user_email = r.Text("user_email", {.max_chars = 254});
  in.class_code = r.Text("class", {.max_chars = 32});
  in.status = r.Text("status", {.nullable = false, .max_chars = 20});
  in.joined_on = r.Text("joined_on", {.nullable = false, .max_chars = 10});
  in.left_on = r.Text("left_on", {.max_chars = 10});
  in.note = r.Text("note", {.max_chars = kMemberNoteCharsMax, .multiline = true});
  in.member_organisation_id = r.Integer("member_organisation_id", 1, kIdMax);
  CheckShapes(in, [&](const std::string& f, std::string code, std::string msg) { r.Fail(f, std::move(code), std::move(msg)); });
  SOLIDUM_TRY(r.Finish());
  return in;
}

Result<std::vector<MemberClass>> Members::Classes(std::int64_t organisation) {
  return store::InTransaction<std::vector<MemberClass>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<MemberClass>> {
    SOLIDUM_TRY(OrganisationExists(conn, organisation));
    SOLIDUM_ASSIGN_OR_RETURN(
        auto rows, conn.Query("SELECT " + std::string(kClassColumns) +
                                  ", (SELECT COUNT(*) FROM members m WHERE m.class_id = c.id AND (m.left_on IS NULL OR m.left_on > ?)) "
                                  "FROM member_classes c WHERE c.organisation_id = ? ORDER BY c.code",
                              {Today(), organisation}));
    std::vector<MemberClass> out;
    for (const auto& row : rows) out.push_back(ClassFromRow(row));
    return out;
  });
}

Result<MemberClass> Members::CreateClass(std::int64_t organisation, const MemberClassInput& in) {
  const std::string now = Now(clock_);
  return store::InTransaction<MemberClass>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<MemberClass> {
    SOLIDUM_TRY(OrganisationExists(conn, organisation));
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) FROM member_classes WHERE organisation_id = ?", {organisation}));
    if (count->Int(0) >= static_cast<std::int64_t>(kMemberClassesMax)) {
      return Error::Make(ErrorKind::kConflict, "too_many_classes", "An organisation has at most " + std::to_string(kMemberClassesMax) + " member classes.");
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto same, conn.QueryOne("SELECT 1 FROM member_classes WHERE organisation_id = ? AND code = ?",
                                                      {organisation, in.code.value}));
    if (same) return Error::Make(ErrorKind::kConflict, "class_exists", "A member class with this code exists.");
    std::optional<std::int64_t> weight;
    if (in.college_weight_percent.has_value()) weight = in.college_weight_percent.value;
    SOLIDUM_TRY(CheckWeights(conn, organisation, 0, weight));
    SOLIDUM_ASSIGN_OR_RETURN(
        auto row, conn.QueryOne("INSERT INTO member_classes (organisation_id, code, name, college_weight_percent, note, created_at, "
                                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                {organisation, in.code.value, in.name.value, Opt(weight), in.note.has_value() ? in.note.value : std::string(),
                                 now, now}));
    SOLIDUM_ASSIGN_OR_RETURN(auto back, conn.QueryOne("SELECT " + std::string(kClassColumns) + " FROM member_classes c WHERE c.id = ?",
                                                      {row->Int(0)}));
    return ClassFromRow(*back);
  });
}

Result<MemberClass> Members::UpdateClass(std::int64_t organisation, std::int64_t id, std::int64_t expected_version,
                                         const MemberClassInput& in) {
  const std::string now = Now(clock_);
  return store::InTransaction<MemberClass>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<MemberClass> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kClassColumns) +
                                                         " FROM member_classes c WHERE c.id = ? AND c.organisation_id = ?",
                                                     {id, organisation}));
    if (!row) return Error::NotFound("No member class " + std::to_string(id) + " here.");
    MemberClass c = ClassFromRow(*row);
    if (c.version != expected_version) {
      return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch", "The class changed since you read it.");
    }
    if (in.code.has_value() && in.code.value != c.code) {
      SOLIDUM_ASSIGN_OR_RETURN(auto same, conn.QueryOne("SELECT 1 FROM member_classes WHERE organisation_id = ? AND code = ?",
                                                        {organisation, in.code.value}));
      if (same) return Error::Make(ErrorKind::kConflict, "class_exists", "A member class with this code exists.");
      c.code = in.code.value;
    }
    if (in.name.has_value()) c.name = in.name.value;
    if (in.note.present) c.note = in.note.has_value() ? in.note.value : std::string();
    if (in.college_weight_percent.present) {
      c.college_weight_percent = in.college_weight_percent.has_value() ? std::optional(in.college_weight_percent.value) : std::nullopt;
      SOLIDUM_TRY(CheckWeights(conn, organisation, id, c.college_weight_percent));
    }
    SOLIDUM_TRY(conn.Exec("UPDATE member_classes SET code = ?, name = ?, college_weight_percent = ?, note = ?, version = version + 1, "
                          "updated_at = ? WHERE id = ?",
                          {c.code, c.name, Opt(c.college_weight_percent), c.note, now, id}));
    c.version += 1;
    c.updated_at = now;
    return c;
  });
}

Members::Members(store::Store& store, const Clock& clock)
    : store_(store), clock_(clock), ids_of_user_(clock, limits::kAccessCacheMicros, limits::kAccessCacheEntriesMax) {}

Result<Member> Members::Create(std::int64_t organisation, const MemberInput& in, std::optional<std::int64_t> by) {
  const std::string now = Now(clock_);
  ForgetUserLinks forget{ids_of_user_};
  return store::InTransaction<Member>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Member> {
    SOLIDUM_TRY(OrganisationExists(conn, organisation));
    Member m;
    m.organisation_id = organisation;
    m.kind = "person";
    m.language = "en";
    m.status = "active";
    m.joined_on = Today();
    std::vector<FieldError> errors;
    SOLIDUM_TRY(Apply(conn, organisation, in, m, "/", errors));
    if (!errors.empty()) return FieldErrors(std::move(errors));
    SOLIDUM_TRY(CheckUnique(conn, m));
    SOLIDUM_ASSIGN_OR_RETURN(m.id, InsertMember(conn, m, now));
    SOLIDUM_TRY(RecordEvent(conn, m.id, now, by, "joined", Diff(Member{}, m)));
    SOLIDUM_ASSIGN_OR_RETURN(auto back, LoadMember(conn, organisation, m.id));
    return std::move(*back);
  });
}

Result<Member> Members::Get(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<Member>(store_, TxKind::kRead, [&](Conn& conn) -> Result<Member> {
    SOLIDUM_ASSIGN_OR_RETURN(auto m, LoadMember(conn, organisation, id));
    if (!m) return Error::NotFound("No member " + std::to_string(id) + " here.");
    return std::move(*m);
  });
}

Result<Member> Members::Update(std::int64_t organisation, std::int64_t id, std::int64_t expected_version, const MemberInput& in,
                               std::optional<std::int64_t> by) {
  const std::string now = Now(clock_);
  ForgetUserLinks forget{ids_of_user_};
  return store::InTransaction<Member>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Member> {
    SOLIDUM_ASSIGN_OR_RETURN(auto before, LoadMember(conn, organisation, id));
    if (!before) return Error::NotFound("No member " + std::to_string(id) + " here.");
    if (before->version != expected_version) {
      return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch", "The member's record changed since you read it.");
    }
    Member m = *before;
    std::vector<FieldError> errors;
    SOLIDUM_TRY(Apply(conn, organisation, in, m, "/", errors));
    if (!errors.empty()) return FieldErrors(std::move(errors));
    const auto changes = Diff(*before, m);
    if (changes.empty()) return std::move(*before);
    SOLIDUM_TRY(CheckUnique(conn, m));
    SOLIDUM_ASSIGN_OR_RETURN(bool updated, UpdateMember(conn, m, expected_version, now));
    if (!updated) return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch", "The member's record changed since you read it.");
    SOLIDUM_TRY(RecordEvent(conn, id, now, by, "changed", changes));
    SOLIDUM_ASSIGN_OR_RETURN(auto back, LoadMember(conn, organisation, id));
    return std::move(*back);
  });
}

Result<MemberPage> Members::List(std::int64_t organisation, const MemberQuery& q) {
  return store::InTransaction<MemberPage>(store_, TxKind::kRead, [&](Conn& conn) -> Result<MemberPage> {
    SOLIDUM_TRY(OrganisationExists(conn, organisation));
    std::string where = "WHERE m.organisation_id = ?";
    std::vector<Value> params{organisation};
    const std::string today = Today();
    if (q.filter == MemberFilter::kCurrent) {
      where += " AND (m.left_on IS NULL OR m.left_on > ?)";
      params.emplace_back(today);
    } else if (q.filter == MemberFilter::kLeft) {
      where += " AND m.left_on <= ?";
      params.emplace_back(today);
    }
    if (q.status) {
      where += " AND m.status = ?";
      params.emplace_back(*q.status);
    }
    if (q.class_code) {
      where += " AND c.code = ?";
      params.emplace_back(*q.class_code);
    }
    const std::string folded = text::Fold(q.text);
    if (!folded.empty()) {
      // Folded text holds no LIKE wildcards that matter: % and _ are punctuation, folded to spaces.
      where += " AND m.search_text LIKE ?";
      params.emplace_back("%" + folded + "%");
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto total, conn.QueryOne("SELECT COUNT(*)" + std::string(kMemberFrom) + where, params));
    std::vector<Value> page = params;
    page.emplace_back(static_cast<std::int64_t>(q.limit));
    page.emplace_back(q.offset);
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kMemberColumns) + std::string(kMemberFrom) + where +
                                                       " ORDER BY m.name, m.id LIMIT ? OFFSET ?",
                                                   page));
    MemberPage out;
    out.total = total->Int(0);
    for (const auto& row : rows) out.items.push_back(MemberFromRow(row));
    return out;
  });
}

Result<std::vector<MemberEvent>> Members::History(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<std::vector<MemberEvent>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<MemberEvent>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto m, LoadMember(conn, organisation, id));
    if (!m) return Error::NotFound("No member " + std::to_string(id) + " here.");
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id, at, by_user, kind, changes FROM member_events WHERE member_id = ? ORDER BY id",
                                                   {id}));
    std::vector<MemberEvent> out;
    for (const auto& row : rows) out.push_back({row.Int(0), row.Text(1), row.OptInt(2), row.Text(3), row.Text(4)});
    return out;
  });
}

Result<std::vector<std::int64_t>> Members::IdsOfUser(std::int64_t user_id) {
  auto load = [&]() -> Result<std::vector<std::int64_t>> {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT id FROM members WHERE user_id = ? ORDER BY id", {user_id}));
    std::vector<std::int64_t> ids;
    ids.reserve(rows.size());
    for (const auto& r : rows) ids.push_back(r.Int(0));
    return ids;
  };
  return ids_of_user_.GetOrLoad(user_id, load, [](const std::vector<std::int64_t>&) { return true; });
}

Result<std::vector<Membership>> Members::OfUser(std::int64_t user_id) {
  return store::InTransaction<std::vector<Membership>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Membership>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kMemberColumns) + ", o.name" + std::string(kMemberFrom) +
                                                       "JOIN organisations o ON o.id = m.organisation_id "
                                                       "WHERE m.user_id = ? AND o.deleted_at IS NULL ORDER BY o.name, m.joined_on",
                                                   {user_id}));
    std::vector<Membership> out;
    for (const auto& row : rows) out.push_back({MemberFromRow(row), row.Text(19)});
    return out;
  });
}

namespace {

// The register's columns, and the headers each goes by in the four languages (folded).
struct Column {
  const char* field;
  std::vector<std::string> headers;
};
const std::vector<Column>& Columns() {
  static const std::vector<Column> columns = {
      {"number", {"number", "member number", "numero", "numero de membre", "numero de socio", "numero de associado", "n"}},
      {"name", {"name", "nom", "nombre", "nome"}},
      {"kind", {"kind", "type", "tipo"}},
      {"class", {"class", "member class", "college", "classe", "clase", "categoria", "categorie"}},
      {"status", {"status", "statut", "estado", "situacao"}},
      {"joined_on", {"joined on", "joined", "date d adhesion", "adhesion", "fecha de alta", "alta", "data de adesao", "adesao"}},
      {"left_on", {"left on", "left", "date de sortie", "sortie", "fecha de baja", "baja", "data de saida", "saida"}},
      {"email", {"email", "e mail", "courriel", "correo", "correo electronico"}},
      {"phone", {"phone", "telephone", "telefono", "telefone"}},
      {"language", {"language", "langue", "idioma", "lingua"}},
      {"note", {"note", "notes", "nota", "notas", "remarque"}},
  };
  return columns;
}

}  // namespace

Result<MemberImportSummary> Members::Import(std::int64_t organisation, std::string_view csv, std::optional<std::int64_t> by) {
  ForgetUserLinks forget{ids_of_user_};
  if (!text::IsValidUtf8(csv)) return Error::Invalid("", "not_utf8", "The file is not UTF-8 text.");
  const std::size_t first_line_end = csv.find('\n');
  const std::string_view head = csv.substr(0, first_line_end);
  const char sep = std::count(head.begin(), head.end(), ';') > std::count(head.begin(), head.end(), ',') ? ';' : ',';
  CsvReader reader(csv, sep);
  CsvRecord rec;
  MemberImportSummary summary;
  auto first = reader.Next(rec);
  if (!first.ok()) return first.error();
  if (!*first) return Error::Invalid("line 1", "empty_file", "The file has no header line.");
  // Header: every column must be one of ours, once; name is required.
  std::vector<int> column_of(rec.fields.size(), -1);
  std::vector<bool> seen(Columns().size(), false);
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    const std::string h = text::Fold(rec.fields[i]);
    for (std::size_t c = 0; c < Columns().size(); ++c) {
      const auto& hs = Columns()[c].headers;
      if (std::find(hs.begin(), hs.end(), h) != hs.end()) column_of[i] = static_cast<int>(c);
    }
    if (column_of[i] < 0) {
      errors.push_back({"line 1/" + rec.fields[i], "unknown_column",
                        "Unknown column \"" + rec.fields[i] + "\"; expected: number, name, kind, class, status, joined_on, left_on, email, phone, language, note."});
    } else if (seen[static_cast<std::size_t>(column_of[i])]) {
      errors.push_back({"line 1/" + rec.fields[i], "duplicate_column", "This column appears twice."});
    } else {
      seen[static_cast<std::size_t>(column_of[i])] = true;
    }
  }
  if (!seen[1]) errors.push_back({"line 1", "missing_column", "The file needs a name column."});
  if (!errors.empty()) return FieldErrors(std::move(errors));

  struct Row {
    std::size_t line;
    MemberInput in;
    bool bad = false;  // a cell failed the shape checks: the store's checks still run, nothing is written
  };
  std::vector<Row> rows;
  while (true) {
    auto more = reader.Next(rec);
    if (!more.ok()) {
      errors.push_back({"line " + std::to_string(rec.line), "malformed_csv", more.error().message});
      continue;
    }
    if (!*more) break;
    if (rec.fields.size() == 1 && text::Trim(rec.fields[0]).empty()) continue;  // blank line
    if (rows.size() >= kMemberImportRowsMax) {
      return Error::Invalid("line " + std::to_string(rec.line), "too_many_rows",
                            "A file may hold at most " + std::to_string(kMemberImportRowsMax) + " members.");
    }
    const std::string prefix = "line " + std::to_string(rec.line) + "/";
    if (rec.fields.size() != column_of.size()) {
      errors.push_back({"line " + std::to_string(rec.line), "wrong_field_count",
                        std::to_string(rec.fields.size()) + " fields where the header has " + std::to_string(column_of.size()) + "."});
      continue;
    }
    Row row{rec.line, {}};
    const std::size_t errors_before = errors.size();
    MemberInput& in = row.in;
    json_fields::Field<std::string>* targets[] = {&in.number, &in.name, &in.kind, &in.class_code, &in.status, &in.joined_on,
                                                  &in.left_on, &in.email, &in.phone, &in.language, &in.note};
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
      auto& f = *targets[column_of[i]];
      // A register exported here comes back as it went out (its defused cells undone).
      const std::string_view v = text::UndoCsvDefuse(text::Trim(rec.fields[i]));
      const bool blank = v.empty();
      const std::string_view field = Columns()[static_cast<std::size_t>(column_of[i])].field;
      // Blank cells leave defaults (kind, status, language, joined_on) to their defaults.
      if (blank && (field == "kind" || field == "status" || field == "language" || field == "joined_on")) continue;
      f.present = true;
      f.is_null = blank;
      f.value = std::string(v);
      const std::size_t max = field == "note" ? kMemberNoteCharsMax : field == "email" ? 254 : 200;
      if (text::HasControlChars(v) && field != "note") errors.push_back({prefix + std::string(field), "control_chars", "Control characters are not allowed."});
      if (text::CodePointCount(v) > max) errors.push_back({prefix + std::string(field), "too_long", "At most " + std::to_string(max) + " characters."});
    }
    if (in.language.has_value()) in.language.value = text::AsciiLower(in.language.value);
    if (in.kind.has_value()) in.kind.value = text::AsciiLower(in.kind.value);
    CheckShapes(in, [&](const std::string& f, std::string code, std::string msg) {
      errors.push_back({prefix + f, std::move(code), std::move(msg)});
    });
    row.bad = errors.size() != errors_before;
    rows.push_back(std::move(row));
  }
  summary.read = rows.size();
  // The store's checks (classes, numbers, open memberships) run on every row too, in a
  // transaction rolled back if anything is wrong, so that one answer names every problem.
  const std::string now = Now(clock_);
  const std::string today = Today();
  auto written = store::InTransaction<MemberImportSummary>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<MemberImportSummary> {
    SOLIDUM_TRY(OrganisationExists(conn, organisation));
    MemberImportSummary s = summary;
    s.errors = errors;
    std::map<std::string, std::size_t> numbers;  // in this file, to refuse a number twice
    for (const Row& row : rows) {
      const std::string prefix = "line " + std::to_string(row.line) + "/";
      std::optional<Member> existing;
      if (row.in.number.has_value() && !row.in.number.value.empty()) {
        if (auto [it, fresh] = numbers.emplace(row.in.number.value, row.line); !fresh) {
          s.errors.push_back({prefix + "number", "duplicate_number", "Member number also on line " + std::to_string(it->second) + "."});
          continue;
        }
        SOLIDUM_ASSIGN_OR_RETURN(auto found, conn.QueryOne("SELECT id FROM members WHERE organisation_id = ? AND number = ?",
                                                           {organisation, row.in.number.value}));
        if (found) {
          SOLIDUM_ASSIGN_OR_RETURN(existing, LoadMember(conn, organisation, found->Int(0)));
        }
      }
      Member m;
      if (existing) {
        m = *existing;
      } else {
        m.organisation_id = organisation;
        m.kind = "person";
        m.language = "en";
        m.status = "active";
        m.joined_on = today;
      }
      const std::size_t before_errors = s.errors.size();
      SOLIDUM_TRY(Apply(conn, organisation, row.in, m, prefix, s.errors));
      if (s.errors.size() != before_errors || row.bad) continue;
      auto unique = CheckUnique(conn, m);
      if (!unique.ok()) {
        s.errors.push_back({prefix + "number", unique.error().code, unique.error().message});
        continue;
      }
      if (existing) {
        const auto changes = Diff(*existing, m);
        if (changes.empty()) {
          ++s.unchanged;
          continue;
        }
        SOLIDUM_ASSIGN_OR_RETURN(bool updated, UpdateMember(conn, m, existing->version, now));
        if (!updated) return Error::Internal("member changed under the import's write lock");
        SOLIDUM_TRY(RecordEvent(conn, m.id, now, by, "imported", changes));
        ++s.updated;
      } else {
        SOLIDUM_ASSIGN_OR_RETURN(m.id, InsertMember(conn, m, now));
        SOLIDUM_TRY(RecordEvent(conn, m.id, now, by, "imported", Diff(Member{}, m)));
        ++s.created;
      }
    }
    if (!s.errors.empty()) {
      // All or nothing: report every bad row, by line, and write none.
      std::stable_sort(s.errors.begin(), s.errors.end(), [](const FieldError& a, const FieldError& b) {
        return std::stoull(a.field.substr(5)) < std::stoull(b.field.substr(5));
      });
      return Error{ErrorKind::kInvalidInput, "import_refused", "", std::move(s.errors)};
    }
    return s;
  });
  if (!written.ok() && written.error().code == "import_refused") {
    summary.errors = written.error().fields;
    return summary;
  }
  return written;
}

Result<std::string> Members::ExportCsv(std::int64_t organisation) {
  return store::InTransaction<std::string>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::string> {
    SOLIDUM_TRY(OrganisationExists(conn, organisation));
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kMemberColumns) + std::string(kMemberFrom) +
                                                       "WHERE m.organisation_id = ? ORDER BY m.name, m.id",
                                                   {organisation}));
    std::string out = "number,name,kind,class,status,joined_on,left_on,email,phone,language,note\r\n";
    for (const auto& row : rows) {
      const Member m = MemberFromRow(row);
      const std::string cells[] = {m.number.value_or(""), m.name, m.kind, m.class_code.value_or(""), m.status, m.joined_on,
                                   m.left_on.value_or(""), m.email.value_or(""), m.phone.value_or(""), m.language, m.note};
      for (std::size_t i = 0; i < std::size(cells); ++i) {
        if (i > 0) out += ',';
        text::AppendCsvText(out, cells[i]);  // typed by people: no formulas for spreadsheets
      }
      out += "\r\n";
    }
    return out;
  });
}

}  // namespace solidum::governance
