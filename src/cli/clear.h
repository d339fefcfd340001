// solidum clear OBLIGATIONS.csv: multilateral set-off of a file of obligations between
// firms (clearing::ComputeSetOff), with a summary and, on request, the obligations left
// and each firm's set-off as CSV files.
#pragma once

#include <string>

namespace solidum::cli {

struct ClearArgs {
  std::string file;             // "-": standard input
  std::string format = "text";  // text, json
  std::string remaining;        // write the obligations left here (CSV, same columns as the input)
  std::string firms;            // write each firm's set-off here (CSV)
};

// Exit 0 with the summary printed; 1 with "FILE:LINE: message" on stderr for a bad file
// (nothing written), 2 if an output file cannot be written.
int RunClear(const ClearArgs& args);

}  // namespace solidum::cli
