#include "registry/organisations.h"

#include "common/text.h"

namespace solidum::registry {

using store::Conn;
using store::Null;
using store::TxKind;
using store::Value;

namespace {

constexpr std::string_view kColumns =
    "id, name, description, legal_form, country, latitude, longitude, website, status, version, "
    "created_at, updated_at";

Organisation FromRow(const store::Row& r) {
  Organisation o;
  o.id = r.Int(0);
  o.name = r.Text(1);
  o.description = r.Text(2);
  o.legal_form = r.OptText(3);
  o.country = r.OptText(4);
  o.latitude = r.OptReal(5);
  o.longitude = r.OptReal(6);
  o.website = r.OptText(7);
  o.status = r.Text(8);
  o.version = r.Int(9);
  o.created_at = r.Text(10);
  o.updated_at = r.Text(11);
  return o;
}

template <typename T>
Value Opt(const std::optional<T>& v) {
  if (!v) return Null{};
  return Value(*v);
}

Result<std::optional<Organisation>> Load(Conn& conn, std::int64_t id) {
  static const std::string kSql =
      std::string("SELECT ") + std::string(kColumns) + " FROM organisations WHERE id = ? AND deleted_at IS NULL";
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(kSql, {id}));
  if (!row) return std::optional<Organisation>();
  return std::optional<Organisation>(FromRow(*row));
}

Error NotFound(std::int64_t id) { return Error::NotFound("No organisation " + std::to_string(id) + "."); }

Error VersionMismatch(std::int64_t current) {
  return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch",
                     "The organisation was changed by someone else (now at version " + std::to_string(current) +
                         "). Reload it and apply your change again.");
}

}  // namespace

Result<void> Organisations::CheckVocabulary(Conn& conn, const Organisation& org) {
  std::vector<FieldError> errors;
  if (org.legal_form) {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT 1 FROM legal_forms WHERE code = ?", {*org.legal_form}));
    if (!row) errors.push_back({"/legal_form", "unknown_term", "Not a known legal form code (see GET /api/v1/vocabularies/legal_forms)."});
  }
  if (org.country) {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT 1 FROM countries WHERE code = ?", {*org.country}));
    if (!row) errors.push_back({"/country", "unknown_term", "Not an ISO 3166-1 alpha-2 country code."});
  }
  if (errors.empty()) return Ok();
  return Error{ErrorKind::kInvalidInput, "validation_failed", "The request has invalid fields.", std::move(errors)};
}

Result<std::int64_t> Organisations::Insert(Conn& conn, const Organisation& org, std::optional<std::int64_t> creator) {
  SOLIDUM_TRY(CheckVocabulary(conn, org));
  SOLIDUM_ASSIGN_OR_RETURN(
      auto rows,
      conn.Query("INSERT INTO organisations (name, description, legal_form, country, latitude, longitude, "
                 "website, status, version, created_at, updated_at, created_by) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
                 {org.name, org.description, Opt(org.legal_form), Opt(org.country), Opt(org.latitude),
                  Opt(org.longitude), Opt(org.website), org.status, org.created_at, org.updated_at, Opt(creator)}));
  std::int64_t id = rows.at(0).Int(0);
  if (creator) SOLIDUM_TRY(identity_.Grant(conn, *creator, id, identity::Role::kAdmin));
  return id;
}

Result<Organisation> Organisations::Create(const OrganisationChanges& input, std::optional<std::int64_t> creator) {
  Organisation org;
  SOLIDUM_TRY(Apply(input, org));
  org.created_at = org.updated_at = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Organisation>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Organisation> {
    SOLIDUM_ASSIGN_OR_RETURN(org.id, Insert(conn, org, creator));
    return org;
  });
}

Result<std::vector<std::int64_t>> Organisations::CreateMany(const std::vector<Organisation>& orgs) {
  std::string now = FormatTimestamp(clock_.NowMicros());
  using Ids = std::vector<std::int64_t>;
  return store::InTransaction<Ids>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Ids> {
    Ids ids;
    ids.reserve(orgs.size());
    for (Organisation org : orgs) {
      org.created_at = org.updated_at = now;
      SOLIDUM_ASSIGN_OR_RETURN(auto id, Insert(conn, org, std::nullopt));
      ids.push_back(id);
    }
    return ids;
  });
}

Result<std::int64_t> Organisations::Count() {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT COUNT(*) FROM organisations WHERE deleted_at IS NULL", {}));
  return row->Int(0);
}

Result<Organisation> Organisations::Get(std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto org, Load(*conn, id));
  if (!org) return NotFound(id);
  return std::move(*org);
}

Result<Organisation> Organisations::Update(std::int64_t id, std::int64_t expected_version,
                                           const OrganisationChanges& changes) {
  return store::InTransaction<Organisation>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Organisation> {
    SOLIDUM_ASSIGN_OR_RETURN(auto current, Load(conn, id));
    if (!current) return NotFound(id);
    if (current->version != expected_version) return VersionMismatch(current->version);
    Organisation org = *current;
    SOLIDUM_TRY(Apply(changes, org));
    SOLIDUM_TRY(CheckVocabulary(conn, org));
    org.version = current->version + 1;
    org.updated_at = FormatTimestamp(clock_.NowMicros());
    // The version check in WHERE makes this a compare-and-set even across servers
    // sharing one database.
    SOLIDUM_ASSIGN_OR_RETURN(
        auto changed,
        conn.Exec("UPDATE organisations SET name = ?, description = ?, legal_form = ?, country = ?, latitude = ?, "
                  "longitude = ?, website = ?, status = ?, version = ?, updated_at = ? "
                  "WHERE id = ? AND version = ? AND deleted_at IS NULL",
                  {org.name, org.description, Opt(org.legal_form), Opt(org.country), Opt(org.latitude),
                   Opt(org.longitude), Opt(org.website), org.status, org.version, org.updated_at, id,
                   expected_version}));
    if (changed != 1) return VersionMismatch(current->version);
    return org;
  });
}

Result<void> Organisations::Delete(std::int64_t id, std::int64_t expected_version) {
  auto r = store::InTransaction<bool>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
    SOLIDUM_ASSIGN_OR_RETURN(auto current, Load(conn, id));
    if (!current) return NotFound(id);
    if (current->version != expected_version) return VersionMismatch(current->version);
    std::string now = FormatTimestamp(clock_.NowMicros());
    SOLIDUM_ASSIGN_OR_RETURN(auto changed,
                             conn.Exec("UPDATE organisations SET deleted_at = ?, updated_at = ?, version = version + 1 "
                                       "WHERE id = ? AND version = ? AND deleted_at IS NULL",
                                       {now, now, id, expected_version}));
    if (changed != 1) return VersionMismatch(current->version);
    return true;
  });
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Result<Page> Organisations::List(int limit, std::optional<std::string_view> cursor) {
  std::int64_t after = 0;
  if (cursor) {
    auto raw = text::Base64UrlDecode(*cursor);
    std::optional<std::int64_t> id;
    if (raw && raw->starts_with("id:")) id = text::ParseInt64(std::string_view(*raw).substr(3));
    if (!id || *id < 0) return Error::Invalid("?cursor", "invalid_cursor", "This cursor was not made by this server.");
    after = *id;
  }
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query(std::string("SELECT ") + std::string(kColumns) +
                                                      " FROM organisations WHERE deleted_at IS NULL AND id > ? "
                                                      "ORDER BY id LIMIT ?",
                                                  {after, std::int64_t{limit} + 1}));
  Page page;
  for (std::size_t i = 0; i < rows.size() && i < static_cast<std::size_t>(limit); ++i) {
    page.items.push_back(FromRow(rows[i]));
  }
  if (rows.size() > static_cast<std::size_t>(limit)) {
    page.next_cursor = text::Base64UrlEncode("id:" + std::to_string(page.items.back().id));
  }
  return page;
}

}  // namespace solidum::registry
