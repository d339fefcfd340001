// Open data out: the register as ESSGLOBAL CSV, GeoJSON or Murmurations profiles.
#include "registry/export.h"

#include <boost/json.hpp>

#include "common/json_write.h"
#include "common/text.h"

namespace solidum::registry {

namespace {

constexpr std::string_view kEssglobal = "https://dev.lod.coop/essglobal/2.1/standard/";

std::string Number(double d) {
  std::string s;
  json_write::Writer(s).Double(d);
  return s;
}

boost::json::object RecordJson(const Organisation& o) {
  std::string json;
  json_write::Writer w(json);
  WriteJson(w, o);
  return boost::json::parse(json).as_object();
}

class EssglobalCsv : public Exporter {
 public:
  void Begin(std::string& out) override {
    out += "Identifier,Name,Description,Organisational Structure,Primary Activity,Activities,Street Address,Locality,"
           "Region,Postcode,Country ID,Website,Phone,Email,Twitter,Facebook,Membership Type,Latitude,Longitude\r\n";
  }
  void Add(const Organisation& o, const std::vector<ExportRelationship>&, std::string& out) override {
    auto term = [](std::string_view scheme, const std::optional<std::string>& code) {
      return code ? std::string(kEssglobal) + std::string(scheme) + "/" + *code : std::string();
    };
    std::string activities;
    for (const auto& a : o.activities) {
      if (o.primary_activity && a == *o.primary_activity) continue;
      activities += (activities.empty() ? "" : ";") + term("activities-ica", a);
    }
    std::string twitter, facebook;
    for (const auto& u : o.urls) {
      if (twitter.empty() && (u.find("twitter.com/") != std::string::npos || u.find("x.com/") != std::string::npos)) twitter = u;
      if (facebook.empty() && u.find("facebook.com/") != std::string::npos) facebook = u;
    }
    const std::string fields[] = {
        o.source_id.value_or(std::to_string(o.id)),
        o.name,
        o.description,
        term("organisational-structure", o.legal_form),
        term("activities-ica", o.primary_activity),
        activities,
        o.street.value_or(""),
        o.locality.value_or(""),
        o.region.value_or(""),
        o.postcode.value_or(""),
        o.country.value_or(""),
        o.website.value_or(""),
        o.phone.value_or(""),
        o.email.value_or(""),
        twitter,
        facebook,
        term("base-membership-type", o.membership_type),
        o.latitude ? Number(*o.latitude) : "",
        o.longitude ? Number(*o.longitude) : "",
    };
    for (std::size_t i = 0; i < std::size(fields); ++i) {
      if (i) out += ',';
      text::AppendCsvField(out, fields[i]);
    }
    out += "\r\n";
  }
  void End(std::string&) override {}
};

boost::json::value Nullable(const std::optional<std::string>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

class GeoJson : public Exporter {
 public:
  void Begin(std::string& out) override { out += "{\"type\":\"FeatureCollection\",\"features\":["; }
  void Add(const Organisation& o, const std::vector<ExportRelationship>& relationships, std::string& out) override {
    boost::json::object p;
    for (auto& kv : RecordJson(o)) {  // in the record's order, less what GeoJSON says elsewhere
      std::string_view k = kv.key();
      if (k == "id" || k == "version" || k == "created_at" || k == "updated_at" || k == "latitude" || k == "longitude") continue;
      if (!o.source && (k == "source" || k == "source_id")) continue;
      p[k] = std::move(kv.value());
    }
    if (!relationships.empty()) {
      boost::json::array rels;
      for (const auto& r : relationships) {
        boost::json::object object;
        if (r.object_source) object = {{"source", *r.object_source}, {"source_id", r.object_source_id}};
        else object = {{"id", r.object_source_id}};
        rels.push_back({{"kind", r.kind}, {"object", std::move(object)}, {"role", Nullable(r.role)},
                        {"start_date", Nullable(r.start_date)}, {"end_date", Nullable(r.end_date)}, {"note", r.note}});
      }
      p["relationships"] = std::move(rels);
    }
    boost::json::object f{{"type", "Feature"}, {"id", o.id}};
    if (o.latitude && o.longitude) {
      f["geometry"] = {{"type", "Point"}, {"coordinates", boost::json::array{*o.longitude, *o.latitude}}};
    } else {
      f["geometry"] = nullptr;
    }
    f["properties"] = std::move(p);
    out += first_ ? "\n" : ",\n";
    first_ = false;
    out += json_write::Serialize(f);
  }
  void End(std::string& out) override { out += "\n]}\n"; }

 private:
  bool first_ = true;
};

class Murmurations : public Exporter {
 public:
  void Begin(std::string& out) override { out += "["; }
  void Add(const Organisation& o, const std::vector<ExportRelationship>&, std::string& out) override {
    boost::json::object p{{"linked_schemas", boost::json::array{"organizations_schema-v1.0.0"}}, {"name", o.name}};
    if (!o.other_names.empty()) p["nickname"] = o.other_names.front();
    if (o.website) p["primary_url"] = *o.website;
    if (!o.urls.empty()) {
      boost::json::array urls;
      for (const auto& u : o.urls) urls.push_back({{"name", ""}, {"url", u}});
      p["urls"] = std::move(urls);
    }
    if (!o.description.empty()) p["description"] = o.description;
    if (!o.mission.empty()) p["mission"] = o.mission;
    if (o.street) p["street_address"] = *o.street;
    if (o.locality) p["locality"] = *o.locality;
    if (o.region) p["region"] = *o.region;
    if (o.postcode) p["postal_code"] = *o.postcode;
    if (o.country) p["country_iso_3166"] = *o.country;
    if (o.latitude && o.longitude) p["geolocation"] = {{"lat", *o.latitude}, {"lon", *o.longitude}};
    if (o.email) p["email"] = *o.email;
    if (o.phone) p["telephone"] = *o.phone;
    if (o.founded_year) {
      // 1 January of the founding year, in seconds since 1970 (proleptic Gregorian).
      std::int64_t y = *o.founded_year - 1;
      std::int64_t days = 365 * (y - 1969) + (y / 4 - 1969 / 4) - (y / 100 - 1969 / 100) + (y / 400 - 1969 / 400);
      p["starts_at"] = days * 86400;
    }
    // Not in the Murmurations schemas (extra fields are allowed): where the record came
    // from, so that importing the export again finds the same organisations.
    p["source"] = o.source.value_or("solidum");
    p["source_id"] = o.source ? o.source_id.value_or("") : std::to_string(o.id);
    out += first_ ? "\n" : ",\n";
    first_ = false;
    out += json_write::Serialize(p);
  }
  void End(std::string& out) override { out += "\n]\n"; }

 private:
  bool first_ = true;
};

}  // namespace

const std::vector<std::string>& ExportFormats() {
  static const std::vector<std::string> kFormats{"essglobal-csv", "geojson", "murmurations"};
  return kFormats;
}

std::unique_ptr<Exporter> MakeExporter(std::string_view format) {
  if (format == "essglobal-csv") return std::make_unique<EssglobalCsv>();
  if (format == "geojson") return std::make_unique<GeoJson>();
  if (format == "murmurations") return std::make_unique<Murmurations>();
  return nullptr;
}

}  // namespace solidum::registry
