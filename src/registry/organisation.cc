#include "registry/organisation.h"

#include <boost/url/parse.hpp>

#include "common/limits.h"
#include "common/text.h"

namespace solidum::registry {

namespace {

bool IsAbsoluteHttpUrl(const std::string& s) {
  auto u = boost::urls::parse_absolute_uri(s);
  if (!u) return false;
  std::string scheme = text::AsciiLower(std::string_view(u->scheme()));
  return (scheme == "http" || scheme == "https") && !u->encoded_host().empty();
}

}  // namespace

Result<OrganisationChanges> ParseOrganisation(const boost::json::value& body, Mode mode) {
  json_fields::ObjectReader r(body);
  OrganisationChanges c;
  bool create = mode == Mode::kCreate;
  c.name = r.Text("name", {.required = create, .nullable = false, .max_chars = limits::kNameCharsMax});
  if (c.name.has_value() && c.name.value.empty()) r.Fail("name", "required", "This field is required.");
  c.description = r.Text("description", {.nullable = true, .max_chars = limits::kDescriptionCharsMax, .multiline = true});
  c.legal_form = r.Text("legal_form", {.max_chars = 16});
  c.country = r.Text("country", {.max_chars = 2});
  if (c.country.has_value()) {
    std::string& cc = c.country.value;
    for (char& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (cc.size() != 2 || !std::isalpha(static_cast<unsigned char>(cc[0])) ||
        !std::isalpha(static_cast<unsigned char>(cc[1]))) {
      r.Fail("country", "invalid_country", "An ISO 3166-1 alpha-2 code is expected, such as FR.");
    }
  }
  c.latitude = r.Number("latitude", -90, 90);
  c.longitude = r.Number("longitude", -180, 180);
  c.website = r.Text("website", {.max_chars = limits::kUrlBytesMax});
  if (c.website.has_value() && !c.website.value.empty() && !IsAbsoluteHttpUrl(c.website.value)) {
    r.Fail("website", "invalid_url", "An absolute http or https URL is expected.");
  }
  c.status = r.Text("status", {.nullable = false, .max_chars = 16});
  if (c.status.has_value()) {
    bool known = false;
    for (const char* s : kStatuses) known = known || c.status.value == s;
    if (!known) r.Fail("status", "unknown_term", "One of: active, in_planning, closed.");
  }
  SOLIDUM_TRY(r.Finish());
  return c;
}

Result<void> Apply(const OrganisationChanges& c, Organisation& org) {
  auto set_opt = [](const auto& field, auto& target) {
    if (!field.present) return;
    if (field.is_null) target.reset();
    else target = field.value;
  };
  if (c.name.has_value()) org.name = c.name.value;
  if (c.description.present) org.description = c.description.is_null ? "" : c.description.value;
  set_opt(c.legal_form, org.legal_form);
  set_opt(c.country, org.country);
  set_opt(c.latitude, org.latitude);
  set_opt(c.longitude, org.longitude);
  set_opt(c.website, org.website);
  if (org.website && org.website->empty()) org.website.reset();
  if (c.status.has_value()) org.status = c.status.value;
  if (org.latitude.has_value() != org.longitude.has_value()) {
    const char* missing = org.latitude ? "longitude" : "latitude";
    return Error::Invalid(std::string("/") + missing, "required_with",
                          "Latitude and longitude go together: give both or neither.");
  }
  return Ok();
}

void WriteJson(json_write::Writer& w, const Organisation& o) {
  w.BeginObject();
  w.Key("id").Int(o.id);
  w.Key("name").String(o.name);
  w.Key("description").String(o.description);
  w.Key("legal_form").Optional(o.legal_form);
  w.Key("country").Optional(o.country);
  w.Key("latitude").Optional(o.latitude);
  w.Key("longitude").Optional(o.longitude);
  w.Key("website").Optional(o.website);
  w.Key("status").String(o.status);
  w.Key("version").Int(o.version);
  w.Key("created_at").String(o.created_at);
  w.Key("updated_at").String(o.updated_at);
  w.EndObject();
}

std::string ETagOf(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

std::optional<std::int64_t> VersionFromIfMatch(std::string_view v) {
  v = text::Trim(v);
  if (v.size() < 4 || v.front() != '"' || v.back() != '"' || v[1] != 'v') return std::nullopt;
  auto n = text::ParseInt64(v.substr(2, v.size() - 3));
  if (!n || *n < 1) return std::nullopt;
  return n;
}

}  // namespace solidum::registry
