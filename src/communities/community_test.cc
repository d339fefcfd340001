// The pure part of communities: reading requests (every bad field named), handles in
// every script, mentions (not in email addresses nor code), excerpts for emails, and the
// periods digests cover.
#include "communities/community.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace solidum::communities {
namespace {

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field + " " + f.code);
  return out;
}

TEST(ReadCommunity, NamesEveryBadField) {
  auto bad = ReadCommunity(boost::json::parse(R"({"languages":["fr","french"],"open":null,"colour":"red"})"), true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.error()), (std::vector<std::string>{"/name required", "/languages/1 too_long", "/open required", "/colour unknown_field"}));
  auto ok = ReadCommunity(boost::json::parse(R"({"name":"Finance solidaire","languages":["fr","pt"],"open":false})"), true);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  Community g;
  Apply(*ok, g);
  EXPECT_EQ(g.name, "Finance solidaire");
  EXPECT_EQ(g.languages, (std::vector<std::string>{"fr", "pt"}));
  EXPECT_FALSE(g.open);
  EXPECT_FALSE(ReadCommunity(boost::json::parse("[1]"), true).ok());
}

TEST(Handles, LettersOfEveryScriptButNoPunctuation) {
  for (const char* good : {"ana_sousa", "joão", "Алия", "ndèye-fatou", "k2", "a.b"}) EXPECT_TRUE(IsHandle(good)) << good;
  for (const char* bad : {"a", "_ana", "ana sousa", "ana@x", "ana.", "ana«", "", "abcdefghijklmnopqrstuvwxyz012345", "a\xff"}) {
    EXPECT_FALSE(IsHandle(bad)) << bad;
  }
  EXPECT_EQ(HandleKey("João"), HandleKey("joao"));
  EXPECT_EQ(HandleKey("ana.sousa"), HandleKey("Ana_Sousa"));
  EXPECT_NE(HandleKey("ana"), HandleKey("anna"));
  auto bad = ReadJoin(boost::json::parse(R"({"handle":"a b"})"), true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.error()), std::vector<std::string>{"/handle invalid_handle"});
}

TEST(Mentions, FindsHandlesNotEmailsNorCode) {
  EXPECT_EQ(Mentions("Merci @ana_sousa et @João ! Écrivez à ana@coop.example.\n"
                     "Voir `@code` et:\n\n    @indented\n```\n@fenced\n```\n(@Ana_Sousa encore, @joao.)"),
            (std::vector<std::string>{"ana_sousa", "João"}));
  EXPECT_EQ(Mentions("@x @"), std::vector<std::string>{});
  std::string many;
  for (int i = 0; i < 30; ++i) many += "@user" + std::to_string(i) + " ";
  EXPECT_EQ(Mentions(many).size(), kMentionsMax);
}

TEST(Excerpt, PlainTextCutAtCharacters) {
  EXPECT_EQ(Excerpt("## Título\n\nUma **cooperativa** em [Lisboa](https://x.example)."), "Título Uma cooperativa em Lisboa.");
  EXPECT_EQ(Excerpt("ééééé", 3), "ééé…");
  EXPECT_EQ(Excerpt("abc", 3), "abc");
}

TEST(Settings, DigestAndEmailLanguage) {
  auto bad = ReadSettings(boost::json::parse(R"({"digest":"hourly","language":"de"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.error()), (std::vector<std::string>{"/digest unknown_digest", "/language unsupported_language"}));
  Settings s;
  Apply(*ReadSettings(boost::json::parse(R"({"digest":"daily","language":"pt"})")), s);
  EXPECT_EQ(s.digest, Digest::kDaily);
  EXPECT_EQ(s.language, "pt");
}

TEST(Posts, TitleLanguageAndBodyRequired) {
  auto bad = ReadThread(boost::json::parse(R"({"title":"","language":"xx1","body":"   "})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.error()), (std::vector<std::string>{"/title required", "/language too_long", "/body required"}));
  auto reply = ReadReply(boost::json::parse(R"({"language":"fr","body":"Oui.","parent":0})"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(Fields(reply.error()), std::vector<std::string>{"/parent out_of_range"});
  EXPECT_EQ(Fields(ReadReason(boost::json::parse("{}")).error()), std::vector<std::string>{"/reason required"});
}

TEST(Periods, LastWholeDayAndIsoWeekInUtc) {
  const Period day = LastPeriod(Digest::kDaily, "2027-01-01T06:30:00.000Z");
  EXPECT_EQ(day.key, "daily:2026-12-31");
  EXPECT_EQ(day.start, "2026-12-31T00:00:00.000Z");
  EXPECT_EQ(day.end, "2027-01-01T00:00:00.000Z");
  // Friday 1 January 2027: the last whole week is Monday 21 to Monday 28 December 2026, week 52.
  const Period week = LastPeriod(Digest::kWeekly, "2027-01-01T06:30:00.000Z");
  EXPECT_EQ(week.key, "weekly:2026-W52");
  EXPECT_EQ(week.start, "2026-12-21T00:00:00.000Z");
  EXPECT_EQ(week.end, "2026-12-28T00:00:00.000Z");
  // On a Monday the week that just ended is the last: Monday 4 January 2027 -> week 53 of 2026.
  EXPECT_EQ(LastPeriod(Digest::kWeekly, "2027-01-04T00:00:00.000Z").key, "weekly:2026-W53");
  EXPECT_EQ(LastPeriod(Digest::kWeekly, "2027-01-11T09:00:00.000Z").key, "weekly:2027-W01");
}

}  // namespace
}  // namespace solidum::communities
