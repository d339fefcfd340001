// Sets up a ballot for bench/ballots.sh: one organisation, N members with user accounts
// and API tokens (written one per line to the tokens file), and an open motion. Users get
// no password (they cannot sign in with one): argon2id for 100,000 users would take the
// whole bench's time.
//   ballot_bench_setup DB_URL VOTERS TOKENS_FILE   -> prints the ballot id
#include <cstdio>
#include <fstream>
#include <string>

#include "common/clock.h"
#include "governance/ballots.h"
#include "identity/secrets.h"
#include "identity/identity.h"
#include "store/store.h"
#include "bench_setup.h"

using namespace solidum;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: ballot_bench_setup DB_URL VOTERS TOKENS_FILE\n");
    return 2;
  }
  const int voters = std::stoi(argv[2]);
  auto store = bench::OpenMigrated(argv[1]);
  const Clock& clock = SystemClock::Instance();
  identity::Identity identity(*store, clock);
  const std::int64_t org = bench::DemoOrganisation(*store, identity, clock);
  const std::string now = FormatTimestamp(clock.NowMicros());
  std::ofstream tokens(argv[3]);
  auto r = store::InTransaction<bool>(*store, store::TxKind::kWrite, [&](store::Conn& conn) -> Result<bool> {
    std::vector<std::vector<store::Value>> users, keys, members;
    for (int i = 0; i < voters; ++i) {
      const std::string email = "voter" + std::to_string(i) + "@bench.example";
      users.push_back({email, std::string("!"), now});
    }
    SOLIDUM_TRY(conn.ExecMany("INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)", users));
    SOLIDUM_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id FROM users WHERE email LIKE '%@bench.example' ORDER BY id", {}));
    for (const auto& row : rows) {
      const std::string secret = identity::NewSecret("sol_");
      tokens << secret << "\n";
      keys.push_back({row.Int(0), identity::HashSecret(secret), std::string("bench"), now});
      members.push_back({org, std::string("Voter ") + std::to_string(row.Int(0)), row.Int(0), std::string("2020-01-01"), now, now});
    }
    SOLIDUM_TRY(conn.ExecMany("INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?)", keys));
    SOLIDUM_TRY(conn.ExecMany("INSERT INTO members (organisation_id, kind, name, language, user_id, status, joined_on, created_at, updated_at) "
                              "VALUES (?, 'person', ?, 'en', ?, 'active', ?, ?, ?)",
                              members));
    return true;
  });
  if (!r.ok()) return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
  governance::Ballots ballots(*store, clock);
  governance::BallotInput in;
  in.ballot.kind = "motion";
  in.ballot.title = "Bench motion";
  in.ballot.opens_at = FormatTimestamp(clock.NowMicros() - 60'000'000);
  in.ballot.closes_at = FormatTimestamp(clock.NowMicros() + 3600'000'000LL);
  in.ballot.eligible_on = in.ballot.opens_at.substr(0, 10);
  auto b = ballots.Create(org, in, std::nullopt);
  if (!b.ok()) return std::fprintf(stderr, "%s\n", b.error().message.c_str()), 1;
  auto opened = ballots.Open(org, b->id, b->version);
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.error().message.c_str()), 1;
  (void)store->RefreshStatistics();
  std::printf("%lld\n", static_cast<long long>(b->id));
  return 0;
}
