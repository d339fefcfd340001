// An RFC 4180 CSV reader for files from outside: quoted fields may hold commas, quotes
// ("") and line breaks; CRLF or LF; a UTF-8 byte-order mark is skipped. Each record knows
// the line it starts on, so errors can name it. Pure; reads from memory.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace solidum {

inline constexpr std::size_t kCsvFieldBytesMax = 1 << 20;  // one field
inline constexpr std::size_t kCsvFieldsMax = 1000;        // per record

struct CsvRecord {
  std::size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view data, char separator = ',');

  // The next record into `out`; false at the end. A malformed record (a quote that never
  // closes, text after a closing quote, a field or record over the limits) gives an Error
  // naming its line, and reading goes on at the next line after it.
  Result<bool> Next(CsvRecord& out);

  std::size_t position() const { return pos_; }  // bytes consumed, for progress
  std::size_t size() const { return data_.size(); }

 private:
  std::string_view data_;
  char sep_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

// Where each named column is in a header record: `names` in order, the first `required`
// of them required, the rest optional. The answer has one position per name (-1 for an
// optional column that is absent). Errors (message only, for the caller to place on the
// header's line): an unknown column (naming the columns), a column twice, a required one
// missing. Names are compared after trimming spaces.
Result<std::vector<int>> ColumnsByName(const CsvRecord& header, std::span<const std::string_view> names, std::size_t required);

}  // namespace solidum
