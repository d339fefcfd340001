// What a set-off run hands back to people, as files: the obligations left owing (a file
// in the input's own format, so it can be cleared again or sent back to the firms) and
// each firm's set-off. Pure; shared by `solidum clear` and the network admins' API.
//
// Firm names and ids are written exactly as read (RFC 4180 quoting), not defused with an
// apostrophe the way text typed on the web is (text::AppendCsvText): the remaining file
// must read back as the same obligations, and every name in it came from the file the
// network uploaded itself.
#pragma once

#include <string>

#include "clearing/obligations.h"
#include "clearing/setoff.h"

namespace solidum::clearing {

// debtor,creditor,amount[,id][,due]: the obligations with something left, amount = what is
// left, in input order.
std::string RemainingCsv(const ObligationSet& set, const SetOff& result);

// firm,owes,owed,set_off,owes_after,owed_after,net_position: one row per firm, in
// ObligationSet::firms order.
std::string FirmsCsv(const ObligationSet& set, const SetOff& result);

// How many firms had anything set off.
std::size_t FirmsWithSetOff(const SetOff& result);

}  // namespace solidum::clearing
