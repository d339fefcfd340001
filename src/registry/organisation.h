// The organisation record (the foundation slice: the register issue grows it) and its
// validation from JSON. Pure: no store here.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "common/json_fields.h"
#include "common/json_write.h"
#include "common/result.h"

namespace solidum::registry {

inline constexpr const char* kStatuses[] = {"active", "in_planning", "closed"};

struct Organisation {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::optional<std::string> legal_form;  // ESSGLOBAL organisational structure code, e.g. "OS60"
  std::optional<std::string> country;     // ISO 3166-1 alpha-2, upper case
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<std::string> website;     // absolute http(s) URL
  std::string status = "active";
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

// The fields a client sends, each possibly absent (PATCH keeps it) or null (PATCH clears it).
struct OrganisationChanges {
  json_fields::Field<std::string> name;
  json_fields::Field<std::string> description;
  json_fields::Field<std::string> legal_form;
  json_fields::Field<std::string> country;
  json_fields::Field<double> latitude;
  json_fields::Field<double> longitude;
  json_fields::Field<std::string> website;
  json_fields::Field<std::string> status;
};

enum class Mode { kCreate, kPatch };

// Validates shape and formats (not vocabulary membership: that needs the store).
// kCreate requires a name; kPatch accepts any subset (JSON merge patch, RFC 7396).
Result<OrganisationChanges> ParseOrganisation(const boost::json::value& body, Mode mode);

// Applies changes onto a record and checks the whole (latitude and longitude together).
Result<void> Apply(const OrganisationChanges& changes, Organisation& org);

// The organisation as a JSON object, written straight into `w`.
void WriteJson(json_write::Writer& w, const Organisation& org);

// The strong ETag of a version: "\"v3\"".
std::string ETagOf(std::int64_t version);
// Parses an If-Match value into the version it names; nullopt for anything else.
std::optional<std::int64_t> VersionFromIfMatch(std::string_view if_match);

}  // namespace solidum::registry
