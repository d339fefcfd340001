#include "clearing/obligations.h"

#include <charconv>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "common/csv.h"
#include "common/text.h"

namespace solidum::clearing {
namespace {

Error LineError(std::size_t line, std::string message) {
  return Error::Invalid("line " + std::to_string(line), "invalid_obligations", std::move(message));
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

enum class AmountShape { kOk, kTooLarge, kNotPositiveInteger };

// Digits only (no sign, no decimals, no spaces): "1.50" or "-3" is refused, never rounded.
AmountShape ParseAmount(const std::string& s, std::int64_t& value) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return AmountShape::kNotPositiveInteger;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && value > kAmountMax)) return AmountShape::kTooLarge;
  if (ec != std::errc() || end != s.data() + s.size() || value <= 0) return AmountShape::kNotPositiveInteger;
  return AmountShape::kOk;
}

}  // namespace

Result<ObligationSet> ParseObligations(std::string_view csv, const Progress& progress) {
  if (csv.size() > kObligationsFileBytesMax) {
    return Error::Invalid("file", "too_large", "The file is larger than " + std::to_string(kObligationsFileBytesMax >> 20) + " MiB.");
  }
  CsvReader reader(csv);
  CsvRecord rec;
  SOLIDUM_ASSIGN_OR_RETURN(bool any, reader.Next(rec));
  if (!any) return LineError(1, "The file is empty: it needs a header, debtor,creditor,amount.");
  // Columns by name.
  enum Column { kDebtor, kCreditor, kAmount, kId, kDue };
  static constexpr std::string_view kNames[] = {"debtor", "creditor", "amount", "id", "due"};
  auto columns = ColumnsByName(rec, kNames, 3);
  if (!columns.ok()) return LineError(rec.line, columns.error().fields.at(0).message);
  const std::vector<int>& where = *columns;
  const std::size_t width = rec.fields.size();

  ObligationSet out;
  out.has_ids = where[kId] >= 0;
  out.has_due = where[kDue] >= 0;
  std::unordered_map<std::string, std::uint32_t> firm_index;
  std::unordered_set<std::string> seen_ids;
  out.obligations.reserve(csv.size() / 24);
  firm_index.reserve(csv.size() / 64);
  // A firm's index; its name is checked once, when first seen.
  auto firm = [&](const std::string& name, std::size_t line) -> Result<std::uint32_t> {
    auto [it, added] = firm_index.try_emplace(name, static_cast<std::uint32_t>(out.firms.size()));
    if (added) {
      if (name.empty() || name.size() > kFirmNameBytesMax || !text::IsValidUtf8(name) || text::HasControlChars(name)) {
        return LineError(line, name.empty() ? "A firm's name is empty."
                                            : "A firm's name is not valid text of at most " + std::to_string(kFirmNameBytesMax) + " bytes.");
      }
      out.firms.push_back(name);
    }
    return it->second;
  };
  std::size_t next_progress = 0;
  for (;;) {
    auto more = reader.Next(rec);
    if (!more.ok()) return Error::Invalid("line " + std::to_string(rec.line), "invalid_obligations", more.error().message);
    if (!*more) break;
    if (progress && reader.position() >= next_progress) {
      progress(reader.position(), reader.size());
      next_progress = reader.position() + (1 << 22);
    }
    if (rec.fields.size() != width) {
      return LineError(rec.line, "This row has " + std::to_string(rec.fields.size()) + " fields; the header has " + std::to_string(width) + ".");
    }
    if (out.obligations.size() >= kObligationsMax) {
      return LineError(rec.line, "More than " + std::to_string(kObligationsMax) + " obligations in one file.");
    }
    const std::string& debtor = rec.fields[static_cast<std::size_t>(where[kDebtor])];
    const std::string& creditor = rec.fields[static_cast<std::size_t>(where[kCreditor])];
    const std::string& amount = rec.fields[static_cast<std::size_t>(where[kAmount])];
    SOLIDUM_ASSIGN_OR_RETURN(std::uint32_t d, firm(debtor, rec.line));
    SOLIDUM_ASSIGN_OR_RETURN(std::uint32_t c, firm(creditor, rec.line));
    if (d == c) return LineError(rec.line, "The firm " + debtor + " cannot owe itself.");
    std::int64_t value = 0;
    switch (ParseAmount(amount, value)) {
      case AmountShape::kOk: break;
      case AmountShape::kTooLarge:
        return LineError(rec.line, "The amount " + amount + " is more than " + std::to_string(kAmountMax) + ".");
      case AmountShape::kNotPositiveInteger:
        return LineError(rec.line, "The amount \"" + amount + "\" is not a positive whole number of minor units.");
    }
    if (__builtin_add_overflow(out.total, value, &out.total)) return LineError(rec.line, "The total of the amounts overflows 64 bits.");
    if (out.has_ids) {
      const std::string& id = rec.fields[static_cast<std::size_t>(where[kId])];
      if (id.size() > kObligationIdBytesMax || !text::IsValidUtf8(id) || text::HasControlChars(id)) {
        return LineError(rec.line, "The id is not valid text of at most " + std::to_string(kObligationIdBytesMax) + " bytes.");
      }
      if (!id.empty() && !seen_ids.insert(id).second) return LineError(rec.line, "The id " + id + " appears twice.");
      out.ids.push_back(id);
    }
    if (out.has_due) {
      const std::string& due = rec.fields[static_cast<std::size_t>(where[kDue])];
      if (!due.empty() && !IsDate(due)) return LineError(rec.line, "The due date \"" + due + "\" is not YYYY-MM-DD.");
      out.due.push_back(due);
    }
    out.obligations.push_back(Obligation{d, c, value, rec.line});
  }
  if (progress) progress(reader.size(), reader.size());
  return out;
}

}  // namespace solidum::clearing
