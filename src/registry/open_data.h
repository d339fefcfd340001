// Open data formats in and out of the register. Readers turn a file into ImportRows (the
// API's JSON shape, with source and source_id) and report what they cannot read with its
// line; Organisations::Import then validates and stores them. Pure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "common/csv.h"
#include "common/result.h"
#include "registry/networks.h"
#include "registry/organisations.h"

namespace solidum::registry {

inline constexpr std::size_t kImportFileBytesMax = 256 * 1024 * 1024;
inline constexpr std::size_t kImportRowsMax = 1'000'000;

struct ReadResult {
  std::vector<ImportRow> rows;
  std::vector<RowRejection> rejected;  // what could not even be read
  std::vector<RowRejection> warnings;  // values left out of rows that were kept
  std::vector<std::string> ignored;    // columns or properties no field took
  std::vector<RelationshipRow> relationships;  // GeoJSON from Solidum carries them
  std::size_t read = 0;                // records seen (rows + rejected)
};

class TermResolver;

// Any other spreadsheet export (CSV; the separator , ; or tab is taken from the header
// line). Columns are matched to fields by their headers: common English, French, Spanish
// and Portuguese names (Name/Nom/Nombre/Nome, Country/Pays/País, Latitude, Website, ...),
// case and accents aside; `mapping` (header -> field, "" to leave a column out) overrides.
// Countries, legal forms, activities and membership types may be codes or names in any of
// the four languages (`terms`); a value that matches nothing is left out with a warning.
// Rows without an identifier column are keyed by name, country and locality.
// Errors: not UTF-8, no column for the name, a mapping to an unknown field.
Result<ReadResult> ReadSpreadsheetCsv(std::string_view data, std::string_view source,
                                      const std::vector<std::pair<std::string, std::string>>& mapping,
                                      const TermResolver& terms);

// The fields a spreadsheet column can be mapped to.
const std::vector<std::string>& SpreadsheetFields();

// A GeoJSON FeatureCollection of Point features. Properties named as Solidum's fields (as
// `solidum export --format geojson` writes them) are taken as they are; OpenStreetMap-style
// tags (addr:*, contact:*, description:<lang>) as TransforMap and others publish them are
// mapped. The identifier is the properties' source_id, _id or id, else the feature's id.
// A "relationships" property (as Solidum exports it) gives relationships whose object is
// {"source", "source_id"} or {"id"} (a feature of the same file); malformed ones are left
// out with a warning.
// Errors: not JSON, not a FeatureCollection.
Result<ReadResult> ReadGeoJson(std::string_view data, std::string_view source, const TermResolver& terms);

// Murmurations organisation profiles (organizations_schema-v1.0.0 and the fields of the
// Murmurations library): a JSON array of profiles, or an object with a "data" array (as
// the Murmurations index answers). Keyed by primary_url (or profile_url).
Result<ReadResult> ReadMurmurations(std::string_view data, std::string_view source, const TermResolver& terms);

// The ESSGLOBAL "standard" CSV (the Co-operative World Map layout): Identifier, Name,
// Description, Organisational Structure, Primary Activity, Activities (term URIs or codes),
// address columns, Country ID, Website, Phone, Email, Twitter, Facebook, Membership Type,
// Latitude/Longitude or else Geo Container Latitude/Longitude.
// Errors: the file is not UTF-8 text, or its header lacks Identifier or Name.
Result<ReadResult> ReadEssglobalCsv(std::string_view data, std::string_view source);

// The formats imports read: essglobal-csv, csv, geojson, murmurations.
const std::vector<std::string>& ImportFormats();
// Reads `data` in `format` (one of ImportFormats(); `mapping` is for csv only).
Result<ReadResult> ReadOpenData(std::string_view format, std::string_view data, std::string_view source,
                                const std::vector<std::pair<std::string, std::string>>& mapping,
                                const TermResolver& terms);

// The next data record of a CSV file with `fields` columns into `rec`; false at the end.
// Malformed records and records with another number of fields are counted in out.read
// and rejected there with their line; blank lines are skipped. Errors: too many rows.
Result<bool> NextCsvRow(CsvReader& reader, std::size_t fields, CsvRecord& rec, ReadResult& out);

// Adds `record` to out.rows as a row of (source, id): the readers' last step.
void KeepRow(ReadResult& out, std::size_t line, boost::json::object record, std::string_view source, std::string_view id);

// The last segment of a vocabulary term URI ("https://.../OS130" -> "OS130"), or the text.
std::string TermCode(std::string_view uri_or_code);

// "www.coop.example" -> "http://www.coop.example"; an absolute URL is kept.
std::string WithScheme(std::string_view url);

}  // namespace solidum::registry
