#include "finance/tontines.h"

#include <sodium.h>

#include <map>
#include <vector>

#include "finance/records.h"

namespace solidum::finance {

namespace {

using std::chrono::year_month_day;
using store::Conn;
using store::TxKind;

using records::Conflict;
using records::Date;
using records::DateOf;

// The engine names a round's line "/rounds/<r>/..."; the API names the round's own.
Error AtRound(Error e) {
  for (auto& f : e.fields) {
    if (f.field.rfind("/rounds/", 0) != 0) continue;
    const auto slash = f.field.find('/', 8);
    f.field = slash == std::string::npos ? "" : f.field.substr(slash);
  }
  return e;
}

std::string RandomSeed() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

constexpr std::string_view kSummaryColumns =
    "t.id, t.organisation_id, t.name, t.unit, t.decimals, t.contribution, (SELECT COUNT(*) FROM tontine_members m WHERE m.tontine_id = t.id), "
    "(SELECT COUNT(*) FROM tontine_rounds r WHERE r.tontine_id = t.id), t.pot_order, t.period, t.started_on, t.seed";

TontineSummary SummaryOf(const store::Row& r) {
  TontineSummary s;
  s.id = r.Int(0);
  s.organisation_id = r.Int(1);
  s.name = r.Text(2);
  s.unit = r.Text(3);
  s.decimals = r.Int(4);
  s.contribution = r.Int(5);
  s.members = r.Int(6);
  s.rounds = r.Int(7);
  s.order = ParsePotOrder(r.Text(8)).value_or(PotOrder::kFixed);
  s.period = ParseRoundPeriod(r.Text(9)).value_or(RoundPeriod::kMonthly);
  s.started_on = DateOf(r.Text(10));
  return s;
}

std::vector<std::int64_t> MemberIds(const TontineView& v) {
  std::vector<std::int64_t> ids;
  for (const auto& m : v.members) ids.push_back(m.member_id);
  return ids;
}

TontineRules RulesOf(const TontineView& v) { return TontineRules{v.tontine.contribution, v.tontine.order, v.seed}; }

Result<TontineState> Replay(const TontineView& v) {
  std::vector<RoundFacts> facts;
  for (const auto& r : v.rounds) facts.push_back(r.facts);
  const auto ids = MemberIds(v);
  return ReplayTontine(ids, RulesOf(v), facts);
}

// What the view shows of the next round.
void Next(TontineView& v) {
  const auto n = static_cast<std::int64_t>(v.rounds.size());
  v.next_round.reset();
  v.next_due.reset();
  v.next_recipient.reset();
  if (n >= static_cast<std::int64_t>(v.members.size())) return;
  v.next_round = n + 1;
  v.next_due = RoundDue(v.tontine.started_on, v.tontine.period, n + 1);
  std::int64_t left = 0, last = 0;
  for (const auto& p : v.state.members) {
    if (!p.pot_round) {
      ++left;
      last = p.member;
    }
  }
  if (v.tontine.order == PotOrder::kFixed) v.next_recipient = v.members[static_cast<std::size_t>(n)].member_id;
  else if (v.tontine.order == PotOrder::kLottery) v.next_recipient = v.state.lottery_order[static_cast<std::size_t>(n)];
  else if (left == 1) v.next_recipient = last;
}

Result<TontineView> LoadView(Conn& conn, std::int64_t organisation, std::int64_t tontine, std::optional<year_month_day> as_of = std::nullopt) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " + std::string(kSummaryColumns) + " FROM tontines t WHERE t.id = ? AND t.organisation_id = ?",
                                                   {tontine, organisation}));
  if (!row) return Error::NotFound("This organisation has no tontine " + std::to_string(tontine) + ".");
  TontineView v;
  v.tontine = SummaryOf(*row);
  v.seed = row->Text(11);
  SOLIDUM_ASSIGN_OR_RETURN(auto members, conn.Query("SELECT m.id, m.name, COALESCE(m.number, '') FROM tontine_members t JOIN members m ON m.id = t.member_id "
                                                    "WHERE t.tontine_id = ? ORDER BY t.position",
                                                    {tontine}));
  for (const auto& m : members) v.members.push_back(GroupMember{m.Int(0), m.Text(1), m.Text(2)});
  SOLIDUM_ASSIGN_OR_RETURN(auto rounds, conn.Query("SELECT id, number, held_on FROM tontine_rounds WHERE tontine_id = ? ORDER BY number", {tontine}));
  SOLIDUM_ASSIGN_OR_RETURN(auto lines, conn.Query("SELECT l.round_id, l.kind, l.member_id, l.amount, l.coverer_id FROM tontine_round_lines l "
                                                  "JOIN tontine_rounds r ON r.id = l.round_id WHERE r.tontine_id = ? ORDER BY r.number, l.kind, l.position",
                                                  {tontine}));
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r : rounds) {
    at[r.Int(0)] = v.rounds.size();
    v.rounds.push_back(RecordedRound{r.Int(1), DateOf(r.Text(2)), {}});
  }
  for (const auto& l : lines) {
    auto it = at.find(l.Int(0));
    if (it == at.end()) continue;
    RoundFacts& f = v.rounds[it->second].facts;
    if (l.Text(1) == "bid") f.bids.push_back(Bid{l.Int(2), l.OptInt(3).value_or(0)});
    else f.missed.push_back(Missed{l.Int(2), l.OptInt(4)});
  }
  if (as_of) {
    // Rounds are held in order, so the ones after the day are a suffix.
    v.as_of = as_of;
    std::erase_if(v.rounds, [&](const RecordedRound& r) { return std::chrono::sys_days(r.held_on) > std::chrono::sys_days(*as_of); });
  }
  auto st = Replay(v);
  if (!st.ok()) return Error::Internal("a recorded tontine does not replay: " + st.error().message);
  v.state = std::move(st).value();
  Next(v);
  return v;
}

bool SameFacts(const RoundFacts& a, const RoundFacts& b) {
  if (a.bids.size() != b.bids.size() || a.missed.size() != b.missed.size()) return false;
  for (std::size_t i = 0; i < a.bids.size(); ++i) {
    if (a.bids[i].member != b.bids[i].member || a.bids[i].amount != b.bids[i].amount) return false;
  }
  for (std::size_t i = 0; i < a.missed.size(); ++i) {
    if (a.missed[i].member != b.missed[i].member || a.missed[i].coverer != b.missed[i].coverer) return false;
  }
  return true;
}

}  // namespace

std::string_view Name(RoundPeriod p) { return p == RoundPeriod::kWeekly ? "weekly" : "monthly"; }

std::optional<RoundPeriod> ParseRoundPeriod(std::string_view s) {
  if (s == "weekly") return RoundPeriod::kWeekly;
  if (s == "monthly") return RoundPeriod::kMonthly;
  return std::nullopt;
}

year_month_day RoundDue(year_month_day start, RoundPeriod period, std::int64_t number) {
  if (period == RoundPeriod::kWeekly) return year_month_day{std::chrono::sys_days(start) + std::chrono::days(7 * (number - 1))};
  const auto ym = std::chrono::year_month(start.year(), start.month()) + std::chrono::months(number - 1);
  const auto last = std::chrono::year_month_day_last(ym.year(), std::chrono::month_day_last(ym.month())).day();
  return year_month_day{ym.year(), ym.month(), std::min(start.day(), last)};
}

Tontines::Tontines(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

std::string Tontines::Now() const { return FormatTimestamp(clock_.NowMicros()); }

Result<TontineView> Tontines::Create(std::int64_t organisation, const TontineInput& in) {
  const std::string name(text::Trim(in.name)), unit(text::Trim(in.unit));
  std::vector<FieldError> errors;
  if (name.empty() || !records::IsText(name, 200, false)) errors.push_back({"/name", "invalid", "1 to 200 characters."});
  if (unit.empty() || !records::IsText(unit, 20, false)) errors.push_back({"/unit", "invalid", "1 to 20 characters: XOF, KES, EUR, ..."});
  if (in.decimals < 0 || in.decimals > 4) errors.push_back({"/decimals", "out_of_range", "0 to 4."});
  if (in.contribution < 1 || in.contribution > kContributionMax) errors.push_back({"/contribution", "out_of_range", "A positive amount in minor units."});
  if (!in.seed.empty() && (in.order == PotOrder::kFixed || !records::IsText(in.seed, 200, false))) {
    errors.push_back({"/seed", "invalid", "A draw's seed: 1 to 200 characters, for a lottery or bidding only."});
  }
  if (!in.started_on.ok()) errors.push_back({"/started_on", "invalid_date", "A date, YYYY-MM-DD."});
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  const std::string seed = in.order == PotOrder::kFixed ? "" : (in.seed.empty() ? RandomSeed() : in.seed);
  return store::InTransaction<TontineView>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<TontineView> {
    SOLIDUM_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*), SUM(CASE WHEN name = ? THEN 1 ELSE 0 END) FROM tontines WHERE organisation_id = ?",
                                                       {name, organisation}));
    if (!count->IsNull(1) && count->Int(1) > 0) return Conflict("name_taken", "A tontine of this organisation has this name already.");
    if (count->Int(0) >= static_cast<std::int64_t>(kTontinesMax)) return Conflict("too_many_tontines", "At most 1,000 tontines.");
    SOLIDUM_ASSIGN_OR_RETURN(auto members, RegisterMembers(conn, organisation, in.members, in.started_on, kTontineMembersMax, "/members"));
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO tontines (organisation_id, name, unit, decimals, contribution, pot_order, seed, period, started_on, "
                                                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                     {organisation, name, unit, in.decimals, in.contribution, std::string(Name(in.order)), seed,
                                                      std::string(Name(in.period)), Date(in.started_on), Now()}));
    for (std::size_t i = 0; i < members.size(); ++i) {
      SOLIDUM_TRY(conn.Exec("INSERT INTO tontine_members (tontine_id, position, member_id) VALUES (?, ?, ?)",
                            {row->Int(0), static_cast<std::int64_t>(i), members[i].member_id}));
    }
    return LoadView(conn, organisation, row->Int(0));
  });
}

Result<std::vector<TontineSummary>> Tontines::List(std::int64_t organisation) {
  auto conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kSummaryColumns) + " FROM tontines t WHERE t.organisation_id = ? ORDER BY t.name",
                                                  {organisation}));
  std::vector<TontineSummary> out;
  for (const auto& r : rows) out.push_back(SummaryOf(r));
  return out;
}

Result<TontineView> Tontines::Get(std::int64_t organisation, std::int64_t tontine, std::optional<year_month_day> as_of) {
  if (as_of && !as_of->ok()) return Error::Invalid("?as_of", "invalid_date", "A date, YYYY-MM-DD.");
  auto conn = store_.Acquire();
  return LoadView(*conn, organisation, tontine, as_of);
}

Result<std::pair<TontineView, bool>> Tontines::RecordRound(std::int64_t organisation, std::int64_t tontine, const RoundInput& in) {
  using Recorded = std::pair<TontineView, bool>;
  SOLIDUM_TRY(records::CheckNumbered(in.number, in.held_on, clock_.NowMicros()));
  return store::InTransaction<Recorded>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Recorded> {
    SOLIDUM_ASSIGN_OR_RETURN(auto view, LoadView(conn, organisation, tontine));
    const auto recorded = static_cast<std::int64_t>(view.rounds.size());
    if (in.number > recorded && recorded >= static_cast<std::int64_t>(view.members.size())) {
      return Conflict("cycle_complete", "Every member has had the pot: the tontine is complete.");
    }
    SOLIDUM_ASSIGN_OR_RETURN(bool replay, records::Place(in.number, recorded, [&](std::size_t i) {
      return view.rounds[i].held_on == in.held_on && SameFacts(view.rounds[i].facts, in.facts);
    }, "round_recorded", "Round"));
    if (replay) return Recorded{std::move(view), true};
    SOLIDUM_TRY(records::NotBefore(in.held_on, view.rounds.empty() ? view.tontine.started_on : view.rounds.back().held_on));
    view.rounds.push_back(RecordedRound{in.number, in.held_on, in.facts});
    auto st = Replay(view);
    if (!st.ok()) return AtRound(st.error());
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO tontine_rounds (tontine_id, number, held_on, entered_by, entered_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                                     {tontine, in.number, Date(in.held_on), store::Opt(in.entered_by), Now()}));
    for (std::size_t i = 0; i < in.facts.bids.size(); ++i) {
      SOLIDUM_TRY(conn.Exec("INSERT INTO tontine_round_lines (round_id, kind, position, member_id, amount) VALUES (?, 'bid', ?, ?, ?)",
                            {row->Int(0), static_cast<std::int64_t>(i), in.facts.bids[i].member, in.facts.bids[i].amount}));
    }
    for (std::size_t i = 0; i < in.facts.missed.size(); ++i) {
      SOLIDUM_TRY(conn.Exec("INSERT INTO tontine_round_lines (round_id, kind, position, member_id, coverer_id) VALUES (?, 'missed', ?, ?, ?)",
                            {row->Int(0), static_cast<std::int64_t>(i), in.facts.missed[i].member, store::Opt(in.facts.missed[i].coverer)}));
    }
    view.state = std::move(st).value();
    view.tontine.rounds = recorded + 1;
    Next(view);
    return Recorded{std::move(view), false};
  });
}

Result<std::vector<Tontines::Own>> Tontines::OfUser(std::int64_t user_id) {
  store::Rows rows;
  {
    auto conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(rows, conn->Query("SELECT t.organisation_id, t.id, m.id FROM members m JOIN tontine_members s ON s.member_id = m.id "
                                               "JOIN tontines t ON t.id = s.tontine_id WHERE m.user_id = ? ORDER BY t.name LIMIT 100",
                                               {user_id}));
  }
  std::vector<Own> out;
  for (const auto& r : rows) {
    SOLIDUM_ASSIGN_OR_RETURN(auto view, Get(r.Int(0), r.Int(1)));
    for (const auto& p : view.state.members) {
      if (p.member == r.Int(2)) out.push_back(Own{view.tontine, p.member, p});
    }
  }
  return out;
}

}  // namespace solidum::finance
