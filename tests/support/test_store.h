// The store a test runs on. By default a SQLite file in the test's directory; when the
// suite runs on PostgreSQL (ctest's *.postgres tests: SOLIDUM_TEST_PG_URL_FILE names the
// file where scripts/test-postgres.sh wrote the throwaway cluster's URL), a fresh database
// of its own on that cluster, so that tests never see each other's rows.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/store.h"
#include "temp_dir.h"

namespace solidum::testing {

// The cluster's base URL ("postgresql://user@host:port/"), or "" when testing on SQLite.
inline std::string PostgresBaseUrl() {
  const char* file = std::getenv("SOLIDUM_TEST_PG_URL_FILE");
  if (!file || !*file) return "";
  std::ifstream in(file);
  std::string url;
  if (!(in >> url)) throw std::runtime_error(std::string("no cluster URL in ") + file + " (did PostgresCluster.Start run?)");
  return url;
}

inline bool TestingOnPostgres() { return !PostgresBaseUrl().empty(); }

// A store URL for a new, empty database named after `name`.
inline std::string TestStoreUrl(const TempDir& dir, const std::string& name) {
  std::string base = PostgresBaseUrl();
  if (base.empty()) return "sqlite:" + dir.File(name + ".db");
  static std::atomic<int> counter{0};
  std::string db = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
                   std::to_string(std::random_device{}() % 1000000);
  auto admin = store::Open(base + "postgres", {.pool_size = 1});
  if (!admin.ok()) throw std::runtime_error("cannot reach the test cluster: " + admin.error().message);
  auto conn = (*admin)->Acquire();
  auto made = conn->Exec("CREATE DATABASE " + db, {});
  if (!made.ok()) throw std::runtime_error("CREATE DATABASE failed: " + made.error().message);
  return base + db;
}

// The mail outbox as "kind recipient language subject" lines, oldest first: what a
// feature queued, for tests to compare whole.
inline std::vector<std::string> OutboxLines(store::Store& store) {
  auto conn = store.Acquire();
  auto rows = conn->Query("SELECT kind, recipient, language, subject FROM mail_outbox ORDER BY id", {});
  if (!rows.ok()) throw std::runtime_error(rows.error().message);
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.Text(0) + " " + r.Text(1) + " " + r.Text(2) + " " + r.Text(3));
  return out;
}

}  // namespace solidum::testing
