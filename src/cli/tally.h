// solidum tally FILE.blt: counts a BLT file and prints the result stage by stage.
#pragma once

#include <cstdint>
#include <string>

namespace solidum::cli {

struct TallyArgs {
  std::string file;
  std::string method = "scottish";
  int seats = 0;               // 0: the file's
  std::string format = "text";  // text, json, csv
  std::uint64_t seed = 1;
  std::string output;          // empty: standard output
};

// Exit 0 with the count printed; 1 with "FILE:LINE: message" on stderr for a bad file.
int RunTally(const TallyArgs& args);

}  // namespace solidum::cli
