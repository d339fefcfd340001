// Search on SQLite: FTS5 for text, an R*Tree for places, index tables for list fields.
#include <cmath>

#include "common/text.h"
#include "registry/search.h"

namespace solidum::registry::sqlite_search {

using store::Conn;
using store::Value;

namespace {

// The statements that fill the four indexes, for the organisations that `condition` (on
// o.id) selects. Migration 0003_search.sql fills them for all rows with the same SQL.
std::vector<std::string> IndexStatements(std::string_view condition) {
  std::string c(condition);
  return {
      R"(INSERT INTO organisations_fts (rowid, names, texts, activities, place)
SELECT o.id,
       o.name || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(o.other_names)), ''),
       o.description || ' ' || o.mission || ' ' ||
         COALESCE((SELECT group_concat(COALESCE(json_extract(value, '$.description'), '') || ' ' ||
                                       COALESCE(json_extract(value, '$.mission'), ''), ' ')
                   FROM json_each(o.translations)), ''),
       COALESCE((SELECT group_concat(a.label_en || ' ' || COALESCE(a.label_fr, '') || ' ' ||
                                     COALESCE(a.label_es, '') || ' ' || COALESCE(a.label_pt, ''), ' ')
                 FROM json_each(o.activities) j JOIN activities a ON a.code = j.value), ''),
       COALESCE(o.street, '') || ' ' || COALESCE(o.locality, '') || ' ' || COALESCE(o.region, '') || ' ' ||
         COALESCE(o.postcode, '')
FROM organisations o WHERE )" + c + " AND o.deleted_at IS NULL",
      "INSERT INTO organisations_geo (id, min_lon, max_lon, min_lat, max_lat) "
      "SELECT o.id, o.longitude, o.longitude, o.latitude, o.latitude FROM organisations o WHERE " + c +
          " AND o.deleted_at IS NULL AND o.latitude IS NOT NULL",
      "INSERT INTO organisation_activities (organisation_id, activity) "
      "SELECT o.id, j.value FROM organisations o, json_each(o.activities) j WHERE " + c + " AND o.deleted_at IS NULL",
      "INSERT INTO organisation_sdgs (organisation_id, sdg) "
      "SELECT o.id, j.value FROM organisations o, json_each(o.sdgs) j WHERE " + c + " AND o.deleted_at IS NULL",
  };
}

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kPi = 3.14159265358979323846;

// The SQL for "distance in km from (lat, lon)" with the two bound as ?, ? (haversine).
constexpr std::string_view kDistanceSql =
    "(2 * 6371.0088 * asin(sqrt(pow(sin(radians(o.latitude - ?) / 2), 2) + "
    "cos(radians(?)) * cos(radians(o.latitude)) * pow(sin(radians(o.longitude - ?) / 2), 2))))";

void AppendIn(std::string& sql, std::vector<Value>& params, std::string_view column,
              const std::vector<std::string>& values) {
  sql += " AND ";
  sql += column;
  sql += " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.emplace_back(values[i]);
  }
  sql += ')';
}

// FROM and WHERE of a query, with its parameters, leaving out the filter named `skip`
// (so that a facet counts what choosing another of its values would give).
struct Where {
  std::string sql;
  std::vector<Value> params;
};

Where BuildWhere(const SearchQuery& q, const std::string& fts, std::string_view skip = "") {
  Where w;
  w.sql = " FROM organisations o";
  if (!fts.empty()) {
    w.sql += " JOIN organisations_fts f ON f.rowid = o.id AND organisations_fts MATCH ?";
    w.params.emplace_back(fts);
  }
  w.sql += " WHERE o.deleted_at IS NULL";
  std::optional<BoundingBox> box = q.bbox;
  if (q.near) {
    // The radius's bounding box first (R*Tree), then the exact distance.
    double dlat = q.near->km / kEarthRadiusKm * 180 / kPi;
    double coslat = std::cos(q.near->lat * kPi / 180);
    double dlon = coslat < 1e-6 ? 180 : std::min(180.0, dlat / coslat);
    BoundingBox nb{q.near->lon - dlon, q.near->lat - dlat, q.near->lon + dlon, q.near->lat + dlat};
    if (box) {
      box->min_lon = std::max(box->min_lon, nb.min_lon);
      box->min_lat = std::max(box->min_lat, nb.min_lat);
      box->max_lon = std::min(box->max_lon, nb.max_lon);
      box->max_lat = std::min(box->max_lat, nb.max_lat);
    } else {
      box = nb;
    }
  }
  if (box) {
    // A box across the antimeridian (near the date line) is two boxes.
    if (box->min_lon < -180 || box->max_lon > 180) {
      double west = box->min_lon < -180 ? box->min_lon + 360 : box->max_lon - 360;
      w.sql += " AND o.id IN (SELECT id FROM organisations_geo WHERE min_lat >= ? AND max_lat <= ? AND "
               "((min_lon >= ? AND max_lon <= ?) OR (min_lon >= ? AND max_lon <= ?)))";
      w.params.insert(w.params.end(), {box->min_lat, box->max_lat, std::max(-180.0, box->min_lon),
                                       std::min(180.0, box->max_lon),
                                       box->min_lon < -180 ? west : -180.0, box->min_lon < -180 ? 180.0 : west});
    } else {
      w.sql += " AND o.id IN (SELECT id FROM organisations_geo WHERE min_lon >= ? AND max_lon <= ? AND "
               "min_lat >= ? AND max_lat <= ?)";
      w.params.insert(w.params.end(), {box->min_lon, box->max_lon, box->min_lat, box->max_lat});
    }
  }
  if (q.near) {
    w.sql += " AND ";
    w.sql += kDistanceSql;
    w.sql += " <= ?";
    w.params.insert(w.params.end(), {q.near->lat, q.near->lat, q.near->lon, q.near->km});
  }
  if (!q.legal_forms.empty() && skip != "legal_form") AppendIn(w.sql, w.params, "o.legal_form", q.legal_forms);
  if (!q.countries.empty() && skip != "country") AppendIn(w.sql, w.params, "o.country", q.countries);
  if (!q.statuses.empty() && skip != "status") AppendIn(w.sql, w.params, "o.status", q.statuses);
  if (!q.activities.empty() && skip != "activity") {
    w.sql += " AND o.id IN (SELECT organisation_id FROM organisation_activities WHERE 1";
    AppendIn(w.sql, w.params, "activity", q.activities);
    w.sql += ')';
  }
  if (!q.sdgs.empty() && skip != "sdg") {
    w.sql += " AND o.id IN (SELECT organisation_id FROM organisation_sdgs WHERE sdg IN (";
    for (std::size_t i = 0; i < q.sdgs.size(); ++i) {
      w.sql += i ? ", ?" : "?";
      w.params.emplace_back(q.sdgs[i]);
    }
    w.sql += "))";
  }
  return w;
}

}  // namespace

Result<void> Reindex(Conn& conn, std::int64_t id, bool fresh, std::vector<std::int64_t>* later) {
  if (!fresh) {
    SOLIDUM_TRY(conn.Exec("DELETE FROM organisations_fts WHERE rowid = ?", {id}));
    SOLIDUM_TRY(conn.Exec("DELETE FROM organisations_geo WHERE id = ?", {id}));
    SOLIDUM_TRY(conn.Exec("DELETE FROM organisation_activities WHERE organisation_id = ?", {id}));
    SOLIDUM_TRY(conn.Exec("DELETE FROM organisation_sdgs WHERE organisation_id = ?", {id}));
  }
  if (later) {
    later->push_back(id);
    return Ok();
  }
  static const std::vector<std::string> kOne = IndexStatements("o.id = ?");
  for (const auto& sql : kOne) SOLIDUM_TRY(conn.Exec(sql, {id}));
  return Ok();
}

Result<void> IndexMany(Conn& conn, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return Ok();
  static const std::vector<std::string> kMany = IndexStatements("o.id IN (SELECT value FROM json_each(?))");
  std::string list = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) list += (i ? "," : "") + std::to_string(ids[i]);
  list += ']';
  for (const auto& sql : kMany) SOLIDUM_TRY(conn.Exec(sql, {list}));
  return Ok();
}

Result<SearchResult> Search(Conn& conn, const SearchQuery& q) {
  std::string fts = FtsQuery(q.text);
  SearchResult result;
  if (!q.text.empty() && fts.empty()) return result;  // only punctuation: nothing can match
  Where w = BuildWhere(q, fts);

  SOLIDUM_ASSIGN_OR_RETURN(auto total, conn.Query("SELECT COUNT(*)" + w.sql, w.params));
  result.total = total.empty() ? 0 : total[0].Int(0);

  std::string sql = "SELECT o.id, o.version, o.doc, o.name" + w.sql;
  std::vector<Value> params = w.params;
  switch (q.sort) {
    case SearchSort::kId:
      sql += " AND o.id > ? ORDER BY o.id LIMIT ?";
      params.emplace_back(q.after_id);
      break;
    case SearchSort::kName:
      if (q.after_name) {
        sql += " AND (o.name > ? OR (o.name = ? AND o.id > ?))";
        params.insert(params.end(), {*q.after_name, *q.after_name, q.after_id});
      }
      sql += " ORDER BY o.name, o.id LIMIT ?";
      break;
    case SearchSort::kRelevance:
      sql += " ORDER BY bm25(organisations_fts, 10.0, 1.0, 2.0, 2.0), o.id LIMIT ? OFFSET ?";
      break;
    case SearchSort::kDistance:
      sql += " ORDER BY ";
      sql += kDistanceSql;
      sql += ", o.id LIMIT ? OFFSET ?";
      params.insert(params.end(), {q.near->lat, q.near->lat, q.near->lon});
      break;
  }
  params.emplace_back(std::int64_t{q.limit} + 1);
  if (q.sort == SearchSort::kRelevance || q.sort == SearchSort::kDistance) params.emplace_back(q.offset);
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, params));
  std::size_t n = std::min(rows.size(), static_cast<std::size_t>(q.limit));
  for (std::size_t i = 0; i < n; ++i) {
    // Every row written since migration 0002 has its document; older rows are re-rendered
    // by the caller (Organisations::Search), which sees json empty.
    result.items.push_back(Document{rows[i].Int(0), rows[i].Int(1), rows[i].OptText(2).value_or("")});
  }
  if (rows.size() > n && n > 0) {
    const auto& last = rows[n - 1];
    switch (q.sort) {
      case SearchSort::kId: result.next_cursor = text::Base64UrlEncode("id:" + std::to_string(last.Int(0))); break;
      case SearchSort::kName:
        result.next_cursor = text::Base64UrlEncode("name:" + std::to_string(last.Int(0)) + ":" + last.Text(3));
        break;
      default:
        result.next_cursor = text::Base64UrlEncode("offset:" + std::to_string(q.offset + static_cast<std::int64_t>(n)));
    }
  }

  if (q.facets) {
    struct Facet {
      const char* name;
      std::string select;  // value expression and its join
    };
    const Facet facets[] = {
        {"legal_form", "SELECT o.legal_form AS v, COUNT(*) AS n"},
        {"country", "SELECT o.country AS v, COUNT(*) AS n"},
        {"status", "SELECT o.status AS v, COUNT(*) AS n"},
        {"activity", "SELECT fa.activity AS v, COUNT(*) AS n"},
        {"sdg", "SELECT CAST(fs.sdg AS TEXT) AS v, COUNT(*) AS n"},
    };
    for (const auto& f : facets) {
      Where fw = BuildWhere(q, fts, f.name);
      std::string from = fw.sql;
      if (std::string_view(f.name) == "activity") {
        from.insert(from.find(" WHERE "), " JOIN organisation_activities fa ON fa.organisation_id = o.id");
      } else if (std::string_view(f.name) == "sdg") {
        from.insert(from.find(" WHERE "), " JOIN organisation_sdgs fs ON fs.organisation_id = o.id");
      }
      std::string fsql = f.select + from + " GROUP BY v HAVING v IS NOT NULL ORDER BY n DESC, v LIMIT " +
                         std::to_string(kFacetValuesMax);
      SOLIDUM_ASSIGN_OR_RETURN(auto frows, conn.Query(fsql, fw.params));
      auto& out = result.facets[f.name];
      for (const auto& r : frows) out.push_back({r.Text(0), r.Int(1)});
    }
  }
  return result;
}

}  // namespace solidum::registry::sqlite_search
