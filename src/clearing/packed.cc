#include "clearing/packed.h"

#include "common/assert.h"

namespace solidum::clearing {

namespace {

constexpr char kVersion = 1;
constexpr std::size_t kDueBytesMax = 10;  // YYYY-MM-DD, as clearing/obligations.h checks it

void PutVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void PutText(std::string& out, const std::string& s) {
  PutVarint(out, s.size());
  out += s;
}

// Reads a page front to back; any read past its end or any varint longer than 64 bits
// sets `bad` and answers 0 from then on.
struct Reader {
  std::string_view in;
  std::size_t at = 0;
  bool bad = false;

  std::uint64_t Varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && !bad; shift += 7) {
      if (at >= in.size()) break;
      const auto b = static_cast<unsigned char>(in[at++]);
      if (shift == 63 && b > 1) break;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    bad = true;
    return 0;
  }
  std::string Text(std::size_t max_bytes) {
    const std::uint64_t n = Varint();
    if (bad || n > max_bytes || n > in.size() - at) {
      bad = true;
      return {};
    }
    std::string s(in.substr(at, n));
    at += n;
    return s;
  }
};

}  // namespace

std::string PackObligations(const ObligationSet& set, std::span<const std::int64_t> left, std::size_t begin, std::size_t end) {
  SOLIDUM_ASSERT(begin <= end && end <= set.obligations.size() && left.size() == set.obligations.size());
  std::string out;
  out.reserve(1 + (end - begin) * 16);
  out.push_back(kVersion);
  std::size_t previous = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const Obligation& o = set.obligations[i];
    SOLIDUM_ASSERT(o.line > previous || i == begin);
    PutVarint(out, i == begin ? o.line : o.line - previous);
    previous = o.line;
    PutVarint(out, o.debtor);
    PutVarint(out, o.creditor);
    PutVarint(out, static_cast<std::uint64_t>(o.amount));
    PutVarint(out, static_cast<std::uint64_t>(left[i]));
    if (set.has_ids) PutText(out, set.ids[i]);
    if (set.has_due) PutText(out, set.due[i]);
  }
  return out;
}

Result<void> UnpackObligations(std::string_view page, ObligationSet& set, std::vector<std::int64_t>& left) {
  const auto damaged = [] { return Error::Internal("A stored set-off run is damaged: one of its pages of obligations cannot be read."); };
  if (page.empty() || page[0] != kVersion) return damaged();
  Reader r{page, 1};
  ObligationSet got;
  std::vector<std::int64_t> got_left;
  std::uint64_t line = 0;
  const std::uint64_t firms = set.firms.size();
  while (r.at < page.size()) {
    const std::uint64_t step = r.Varint();
    const std::uint64_t debtor = r.Varint(), creditor = r.Varint(), amount = r.Varint(), rest = r.Varint();
    std::string id = set.has_ids ? r.Text(kObligationIdBytesMax) : std::string();
    std::string due = set.has_due ? r.Text(kDueBytesMax) : std::string();
    if (r.bad || (step == 0 && !got_left.empty()) || step > (std::uint64_t{1} << 40) || debtor >= firms || creditor >= firms || debtor == creditor ||
        amount == 0 || amount > static_cast<std::uint64_t>(kAmountMax) || rest > amount) {
      return damaged();
    }
    line += step;
    got.obligations.push_back({static_cast<std::uint32_t>(debtor), static_cast<std::uint32_t>(creditor), static_cast<std::int64_t>(amount),
                               static_cast<std::size_t>(line)});
    got_left.push_back(static_cast<std::int64_t>(rest));
    if (set.has_ids) got.ids.push_back(std::move(id));
    if (set.has_due) got.due.push_back(std::move(due));
  }
  if (!set.obligations.empty() && !got.obligations.empty() && got.obligations.front().line <= set.obligations.back().line) return damaged();
  set.obligations.insert(set.obligations.end(), got.obligations.begin(), got.obligations.end());
  set.ids.insert(set.ids.end(), std::make_move_iterator(got.ids.begin()), std::make_move_iterator(got.ids.end()));
  set.due.insert(set.due.end(), std::make_move_iterator(got.due.begin()), std::make_move_iterator(got.due.end()));
  left.insert(left.end(), got_left.begin(), got_left.end());
  return Ok();
}

}  // namespace solidum::clearing
