// Sign-in, sessions, CSRF, tokens, rate limits: over real HTTP.
#include <boost/json.hpp>

#include <algorithm>

#include "store/store.h"

#include "fixture.h"

namespace solidum::testing {
namespace {

class AuthTest : public ApiTest {
 protected:
  // Signs in; answers {cookie header value, csrf token}.
  std::pair<std::string, std::string> SignIn(const std::string& email) {
    auto r = http_->SendJson("POST", "/api/v1/auth/sign-in",
                             R"({"email":")" + email + R"(","password":")" + kPassword + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    std::string set_cookie = r.Header("set-cookie");
    return {set_cookie.substr(0, set_cookie.find(';')), std::string(r.Json().at("csrf_token").as_string())};
  }
};

TEST_F(AuthTest, CliTokenCreatesAndEditsAnOrganisation) {
  std::string token = NewUser("ana@coop.example");
  EXPECT_TRUE(token.starts_with("sol_"));
  auto id = CreateOrg(token, R"({"name":"La Fabrique","country":"FR","legal_form":"OS60"})");
  auto got = http_->Get("/api/v1/organisations/" + std::to_string(id));
  ASSERT_EQ(got.status, 200);
  auto patched = http_->SendJson("PATCH", "/api/v1/organisations/" + std::to_string(id), R"({"name":"La Fabrique SCOP"})",
                                 {{"Authorization", "Bearer " + token}, {"If-Match", got.Header("etag")}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json().at("name").as_string(), "La Fabrique SCOP");
  EXPECT_EQ(patched.Header("etag"), "\"v2\"");
}

TEST_F(AuthTest, SignInSetsAStrictHttpOnlyCookieAndSignOutEndsIt) {
  NewUser("ana@coop.example");
  auto wrong = http_->SendJson("POST", "/api/v1/auth/sign-in", R"({"email":"ana@coop.example","password":"wrong password!"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Code(), "invalid_credentials");
  EXPECT_EQ(wrong.Header("set-cookie"), "");

  auto r = http_->SendJson("POST", "/api/v1/auth/sign-in",
                           std::string(R"({"email":"ANA@coop.example","password":")") + kPassword + R"("})");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.Header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP here
  std::string session = cookie.substr(0, cookie.find(';'));

  auto me = http_->Get("/api/v1/auth/session", {{"Cookie", session}});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.Json().at("user").at("email").as_string(), "ana@coop.example");

  std::string csrf(r.Json().at("csrf_token").as_string());
  auto out = http_->Send("POST", "/api/v1/auth/sign-out", "", {{"Cookie", session}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.Header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(http_->Get("/api/v1/auth/session", {{"Cookie", session}}).status, 401);
}

TEST_F(AuthTest, SecureCookiesBehindATlsProxy) {
  server_ = std::make_unique<ServerProcess>(std::vector<std::string>{"--trust-proxy"});
  http_ = std::make_unique<HttpClient>(server_->port());
  NewUser("ana@coop.example");
  auto r = http_->SendJson("POST", "/api/v1/auth/sign-in",
                           std::string(R"({"email":"ana@coop.example","password":")") + kPassword + R"("})",
                           {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.Header("set-cookie").find("; Secure"), std::string::npos);
}

TEST_F(AuthTest, CookieSessionsNeedTheCsrfTokenForChanges) {
  NewUser("ana@coop.example");
  auto [cookie, csrf] = SignIn("ana@coop.example");
  const std::string body = R"({"name":"Coop"})";
  auto without = http_->SendJson("POST", "/api/v1/organisations", body, {{"Cookie", cookie}});
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(without.Code(), "csrf_failed");
  auto forged = http_->SendJson("POST", "/api/v1/organisations", body, {{"Cookie", cookie}, {"X-CSRF-Token", csrf + "x"}});
  EXPECT_EQ(forged.status, 403);
  auto cross_site = http_->SendJson("POST", "/api/v1/organisations", body,
                                    {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(cross_site.status, 403);
  EXPECT_EQ(CountRows("organisations"), 0);
  auto with = http_->SendJson("POST", "/api/v1/organisations", body, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(with.status, 201) << with.body;
  // Reads need no token.
  EXPECT_EQ(http_->Get("/api/v1/auth/session", {{"Cookie", cookie}}).status, 200);
}

TEST_F(AuthTest, TokensFromTheApiWorkAndBadTokensAreRefused) {
  NewUser("ana@coop.example");
  auto [cookie, csrf] = SignIn("ana@coop.example");
  auto t = http_->SendJson("POST", "/api/v1/auth/tokens", R"({"label":"my script"})", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_EQ(t.status, 201) << t.body;
  std::string token(t.Json().at("token").as_string());
  EXPECT_EQ(http_->Get("/api/v1/auth/session", Bearer(token)).status, 200);
  EXPECT_EQ(http_->Get("/api/v1/auth/session", Bearer("sol_forged")).status, 401);
  EXPECT_EQ(http_->Get("/api/v1/auth/session", {{"Authorization", "Basic YTpi"}}).status, 401);
  // A bad token is refused even on public routes, rather than silently ignored.
  EXPECT_EQ(http_->Get("/api/v1/organisations", Bearer("sol_forged")).Code(), "invalid_token");
}

TEST_F(AuthTest, TokensCanBeListedAndRevoked) {
  std::string mine = NewUser("ana@coop.example");
  std::string theirs = NewUser("bob@coop.example");
  auto list = http_->Get("/api/v1/auth/tokens", Bearer(mine));
  ASSERT_EQ(list.status, 200);
  auto items = list.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(list.body.find(mine), std::string::npos) << "the secret is never shown again";
  auto id = items[0].at("id").as_int64();
  // Someone else cannot revoke it.
  EXPECT_EQ(http_->Send("DELETE", "/api/v1/auth/tokens/" + std::to_string(id), "", Bearer(theirs)).status, 404);
  EXPECT_EQ(http_->Get("/api/v1/auth/session", Bearer(mine)).status, 200);
  EXPECT_EQ(http_->Send("DELETE", "/api/v1/auth/tokens/" + std::to_string(id), "", Bearer(mine)).status, 204);
  EXPECT_EQ(http_->Get("/api/v1/auth/session", Bearer(mine)).status, 401);
}

TEST_F(AuthTest, FailedSignInsAreRateLimitedPerAccount) {
  NewUser("ana@coop.example");
  for (int i = 0; i < 5; ++i) {
    auto r = http_->SendJson("POST", "/api/v1/auth/sign-in", R"({"email":"ana@coop.example","password":"not the password"})");
    EXPECT_EQ(r.status, 401);
  }
  auto blocked = http_->SendJson("POST", "/api/v1/auth/sign-in",
                                 std::string(R"({"email":"ana@coop.example","password":")") + kPassword + R"("})");
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(blocked.Code(), "too_many_attempts");
  EXPECT_GT(std::stoi(blocked.Header("retry-after")), 0);
}

TEST_F(AuthTest, OnlyPlatformAdminsCreateUsersThroughTheApi) {
  std::string admin = NewUser("admin@network.example", true);
  std::string user = NewUser("ana@coop.example");
  const std::string body = R"({"email":"new@coop.example","password":"another long password"})";
  EXPECT_EQ(http_->SendJson("POST", "/api/v1/users", body, Bearer(user)).status, 403);
  auto created = http_->SendJson("POST", "/api/v1/users", body, Bearer(admin));
  EXPECT_EQ(created.status, 201) << created.body;
  auto again = http_->SendJson("POST", "/api/v1/users", body, Bearer(admin));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Code(), "email_taken");
  auto weak = http_->SendJson("POST", "/api/v1/users", R"({"email":"w@coop.example","password":"short"})", Bearer(admin));
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.Fields(), std::vector<std::string>{"/password too_short"});
}

TEST_F(AuthTest, NoSecretEverReachesTheLogs) {
  std::string token = NewUser("ana@coop.example");
  auto [cookie, csrf] = SignIn("ana@coop.example");
  http_->Get("/api/v1/auth/session?token=" + token, Bearer(token));
  server_->Stop();
  std::string logs = server_->Output();
  EXPECT_NE(logs.find("/api/v1/auth/session"), std::string::npos) << "the access log is on";
  EXPECT_EQ(logs.find(kPassword), std::string::npos);
  EXPECT_EQ(logs.find(token), std::string::npos);
  EXPECT_EQ(logs.find(cookie.substr(cookie.find('=') + 1)), std::string::npos);
  EXPECT_EQ(logs.find(csrf), std::string::npos);
}

TEST(Cli, UserAddRefusesWeakPasswordsAndDuplicates) {
  TempDir dir;
  std::string db = TestStoreUrl(dir, "s");
  std::string out, err;
  EXPECT_NE(RunCli({"--db", db, "user", "add", "a@b.example", "--password-stdin"}, "short\n", &out, &err), 0);
  EXPECT_NE(err.find("at least"), std::string::npos) << err;
  EXPECT_EQ(RunCli({"--db", db, "user", "add", "a@b.example", "--password-stdin"}, "long enough pass\n", &out, &err), 0);
  EXPECT_NE(RunCli({"--db", db, "user", "add", "A@b.example", "--password-stdin"}, "long enough pass\n", &out, &err), 0);
  EXPECT_NE(RunCli({"--db", db, "token", "create", "nobody@b.example"}, "", &out, &err), 0);
  EXPECT_EQ(out, "");
  // Without a terminal and without --password-stdin, it says what to do.
  EXPECT_NE(RunCli({"--db", db, "user", "add", "c@b.example"}, "", &out, &err), 0);
  EXPECT_NE(err.find("--password-stdin"), std::string::npos);
}

TEST(Cli, EverySubcommandHasHelp) {
  for (auto args : std::vector<std::vector<std::string>>{{"--help"}, {"serve", "--help"}, {"migrate", "--help"},
                                                         {"demo", "--help"}, {"user", "add", "--help"},
                                                         {"token", "create", "--help"}}) {
    std::string out;
    EXPECT_EQ(RunCli(args, "", &out), 0);
    EXPECT_NE(out.find("Usage"), std::string::npos) << args[0];
  }
}

TEST(Cli, MigrateAndDemoAreRepeatableAndDeterministic) {
  TempDir dir;
  std::string a = TestStoreUrl(dir, "a"), b = TestStoreUrl(dir, "b");
  std::string out;
  EXPECT_EQ(RunCli({"--db", a, "migrate"}, "", &out), 0);
  std::string first = out;
  EXPECT_TRUE(first.starts_with("schema version ")) << first;
  EXPECT_EQ(RunCli({"--db", a, "migrate"}, "", &out), 0);
  EXPECT_EQ(out, first) << "a second migrate changes nothing";
  EXPECT_EQ(RunCli({"--db", a, "demo", "--orgs", "30", "--seed", "5"}, "", &out), 0);
  EXPECT_EQ(RunCli({"--db", b, "demo", "--orgs", "30", "--seed", "5"}, "", &out), 0);
  auto names = [](const std::string& url) {
    auto s = std::move(store::Open(url).value());
    auto conn = s->Acquire();
    std::string all;
    auto rows = conn->Query("SELECT name, latitude FROM organisations ORDER BY id", {});
    for (const auto& r : *rows) {
      all += r.Text(0) + std::to_string(r.Real(1)) + "\n";
    }
    return all;
  };
  std::string in_a = names(a);
  EXPECT_EQ(in_a, names(b));
  EXPECT_EQ(std::count(in_a.begin(), in_a.end(), '\n'), 30 + 52) << "30 organisations and the demo's 52 networks";
}

}  // namespace
}  // namespace solidum::testing
