#include "library/resource.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "common/limits.h"
#include "registry/organisation.h"

namespace solidum::library {

static_assert((kBodyCharsMax + kSummaryCharsMax + kTitleCharsMax) * 4 < limits::kRequestBodyBytesMax / 2,
              "a full resource, escaped, must fit in a request's body");

namespace {

constexpr std::string_view kStageNames[] = {"draft", "in_review", "published", "archived"};

template <typename T>
boost::json::value ToJson(const T& v) {
  if constexpr (std::is_same_v<T, std::vector<OrganisationRef>>) {
    boost::json::array a;
    for (const auto& o : v) a.push_back(o.id);
    return a;
  } else if constexpr (std::is_same_v<T, std::vector<std::string>> || std::is_same_v<T, std::vector<std::int64_t>>) {
    return boost::json::value_from(v);
  } else {
    return boost::json::value(v);
  }
}

}  // namespace

std::vector<std::string> StringsOf(const std::string& json_array) {
  std::vector<std::string> out;
  const auto v = boost::json::parse(json_array);
  for (const auto& e : v.as_array()) out.emplace_back(e.as_string());
  return out;
}

std::vector<std::int64_t> IntegersOf(const std::string& json_array) {
  std::vector<std::int64_t> out;
  const auto v = boost::json::parse(json_array);
  for (const auto& e : v.as_array()) out.push_back(e.as_int64());
  return out;
}

bool IsThemeCode(std::string_view s) {
  if (s.empty() || s.size() > kThemeCodeCharsMax || !std::islower(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string_view StageName(Stage s) { return kStageNames[static_cast<int>(s)]; }

std::optional<Stage> ParseStage(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kStageNames[i] == name) return static_cast<Stage>(i);
  }
  return std::nullopt;
}

Result<ResourceChanges> ReadResource(const boost::json::value& body, bool creating) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Invalid("", "wrong_type", "A JSON object is expected.");
  ResourceChanges c;
  c.type = r.Text("type", {.required = creating, .nullable = false, .max_chars = 40});
  if (c.type.has_value() && std::find(std::begin(kTypes), std::end(kTypes), c.type.value) == std::end(kTypes)) {
    r.Fail("type", "unknown_term", "One of: good_practice, case_study, training_material, policy, research, toolkit.");
  }
  c.title = r.Text("title", {.required = creating, .nullable = false, .max_chars = kTitleCharsMax});
  if (c.title.has_value() && c.title.value.empty()) r.Fail("title", "required", "A resource has a title.");
  c.summary = r.Text("summary", {.max_chars = kSummaryCharsMax, .multiline = true});
  // Markdown: leading spaces mean something (code, nested lists), so the body is kept as written.
  c.body = r.Text("body", {.max_chars = kBodyCharsMax, .multiline = true, .trim = false});
  c.language = r.Text("language", {.required = creating, .nullable = false, .max_chars = 16});
  if (c.language.has_value() && !registry::IsLanguageCode(c.language.value)) {
    r.Fail("language", "invalid_language", "An ISO 639-1 code such as fr is expected.");
  }
  c.themes = r.TextList("themes", {.max_chars = kThemeCodeCharsMax}, kThemesMax);
  for (std::size_t i = 0; c.themes.has_value() && i < c.themes.value.size(); ++i) {
    if (!IsThemeCode(c.themes.value[i])) r.FailAt(r.PathOf("themes") + "/" + std::to_string(i), "unknown_theme", "Not a theme's code.");
  }
  c.sdgs = r.IntegerList("sdgs", 1, 17, 17);
  c.countries = r.TextList("countries", {.max_chars = 2}, kCountriesMax);
  for (std::size_t i = 0; c.countries.has_value() && i < c.countries.value.size(); ++i) {
    if (!registry::NormaliseCountryCode(c.countries.value[i])) {
      r.FailAt(r.PathOf("countries") + "/" + std::to_string(i), "invalid_country", "An ISO 3166-1 alpha-2 code is expected, such as FR.");
    }
  }
  c.organisations = r.IntegerList("organisations", 1, INT64_MAX, kOrganisationsMax);
  c.translation_of = r.Integer("translation_of", 1, INT64_MAX);
  SOLIDUM_TRY(r.Finish());
  if (c.countries.has_value()) {  // "fr" and "FR" are one country
    auto& list = c.countries.value;
    for (std::size_t i = 1; i < list.size(); ++i) {
      if (std::find(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(i), list[i]) != list.begin() + static_cast<std::ptrdiff_t>(i)) {
        return Error::Invalid("/countries/" + std::to_string(i), "duplicate", "This item is already in the list.");
      }
    }
  }
  return c;
}

void Apply(const ResourceChanges& c, Resource& r) {
  auto set = [](const auto& field, auto& target) {
    if (field.present) target = field.is_null ? std::decay_t<decltype(target)>{} : field.value;
  };
  set(c.type, r.type);
  set(c.title, r.title);
  set(c.summary, r.summary);
  set(c.body, r.body);
  set(c.language, r.language);
  set(c.themes, r.themes);
  set(c.sdgs, r.sdgs);
  set(c.countries, r.countries);
  if (c.organisations.present) {
    r.organisations.clear();
    for (auto id : c.organisations.value) r.organisations.push_back({id, ""});
  }
}

boost::json::object Diff(const Resource& before, const Resource& after) {
  boost::json::object out;
  auto field = [&](std::string_view name, const auto& from, const auto& to) {
    if (ToJson(from) != ToJson(to)) out[name] = boost::json::object{{"from", ToJson(from)}, {"to", ToJson(to)}};
  };
  field("type", before.type, after.type);
  field("title", before.title, after.title);
  field("summary", before.summary, after.summary);
  field("body", before.body, after.body);
  field("language", before.language, after.language);
  field("translation_group", before.translation_group, after.translation_group);
  field("themes", before.themes, after.themes);
  field("sdgs", before.sdgs, after.sdgs);
  field("countries", before.countries, after.countries);
  field("organisations", before.organisations, after.organisations);
  return out;
}

Result<void> CheckEditable(Stage stage, bool reviewer) {
  if (stage == Stage::kDraft || stage == Stage::kInReview || (stage == Stage::kPublished && reviewer)) return Ok();
  return Error::Make(ErrorKind::kConflict, "wrong_stage",
                     stage == Stage::kPublished ? "A published resource is corrected by the publisher's admins."
                                                : "An archived resource is not edited: restore it to a draft first.");
}

Result<void> CheckMove(Stage from, Stage to, bool reviewer) {
  using S = Stage;
  struct Move {
    S from, to;
    bool reviewers_only;
  };
  static constexpr Move kMoves[] = {
      {S::kDraft, S::kInReview, false},      // sent to review
      {S::kInReview, S::kDraft, false},      // taken back, or sent back with a note
      {S::kInReview, S::kPublished, true},   // published
      {S::kPublished, S::kDraft, true},      // unpublished for rework
      {S::kPublished, S::kArchived, true},   // out of the library, kept
      {S::kDraft, S::kArchived, true},       // abandoned
      {S::kArchived, S::kDraft, true},       // restored
  };
  for (const auto& m : kMoves) {
    if (m.from != from || m.to != to) continue;
    if (m.reviewers_only && !reviewer) {
      return Error::Make(ErrorKind::kForbidden, "reviewers_only", "Only the publisher's admins publish, unpublish, archive and restore.");
    }
    return Ok();
  }
  return Error::Make(ErrorKind::kConflict, "wrong_stage",
                     "A resource does not go from " + std::string(StageName(from)) + " to " + std::string(StageName(to)) + ".");
}

}  // namespace solidum::library
