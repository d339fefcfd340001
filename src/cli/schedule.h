// solidum schedule: a loan's schedule from its terms (finance::ComputeSchedule), as a
// table for people, CSV for spreadsheets or JSON for programs. For fund committees and
// borrowers to try terms before a contract.
#pragma once

#include <string>

namespace solidum::cli {

struct ScheduleArgs {
  std::string principal;              // in the currency's unit, "12500" or "12500.50"
  int decimals = 2;                   // of the currency: 2 for euros, 0 for hours
  std::string rate = "0";             // percent a year, up to 4 decimals: "5.25"
  std::string method = "equal_instalments";
  std::string period = "monthly";
  int instalments = 12;
  int grace_principal = 0;
  int grace_interest = 0;
  std::string grace_interest_rule = "deferred";
  std::string first_due;              // YYYY-MM-DD
  std::string format = "text";        // text, csv, json
};

// Exit 0 with the schedule on standard output; 1 with a message naming the option.
int RunSchedule(const ScheduleArgs& args);

}  // namespace solidum::cli
