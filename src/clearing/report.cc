#include "clearing/report.h"

#include "common/text.h"

namespace solidum::clearing {

std::string RemainingCsv(const ObligationSet& set, const SetOff& r) {
  std::string out = "debtor,creditor,amount";
  if (set.has_ids) out += ",id";
  if (set.has_due) out += ",due";
  out += '\n';
  for (std::size_t i = 0; i < set.obligations.size(); ++i) {
    if (r.left[i] == 0) continue;
    const auto& o = set.obligations[i];
    text::AppendCsvField(out, set.firms[o.debtor]);
    out += ',';
    text::AppendCsvField(out, set.firms[o.creditor]);
    out += ',' + std::to_string(r.left[i]);
    if (set.has_ids) {
      out += ',';
      text::AppendCsvField(out, set.ids[i]);
    }
    if (set.has_due) out += ',' + set.due[i];
    out += '\n';
  }
  return out;
}

std::string FirmsCsv(const ObligationSet& set, const SetOff& r) {
  std::string out = "firm,owes,owed,set_off,owes_after,owed_after,net_position\n";
  for (std::size_t f = 0; f < set.firms.size(); ++f) {
    const auto& s = r.firms[f];
    text::AppendCsvField(out, set.firms[f]);
    out += ',' + std::to_string(s.owes) + ',' + std::to_string(s.owed) + ',' + std::to_string(s.set_off) + ',' +
           std::to_string(s.owes - s.set_off) + ',' + std::to_string(s.owed - s.set_off) + ',' + std::to_string(s.owed - s.owes) + '\n';
  }
  return out;
}

std::size_t FirmsWithSetOff(const SetOff& r) {
  std::size_t n = 0;
  for (const auto& f : r.firms) n += f.set_off > 0 ? 1 : 0;
  return n;
}

}  // namespace solidum::clearing
