#include "common/csv.h"

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

}  // namespace solidum
