// The organisation record, informed by the ESSGLOBAL vocabulary and the Murmurations
// organisations schema, and its validation from JSON. Pure: no store here.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json_fields.h"
#include "common/json_write.h"
#include "common/result.h"

namespace solidum::registry {

inline constexpr const char* kStatuses[] = {"active", "in_planning", "closed"};

// The five principles shared by every text on the SSE (DOMAIN.md), as JSON keys.
inline constexpr const char* kPrinciples[] = {"purpose", "autonomy", "democracy", "people_before_capital",
                                              "participation"};
inline constexpr int kPrincipleScoreMin = 1;  // "not at all"
inline constexpr int kPrincipleScoreMax = 5;  // "fully"

struct Translation {
  std::string description;
  std::string mission;
};

struct Organisation {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> other_names;
  std::string description;                 // in `language`
  std::string mission;                     // in `language`
  std::optional<std::string> language;     // ISO 639-1 of name, description and mission
  std::map<std::string, Translation> translations;  // by ISO 639-1 code
  std::optional<std::string> legal_form;   // ESSGLOBAL organisational structure, e.g. "OS60"
  std::optional<std::string> primary_activity;  // ICA activity, e.g. "ICA10"
  std::vector<std::string> activities;     // ICA activities
  std::optional<std::string> membership_type;   // ESSGLOBAL base membership type, e.g. "BMT30"
  // Set for a network (an organisation that federates others): local, regional, national,
  // international (vocabulary network_scopes).
  std::optional<std::string> network_scope;
  std::optional<std::string> street;
  std::optional<std::string> locality;
  std::optional<std::string> region;
  std::optional<std::string> postcode;
  std::optional<std::string> country;      // ISO 3166-1 alpha-2, upper case
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<std::string> website;      // absolute http(s) URL
  std::vector<std::string> urls;           // other pages: social media, directories
  std::optional<std::string> email;        // public contact
  std::optional<std::string> phone;        // public contact
  std::vector<std::string> languages;      // ISO 639-1 codes the organisation works in
  std::optional<std::int64_t> founded_year;
  std::string status = "active";
  std::optional<std::int64_t> members;
  std::optional<std::int64_t> workers;
  std::optional<std::int64_t> volunteers;
  std::optional<std::int64_t> counts_year;  // the year members/workers/volunteers refer to
  std::vector<std::int64_t> sdgs;           // UN Sustainable Development Goals served, 1..17
  std::map<std::string, int> principles;    // self-assessment: principle -> 1..5
  std::optional<std::string> source;        // where the record came from (an import)
  std::optional<std::string> source_id;     // its identifier there
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

// What a client sends: each field absent (PATCH keeps it), null (PATCH clears it) or a value.
struct OrganisationChanges {
  template <typename T>
  using F = json_fields::Field<T>;
  F<std::string> name;
  F<std::vector<std::string>> other_names;
  F<std::string> description, mission, language;
  F<std::map<std::string, Translation>> translations;
  F<std::string> legal_form, primary_activity, membership_type, network_scope;
  F<std::vector<std::string>> activities;
  F<std::string> street, locality, region, postcode, country;
  F<double> latitude, longitude;
  F<std::string> website;
  F<std::vector<std::string>> urls;
  F<std::string> email, phone;
  F<std::vector<std::string>> languages;
  F<std::int64_t> founded_year;
  F<std::string> status;
  F<std::int64_t> members, workers, volunteers, counts_year;
  F<std::vector<std::int64_t>> sdgs;
  F<std::map<std::string, int>> principles;
  F<std::string> source, source_id;
};

enum class Mode { kCreate, kPatch };

// Validates shape and formats (not vocabulary membership: that needs the store).
// kCreate requires a name; kPatch accepts any subset (JSON merge patch, RFC 7396).
Result<OrganisationChanges> ParseOrganisation(const boost::json::value& body, Mode mode);

// Applies changes onto a record and checks the whole: latitude and longitude together,
// source and source_id together, the primary activity among the activities.
Result<void> Apply(const OrganisationChanges& changes, Organisation& org);

// The organisation as a JSON object, written straight into `w`.
void WriteJson(json_write::Writer& w, const Organisation& org);

// The strong ETag of a version: "\"v3\"".
std::string ETagOf(std::int64_t version);
// Parses an If-Match value into the version it names; nullopt for anything else.
std::optional<std::int64_t> VersionFromIfMatch(std::string_view if_match);

// True for a two-letter lower-case ISO 639-1 shape ("fr").
bool IsLanguageCode(std::string_view code);
// An absolute http or https URL with a host.
bool IsAbsoluteHttpUrl(std::string_view url);
// Upper-cases an ISO 3166-1 alpha-2 country code in place ("fr" -> "FR"); false when it is
// not two ASCII letters.
bool NormaliseCountryCode(std::string& code);

}  // namespace solidum::registry
