#include "events/zones.h"

#include <libical/ical.h>

#include <cstdio>
#include <mutex>

#include "events/event.h"

namespace solidum::events {

namespace {

// Caller holds the mutex.
icaltimezone* ZoneOf(std::string_view zone) {
  if (zone.empty() || zone.size() > 64) return nullptr;
  for (char c : zone) {  // an IANA name; nothing that could walk out of the zoneinfo folder
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+';
    if (!ok) return nullptr;
  }
  if (zone.front() == '/' || zone.find("..") != std::string_view::npos) return nullptr;
  if (zone == "UTC" || zone == "Etc/UTC") return icaltimezone_get_utc_timezone();
  return icaltimezone_get_builtin_timezone(std::string(zone).c_str());
}

}  // namespace

std::mutex& LibicalMutex() {
  static std::mutex m;
  return m;
}

bool IsKnownZone(std::string_view zone) {
  std::lock_guard lock(LibicalMutex());
  return ZoneOf(zone) != nullptr;
}

std::optional<std::string> UtcOf(std::string_view wall, std::string_view zone) {
  if (!IsWallTime(wall)) return std::nullopt;
  std::lock_guard lock(LibicalMutex());
  icaltimezone* tz = ZoneOf(zone);
  if (!tz) return std::nullopt;
  icaltimetype t = icaltime_null_time();
  t.year = std::stoi(std::string(wall.substr(0, 4)));
  t.month = std::stoi(std::string(wall.substr(5, 2)));
  t.day = std::stoi(std::string(wall.substr(8, 2)));
  t.hour = std::stoi(std::string(wall.substr(11, 2)));
  t.minute = std::stoi(std::string(wall.substr(14, 2)));
  t.is_date = 0;
  const icaltimetype local = t;
  t = icaltime_set_timezone(&t, tz);
  const icaltimetype utc = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
  const icaltimetype back = icaltime_convert_to_zone(utc, tz);
  if (back.year != local.year || back.month != local.month || back.day != local.day || back.hour != local.hour ||
      back.minute != local.minute) {
    return std::nullopt;  // in a daylight-saving gap
  }
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02dZ", utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second);
  return std::string(out);
}

}  // namespace solidum::events
