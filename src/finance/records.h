// Small helpers the finance modules that keep records in the store share (loans, shares,
// surplus allocations): their error shapes, dates as the store keeps them ("YYYY-MM-DD"),
// and text checks.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/text.h"
#include "finance/schedule.h"

namespace solidum::finance::records {

inline Error Conflict(std::string code, std::string message) { return Error::Make(ErrorKind::kConflict, std::move(code), std::move(message)); }
// The record changed since the caller read it (If-Match).
inline Error Stale(const std::string& what) {
  return Error::Make(ErrorKind::kPreconditionFailed, "version_mismatch", "The " + what + " changed since you read it: reload it.");
}

inline std::string Date(std::chrono::year_month_day d) { return FormatDate(d); }
// A date the store wrote (always valid); an invalid date for anything else.
inline std::chrono::year_month_day DateOf(const std::string& s) { return ParseDate(s).value_or(std::chrono::year_month_day{}); }
inline std::optional<std::chrono::year_month_day> OptDate(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return ParseDate(*s);
}

// Money is recorded once it has moved: a date after the latest "today" anywhere on Earth
// (UTC+14, so one day past today in UTC) is refused, naming `field`.
inline Result<void> NotInFuture(std::chrono::year_month_day d, std::int64_t now_micros, const char* field) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(now_micros)));
  if (std::chrono::sys_days(d) > today + std::chrono::days(1)) {
    return Error::Invalid(field, "in_future", "Not after today: record money once it has moved.");
  }
  return Ok();
}

// Valid UTF-8 of at most `max_chars` code points, without control characters (newlines
// and tabs allowed when `multiline`).
inline bool IsText(std::string_view s, std::size_t max_chars, bool multiline) {
  if (!text::IsValidUtf8(s) || text::CodePointCount(s) > max_chars) return false;
  if (!multiline) return !text::HasControlChars(s);
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t'; });
}

}  // namespace solidum::finance::records
