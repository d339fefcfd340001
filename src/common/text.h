// Text helpers for input from outside: UTF-8 validation, lengths in characters, trimming.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace solidum::text {

// For unordered containers keyed by std::string (with std::equal_to<>): finds by
// string_view too, without building a std::string per lookup.
struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s`.
std::size_t CodePointCount(std::string_view s);

// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

// True when `s` has a C0 control character other than tab, newline and carriage return.
bool HasControlChars(std::string_view s);

std::string AsciiLower(std::string_view s);

// Parses a decimal int64 with no sign other than '-', no spaces, no overflow.
std::optional<std::int64_t> ParseInt64(std::string_view s);

// Parses a finite decimal double with nothing around it (no spaces, no "inf"/"nan").
std::optional<double> ParseDouble(std::string_view s);

// For matching names people type: lower case, Latin accents and ligatures folded to ASCII
// ("Café-Crème" -> "cafe creme"), every run of punctuation and spaces one space, trimmed.
// Other scripts are kept as they are.
std::string Fold(std::string_view s);

// The letters that no diacritic removal folds (ligatures and letters of their own) spelled
// as PostgreSQL's unaccent spells them, in lower case: œ/Œ -> oe, æ -> ae, ø -> o, ł -> l,
// đ/ð -> d, ß/ẞ -> ss, þ -> th, ı -> i, ħ -> h, ŀ -> l, ŧ -> t, ĳ -> ij, ﬁ -> fi, ...
// Everything else is left as it is. Both stores' full text apply it, so that "coeur" finds
// "cœur" on either and they answer the same.
std::string FoldLetters(std::string_view s);

// A LIKE pattern (with ESCAPE '\') matching text that contains `part`: "%part%", with
// LIKE's own characters in `part` escaped.
std::string LikeContains(std::string_view part);

// True for a calendar date written YYYY-MM-DD (years 1000-9999, real days of real months).
bool IsIsoDate(std::string_view s);

// Appends `v` as one CSV field (RFC 4180): as it is, or in double quotes with inner quotes
// doubled when it holds a comma, a quote or a line break.
void AppendCsvField(std::string& out, std::string_view v);

// The same for text people typed (names, memos) in a file meant for spreadsheets: a value
// that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so
// that no spreadsheet runs it as a formula (OWASP's "CSV injection").
void AppendCsvText(std::string& out, std::string_view v);

// The inverse, for files people export and import back: "'=1+2" -> "=1+2" (only an
// apostrophe AppendCsvText would have added); anything else as it is.
std::string_view UndoCsvDefuse(std::string_view v);

// Base64url (RFC 4648 section 5) without padding.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace solidum::text
