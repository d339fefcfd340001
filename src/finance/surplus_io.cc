#include "finance/surplus_io.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <tuple>

#include "common/csv.h"
#include "common/json_fields.h"
#include "common/text.h"

namespace solidum::finance {

namespace {

Error LineError(std::size_t line, std::string message) {
  return Error::Invalid("line " + std::to_string(line), "invalid_activity", std::move(message));
}

}  // namespace

Result<SurplusInput> ParseSurplusRules(const boost::json::value& value, bool surplus_required) {
  json_fields::ObjectReader r(value);
  if (!r.is_object()) return Error::Invalid("", "not_an_object", "The rules are a JSON object.");
  SurplusInput in;
  auto surplus = r.Integer("surplus", 0, kSurplusMax, surplus_required);
  auto bp = [&](std::string_view key, std::int64_t& into) {
    auto f = r.Integer(key, 0, kBasisPoints);
    if (f.has_value()) into = f.value;
  };
  bp("reserve_bp", in.rules.reserve_bp);
  bp("reserve_min_bp", in.rules.reserve_min_bp);
  bp("fund_bp", in.rules.fund_bp);
  bp("share_interest_bp", in.rules.share_interest_bp);
  bp("share_interest_cap_bp", in.rules.share_interest_cap_bp);
  bp("refunds_bp", in.rules.refunds_bp);
  auto labour = r.Bool("interest_at_most_refunds");
  if (labour.has_value()) in.rules.interest_at_most_refunds = labour.value;
  auto basis = r.Text("basis", {.max_chars = 16});
  if (basis.has_value()) {
    if (basis.value != "hours" && basis.value != "wages" && basis.value != "purchases") {
      r.Fail("basis", "unknown_basis", "hours, wages or purchases.");
    } else {
      in.basis = basis.value;
    }
  }
  SOLIDUM_TRY(r.Finish());
  in.has_surplus = surplus.has_value();
  if (in.has_surplus) in.surplus = surplus.value;
  return in;
}

Result<Activity> ParseActivity(std::string_view csv, const ActivityProgress& progress) {
  if (csv.size() > kActivityFileBytesMax) {
    return Error::Invalid("file", "too_large", "The file is larger than " + std::to_string(kActivityFileBytesMax >> 20) + " MiB.");
  }
  CsvReader reader(csv);
  CsvRecord rec;
  SOLIDUM_ASSIGN_OR_RETURN(bool any, reader.Next(rec));
  if (!any) return LineError(1, "The file is empty: it needs a header, member,capital,patronage.");
  enum Column { kMember, kCapital, kPatronage, kName };
  static constexpr std::string_view kNames[] = {"member", "capital", "patronage", "name"};
  auto columns = ColumnsByName(rec, kNames, 3);
  if (!columns.ok()) return LineError(rec.line, columns.error().fields.at(0).message);
  const std::vector<int>& where = *columns;
  const std::size_t width = rec.fields.size();
  const auto column = [&](Column c) -> const std::string& { return rec.fields[static_cast<std::size_t>(where[c])]; };

  Activity out;
  // Repeated ids are found after reading, by sorting hashes (sequential memory, not a hash
  // table of millions of strings): (hash, row) pairs, and each row's line.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> hashes;
  std::vector<std::size_t> lines;
  const bool named = where[kName] >= 0;
  // Room for the rows a file this size may hold (pages untouched cost nothing): growing
  // vectors of millions would copy them again and again.
  const std::size_t rows = std::min(csv.size() / 8 + 1, kSurplusMembersMax);
  hashes.reserve(rows);
  lines.reserve(rows);
  out.ids.reserve(rows);
  out.members.reserve(rows);
  if (named) out.names.reserve(rows);
  std::size_t next_progress = 0;
  for (;;) {
    auto more = reader.Next(rec);
    if (!more.ok()) return LineError(rec.line, more.error().message);
    if (!*more) break;
    if (progress && reader.position() >= next_progress) {
      progress(reader.position(), reader.size());
      next_progress = reader.position() + (1 << 22);
    }
    if (rec.fields.size() != width) {
      return LineError(rec.line, "This row has " + std::to_string(rec.fields.size()) + " fields; the header has " + std::to_string(width) + ".");
    }
    if (out.members.size() >= kSurplusMembersMax) return LineError(rec.line, "More than " + std::to_string(kSurplusMembersMax) + " members.");
    const std::string& id = column(kMember);
    if (id.empty() || id.size() > kMemberIdBytesMax || !text::IsValidUtf8(id) || text::HasControlChars(id)) {
      return LineError(rec.line, "The member is not an id of 1 to " + std::to_string(kMemberIdBytesMax) + " bytes of text.");
    }
    hashes.emplace_back(std::hash<std::string_view>{}(id), static_cast<std::uint32_t>(out.members.size()));
    lines.push_back(rec.line);
    SurplusMember m;
    m.member = static_cast<std::int64_t>(out.members.size());
    for (auto [c, into, what] : {std::tuple{kCapital, &m.capital, "capital"}, std::tuple{kPatronage, &m.patronage, "patronage"}}) {
      const std::string& v = column(c);
      auto n = text::ParseInt64(v);
      if (!n || *n < 0 || *n > kSurplusMax) {
        return LineError(rec.line, std::string("The ") + what + " \"" + v + "\" is not a whole number from 0 to " + std::to_string(kSurplusMax) + ".");
      }
      *into = *n;
    }
    out.ids.push_back(id);
    if (named) out.names.push_back(column(kName));
    out.members.push_back(m);
  }
  if (progress) progress(reader.size(), reader.size());
  // The first row that repeats an earlier one, as reading in order would meet it.
  std::sort(hashes.begin(), hashes.end());
  std::optional<std::pair<std::uint32_t, std::uint32_t>> repeat;  // (the repeat, the first)
  for (std::size_t i = 0; i + 1 < hashes.size(); ++i) {
    for (std::size_t j = i + 1; j < hashes.size() && hashes[j].first == hashes[i].first; ++j) {
      const auto first = hashes[i].second, again = hashes[j].second;  // first < again: sorted pairs
      if (out.ids[first] == out.ids[again] && (!repeat || again < repeat->first)) repeat = {again, first};
    }
  }
  if (repeat) {
    return LineError(lines[repeat->first], "The member " + out.ids[repeat->first] + " is already on line " + std::to_string(lines[repeat->second]) + ".");
  }
  return out;
}

}  // namespace solidum::finance
