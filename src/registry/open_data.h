// Open data formats in and out of the register. Readers turn a file into ImportRows (the
// API's JSON shape, with source and source_id) and report what they cannot read with its
// line; Organisations::Import then validates and stores them. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "registry/organisations.h"

namespace solidum::registry {

inline constexpr std::size_t kImportFileBytesMax = 256 * 1024 * 1024;
inline constexpr std::size_t kImportRowsMax = 1'000'000;

struct ReadResult {
  std::vector<ImportRow> rows;
  std::vector<RowRejection> rejected;  // what could not even be read
  std::size_t read = 0;                // records seen (rows + rejected)
};

// The ESSGLOBAL "standard" CSV (the Co-operative World Map layout): Identifier, Name,
// Description, Organisational Structure, Primary Activity, Activities (term URIs or codes),
// address columns, Country ID, Website, Phone, Email, Twitter, Facebook, Membership Type,
// Latitude/Longitude or else Geo Container Latitude/Longitude.
// Errors: the file is not UTF-8 text, or its header lacks Identifier or Name.
Result<ReadResult> ReadEssglobalCsv(std::string_view data, std::string_view source);

// The last segment of a vocabulary term URI ("https://.../OS130" -> "OS130"), or the text.
std::string TermCode(std::string_view uri_or_code);

// "www.coop.example" -> "http://www.coop.example"; an absolute URL is kept.
std::string WithScheme(std::string_view url);

}  // namespace solidum::registry
