// iCalendar (RFC 5545) for events: one VEVENT per item, times as UTC instants (so any
// calendar shows them right without a VTIMEZONE), text escaped and lines folded at 75
// octets by libical, CRLF line ends. The event's own zone is named in the description,
// since that is the time the programme is printed in.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace solidum::events {

struct CalendarItem {
  std::string uid;                   // stable across exports: "event-12@solidum", "event-12-session-3@solidum"
  std::string summary, description;  // plain text
  std::string location, url;
  std::string starts_utc, ends_utc;  // "2027-07-06T07:00:00Z"
  std::string status;                // CONFIRMED, TENTATIVE (on a waiting list), CANCELLED
  std::int64_t sequence = 0;         // the event's version: calendars update their copy when it grows
};

// A VCALENDAR named `name` (X-WR-CALNAME) with the items; `now_utc` is the DTSTAMP.
std::string ICalendar(std::string_view name, std::span<const CalendarItem> items, std::string_view now_utc);

}  // namespace solidum::events
