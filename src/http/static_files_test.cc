#include "http/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../../tests/support/temp_dir.h"

namespace solidum::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "web/assets");
    std::ofstream(dir_.path() / "web/index.html") << "<html><head></head>app</html>";
    std::ofstream(dir_.path() / "web/assets/app-1234.js") << "console.log(1)";
    std::ofstream(dir_.path() / "secret.txt") << "outside the root";
  }
  WebAppOptions Root() const { return {(dir_.path() / "web").string(), ""}; }
  solidum::testing::TempDir dir_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  auto r = ServeStatic(Root(), "/assets/app-1234.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  bool immutable = false;
  for (auto& [k, v] : r.headers) immutable |= k == "Cache-Control" && v.find("immutable") != std::string::npos;
  EXPECT_TRUE(immutable);
  EXPECT_EQ(ServeStatic(Root(), "/").body, "<html><head></head>app</html>");
}

TEST_F(StaticFilesTest, FallsBackToTheAppForRoutesButNotForMissingFiles) {
  EXPECT_EQ(ServeStatic(Root(), "/organisations/12").body, "<html><head></head>app</html>");
  EXPECT_EQ(ServeStatic(Root(), "/assets/missing.js").status, 404);
}

TEST_F(StaticFilesTest, NeverLeavesTheRoot) {
  for (const char* p : {"/../secret.txt", "/assets/../../secret.txt", "/.git/config", "/a\\..\\b"}) {
    auto r = ServeStatic(Root(), p);
    EXPECT_NE(r.body, "outside the root") << p;
    EXPECT_EQ(r.status, 404) << p;
  }
}

TEST(StaticFiles, ServesALandingPageWithoutAWebRoot) {
  auto r = ServeStatic({}, "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Solidum"), std::string::npos);
  EXPECT_EQ(ServeStatic({}, "/x.js").status, 404);
}

TEST_F(StaticFilesTest, GivesTheAppTheTileUrlInItsPage) {
  WebAppOptions app = Root();
  app.tile_url = "https://tiles.example/{z}/{x}/{y}.png";
  auto page = ServeStatic(app, "/organisations/12").body;
  EXPECT_EQ(page, "<html><head><meta name=\"solidum-tiles\" content=\"https://tiles.example/{z}/{x}/{y}.png\" />\n</head>app</html>");
  EXPECT_EQ(ServeStatic(app, "/assets/app-1234.js").body, "console.log(1)");
}

TEST(StaticFiles, TakesOnlyHttpsTileUrlsWithTheirPlaceholders) {
  EXPECT_TRUE(IsTileUrl("https://tile.openstreetmap.org/{z}/{x}/{y}.png"));
  EXPECT_FALSE(IsTileUrl("http://tile.openstreetmap.org/{z}/{x}/{y}.png"));
  EXPECT_FALSE(IsTileUrl("https://tile.openstreetmap.org/{z}/{x}.png"));
  EXPECT_FALSE(IsTileUrl("https://t.example/{z}/{x}/{y}.png\"><script>"));
  EXPECT_FALSE(IsTileUrl(""));
}

}  // namespace
}  // namespace solidum::http
