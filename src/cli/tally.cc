#include "cli/tally.h"

#include <cstdio>
#include <fstream>

#include "governance/tally/blt.h"
#include "governance/tally/count.h"
#include "governance/tally/tally_format.h"

namespace solidum::cli {

int RunTally(const TallyArgs& args) {
  auto file = tally::ReadBltFile(args.file);
  if (!file.ok()) {
    const Error& e = file.error();
    if (e.code == "invalid_blt") {
      const FieldError& f = e.fields.at(0);  // "line N" and what is wrong there
      std::fprintf(stderr, "solidum tally: %s:%s: %s\n", args.file.c_str(), f.field.substr(5).c_str(), f.message.c_str());
    } else {
      std::fprintf(stderr, "solidum tally: %s\n", e.fields.empty() ? e.message.c_str() : e.fields[0].message.c_str());
    }
    return 1;
  }
  for (const auto& w : file->warnings) {
    if (w.line > 0) std::fprintf(stderr, "solidum tally: %s:%zu: warning: %s\n", args.file.c_str(), w.line, w.message.c_str());
    else std::fprintf(stderr, "solidum tally: %s: warning: %s\n", args.file.c_str(), w.message.c_str());
  }
  const auto method = tally::ParseMethod(args.method);
  if (!method) {
    std::fprintf(stderr, "solidum tally: unknown method %s\n", args.method.c_str());
    return 1;
  }
  auto result = tally::Count(file->election, tally::Options{*method, args.seats, args.seed, {}});
  if (!result.ok()) {
    const Error& e = result.error();
    std::fprintf(stderr, "solidum tally: %s\n", e.fields.empty() ? e.message.c_str() : e.fields[0].message.c_str());
    return 1;
  }
  std::string out;
  if (args.format == "json") out = tally::TallyJson(file->election, *result);
  else if (args.format == "csv") out = tally::TallyCsv(file->election, *result);
  else out = tally::TallyText(file->election, *result);
  if (args.output.empty()) {
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  const std::string tmp = args.output + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << out;
    if (!f.good()) {
      std::fprintf(stderr, "solidum tally: cannot write %s\n", tmp.c_str());
      return 1;
    }
  }
  if (std::rename(tmp.c_str(), args.output.c_str()) != 0) {
    std::fprintf(stderr, "solidum tally: cannot write %s\n", args.output.c_str());
    return 1;
  }
  return 0;
}

}  // namespace solidum::cli
