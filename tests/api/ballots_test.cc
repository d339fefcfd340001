// Secret ballots through the real server: a motion voted online and on paper, counted by
// its rule, published with papers, receipts and a log anyone can verify; an election by
// college, counted by STV and exported as BLT; once per member under concurrent requests;
// the voting window; bad set-ups refused.
#include <boost/json.hpp>

#include <chrono>
#include <ctime>
#include <set>
#include <thread>

#include "fixture.h"
#include "governance/ballots.h"
#include "governance/tally/blt.h"

namespace solidum::testing {
namespace {

std::string IsoIn(int seconds) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class BallotsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    admin_ = NewUser("secretary@coop.example");
    coop_ = CreateOrg(admin_, R"({"name":"Les Ateliers Solidaires","country":"FR"})");
    base_ = "/api/v1/organisations/" + std::to_string(coop_);
  }
  HttpResponse Post(const std::string& path, const std::string& json, const std::string& token = "") {
    return http_->SendJson("POST", path, json, Bearer(token.empty() ? admin_ : token));
  }
  // A member with a user account; answers the user's token.
  std::string Member(const std::string& name, const std::string& cls = "") {
    const std::string email = name + "@coop.example";
    std::string token = NewUser(email);
    auto r = Post(base_ + "/members", R"({"name":")" + name + R"(","user_email":")" + email + R"(","joined_on":"2020-01-01")" +
                                          (cls.empty() ? "" : R"(,"class":")" + cls + R"(")") + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    member_ids_[name] = r.Json().at("id").as_int64();
    return token;
  }
  HttpResponse Step(std::int64_t ballot, const std::string& step) {
    auto now = http_->Get(base_ + "/ballots/" + std::to_string(ballot), Bearer(admin_));
    return http_->SendJson("POST", base_ + "/ballots/" + std::to_string(ballot) + "/" + step, "",
                           {{"Authorization", "Bearer " + admin_}, {"If-Match", now.Header("etag")}});
  }
  std::string admin_, base_;
  std::int64_t coop_ = 0;
  std::map<std::string, std::int64_t> member_ids_;
};

TEST_F(BallotsTest, AMotionIsVotedOnlineAndOnPaperCountedPublishedAndVerifiable) {
  ASSERT_EQ(Post(base_ + "/member-classes", R"({"code":"founder","name":"Founders"})").status, 201);
  const std::string ana = Member("ana", "founder"), bo = Member("bo"), cy = Member("cy");
  auto dee = Post(base_ + "/members", R"({"name":"Dee, no account","joined_on":"2020-01-01"})");
  ASSERT_EQ(dee.status, 201);
  const std::string outsider = NewUser("outsider@example.org");

  auto created = Post(base_ + "/ballots", R"({"kind":"motion","title":"Amend article 12 of the statutes","threshold":"two_thirds",)"
                                          R"("opens_at":")" + IsoIn(-3600) + R"(","closes_at":")" + IsoIn(3600) + R"("})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = created.Json().at("id").as_int64();
  const std::string pub = "/api/v1/ballots/" + std::to_string(id);
  EXPECT_EQ(http_->Get(pub).status, 404);  // a draft is not public
  EXPECT_EQ(Post(pub + "/votes", R"({"choice":"yes"})", ana).status, 404);  // nor can it be voted in
  auto opened = Step(id, "open");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(opened.Json().at("entitled").as_int64(), 4);

  auto a = Post(pub + "/votes", R"({"choice":"yes"})", ana);
  ASSERT_EQ(a.status, 201) << a.body;
  const std::string receipt(a.Json().at("receipt").as_string());
  EXPECT_EQ(Post(pub + "/votes", R"({"choice":"no"})", ana).Code(), "already_voted");
  EXPECT_EQ(Post(pub + "/votes", R"({"choice":"yes"})", outsider).Code(), "not_eligible");
  EXPECT_EQ(Post(pub + "/votes", R"({"choice":"maybe"})", bo).Fields(), std::vector<std::string>{"/choice unknown_term"});
  EXPECT_EQ(Post(pub + "/votes", R"({"ranking":[1]})", bo).Fields(), std::vector<std::string>{"/choice required"});
  ASSERT_EQ(Post(pub + "/votes", R"({"choice":"no"})", bo).status, 201);
  // The teller enters Dee's paper vote; a member who voted online cannot vote on paper too.
  const std::string paper = base_ + "/ballots/" + std::to_string(id) + "/paper-ballots";
  EXPECT_EQ(Post(paper, R"({"voters":[)" + std::to_string(member_ids_["ana"]) + R"(],"papers":[{"choice":"yes"}]})").Code(), "already_voted");
  EXPECT_EQ(Post(paper, R"({"voters":[)" + std::to_string(dee.Json().at("id").as_int64()) + R"(],"papers":[]})").Fields(),
            std::vector<std::string>{"/papers count_mismatch"});
  ASSERT_EQ(Post(paper, R"({"voters":[)" + std::to_string(dee.Json().at("id").as_int64()) + R"(],"papers":[{"choice":"yes"}]})").status, 201);
  // The receipt finds the paper at once; the papers stay hidden until publication.
  auto found = http_->Get(pub + "/receipts/" + receipt);
  ASSERT_EQ(found.status, 200);
  EXPECT_EQ(found.Json().at("content").as_string(), "yes");
  EXPECT_EQ(http_->Get(pub + "/papers").status, 404);
  EXPECT_EQ(http_->Get(pub + "/receipts/AAAA-BBBB").status, 404);

  auto closed = Step(id, "close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  const auto result = closed.Json().at("result");
  EXPECT_EQ(result.at("yes").as_int64(), 2);
  EXPECT_EQ(result.at("no").as_int64(), 1);
  EXPECT_TRUE(result.at("adopted").as_bool());  // exactly two-thirds of the votes cast
  EXPECT_EQ(result.at("rule").as_string(), "at least two-thirds of the votes cast; abstentions not counted; one member, one vote");
  EXPECT_EQ(Post(pub + "/votes", R"({"choice":"yes"})", cy).Code(), "voting_closed");
  EXPECT_TRUE(http_->Get(pub).Json().at("result").is_null());  // counted, not yet published
  ASSERT_EQ(Step(id, "publish").status, 200);
  EXPECT_TRUE(http_->Get(pub).Json().at("result").at("adopted").as_bool());

  auto papers = http_->Get(pub + "/papers");
  ASSERT_EQ(papers.status, 200);
  const auto papers_json = papers.Json();
  ASSERT_EQ(papers_json.at("items").as_array().size(), 3u);
  for (const auto& p : papers_json.at("items").as_array()) {
    EXPECT_FALSE(p.as_object().contains("member_id"));
    EXPECT_TRUE(p.at("college").is_null());  // an unweighted motion's papers do not name a class
    EXPECT_FALSE(p.as_object().contains("channel"));  // nor whether they were cast on paper
  }

  // Ana checks her paper is hers and unchanged: its commitment is the content keyed by her code.
  auto mine = http_->Get(pub + "/receipts/" + receipt).Json();
  EXPECT_EQ(std::string(mine.at("commitment").as_string()), governance::CommitmentOf(receipt, "yes"));

  // The log: opened, closed (with a hash of every paper in receipt order), published; no
  // entry per paper (their order would follow the order of voting). The chain holds, the
  // published papers match the closing entry, and a change breaks the chain.
  auto log = http_->Get(pub + "/log");
  ASSERT_EQ(log.status, 200);
  const auto log_json = log.Json();
  EXPECT_TRUE(log_json.at("verified").as_bool());
  std::vector<governance::LogEntry> entries;
  for (const auto& e : log_json.at("items").as_array()) {
    entries.push_back({e.at("seq").as_int64(), std::string(e.at("entry").as_string()), std::string(e.at("hash").as_string())});
  }
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_NE(entries[0].entry.find(R"("event":"opened")"), std::string::npos);
  EXPECT_NE(entries[2].entry.find(R"("event":"published")"), std::string::npos);
  std::vector<governance::Paper> published;
  for (const auto& p : papers_json.at("items").as_array()) {
    published.push_back({std::string(p.at("receipt_id").as_string()), std::nullopt, "", std::string(p.at("commitment").as_string())});
  }
  const auto closing = boost::json::parse(entries[1].entry);
  EXPECT_EQ(closing.at("event").as_string(), "closed");
  EXPECT_EQ(closing.at("papers").as_int64(), 3);
  EXPECT_EQ(closing.at("paper_ballots").as_int64(), 1);
  EXPECT_EQ(std::string(closing.at("papers_hash").as_string()), governance::PapersHash(published));
  EXPECT_EQ(governance::VerifyLog(entries), std::nullopt);
  auto forged = entries;
  forged[1].entry.replace(forged[1].entry.find("papers_hash") + 14, 1, "x");
  EXPECT_EQ(governance::VerifyLog(forged), std::optional<std::int64_t>(2));
  auto store = store::Open(server_->db_url());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Acquire()->Exec("UPDATE ballot_log SET entry = replace(entry, 'closed', 'CLOSED') WHERE ballot_id = ?", {id}).ok());
  EXPECT_FALSE(http_->Get(pub + "/log").Json().at("verified").as_bool());
}

TEST_F(BallotsTest, AnElectionByCollegeIsCountedByStvAndExportedAsBlt) {
  ASSERT_EQ(Post(base_ + "/member-classes", R"({"code":"worker","name":"Workers"})").status, 201);
  ASSERT_EQ(Post(base_ + "/member-classes", R"({"code":"user","name":"Users"})").status, 201);
  std::vector<std::string> workers, users;
  for (int i = 0; i < 3; ++i) workers.push_back(Member("w" + std::to_string(i), "worker"));
  for (int i = 0; i < 7; ++i) users.push_back(Member("u" + std::to_string(i), "user"));
  auto created = Post(base_ + "/ballots", R"({"kind":"election","title":"Board 2027","method":"scottish","seed":7,)"
                                          R"("opens_at":")" + IsoIn(-60) + R"(","closes_at":")" + IsoIn(3600) + R"(",)"
                                          R"("contests":[{"class":"worker","seats":1,"candidates":[{"name":"Wren"},{"name":"Wade"}]},)"
                                          R"({"class":"user","seats":2,"balance":[{"group":"f","seats_min":1}],)"
                                          R"("candidates":[{"name":"Ulla","group":"f"},{"name":"Uwe","group":"m"},{"name":"Ugo","group":"m"}]}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto def = created.Json();
  const std::int64_t id = def.at("id").as_int64();
  const auto& contests = def.at("contests").as_array();
  auto cand = [&](std::size_t contest, std::size_t i) { return contests[contest].at("candidates").as_array()[i].at("id").as_int64(); };
  const std::string pub = "/api/v1/ballots/" + std::to_string(id);
  ASSERT_EQ(Step(id, "open").status, 200);
  auto ranking = [](std::vector<std::int64_t> ids) {
    std::string s = R"({"ranking":[)";
    for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
    return s + "]}";
  };
  // A user cannot vote for a worker candidate, nor twice for one.
  EXPECT_EQ(Post(pub + "/votes", ranking({cand(0, 0)}), users[0]).Fields(), std::vector<std::string>{"/ranking unknown_candidate"});
  EXPECT_EQ(Post(pub + "/votes", ranking({cand(1, 0), cand(1, 0)}), users[0]).Fields(), std::vector<std::string>{"/ranking/1 duplicate"});
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Post(pub + "/votes", ranking({cand(0, i == 0 ? 1 : 0)}), workers[static_cast<std::size_t>(i)]).status, 201);
  // Users: Uwe 4 first preferences, Ugo 2, Ulla 1: the balance rule still gives Ulla a seat.
  const std::vector<std::vector<std::int64_t>> user_votes = {
      {cand(1, 1), cand(1, 2)}, {cand(1, 1), cand(1, 2)}, {cand(1, 1)}, {cand(1, 1), cand(1, 0)},
      {cand(1, 2), cand(1, 1)}, {cand(1, 2)},             {cand(1, 0)}};
  for (std::size_t i = 0; i < users.size(); ++i) ASSERT_EQ(Post(pub + "/votes", ranking(user_votes[i]), users[i]).status, 201);
  auto me = http_->Get("/api/v1/me/ballots", Bearer(users[0]));
  ASSERT_EQ(me.status, 200);
  const auto me_json = me.Json();
  EXPECT_TRUE(me_json.at("items").as_array().at(0).at("you_voted").as_bool());
  EXPECT_EQ(me_json.at("items").as_array().at(0).at("your_contest").as_int64(), contests[1].at("id").as_int64());

  auto closed = Step(id, "close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  const auto result = closed.Json().at("result");
  const auto& per = result.at("contests").as_array();
  ASSERT_EQ(per.size(), 2u);
  EXPECT_EQ(per[0].at("tally").at("elected"), (boost::json::array{"Wren"}));
  EXPECT_EQ(per[1].at("papers").as_int64(), 7);
  EXPECT_EQ(per[1].at("tally").at("elected"), (boost::json::array{"Uwe", "Ulla"}));
  ASSERT_EQ(Step(id, "publish").status, 200);

  // The published papers as BLT, counted again by the tally engine, give the same result.
  auto blt = http_->Get(pub + "/contests/" + std::to_string(contests[1].at("id").as_int64()) + "/blt");
  ASSERT_EQ(blt.status, 200);
  auto parsed = tally::ParseBlt(blt.body);
  ASSERT_TRUE(parsed.ok()) << blt.body;
  EXPECT_EQ(parsed->election.PaperCount(), 7);
  EXPECT_EQ(parsed->election.candidates[0].name, "Ulla");
}

TEST_F(BallotsTest, AWeightedMotionCountsEachCollegeAndRefusesSuspendedMembersAndOutsiders) {
  ASSERT_EQ(Post(base_ + "/member-classes", R"({"code":"worker","name":"Workers","college_weight_percent":60})").status, 201);
  ASSERT_EQ(Post(base_ + "/member-classes", R"({"code":"user","name":"Users","college_weight_percent":40})").status, 201);
  const std::string w1 = Member("w1", "worker"), w2 = Member("w2", "worker"), u1 = Member("u1", "user"), u2 = Member("u2", "user");
  const std::string u3 = Member("u3", "user"), outsider = NewUser("outsider@example.org");
  auto suspend = http_->SendJson("PATCH", base_ + "/members/" + std::to_string(member_ids_["u3"]), R"({"status":"suspended"})",
                                 {{"Authorization", "Bearer " + admin_}, {"If-Match", "\"v1\""}});
  ASSERT_EQ(suspend.status, 200) << suspend.body;
  auto created = Post(base_ + "/ballots", R"({"kind":"motion","title":"Open a second shop","weighted":true,)"
                                          R"("opens_at":")" + IsoIn(-60) + R"(","closes_at":")" + IsoIn(3600) + R"("})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = created.Json().at("id").as_int64();
  ASSERT_EQ(Step(id, "open").status, 200);
  const std::string votes = "/api/v1/ballots/" + std::to_string(id) + "/votes";
  // The workers (60 %) say yes; the users (40 %) say no: adopted by 60 % of the weight,
  // though two members of four said no.
  for (const auto& t : {w1, w2}) ASSERT_EQ(Post(votes, R"({"choice":"yes"})", t).status, 201);
  for (const auto& t : {u1, u2}) ASSERT_EQ(Post(votes, R"({"choice":"no"})", t).status, 201);
  EXPECT_EQ(Post(votes, R"({"choice":"no"})", u1).Code(), "already_voted");
  EXPECT_EQ(Post(votes, R"({"choice":"yes"})", u3).Code(), "not_eligible");        // suspended
  EXPECT_EQ(Post(votes, R"({"choice":"yes"})", outsider).Code(), "not_eligible");  // not a member
  EXPECT_EQ(Post(votes, R"({"choice":"perhaps"})", w1).Fields(), std::vector<std::string>{"/choice unknown_term"});
  auto closed = Step(id, "close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  const auto result = closed.Json().at("result");
  EXPECT_TRUE(result.at("adopted").as_bool());
  EXPECT_EQ(result.at("yes").as_int64(), 2);
  EXPECT_EQ(result.at("no").as_int64(), 2);
  EXPECT_EQ(CountRows("ballot_papers"), 4);
  EXPECT_EQ(CountRows("ballot_voters"), 4);
  ASSERT_EQ(Step(id, "publish").status, 200);
  // Each paper names its voter's college (the count needs it), and only that.
  std::map<std::string, std::set<std::int64_t>> colleges;  // choice -> colleges of its papers
  std::map<std::string, int> count;
  const auto papers = http_->Get("/api/v1/ballots/" + std::to_string(id) + "/papers").Json();
  for (const auto& p : papers.at("items").as_array()) {
    ASSERT_TRUE(p.at("college").is_int64());
    colleges[std::string(p.at("content").as_string())].insert(p.at("college").as_int64());
    count[std::string(p.at("content").as_string())] += 1;
  }
  EXPECT_EQ(count["yes"], 2);
  EXPECT_EQ(count["no"], 2);
  ASSERT_EQ(colleges["yes"].size(), 1u);  // both workers
  ASSERT_EQ(colleges["no"].size(), 1u);   // both users
  EXPECT_NE(*colleges["yes"].begin(), *colleges["no"].begin());
}

TEST_F(BallotsTest, EachMemberVotesOnceUnderConcurrentRequests) {
  const std::string ana = Member("ana");
  auto created = Post(base_ + "/ballots", R"({"kind":"motion","title":"Race","opens_at":")" + IsoIn(-60) + R"(","closes_at":")" + IsoIn(3600) + R"("})");
  ASSERT_EQ(created.status, 201);
  const std::int64_t id = created.Json().at("id").as_int64();
  ASSERT_EQ(Step(id, "open").status, 200);
  const std::string path = "/api/v1/ballots/" + std::to_string(id) + "/votes";
  std::vector<std::thread> threads;
  std::vector<int> statuses(24, 0);
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    threads.emplace_back([&, i] {
      HttpClient client(server_->port());
      statuses[i] = client.SendJson("POST", path, i % 2 ? R"({"choice":"yes"})" : R"({"choice":"no"})", Bearer(ana)).status;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), static_cast<long>(statuses.size()) - 1);
  EXPECT_EQ(CountRows("ballot_papers"), 1);
  EXPECT_EQ(CountRows("ballot_voters"), 1);
}

// Many members at once, each by a token the server has not seen yet (on PostgreSQL: their
// tokens and their members looked up in shared queries, no thread waiting): every vote is
// counted once and answered to its own voter; an unknown, a revoked or a malformed token
// votes nothing.
TEST_F(BallotsTest, ManyMembersVoteAtOnceAndUnknownOrRevokedTokensVoteNothing) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 16; ++i) tokens.push_back(Member("m" + std::to_string(i)));
  const std::string late = Member("late");
  auto created = Post(base_ + "/ballots", R"({"kind":"motion","title":"Crowd","opens_at":")" + IsoIn(-60) + R"(","closes_at":")" + IsoIn(3600) + R"("})");
  ASSERT_EQ(created.status, 201);
  const std::int64_t id = created.Json().at("id").as_int64();
  ASSERT_EQ(Step(id, "open").status, 200);
  const std::string path = "/api/v1/ballots/" + std::to_string(id) + "/votes";
  std::vector<std::thread> threads;
  std::vector<int> statuses(tokens.size(), 0);
  std::vector<std::string> receipts(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    threads.emplace_back([&, i] {
      HttpClient client(server_->port());
      auto r = client.SendJson("POST", path, i % 3 ? R"({"choice":"yes"})" : R"({"choice":"no"})", Bearer(tokens[i]));
      statuses[i] = r.status;
      if (r.status == 201) receipts[i] = std::string(r.Json().at("receipt").as_string());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), static_cast<long>(tokens.size()));
  std::set<std::string> distinct(receipts.begin(), receipts.end());
  EXPECT_EQ(distinct.size(), tokens.size());
  // Each voter's receipt finds a paper with their own choice.
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    auto paper = http_->Get("/api/v1/ballots/" + std::to_string(id) + "/receipts/" + receipts[i]);
    ASSERT_EQ(paper.status, 200) << i;
    EXPECT_EQ(paper.Json().at("content").as_string(), i % 3 ? "yes" : "no") << i;
  }
  EXPECT_EQ(CountRows("ballot_papers"), static_cast<std::int64_t>(tokens.size()));

  auto refused = [&](const Headers& h) {
    HttpClient client(server_->port());
    return client.SendJson("POST", path, R"({"choice":"yes"})", h);
  };
  auto unknown = refused(Bearer("sol_" + std::string(43, 'x')));
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.Json().at("code").as_string(), "invalid_token");
  EXPECT_EQ(refused({{"Authorization", "Basic abc"}}).status, 401);
  // Used (so remembered), then revoked: refused at once.
  auto mine = http_->Get("/api/v1/auth/tokens", Bearer(late));
  ASSERT_EQ(mine.status, 200);
  const std::int64_t token_id = mine.Json().at("items").as_array().at(0).at("id").as_int64();
  ASSERT_EQ(http_->Send("DELETE", "/api/v1/auth/tokens/" + std::to_string(token_id), "", Bearer(late)).status, 204);
  EXPECT_EQ(refused(Bearer(late)).status, 401);
  EXPECT_EQ(CountRows("ballot_papers"), static_cast<std::int64_t>(tokens.size()));
}

TEST_F(BallotsTest, BadSetUpsAndVotesOutsideTheWindowAreRefused) {
  const std::string ana = Member("ana");
  const std::string window = R"("opens_at":")" + IsoIn(-60) + R"(","closes_at":")" + IsoIn(3600) + R"(")";
  auto fields = [&](const std::string& json) { return Post(base_ + "/ballots", json).Fields(); };
  EXPECT_EQ(fields(R"({"kind":"referendum","title":"x",)" + window + "}"), std::vector<std::string>{"/kind unknown_term"});
  EXPECT_EQ(fields(R"({"kind":"motion","title":"x","opens_at":"2026-12-01 09:00","closes_at":"2026-12-01T08:00:00Z"})"),
            std::vector<std::string>{"/opens_at invalid_time"});
  EXPECT_EQ(fields(R"({"kind":"motion","title":"x","opens_at":"2026-12-01T09:00:00Z","closes_at":"2026-12-01T08:00:00Z"})"),
            std::vector<std::string>{"/closes_at times_out_of_order"});
  EXPECT_EQ(fields(R"({"kind":"motion","title":"x","method":"meek",)" + window + "}"), std::vector<std::string>{"/method not_for_motions"});
  EXPECT_EQ(fields(R"({"kind":"election","title":"x",)" + window + "}"), std::vector<std::string>{"/contests required"});
  EXPECT_EQ(fields(R"({"kind":"election","title":"x",)" + window + R"(,"contests":[{"seats":3,"candidates":[{"name":"A"},{"name":"B"}]}]})"),
            std::vector<std::string>{"/contests/0/seats out_of_range"});
  EXPECT_EQ(fields(R"({"kind":"election","title":"x",)" + window + R"(,"contests":[{"seats":1,"candidates":[{"name":"A"},{"name":"A"}]}]})"),
            std::vector<std::string>{"/contests/0/candidates/1/name duplicate"});
  EXPECT_EQ(fields(R"({"kind":"election","title":"x",)" + window +
                   R"(,"contests":[{"seats":1,"balance":[{"group":"f","seats_min":1}],"candidates":[{"name":"A","group":"m"}]}]})"),
            std::vector<std::string>{"/contests/0/balance unreachable"});
  EXPECT_EQ(fields(R"({"kind":"election","title":"x",)" + window + R"(,"contests":[{"class":"ghost","seats":1,"candidates":[{"name":"A"}]}]})"),
            std::vector<std::string>{"/contests/0/class unknown_class"});
  EXPECT_EQ(Post(base_ + "/ballots", R"({"kind":"motion","title":"x",)" + window + "}", ana).status, 403);

  // Not yet open, and already over.
  auto later = Post(base_ + "/ballots", R"({"kind":"motion","title":"Later","opens_at":")" + IsoIn(3600) + R"(","closes_at":")" + IsoIn(7200) + R"("})");
  ASSERT_EQ(Step(later.Json().at("id").as_int64(), "open").status, 200);
  EXPECT_EQ(Post("/api/v1/ballots/" + std::to_string(later.Json().at("id").as_int64()) + "/votes", R"({"choice":"yes"})", ana).Code(), "not_open");
  auto over = Post(base_ + "/ballots", R"({"kind":"motion","title":"Over","opens_at":")" + IsoIn(-7200) + R"(","closes_at":")" + IsoIn(-3600) + R"("})");
  ASSERT_EQ(Step(over.Json().at("id").as_int64(), "open").status, 200);
  EXPECT_EQ(Post("/api/v1/ballots/" + std::to_string(over.Json().at("id").as_int64()) + "/votes", R"({"choice":"yes"})", ana).Code(), "voting_closed");
  // Steps out of order.
  EXPECT_EQ(Step(over.Json().at("id").as_int64(), "publish").Code(), "wrong_state");
  EXPECT_EQ(Step(over.Json().at("id").as_int64(), "open").Code(), "wrong_state");
}

}  // namespace
}  // namespace solidum::testing
