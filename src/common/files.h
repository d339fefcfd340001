// Reading a whole input file for the command line, with a limit: the CLI's readers
// (obligations for set-off, surplus rules and activity) share it.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"

namespace solidum::files {

// Reads all of `path` ("-": standard input) into `out`, at most `max_bytes`. Errors (field
// "file") name the problem: unreadable (missing, a directory, a read error) or too_large;
// their message names the file.
Result<void> ReadWhole(const std::string& path, std::size_t max_bytes, std::string& out);

}  // namespace solidum::files
