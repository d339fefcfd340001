// `solidum import` as people run it: the real Co-ops UK file, twice; bad files and rows.
#include <gtest/gtest.h>

#include <fstream>

#include "http_client.h"
#include "server_process.h"

namespace solidum::testing {
namespace {

const std::string kCoopsUk = std::string(SOLIDUM_SOURCE_DIR) + "/../shared/datasets/registry/coops-uk-2022-essglobal.csv";

TEST(ImportCli, ImportsCoopsUkOnceAndThenChangesNothing) {
  TempDir dir;
  std::string db = "sqlite:" + dir.File("s.db");
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
  std::string db = "sqlite:" + dir.File("s.db");
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
  std::string db = "sqlite:" + dir.File("s.db");
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
  EXPECT_NE(RunCli({"--db", db, "import", "--format", "kml", binary}, "", &out, &err), 0);
  EXPECT_NE(RunCli({"--db", db, "import", "--format", "essglobal-csv", dir.File("missing.csv")}, "", &out, &err), 0);
}

}  // namespace
}  // namespace solidum::testing
