#include "events/calendar.h"

#include <libical/ical.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "events/zones.h"

namespace solidum::events {

namespace {

// "2027-07-06T07:00:00Z" (or RFC 3339 with milliseconds) as a UTC icaltimetype.
icaltimetype UtcTime(std::string_view iso) {
  icaltimetype t = icaltime_null_time();
  if (iso.size() < 19) return t;
  auto n = [&](std::size_t at, std::size_t len) { return std::atoi(std::string(iso.substr(at, len)).c_str()); };
  t.year = n(0, 4);
  t.month = n(5, 2);
  t.day = n(8, 2);
  t.hour = n(11, 2);
  t.minute = n(14, 2);
  t.second = n(17, 2);
  t.is_date = 0;
  t.zone = icaltimezone_get_utc_timezone();
  return t;
}

icalproperty_status StatusOf(std::string_view s) {
  if (s == "TENTATIVE") return ICAL_STATUS_TENTATIVE;
  if (s == "CANCELLED") return ICAL_STATUS_CANCELLED;
  return ICAL_STATUS_CONFIRMED;
}

}  // namespace

std::string ICalendar(std::string_view name, std::span<const CalendarItem> items, std::string_view now_utc) {
  std::lock_guard lock(LibicalMutex());
  std::unique_ptr<icalcomponent, void (*)(icalcomponent*)> cal(icalcomponent_new_vcalendar(), icalcomponent_free);
  icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//Solidum//Events//EN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
  icalproperty* calname = icalproperty_new_x(std::string(name).c_str());
  icalproperty_set_x_name(calname, "X-WR-CALNAME");
  icalcomponent_add_property(cal.get(), calname);
  const icaltimetype stamp = UtcTime(now_utc);
  for (const auto& item : items) {
    icalcomponent* ev = icalcomponent_new_vevent();
    icalcomponent_add_property(ev, icalproperty_new_uid(item.uid.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(UtcTime(item.starts_utc)));
    icalcomponent_add_property(ev, icalproperty_new_dtend(UtcTime(item.ends_utc)));
    icalcomponent_add_property(ev, icalproperty_new_sequence(static_cast<int>(item.sequence)));
    icalcomponent_add_property(ev, icalproperty_new_summary(item.summary.c_str()));
    if (!item.description.empty()) icalcomponent_add_property(ev, icalproperty_new_description(item.description.c_str()));
    if (!item.location.empty()) icalcomponent_add_property(ev, icalproperty_new_location(item.location.c_str()));
    if (!item.url.empty()) icalcomponent_add_property(ev, icalproperty_new_url(item.url.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_status(StatusOf(item.status)));
    icalcomponent_add_component(cal.get(), ev);
  }
  char* text = icalcomponent_as_ical_string_r(cal.get());
  std::string out = text ? text : "";
  std::free(text);
  return out;
}

}  // namespace solidum::events
