// Sets up a currency for bench/transfers.sh: one organisation, an admin user with an API
// token (written to TOKEN_FILE), a currency with a credit limit nobody reaches, and N
// accounts (inserted in one transaction: opening 10,000 through the writer would be
// 10,000 commits).
//   ledger_bench_setup DB_URL ACCOUNTS TOKEN_FILE   -> prints "FIRST_ACCOUNT_ID ACCOUNTS"
#include <cstdio>
#include <fstream>
#include <string>

#include "common/clock.h"
#include "identity/identity.h"
#include "identity/secrets.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "bench_setup.h"

using namespace solidum;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: ledger_bench_setup DB_URL ACCOUNTS TOKEN_FILE\n");
    return 2;
  }
  const int accounts = std::stoi(argv[2]);
  auto store = bench::OpenMigrated(argv[1]);
  const Clock& clock = SystemClock::Instance();
  identity::Identity identity(*store, clock);
  const std::int64_t org = bench::DemoOrganisation(*store, identity, clock);
  const std::string now = FormatTimestamp(clock.NowMicros());
  ledger::Ledger ledger(*store, clock);
  auto currency = ledger.CreateCurrency(org, ledger::CurrencyInput{"BENCH", "Bench", "unit", 2, 1'000'000'000'000, std::nullopt});
  if (!currency.ok()) return std::fprintf(stderr, "%s\n", currency.error().message.c_str()), 1;
  const std::string secret = identity::NewSecret("sol_");
  auto r = store::InTransaction<std::int64_t>(*store, store::TxKind::kWrite, [&](store::Conn& conn) -> Result<std::int64_t> {
    SOLIDUM_ASSIGN_OR_RETURN(auto user, conn.QueryOne("INSERT INTO users (email, password_hash, created_at) VALUES ('treasurer@bench.example', '!', ?) "
                                                      "RETURNING id",
                                                      {now}));
    const std::int64_t uid = user->Int(0);
    SOLIDUM_TRY(conn.Exec("INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES (?, ?, 'bench', ?)",
                          {uid, identity::HashSecret(secret), now}));
    SOLIDUM_TRY(identity.Grant(conn, uid, org, identity::Role::kAdmin));
    std::vector<std::vector<store::Value>> rows;
    for (int i = 0; i < accounts; ++i) {
      rows.push_back({currency->id, "Account " + std::to_string(i), std::int64_t{1'000'000'000'000}, now});
    }
    SOLIDUM_TRY(conn.ExecMany("INSERT INTO ledger_accounts (currency_id, name, credit_limit, status, created_at) VALUES (?, ?, ?, 'open', ?)", rows));
    SOLIDUM_ASSIGN_OR_RETURN(auto first, conn.QueryOne("SELECT MIN(id) FROM ledger_accounts WHERE currency_id = ?", {currency->id}));
    return first->Int(0);
  });
  if (!r.ok()) return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
  std::ofstream(argv[3]) << secret << "\n";
  (void)store->RefreshStatistics();
  std::printf("%lld %d\n", static_cast<long long>(*r), accounts);
  return 0;
}
