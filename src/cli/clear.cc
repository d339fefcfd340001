#include "cli/clear.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "clearing/report.h"
#include "clearing/setoff.h"
#include "cli/progress.h"
#include "common/files.h"
#include "common/text.h"

namespace solidum::cli {
namespace {

// 1234567 -> "1,234,567", for people reading the summary.
std::string Grouped(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string Percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "0.00 %";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  out.close();
  if (!out) {
    std::fprintf(stderr, "solidum clear: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace

int RunClear(const ClearArgs& args) {
  std::string data;
  if (auto read = files::ReadWhole(args.file, clearing::kObligationsFileBytesMax, data); !read.ok()) {
    std::fprintf(stderr, "solidum clear: %s\n", read.error().fields.at(0).message.c_str());
    return 1;
  }
  ProgressBar bar;
  auto set = clearing::ParseObligations(data, [&](std::size_t done, std::size_t total) { bar.Show("reading obligations", done, total); });
  if (!set.ok()) {
    const auto& f = set.error().fields;
    if (!f.empty() && f[0].field.starts_with("line ")) {
      std::fprintf(stderr, "solidum clear: %s:%s: %s\n", args.file.c_str(), f[0].field.substr(5).c_str(), f[0].message.c_str());
    } else {
      std::fprintf(stderr, "solidum clear: %s: %s\n", args.file.c_str(), f.empty() ? set.error().message.c_str() : f[0].message.c_str());
    }
    return 1;
  }
  std::string().swap(data);  // the text is no longer needed: keep the peak memory down
  auto r = clearing::ComputeSetOff(*set);
  if (!r.ok()) {
    std::fprintf(stderr, "solidum clear: %s\n", r.error().message.c_str());
    return 1;
  }
  if (!args.remaining.empty() && !WriteFile(args.remaining, clearing::RemainingCsv(*set, *r))) return 2;
  if (!args.firms.empty() && !WriteFile(args.firms, clearing::FirmsCsv(*set, *r))) return 2;
  std::string out;
  if (args.format == "json") {
    out = "{\"obligations\":" + std::to_string(set->obligations.size()) + ",\"firms\":" + std::to_string(set->firms.size()) +
          ",\"total\":" + std::to_string(r->total) + ",\"nid\":" + std::to_string(r->nid) + ",\"cleared\":" + std::to_string(r->cleared) +
          ",\"remaining\":" + std::to_string(r->remaining) + "}\n";
  } else {
    out += "Obligations        " + Grouped(static_cast<std::int64_t>(set->obligations.size())) + "\n";
    out += "Firms              " + Grouped(static_cast<std::int64_t>(set->firms.size())) + "\n";
    out += "Total debt         " + Grouped(r->total) + "\n";
    out += "Net internal debt  " + Grouped(r->nid) + "  (" + Percent(r->nid, r->total) + " of the total: no set-off can go below it)\n";
    out += "Cleared            " + Grouped(r->cleared) + "  (" + Percent(r->cleared, r->total) + ")\n";
    out += "Remaining          " + Grouped(r->remaining) + "  (" + Percent(r->remaining, r->total) + ")\n";
    out += "Firms with set-off " + Grouped(static_cast<std::int64_t>(clearing::FirmsWithSetOff(*r))) + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace solidum::cli
