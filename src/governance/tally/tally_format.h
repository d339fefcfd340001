// A tally written out for people and programs: JSON (the shape `solidum tally` and the
// API promise), CSV (a stage per column, for spreadsheets) and plain text.
#pragma once

#include <string>

#include "governance/tally/count.h"
#include "governance/tally/election.h"

namespace solidum::tally {

// {"method":..,"seats":N,"valid_votes":N,"quota":"decimal"|null,"elected":[names in order
// of election],"stages":[{"votes":{name:"decimal"},"non_transferable":"decimal",
// "quota":"decimal"|null,"elected":[..],"excluded":[..],"surplus":name|null,"notes":[..]}],
// "notes":[..]}. Decimals are strings with the count's decimal places; withdrawn
// candidates are left out of "votes".
std::string TallyJson(const Election& election, const Tally& tally);

// One row per candidate (name, affiliation, votes at each stage), then rows for the
// non-transferable votes, the quota, what each stage did and who it elected.
std::string TallyCsv(const Election& election, const Tally& tally);

// A report to read: the count's figures stage by stage and who was elected.
std::string TallyText(const Election& election, const Tally& tally);

}  // namespace solidum::tally
