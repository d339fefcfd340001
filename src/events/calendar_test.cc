// iCalendar as RFC 5545 wants it: CRLF lines folded at 75 octets, text escaped, UTC times.
#include "events/calendar.h"

#include <gtest/gtest.h>

namespace solidum::events {
namespace {

TEST(ICalendar, OneEventInUtcWithEscapedFoldedText) {
  CalendarItem item{"event-7@solidum", "Forum; economía social, solidaria", "Line one\nLine two with a long tail " + std::string(80, 'x'),
                    "Centro Cultural, Lisboa", "https://solidum.example/events/7", "2027-07-06T08:00:00Z", "2027-07-08T17:00:00Z",
                    "TENTATIVE", 3};
  const std::string ics = ICalendar("My events", std::span(&item, 1), "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(ics.find("VERSION:2.0\r\n"), std::string::npos);
  EXPECT_NE(ics.find("X-WR-CALNAME:My events\r\n"), std::string::npos);
  EXPECT_NE(ics.find("UID:event-7@solidum\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART:20270706T080000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND:20270708T170000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTAMP:20270115T080000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SEQUENCE:3\r\n"), std::string::npos);
  EXPECT_NE(ics.find("STATUS:TENTATIVE\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:Forum\\; economía social\\, solidaria\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DESCRIPTION:Line one\\nLine two"), std::string::npos);
  EXPECT_NE(ics.find("LOCATION:Centro Cultural\\, Lisboa\r\n"), std::string::npos);
  // Every line ends in CRLF and none is longer than 75 octets; continuations start with a space.
  std::size_t start = 0, lines = 0;
  while (start < ics.size()) {
    const std::size_t end = ics.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "a line without CRLF";
    EXPECT_LE(end - start, 75u) << ics.substr(start, end - start);
    EXPECT_EQ(ics.find('\n', start), end + 1) << "a bare LF";
    start = end + 2;
    ++lines;
  }
  EXPECT_GT(lines, 10u);
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
}

}  // namespace
}  // namespace solidum::events
