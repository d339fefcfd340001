#include "library/library.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "common/assert.h"
#include "common/text.h"
#include "registry/organisation.h"

namespace solidum::library {

using store::Conn;
using store::Value;

namespace {

constexpr std::string_view kColumns =
    "r.id, r.publisher_id, p.name, r.type, r.title, r.summary, r.body, r.language, r.translation_group, r.themes, r.sdgs, "
    "r.countries, r.stage, r.version, r.created_at, r.updated_at, r.published_at";
// The same without the body, for lists.
constexpr std::string_view kListColumns =
    "r.id, r.publisher_id, p.name, r.type, r.title, r.summary, '', r.language, r.translation_group, r.themes, r.sdgs, "
    "r.countries, r.stage, r.version, r.created_at, r.updated_at, r.published_at";
constexpr std::string_view kFrom = " FROM library_resources r JOIN organisations p ON p.id = r.publisher_id ";

template <typename T>
std::string JsonOf(const std::vector<T>& list) {
  return boost::json::serialize(boost::json::value_from(list));
}

Resource ResourceOf(const store::Row& row) {
  Resource r;
  r.id = row.Int(0);
  r.publisher = {row.Int(1), row.Text(2)};
  r.type = row.Text(3);
  r.title = row.Text(4);
  r.summary = row.Text(5);
  r.body = row.Text(6);
  r.language = row.Text(7);
  r.translation_group = row.Int(8);
  r.themes = StringsOf(row.Text(9));
  r.sdgs = IntegersOf(row.Text(10));
  r.countries = StringsOf(row.Text(11));
  r.stage = ParseStage(row.Text(12)).value_or(Stage::kDraft);
  r.version = row.Int(13);
  r.created_at = row.Text(14);
  r.updated_at = row.Text(15);
  r.published_at = row.OptText(16);
  return r;
}

// The organisations it is about (by id) and the other resources of its group.
Result<void> LoadLinks(Conn& conn, Resource& r, bool published_only) {
  SOLIDUM_ASSIGN_OR_RETURN(auto orgs, conn.Query("SELECT o.id, o.name FROM library_resource_organisations l JOIN organisations o ON "
                                                 "o.id = l.organisation_id WHERE l.resource_id = ? ORDER BY o.id",
                                                 {r.id}));
  r.organisations.clear();
  for (const auto& o : orgs) r.organisations.push_back({o.Int(0), o.Text(1)});
  SOLIDUM_ASSIGN_OR_RETURN(auto group, conn.Query(std::string("SELECT id, language, title, stage FROM library_resources WHERE translation_group = ? "
                                                              "AND id <> ?") + (published_only ? " AND stage = 'published'" : "") +
                                                      " ORDER BY language, id",
                                                  {r.translation_group, r.id}));
  r.translations.clear();
  for (const auto& t : group) r.translations.push_back({t.Int(0), t.Text(1), t.Text(2), ParseStage(t.Text(3)).value_or(Stage::kDraft)});
  return Ok();
}

Result<std::optional<Resource>> Load(Conn& conn, std::int64_t id, bool published_only = false) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kColumns) + std::string(kFrom) + "WHERE r.id = ?", {id}));
  if (!row) return std::optional<Resource>();
  Resource r = ResourceOf(*row);
  SOLIDUM_TRY(LoadLinks(conn, r, published_only));
  return std::optional<Resource>(std::move(r));
}

Result<Resource> LoadOf(Conn& conn, std::int64_t publisher, std::int64_t id) {
  SOLIDUM_ASSIGN_OR_RETURN(auto r, Load(conn, id));
  if (!r || r->publisher.id != publisher) return Error::NotFound("No resource " + std::to_string(id) + " here.");
  return std::move(*r);
}

Error VersionMismatch() {
  return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch", "The resource changed since you read it.");
}

bool IsStandardTheme(std::string_view code) {
  return std::find(std::begin(kStandardThemes), std::end(kStandardThemes), code) != std::end(kStandardThemes);
}

// What only the store can check: the themes exist, the organisations are in the register.
Result<void> CheckReferences(Conn& conn, const Resource& r) {
  std::vector<FieldError> errors;
  std::vector<std::string> custom;
  for (const auto& t : r.themes) {
    if (!IsStandardTheme(t)) custom.push_back(t);
  }
  if (!custom.empty()) {
    SOLIDUM_ASSIGN_OR_RETURN(auto known, conn.Query("SELECT code FROM library_themes WHERE code IN (" +
                                                        std::string(store::JsonTexts(conn.backend())) + ")",
                                                    {JsonOf(custom)}));
    for (std::size_t i = 0; i < r.themes.size(); ++i) {
      const auto& t = r.themes[i];
      if (IsStandardTheme(t)) continue;
      const bool found = std::any_of(known.begin(), known.end(), [&](const store::Row& k) { return k.Text(0) == t; });
      if (!found) errors.push_back({"/themes/" + std::to_string(i), "unknown_theme", "No theme has this code."});
    }
  }
  if (!r.organisations.empty()) {
    std::vector<std::int64_t> ids;
    for (const auto& o : r.organisations) ids.push_back(o.id);
    SOLIDUM_ASSIGN_OR_RETURN(auto known, conn.Query("SELECT id FROM organisations WHERE deleted_at IS NULL AND id IN (" +
                                                        std::string(store::JsonIntegers(conn.backend())) + ")",
                                                    {store::JsonArray(ids)}));
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const bool found = std::any_of(known.begin(), known.end(), [&](const store::Row& k) { return k.Int(0) == ids[i]; });
      if (!found) errors.push_back({"/organisations/" + std::to_string(i), "unknown_organisation", "No organisation in the register has this id."});
    }
  }
  if (errors.empty()) return Ok();
  return Error::Invalid(std::move(errors));
}

// The group `r` is in after a change: `of`'s group when it joins `of` as its translation,
// a group of its own when it is new or `leave`s, its group otherwise; checked: `of` exists,
// and no other resource of the group is in r's language.
Result<std::int64_t> PlaceInGroup(Conn& conn, const Resource& r, std::optional<std::int64_t> of, bool leave) {
  std::int64_t group = leave || r.translation_group == 0 ? r.id : r.translation_group;
  if (of) {
    if (*of == r.id) return Error::Invalid("/translation_of", "unknown_resource", "A resource is not its own translation.");
    SOLIDUM_ASSIGN_OR_RETURN(auto target, conn.QueryOne("SELECT translation_group FROM library_resources WHERE id = ?", {*of}));
    if (!target) return Error::Invalid("/translation_of", "unknown_resource", "No resource has this id.");
    group = target->Int(0);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto same, conn.QueryOne("SELECT id FROM library_resources WHERE translation_group = ? AND language = ? AND id <> ?",
                                                    {group, r.language, r.id}));
  if (same) {
    return Error::Invalid("/language", "translation_exists",
                          "Resource " + std::to_string(same->Int(0)) + " is already this resource's translation in this language.");
  }
  return group;
}

Result<void> WriteOrganisations(Conn& conn, const Resource& r, bool fresh) {
  if (!fresh) SOLIDUM_TRY(conn.Exec("DELETE FROM library_resource_organisations WHERE resource_id = ?", {r.id}));
  std::vector<std::vector<Value>> rows;
  for (const auto& o : r.organisations) rows.push_back({r.id, o.id});
  if (!rows.empty()) SOLIDUM_TRY(conn.ExecMany("INSERT INTO library_resource_organisations (resource_id, organisation_id) VALUES (?, ?)", rows));
  return Ok();
}

Result<void> Record(Conn& conn, std::int64_t id, const std::string& at, std::int64_t user, std::string_view action, Stage stage,
                    const std::string& note, const boost::json::object& changes) {
  SOLIDUM_TRY(conn.Exec("INSERT INTO library_revisions (resource_id, n, at, user_id, action, stage, note, changes) "
                        "SELECT ?, COALESCE(MAX(n), 0) + 1, ?, ?, ?, ?, ?, ? FROM library_revisions WHERE resource_id = ?",
                        {id, at, user, std::string(action), std::string(StageName(stage)), note, boost::json::serialize(changes), id}));
  return Ok();
}

void SortOrganisations(Resource& r) {
  std::sort(r.organisations.begin(), r.organisations.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
}

// Whether `s` is 1-`max` characters of text without control characters.
bool IsLine(std::string_view s, std::size_t max) {
  return text::IsValidUtf8(s) && !text::Trim(s).empty() && text::CodePointCount(s) <= max && !text::HasControlChars(s) &&
         s.find_first_of("\r\n\t") == std::string_view::npos;
}

}  // namespace

Result<Resource> Library::Create(std::int64_t publisher, const ResourceChanges& fields, std::int64_t user) {
  Resource r;
  Apply(fields, r);
  SortOrganisations(r);
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Resource>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Resource> {
    SOLIDUM_TRY(CheckReferences(conn, r));
    std::optional<std::int64_t> of;
    if (fields.translation_of.has_value()) of = fields.translation_of.value;
    SOLIDUM_ASSIGN_OR_RETURN(
        auto row, conn.QueryOne("INSERT INTO library_resources (publisher_id, type, title, summary, body, language, translation_group, themes, "
                                "sdgs, countries, stage, version, created_at, created_by, updated_at, updated_by) "
                                "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 'draft', 1, ?, ?, ?, ?) RETURNING id",
                                {publisher, r.type, r.title, r.summary, r.body, r.language, JsonOf(r.themes), JsonOf(r.sdgs),
                                 JsonOf(r.countries), now, user, now, user}));
    r.id = row->Int(0);
    SOLIDUM_ASSIGN_OR_RETURN(auto group, PlaceInGroup(conn, r, of, false));
    SOLIDUM_TRY(conn.Exec("UPDATE library_resources SET translation_group = ? WHERE id = ?", {group, r.id}));
    SOLIDUM_TRY(WriteOrganisations(conn, r, true));
    SOLIDUM_TRY(search_store::Stamp(conn, r.id));
    SOLIDUM_ASSIGN_OR_RETURN(auto created, LoadOf(conn, publisher, r.id));
    SOLIDUM_TRY(Record(conn, r.id, now, user, "created", Stage::kDraft, "", Diff(Resource{}, created)));
    return created;
  });
}

Result<Resource> Library::Get(std::int64_t publisher, std::int64_t id) {
  return store::InTransaction<Resource>(store_, store::TxKind::kRead, [&](Conn& conn) { return LoadOf(conn, publisher, id); });
}

Result<Resource> Library::GetPublished(std::int64_t id) {
  return store::InTransaction<Resource>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<Resource> {
    SOLIDUM_ASSIGN_OR_RETURN(auto r, Load(conn, id, true));
    if (!r || r->stage != Stage::kPublished) return Error::NotFound("No published resource " + std::to_string(id) + ".");
    return std::move(*r);
  });
}

Result<Resource> Library::Change(std::int64_t publisher, std::int64_t id, std::int64_t version, const ResourceChanges& changes,
                                 std::int64_t user, bool reviewer) {
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Resource>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Resource> {
    SOLIDUM_ASSIGN_OR_RETURN(auto before, LoadOf(conn, publisher, id));
    if (before.version != version) return VersionMismatch();
    SOLIDUM_TRY(CheckEditable(before.stage, reviewer));
    Resource after = before;
    Apply(changes, after);
    SortOrganisations(after);
    SOLIDUM_TRY(CheckReferences(conn, after));
    const bool join = changes.translation_of.has_value();
    const bool leave = changes.translation_of.present && changes.translation_of.is_null;
    if (join || leave || after.language != before.language) {
      std::optional<std::int64_t> of;
      if (join) of = changes.translation_of.value;
      SOLIDUM_ASSIGN_OR_RETURN(after.translation_group, PlaceInGroup(conn, after, of, leave));
    }
    auto diff = Diff(before, after);
    // A group is named by its first resource's id: when that one leaves, the others take
    // the smallest id among them.
    if (before.translation_group == id && (leave || after.translation_group != id) && !before.translations.empty()) {
      boost::json::array others;
      for (const auto& t : before.translations) others.push_back(t.id);
      diff["translations"] = boost::json::object{{"from", std::move(others)}, {"to", boost::json::array()}};
      SOLIDUM_TRY(conn.Exec("UPDATE library_resources SET translation_group = (SELECT MIN(id) FROM library_resources WHERE "
                            "translation_group = ? AND id <> ?) WHERE translation_group = ? AND id <> ?",
                            {id, id, id, id}));
    }
    if (diff.empty()) return before;
    SOLIDUM_ASSIGN_OR_RETURN(
        auto updated, conn.Exec("UPDATE library_resources SET type = ?, title = ?, summary = ?, body = ?, language = ?, translation_group = ?, "
                                "themes = ?, sdgs = ?, countries = ?, version = version + 1, updated_at = ?, updated_by = ? "
                                "WHERE id = ? AND version = ?",
                                {after.type, after.title, after.summary, after.body, after.language, after.translation_group,
                                 JsonOf(after.themes), JsonOf(after.sdgs), JsonOf(after.countries), now, user, id, version}));
    if (updated == 0) return VersionMismatch();
    if (diff.contains("organisations")) SOLIDUM_TRY(WriteOrganisations(conn, after, false));
    SOLIDUM_TRY(search_store::Stamp(conn, id));
    SOLIDUM_TRY(Record(conn, id, now, user, "changed", after.stage, "", diff));
    return LoadOf(conn, publisher, id);
  });
}

Result<Resource> Library::Move(std::int64_t publisher, std::int64_t id, std::int64_t version, Stage to, const std::string& note,
                               std::int64_t user, bool reviewer) {
  if (!text::IsValidUtf8(note) || text::CodePointCount(note) > kNoteCharsMax) {
    return Error::Invalid("/note", "too_long", "At most " + std::to_string(kNoteCharsMax) + " characters.");
  }
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Resource>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Resource> {
    SOLIDUM_ASSIGN_OR_RETURN(auto before, LoadOf(conn, publisher, id));
    if (before.version != version) return VersionMismatch();
    SOLIDUM_TRY(CheckMove(before.stage, to, reviewer));
    SOLIDUM_ASSIGN_OR_RETURN(
        auto updated, conn.Exec("UPDATE library_resources SET stage = ?, version = version + 1, updated_at = ?, updated_by = ?, "
                                "published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at END WHERE id = ? AND version = ?",
                                {std::string(StageName(to)), now, user, std::string(StageName(to)), now, id, version}));
    if (updated == 0) return VersionMismatch();
    SOLIDUM_TRY(search_store::Stamp(conn, id));
    boost::json::object changes{{"stage", boost::json::object{{"from", StageName(before.stage)}, {"to", StageName(to)}}}};
    SOLIDUM_TRY(Record(conn, id, now, user, "moved", to, note, changes));
    return LoadOf(conn, publisher, id);
  });
}

Result<std::vector<Revision>> Library::History(std::int64_t publisher, std::int64_t id) {
  return store::InTransaction<std::vector<Revision>>(store_, store::TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Revision>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto owner, conn.QueryOne("SELECT 1 FROM library_resources WHERE id = ? AND publisher_id = ?", {id, publisher}));
    if (!owner) return Error::NotFound("No resource " + std::to_string(id) + " here.");
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT v.n, v.at, v.user_id, COALESCE(u.email, ''), v.action, v.stage, v.note, v.changes "
                                                   "FROM library_revisions v LEFT JOIN users u ON u.id = v.user_id "
                                                   "WHERE v.resource_id = ? ORDER BY v.n",
                                                   {id}));
    std::vector<Revision> out;
    for (const auto& row : rows) {
      out.push_back({row.Int(0), row.Text(1), row.OptInt(2), row.Text(3), row.Text(4), ParseStage(row.Text(5)).value_or(Stage::kDraft),
                     row.Text(6), row.Text(7)});
    }
    return out;
  });
}

Result<ResourcePage> Library::OfPublisher(std::int64_t publisher, std::optional<Stage> stage, int limit, std::optional<std::int64_t> before) {
  limit = std::clamp(limit, 1, kPageMax);
  std::string sql = "SELECT " + std::string(kListColumns) + std::string(kFrom) + "WHERE r.publisher_id = ?";
  std::vector<Value> params{publisher};
  if (stage) {
    sql += " AND r.stage = ?";
    params.emplace_back(std::string(StageName(*stage)));
  }
  if (before) {
    sql += " AND r.id < ?";
    params.emplace_back(*before);
  }
  sql += " ORDER BY r.id DESC LIMIT " + std::to_string(limit + 1);
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
  ResourcePage page;
  for (const auto& row : rows) {
    if (page.items.size() == static_cast<std::size_t>(limit)) {
      page.next_after = page.items.back().id;
      break;
    }
    page.items.push_back(ResourceOf(row));
  }
  return page;
}

Result<std::vector<Resource>> LoadPublished(Conn& conn, const std::vector<std::int64_t>& ids) {
  std::vector<Resource> out;
  if (ids.empty()) return out;
  const std::string list = store::JsonArray(ids);
  const std::string in = "(" + std::string(store::JsonIntegers(conn.backend())) + ")";
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kListColumns) + std::string(kFrom) + "WHERE r.stage = 'published' AND r.id IN " + in,
                                                 {list}));
  SOLIDUM_ASSIGN_OR_RETURN(auto others, conn.Query("SELECT g.translation_group, g.id, g.language, g.title FROM library_resources g "
                                                   "WHERE g.stage = 'published' AND g.translation_group IN (SELECT translation_group "
                                                   "FROM library_resources WHERE id IN " + in + ") ORDER BY g.language, g.id",
                                                   {list}));
  std::map<std::int64_t, Resource> by_id;
  for (const auto& row : rows) {
    Resource r = ResourceOf(row);
    by_id.emplace(r.id, std::move(r));
  }
  for (const auto& o : others) {
    for (auto& [id, r] : by_id) {
      if (r.translation_group == o.Int(0) && r.id != o.Int(1)) r.translations.push_back({o.Int(1), o.Text(2), o.Text(3), Stage::kPublished});
    }
  }
  for (auto id : ids) {
    auto it = by_id.find(id);
    if (it != by_id.end()) out.push_back(std::move(it->second));
  }
  return out;
}

Result<std::vector<Resource>> Library::About(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kListColumns) + std::string(kFrom) +
                                                      "JOIN library_resource_organisations l ON l.resource_id = r.id "
                                                      "WHERE l.organisation_id = ? AND r.stage = 'published' ORDER BY r.id DESC LIMIT " +
                                                      std::to_string(kPageMax),
                                                  {organisation}));
  std::vector<Resource> out;
  for (const auto& row : rows) out.push_back(ResourceOf(row));
  return out;
}

Result<std::vector<Theme>> Library::Themes() {
  std::vector<Theme> out;
  for (auto code : kStandardThemes) out.push_back({std::string(code), {}, true});
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT code, labels FROM library_themes ORDER BY code", {}));
  for (const auto& row : rows) {
    Theme t{row.Text(0), {}, false};
    const auto labels = boost::json::parse(row.Text(1));
    for (const auto& [k, v] : labels.as_object()) t.labels[std::string(k)] = std::string(v.as_string());
    out.push_back(std::move(t));
  }
  return out;
}

Result<Theme> Library::AddTheme(const Theme& theme, std::int64_t user) {
  std::vector<FieldError> errors;
  const auto& code = theme.code;
  if (!IsThemeCode(code)) errors.push_back({"/code", "invalid_code", "Lower-case letters, digits and _, starting with a letter; at most 40."});
  else if (IsStandardTheme(code)) errors.push_back({"/code", "theme_exists", "This is one of the standard themes."});
  if (theme.labels.empty() || theme.labels.size() > 20) errors.push_back({"/labels", "required", "Name the theme in 1 to 20 languages."});
  for (const auto& [lang, label] : theme.labels) {
    if (!registry::IsLanguageCode(lang)) {
      errors.push_back({"/labels/" + lang, "invalid_language", "An ISO 639-1 code such as fr is expected."});
    } else if (!IsLine(label, 100)) {
      errors.push_back({"/labels/" + lang, "invalid", "1 to 100 characters on one line."});
    }
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  Theme out{code, {}, false};
  for (const auto& [lang, label] : theme.labels) out.labels[lang] = std::string(text::Trim(label));
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Theme>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Theme> {
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*), SUM(CASE WHEN code = ? THEN 1 ELSE 0 END) FROM library_themes", {code}));
    if (count->OptInt(1).value_or(0) > 0) return Error::Invalid("/code", "theme_exists", "A theme has this code already.");
    if (count->Int(0) >= static_cast<std::int64_t>(kCustomThemesMax)) {
      return Error::Make(ErrorKind::kConflict, "too_many_themes", "At most " + std::to_string(kCustomThemesMax) + " themes of your own.");
    }
    SOLIDUM_TRY(conn.Exec("INSERT INTO library_themes (code, labels, created_at, created_by) VALUES (?, ?, ?, ?)",
                          {code, boost::json::serialize(boost::json::value_from(out.labels)), now, user}));
    return out;
  });
}

}  // namespace solidum::library
