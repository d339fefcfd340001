// solidum schedule: a loan's schedule from its terms (finance::ComputeSchedule), as a
// table for people, CSV for spreadsheets or JSON for programs, with the options issue 7
// names: amounts in minor units, the rate a fraction a year, due dates counted from the
// loan's start (the first one a period after it).
#pragma once

#include <string>

namespace solidum::cli {

struct ScheduleArgs {
  std::string principal;              // minor units: "1000000"
  std::string rate = "0";             // a fraction a year, up to 6 decimals: "0.06"
  std::string method = "declining-equal-instalment";
  std::string period = "monthly";
  int periods = 12;                   // instalments, grace periods included
  int grace_principal = 0;
  int grace_interest = 0;
  std::string grace_interest_rule = "deferred";
  std::string start;                  // YYYY-MM-DD: the loan's start (default: today)
  int decimals = 2;                   // of the currency, for the text and CSV formats only
  std::string format = "text";        // text, csv, json
};

// Exit 0 with the schedule on standard output; 1 with a message naming the option.
int RunSchedule(const ScheduleArgs& args);

}  // namespace solidum::cli
