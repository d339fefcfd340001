// Wall times in named zones, through the system's tz database (Debian's tzdata, read by
// libical from /usr/share/zoneinfo). g++ 12's <chrono> has no time-zone database, and
// libical is the library the calendar export needs anyway (calendar.h).
// Thread-safe: calls into libical are serialised (its zone cache is shared).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace solidum::events {

// Whether `zone` is an IANA zone name the system knows ("Europe/Paris", "UTC").
bool IsKnownZone(std::string_view zone);

// The UTC instant ("2027-07-06T07:00:00Z") of the wall time `wall` ("2027-07-06T09:00")
// in `zone`; nullopt when the zone is unknown or the wall time does not exist there (it
// falls in the hour skipped when clocks go forward). An ambiguous wall time (the hour
// repeated when clocks go back) is taken as the second, after the change (libical's choice).
std::optional<std::string> UtcOf(std::string_view wall, std::string_view zone);

// Held around every call into libical (zones here, calendars in calendar.cc).
std::mutex& LibicalMutex();

}  // namespace solidum::events
