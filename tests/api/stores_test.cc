// One installation on either store: the same answers from SQLite and PostgreSQL, copies
// between them verified table by table, and backups while serving. In the .postgres run the
// other store is PostgreSQL; in the plain run both are SQLite files (the same code paths,
// less the point).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "http_client.h"
#include "server_process.h"
#include "store/store.h"
#include "test_store.h"

namespace solidum::testing {
namespace {

const std::string kData = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/registry/";

std::string Cli(const std::vector<std::string>& args, int expected = 0) {
  std::string out, err;
  int rc = RunCli(args, "", &out, &err);
  EXPECT_EQ(rc, expected) << err;
  return out;
}

// Non-ASCII bytes percent-encoded, as a browser sends them.
std::string Encoded(const std::string& q) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : q) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::int64_t Count(const std::string& url, const std::string& sql) {
  auto s = std::move(store::Open(url).value());
  auto conn = s->Acquire();
  return (*conn->QueryOne(sql, {}))->Int(0);
}

// The real files in both stores: every search, map and portrait answers the same (same
// items in the same order where the order is defined, same totals, same facets).
TEST(SearchParity, BothStoresAnswerTheSameOnTheRealFiles) {
  TempDir dir;
  std::string a = "sqlite:" + dir.File("a.db"), b = TestStoreUrl(dir, "b");
  for (const auto& url : {a, b}) {
    Cli({"--db", url, "import", "--format", "essglobal-csv", kData + "coops-uk-2022-essglobal.csv"});
    Cli({"--db", url, "import", "--format", "geojson", kData + "transformap-ssedas.geojson"});
    Cli({"--db", url, "import", "--format", "csv", kData + "ica-youth-coops.csv"});
    Cli({"--db", url, "demo", "--orgs", "400", "--seed", "5"});
  }
  ServerProcess sa(a, {}), sb(b, {});
  HttpClient ha(sa.port()), hb(sb.port());
  // Text with and without accents, prefixes, other scripts, filters, places, sorts, pages.
  const std::vector<std::string> queries = {
      "q=coop", "q=co-op", "q=CO-OPERATIVE&sort=name", "q=café", "q=cafe&sort=name", "q=boulangerie",
      "q=énergie", "q=energie&country=FR", "q=housing&legal_form=OS70", "q=Москва", "q=москв", "q=Zagreb",
      "q=bakery%20brighton", "q=jóvenes", "q=youth&sort=name", "q=the", "q=ö", "q=a%20b%20c",
      "country=GB&sort=name&limit=50", "legal_form=OS60&sort=name", "activity=ICA10&sort=name",
      "bbox=-3,50,1,53&sort=name&limit=100", "near=51.5,-0.12,10&sort=distance", "q=farm&near=52,-1,200&sort=distance",
      "sdg=5&sort=name", "status=active&network_scope=regional&sort=name", "q=coop&bbox=-10,49,2,61",
      "sort=name&limit=100", "q=ассоциация", "q=Hrvatska", "q=food%20co", "q=œufs", "q=coeur", "q=Straße"};
  for (const auto& text : queries) {
    std::string q = Encoded(text);
    auto ra = ha.Get("/api/v1/organisations?" + q), rb = hb.Get("/api/v1/organisations?" + q);
    ASSERT_EQ(ra.status, 200) << q << ra.body;
    ASSERT_EQ(rb.status, 200) << q << rb.body;
    auto ja = ra.Json().as_object(), jb = rb.Json().as_object();
    EXPECT_EQ(ja.at("total"), jb.at("total")) << q;
    EXPECT_EQ(ja.at("facets"), jb.at("facets")) << q;
    auto names = [](const boost::json::object& page) {
      std::vector<std::string> out;
      for (const auto& i : page.at("items").as_array()) out.emplace_back(i.at("name").as_string());
      return out;
    };
    if (q.find("sort=") != std::string::npos) {
      EXPECT_EQ(names(ja), names(jb)) << q;
    } else if (ja.at("total").as_int64() <= 20) {  // by relevance: the ranks differ, the set does not
      auto x = names(ja), y = names(jb);
      EXPECT_EQ(std::multiset<std::string>(x.begin(), x.end()), std::multiset<std::string>(y.begin(), y.end())) << q;
    }
    auto ma = ha.Get("/api/v1/organisations/map?" + q).Json(), mb = hb.Get("/api/v1/organisations/map?" + q).Json();
    EXPECT_EQ(ma.at("total"), mb.at("total")) << q;
  }
  for (const char* group : {"country", "legal_form", "activity", "network", "year", "region"}) {
    EXPECT_EQ(ha.Get(std::string("/api/v1/portraits?group_by=") + group).body,
              hb.Get(std::string("/api/v1/portraits?group_by=") + group).body)
        << group;
  }
  // Not vacuous: text queries find things, and accents are folded on both.
  EXPECT_GT(ha.Get("/api/v1/organisations?q=coop").Json().at("total").as_int64(), 400);
  // Ligatures are spelled out on both: "oeuvre" finds "œuvre" (the Québec council's description).
  for (auto* h : {&ha, &hb}) {
    auto spelled = h->Get("/api/v1/organisations?q=oeuvre").Json().at("total").as_int64();
    EXPECT_GT(spelled, 0);
    EXPECT_EQ(h->Get("/api/v1/organisations?" + Encoded("q=œuvre")).Json().at("total").as_int64(), spelled);
  }
  EXPECT_EQ(hb.Get("/api/v1/organisations?q=cafe").Json().at("total"),
            hb.Get("/api/v1/organisations?" + Encoded("q=café")).Json().at("total"));
}

// solidum copy: the demo register (with users, roles and memberships) to the other store
// and back, every table verified; a copy into a store in use is refused and changes nothing.
TEST(CopyCli, MovesAWholeInstallationAndBackVerified) {
  TempDir dir;
  std::string a = "sqlite:" + dir.File("a.db"), b = TestStoreUrl(dir, "b"), c = "sqlite:" + dir.File("c.db");
  Cli({"--db", a, "demo", "--orgs", "300", "--seed", "9"});
  std::string out, err;
  ASSERT_EQ(RunCli({"--db", a, "user", "add", "root@example.org", "--admin", "--password-stdin"}, "a long enough password\n",
                   &out, &err), 0) << err;
  ASSERT_EQ(RunCli({"--db", a, "token", "create", "root@example.org"}, "", &out, &err), 0) << err;
  std::string before = Cli({"--db", a, "checksums"});
  EXPECT_NE(before.find("organisations                       352 rows"), std::string::npos) << before;
  EXPECT_NE(before.find("api_tokens                            1 rows"), std::string::npos) << before;

  std::string copied = Cli({"copy", "--from", a, "--to", b});
  EXPECT_EQ(copied, before);  // the copy prints the verified sums, the same as the source's own
  EXPECT_EQ(Cli({"--db", b, "checksums"}), before);
  Cli({"copy", "--from", b, "--to", c});
  EXPECT_EQ(Cli({"--db", c, "checksums"}), before);

  // The copy serves: search, sign-in with the copied token, and new ids after the old ones.
  ServerProcess sb(b, {});
  HttpClient hb(sb.port());
  EXPECT_EQ(hb.Get("/api/v1/organisations?q=bakery").Json().at("total").as_int64(),
            Count(a, "SELECT COUNT(*) FROM organisations WHERE name LIKE '%Bakery%' AND deleted_at IS NULL"));
  std::string token = out.substr(0, out.size() - 1);
  auto created = hb.SendJson("POST", "/api/v1/organisations", R"({"name":"After The Move"})",
                             {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json().at("id").as_int64(), 353);

  // Into a store in use: refused, and nothing in it changes.
  std::string used = Cli({"--db", b, "checksums"});
  EXPECT_NE(RunCli({"copy", "--from", a, "--to", b}, "", &out, &err), 0);
  EXPECT_NE(err.find("already has organisations"), std::string::npos) << err;
  EXPECT_EQ(Cli({"--db", b, "checksums"}), used);
}

// solidum backup while a server writes: a consistent, complete database that serves.
TEST(BackupCli, CopiesASqliteStoreWhileItServes) {
  TempDir dir;
  std::string db = "sqlite:" + dir.File("live.db"), file = dir.File("backup.db");
  Cli({"--db", db, "demo", "--orgs", "200", "--seed", "2"});
  std::string out, err;
  ASSERT_EQ(RunCli({"--db", db, "user", "add", "w@example.org", "--admin", "--password-stdin"}, "a long enough password\n",
                   &out, &err), 0) << err;
  ASSERT_EQ(RunCli({"--db", db, "token", "create", "w@example.org"}, "", &out, &err), 0) << err;
  std::string token = out.substr(0, out.size() - 1);
  ServerProcess server(db, {});
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    HttpClient h(server.port());
    while (!stop) {
      auto r = h.SendJson("POST", "/api/v1/organisations", R"({"name":"Written )" + std::to_string(written) + R"("})",
                          {{"Authorization", "Bearer " + token}});
      if (r.status == 201) ++written;
    }
  });
  while (written < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  int at_start = written;
  ASSERT_EQ(RunCli({"--db", db, "backup", file}, "", &out, &err), 0) << err;
  stop = true;
  writer.join();
  EXPECT_NE(err.find("integrity checked"), std::string::npos) << err;
  std::int64_t kept = Count("sqlite:" + file, "SELECT COUNT(*) FROM organisations");
  EXPECT_GE(kept, 252 + at_start);
  EXPECT_LE(kept, 252 + written.load());
  // A backup never overwrites, and PostgreSQL is backed up with its own tools.
  EXPECT_NE(RunCli({"--db", db, "backup", file}, "", &out, &err), 0);
  EXPECT_NE(err.find("exists"), std::string::npos) << err;
  EXPECT_NE(RunCli({"--db", "postgresql://nobody@127.0.0.1:1/x", "backup", dir.File("pg.db")}, "", &out, &err), 0);
  EXPECT_NE(err.find("pg_dump"), std::string::npos) << err;
  // The backup serves.
  ServerProcess restored("sqlite:" + file, {});
  HttpClient h(restored.port());
  EXPECT_EQ(h.Get("/api/v1/organisations?q=written&limit=1").Json().at("total").as_int64(), kept - 252);
}

}  // namespace
}  // namespace solidum::testing
