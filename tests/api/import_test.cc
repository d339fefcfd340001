// `solidum import` as people run it: the real Co-ops UK file, twice; bad files and rows.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>

#include "http_client.h"
#include "server_process.h"
#include "store/store.h"
#include "test_store.h"

namespace solidum::testing {
namespace {

const std::string kCoopsUk = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/registry/coops-uk-2022-essglobal.csv";

TEST(ImportCli, ImportsCoopsUkOnceAndThenChangesNothing) {
  TempDir dir;
  std::string db = TestStoreUrl(dir, "s");
  std::string out, err;
  ASSERT_EQ(RunCli({"--db", db, "import", "--format", "essglobal-csv", kCoopsUk}, "", &out, &err), 0) << err;
  EXPECT_EQ(out, "read 7272, created 7272, updated 0, unchanged 0, rejected 0\n");
  EXPECT_EQ(err.find("importing ["), std::string::npos) << "no progress bar when stderr is not a terminal";
  ASSERT_EQ(RunCli({"--db", db, "import", "--format", "essglobal-csv", kCoopsUk}, "", &out, &err), 0) << err;
  EXPECT_EQ(out, "read 7272, created 0, updated 0, unchanged 7272, rejected 0\n");
}

// The server's search catalogue catches up with writes it did not make itself.
TEST(ImportCli, ARunningServerFindsWhatTheCliImported) {
  ServerProcess server;
  HttpClient http(server.port());
  auto before = http.Get("/api/v1/organisations?q=Midcounties&limit=1");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.Json().at("total").as_int64(), 0);
  std::string out, err;
  ASSERT_EQ(RunCli({"--db", server.db_url(), "import", "--format", "essglobal-csv", kCoopsUk}, "", &out, &err), 0) << err;
  auto after = http.Get("/api/v1/organisations?q=Midcounties&limit=1");
  ASSERT_EQ(after.status, 200);
  EXPECT_GT(after.Json().at("total").as_int64(), 0);
  auto all = http.Get("/api/v1/organisations?limit=1&country=GB");
  EXPECT_EQ(all.Json().at("total").as_int64(), 7272);
}

TEST(ImportCli, ReportsEachRejectedRowAndKeepsTheOthers) {
  TempDir dir;
  std::string db = TestStoreUrl(dir, "s");
  std::string file = dir.File("mixed.csv");
  std::ofstream(file) << "Identifier,Name,Country ID,Latitude,Longitude\n"
                         "1,Good,FR,45,4\n"
                         "2,Bad place,FR,north,4\n"
                         "3,,FR,,\n"
                         "4,\"Broken \"quote,FR,,\n"
                         "5,Also good,ES,,\n";
  std::string out, err;
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "essglobal-csv", file}, "", &out, &err), 1);
  EXPECT_EQ(out, "read 5, created 2, updated 0, unchanged 0, rejected 3\n");
  EXPECT_NE(err.find("mixed.csv:3: rejected: invalid coordinates"), std::string::npos) << err;
  EXPECT_NE(err.find("mixed.csv:4: rejected:"), std::string::npos) << err;
  EXPECT_NE(err.find("/name"), std::string::npos) << err;
  EXPECT_NE(err.find("mixed.csv:5: rejected: line 5: text after a closing quote"), std::string::npos) << err;
}

TEST(ImportCli, RefusesFilesItCannotRead) {
  TempDir dir;
  std::string db = TestStoreUrl(dir, "s");
  std::string out, err;
  std::string wrong = dir.File("wrong.csv");
  std::ofstream(wrong) << "Nom,Pays\nLa Fabrique,France\n";
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "essglobal-csv", wrong}, "", &out, &err), 2);
  EXPECT_NE(err.find("Identifier"), std::string::npos) << err;
  std::string binary = dir.File("binary.csv");
  {
    std::ofstream b(binary, std::ios::binary);
    for (int i = 0; i < 100000; ++i) b.put(static_cast<char>((i * 7919) % 256));
  }
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "essglobal-csv", binary}, "", &out, &err), 2);
  EXPECT_NE(err.find("not UTF-8"), std::string::npos) << err;
  // 50 MB of garbage, in every format: refused whole, quickly, nothing stored.
  std::string big = dir.File("big.bin");
  {
    std::ofstream b(big, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>((i * 2654435761u) >> 24);
    for (int i = 0; i < 50; ++i) b.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  for (const char* format : {"essglobal-csv", "csv", "geojson", "murmurations"}) {
    EXPECT_EQ(RunCli({"--db", db, "import", "--format", format, big}, "", &out, &err), 2) << format;
    EXPECT_NE(err.find("not UTF-8"), std::string::npos) << format << ": " << err;
  }
  // Text that is not what it claims.
  std::string prose = dir.File("prose.json");
  std::ofstream(prose) << "Once upon a time, {\"a\": 1";
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "geojson", prose}, "", &out, &err), 2);
  EXPECT_NE(err.find("not JSON"), std::string::npos) << err;
  std::string not_features = dir.File("list.json");
  std::ofstream(not_features) << R"({"type":"Feature","properties":{}})";
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "geojson", not_features}, "", &out, &err), 2);
  EXPECT_NE(err.find("FeatureCollection"), std::string::npos) << err;
  std::string features = dir.File("features.geojson");
  std::ofstream(features) << R"({"type":"FeatureCollection","features":[
    {"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[4.8,45.7]},"properties":{"name":"Good"}},
    {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[400,45.7]},"properties":{"name":"Far"}},
    {"type":"Feature","id":"c","geometry":{"type":"Polygon","coordinates":[]},"properties":{"name":"Area"}},
    {"type":"Feature","geometry":null,"properties":{"name":"Nobody"}},
    {"type":"Feature","id":"e","geometry":null,"properties":{"name":""}},
    "text"]})";
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "geojson", features}, "", &out, &err), 1);
  EXPECT_EQ(out, "read 6, created 1, updated 0, unchanged 0, rejected 5\n");
  EXPECT_NE(err.find("features.geojson:2: rejected: invalid coordinates"), std::string::npos) << err;
  EXPECT_NE(err.find("features.geojson:3: rejected: its geometry is not a Point"), std::string::npos) << err;
  EXPECT_NE(err.find("features.geojson:4: rejected: has no identifier"), std::string::npos) << err;
  EXPECT_NE(err.find("features.geojson:5: rejected:"), std::string::npos) << err;
  EXPECT_NE(err.find("features.geojson:6: rejected: not a Feature"), std::string::npos) << err;
  EXPECT_NE(RunCli({"--db", db, "import", "--format", "kml", binary}, "", &out, &err), 0);
  EXPECT_NE(RunCli({"--db", db, "import", "--format", "essglobal-csv", dir.File("missing.csv")}, "", &out, &err), 0);
}

// Every organisation's public JSON, by name, without what belongs to one register (id,
// version, times) or to one import (source).
std::map<std::string, boost::json::object> Records(const std::string& url, const std::vector<std::string>& keep = {}) {
  auto s = std::move(store::Open(url).value());
  auto conn = s->Acquire();
  std::map<std::string, boost::json::object> out;
  auto rows = conn->Query("SELECT doc FROM organisations WHERE deleted_at IS NULL", {});
  for (const auto& r : *rows) {
    auto o = boost::json::parse(r.OptText(0).value_or("{}")).as_object();
    boost::json::object kept;
    for (const auto& kv : o) {
      std::string k(kv.key());
      if (k == "id" || k == "version" || k == "created_at" || k == "updated_at" || k == "source" || k == "source_id") continue;
      if (!keep.empty() && std::find(keep.begin(), keep.end(), k) == keep.end()) continue;
      kept[k] = kv.value();
    }
    std::string name(o.at("name").as_string());
    EXPECT_FALSE(out.contains(name)) << "names are unique in these registers: " << name;
    out[name] = std::move(kept);
  }
  return out;
}

void ExpectSame(const std::map<std::string, boost::json::object>& a, const std::map<std::string, boost::json::object>& b) {
  ASSERT_EQ(a.size(), b.size());
  int differ = 0;
  for (const auto& [name, record] : a) {
    auto it = b.find(name);
    ASSERT_NE(it, b.end()) << name;
    if (record != it->second && ++differ <= 3) {
      ADD_FAILURE() << name << "\n  before: " << boost::json::serialize(record) << "\n  after:  " << boost::json::serialize(it->second);
    }
  }
  EXPECT_EQ(differ, 0);
}

// Every relationship, by its organisations' names, with role, dates and note.
std::vector<std::string> RelationshipsOf(const std::string& url) {
  auto s = std::move(store::Open(url).value());
  auto conn = s->Acquire();
  auto rows = conn->Query(
      "SELECT s.name, r.kind, o.name, COALESCE(r.role, '-'), COALESCE(r.start_date, '-'), COALESCE(r.end_date, '-'), r.note "
      "FROM relationships r JOIN organisations s ON s.id = r.subject_id JOIN organisations o ON o.id = r.object_id "
      "WHERE r.deleted_at IS NULL",
      {});
  std::vector<std::string> out;
  for (const auto& r : *rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) line += r.Text(i) + "|";
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// GeoJSON carries every field and the relationships: export, import elsewhere, and the
// register is the same.
TEST(ExportImport, GeoJsonRoundTripsTheWholeRegister) {
  TempDir dir;
  ServerProcess server;
  HttpClient http(server.port());
  std::string a = server.db_url(), b = TestStoreUrl(dir, "b"), file = dir.File("register.geojson");
  std::string out, err;
  ASSERT_EQ(RunCli({"--db", a, "demo", "--orgs", "300", "--seed", "9"}, "", &out, &err), 0) << err;
  // Fields the demo leaves empty, set on one record (through the API) so that they travel too.
  {
    std::string token;
    ASSERT_EQ(RunCli({"--db", a, "user", "add", "root@example.org", "--admin", "--password-stdin"},
                     "a long enough password\n", &out, &err), 0) << err;
    ASSERT_EQ(RunCli({"--db", a, "token", "create", "root@example.org"}, "", &token, &err), 0) << err;
    token.pop_back();
    auto etag = http.Get("/api/v1/organisations/60").Header("etag");
    auto r = http.SendJson("PATCH", "/api/v1/organisations/60",
                           R"({"other_names":["Alias"],"mission":"Share","translations":{"es":{"description":"Hola","mission":""}},
                               "principles":{"democracy":4,"purpose":5},"email":"a@b.example","phone":"+33 1 23",
                               "urls":["https://social.example/a"],"street":"Rue de la Paix 1","sdgs":[1,5]})",
                           {{"Authorization", "Bearer " + token}, {"If-Match", etag}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // A declared relationship besides the demo's memberships, and an ended membership with a note.
  {
    auto s = std::move(store::Open(a).value());
    auto conn = s->Acquire();
    ASSERT_TRUE(conn->Exec("INSERT INTO relationships (subject_id, kind, object_id, start_date, note, created_at, updated_at) "
                           "VALUES (60, 'supplier_of', 61, '2020-02-03', 'Bread, daily', '2024-01-01T00:00:00Z', "
                           "'2024-01-01T00:00:00Z')", {}).ok());
    ASSERT_TRUE(conn->Exec("UPDATE relationships SET end_date = '2025-06-30', note = 'left' WHERE id = "
                           "(SELECT MIN(id) FROM relationships WHERE kind = 'member_of')", {}).ok());
  }
  auto relationships = RelationshipsOf(a);
  ASSERT_GT(relationships.size(), 300u);
  ASSERT_EQ(RunCli({"--db", a, "export", "--format", "geojson", "-o", file}, "", &out, &err), 0) << err;
  ASSERT_EQ(RunCli({"--db", b, "import", "--format", "geojson", file}, "", &out, &err), 0) << err;
  std::string counts = std::to_string(relationships.size());
  EXPECT_EQ(out, "read 352, created 352, updated 0, unchanged 0, rejected 0\nrelationships read " + counts + ", created " +
                     counts + ", updated 0, unchanged 0, left out 0\n");
  ExpectSame(Records(a), Records(b));
  EXPECT_EQ(RelationshipsOf(a), RelationshipsOf(b));
  // And again changes nothing.
  ASSERT_EQ(RunCli({"--db", b, "import", "--format", "geojson", file}, "", &out, &err), 0) << err;
  EXPECT_EQ(out, "read 352, created 0, updated 0, unchanged 352, rejected 0\nrelationships read " + counts +
                     ", created 0, updated 0, unchanged " + counts + ", left out 0\n");
  EXPECT_EQ(RelationshipsOf(a), RelationshipsOf(b));
}

// Relationships that cannot be recorded are left out with their feature's number; the
// organisations and the other relationships are kept.
TEST(ImportCli, LeavesOutRelationshipsItCannotRecord) {
  TempDir dir;
  std::string db = TestStoreUrl(dir, "r"), file = dir.File("rels.geojson"), out, err;
  std::ofstream(file) << R"({"type":"FeatureCollection","features":[
    {"type":"Feature","id":1,"geometry":null,"properties":{"name":"Network","network_scope":"regional",
      "relationships":[{"kind":"member_of","object":{"id":2}},{"kind":"member_of","object":{"id":3}}]}},
    {"type":"Feature","id":3,"geometry":null,"properties":{"name":"Region","network_scope":"national",
      "relationships":[{"kind":"member_of","object":{"id":1}}]}},
    {"type":"Feature","id":2,"geometry":null,"properties":{"name":"Member","relationships":[
      {"kind":"member_of","object":{"id":1},"role":"full","start_date":"2021-05-01"},
      {"kind":"supplier_of","object":{"source":"elsewhere","source_id":"9"}},
      {"kind":"friend_of","object":{"id":1}},
      {"kind":"partner_of","object":{"id":1},"start_date":"2022-13-01"},
      {"kind":"partner_of","object":{"id":2}},
      {"kind":"partner_of"},
      {"kind":"member_of","object":{"id":1},"role":"emperor"}]}}]})";
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "geojson", file}, "", &out, &err), 0) << err;
  EXPECT_EQ(out, "read 3, created 3, updated 0, unchanged 0, rejected 0\n"
                 "relationships read 9, created 2, updated 0, unchanged 0, left out 7\n"
                 "8 values left out (see the warnings)\n");
  for (const char* expected : {"rels.geojson:1: warning: relationship member_of rels/2 left out: the object is not a network",
                               "rels.geojson:2: warning: relationship member_of rels/1 left out: the network is itself a member of this organisation (a cycle)",
                               "rels.geojson:3: warning: relationship supplier_of elsewhere/9 left out: no such organisation",
                               "rels.geojson:3: warning: relationship friend_of rels/1 left out: not a relationship type",
                               "rels.geojson:3: warning: relationship partner_of rels/1 left out: its dates",
                               "rels.geojson:3: warning: relationship partner_of rels/2 left out: an organisation cannot relate to itself",
                               "rels.geojson:3: warning: relationships[5] needs a kind and an object; left out",
                               "rels.geojson:3: warning: relationship member_of rels/1 left out: \"emperor\" is not a membership role"}) {
    EXPECT_NE(err.find(expected), std::string::npos) << expected << "\n" << err;
  }
  EXPECT_EQ(RelationshipsOf(db), (std::vector<std::string>{"Member|member_of|Network|full|2021-05-01|-||",
                                                          "Network|member_of|Region|-|-|-||"}));
}

// ESSGLOBAL CSV and Murmurations carry fewer fields: those they carry come back the same.
TEST(ExportImport, EssglobalCsvAndMurmurationsRoundTripWhatTheyCarry) {
  TempDir dir;
  std::string a = TestStoreUrl(dir, "a");
  std::string out, err;
  ASSERT_EQ(RunCli({"--db", a, "import", "--format", "essglobal-csv", kCoopsUk}, "", &out, &err), 0) << err;
  const std::vector<std::string> essglobal{"name", "description", "legal_form", "primary_activity", "activities",
                                           "membership_type", "street", "locality", "region", "postcode", "country",
                                           "website", "phone", "email", "latitude", "longitude"};
  std::string csv = dir.File("out.csv"), b = TestStoreUrl(dir, "b");
  ASSERT_EQ(RunCli({"--db", a, "export", "--format", "essglobal-csv", "-o", csv}, "", &out, &err), 0) << err;
  ASSERT_EQ(RunCli({"--db", b, "import", "--format", "essglobal-csv", csv}, "", &out, &err), 0) << err;
  EXPECT_EQ(out, "read 7272, created 7272, updated 0, unchanged 0, rejected 0\n");
  // Co-ops UK repeats some names: compare by identifier instead.
  auto by_id = [&](const std::string& url) {
    auto s = std::move(store::Open(url).value());
    auto conn = s->Acquire();
    std::map<std::string, boost::json::object> m;
    auto rows = conn->Query("SELECT source_id, doc FROM organisations", {});
    for (const auto& r : *rows) {
      auto o = boost::json::parse(r.Text(1)).as_object();
      boost::json::object kept;
      for (const auto& k : essglobal) kept[k] = o.at(k);
      m[r.Text(0)] = kept;
    }
    return m;
  };
  ExpectSame(by_id(a), by_id(b));

  std::string c = TestStoreUrl(dir, "c"), d = TestStoreUrl(dir, "d"), json = dir.File("out.json");
  ASSERT_EQ(RunCli({"--db", c, "demo", "--orgs", "200", "--seed", "2"}, "", &out, &err), 0) << err;
  ASSERT_EQ(RunCli({"--db", c, "export", "--format", "murmurations", "-o", json}, "", &out, &err), 0) << err;
  ASSERT_EQ(RunCli({"--db", d, "import", "--format", "murmurations", json}, "", &out, &err), 0) << err;
  const std::vector<std::string> murmurations{"name", "description", "mission", "website", "street", "locality",
                                              "region", "postcode", "country", "latitude", "longitude", "email",
                                              "phone", "founded_year", "urls"};
  ExpectSame(Records(c, murmurations), Records(d, murmurations));
}

TEST(ImportCli, ReadsAnySpreadsheetByItsHeaders) {
  TempDir dir;
  std::string db = TestStoreUrl(dir, "s");
  std::string out, err;
  const std::string ica = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/registry/ica-youth-coops.csv";
  ASSERT_EQ(RunCli({"--db", db, "import", "--format", "csv", ica}, "", &out, &err), 0) << err;
  EXPECT_TRUE(out.starts_with("read 97, created 97, updated 0, unchanged 0, rejected 0\n")) << out;
  EXPECT_NE(err.find("not imported (no field takes them; see --map): Organization Type, name, Size, Type"), std::string::npos)
      << err;
  ASSERT_EQ(RunCli({"--db", db, "import", "--format", "csv", ica}, "", &out, &err), 0) << err;
  EXPECT_TRUE(out.starts_with("read 97, created 0, updated 0, unchanged 97, rejected 0\n")) << out;
  auto s = std::move(store::Open(db).value());
  auto conn = s->Acquire();
  auto row = conn->QueryOne("SELECT COUNT(*), COUNT(country), COUNT(latitude) FROM organisations", {});
  EXPECT_EQ((*row)->Int(0), 97);
  EXPECT_EQ((*row)->Int(1), 97) << "every country name recognised, typos (Rawanda, Congol) included";
  EXPECT_EQ((*row)->Int(2), 97);
  auto rw = conn->QueryOne("SELECT COUNT(*) FROM organisations WHERE country IN ('RW', 'CD', 'GB', 'SZ', 'IR')", {});
  EXPECT_EQ((*rw)->Int(0), 1 + 8 + 1 + 2 + 1);

  // French headers, semicolons, decimal commas, a --map and a column left out.
  std::string fr = dir.File("fr.csv");
  std::ofstream(fr) << "Nom;Ville;Pays;Latitude;Longitude;Forme juridique;Salariés;Catégorie\n"
                       "La Fabrique;Lyon;France;45,76;4,84;Coopérative de producteurs;12;A\n"
                       "Le Relais;Lille;Belgique;50,6;3,06;;1 200;B\n"
                       "Sans lieu;Paris;Atlantide;;;Mutuelle;x;C\n";
  ASSERT_EQ(RunCli({"--db", db, "import", "--format", "csv", "--map", "Catégorie=", fr}, "", &out, &err), 0) << err;
  EXPECT_TRUE(out.starts_with("read 3, created 3,")) << out;
  EXPECT_NE(err.find("fr.csv:4: warning: country \"Atlantide\" is not a known term"), std::string::npos) << err;
  EXPECT_NE(err.find("fr.csv:4: warning: workers \"x\" is not a whole number"), std::string::npos) << err;
  EXPECT_EQ(err.find("Catégorie"), std::string::npos) << "a column mapped to nothing is not reported as ignored";
  auto fab = conn->QueryOne("SELECT country, latitude, legal_form, workers FROM organisations WHERE name = 'La Fabrique'", {});
  ASSERT_TRUE(*fab);
  EXPECT_EQ((*fab)->Text(0), "FR");
  EXPECT_EQ((*fab)->Real(1), 45.76);
  EXPECT_EQ((*fab)->OptText(2).value_or("none"), "OS90") << "legal form matched by its French label";
  EXPECT_EQ((*fab)->Int(3), 12);
  auto relais = conn->QueryOne("SELECT workers, country FROM organisations WHERE name = 'Le Relais'", {});
  EXPECT_EQ((*relais)->Int(0), 1200);
  EXPECT_EQ((*relais)->Text(1), "BE");
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "csv", "--map", "Nom=colour", fr}, "", &out, &err), 2);
  EXPECT_NE(err.find("no such field"), std::string::npos) << err;
  std::string nameless = dir.File("nameless.csv");
  std::ofstream(nameless) << "Ville,Pays\nLyon,France\n";
  EXPECT_EQ(RunCli({"--db", db, "import", "--format", "csv", nameless}, "", &out, &err), 2);
  EXPECT_NE(err.find("No column holds the name"), std::string::npos) << err;
}

TEST(ImportCli, ReadsTransforMapGeoJsonWithEveryScript) {
  TempDir dir;
  std::string db = TestStoreUrl(dir, "s");
  std::string out, err;
  const std::string file = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/registry/transformap-ssedas.geojson";
  ASSERT_EQ(RunCli({"--db", db, "import", "--format", "geojson", file}, "", &out, &err), 0) << err;
  EXPECT_TRUE(out.starts_with("read 1794, created 1794, updated 0, unchanged 0, rejected 0\n")) << out;
  auto s = std::move(store::Open(db).value());
  auto conn = s->Acquire();
  auto bg = conn->QueryOne("SELECT street, locality, country, latitude FROM organisations WHERE source_id = "
                           "'e98fb9126657fd09e8c7e43217000e20'", {});
  ASSERT_TRUE(*bg);
  EXPECT_EQ((*bg)->Text(0), "бул. Васил Левски 106");
  EXPECT_EQ((*bg)->Text(1), "София");
  EXPECT_EQ((*bg)->Text(2), "BG");
  EXPECT_NEAR((*bg)->Real(3), 42.698, 0.001);
  auto placed = conn->QueryOne("SELECT COUNT(latitude) FROM organisations", {});
  EXPECT_EQ((*placed)->Int(0), 1794);
  ASSERT_EQ(RunCli({"--db", db, "import", "--format", "geojson", file}, "", &out, &err), 0) << err;
  EXPECT_TRUE(out.starts_with("read 1794, created 0, updated 0, unchanged 1794, rejected 0\n")) << out;
}

}  // namespace
}  // namespace solidum::testing
