#include "cli/surplus.h"

#include <boost/json/parse.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "cli/progress.h"
#include "common/files.h"
#include "common/json_write.h"
#include "common/text.h"
#include "finance/surplus_io.h"
#include "ledger/ledger.h"

namespace solidum::cli {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "solidum surplus: %s\n", message.c_str());
  return 1;
}

// The whole file (- for standard input), or what stops it being read.
std::optional<std::string> ReadFile(const std::string& path, std::string& out) {
  if (auto read = files::ReadWhole(path, finance::kActivityFileBytesMax, out); !read.ok()) return read.error().fields.at(0).message;
  return std::nullopt;
}

// "file: field: message" for each problem the rules have.
std::string Problems(const std::string& file, const Error& e) {
  if (e.fields.empty()) return file + ": " + e.message;
  std::string out;
  for (const auto& f : e.fields) out += (out.empty() ? "" : "\n  ") + file + ": " + (f.field.empty() ? "" : f.field + ": ") + f.message;
  return out;
}

}  // namespace

int RunSurplus(const SurplusArgs& a) {
  if (a.decimals < 0 || a.decimals > 6) return Fail("--decimals: 0 to 6.");
  std::string rules_text;
  if (auto e = ReadFile(a.rules, rules_text)) return Fail(*e);
  boost::system::error_code ec;
  const boost::json::value rules_json = boost::json::parse(rules_text, ec);
  if (ec) return Fail(a.rules + ": not JSON (" + ec.message() + ").");
  auto input = finance::ParseSurplusRules(rules_json, a.surplus.empty());
  if (!input.ok()) return Fail(Problems(a.rules, input.error()));
  if (!a.surplus.empty()) {
    auto s = text::ParseInt64(a.surplus);
    if (!s || *s < 0 || *s > finance::kSurplusMax) return Fail("--surplus: a whole number of minor units from 0 to " + std::to_string(finance::kSurplusMax) + ".");
    input->surplus = *s;
  }

  std::string csv;
  if (auto e = ReadFile(a.activity, csv)) return Fail(*e);
  ProgressBar bar;
  auto activity = finance::ParseActivity(csv, [&](std::size_t done, std::size_t total) { bar.Show("reading activity", done, total); });
  if (!activity.ok()) {
    const auto& f = activity.error().fields;
    if (!f.empty() && f[0].field.starts_with("line ")) return Fail(a.activity + ":" + f[0].field.substr(5) + ": " + f[0].message);
    return Fail(a.activity + ": " + (f.empty() ? activity.error().message : f[0].message));
  }
  csv = std::string();  // the file's memory back before the allocation's

  auto alloc = finance::AllocateSurplus(input->surplus, input->rules, activity->members);
  if (!alloc.ok()) return Fail(Problems(a.rules, alloc.error()));

  std::string out;
  const auto& m = activity->members;
  if (a.format == "json") {
    out.reserve(64 * m.size() + 256);
    out = "{\"surplus\":" + std::to_string(alloc->surplus) + ",\"reserve\":" + std::to_string(alloc->reserve) +
          ",\"fund\":" + std::to_string(alloc->fund) + ",\"interest\":" + std::to_string(alloc->interest) +
          ",\"refunds\":" + std::to_string(alloc->refunds) + ",\"retained\":" + std::to_string(alloc->retained) + ",\"basis\":\"" +
          input->basis + "\",\"members\":[";
    for (std::size_t i = 0; i < m.size(); ++i) {
      const auto& s = alloc->members[i];
      out += i ? ",{\"member\":" : "{\"member\":";
      json_write::WriteString(out, activity->ids[static_cast<std::size_t>(s.member)]);
      out += ",\"interest\":" + std::to_string(s.interest) + ",\"refund\":" + std::to_string(s.refund) + "}";
    }
    out += "]}\n";
  } else if (a.format == "csv") {
    out.reserve(48 * m.size() + 64);
    out = "member,name,interest,refund,total\n";
    for (const auto& s : alloc->members) {
      const auto k = static_cast<std::size_t>(s.member);
      text::AppendCsvText(out, activity->ids[k]);
      out += ',';
      if (!activity->names.empty()) text::AppendCsvText(out, activity->names[k]);
      out += "," + std::to_string(s.interest) + "," + std::to_string(s.refund) + "," + std::to_string(s.interest + s.refund) + "\n";
    }
  } else {
    const auto amount = [d = a.decimals](std::int64_t v) { return ledger::FormatAmount(v, d); };
    char line[256];
    auto row = [&](const char* what, std::int64_t v) {
      std::snprintf(line, sizeof line, "%-32s %20s\n", what, amount(v).c_str());
      out += line;
    };
    row("Distributable surplus", alloc->surplus);
    row("  reserve", alloc->reserve);
    row("  development fund", alloc->fund);
    row("  interest on share capital", alloc->interest);
    row(("  refunds by " + input->basis).c_str(), alloc->refunds);
    row("  retained (to the reserve)", alloc->retained);
    std::snprintf(line, sizeof line, "\n%-24s %-24s %16s %16s %16s\n", "member", "name", "interest", "refund", "total");
    out += line;
    for (const auto& s : alloc->members) {
      const auto k = static_cast<std::size_t>(s.member);
      std::snprintf(line, sizeof line, "%-24s %-24s %16s %16s %16s\n", activity->ids[k].c_str(),
                    activity->names.empty() ? "" : activity->names[k].substr(0, 24).c_str(),
                    amount(s.interest).c_str(), amount(s.refund).c_str(), amount(s.interest + s.refund).c_str());
      out += line;
    }
  }
  if (a.output.empty()) {
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  }
  std::ofstream file(a.output, std::ios::binary | std::ios::trunc);
  file << out;
  file.close();
  if (!file) return Fail("cannot write " + a.output);
  return 0;
}

}  // namespace solidum::cli
