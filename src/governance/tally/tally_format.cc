#include "governance/tally/tally_format.h"

#include <algorithm>

#include "common/json_write.h"
#include "common/text.h"

namespace solidum::tally {
namespace {

bool HasQuota(Method m) { return IsStv(m) || m == Method::kIrv; }

std::string MethodTitle(Method m) {
  switch (m) {
    case Method::kScottish: return "Scottish STV";
    case Method::kWigm: return "STV, weighted inclusive Gregory";
    case Method::kMeek: return "Meek STV";
    case Method::kIrv: return "Instant runoff";
    case Method::kPlurality: return "Plurality";
    case Method::kBlock: return "Block vote";
    case Method::kApproval: return "Approval";
  }
  return "?";
}

std::string Action(const Election& e, const Stage& s) {
  if (s.surplus) return "Surplus of " + e.candidates[*s.surplus].name;
  if (!s.excluded.empty()) return "Exclusion of " + e.candidates[s.excluded.front()].name;
  if (s.kind == StageKind::kSurplus) return "Surpluses redistributed";
  return "First preferences";
}

}  // namespace

std::string TallyJson(const Election& e, const Tally& t) {
  std::string out;
  json_write::Writer w(out);
  auto names = [&](const std::vector<CandidateIndex>& list) {
    w.BeginArray();
    for (CandidateIndex c : list) w.String(e.candidates[c].name);
    w.EndArray();
  };
  w.BeginObject();
  w.Key("method").String(MethodName(t.method));
  w.Key("seats").Int(t.seats);
  w.Key("valid_votes").Int(t.valid_papers);
  w.Key("quota");
  if (HasQuota(t.method)) w.String(FormatFixed(t.quota, t.decimals));
  else w.Null();
  w.Key("elected");
  names(t.elected);
  w.Key("stages").BeginArray();
  for (const Stage& s : t.stages) {
    w.BeginObject();
    w.Key("votes").BeginObject();
    for (std::size_t c = 0; c < e.candidates.size(); ++c) {
      if (e.candidates[c].withdrawn) continue;
      w.Key(e.candidates[c].name).String(FormatFixed(s.votes[c], t.decimals));
    }
    w.EndObject();
    w.Key("non_transferable").String(FormatFixed(s.non_transferable, t.decimals));
    w.Key("quota");
    if (HasQuota(t.method)) w.String(FormatFixed(s.quota, t.decimals));
    else w.Null();
    w.Key("elected");
    names(s.elected);
    w.Key("excluded");
    names(s.excluded);
    w.Key("surplus");
    if (s.surplus) w.String(e.candidates[*s.surplus].name);
    else w.Null();
    w.Key("notes").BeginArray();
    for (const auto& n : s.notes) w.String(n);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("notes").BeginArray();
  for (const auto& n : t.notes) w.String(n);
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

std::string TallyCsv(const Election& e, const Tally& t) {
  std::string out = "candidate,affiliation";
  for (std::size_t i = 0; i < t.stages.size(); ++i) out += ",stage " + std::to_string(i + 1);
  out += "\r\n";
  for (std::size_t c = 0; c < e.candidates.size(); ++c) {
    if (e.candidates[c].withdrawn) continue;
    text::AppendCsvField(out, e.candidates[c].name);
    out += ',';
    text::AppendCsvField(out, e.candidates[c].affiliation);
    for (const Stage& s : t.stages) out += "," + FormatFixed(s.votes[c], t.decimals);
    out += "\r\n";
  }
  out += "Non-transferable,";
  for (const Stage& s : t.stages) out += "," + FormatFixed(s.non_transferable, t.decimals);
  out += "\r\n";
  if (HasQuota(t.method)) {
    out += "Quota,";
    for (const Stage& s : t.stages) out += "," + FormatFixed(s.quota, t.decimals);
    out += "\r\n";
  }
  out += "Action,";
  for (const Stage& s : t.stages) {
    out += ',';
    text::AppendCsvField(out, Action(e, s));
  }
  out += "\r\nElected,";
  for (const Stage& s : t.stages) {
    std::string list;
    for (CandidateIndex c : s.elected) list += (list.empty() ? "" : "; ") + e.candidates[c].name;
    out += ',';
    text::AppendCsvField(out, list);
  }
  out += "\r\n";
  return out;
}

std::string TallyText(const Election& e, const Tally& t) {
  std::string out;
  if (!e.title.empty()) out += e.title + "\n";
  out += MethodTitle(t.method) + ", " + std::to_string(t.seats) + (t.seats == 1 ? " seat" : " seats") + ", " +
         std::to_string(t.valid_papers) + " valid votes";
  if (HasQuota(t.method)) out += ", quota " + FormatFixed(t.quota, t.decimals);
  out += "\n\n";
  for (std::size_t i = 0; i < t.stages.size(); ++i) {
    out += "Stage " + std::to_string(i + 1) + ": " + Action(e, t.stages[i]) + "\n";
  }
  out += '\n';
  std::size_t name_width = std::string_view("Non-transferable").size();
  for (const auto& c : e.candidates) name_width = std::max(name_width, c.name.size());
  std::size_t col = 6;
  for (const Stage& s : t.stages) {
    for (std::int64_t v : s.votes) col = std::max(col, FormatFixed(v, t.decimals).size());
  }
  auto pad_right = [](std::string s, std::size_t w) { return s + std::string(w > s.size() ? w - s.size() : 0, ' '); };
  auto pad_left = [](std::string s, std::size_t w) { return std::string(w > s.size() ? w - s.size() : 0, ' ') + s; };
  out += pad_right("", name_width);
  for (std::size_t i = 0; i < t.stages.size(); ++i) out += "  " + pad_left("Stage " + std::to_string(i + 1), col);
  out += '\n';
  for (std::size_t c = 0; c < e.candidates.size(); ++c) {
    if (e.candidates[c].withdrawn) continue;
    out += pad_right(e.candidates[c].name, name_width);
    for (const Stage& s : t.stages) {
      std::string cell = FormatFixed(s.votes[c], t.decimals);
      if (std::find(s.elected.begin(), s.elected.end(), c) != s.elected.end()) cell = "*" + cell;
      if (std::find(s.excluded.begin(), s.excluded.end(), c) != s.excluded.end()) cell = "-";
      out += "  " + pad_left(cell, col);
    }
    out += '\n';
  }
  out += pad_right("Non-transferable", name_width);
  for (const Stage& s : t.stages) out += "  " + pad_left(FormatFixed(s.non_transferable, t.decimals), col);
  out += "\n\n(* elected at that stage, - excluded)\n\nElected:\n";
  for (std::size_t i = 0; i < t.elected.size(); ++i) {
    const Candidate& c = e.candidates[t.elected[i]];
    out += "  " + std::to_string(i + 1) + ". " + c.name + (c.affiliation.empty() ? "" : " (" + c.affiliation + ")") + "\n";
  }
  bool any_note = false;
  for (std::size_t i = 0; i < t.stages.size(); ++i) {
    for (const auto& n : t.stages[i].notes) {
      if (!any_note) out += "\nNotes:\n";
      any_note = true;
      out += "  Stage " + std::to_string(i + 1) + ": " + n + "\n";
    }
  }
  return out;
}

}  // namespace solidum::tally
