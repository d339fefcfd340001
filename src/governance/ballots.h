// Secret ballots: a motion or an election put to an organisation's members.
//
// Life: draft (set up by the organisation's admins) -> open (votes accepted between
// opens_at and closes_at) -> closed (counted) -> published (results, every anonymised
// paper and the log are public, so anyone can recount).
//
// Secrecy: who voted (voters) and what was voted (papers) are stored apart, with nothing
// that links them: no time and no member on a paper, no paper on a voter. Each voter gets
// a receipt code (shown once); the paper is stored under the code's hash, so only the
// voter can find it ("check my receipt") and the published list shows the hash.
//
// Integrity: each eligible member votes once (voter and paper are written in one
// transaction, and store writes are serialised); a paper names only candidates of the
// voter's contest; nothing is counted twice. The log is a hash chain of the ballot's
// events (opened with the whole definition; closed with the count, the result's hash and
// PapersHash of every paper; published): each entry's hash covers the previous one, so
// changing, removing or reordering one breaks every later hash (VerifyLog). It has no
// entry per paper: their order would follow the order of voting.
//
// Who votes: members whose membership holds on eligible_on and whose rights are not
// suspended; in an election, in the contest of their class (or the contest for all).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/value.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "governance/tally/count.h"
#include "governance/tally/motion.h"
#include "store/group_commit.h"
#include "store/lookup_batch.h"
#include "store/store.h"

namespace solidum::governance {

inline constexpr std::size_t kContestsMax = 20;
inline constexpr std::size_t kCandidatesPerContestMax = 200;
inline constexpr std::size_t kPaperBatchMax = 5000;  // paper ballots entered at once
inline constexpr std::size_t kOpenBallotsCached = 1000;  // definitions kept for voting

struct BallotCandidate {
  std::int64_t id = 0;
  std::string name, affiliation, group;
  std::optional<std::int64_t> member_id;
};

struct Contest {
  std::int64_t id = 0;
  std::optional<std::int64_t> class_id;
  std::optional<std::string> class_code;  // the college; none: all members
  int seats = 1;
  std::vector<tally::BalanceRule> balance;
  std::vector<BallotCandidate> candidates;
};

struct Ballot {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::string kind;   // motion, election
  std::string title, description;
  std::string state;  // draft, open, closed, published
  std::string opens_at, closes_at, eligible_on;
  tally::MotionRule rule;             // motions
  std::string method;                 // elections
  std::int64_t seed = 1;
  std::vector<Contest> contests;      // elections
  std::int64_t entitled = 0;          // at opening
  std::int64_t voted = 0;             // members who have voted
  std::optional<std::string> result;  // JSON, once closed
  std::int64_t version = 1;
  std::string created_at, updated_at;
};

// Parses a new ballot (POST). Times are UTC ISO 8601 ("2026-12-01T09:00:00Z"); contests
// name classes by code.
struct BallotInput {
  Ballot ballot;
  std::vector<std::optional<std::string>> contest_classes;  // per contest: class code
};
Result<BallotInput> ParseBallot(const boost::json::value& body);

// A vote: a motion's choice (yes, no, abstain) or an election's ranking (candidate ids,
// most preferred first; one for plurality; at most `seats` for block).
struct Vote {
  std::string choice;
  std::vector<std::int64_t> ranking;
};
Result<Vote> ParseVote(const boost::json::value& body, const std::string& field = "");

struct Receipt {
  std::string code;        // for the voter only: XXXX-XXXX-...
  std::string receipt_id;  // the code's hash, as the published list shows it
};

struct Paper {
  std::string receipt_id;
  std::optional<std::int64_t> college_id;  // contest (elections) or class (weighted motions)
  std::string content;                     // "yes"/"no"/"abstain" or JSON [ids]
  std::string commitment;                  // CommitmentOf(receipt code, content)
};

// hex BLAKE2b-256 of `content` keyed by the receipt code (normalised: upper case, no
// dashes): a voter holding the code can check the published paper is theirs, unchanged.
std::string CommitmentOf(std::string_view receipt_code, std::string_view content);
// hex BLAKE2b-256 of "receipt_id commitment\n" for every paper in receipt order: what the
// log's "closed" entry records, so the published list can be checked against it.
std::string PapersHash(const std::vector<Paper>& papers);

struct LogEntry {
  std::int64_t seq = 0;
  std::string entry;  // canonical JSON
  std::string hash;   // hex BLAKE2b-256(previous hash, entry)
};

// Recomputes the chain; the first broken seq, or nullopt when every hash holds.
std::optional<std::int64_t> VerifyLog(const std::vector<LogEntry>& log);

// A ballot as one member sees it.
struct MemberBallot {
  Ballot ballot;
  std::string organisation_name;
  bool voted = false;
  std::optional<std::int64_t> contest_id;  // elections: where they vote
};

class Ballots {
 public:
  // Votes share transactions (store::GroupCommit): one fsync makes a batch durable, and
  // no vote is acknowledged before it is.
  // `public_url` ("https://solidum.example") makes the links in the invitations and
  // results emailed to members on opening and publishing.
  Ballots(store::Store& store, const Clock& clock, std::string public_url = "");

  // Errors: unknown class ("/contests/0/class"), two contests for one college, a
  // candidate who is not a member here.
  Result<Ballot> Create(std::int64_t organisation, const BallotInput& input, std::optional<std::int64_t> by);
  Result<Ballot> Get(std::int64_t organisation, std::int64_t id);
  // Call before serving (not thread-safe).
  void set_public_url(std::string url) { public_url_ = std::move(url); }

  // Any organisation: for the public and voters' routes; drafts are not found.
  Result<Ballot> GetPublic(std::int64_t id);
  Result<std::vector<Ballot>> List(std::int64_t organisation);
  Result<void> DeleteDraft(std::int64_t organisation, std::int64_t id, std::int64_t expected_version);

  // draft -> open. kConflict "wrong_state" from any other state.
  Result<Ballot> Open(std::int64_t organisation, std::int64_t id, std::int64_t expected_version);
  // open -> closed, counted. Votes stop at closes_at whether or not it is closed.
  Result<Ballot> Close(std::int64_t organisation, std::int64_t id, std::int64_t expected_version);
  // closed -> published.
  Result<Ballot> Publish(std::int64_t organisation, std::int64_t id, std::int64_t expected_version);

  // A signed-in user votes. Errors: kNotFound (no such open ballot); kConflict
  // "not_open" / "voting_closed" (outside the window), "already_voted"; kForbidden
  // "not_eligible"; invalid "/ranking" ("unknown_candidate", "repeated_candidate",
  // "too_many_candidates"), "/choice".
  Result<Receipt> Cast(std::int64_t ballot, std::int64_t user_id, const Vote& vote);
  // The same, answered to `done` (on PostgreSQL, from the thread that wrote the vote, once
  // durable; on SQLite, before this returns): no thread waits on the database meanwhile.
  // `done` must be short and must not throw.
  void CastAsync(std::int64_t ballot, std::int64_t user_id, Vote vote, std::function<void(Result<Receipt>)> done);
  // Tellers enter paper ballots: the members who voted on paper (marked in the register)
  // and as many papers, in one transaction, never linked. All or nothing.
  Result<std::vector<Receipt>> EnterPaper(std::int64_t organisation, std::int64_t ballot,
                                          const std::vector<std::int64_t>& voters, const std::vector<Vote>& papers,
                                          const std::vector<std::optional<std::int64_t>>& paper_contests);

  // A paper by its receipt code; kNotFound when none.
  Result<Paper> FindReceipt(std::int64_t ballot, std::string_view code);
  // Published ballots only (kNotFound otherwise), by receipt id.
  Result<std::vector<Paper>> Papers(std::int64_t ballot);
  Result<std::vector<LogEntry>> Log(std::int64_t ballot);
  // A published election's contest as BLT, for any STV program to recount.
  Result<std::string> ContestBlt(std::int64_t ballot, std::int64_t contest);

  // Ballots of the organisations where the user is a member on their eligibility day
  // (not drafts), newest first.
  Result<std::vector<MemberBallot>> OfUser(std::int64_t user_id);

 private:
  std::string Now() const { return FormatTimestamp(clock_.NowMicros()); }
  // An open ballot's definition (fixed until it closes), cached for votes; any other
  // state is read each time. Null when there is no such ballot.
  Result<std::shared_ptr<const Ballot>> OpenBallot(std::int64_t id);
  // A vote under way: its ballot (open, in its window), receipt and voter key.
  struct Casting;
  Result<Casting> StartCast(std::int64_t ballot, std::int64_t user_id);
  store::Store& store_;
  const Clock& clock_;
  std::string public_url_;
  std::mutex cache_mu_;
  std::unordered_map<std::int64_t, std::shared_ptr<const Ballot>> open_cache_;
  store::GroupCommit votes_;
 public:
  // Who votes: a member on a ballot's eligibility day (the key), and their row.
  struct VoterKey {
    std::int64_t organisation = 0;
    std::int64_t user = 0;
    std::string day;
  };
  struct VoterRow {
    std::int64_t member = 0;
    std::optional<std::int64_t> class_id;
    std::string status;
  };

 private:
  struct Casting {
    std::shared_ptr<const Ballot> ballot;
    Receipt receipt;
    VoterKey key;
  };
  // PostgreSQL: concurrent votes' member lookups share one query (store::LookupBatch).
  std::unique_ptr<store::LookupBatch<VoterKey, VoterRow>> voter_batch_;
};

}  // namespace solidum::governance
