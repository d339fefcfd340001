#include "governance/ballots.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <future>
#include <map>
#include <set>

#include "common/json_fields.h"
#include "common/json_write.h"
#include "common/text.h"
#include "governance/entitled.h"
#include "governance/notices.h"
#include "governance/tally/blt.h"
#include "governance/tally/tally_format.h"
#include "mail/outbox.h"

namespace solidum::governance {

using store::Conn;
using store::Null;
using store::Opt;
using store::TxKind;
using store::Value;

namespace {

constexpr std::int64_t kIdMax = std::int64_t{1} << 53;
constexpr std::string_view kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";


// "2026-12-01T09:00:00Z" or with milliseconds -> "2026-12-01T09:00:00.000Z"; nullopt if not
// a UTC time of that shape.
std::optional<std::string> NormalizeTime(std::string_view s) {
  if (s.size() != 20 && s.size() != 24) return std::nullopt;
  if (s.back() != 'Z' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  if (!text::IsIsoDate(s.substr(0, 10))) return std::nullopt;
  auto two = [&](std::size_t at, int max) {
    if (!std::isdigit(static_cast<unsigned char>(s[at])) || !std::isdigit(static_cast<unsigned char>(s[at + 1]))) return false;
    return (s[at] - '0') * 10 + (s[at + 1] - '0') <= max;
  };
  if (!two(11, 23) || !two(14, 59) || !two(17, 59)) return std::nullopt;
  std::string out(s.substr(0, 19));
  if (s.size() == 24) {
    if (s[19] != '.' || !std::all_of(s.begin() + 20, s.begin() + 23, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return std::nullopt;
    }
    out += std::string(s.substr(19, 4));
  } else {
    out += ".000";
  }
  return out + "Z";
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

std::string Blake2b(std::string_view message, std::size_t bytes, std::string_view key = {}) {
  unsigned char h[64];
  crypto_generichash(h, bytes, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return Hex(h, bytes);
}

// Receipt codes: 15 random bytes in base32 (RFC 4648 alphabet), in groups of four.
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
std::string NewReceiptCode() {
  unsigned char bytes[15];
  randombytes_buf(bytes, sizeof bytes);
  std::string raw;
  for (std::size_t i = 0; i < sizeof bytes; i += 5) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < 5; ++k) v = (v << 8) | bytes[i + k];
    for (int k = 7; k >= 0; --k) raw += kBase32[(v >> (k * 5)) & 31];
  }
  std::string out;
  for (std::size_t i = 0; i < raw.size(); i += 4) out += (i ? "-" : "") + raw.substr(i, 4);
  return out;
}
// Upper case, without dashes or spaces: what the hash is taken of.
std::string NormalizeCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}
std::string ReceiptId(std::string_view code) { return Blake2b(NormalizeCode(code), 16); }

std::string ChainHash(std::string_view previous, std::string_view entry) {
  std::string message(previous);
  message += '\n';
  message += entry;
  return Blake2b(message, 32);
}

Result<void> AppendLog(Conn& conn, std::int64_t ballot, boost::json::object fields) {
  SOLIDUM_ASSIGN_OR_RETURN(auto last, conn.QueryOne("SELECT seq, hash FROM ballot_log WHERE ballot_id = ? ORDER BY seq DESC LIMIT 1", {ballot}));
  const std::int64_t seq = last ? last->Int(0) + 1 : 1;
  const std::string previous = last ? last->Text(1) : std::string(kGenesis);
  boost::json::object entry{{"ballot", ballot}, {"seq", seq}};
  for (auto& [k, v] : fields) entry[k] = std::move(v);
  const std::string text = json_write::Serialize(entry);
  SOLIDUM_TRY(conn.Exec("INSERT INTO ballot_log (ballot_id, seq, entry, hash) VALUES (?, ?, ?, ?)",
                        {ballot, seq, text, ChainHash(previous, text)}));
  return Ok();
}

// ---- loading ----

constexpr std::string_view kBallotColumns =
    "id, organisation_id, kind, title, description, state, opens_at, closes_at, eligible_on, threshold, majority_base, "
    "abstentions, weighted, method, seed, entitled, result, version, created_at, updated_at, "
    "(SELECT COUNT(*) FROM ballot_voters v WHERE v.ballot_id = ballots.id)";
constexpr std::string_view kBallotColumnsNoCount =
    "id, organisation_id, kind, title, description, state, opens_at, closes_at, eligible_on, threshold, majority_base, "
    "abstentions, weighted, method, seed, entitled, result, version, created_at, updated_at, 0";

Ballot BallotFromRow(const store::Row& row) {
  Ballot b;
  b.id = row.Int(0);
  b.organisation_id = row.Int(1);
  b.kind = row.Text(2);
  b.title = row.Text(3);
  b.description = row.Text(4);
  b.state = row.Text(5);
  b.opens_at = row.Text(6);
  b.closes_at = row.Text(7);
  b.eligible_on = row.Text(8);
  if (auto t = row.OptText(9)) b.rule.threshold = tally::ParseThreshold(*t).value_or(tally::Threshold::kSimple);
  if (auto t = row.OptText(10)) b.rule.base = tally::ParseMajorityBase(*t).value_or(tally::MajorityBase::kVotesCast);
  if (auto t = row.OptText(11)) b.rule.abstentions = tally::ParseAbstentions(*t).value_or(tally::Abstentions::kExcluded);
  b.rule.weighted = row.Int(12) != 0;
  b.method = row.OptText(13).value_or("");
  b.seed = row.Int(14);
  b.entitled = row.Int(15);
  b.result = row.OptText(16);
  b.version = row.Int(17);
  b.created_at = row.Text(18);
  b.updated_at = row.Text(19);
  b.voted = row.Int(20);
  return b;
}

Result<void> LoadContests(Conn& conn, Ballot& b) {
  b.contests.clear();
  if (b.kind != "election") return Ok();
  // Contests and their candidates in one query (one round trip on the voting path).
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT k.id, k.class_id, c.code, k.seats, k.balance, d.id, d.name, d.affiliation, "
                                                 "d.group_code, d.member_id FROM ballot_contests k "
                                                 "LEFT JOIN member_classes c ON c.id = k.class_id "
                                                 "JOIN ballot_candidates d ON d.contest_id = k.id "
                                                 "WHERE k.ballot_id = ? ORDER BY k.position, d.position",
                                                 {b.id}));
  for (const auto& row : rows) {
    if (b.contests.empty() || b.contests.back().id != row.Int(0)) {
      Contest k;
      k.id = row.Int(0);
      k.class_id = row.OptInt(1);
      k.class_code = row.OptText(2);
      k.seats = static_cast<int>(row.Int(3));
      const boost::json::value balance = boost::json::parse(row.Text(4));
      for (const auto& rule : balance.as_array()) {
        k.balance.push_back({std::string(rule.at("group").as_string()), static_cast<int>(rule.at("seats_min").as_int64())});
      }
      b.contests.push_back(std::move(k));
    }
    b.contests.back().candidates.push_back({row.Int(5), row.Text(6), row.Text(7), row.Text(8), row.OptInt(9)});
  }
  return Ok();
}

// `with_counts`: also count who has voted (a scan of the voters: not on the voting path).
Result<std::optional<Ballot>> LoadBallot(Conn& conn, std::int64_t id, std::optional<std::int64_t> organisation, bool with_counts = true) {
  std::string sql = "SELECT " + std::string(with_counts ? kBallotColumns : kBallotColumnsNoCount) + " FROM ballots WHERE id = ?";
  std::vector<Value> params{id};
  if (organisation) {
    sql += " AND organisation_id = ?";
    params.emplace_back(*organisation);
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(sql, params));
  if (!row) return std::optional<Ballot>();
  Ballot b = BallotFromRow(*row);
  SOLIDUM_TRY(LoadContests(conn, b));
  return std::optional<Ballot>(std::move(b));
}

// Members entitled to vote on `day`, per class (NULL class as 0).
Result<std::map<std::int64_t, std::int64_t>> EntitledByClass(Conn& conn, std::int64_t organisation, const std::string& day) {
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT COALESCE(class_id, 0), COUNT(*) FROM members WHERE organisation_id = ? AND "
                                                 "joined_on <= ? AND (left_on IS NULL OR left_on > ?) AND status = 'active' "
                                                 "GROUP BY COALESCE(class_id, 0)",
                                                 {organisation, day, day}));
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& r : rows) out[r.Int(0)] = r.Int(1);
  return out;
}

const Contest* ContestFor(const Ballot& b, std::optional<std::int64_t> class_id) {
  for (const auto& k : b.contests) {
    if (k.class_id && class_id && *k.class_id == *class_id) return &k;
  }
  for (const auto& k : b.contests) {
    if (!k.class_id) return &k;
  }
  return nullptr;
}

// The paper's content for `vote`, checked against the ballot (and contest, elections).
Result<std::string> PaperContent(const Ballot& b, const Contest* contest, const Vote& vote, const std::string& field) {
  if (b.kind == "motion") {
    if (vote.choice != "yes" && vote.choice != "no" && vote.choice != "abstain") {
      return Error::Invalid(field + "/choice", vote.choice.empty() ? "required" : "unknown_term", "yes, no or abstain.");
    }
    if (!vote.ranking.empty()) return Error::Invalid(field + "/ranking", "not_for_motions", "A motion takes a choice.");
    return vote.choice;
  }
  if (!vote.choice.empty()) return Error::Invalid(field + "/choice", "not_for_elections", "An election takes a ranking of candidates.");
  SOLIDUM_ASSERT(contest != nullptr);
  if (vote.ranking.empty()) return Error::Invalid(field + "/ranking", "required", "Rank at least one candidate.");
  const auto method = tally::ParseMethod(b.method).value_or(tally::Method::kScottish);
  if (method == tally::Method::kPlurality && vote.ranking.size() > 1) {
    return Error::Invalid(field + "/ranking", "too_many_candidates", "This election takes one candidate.");
  }
  if (method == tally::Method::kBlock && vote.ranking.size() > static_cast<std::size_t>(contest->seats)) {
    return Error::Invalid(field + "/ranking", "too_many_candidates", "At most " + std::to_string(contest->seats) + " candidates.");
  }
  std::set<std::int64_t> seen;
  for (std::int64_t id : vote.ranking) {
    const bool known = std::any_of(contest->candidates.begin(), contest->candidates.end(), [&](const auto& c) { return c.id == id; });
    if (!known) return Error::Invalid(field + "/ranking", "unknown_candidate", "Candidate " + std::to_string(id) + " does not stand in your contest.");
    if (!seen.insert(id).second) return Error::Invalid(field + "/ranking", "repeated_candidate", "Candidate " + std::to_string(id) + " is ranked twice.");
  }
  boost::json::array a;
  for (std::int64_t id : vote.ranking) a.push_back(id);
  return json_write::Serialize(a);
}

Result<Receipt> StorePaper(Conn& conn, std::int64_t ballot, std::optional<std::int64_t> college, const std::string& content,
                           const std::string& channel) {
  Receipt r;
  r.code = NewReceiptCode();
  r.receipt_id = ReceiptId(r.code);
  // No log entry per paper: the log's order would follow the order of voting, which
  // anything that records who voted when (an access log) could match.
  SOLIDUM_TRY(conn.Exec("INSERT INTO ballot_papers (ballot_id, receipt_hash, college_id, content, commitment, channel) VALUES (?, ?, ?, ?, ?, ?)",
                        {ballot, r.receipt_id, Opt(college), content, CommitmentOf(r.code, content), channel}));
  return r;
}

// A contest as the counting engine sees it: its candidates in ballot-paper order and its
// papers (JSON lists of candidate ids) with how many of each.
template <typename Papers>
tally::Election ContestElection(const Ballot& b, const Contest& k, const Papers& papers) {
  tally::Election e;
  e.seats = k.seats;
  e.title = b.title;
  std::map<std::int64_t, tally::CandidateIndex> position;
  for (const auto& c : k.candidates) {
    position[c.id] = static_cast<tally::CandidateIndex>(e.candidates.size());
    e.candidates.push_back({c.name, c.affiliation, c.group, false});
  }
  std::vector<tally::CandidateIndex> ranking;
  for (const auto& [content, weight] : papers) {
    ranking.clear();
    const boost::json::value ids = boost::json::parse(content);
    for (const auto& id : ids.as_array()) ranking.push_back(position.at(id.as_int64()));
    e.AddBallot(ranking, weight);
  }
  return e;
}

// The whole count: the motion's outcome, or each contest's tally, as JSON.
Result<std::string> Count(Conn& conn, const Ballot& b) {
  SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT college_id, content FROM ballot_papers WHERE ballot_id = ?", {b.id}));
  if (b.kind == "motion") {
    SOLIDUM_ASSIGN_OR_RETURN(auto entitled, EntitledByClass(conn, b.organisation_id, b.eligible_on));
    SOLIDUM_ASSIGN_OR_RETURN(auto classes, conn.Query("SELECT id, code, college_weight_percent FROM member_classes WHERE "
                                                      "organisation_id = ? ORDER BY code",
                                                      {b.organisation_id}));
    std::vector<tally::CollegeVotes> colleges;
    std::map<std::int64_t, std::size_t> index;  // class id (0: none) -> college
    if (b.rule.weighted) {
      for (const auto& c : classes) {
        index[c.Int(0)] = colleges.size();
        colleges.push_back({c.Text(1), c.OptInt(2).value_or(0), 0, 0, 0, 0});
      }
      index[0] = colleges.size();
      colleges.push_back({"", 0, 0, 0, 0, 0});
    } else {
      colleges.push_back({"", 0, 0, 0, 0, 0});
    }
    auto college_of = [&](std::int64_t class_id) -> tally::CollegeVotes& {
      if (!b.rule.weighted) return colleges[0];
      auto it = index.find(class_id);
      return colleges[it == index.end() ? index[0] : it->second];
    };
    for (const auto& [class_id, n] : entitled) college_of(class_id).entitled += n;
    for (const auto& r : rows) {
      auto& c = college_of(r.OptInt(0).value_or(0));
      const std::string& v = r.Text(1);
      (v == "yes" ? c.yes : v == "no" ? c.no : c.abstain) += 1;
    }
    if (b.rule.weighted && colleges.back().entitled == 0 && colleges.back().yes + colleges.back().no + colleges.back().abstain == 0) {
      colleges.pop_back();  // no member outside the classes
    }
    const auto m = tally::CountMotion(colleges, b.rule);
    boost::json::array per;
    for (std::size_t i = 0; i < colleges.size(); ++i) {
      const auto& c = colleges[i];
      per.push_back({{"class", c.name.empty() ? boost::json::value(nullptr) : boost::json::value(c.name)},
                     {"weight", c.weight},
                     {"yes", c.yes},
                     {"no", c.no},
                     {"abstain", c.abstain},
                     {"entitled", c.entitled},
                     {"share_ppm", m.college_share_ppm[i]}});
    }
    return json_write::Serialize(boost::json::object{{"adopted", m.adopted},
                                                     {"yes", m.yes},
                                                     {"no", m.no},
                                                     {"abstain", m.abstain},
                                                     {"entitled", m.entitled},
                                                     {"share_ppm", m.share_ppm},
                                                     {"rule", m.rule},
                                                     {"colleges", std::move(per)}});
  }
  const auto method = tally::ParseMethod(b.method).value_or(tally::Method::kScottish);
  boost::json::array contests;
  for (const auto& k : b.contests) {
    std::map<std::string, std::int64_t> same;  // identical papers counted once, weighted
    std::int64_t papers = 0;
    for (const auto& r : rows) {
      if (r.OptInt(0) != std::optional<std::int64_t>(k.id)) continue;
      ++same[r.Text(1)];
      ++papers;
    }
    const tally::Election e = ContestElection(b, k, same);
    auto t = tally::Count(e, tally::Options{method, k.seats, static_cast<std::uint64_t>(b.seed), k.balance});
    if (!t.ok()) return t.error();
    contests.push_back({{"contest_id", k.id},
                        {"class", k.class_code ? boost::json::value(*k.class_code) : boost::json::value(nullptr)},
                        {"seats", k.seats},
                        {"papers", papers},
                        {"tally", boost::json::parse(tally::TallyJson(e, *t))}});
  }
  return json_write::Serialize(boost::json::object{{"contests", std::move(contests)}});
}

// Emails every entitled member with an address (in an election, those whose college votes)
// the invitation (on opening) or the results (on publishing), in their language.
Result<void> QueueNotices(Conn& conn, const Ballot& b, bool results, const std::string& now, const std::string& public_url) {
  SOLIDUM_ASSIGN_OR_RETURN(auto members, EntitledMembers(conn, b.organisation_id, b.eligible_on));
  SOLIDUM_ASSIGN_OR_RETURN(auto org, OrganisationName(conn, b.organisation_id));
  const notices::BallotFacts facts{org, b.title, b.kind, b.opens_at, b.closes_at, public_url + "/ballots/" + std::to_string(b.id)};
  notices::Outcome outcome;
  if (results && b.result) {
    const auto r = boost::json::parse(*b.result).as_object();
    if (const auto* adopted = r.if_contains("adopted")) {
      outcome.adopted = adopted->as_bool();
      outcome.yes = r.at("yes").as_int64();
      outcome.no = r.at("no").as_int64();
      outcome.abstain = r.at("abstain").as_int64();
    } else {
      for (const auto& k : r.at("contests").as_array()) {
        std::vector<std::string> names;
        for (const auto& n : k.at("tally").at("elected").as_array()) names.push_back(std::string(n.as_string()));
        const auto& cls = k.at("class");
        outcome.elected.emplace_back(cls.is_string() ? std::string(cls.as_string()) : "", std::move(names));
      }
    }
  }
  std::vector<mail::Outgoing> out;
  for (const auto& m : members) {
    if (!m.email || (b.kind == "election" && !ContestFor(b, m.class_id))) continue;
    auto text = results ? notices::BallotResults(m.language, facts, outcome, m.name) : notices::BallotInvitation(m.language, facts, m.name);
    out.push_back({{*m.email, m.name, std::move(text.subject), std::move(text.body)}, m.language, results ? "ballot_results" : "ballot_invitation",
                   "ballot:" + std::to_string(b.id), m.id});
  }
  SOLIDUM_TRY(mail::Enqueue(conn, out, now));
  return {};
}

Result<Ballot> Transition(store::Store& store, std::int64_t organisation, std::int64_t id, std::int64_t expected_version,
                          const std::string& from, const std::string& now,
                          const std::function<Result<void>(Conn&, Ballot&)>& change) {
  return store::InTransaction<Ballot>(store, TxKind::kWrite, [&](Conn& conn) -> Result<Ballot> {
    SOLIDUM_ASSIGN_OR_RETURN(auto b, LoadBallot(conn, id, organisation));
    if (!b) return Error::NotFound("No ballot " + std::to_string(id) + " here.");
    if (b->version != expected_version) return VersionMismatch("ballot");
    if (b->state != from) return Conflict("wrong_state", "The ballot is " + b->state + ", not " + from + ".");
    SOLIDUM_TRY(change(conn, *b));
    SOLIDUM_TRY(conn.Exec("UPDATE ballots SET state = ?, entitled = ?, result = ?, version = version + 1, updated_at = ? WHERE id = ?",
                          {b->state, b->entitled, Opt(b->result), now, id}));
    SOLIDUM_ASSIGN_OR_RETURN(auto back, LoadBallot(conn, id, organisation));
    return std::move(*back);
  });
}

}  // namespace

std::string CommitmentOf(std::string_view receipt_code, std::string_view content) {
  return Blake2b(content, 32, NormalizeCode(receipt_code));
}

std::string PapersHash(const std::vector<Paper>& papers) {
  std::string text;
  for (const auto& p : papers) text += p.receipt_id + " " + p.commitment + "\n";
  return Blake2b(text, 32);
}

std::optional<std::int64_t> VerifyLog(const std::vector<LogEntry>& log) {
  std::string previous(kGenesis);
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto& e = log[i];
    if (e.seq != static_cast<std::int64_t>(i) + 1 || ChainHash(previous, e.entry) != e.hash) return e.seq;
    previous = e.hash;
  }
  return std::nullopt;
}

Result<BallotInput> ParseBallot(const boost::json::value& body) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return Error::Invalid("", "not_an_object", "A JSON object is expected.");
  BallotInput in;
  Ballot& b = in.ballot;
  auto kind = r.Text("kind", {.required = true, .nullable = false, .max_chars = 20});
  auto title = r.Text("title", {.required = true, .nullable = false, .max_chars = 300});
  auto description = r.Text("description", {.max_chars = 20000, .multiline = true});
  auto opens = r.Text("opens_at", {.required = true, .nullable = false, .max_chars = 30});
  auto closes = r.Text("closes_at", {.required = true, .nullable = false, .max_chars = 30});
  auto eligible = r.Text("eligible_on", {.max_chars = 10});
  b.kind = kind.value;
  b.title = title.value;
  b.description = description.has_value() ? description.value : "";
  if (kind.has_value() && b.kind != "motion" && b.kind != "election") r.Fail("kind", "unknown_term", "motion or election.");
  for (auto [f, key, out] : {std::tuple{&opens, "opens_at", &b.opens_at}, std::tuple{&closes, "closes_at", &b.closes_at}}) {
    if (!f->has_value()) continue;
    auto t = NormalizeTime(f->value);
    if (t) *out = *t;
    else r.Fail(key, "invalid_time", "A UTC time such as 2026-12-01T09:00:00Z is expected.");
  }
  if (!b.opens_at.empty() && !b.closes_at.empty() && b.closes_at <= b.opens_at) {
    r.Fail("closes_at", "times_out_of_order", "Voting must close after it opens.");
  }
  if (eligible.has_value() && !eligible.value.empty()) {
    if (text::IsIsoDate(eligible.value)) b.eligible_on = eligible.value;
    else r.Fail("eligible_on", "invalid_date", "A date such as 2026-11-30 is expected.");
  } else if (!b.opens_at.empty()) {
    b.eligible_on = b.opens_at.substr(0, 10);
  }
  // Motions
  auto threshold = r.Text("threshold", {.nullable = false, .max_chars = 20});
  auto base = r.Text("majority_base", {.nullable = false, .max_chars = 20});
  auto abstentions = r.Text("abstentions", {.nullable = false, .max_chars = 20});
  auto weighted = r.Bool("weighted");
  // Elections
  auto method = r.Text("method", {.nullable = false, .max_chars = 20});
  auto seed = r.Integer("seed", 1, kIdMax);
  const boost::json::value* contests = r.Raw("contests");
  if (b.kind == "motion") {
    if (threshold.has_value()) {
      if (auto t = tally::ParseThreshold(threshold.value)) b.rule.threshold = *t;
      else r.Fail("threshold", "unknown_term", "simple, two_thirds or three_quarters.");
    }
    if (base.has_value()) {
      if (auto t = tally::ParseMajorityBase(base.value)) b.rule.base = *t;
      else r.Fail("majority_base", "unknown_term", "votes_cast or members.");
    }
    if (abstentions.has_value()) {
      if (auto t = tally::ParseAbstentions(abstentions.value)) b.rule.abstentions = *t;
      else r.Fail("abstentions", "unknown_term", "excluded or against.");
    }
    b.rule.weighted = weighted.has_value() && weighted.value;
    if (method.present) r.Fail("method", "not_for_motions", "A motion has no counting method: it has a threshold.");
    if (contests) r.Fail("contests", "not_for_motions", "A motion has no contests.");
  } else if (b.kind == "election") {
    for (const auto& [f, key] : {std::pair{threshold.present, "threshold"}, std::pair{base.present, "majority_base"},
                                 std::pair{abstentions.present, "abstentions"}, std::pair{weighted.present, "weighted"}}) {
      if (f) r.Fail(key, "not_for_elections", "Elections are counted by their method.");
    }
    b.method = method.has_value() ? method.value : "scottish";
    if (!tally::ParseMethod(b.method)) r.Fail("method", "unknown_term", "scottish, meek, wigm, irv, plurality, block or approval.");
    if (seed.has_value()) {
      b.seed = seed.value;
    } else {
      b.seed = static_cast<std::int64_t>(randombytes_uniform(1u << 31)) + 1;  // fixed before anyone votes, published in the log
    }
    if (!contests || !contests->is_array() || contests->as_array().empty()) {
      r.Fail("contests", "required", "An election has at least one contest: a college (class) or all members, seats and candidates.");
    } else if (contests->as_array().size() > kContestsMax) {
      r.Fail("contests", "too_many", "At most " + std::to_string(kContestsMax) + " contests.");
    } else {
      const auto& list = contests->as_array();
      for (std::size_t i = 0; i < list.size(); ++i) {
        json_fields::ObjectReader c(list[i], r.PathOf("contests") + "/" + std::to_string(i));
        if (!c.is_object()) {
          r.FailAt(c.path(), "not_an_object", "A contest is an object.");
          continue;
        }
        Contest k;
        auto cls = c.Text("class", {.max_chars = 32});
        auto seats = c.Integer("seats", 1, 1000, true);
        k.seats = static_cast<int>(seats.value);
        in.contest_classes.push_back(cls.has_value() && !cls.value.empty() ? std::optional(cls.value) : std::nullopt);
        if (const auto* balance = c.Raw("balance"); balance && !balance->is_null()) {
          if (!balance->is_array() || balance->as_array().size() > 10) {
            c.Fail("balance", "invalid_value", "A list of {group, seats_min}, at most 10.");
          } else {
            for (std::size_t j = 0; j < balance->as_array().size(); ++j) {
              json_fields::ObjectReader rule(balance->as_array()[j], c.PathOf("balance") + "/" + std::to_string(j));
              auto g = rule.Text("group", {.required = true, .nullable = false, .max_chars = 32});
              auto n = rule.Integer("seats_min", 1, 1000, true);
              k.balance.push_back({g.value, static_cast<int>(n.value)});
              c.Merge(rule);
            }
          }
        }
        const auto* cands = c.Raw("candidates");
        if (!cands || !cands->is_array() || cands->as_array().empty() || cands->as_array().size() > kCandidatesPerContestMax) {
          c.Fail("candidates", "required", "1 to " + std::to_string(kCandidatesPerContestMax) + " candidates.");
        } else {
          std::set<std::string> names;
          for (std::size_t j = 0; j < cands->as_array().size(); ++j) {
            json_fields::ObjectReader cand(cands->as_array()[j], c.PathOf("candidates") + "/" + std::to_string(j));
            auto name = cand.Text("name", {.required = true, .nullable = false, .max_chars = 200});
            auto affiliation = cand.Text("affiliation", {.max_chars = 200});
            auto group = cand.Text("group", {.max_chars = 32});
            auto member = cand.Integer("member_id", 1, kIdMax);
            if (name.has_value() && name.value.find('"') != std::string::npos) {
              cand.Fail("name", "invalid_char", "A name cannot hold a double quote (\").");
            }
            if (name.has_value() && !names.insert(name.value).second) cand.Fail("name", "duplicate", "Two candidates have this name.");
            BallotCandidate bc;
            bc.name = name.value;
            bc.affiliation = affiliation.has_value() ? affiliation.value : "";
            bc.group = group.has_value() ? group.value : "";
            if (member.has_value()) bc.member_id = member.value;
            k.candidates.push_back(std::move(bc));
            c.Merge(cand);
          }
        }
        if (r.Merge(c) && !k.candidates.empty()) {
          // What the count would refuse (seats, balance rules), refused now.
          tally::Election empty;
          empty.seats = k.seats;
          for (const auto& bc : k.candidates) empty.candidates.push_back({bc.name, "", bc.group, false});
          auto t = tally::Count(empty, tally::Options{tally::ParseMethod(b.method).value_or(tally::Method::kScottish), k.seats, 1, k.balance});
          if (!t.ok()) {
            const auto& fe = t.error().fields.at(0);
            r.FailAt(r.PathOf("contests") + "/" + std::to_string(i) + "/" + fe.field, fe.code, fe.message);
          }
        }
        b.contests.push_back(std::move(k));
      }
    }
  }
  SOLIDUM_TRY(r.Finish());
  return in;
}

Result<Vote> ParseVote(const boost::json::value& body, const std::string& field) {
  json_fields::ObjectReader r(body, field);
  if (!r.is_object()) return Error::Invalid(field, "not_an_object", "A JSON object is expected.");
  Vote v;
  auto choice = r.Text("choice", {.nullable = false, .max_chars = 10});
  auto ranking = r.IntegerList("ranking", 1, kIdMax, kCandidatesPerContestMax);
  if (choice.has_value()) v.choice = choice.value;
  if (ranking.has_value()) v.ranking = ranking.value;
  SOLIDUM_TRY(r.Finish());
  return v;
}

Result<Ballot> Ballots::Create(std::int64_t organisation, const BallotInput& in, std::optional<std::int64_t> by) {
  const std::string now = Now();
  return store::InTransaction<Ballot>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<Ballot> {
    SOLIDUM_ASSIGN_OR_RETURN(auto org, conn.QueryOne("SELECT 1 FROM organisations WHERE id = ? AND deleted_at IS NULL", {organisation}));
    if (!org) return Error::NotFound("No organisation " + std::to_string(organisation) + ".");
    const Ballot& b = in.ballot;
    // Classes by code, one contest per college, candidates members here.
    std::vector<std::optional<std::int64_t>> class_ids;
    std::set<std::optional<std::int64_t>> colleges;
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < b.contests.size(); ++i) {
      const std::string at = "/contests/" + std::to_string(i);
      std::optional<std::int64_t> class_id;
      if (in.contest_classes[i]) {
        SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id FROM member_classes WHERE organisation_id = ? AND code = ?",
                                                         {organisation, *in.contest_classes[i]}));
        if (!row) errors.push_back({at + "/class", "unknown_class", "No member class has this code here."});
        else class_id = row->Int(0);
      }
      if (!colleges.insert(class_id).second) errors.push_back({at + "/class", "duplicate_college", "Two contests for the same college."});
      class_ids.push_back(class_id);
      for (std::size_t j = 0; j < b.contests[i].candidates.size(); ++j) {
        const auto& c = b.contests[i].candidates[j];
        if (!c.member_id) continue;
        SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT 1 FROM members WHERE id = ? AND organisation_id = ?", {*c.member_id, organisation}));
        if (!row) errors.push_back({at + "/candidates/" + std::to_string(j) + "/member_id", "unknown_member", "Not a member here."});
      }
    }
    if (colleges.size() > 1 && colleges.count(std::nullopt)) {
      errors.push_back({"/contests", "mixed_colleges", "Either one contest for all members or one per college, not both."});
    }
    if (!errors.empty()) return Error{ErrorKind::kInvalidInput, "validation_failed", "The request has invalid fields.", std::move(errors)};
    auto opt_text = [](bool motion, std::string_view v) -> Value { return motion ? Value(std::string(v)) : Value(Null{}); };
    const bool motion = b.kind == "motion";
    SOLIDUM_ASSIGN_OR_RETURN(
        auto row, conn.QueryOne("INSERT INTO ballots (organisation_id, kind, title, description, state, opens_at, closes_at, eligible_on, "
                                "threshold, majority_base, abstentions, weighted, method, seed, created_by, created_at, updated_at) "
                                "VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                {organisation, b.kind, b.title, b.description, b.opens_at, b.closes_at, b.eligible_on,
                                 opt_text(motion, tally::ThresholdName(b.rule.threshold)),
                                 opt_text(motion, tally::MajorityBaseName(b.rule.base)),
                                 opt_text(motion, tally::AbstentionsName(b.rule.abstentions)),
                                 std::int64_t{b.rule.weighted ? 1 : 0}, motion ? Value(Null{}) : Value(b.method), b.seed, Opt(by), now, now}));
    const std::int64_t id = row->Int(0);
    for (std::size_t i = 0; i < b.contests.size(); ++i) {
      const Contest& k = b.contests[i];
      boost::json::array balance;
      for (const auto& rule : k.balance) balance.push_back({{"group", rule.group}, {"seats_min", rule.seats_min}});
      SOLIDUM_ASSIGN_OR_RETURN(auto krow, conn.QueryOne("INSERT INTO ballot_contests (ballot_id, position, class_id, seats, balance) "
                                                        "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                                        {id, static_cast<std::int64_t>(i), Opt(class_ids[i]), std::int64_t{k.seats},
                                                         json_write::Serialize(balance)}));
      for (std::size_t j = 0; j < k.candidates.size(); ++j) {
        const auto& c = k.candidates[j];
        SOLIDUM_TRY(conn.Exec("INSERT INTO ballot_candidates (contest_id, position, name, affiliation, group_code, member_id) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              {krow->Int(0), static_cast<std::int64_t>(j), c.name, c.affiliation, c.group, Opt(c.member_id)}));
      }
    }
    SOLIDUM_ASSIGN_OR_RETURN(auto back, LoadBallot(conn, id, organisation));
    return std::move(*back);
  });
}

Result<Ballot> Ballots::Get(std::int64_t organisation, std::int64_t id) {
  return store::InTransaction<Ballot>(store_, TxKind::kRead, [&](Conn& conn) -> Result<Ballot> {
    SOLIDUM_ASSIGN_OR_RETURN(auto b, LoadBallot(conn, id, organisation));
    if (!b) return Error::NotFound("No ballot " + std::to_string(id) + " here.");
    return std::move(*b);
  });
}

Result<Ballot> Ballots::GetPublic(std::int64_t id) {
  return store::InTransaction<Ballot>(store_, TxKind::kRead, [&](Conn& conn) -> Result<Ballot> {
    SOLIDUM_ASSIGN_OR_RETURN(auto b, LoadBallot(conn, id, std::nullopt));
    if (!b || b->state == "draft") return Error::NotFound("No ballot " + std::to_string(id) + ".");
    if (b->state != "published") b->result.reset();
    return std::move(*b);
  });
}

Result<std::vector<Ballot>> Ballots::List(std::int64_t organisation) {
  return store::InTransaction<std::vector<Ballot>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Ballot>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kBallotColumns) + " FROM ballots WHERE organisation_id = ? "
                                                   "ORDER BY opens_at DESC, id DESC LIMIT 500",
                                                   {organisation}));
    std::vector<Ballot> out;
    for (const auto& row : rows) {
      out.push_back(BallotFromRow(row));
      SOLIDUM_TRY(LoadContests(conn, out.back()));
    }
    return out;
  });
}

Result<void> Ballots::DeleteDraft(std::int64_t organisation, std::int64_t id, std::int64_t expected_version) {
  auto done = store::InTransaction<bool>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<bool> {
    SOLIDUM_ASSIGN_OR_RETURN(auto b, LoadBallot(conn, id, organisation));
    if (!b) return Error::NotFound("No ballot " + std::to_string(id) + " here.");
    if (b->version != expected_version) return VersionMismatch("ballot");
    if (b->state != "draft") return Conflict("wrong_state", "Only a draft can be deleted; an opened ballot stays on record.");
    SOLIDUM_TRY(conn.Exec("DELETE FROM ballot_candidates WHERE contest_id IN (SELECT id FROM ballot_contests WHERE ballot_id = ?)", {id}));
    SOLIDUM_TRY(conn.Exec("DELETE FROM ballot_contests WHERE ballot_id = ?", {id}));
    SOLIDUM_TRY(conn.Exec("DELETE FROM ballots WHERE id = ?", {id}));
    return true;
  });
  if (!done.ok()) return std::move(done).error();
  return Ok();
}

Result<Ballot> Ballots::Open(std::int64_t organisation, std::int64_t id, std::int64_t expected_version) {
  const std::string now = Now();
  return Transition(store_, organisation, id, expected_version, "draft", now, [&](Conn& conn, Ballot& b) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto entitled, EntitledByClass(conn, organisation, b.eligible_on));
    b.entitled = 0;
    for (const auto& [class_id, n] : entitled) {
      if (b.kind == "motion" || ContestFor(b, class_id == 0 ? std::nullopt : std::optional(class_id))) b.entitled += n;
    }
    b.state = "open";
    // The definition every voter sees, fixed in the log: title, rules, contests, candidates, seed.
    boost::json::object def{{"kind", b.kind}, {"title", b.title}, {"opens_at", b.opens_at}, {"closes_at", b.closes_at},
                            {"eligible_on", b.eligible_on}};
    if (b.kind == "motion") {
      def["threshold"] = tally::ThresholdName(b.rule.threshold);
      def["majority_base"] = tally::MajorityBaseName(b.rule.base);
      def["abstentions"] = tally::AbstentionsName(b.rule.abstentions);
      def["weighted"] = b.rule.weighted;
    } else {
      def["method"] = b.method;
      def["seed"] = b.seed;
      boost::json::array contests;
      for (const auto& k : b.contests) {
        boost::json::array cands;
        for (const auto& c : k.candidates) cands.push_back({{"id", c.id}, {"name", c.name}});
        contests.push_back({{"id", k.id}, {"seats", k.seats}, {"candidates", std::move(cands)}});
      }
      def["contests"] = std::move(contests);
    }
    SOLIDUM_TRY(QueueNotices(conn, b, /*results=*/false, now, public_url_));
    return AppendLog(conn, id, {{"event", "opened"}, {"at", now}, {"entitled", b.entitled}, {"definition", std::move(def)}});
  });
}

Result<Ballot> Ballots::Close(std::int64_t organisation, std::int64_t id, std::int64_t expected_version) {
  const std::string now = Now();
  {
    std::lock_guard lock(cache_mu_);
    open_cache_.erase(id);  // votes from now on read its state (the writer refuses them anyway)
  }
  return Transition(store_, organisation, id, expected_version, "open", now, [&](Conn& conn, Ballot& b) -> Result<void> {
    SOLIDUM_ASSIGN_OR_RETURN(auto result, Count(conn, b));
    b.result = result;
    b.state = "closed";
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT receipt_hash, college_id, content, commitment, channel FROM ballot_papers "
                                                   "WHERE ballot_id = ? ORDER BY receipt_hash",
                                                   {id}));
    std::vector<Paper> papers;
    std::int64_t on_paper = 0;
    for (const auto& r : rows) {
      papers.push_back({r.Text(0), r.OptInt(1), r.Text(2), r.Text(3)});
      on_paper += r.Text(4) == "paper" ? 1 : 0;
    }
    return AppendLog(conn, id, {{"event", "closed"}, {"at", now}, {"voters", b.voted}, {"papers", static_cast<std::int64_t>(papers.size())},
                                {"paper_ballots", on_paper}, {"papers_hash", PapersHash(papers)}, {"result", Blake2b(result, 32)}});
  });
}

Result<Ballot> Ballots::Publish(std::int64_t organisation, std::int64_t id, std::int64_t expected_version) {
  const std::string now = Now();
  return Transition(store_, organisation, id, expected_version, "closed", now, [&](Conn& conn, Ballot& b) -> Result<void> {
    b.state = "published";
    SOLIDUM_TRY(QueueNotices(conn, b, /*results=*/true, now, public_url_));
    return AppendLog(conn, id, {{"event", "published"}, {"at", now}});
  });
}

Result<std::shared_ptr<const Ballot>> Ballots::OpenBallot(std::int64_t id) {
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = open_cache_.find(id); it != open_cache_.end()) return it->second;
  }
  store::ConnLease conn = store_.Acquire();
  SOLIDUM_ASSIGN_OR_RETURN(auto b, LoadBallot(*conn, id, std::nullopt, /*with_counts=*/false));
  if (!b) return std::shared_ptr<const Ballot>();
  auto shared = std::make_shared<const Ballot>(std::move(*b));
  if (shared->state == "open") {
    std::lock_guard lock(cache_mu_);
    if (open_cache_.size() >= kOpenBallotsCached) open_cache_.clear();
    open_cache_[id] = shared;
  }
  return shared;
}

namespace {

struct Checked {
  std::int64_t member_id = 0;
  std::optional<std::int64_t> college;
  std::string content;
};

// The member `user` was on `day` in the organisation (their latest membership then), if any.
constexpr std::string_view kVoterSql =
    "SELECT m.id, m.class_id, m.status FROM members m WHERE m.organisation_id = ? AND m.user_id = ? "
    "AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on > ?) ORDER BY m.joined_on DESC LIMIT 1";
// The same for a batch of keys (PostgreSQL), answering the key's position.
constexpr std::string_view kVotersSql =
    "SELECT k.i, m.id, m.class_id, m.status FROM unnest(?::bigint[], ?::bigint[], ?::text[]) WITH ORDINALITY AS k(org, usr, day, i) "
    "CROSS JOIN LATERAL (SELECT m.id, m.class_id, m.status FROM members m WHERE m.organisation_id = k.org AND m.user_id = k.usr "
    "AND m.joined_on <= k.day AND (m.left_on IS NULL OR m.left_on > k.day) ORDER BY m.joined_on DESC LIMIT 1) m";

Ballots::VoterRow VoterOf(const store::Row& r, int first) {
  return Ballots::VoterRow{r.Int(first), r.OptInt(first + 1), r.Text(first + 2)};
}

Result<std::optional<Ballots::VoterRow>> LookUpVoter(Conn& conn, const Ballots::VoterKey& k) {
  SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne(kVoterSql, {k.organisation, k.user, k.day, k.day}));
  if (!row) return std::optional<Ballots::VoterRow>();
  return std::optional<Ballots::VoterRow>(VoterOf(*row, 0));
}

// The member may vote in `b` with `vote`: a member on its eligibility day with voting
// rights, in a college that votes, with a valid paper. Whether they have voted is the
// writer's to find (the voters' primary key): a check here would be planned once per
// connection, while the voters' table was still empty, as a scan that grows with the vote
// (PostgreSQL's generic plans).
Result<Checked> CheckVoter(const Ballot& b, const std::optional<Ballots::VoterRow>& member, const Vote& vote) {
  if (!member) return Error::Make(ErrorKind::kForbidden, "not_eligible", "Only members on " + b.eligible_on + " vote in this ballot.");
  if (member->status != "active") return Error::Make(ErrorKind::kForbidden, "not_eligible", "Your rights as a member are suspended.");
  Checked c;
  c.member_id = member->member;
  const auto class_id = member->class_id;
  const Contest* contest = nullptr;
  if (b.kind == "election") {
    contest = ContestFor(b, class_id);
    if (!contest) return Error::Make(ErrorKind::kForbidden, "not_eligible", "Your college elects no one in this election.");
  }
  SOLIDUM_ASSIGN_OR_RETURN(c.content, PaperContent(b, contest, vote, ""));
  // A paper names its college only where the count needs it (an election's contest, a
  // weighted motion's class): otherwise a small class would give its members' votes away.
  if (contest) c.college = contest->id;
  else if (b.rule.weighted) c.college = class_id;
  return c;
}

// The voter only while the ballot is open and only once (the primary key).
constexpr std::string_view kVoter =
    "INSERT INTO ballot_voters (ballot_id, member_id, channel) SELECT ?, ?, 'online' "
    "WHERE EXISTS (SELECT 1 FROM ballots WHERE id = ? AND state = 'open') ON CONFLICT DO NOTHING";
constexpr std::string_view kPaper =
    "INSERT INTO ballot_papers (ballot_id, receipt_hash, college_id, content, commitment, channel) VALUES (?, ?, ?, ?, ?, 'online')";
// PostgreSQL, any ballot: the voter and the paper in one statement.
constexpr std::string_view kVoterAndPaper =
    "WITH voter AS (INSERT INTO ballot_voters (ballot_id, member_id, channel) SELECT ?, ?, 'online' "
    "WHERE EXISTS (SELECT 1 FROM ballots WHERE id = ? AND state = 'open') ON CONFLICT DO NOTHING RETURNING 1) "
    "INSERT INTO ballot_papers (ballot_id, receipt_hash, college_id, content, commitment, channel) "
    "SELECT ?, ?, ?, ?, ?, 'online' FROM voter";
}  // namespace

Ballots::Ballots(store::Store& store, const Clock& clock, std::string public_url)
    : store_(store), clock_(clock), public_url_(std::move(public_url)), votes_(store) {
  if (store.backend() != store::Backend::kPostgres) return;  // in-process SQLite: no round trip to save
  voter_batch_ = std::make_unique<store::LookupBatch<VoterKey, VoterRow>>(
      [this](std::span<const VoterKey> keys) -> Result<std::vector<std::optional<VoterRow>>> {
        std::vector<std::int64_t> orgs, users;
        std::vector<std::string> days;
        for (const auto& k : keys) {
          orgs.push_back(k.organisation);
          users.push_back(k.user);
          days.push_back(k.day);
        }
        auto conn = store_.Acquire();
        SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn->Query(kVotersSql, {store::PgArray(orgs), store::PgArray(users), store::PgArray(days)}));
        std::vector<std::optional<VoterRow>> out(keys.size());
        for (const auto& r : rows) out.at(static_cast<std::size_t>(r.Int(0) - 1)) = VoterOf(r, 1);
        return out;
      });
}

namespace {

// Nothing was written for a vote: why (in the writer's transaction).
Result<Receipt> WhyNotWritten(Conn& conn, const Ballot& b, const Ballots::VoterKey& key, const Vote& vote) {
  SOLIDUM_ASSIGN_OR_RETURN(auto member, LookUpVoter(conn, key));
  SOLIDUM_TRY(CheckVoter(b, member, vote));
  SOLIDUM_ASSIGN_OR_RETURN(auto state, conn.QueryOne("SELECT state FROM ballots WHERE id = ?", {b.id}));
  if (!state || state->Text(0) != "open") return Conflict("voting_closed", "Voting has closed.");
  return Conflict("already_voted", "You have voted in this ballot.");
}

}  // namespace

// Checked first, in parallel with other votes: the ballot is open (its definition comes
// from the cache of open ballots, fixed while open), the user a member with voting
// rights, the paper valid for their contest. The writer then only writes, if the ballot
// is still open and the member has not voted meanwhile.
Result<Ballots::Casting> Ballots::StartCast(std::int64_t ballot, std::int64_t user_id) {
  const std::string now = Now();
  SOLIDUM_ASSIGN_OR_RETURN(auto b, OpenBallot(ballot));
  if (!b || b->state == "draft") return Error::NotFound("No ballot " + std::to_string(ballot) + ".");
  if (b->state != "open" || now >= b->closes_at) return Conflict("voting_closed", "Voting has closed.");
  if (now < b->opens_at) return Conflict("not_open", "Voting opens at " + b->opens_at + ".");
  Casting c{b, {}, VoterKey{b->organisation_id, user_id, b->eligible_on}};
  c.receipt.code = NewReceiptCode();
  c.receipt.receipt_id = ReceiptId(c.receipt.code);
  return c;
}

Result<Receipt> Ballots::Cast(std::int64_t ballot, std::int64_t user_id, const Vote& vote) {
  if (voter_batch_) {  // PostgreSQL: one code path, the asynchronous one
    std::promise<Result<Receipt>> answer;
    auto got = answer.get_future();
    CastAsync(ballot, user_id, vote, [&answer](Result<Receipt> r) { answer.set_value(std::move(r)); });
    return got.get();
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto c, StartCast(ballot, user_id));
  SOLIDUM_ASSIGN_OR_RETURN(auto checked, [&]() -> Result<Checked> {
    store::ConnLease conn = store_.Acquire();
    SOLIDUM_ASSIGN_OR_RETURN(auto member, LookUpVoter(*conn, c.key));
    return CheckVoter(*c.ballot, member, vote);
  }());
  const std::string commitment = CommitmentOf(c.receipt.code, checked.content);
  return votes_.Run<Receipt>([&](Conn& conn) -> Result<Receipt> {
    SOLIDUM_ASSIGN_OR_RETURN(auto written, conn.Exec(kVoter, {ballot, checked.member_id, ballot}));
    if (written != 1) return WhyNotWritten(conn, *c.ballot, c.key, vote);
    SOLIDUM_TRY(conn.Exec(kPaper, {ballot, c.receipt.receipt_id, Opt(checked.college), checked.content, commitment}));
    return c.receipt;
  });
}

void Ballots::CastAsync(std::int64_t ballot, std::int64_t user_id, Vote vote, std::function<void(Result<Receipt>)> done) {
  if (!voter_batch_) {
    done(Cast(ballot, user_id, vote));
    return;
  }
  auto c = StartCast(ballot, user_id);
  if (!c.ok()) {
    done(c.error());
    return;
  }
  // The member lookup shares a query with other votes', then the voter and the paper go
  // in one statement pipelined with theirs; no thread waits in between.
  auto key = c->key;
  voter_batch_->GetAsync(std::move(key), [this, c = std::move(*c), vote = std::move(vote), done = std::move(done)](
                                             Result<std::optional<VoterRow>> member) mutable {
    Result<Checked> checked = member.ok() ? CheckVoter(*c.ballot, *member, vote) : Result<Checked>(member.error());
    if (!checked.ok()) {
      done(checked.error());
      return;
    }
    const std::int64_t id = c.ballot->id;
    std::vector<store::Value> params{id, checked->member_id, id, id, c.receipt.receipt_id, Opt(checked->college), checked->content,
                                     CommitmentOf(c.receipt.code, checked->content)};
    votes_.RunStatementAsync<Receipt>(
        std::string(kVoterAndPaper), std::move(params),
        [c, vote = std::move(vote)](Conn& conn, std::int64_t written) -> Result<Receipt> {
          if (written == 1) return c.receipt;
          return WhyNotWritten(conn, *c.ballot, c.key, vote);
        },
        std::move(done));
  });
}

Result<std::vector<Receipt>> Ballots::EnterPaper(std::int64_t organisation, std::int64_t ballot, const std::vector<std::int64_t>& voters,
                                                 const std::vector<Vote>& papers,
                                                 const std::vector<std::optional<std::int64_t>>& paper_contests) {
  const std::string now = Now();
  return store::InTransaction<std::vector<Receipt>>(store_, TxKind::kWrite, [&](Conn& conn) -> Result<std::vector<Receipt>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto b, LoadBallot(conn, ballot, organisation));
    if (!b) return Error::NotFound("No ballot " + std::to_string(ballot) + " here.");
    if (b->state != "open") return Conflict("wrong_state", "Paper ballots are entered while the ballot is open (before it is closed).");
    if (voters.size() != papers.size()) {
      return Error::Invalid("/papers", "count_mismatch", std::to_string(voters.size()) + " voters but " + std::to_string(papers.size()) + " papers.");
    }
    // Voters: eligible, not yet voted, each once; how many per college.
    std::map<std::optional<std::int64_t>, std::int64_t> per_college;
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < voters.size(); ++i) {
      const std::string at = "/voters/" + std::to_string(i);
      if (!seen.insert(voters[i]).second) return Error::Invalid(at, "repeated_voter", "This member is listed twice.");
      SOLIDUM_ASSIGN_OR_RETURN(auto m, conn.QueryOne("SELECT class_id, status FROM members WHERE id = ? AND organisation_id = ? AND joined_on <= ? "
                                                     "AND (left_on IS NULL OR left_on > ?)",
                                                     {voters[i], organisation, b->eligible_on, b->eligible_on}));
      if (!m || m->Text(1) != "active") return Error::Invalid(at, "not_eligible", "Member " + std::to_string(voters[i]) + " does not vote in this ballot.");
      std::optional<std::int64_t> college = m->OptInt(0);
      if (b->kind == "election") {
        const Contest* k = ContestFor(*b, college);
        if (!k) return Error::Invalid(at, "not_eligible", "Member " + std::to_string(voters[i]) + "'s college elects no one here.");
        college = k->id;
      } else if (!b->rule.weighted) {
        college.reset();
      }
      SOLIDUM_ASSIGN_OR_RETURN(auto voted, conn.QueryOne("SELECT 1 FROM ballot_voters WHERE ballot_id = ? AND member_id = ?", {ballot, voters[i]}));
      if (voted) return Error::Make(ErrorKind::kConflict, "already_voted", "Member " + std::to_string(voters[i]) + " has already voted.");
      ++per_college[college];
    }
    // Papers: each valid for its contest (or, weighted motions, its class); as many per college as voters.
    std::vector<std::pair<std::optional<std::int64_t>, std::string>> contents;
    for (std::size_t i = 0; i < papers.size(); ++i) {
      const std::string at = "/papers/" + std::to_string(i);
      std::optional<std::int64_t> college = paper_contests[i];
      const Contest* contest = nullptr;
      if (b->kind == "election") {
        if (!college && b->contests.size() == 1) college = b->contests[0].id;
        for (const auto& k : b->contests) {
          if (college && k.id == *college) contest = &k;
        }
        if (!contest) return Error::Invalid(at + "/contest", "unknown_contest", "Name the contest this paper belongs to.");
      } else if (!b->rule.weighted) {
        college.reset();
      }
      SOLIDUM_ASSIGN_OR_RETURN(auto content, PaperContent(*b, contest, papers[i], at));
      if (--per_college[college] < 0) {
        return Error::Invalid(at, "count_mismatch", "More papers than paper voters for this college or contest.");
      }
      contents.emplace_back(college, std::move(content));
    }
    std::vector<Receipt> receipts;
    for (std::int64_t v : voters) {
      SOLIDUM_TRY(conn.Exec("INSERT INTO ballot_voters (ballot_id, member_id, channel) VALUES (?, ?, 'paper')", {ballot, v}));
    }
    for (const auto& [college, content] : contents) {
      SOLIDUM_ASSIGN_OR_RETURN(auto r, StorePaper(conn, ballot, college, content, "paper"));
      receipts.push_back(std::move(r));
    }
    return receipts;
  });
}

Result<Paper> Ballots::FindReceipt(std::int64_t ballot, std::string_view code) {
  return store::InTransaction<Paper>(store_, TxKind::kRead, [&](Conn& conn) -> Result<Paper> {
    SOLIDUM_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT receipt_hash, college_id, content, commitment FROM ballot_papers WHERE "
                                                     "ballot_id = ? AND receipt_hash = ?",
                                                     {ballot, ReceiptId(code)}));
    if (!row) return Error::NotFound("No paper has this receipt in this ballot.");
    return Paper{row->Text(0), row->OptInt(1), row->Text(2), row->Text(3)};
  });
}

Result<std::vector<Paper>> Ballots::Papers(std::int64_t ballot) {
  return store::InTransaction<std::vector<Paper>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<Paper>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto state, conn.QueryOne("SELECT state FROM ballots WHERE id = ?", {ballot}));
    if (!state || state->Text(0) != "published") return Error::NotFound("The papers of ballot " + std::to_string(ballot) + " are not published.");
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT receipt_hash, college_id, content, commitment FROM ballot_papers WHERE ballot_id = ? "
                                                   "ORDER BY receipt_hash",
                                                   {ballot}));
    std::vector<Paper> out;
    for (const auto& r : rows) out.push_back({r.Text(0), r.OptInt(1), r.Text(2), r.Text(3)});
    return out;
  });
}

Result<std::vector<LogEntry>> Ballots::Log(std::int64_t ballot) {
  return store::InTransaction<std::vector<LogEntry>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<LogEntry>> {
    SOLIDUM_ASSIGN_OR_RETURN(auto state, conn.QueryOne("SELECT state FROM ballots WHERE id = ?", {ballot}));
    if (!state || state->Text(0) == "draft") return Error::NotFound("No ballot " + std::to_string(ballot) + ".");
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT seq, entry, hash FROM ballot_log WHERE ballot_id = ? ORDER BY seq", {ballot}));
    std::vector<LogEntry> out;
    for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2)});
    return out;
  });
}

Result<std::string> Ballots::ContestBlt(std::int64_t ballot, std::int64_t contest) {
  return store::InTransaction<std::string>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::string> {
    SOLIDUM_ASSIGN_OR_RETURN(auto b, LoadBallot(conn, ballot, std::nullopt));
    if (!b || b->state != "published" || b->kind != "election") return Error::NotFound("No published election " + std::to_string(ballot) + ".");
    const Contest* k = nullptr;
    for (const auto& c : b->contests) {
      if (c.id == contest) k = &c;
    }
    if (!k) return Error::NotFound("No contest " + std::to_string(contest) + " in this election.");
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT content FROM ballot_papers WHERE ballot_id = ? AND college_id = ? ORDER BY receipt_hash",
                                                   {ballot, contest}));
    // One line per paper, in the published order, so that anyone can match them.
    std::vector<std::pair<std::string, std::int64_t>> papers;
    for (const auto& r : rows) papers.emplace_back(r.Text(0), 1);
    tally::Election e = ContestElection(*b, *k, papers);
    if (k->class_code) e.title += " (" + *k->class_code + ")";
    return tally::WriteBlt(e);
  });
}

Result<std::vector<MemberBallot>> Ballots::OfUser(std::int64_t user_id) {
  return store::InTransaction<std::vector<MemberBallot>>(store_, TxKind::kRead, [&](Conn& conn) -> Result<std::vector<MemberBallot>> {
    SOLIDUM_ASSIGN_OR_RETURN(
        auto rows,
        conn.Query("SELECT b.id, o.name, m.class_id, EXISTS (SELECT 1 FROM ballot_voters v WHERE v.ballot_id = b.id AND v.member_id = m.id) "
                   "FROM ballots b JOIN members m ON m.organisation_id = b.organisation_id AND m.user_id = ? AND m.joined_on <= b.eligible_on "
                   "AND (m.left_on IS NULL OR m.left_on > b.eligible_on) JOIN organisations o ON o.id = b.organisation_id "
                   "WHERE b.state <> 'draft' ORDER BY b.opens_at DESC, b.id DESC LIMIT 200",
                   {user_id}));
    std::vector<MemberBallot> out;
    for (const auto& r : rows) {
      SOLIDUM_ASSIGN_OR_RETURN(auto b, LoadBallot(conn, r.Int(0), std::nullopt));
      if (!b) continue;
      if (b->state != "published") b->result.reset();
      MemberBallot mb{std::move(*b), r.Text(1), r.Int(3) != 0, std::nullopt};
      if (mb.ballot.kind == "election") {
        if (const Contest* k = ContestFor(mb.ballot, r.OptInt(2))) mb.contest_id = k->id;
      }
      out.push_back(std::move(mb));
    }
    return out;
  });
}

}  // namespace solidum::governance
