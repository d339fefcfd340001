// A resource of the library (issue 8): a good practice, a case study, training material,
// a policy or law, research, a toolkit, published by an organisation of the register.
// This file is pure: what a resource holds, how a request's JSON is read into a change
// (every bad field named at once), the editorial workflow's moves, and what a change
// changed (for the resource's history). The store's part is library.h.
//
// The workflow: draft -> in_review -> published, and archived. Editors of the publisher
// write drafts and send them to review (or take them back); its admins, the reviewers,
// publish, send back to draft, archive and restore, and may correct a published
// resource in place (each correction is in the history). Nobody edits an archived one.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_fields.h"
#include "common/result.h"

namespace solidum::library {

inline constexpr std::string_view kTypes[] = {"good_practice", "case_study", "training_material", "policy", "research", "toolkit"};
// The field's five themes (RIPESS and the Global Social Economy Forum group good
// practices by them); networks add their own (custom themes, library.h).
inline constexpr std::string_view kStandardThemes[] = {"territory_local_development", "collective_entrepreneurship",
                                                       "solidarity_finance_trade", "work_employment", "food_sovereignty"};

enum class Stage : std::uint8_t { kDraft, kInReview, kPublished, kArchived };
// A theme's code: lower-case ASCII letters, digits and _, starting with a letter, at most
// kThemeCodeCharsMax.
bool IsThemeCode(std::string_view code);

std::string_view StageName(Stage s);  // "draft", "in_review", "published", "archived"
std::optional<Stage> ParseStage(std::string_view name);

inline constexpr std::size_t kTitleCharsMax = 300;
inline constexpr std::size_t kSummaryCharsMax = 2'000;
inline constexpr std::size_t kBodyCharsMax = 100'000;  // a long case study is ~30,000
inline constexpr std::size_t kThemesMax = 10;
inline constexpr std::size_t kCountriesMax = 60;
inline constexpr std::size_t kOrganisationsMax = 50;
inline constexpr std::size_t kNoteCharsMax = 2'000;
inline constexpr std::size_t kThemeCodeCharsMax = 40;

struct OrganisationRef {
  std::int64_t id = 0;
  std::string name;
};

struct Translation {
  std::int64_t id = 0;
  std::string language, title;
  Stage stage = Stage::kDraft;
};

struct Resource {
  std::int64_t id = 0;
  OrganisationRef publisher;
  std::string type, title, summary, body, language;
  std::int64_t translation_group = 0;  // the id of the group's first resource (its own when alone)
  std::vector<std::string> themes;
  std::vector<std::int64_t> sdgs;
  std::vector<std::string> countries;  // ISO 3166-1 alpha-2, upper case
  std::vector<OrganisationRef> organisations;  // what it is about
  Stage stage = Stage::kDraft;
  std::int64_t version = 1;
  std::string created_at, updated_at;
  std::optional<std::string> published_at;
  std::vector<Translation> translations;  // the other resources of its group
};

// A request's fields; what is absent stays as it is.
struct ResourceChanges {
  json_fields::Field<std::string> type, title, summary, body, language;
  json_fields::Field<std::vector<std::string>> themes, countries;
  json_fields::Field<std::vector<std::int64_t>> sdgs, organisations;
  json_fields::Field<std::int64_t> translation_of;  // null: leave its group
};

// Reads a resource's fields from JSON. `creating` requires type, title and language.
// Checks what needs no store: lengths, types, theme codes' shape, language and country
// codes' shape, SDGs 1-17; the store checks that themes, organisations and translations
// exist (library.h). Errors name every bad field.
Result<ResourceChanges> ReadResource(const boost::json::value& body, bool creating);

// The JSON arrays the store keeps lists in (themes, countries; SDGs), as written by the store.
std::vector<std::string> StringsOf(const std::string& json_array);
std::vector<std::int64_t> IntegersOf(const std::string& json_array);

// Applies the changes' values (translation_of excepted: the store places the group).
void Apply(const ResourceChanges& changes, Resource& r);

// What changed between two states of a resource, for its history:
// {"title": {"from": "...", "to": "..."}, "themes": {"from": [...], "to": [...]}, ...}.
boost::json::object Diff(const Resource& before, const Resource& after);

// Whether the resource's content may change in this stage; reviewers may correct
// published resources. Errors: 409 wrong_stage.
Result<void> CheckEditable(Stage stage, bool reviewer);
// Whether this move is one of the workflow's. Errors: 409 wrong_stage (no such move),
// 403 reviewers_only (publishing, archiving, restoring, unpublishing).
Result<void> CheckMove(Stage from, Stage to, bool reviewer);

}  // namespace solidum::library
