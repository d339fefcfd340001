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

// Books of numbered records (a savings group's meetings, a tontine's rounds, a group loan's
// collection sheets), sent whole and in order, the number their idempotency key.
//
// The number and date of one sent: "/number" out_of_range, "/held_on" invalid_date or
// in_future.
inline Result<void> CheckNumbered(std::int64_t number, std::chrono::year_month_day held_on, std::int64_t now_micros) {
  if (number < 1) return Error::Invalid("/number", "out_of_range", "Numbered from 1.");
  if (!held_on.ok()) return Error::Invalid("/held_on", "invalid_date", "A date, YYYY-MM-DD.");
  return NotInFuture(held_on, now_micros, "/held_on");
}
// Where one goes in a book of `recorded`: true, a replay, when the one at `number` is the
// same (`same(index)`); kConflict `taken` when it is there with other content; "/number"
// out_of_order when it is not the next; false: it is the next.
template <typename Same>
Result<bool> Place(std::int64_t number, std::int64_t recorded, Same&& same, const char* taken, const std::string& what) {
  if (number <= recorded) {
    if (same(static_cast<std::size_t>(number - 1))) return true;
    return Conflict(taken, what + " " + std::to_string(number) + " is recorded with other lines; the next is " + std::to_string(recorded + 1) + ".");
  }
  if (number != recorded + 1) return Error::Invalid("/number", "out_of_order", "The next to record is " + std::to_string(recorded + 1) + ".");
  return false;
}
// Not before `after` (the previous one's date, or the book's start): "/held_on" before_previous.
inline Result<void> NotBefore(std::chrono::year_month_day held_on, std::chrono::year_month_day after) {
  if (std::chrono::sys_days(held_on) < std::chrono::sys_days(after)) {
    return Error::Invalid("/held_on", "before_previous", "Not before " + Date(after) + " (the start or the last one recorded).");
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
