#include "listings/listings.h"

#include <algorithm>

#include "common/text.h"

namespace solidum::listings {

using store::Conn;
using store::Null;
using store::Value;

namespace {

constexpr std::string_view kColumns =
    "l.id, l.currency_id, l.account_id, a.name, l.kind, l.title, l.description, l.category, l.price, l.open, l.created_at, l.updated_at";

Listing ListingOf(const store::Row& r) {
  Listing l;
  l.id = r.Int(0);
  l.currency_id = r.Int(1);
  l.account_id = r.Int(2);
  l.account_name = r.Text(3);
  l.def.kind = ParseKind(r.Text(4)).value_or(Kind::kOffer);
  l.def.title = r.Text(5);
  l.def.description = r.Text(6);
  l.def.category = r.Text(7);
  l.def.price = r.OptInt(8);
  l.open = r.Int(9) != 0;
  l.created_at = r.Text(10);
  l.updated_at = r.Text(11);
  return l;
}

Result<void> CheckText(const std::string& field, const std::string& v, std::size_t max_chars, bool required, bool multiline) {
  if (!text::IsValidUtf8(v) || text::CodePointCount(v) > max_chars || (required && text::Trim(v).empty())) {
    return Error::Invalid(field, "invalid", "Write " + std::string(required ? "1" : "0") + " to " + std::to_string(max_chars) + " characters.");
  }
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || u == 0x7f) {
      return Error::Invalid(field, "invalid", "Control characters are not allowed here.");
    }
  }
  return Ok();
}

Result<void> Check(const ListingInput& in) {
  std::vector<FieldError> errors;
  auto keep = [&](Result<void> r) {
    if (!r.ok()) errors.insert(errors.end(), r.error().fields.begin(), r.error().fields.end());
  };
  keep(CheckText("/title", in.title, kTitleCharsMax, true, false));
  keep(CheckText("/description", in.description, kDescriptionCharsMax, false, true));
  if (!IsCategory(in.category)) errors.push_back({"/category", "unknown_term", "Not one of the categories."});
  if (in.price && (*in.price <= 0 || *in.price > kPriceMax)) errors.push_back({"/price", "out_of_range", "A price is above zero, in minor units."});
  if (errors.empty()) return Ok();
  return Error::Invalid(std::move(errors));
}

std::string SearchText(const ListingInput& in) {
  return " " + text::Fold(in.title + " " + in.description) + " ";
}

}  // namespace

std::string_view KindName(Kind k) { return k == Kind::kOffer ? "offer" : "want"; }

std::optional<Kind> ParseKind(std::string_view name) {
  if (name == "offer") return Kind::kOffer;
  if (name == "want") return Kind::kWant;
  return std::nullopt;
}

bool IsCategory(std::string_view code) {
  return std::find(std::begin(kCategories), std::end(kCategories), code) != std::end(kCategories);
}

Result<Listing> Listings::Create(std::int64_t currency, std::int64_t account, const ListingInput& raw) {
  ListingInput in = raw;
  in.title = std::string(text::Trim(in.title));
  in.description = std::string(text::Trim(in.description));
  SOLIDUM_TRY(Check(in));
  const std::string now = FormatTimestamp(clock_.NowMicros());
  return store::InTransaction<Listing>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Listing> {
    SOLIDUM_ASSIGN_OR_RETURN(auto owner, conn.QueryOne("SELECT 1 FROM ledger_accounts WHERE id = ? AND currency_id = ?", {account, currency}));
    if (!owner) return Error::NotFound("No account " + std::to_string(account) + " in this currency.");
    SOLIDUM_ASSIGN_OR_RETURN(
        auto row, conn.QueryOne("INSERT INTO listings (currency_id, account_id, kind, title, description, category, price, search_text, created_at, updated_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                {currency, account, std::string(KindName(in.kind)), in.title, in.description, in.category,
                                 in.price ? Value(*in.price) : Value(Null{}), SearchText(in), now, now}));
    SOLIDUM_ASSIGN_OR_RETURN(auto created, conn.QueryOne("SELECT " + std::string(kColumns) + " FROM listings l JOIN ledger_accounts a ON a.id = l.account_id WHERE l.id = ?",
                                                        {row->Int(0)}));
    return ListingOf(*created);
  });
}

Result<Listing> Listings::Get(std::int64_t id) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT " + std::string(kColumns) + " FROM listings l JOIN ledger_accounts a ON a.id = l.account_id WHERE l.id = ?", {id}));
  if (!row) return Error::NotFound("No listing " + std::to_string(id) + ".");
  return ListingOf(*row);
}

Result<Listing> Listings::Change(std::int64_t id, const ListingChange& change) {
  return store::InTransaction<Listing>(store_, store::TxKind::kWrite, [&](Conn& conn) -> Result<Listing> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kColumns) + " FROM listings l JOIN ledger_accounts a ON a.id = l.account_id WHERE l.id = ?", {id}));
    if (!row) return Error::NotFound("No listing " + std::to_string(id) + ".");
    Listing l = ListingOf(*row);
    if (change.title) l.def.title = std::string(text::Trim(*change.title));
    if (change.description) l.def.description = std::string(text::Trim(*change.description));
    if (change.category) l.def.category = *change.category;
    if (change.set_price) l.def.price = change.price;
    if (change.open) l.open = *change.open;
    SOLIDUM_TRY(Check(l.def));
    l.updated_at = FormatTimestamp(clock_.NowMicros());
    SOLIDUM_TRY(conn.Exec("UPDATE listings SET title = ?, description = ?, category = ?, price = ?, open = ?, search_text = ?, updated_at = ? WHERE id = ?",
                          {l.def.title, l.def.description, l.def.category, l.def.price ? Value(*l.def.price) : Value(Null{}),
                           static_cast<std::int64_t>(l.open ? 1 : 0), SearchText(l.def), l.updated_at, id}));
    return l;
  });
}

Result<std::pair<std::vector<Listing>, std::int64_t>> Listings::Find(std::int64_t currency, const Query& q) {
  std::string where = " FROM listings l JOIN ledger_accounts a ON a.id = l.account_id WHERE l.currency_id = ?";
  std::vector<Value> params{currency};
  if (!q.include_closed) where += " AND l.open = 1";
  if (q.kind) {
    where += " AND l.kind = ?";
    params.emplace_back(std::string(KindName(*q.kind)));
  }
  if (q.category) {
    where += " AND l.category = ?";
    params.emplace_back(*q.category);
  }
  // Every word must appear (folded as the stored text is); LIKE's own characters are escaped.
  const std::string folded = text::Fold(q.text);
  std::size_t words = 0;
  for (std::size_t at = 0; at < folded.size() && words < 8;) {
    const auto end = std::min(folded.find(' ', at), folded.size());
    if (end > at) {
      where += " AND l.search_text LIKE ? ESCAPE '\\'";
      params.emplace_back(text::LikeContains(folded.substr(at, end - at)));
      ++words;
    }
    at = end + 1;
  }
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto total, conn->QueryOne("SELECT COUNT(*)" + where, params));
  params.emplace_back(static_cast<std::int64_t>(std::clamp(q.limit, 1, kPageMax)));
  params.emplace_back(q.offset);
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kColumns) + where + " ORDER BY l.id DESC LIMIT ? OFFSET ?", params));
  std::vector<Listing> out;
  for (const auto& r : rows) out.push_back(ListingOf(r));
  return std::make_pair(std::move(out), total->Int(0));
}

}  // namespace solidum::listings
