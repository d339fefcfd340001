#include "mail/message.h"

#include <gtest/gtest.h>

#include "../../tests/support/smtp_sink.h"

namespace solidum::mail {
namespace {

TEST(Address, IsCheckedBeforeItGoesIntoAnEnvelope) {
  EXPECT_TRUE(IsValidAddress("ana@coop.example"));
  EXPECT_TRUE(IsValidAddress("ana.lima+ag@coop.example.org"));
  EXPECT_FALSE(IsValidAddress(""));
  EXPECT_FALSE(IsValidAddress("ana"));
  EXPECT_FALSE(IsValidAddress("@coop.example"));
  EXPECT_FALSE(IsValidAddress("ana@"));
  EXPECT_FALSE(IsValidAddress("ana@localhost"));
  EXPECT_FALSE(IsValidAddress("ana@coop.example>\r\nRCPT TO:<x@y.z"));
  EXPECT_FALSE(IsValidAddress("ana lima@coop.example"));
  EXPECT_FALSE(IsValidAddress("a@b@coop.example"));
  EXPECT_FALSE(IsValidAddress(std::string(250, 'a') + "@coop.example"));
}

TEST(HeaderText, AsciiStaysAndTheRestIsEncodedInShortWords) {
  EXPECT_EQ(EncodeHeaderText("General assembly"), "General assembly");
  const std::string fr = "Convocation à l'assemblée générale ordinaire de la coopérative « Les Ateliers Solidaires » 2026";
  const std::string enc = EncodeHeaderText(fr);
  EXPECT_EQ(enc.rfind("=?UTF-8?B?", 0), 0u);
  std::size_t start = 0;
  for (;;) {  // every line of the folded header is short
    const auto eol = enc.find("\r\n", start);
    EXPECT_LE((eol == std::string::npos ? enc.size() : eol) - start, 76u);
    if (eol == std::string::npos) break;
    start = eol + 2;
  }
  testing::SunkMail m{"", {}, "Subject: " + enc + "\r\n\r\n"};
  EXPECT_EQ(m.Header("Subject"), fr);
}

TEST(Render, MakesAMessageThatDecodesBackWithNoWayToInjectHeaders) {
  Message m{"ana@coop.example", "Ana Lima", "Réunion\r\nBcc: victim@x.example", "Olá Ana,\n\nA assembleia começa às 18h.\n"};
  Envelope e{"noreply@solidum.example", "Les Ateliers Solidaires", Rfc5322Date(1'795'440'910'000'000), "1.abc@solidum.example"};
  const std::string raw = Render(m, e);
  testing::SunkMail sunk{"", {}, raw};
  EXPECT_EQ(sunk.Header("Subject"), "Réunion  Bcc: victim@x.example");  // one line, inside the subject
  EXPECT_EQ(sunk.Header("Bcc"), "");
  EXPECT_EQ(sunk.Header("To"), "Ana Lima <ana@coop.example>");
  EXPECT_EQ(sunk.Header("From"), "Les Ateliers Solidaires <noreply@solidum.example>");
  EXPECT_EQ(sunk.Header("Date"), "Mon, 23 Nov 2026 13:35:10 +0000");
  EXPECT_EQ(sunk.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(sunk.Body(), m.body);
  for (std::size_t pos = 0, eol; (eol = raw.find("\r\n", pos)) != std::string::npos; pos = eol + 2) {
    EXPECT_LE(eol - pos, 78u) << raw.substr(pos, eol - pos);
  }
  EXPECT_EQ(raw.find('\n'), raw.find("\r\n") + 1);  // CRLF line ends only
}

}  // namespace
}  // namespace solidum::mail
