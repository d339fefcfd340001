// General assemblies through the real server, with a real SMTP server beside it (a local
// sink): convened with notices in each member's language, attendance, proxies within the
// statutes' limit, quorum, decisions by show of hands and by secret ballot, the record
// emailed on closing; ballots email invitations and results; bad set-ups refused.
#include <boost/json.hpp>

#include <chrono>
#include <ctime>
#include <thread>

#include "fixture.h"
#include "smtp_sink.h"

namespace solidum::testing {
namespace {

std::string Utc(int seconds_from_now, const char* format) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::seconds(seconds_from_now));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}
std::string DayIn(int days) { return Utc(days * 86400, "%Y-%m-%d"); }
std::string IsoIn(int seconds) { return Utc(seconds, "%Y-%m-%dT%H:%M:%SZ"); }

class AssembliesTest : public ApiTest {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{
        "--smtp-url", sink_.url(), "--mail-from", "assemblies@coop.example", "--mail-from-name", "Les Ateliers Solidaires",
        "--mail-poll-ms", "50", "--public-url", "https://solidum.example"});
    http_ = std::make_unique<HttpClient>(server_->port());
    admin_ = NewUser("secretary@coop.example");
    coop_ = CreateOrg(admin_, R"({"name":"Les Ateliers Solidaires","country":"FR"})");
    base_ = "/api/v1/organisations/" + std::to_string(coop_);
    ASSERT_EQ(Post(base_ + "/member-classes", R"({"code":"worker","name":"Workers"})").status, 201);
    ASSERT_EQ(Post(base_ + "/member-classes", R"({"code":"user","name":"Users"})").status, 201);
  }
  HttpResponse Post(const std::string& path, const std::string& json, const std::string& token = "") {
    return http_->SendJson("POST", path, json, Bearer(token.empty() ? admin_ : token));
  }
  // A member; with a user account (its token in tokens_) when `account`. Answers the member id.
  std::int64_t Member(const std::string& name, const std::string& cls, const std::string& language, bool email = true,
                      const std::string& extra = "", bool account = false) {
    std::string extra_fields = extra;
    if (account) {
      tokens_[name] = NewUser(name + "@coop.example");
      extra_fields += R"(,"user_email":")" + name + R"(@coop.example")";
    }
    std::string json = R"({"name":")" + name + R"(","class":")" + cls + R"(","language":")" + language + R"(","joined_on":"2020-01-01")" +
                       R"(,"number":"M-)" + name + R"(")";
    if (email) json += R"(,"email":")" + name + R"(@coop.example")";
    json += extra_fields + "}";
    auto r = Post(base_ + "/members", json);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().at("id").as_int64() : 0;
  }
  HttpResponse Step(const std::string& path, const std::string& step, const std::string& body = "") {
    auto now = http_->Get(path, Bearer(admin_));
    return http_->SendJson("POST", path + "/" + step, body, {{"Authorization", "Bearer " + admin_}, {"If-Match", now.Header("etag")}});
  }
  // The mail of one recipient among `mails`.
  static const SunkMail* To(const std::vector<SunkMail>& mails, const std::string& address, const std::string& subject_start = "") {
    for (const auto& m : mails) {
      if (!m.to.empty() && m.to[0] == address && m.Header("Subject").rfind(subject_start, 0) == 0) return &m;
    }
    return nullptr;
  }
  SmtpSink sink_;
  std::string admin_, base_;
  std::int64_t coop_ = 0;
  std::map<std::string, std::string> tokens_;
};

TEST_F(AssembliesTest, IsConvenedHeldAndRecordedWithEmailsInEachMembersLanguage) {
  const auto ana = Member("ana", "worker", "fr", true, "", true), bo = Member("bo", "worker", "pt", true, "", true);
  const auto cy = Member("cy", "user", "es");
  const auto dora = Member("dora", "user", "en", /*email=*/false);
  const auto eve = Member("eve", "user", "en", true, R"(,"status":"suspended")");
  const std::string ana_token = tokens_["ana"], bo_token = tokens_["bo"];

  const std::string day = DayIn(20);
  auto created = Post(base_ + "/assemblies",
                      R"({"title":"AG 2026","starts_at":")" + day + R"(T18:00","timezone":"Europe/Paris","place":"12 rue des Lilas, Lyon",)"
                      R"("online_url":"https://meet.example/ag","notice_days":15,"quorum_percent":50,"proxy_limit":1,)"
                      R"("items":[{"title":"Comptes 2025"},{"title":"Questions diverses"}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto assembly = created.Json();
  const std::int64_t id = assembly.at("id").as_int64();
  const std::int64_t accounts = assembly.at("items").at(0).at("id").as_int64(), aob = assembly.at("items").at(1).at("id").as_int64();
  const std::string path = base_ + "/assemblies/" + std::to_string(id);
  EXPECT_EQ(assembly.at("state").as_string(), "draft");
  EXPECT_EQ(Post(path + "/attendance", R"({"member_id":)" + std::to_string(ana) + "}").Code(), "wrong_state");  // not convened yet

  auto convened = Step(path, "convene");
  ASSERT_EQ(convened.status, 200) << convened.body;
  const auto c = convened.Json();
  EXPECT_TRUE(c.at("warnings").as_array().empty()) << convened.body;
  EXPECT_EQ(c.at("notice_given_days").as_int64(), 20);
  EXPECT_EQ(c.at("notices_queued").as_int64(), 3);          // ana, bo, cy: eve is suspended
  EXPECT_EQ(c.at("members_without_email").as_int64(), 1);   // dora: to notify by post

  // The notices reach the SMTP server, each in the member's language.
  const auto notices = sink_.WaitFor(3);
  ASSERT_EQ(notices.size(), 3u);
  const SunkMail* fr = To(notices, "ana@coop.example");
  const SunkMail* pt = To(notices, "bo@coop.example");
  const SunkMail* es = To(notices, "cy@coop.example");
  ASSERT_TRUE(fr && pt && es);
  EXPECT_EQ(fr->from, "assemblies@coop.example");
  EXPECT_EQ(fr->Header("From"), "Les Ateliers Solidaires <assemblies@coop.example>");
  EXPECT_EQ(fr->Header("Subject"), "Convocation à l'assemblée générale ordinaire : AG 2026");
  EXPECT_EQ(pt->Header("Subject"), "Convocatória para a assembleia geral ordinária: AG 2026");
  EXPECT_EQ(es->Header("Subject"), "Convocatoria a la asamblea general ordinaria: AG 2026");
  const std::string body = fr->Body();
  for (const std::string& part : std::vector<std::string>{"Bonjour ana,", day + " 18:00 (Europe/Paris)", "12 rue des Lilas, Lyon", "1. Comptes 2025",
                                 "https://solidum.example/assemblies/" + std::to_string(id)}) {
    EXPECT_NE(body.find(part), std::string::npos) << part << "\n" << body;
  }
  EXPECT_EQ(To(notices, "eve@coop.example"), nullptr);
  for (int i = 0; i < 100 && http_->Get(path + "/mail", Bearer(admin_)).Json().at("sent").as_int64() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(http_->Get(path + "/mail", Bearer(admin_)).Json().at("sent").as_int64(), 3);

  // At the door: Ana comes; Bo gives her his proxy; she may hold one only.
  auto in = Post(path + "/attendance", R"({"member_id":)" + std::to_string(ana) + R"(,"channel":"in_person"})");
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(in.Json().at("quorum").at("entitled").as_int64(), 4);  // ana, bo, cy, dora
  EXPECT_EQ(in.Json().at("quorum").at("required").as_int64(), 2);
  EXPECT_FALSE(in.Json().at("quorum").at("met").as_bool());
  auto proxy = [&](std::int64_t grantor, std::int64_t holder) {
    return Post(path + "/proxies", R"({"grantor_member_id":)" + std::to_string(grantor) + R"(,"holder_member_id":)" + std::to_string(holder) + "}");
  };
  auto given = proxy(bo, ana);
  ASSERT_EQ(given.status, 200) << given.body;
  EXPECT_TRUE(given.Json().at("quorum").at("met").as_bool());
  EXPECT_EQ(given.Json().at("quorum").at("represented").as_int64(), 1);
  EXPECT_EQ(proxy(cy, ana).Code(), "proxy_limit_reached");
  EXPECT_EQ(proxy(dora, bo).Code(), "holder_gave_proxy");
  EXPECT_EQ(proxy(ana, cy).Code(), "grantor_present");
  EXPECT_EQ(proxy(eve, cy).Code(), "not_entitled");
  EXPECT_EQ(proxy(cy, cy).Fields(), std::vector<std::string>{"/holder_member_id same_member"});
  EXPECT_EQ(Post(path + "/attendance", R"({"member_id":)" + std::to_string(eve) + "}").Code(), "not_entitled");
  EXPECT_EQ(Post(path + "/attendance", R"({"member_id":)" + std::to_string(cy) + R"(,"channel":"carrier pigeon"})").Fields(),
            std::vector<std::string>{"/channel unknown_term"});

  // Each member sees their own standing.
  auto mine = http_->Get("/api/v1/me/assemblies", Bearer(bo_token));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().at("items").at(0).at("your_status").as_string(), "represented");
  EXPECT_EQ(mine.Json().at("items").at(0).at("your_proxy_holder").as_string(), "ana");
  EXPECT_EQ(http_->Get("/api/v1/me/assemblies/" + std::to_string(id), Bearer(ana_token)).Json().at("your_status").as_string(), "present");
  EXPECT_EQ(http_->Get("/api/v1/me/assemblies/" + std::to_string(id), Bearer(NewUser("outsider@example.org"))).status, 404);
  EXPECT_EQ(http_->Get(path + "/attendance", Bearer(ana_token)).status, 403);  // the register is for its keepers

  // In session: a vote by show of hands, counted by the statutes' rule; no more votes than voters.
  EXPECT_EQ(Post(path + "/items/" + std::to_string(accounts) + "/decision", R"({"yes":2,"no":0,"abstain":0})").Code(), "wrong_state");
  auto opened = Step(path, "open");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_TRUE(opened.Json().at("quorum_at_opening").at("met").as_bool());
  EXPECT_EQ(Post(path + "/items/" + std::to_string(accounts) + "/decision", R"({"yes":3,"no":0,"abstain":0})").Fields(),
            std::vector<std::string>{"/yes too_many_votes"});
  EXPECT_EQ(Post(path + "/items/" + std::to_string(accounts) + "/decision", R"({"yes":2})").Fields(),
            (std::vector<std::string>{"/no required", "/abstain required"}));
  auto decided = Post(path + "/items/" + std::to_string(accounts) + "/decision", R"({"yes":2,"no":0,"abstain":0,"threshold":"two_thirds"})");
  ASSERT_EQ(decided.status, 200) << decided.body;
  const auto d = decided.Json().at("items").at(0).at("decision");
  EXPECT_TRUE(d.at("adopted").as_bool());
  EXPECT_EQ(d.at("rule").as_string(), "at least two-thirds of the votes cast; abstentions not counted; one member, one vote");
  ASSERT_EQ(Post(path + "/items/" + std::to_string(aob) + "/decision", R"({"note":"Merci aux bénévoles."})").status, 200);
  EXPECT_EQ(Post(path + "/items/" + std::to_string(aob) + "/decision", R"({"from_ballot":true})").Fields(), std::vector<std::string>{"/from_ballot no_ballot"});

  // Closing emails the record of decisions.
  auto closed = Step(path, "close", R"({"minutes":"Séance ouverte à 18h05, levée à 19h40."})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json().at("state").as_string(), "closed");
  const auto all = sink_.WaitFor(6);
  ASSERT_EQ(all.size(), 6u);
  const SunkMail* record = To(all, "ana@coop.example", "Décisions");
  ASSERT_NE(record, nullptr);
  const std::string text = record->Body();
  for (const char* part : {"Membres présents : 1 ; représentés : 1 ; inscrits : 4.", "Le quorum était atteint.",
                           "1. Comptes 2025 : adoptée (pour 2, contre 0, abstentions 0)", "Merci aux bénévoles."}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
  EXPECT_EQ(Post(path + "/attendance", R"({"member_id":)" + std::to_string(cy) + "}").Code(), "wrong_state");
}

TEST_F(AssembliesTest, ShortNoticeIsAllowedWithAWarningAndBadSetUpsAreRefused) {
  Member("ana", "worker", "en", true, "", true);
  auto created = Post(base_ + "/assemblies", R"({"kind":"extraordinary","title":"Urgent","starts_at":")" + DayIn(3) +
                                                 R"(T09:30","online_url":"https://meet.example/x","notice_days":15})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = base_ + "/assemblies/" + std::to_string(created.Json().at("id").as_int64());
  // A draft changes as a whole; the agenda with it.
  auto put = [&](const std::string& json) {
    auto now = http_->Get(path, Bearer(admin_));
    return http_->SendJson("PUT", path, json, {{"Authorization", "Bearer " + admin_}, {"If-Match", now.Header("etag")}});
  };
  auto changed = put(R"({"kind":"extraordinary","title":"Urgent","starts_at":")" + DayIn(3) +
                     R"(T09:30","online_url":"https://meet.example/x","notice_days":15,"items":[{"title":"Merger"}]})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json().at("items").at(0).at("title").as_string(), "Merger");
  EXPECT_EQ(changed.Json().at("version").as_int64(), 2);
  EXPECT_EQ(put(R"({"title":"Urgent","starts_at":"2027-01-10T09:30"})").Fields(), std::vector<std::string>{"/place required"});
  auto convened = Step(path, "convene");
  ASSERT_EQ(convened.status, 200) << convened.body;
  EXPECT_EQ(put(R"({"title":"Later","starts_at":"2027-01-10T09:30","place":"Hall"})").Code(), "wrong_state");
  const auto w = convened.Json().at("warnings");
  ASSERT_EQ(w.as_array().size(), 1u);
  EXPECT_EQ(w.at(0).at("code").as_string(), "short_notice");
  EXPECT_EQ(convened.Json().at("notice_given_days").as_int64(), 3);
  EXPECT_EQ(sink_.WaitFor(1).at(0).Header("Subject"), "Notice of extraordinary general assembly: Urgent");

  auto past = Post(base_ + "/assemblies", R"({"title":"Too late","starts_at":")" + DayIn(-2) + R"(T09:30","place":"Hall"})");
  ASSERT_EQ(past.status, 201);
  EXPECT_EQ(Step(base_ + "/assemblies/" + std::to_string(past.Json().at("id").as_int64()), "convene").Code(), "assembly_day_past");

  EXPECT_EQ(Post(base_ + "/assemblies", R"({"title":"Nowhere","starts_at":"2027-01-10T09:30"})").Fields(), std::vector<std::string>{"/place required"});
  EXPECT_EQ(Post(base_ + "/assemblies", R"({"title":"When","starts_at":"2027-02-30T25:00","place":"Hall"})").Fields(),
            std::vector<std::string>{"/starts_at invalid_time"});
  EXPECT_EQ(Post(base_ + "/assemblies", R"({"title":"Q","starts_at":"2027-01-10T09:30","place":"Hall","quorum_percent":120,"timezone":"Mars/Olympus Mons"})").Fields(),
            (std::vector<std::string>{"/quorum_percent out_of_range", "/timezone invalid_timezone"}));
  EXPECT_EQ(Post(base_ + "/assemblies", R"({"title":"B","starts_at":"2027-01-10T09:30","place":"Hall","items":[{"title":"Vote","ballot_id":999}]})").Fields(),
            std::vector<std::string>{"/items/0/ballot_id unknown_ballot"});
  EXPECT_EQ(Post(base_ + "/assemblies", R"({"title":"B","starts_at":"2027-01-10T09:30","place":"Hall","items":[{"description":"x"}]})").Fields(),
            std::vector<std::string>{"/items/0/title required"});
  EXPECT_EQ(Post(base_ + "/assemblies", R"({"title":"Mine","starts_at":"2027-01-10T09:30","place":"Hall"})", tokens_["ana"]).status, 403);
}

TEST_F(AssembliesTest, BallotsEmailInvitationsAndResultsAndAnAssemblyRecordsTheBallotsResult) {
  Member("ana", "worker", "pt", true, "", true);
  Member("bo", "user", "fr", true, "", true);
  const std::string ana = tokens_["ana"], bo = tokens_["bo"];
  auto ballot = Post(base_ + "/ballots", R"({"kind":"motion","title":"Budget 2027","opens_at":")" + IsoIn(-60) + R"(","closes_at":")" +
                                             IsoIn(3600) + R"("})");
  ASSERT_EQ(ballot.status, 201) << ballot.body;
  const std::int64_t bid = ballot.Json().at("id").as_int64();
  const std::string bpath = base_ + "/ballots/" + std::to_string(bid);
  auto assembly = Post(base_ + "/assemblies", R"({"title":"AG","starts_at":")" + DayIn(1) + R"(T10:00","place":"Hall","notice_days":0,)"
                                                  R"("items":[{"title":"Budget 2027","ballot_id":)" + std::to_string(bid) + "}]}");
  ASSERT_EQ(assembly.status, 201) << assembly.body;
  const std::string apath = base_ + "/assemblies/" + std::to_string(assembly.Json().at("id").as_int64());
  const std::int64_t item = assembly.Json().at("items").at(0).at("id").as_int64();

  ASSERT_EQ(Step(bpath, "open").status, 200);
  const auto invitations = sink_.WaitFor(2);
  ASSERT_EQ(invitations.size(), 2u);
  const SunkMail* pt = To(invitations, "ana@coop.example");
  ASSERT_NE(pt, nullptr);
  EXPECT_EQ(pt->Header("Subject"), "O seu voto: Budget 2027");
  EXPECT_NE(pt->Body().find("https://solidum.example/ballots/" + std::to_string(bid)), std::string::npos) << pt->Body();
  ASSERT_EQ(Post("/api/v1/ballots/" + std::to_string(bid) + "/votes", R"({"choice":"yes"})", ana).status, 201);
  ASSERT_EQ(Post("/api/v1/ballots/" + std::to_string(bid) + "/votes", R"({"choice":"yes"})", bo).status, 201);

  ASSERT_EQ(Step(apath, "convene").status, 200);
  ASSERT_EQ(Step(apath, "open").status, 200);
  EXPECT_EQ(Post(apath + "/items/" + std::to_string(item) + "/decision", R"({"from_ballot":true})").Fields(), std::vector<std::string>{"/from_ballot not_counted"});
  ASSERT_EQ(Step(bpath, "close").status, 200);
  auto decided = Post(apath + "/items/" + std::to_string(item) + "/decision", R"({"from_ballot":true})");
  ASSERT_EQ(decided.status, 200) << decided.body;
  const auto d = decided.Json().at("items").at(0).at("decision");
  EXPECT_EQ(d.at("kind").as_string(), "ballot");
  EXPECT_TRUE(d.at("adopted").as_bool());
  EXPECT_EQ(d.at("yes").as_int64(), 2);

  ASSERT_EQ(Step(bpath, "publish").status, 200);
  const auto all = sink_.WaitFor(6);  // 2 invitations, 2 notices, 2 results
  const SunkMail* results = To(all, "bo@coop.example", "Résultats");
  ASSERT_NE(results, nullptr);
  EXPECT_NE(results->Body().find("La résolution est adoptée : pour 2, contre 0, abstentions 0."), std::string::npos) << results->Body();
}

}  // namespace
}  // namespace solidum::testing
