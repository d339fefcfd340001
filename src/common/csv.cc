#include "common/csv.h"

#include <algorithm>

#include "common/text.h"

namespace solidum {

CsvReader::CsvReader(std::string_view data, char separator) : data_(data), sep_(separator) {
  if (data_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

Result<bool> CsvReader::Next(CsvRecord& out) {
  out.fields.clear();
  // Blank lines between records are skipped.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= data_.size()) return false;
  out.line = line_;
  std::string field;
  auto fail = [&](std::string why) -> Result<bool> {
    // Resynchronise at the next line break outside the damage.
    while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
    if (pos_ < data_.size()) {
      ++pos_;
      ++line_;
    }
    return Error::Make(ErrorKind::kInvalidInput, "bad_csv", "line " + std::to_string(out.line) + ": " + why);
  };
  for (;;) {
    field.clear();
    if (pos_ < data_.size() && data_[pos_] == '"') {
      ++pos_;
      for (;;) {
        if (pos_ >= data_.size()) return fail("a quoted field never closes");
        char c = data_[pos_++];
        if (c == '"') {
          if (pos_ < data_.size() && data_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        field.push_back(c);
        if (field.size() > kCsvFieldBytesMax) return fail("a field is larger than 1 MiB");
      }
      if (pos_ < data_.size() && data_[pos_] != sep_ && data_[pos_] != '\n' && data_[pos_] != '\r') {
        return fail("text after a closing quote");
      }
    } else {
      while (pos_ < data_.size() && data_[pos_] != sep_ && data_[pos_] != '\n' && data_[pos_] != '\r') {
        if (data_[pos_] == '"') return fail("a quote inside an unquoted field");
        field.push_back(data_[pos_++]);
        if (field.size() > kCsvFieldBytesMax) return fail("a field is larger than 1 MiB");
      }
    }
    out.fields.push_back(std::move(field));
    if (out.fields.size() > kCsvFieldsMax) return fail("more than 1000 fields");
    if (pos_ >= data_.size()) return true;
    char c = data_[pos_];
    if (c == sep_) {
      ++pos_;
      continue;
    }
    // End of record: CRLF or LF (or a lone CR).
    if (c == '\r') ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
    ++line_;
    return true;
  }
}

Result<std::vector<int>> ColumnsByName(const CsvRecord& header, std::span<const std::string_view> names, std::size_t required) {
  std::vector<int> where(names.size(), -1);
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name(text::Trim(header.fields[i]));
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) {
      std::string known;
      for (std::size_t k = 0; k < required; ++k) known += std::string(k ? ", " : "") + std::string(names[k]);
      for (std::size_t k = required; k < names.size(); ++k) known += std::string(k == required ? ", and optionally " : " and ") + std::string(names[k]);
      return Error::Invalid("header", "unknown_column", "Unknown column \"" + name + "\": the columns are " + known + ".");
    }
    int& at = where[static_cast<std::size_t>(found - names.begin())];
    if (at >= 0) return Error::Invalid("header", "repeated_column", "The column " + name + " appears twice.");
    at = static_cast<int>(i);
  }
  for (std::size_t k = 0; k < required; ++k) {
    if (where[k] < 0) return Error::Invalid("header", "missing_column", "The header lacks the column " + std::string(names[k]) + ".");
  }
  return where;
}

}  // namespace solidum
