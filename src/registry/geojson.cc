// GeoJSON and Murmurations in: JSON documents of organisations, mapped to the record.
#include <boost/json.hpp>

#include <cmath>
#include <ctime>
#include <set>

#include "common/text.h"
#include "registry/open_data.h"
#include "registry/terms.h"

namespace solidum::registry {

namespace {

// The record's own field names: properties named so are taken as they are (our export).
const std::set<std::string, std::less<>>& RecordFields() {
  static const std::set<std::string, std::less<>> kFields = {
      "name",       "other_names", "description",   "mission",      "language",  "translations", "legal_form",
      "primary_activity", "activities", "membership_type", "network_scope", "street", "locality", "region",
      "postcode",   "country",     "website",       "urls",         "email",     "phone",        "languages",
      "founded_year", "status",    "members",       "workers",      "volunteers", "counts_year", "sdgs",
      "principles"};
  return kFields;
}

Result<boost::json::value> ParseDocument(std::string_view data) {
  if (!text::IsValidUtf8(data)) return Error::Make(ErrorKind::kInvalidInput, "not_utf8", "The file is not UTF-8 text.");
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 64;
  auto v = boost::json::parse(data, ec, {}, opts);
  if (ec) return Error::Make(ErrorKind::kInvalidInput, "not_json", "The file is not JSON: " + ec.message() + ".");
  return v;
}

std::string_view Str(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? text::Trim(std::string_view(v->get_string())) : std::string_view();
}

// ISO 639-1 codes that tags sometimes write otherwise.
std::string LanguageOf(std::string_view tag) {
  if (tag == "gr") return "el";
  if (tag == "cz") return "cs";
  if (tag == "dk") return "da";
  return std::string(tag);
}

// The first of several numbers written in one field ("+34 976 205 333;+34 675 817 651").
std::string FirstPhone(std::string_view s) {
  auto cut = s.find_first_of(";,|");
  return std::string(text::Trim(s.substr(0, cut)));
}

std::string IdText(const boost::json::value& v) {
  if (v.is_string()) return std::string(text::Trim(std::string_view(v.get_string())));
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  return "";
}

// A feature's "relationships": [{kind, object: {source, source_id} | {id}, role, start_date,
// end_date, note}]. `file_source` names the organisations of this file that have no source.
void ReadRelationships(const boost::json::value& v, std::size_t number, const std::string& subject_source,
                       const std::string& subject_id, std::string_view file_source, ReadResult& out) {
  auto warn = [&](std::size_t i, const char* why) {
    out.warnings.push_back({number, "relationships[" + std::to_string(i) + "] " + why + "; left out"});
  };
  if (!v.is_array()) {
    out.warnings.push_back({number, "relationships is not an array; left out"});
    return;
  }
  constexpr std::size_t kPerFeatureMax = 10'000;
  std::size_t i = 0;
  for (const auto& rv : v.get_array()) {
    if (i == kPerFeatureMax) {
      out.warnings.push_back({number, "more than 10,000 relationships; the rest left out"});
      break;
    }
    const auto* r = rv.if_object();
    const auto* object = r ? r->if_contains("object") : nullptr;
    const auto* ob = object ? object->if_object() : nullptr;
    if (!r || Str(*r, "kind").empty() || !ob) {
      warn(i++, "needs a kind and an object");
      continue;
    }
    RelationshipRow row;
    row.line = number;
    row.subject_source = subject_source;
    row.subject_source_id = subject_id;
    row.kind = Str(*r, "kind");
    if (!Str(*ob, "source").empty() && ob->contains("source_id")) {
      row.object_source = Str(*ob, "source");
      row.object_source_id = IdText(ob->at("source_id"));
    } else if (ob->contains("id")) {
      row.object_source = file_source;
      row.object_source_id = IdText(ob->at("id"));
    }
    if (row.object_source_id.empty()) {
      warn(i++, "names its object by neither source and source_id nor id");
      continue;
    }
    auto opt = [&](std::string_view key) -> std::optional<std::string> {
      std::string_view s = Str(*r, key);
      return s.empty() ? std::nullopt : std::optional<std::string>(s);
    };
    row.role = opt("role");
    row.start_date = opt("start_date");
    row.end_date = opt("end_date");
    row.note = Str(*r, "note");
    out.relationships.push_back(std::move(row));
    ++i;
  }
}

}  // namespace

Result<ReadResult> ReadGeoJson(std::string_view data, std::string_view source, const TermResolver& terms) {
  SOLIDUM_ASSIGN_OR_RETURN(auto doc, ParseDocument(data));
  auto* root = doc.if_object();
  auto* features = root ? root->if_contains("features") : nullptr;
  if (!root || Str(*root, "type") != "FeatureCollection" || !features || !features->is_array()) {
    return Error::Make(ErrorKind::kInvalidInput, "not_a_feature_collection",
                       "This is not a GeoJSON FeatureCollection (type \"FeatureCollection\" with a \"features\" array).");
  }
  ReadResult out;
  std::set<std::string> ignored;
  std::size_t number = 0;
  for (const auto& fv : features->get_array()) {
    ++number;  // features are numbered from 1, as lines are
    ++out.read;
    if (out.read > kImportRowsMax) return Error::Make(ErrorKind::kInvalidInput, "too_many_rows", "More than 1,000,000 features.");
    auto reject = [&](std::string why) { out.rejected.push_back({number, std::move(why)}); };
    auto warn = [&](std::string what) { out.warnings.push_back({number, std::move(what)}); };
    const auto* f = fv.if_object();
    if (!f || Str(*f, "type") != "Feature") {
      reject("not a Feature");
      continue;
    }
    static const boost::json::object kNone;
    const auto* pv = f->if_contains("properties");
    const auto& p = pv && pv->is_object() ? pv->get_object() : kNone;
    boost::json::object o;
    boost::json::object translations;
    std::string street, housenumber, housename;
    for (const auto& kv : p) {
      std::string_view key = kv.key();
      const auto& value = kv.value();
      std::string_view s = value.is_string() ? text::Trim(std::string_view(value.get_string())) : std::string_view();
      if (RecordFields().contains(key)) {
        if (!value.is_null()) o[key] = value;
      } else if (key == "relationships") {
        // read below, once the feature's identifier is known
      } else if (key == "source" || key == "source_id" || key == "_id" || key == "id") {
        // identifiers, read below
      } else if (key == "addr:street") {
        street = s;
      } else if (key == "addr:housenumber") {
        housenumber = s;
      } else if (key == "addr:housename") {
        housename = s;
      } else if (key == "addr:city" || key == "addr:town" || key == "addr:village") {
        if (!s.empty() && !o.contains("locality")) o["locality"] = s;
      } else if (key == "addr:postcode") {
        if (!s.empty()) o["postcode"] = s;
      } else if (key == "addr:state" || key == "addr:province" || key == "addr:region") {
        if (!s.empty()) o["region"] = s;
      } else if (key == "addr:country") {
        if (s.empty()) continue;
        if (auto c = terms.Resolve("countries", s)) o["country"] = *c;
        else warn("country \"" + std::string(s) + "\" is not a known term; left empty");
      } else if (key == "contact:website" || key == "website" || key == "url" || key == "contact:url") {
        if (!s.empty() && !o.contains("website")) o["website"] = WithScheme(s);
      } else if (key == "contact:email" || key == "email") {
        if (!s.empty() && !o.contains("email")) o["email"] = s;
      } else if (key == "contact:phone" || key == "phone") {
        if (!s.empty() && !o.contains("phone")) o["phone"] = FirstPhone(s);
      } else if (key.starts_with("description:") && key.size() == 14) {
        if (!s.empty()) translations[LanguageOf(key.substr(12))] = {{"description", s}, {"mission", ""}};
      } else {
        ignored.insert(std::string(key));
      }
    }
    if (!street.empty() || !housename.empty()) {
      std::string full = housename;
      if (!street.empty()) full += (full.empty() ? "" : ", ") + street + (housenumber.empty() ? "" : " " + housenumber);
      if (!o.contains("street")) o["street"] = full;
    }
    if (!translations.empty() && !o.contains("translations")) o["translations"] = std::move(translations);
    const auto* g = f->if_contains("geometry");
    if (g && !g->is_null()) {
      const auto* go = g->if_object();
      const auto* coords = go ? go->if_contains("coordinates") : nullptr;
      if (!go || Str(*go, "type") != "Point" || !coords || !coords->is_array() || coords->get_array().size() < 2 ||
          !coords->get_array()[0].is_number() || !coords->get_array()[1].is_number()) {
        reject("its geometry is not a Point with two numbers (only places as points are kept)");
        continue;
      }
      double lon = coords->get_array()[0].to_number<double>(), lat = coords->get_array()[1].to_number<double>();
      if (!std::isfinite(lat) || !std::isfinite(lon) || std::abs(lat) > 90 || std::abs(lon) > 180) {
        reject("invalid coordinates [" + std::to_string(lon) + ", " + std::to_string(lat) + "]");
        continue;
      }
      o["latitude"] = lat;
      o["longitude"] = lon;
    }
    std::string src(Str(p, "source")), id;
    if (!src.empty() && p.contains("source_id")) id = IdText(p.at("source_id"));
    if (id.empty()) src = std::string(source);
    if (id.empty() && p.contains("_id")) id = IdText(p.at("_id"));
    if (id.empty() && p.contains("id")) id = IdText(p.at("id"));
    if (id.empty() && f->contains("id")) id = IdText(f->at("id"));
    if (id.empty()) {
      reject("has no identifier (properties source_id, _id or id, or the feature's id)");
      continue;
    }
    if (const auto* rels = p.if_contains("relationships"); rels && !rels->is_null()) {
      ReadRelationships(*rels, number, src, id, source, out);
    }
    KeepRow(out, number, std::move(o), src, id);
  }
  out.ignored.assign(ignored.begin(), ignored.end());
  return out;
}

Result<ReadResult> ReadMurmurations(std::string_view data, std::string_view source, const TermResolver& terms) {
  SOLIDUM_ASSIGN_OR_RETURN(auto doc, ParseDocument(data));
  const boost::json::array* profiles = doc.if_array();
  if (!profiles && doc.is_object() && doc.get_object().contains("data")) profiles = doc.get_object().at("data").if_array();
  if (!profiles) {
    return Error::Make(ErrorKind::kInvalidInput, "not_profiles",
                       "Expected a JSON array of Murmurations profiles, or an object with a \"data\" array.");
  }
  ReadResult out;
  std::set<std::string> ignored;
  std::size_t number = 0;
  for (const auto& pv : *profiles) {
    ++number;
    ++out.read;
    if (out.read > kImportRowsMax) return Error::Make(ErrorKind::kInvalidInput, "too_many_rows", "More than 1,000,000 profiles.");
    auto warn = [&](std::string what) { out.warnings.push_back({number, std::move(what)}); };
    const auto* p = pv.if_object();
    if (!p) {
      out.rejected.push_back({number, "not a JSON object"});
      continue;
    }
    boost::json::object o;
    for (const auto& kv : *p) {
      std::string_view key = kv.key();
      const auto& value = kv.value();
      std::string_view s = value.is_string() ? text::Trim(std::string_view(value.get_string())) : std::string_view();
      if (key == "name" || key == "description" || key == "mission" || key == "locality" || key == "region") {
        if (!s.empty()) o[key] = s;
      } else if (key == "nickname") {
        if (!s.empty()) o["other_names"] = boost::json::array{s};
      } else if (key == "primary_url") {
        if (!s.empty()) o["website"] = WithScheme(s);
      } else if (key == "urls" && value.is_array()) {
        boost::json::array urls;
        for (const auto& u : value.get_array()) {
          if (u.is_object() && u.get_object().contains("url") && u.get_object().at("url").is_string()) {
            urls.emplace_back(u.get_object().at("url").get_string());
          }
        }
        if (!urls.empty()) o["urls"] = std::move(urls);
      } else if (key == "postal_code") {
        if (!s.empty()) o["postcode"] = s;
      } else if (key == "street_address" || key == "full_address") {
        if (!s.empty() && !o.contains("street")) o["street"] = s;
      } else if (key == "country_iso_3166" || key == "country_name") {
        if (s.empty() || (key == "country_name" && o.contains("country"))) continue;
        if (auto c = terms.Resolve("countries", s)) o["country"] = *c;
        else warn(std::string(key) + " \"" + std::string(s) + "\" is not a known country; left empty");
      } else if (key == "geolocation" && value.is_object()) {
        const auto& g = value.get_object();
        if (g.contains("lat") && g.contains("lon") && g.at("lat").is_number() && g.at("lon").is_number()) {
          o["latitude"] = g.at("lat").to_number<double>();
          o["longitude"] = g.at("lon").to_number<double>();
        }
      } else if (key == "telephone") {
        if (!s.empty()) o["phone"] = FirstPhone(s);
      } else if (key == "email") {
        if (!s.empty()) o["email"] = s;
      } else if (key == "contact_details" && value.is_object()) {
        std::string_view e = Str(value.get_object(), "email");
        if (!e.empty()) o["email"] = e;
      } else if (key == "starts_at" && value.is_number()) {
        auto t = static_cast<std::time_t>(value.to_number<double>());
        std::tm tm{};
        gmtime_r(&t, &tm);
        o["founded_year"] = tm.tm_year + 1900;
      } else if (key == "linked_schemas" || key == "profile_url" || key == "last_updated" || key == "source_id" ||
                 key == "source") {
        // read below, or metadata
      } else {
        ignored.insert(std::string(key));
      }
    }
    std::string src(Str(*p, "source")), id;
    if (!src.empty()) id = std::string(Str(*p, "source_id"));
    if (id.empty()) {
      src = std::string(source);
      id = std::string(Str(*p, "primary_url"));
    }
    if (id.empty()) id = std::string(Str(*p, "profile_url"));
    if (id.empty()) {
      out.rejected.push_back({number, "has no primary_url (the profile's identifier)"});
      continue;
    }
    KeepRow(out, number, std::move(o), src, id);
  }
  out.ignored.assign(ignored.begin(), ignored.end());
  return out;
}

}  // namespace solidum::registry
