// Crash safety of the ledger: the server is killed with SIGKILL while clients send
// transfers, at a different moment each round; then the store must hold every transfer
// that was acknowledged, all or nothing of each batch that was not, balances equal to what
// the transfers add up to, and a currency whose balances sum to zero. The next round
// restarts the server on the same store and goes on.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>

#include "common/clock.h"
#include "common/json_write.h"
#include "http_client.h"
#include "ledger/ledger.h"
#include "server_process.h"
#include "store/store.h"

namespace solidum::testing {
namespace {

constexpr int kRounds = 6, kClients = 4, kBatch = 20, kAccounts = 20;
constexpr const char* kPassword = "a long enough password";

struct Batch {
  std::vector<std::string> ids;
};

std::string IdsJson(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    json_write::WriteString(out, ids[i]);
  }
  return out + "]";
}

TEST(LedgerCrash, AcknowledgedTransfersSurviveSigkillAndNothingIsHalfWritten) {
  auto first = std::make_unique<ServerProcess>();
  const std::string db = first->db_url();
  std::string out, err;
  ASSERT_EQ(RunCli({"--db", db, "user", "add", "admin@exchange.example", "--password-stdin"}, std::string(kPassword) + "\n", &out, &err), 0) << err;
  ASSERT_EQ(RunCli({"--db", db, "token", "create", "admin@exchange.example"}, "", &out, &err), 0) << err;
  const Headers auth = {{"Authorization", "Bearer " + out.substr(0, out.size() - 1)}};
  std::vector<std::int64_t> accounts;
  {
    HttpClient http(first->port());
    auto org = http.SendJson("POST", "/api/v1/organisations", R"({"name":"Local exchange","country":"FR"})", auth);
    ASSERT_EQ(org.status, 201) << org.body;
    const std::string base = "/api/v1/organisations/" + std::to_string(org.Json().at("id").as_int64());
    auto c = http.SendJson("POST", base + "/currencies", R"({"code":"SEL","name":"Grains de sel","unit":"grain","decimals":0,"default_credit_limit":1000000000})", auth);
    ASSERT_EQ(c.status, 201) << c.body;
    for (int i = 0; i < kAccounts; ++i) {
      auto a = http.SendJson("POST", base + "/currencies/" + std::to_string(c.Json().at("id").as_int64()) + "/accounts",
                             R"({"name":"Member )" + std::to_string(i) + R"("})", auth);
      ASSERT_EQ(a.status, 201) << a.body;
      accounts.push_back(a.Json().at("id").as_int64());
    }
  }

  std::unique_ptr<ServerProcess> later;  // the server of rounds after the first (`first` keeps the store's directory)
  std::mt19937_64 rng(2026);
  std::size_t acknowledged_total = 0, in_flight_total = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ServerProcess* server = first.get();
    if (round > 0) {
      later = std::make_unique<ServerProcess>(db, std::vector<std::string>{});
      server = later.get();
    }
    std::mutex mu;
    std::vector<Batch> acknowledged, in_flight;
    std::atomic<bool> unexpected{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < kClients; ++t) {
      clients.emplace_back([&, t, seed = rng()] {
        std::mt19937_64 r(seed);
        HttpClient http(server->port());
        for (int b = 0;; ++b) {
          Batch batch;
          std::string body = "[";
          for (int k = 0; k < kBatch; ++k) {
            const std::string id = "r" + std::to_string(round) + "-c" + std::to_string(t) + "-b" + std::to_string(b) + "-" + std::to_string(k);
            const std::size_t i = r() % kAccounts, j = (i + 1 + r() % (kAccounts - 1)) % kAccounts;  // j != i
            const auto from = accounts[i], to = accounts[j];
            body += (k ? "," : "") + std::string(R"({"id":")") + id + R"(","debit_account":)" + std::to_string(from) +
                    R"(,"credit_account":)" + std::to_string(to) + R"(,"amount":)" + std::to_string(1 + r() % 1000) + "}";
            batch.ids.push_back(id);
          }
          HttpResponse res;
          try {
            res = http.SendJson("POST", "/api/v1/transfers", body + "]", auth);
          } catch (...) {
            res = HttpResponse{};  // the server is gone: no answer
          }
          std::lock_guard lock(mu);
          if (res.status == 200) {
            const auto json = res.Json();
            for (const auto& item : json.as_array()) {
              if (item.at("result").as_string() != "ok") unexpected = true;
            }
            acknowledged.push_back(std::move(batch));
            continue;
          }
          if (res.status != 0) unexpected = true;
          in_flight.push_back(std::move(batch));
          return;
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 400));
    ASSERT_EQ(kill(server->pid(), SIGKILL), 0);
    for (auto& c : clients) c.join();
    server->Stop();  // reaps it
    EXPECT_FALSE(unexpected.load()) << server->Output();
    acknowledged_total += acknowledged.size();
    in_flight_total += in_flight.size();

    auto store = store::Open(db);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto conn = (*store)->Acquire();
    const std::string count = "SELECT COUNT(*) FROM transfers WHERE id IN (" + std::string(store::JsonTexts(conn->backend())) + ")";
    for (const auto& b : acknowledged) {
      auto n = conn->QueryOne(count, {IdsJson(b.ids)});
      ASSERT_TRUE(n.ok()) << n.error().message;
      ASSERT_EQ((*n)->Int(0), kBatch) << "an acknowledged batch is missing transfers: " << b.ids[0];
    }
    for (const auto& b : in_flight) {
      auto n = conn->QueryOne(count, {IdsJson(b.ids)});
      ASSERT_TRUE(n.ok());
      const auto present = (*n)->Int(0);
      EXPECT_TRUE(present == 0 || present == kBatch) << "batch " << b.ids[0] << " is half there: " << present;
    }
    auto sum = conn->QueryOne("SELECT SUM(balance) FROM ledger_accounts", {});
    ASSERT_TRUE(sum.ok());
    EXPECT_EQ((*sum)->Int(0), 0);
    ledger::Ledger check(**store, SystemClock::Instance());
    ASSERT_TRUE(check.Start().ok());
    auto verified = check.Verify();
    EXPECT_TRUE(verified.ok()) << verified.error().message;
  }
  // The kills came while work was under way, and work had been acknowledged.
  EXPECT_GT(acknowledged_total, static_cast<std::size_t>(kRounds));
  EXPECT_GE(in_flight_total, static_cast<std::size_t>(kRounds));
  std::printf("%zu batches acknowledged, %zu in flight at the kills, over %d rounds\n", acknowledged_total, in_flight_total, kRounds);
}

}  // namespace
}  // namespace solidum::testing
