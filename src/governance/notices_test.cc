#include "governance/notices.h"

#include <gtest/gtest.h>

namespace solidum::governance::notices {
namespace {

AssemblyFacts Facts() {
  return {"Les Ateliers Solidaires", "AG 2026", "ordinary", "2026-12-15T18:00", "Europe/Paris", "12 rue des Lilas, Lyon",
          "https://meet.example/ag", "https://solidum.example/assemblies/3", {"Rapport moral", "Comptes 2025"}};
}

TEST(Notices, AnAssemblyNoticeIsInTheMembersLanguageWithEverythingTheyNeed) {
  const auto fr = AssemblyNotice("fr", Facts(), "Ana");
  EXPECT_EQ(fr.subject, "Convocation à l'assemblée générale ordinaire : AG 2026");
  for (const char* part : {"Bonjour Ana,", "2026-12-15 18:00 (Europe/Paris)", "12 rue des Lilas, Lyon", "https://meet.example/ag",
                           "Ordre du jour :", "1. Rapport moral", "2. Comptes 2025", "procuration", "https://solidum.example/assemblies/3"}) {
    EXPECT_NE(fr.body.find(part), std::string::npos) << part << "\n" << fr.body;
  }
  EXPECT_EQ(AssemblyNotice("pt", Facts(), "Ana").subject, "Convocatória para a assembleia geral ordinária: AG 2026");
  EXPECT_EQ(AssemblyNotice("es", Facts(), "Ana").subject, "Convocatoria a la asamblea general ordinaria: AG 2026");
  EXPECT_EQ(AssemblyNotice("en", Facts(), "Ana").subject, "Notice of ordinary general assembly: AG 2026");
  EXPECT_EQ(AssemblyNotice("de", Facts(), "Ana").subject, "Notice of ordinary general assembly: AG 2026");  // falls back to English
}

TEST(Notices, TheRecordStatesQuorumAndEachDecision) {
  const auto r = AssemblyRecord("en", Facts(), {true, 12, 3, 20},
                                {{"Accounts 2025", true, 14, 1, 0, {}, ""}, {"Board", std::nullopt, 0, 0, 0, {"Ana", "Bo"}, ""},
                                 {"Any other business", std::nullopt, 0, 0, 0, {}, "Thanks to the volunteers."}},
                                "Cy");
  for (const char* part : {"Members present: 12; represented: 3; entitled: 20.", "The quorum was reached.",
                           "1. Accounts 2025: adopted (yes 14, no 1, abstentions 0)", "2. Board: elected: Ana, Bo",
                           "3. Any other business\n   Thanks to the volunteers."}) {
    EXPECT_NE(r.body.find(part), std::string::npos) << part << "\n" << r.body;
  }
}

TEST(Notices, BallotInvitationAndResults) {
  BallotFacts b{"Coop", "Budget 2027", "motion", "2026-12-01T09:00:00.000Z", "2026-12-08T17:00:00.000Z", "https://solidum.example/ballots/4"};
  const auto inv = BallotInvitation("es", b, "Dora");
  EXPECT_EQ(inv.subject, "Su voto: Budget 2027");
  EXPECT_NE(inv.body.find("del 2026-12-01 09:00 UTC al 2026-12-08 17:00 UTC"), std::string::npos) << inv.body;
  EXPECT_NE(inv.body.find("https://solidum.example/ballots/4"), std::string::npos);
  const auto res = BallotResults("fr", b, {false, 3, 9, 1, {}}, "Dora");
  EXPECT_NE(res.body.find("La résolution est rejetée : pour 3, contre 9, abstentions 1."), std::string::npos) << res.body;
  b.kind = "election";
  const auto el = BallotResults("pt", b, {std::nullopt, 0, 0, 0, {{"worker", {"Ana", "Bo"}}}}, "Dora");
  EXPECT_NE(el.body.find("colégio worker: eleitos/as: Ana, Bo"), std::string::npos) << el.body;
}

}  // namespace
}  // namespace solidum::governance::notices
