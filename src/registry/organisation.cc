#include "registry/organisation.h"

#include <boost/url/parse.hpp>

#include <algorithm>

#include "common/limits.h"
#include "common/text.h"

namespace solidum::registry {

bool IsAbsoluteHttpUrl(std::string_view s) {
  auto u = boost::urls::parse_uri(s);
  if (!u) return false;
  std::string scheme = text::AsciiLower(std::string_view(u->scheme()));
  return (scheme == "http" || scheme == "https") && !u->encoded_host().empty();
}

bool NormaliseCountryCode(std::string& cc) {
  for (char& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return cc.size() == 2 && cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z';
}

bool IsLanguageCode(std::string_view code) {
  return code.size() == 2 && code[0] >= 'a' && code[0] <= 'z' && code[1] >= 'a' && code[1] <= 'z';
}

namespace {

constexpr std::size_t kListItemsMax = 20;
constexpr std::size_t kMissionCharsMax = 5000;

json_fields::TextRule Line(std::size_t max_chars) { return {.max_chars = max_chars}; }
json_fields::TextRule Code() { return {.max_chars = 16}; }

void CheckUrl(json_fields::ObjectReader& r, std::string_view key, const std::string& url) {
  if (!IsAbsoluteHttpUrl(url)) r.Fail(key, "invalid_url", "An absolute http or https URL is expected.");
}

bool IsPhone(std::string_view p) {
  int digits = 0;
  for (char c : p) {
    if (c >= '0' && c <= '9') ++digits;
    else if (std::string_view(" +-()./").find(c) == std::string_view::npos) return false;  // 0711/123456
  }
  return digits >= 3;
}

// A nested field's value, or nullptr when it is absent or null (then noted in `f`).
template <typename T>
const boost::json::value* TakeNested(json_fields::ObjectReader& r, std::string_view key, json_fields::Field<T>& f) {
  const auto* v = r.Raw(key);
  f.present = v != nullptr;
  f.is_null = f.present && v->is_null();
  return f.present && !f.is_null ? v : nullptr;
}

json_fields::Field<std::map<std::string, Translation>> ReadTranslations(json_fields::ObjectReader& r) {
  json_fields::Field<std::map<std::string, Translation>> f;
  const auto* v = TakeNested(r, "translations", f);
  if (!v) return f;
  const auto* obj = v->if_object();
  if (!obj) {
    r.Fail("translations", "wrong_type", "An object keyed by language code is expected.");
    f.present = false;
    return f;
  }
  if (obj->size() > kListItemsMax) {
    r.Fail("translations", "too_many", "At most " + std::to_string(kListItemsMax) + " languages.");
    f.present = false;
    return f;
  }
  bool ok = true;
  for (const auto& kv : *obj) {
    std::string lang(kv.key());
    json_fields::ObjectReader t(kv.value(), r.PathOf("translations") + "/" + json_fields::EscapePointerToken(lang));
    auto description = t.Text("description", {.max_chars = limits::kDescriptionCharsMax, .multiline = true});
    auto mission = t.Text("mission", {.max_chars = kMissionCharsMax, .multiline = true});
    if (!IsLanguageCode(lang)) {
      t.FailAt(t.path(), "invalid_language", "Keys are ISO 639-1 codes such as fr.");
    }
    if (!r.Merge(t)) {
      ok = false;
      continue;
    }
    f.value[lang] = Translation{description.value, mission.value};
  }
  if (!ok) f.present = false;
  return f;
}

json_fields::Field<std::map<std::string, int>> ReadPrinciples(json_fields::ObjectReader& r) {
  json_fields::Field<std::map<std::string, int>> f;
  const auto* v = TakeNested(r, "principles", f);
  if (!v) return f;
  json_fields::ObjectReader p(*v, r.PathOf("principles"));
  for (const char* name : kPrinciples) {
    auto score = p.Integer(name, kPrincipleScoreMin, kPrincipleScoreMax);
    if (score.has_value()) f.value[name] = static_cast<int>(score.value);
  }
  if (!r.Merge(p)) f.present = false;
  return f;
}

}  // namespace

Result<OrganisationChanges> ParseOrganisation(const boost::json::value& body, Mode mode) {
  json_fields::ObjectReader r(body);
  OrganisationChanges c;
  bool create = mode == Mode::kCreate;
  c.name = r.Text("name", {.required = create, .nullable = false, .max_chars = limits::kNameCharsMax});
  if (c.name.has_value() && c.name.value.empty()) r.Fail("name", "required", "This field is required.");
  c.other_names = r.TextList("other_names", Line(limits::kNameCharsMax), kListItemsMax);
  c.description = r.Text("description", {.max_chars = limits::kDescriptionCharsMax, .multiline = true});
  c.mission = r.Text("mission", {.max_chars = kMissionCharsMax, .multiline = true});
  c.language = r.Text("language", Code());
  if (c.language.has_value() && !IsLanguageCode(c.language.value)) {
    r.Fail("language", "invalid_language", "An ISO 639-1 code such as fr is expected.");
  }
  c.translations = ReadTranslations(r);
  c.legal_form = r.Text("legal_form", Code());
  c.primary_activity = r.Text("primary_activity", Code());
  c.activities = r.TextList("activities", Code(), 40);
  c.membership_type = r.Text("membership_type", Code());
  c.network_scope = r.Text("network_scope", Code());
  c.street = r.Text("street", {.max_chars = 500, .multiline = true});  // addresses have lines
  c.locality = r.Text("locality", Line(100));
  c.region = r.Text("region", Line(100));
  c.postcode = r.Text("postcode", Line(20));
  c.country = r.Text("country", {.max_chars = 2});
  if (c.country.has_value()) {
    if (!NormaliseCountryCode(c.country.value)) {
      r.Fail("country", "invalid_country", "An ISO 3166-1 alpha-2 code is expected, such as FR.");
    }
  }
  c.latitude = r.Number("latitude", -90, 90);
  c.longitude = r.Number("longitude", -180, 180);
  c.website = r.Text("website", Line(limits::kUrlBytesMax));
  if (c.website.has_value() && !c.website.value.empty()) CheckUrl(r, "website", c.website.value);
  c.urls = r.TextList("urls", Line(limits::kUrlBytesMax), kListItemsMax);
  for (std::size_t i = 0; i < c.urls.value.size(); ++i) {
    if (!IsAbsoluteHttpUrl(c.urls.value[i])) {
      r.FailAt(r.PathOf("urls") + "/" + std::to_string(i), "invalid_url", "An absolute http or https URL is expected.");
    }
  }
  c.email = r.Text("email", Line(limits::kEmailBytesMax));
  if (c.email.has_value() && !c.email.value.empty()) {
    auto at = c.email.value.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == c.email.value.size() ||
        c.email.value.find_first_of(" <>,;", 0) != std::string::npos) {
      r.Fail("email", "invalid_email", "This is not an email address.");
    }
  }
  c.phone = r.Text("phone", Line(40));
  if (c.phone.has_value() && !c.phone.value.empty() && !IsPhone(c.phone.value)) {
    r.Fail("phone", "invalid_phone", "Digits, spaces and + - ( ) . / only.");
  }
  c.languages = r.TextList("languages", Code(), kListItemsMax);
  for (std::size_t i = 0; i < c.languages.value.size(); ++i) {
    if (!IsLanguageCode(c.languages.value[i])) {
      r.FailAt(r.PathOf("languages") + "/" + std::to_string(i), "invalid_language",
               "An ISO 639-1 code such as fr is expected.");
    }
  }
  c.founded_year = r.Integer("founded_year", 1000, 2100);
  c.status = r.Text("status", {.nullable = false, .max_chars = 16});
  if (c.status.has_value()) {
    bool known = false;
    for (const char* st : kStatuses) known = known || c.status.value == st;
    if (!known) r.Fail("status", "unknown_term", "One of: active, in_planning, closed.");
  }
  constexpr std::int64_t kCountMax = 10'000'000'000;  // more than any organisation's members
  c.members = r.Integer("members", 0, kCountMax);
  c.workers = r.Integer("workers", 0, kCountMax);
  c.volunteers = r.Integer("volunteers", 0, kCountMax);
  c.counts_year = r.Integer("counts_year", 1800, 2100);
  c.sdgs = r.IntegerList("sdgs", 1, 17, 17);
  c.principles = ReadPrinciples(r);
  c.source = r.Text("source", Line(100));
  c.source_id = r.Text("source_id", Line(200));
  SOLIDUM_TRY(r.Finish());
  return c;
}

Result<void> Apply(const OrganisationChanges& c, Organisation& org) {
  auto set_opt = [](const auto& field, auto& target) {
    if (!field.present) return;
    if (field.is_null) target.reset();
    else target = field.value;
  };
  auto set_text_opt = [](const json_fields::Field<std::string>& field, std::optional<std::string>& target) {
    if (!field.present) return;
    if (field.is_null || field.value.empty()) target.reset();
    else target = field.value;
  };
  auto set_value = [](const auto& field, auto& target) {
    if (!field.present) return;
    target = field.is_null ? std::decay_t<decltype(target)>{} : field.value;
  };
  if (c.name.has_value()) org.name = c.name.value;
  set_value(c.other_names, org.other_names);
  set_value(c.description, org.description);
  set_value(c.mission, org.mission);
  set_text_opt(c.language, org.language);
  set_value(c.translations, org.translations);
  set_text_opt(c.legal_form, org.legal_form);
  set_text_opt(c.primary_activity, org.primary_activity);
  set_value(c.activities, org.activities);
  set_text_opt(c.membership_type, org.membership_type);
  set_text_opt(c.network_scope, org.network_scope);
  set_text_opt(c.street, org.street);
  set_text_opt(c.locality, org.locality);
  set_text_opt(c.region, org.region);
  set_text_opt(c.postcode, org.postcode);
  set_text_opt(c.country, org.country);
  set_opt(c.latitude, org.latitude);
  set_opt(c.longitude, org.longitude);
  set_text_opt(c.website, org.website);
  set_value(c.urls, org.urls);
  set_text_opt(c.email, org.email);
  set_text_opt(c.phone, org.phone);
  set_value(c.languages, org.languages);
  set_opt(c.founded_year, org.founded_year);
  if (c.status.has_value()) org.status = c.status.value;
  set_opt(c.members, org.members);
  set_opt(c.workers, org.workers);
  set_opt(c.volunteers, org.volunteers);
  set_opt(c.counts_year, org.counts_year);
  set_value(c.sdgs, org.sdgs);
  set_value(c.principles, org.principles);
  set_text_opt(c.source, org.source);
  set_text_opt(c.source_id, org.source_id);

  std::vector<FieldError> errors;
  if (org.latitude.has_value() != org.longitude.has_value()) {
    const char* missing = org.latitude ? "/longitude" : "/latitude";
    errors.push_back({missing, "required_with", "Latitude and longitude go together: give both or neither."});
  }
  if (org.source.has_value() != org.source_id.has_value()) {
    const char* missing = org.source ? "/source_id" : "/source";
    errors.push_back({missing, "required_with", "source and source_id go together: give both or neither."});
  }
  if (org.primary_activity && std::find(org.activities.begin(), org.activities.end(), *org.primary_activity) == org.activities.end()) {
    org.activities.insert(org.activities.begin(), *org.primary_activity);  // the primary activity is an activity
  }
  if (!errors.empty()) return Error{ErrorKind::kInvalidInput, "validation_failed", "The request has invalid fields.", std::move(errors)};
  return Ok();
}

void WriteJson(json_write::Writer& w, const Organisation& o) {
  auto strings = [&w](const std::vector<std::string>& v) {
    w.BeginArray();
    for (const auto& s : v) w.String(s);
    w.EndArray();
  };
  w.BeginObject();
  w.Key("id").Int(o.id);
  w.Key("name").String(o.name);
  w.Key("other_names");
  strings(o.other_names);
  w.Key("description").String(o.description);
  w.Key("mission").String(o.mission);
  w.Key("language").Optional(o.language);
  w.Key("translations").BeginObject();
  for (const auto& [lang, t] : o.translations) {
    w.Key(lang).BeginObject().Key("description").String(t.description).Key("mission").String(t.mission).EndObject();
  }
  w.EndObject();
  w.Key("legal_form").Optional(o.legal_form);
  w.Key("primary_activity").Optional(o.primary_activity);
  w.Key("activities");
  strings(o.activities);
  w.Key("membership_type").Optional(o.membership_type);
  w.Key("network_scope").Optional(o.network_scope);
  w.Key("street").Optional(o.street);
  w.Key("locality").Optional(o.locality);
  w.Key("region").Optional(o.region);
  w.Key("postcode").Optional(o.postcode);
  w.Key("country").Optional(o.country);
  w.Key("latitude").Optional(o.latitude);
  w.Key("longitude").Optional(o.longitude);
  w.Key("website").Optional(o.website);
  w.Key("urls");
  strings(o.urls);
  w.Key("email").Optional(o.email);
  w.Key("phone").Optional(o.phone);
  w.Key("languages");
  strings(o.languages);
  w.Key("founded_year").Optional(o.founded_year);
  w.Key("status").String(o.status);
  w.Key("members").Optional(o.members);
  w.Key("workers").Optional(o.workers);
  w.Key("volunteers").Optional(o.volunteers);
  w.Key("counts_year").Optional(o.counts_year);
  w.Key("sdgs").BeginArray();
  for (auto g : o.sdgs) w.Int(g);
  w.EndArray();
  w.Key("principles").BeginObject();
  for (const auto& [k, v] : o.principles) w.Key(k).Int(v);
  w.EndObject();
  w.Key("source").Optional(o.source);
  w.Key("source_id").Optional(o.source_id);
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
