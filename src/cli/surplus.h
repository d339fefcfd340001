// solidum surplus RULES.json ACTIVITY.csv: a year-end surplus allocation
// (finance::AllocateSurplus) from the statutes' rules and the members' activity, as a
// summary and a table for people, CSV for spreadsheets or JSON for programs. Amounts are in
// minor units in CSV and JSON; the text shows them with the currency's decimals.
#pragma once

#include <string>

namespace solidum::cli {

struct SurplusArgs {
  std::string rules;            // RULES.json
  std::string activity;         // ACTIVITY.csv (- for standard input)
  std::string surplus;          // overrides the rules' "surplus" (minor units)
  int decimals = 2;             // of the currency, for the text only
  std::string format = "text";  // text, csv, json
  std::string output;           // a file instead of standard output
};

// Exit 0 with the allocation; 1 with a message naming the file and the line or field.
int RunSurplus(const SurplusArgs& args);

}  // namespace solidum::cli
