#include "common/text.h"

#include <gtest/gtest.h>

namespace solidum::text {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Coopérative ouvrière"));
  EXPECT_TRUE(IsValidUtf8("Кооператив"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x8C\xB1"));  // U+1F331 seedling
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("ok\x80"));
}

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("été"), 3u);
  EXPECT_EQ(CodePointCount("\xF0\x9F\x8C\xB1"), 1u);
}

TEST(Text, TrimsAndFindsControlChars) {
  EXPECT_EQ(Trim("  a b \n"), "a b");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_TRUE(HasControlChars(std::string("a\0b", 3)));
  EXPECT_FALSE(HasControlChars("line\nnext\tcol"));
}

TEST(Text, ParsesInt64Strictly) {
  EXPECT_EQ(ParseInt64("42"), 42);
  EXPECT_EQ(ParseInt64("-7"), -7);
  EXPECT_FALSE(ParseInt64(""));
  EXPECT_FALSE(ParseInt64("4x"));
  EXPECT_FALSE(ParseInt64(" 4"));
  EXPECT_FALSE(ParseInt64("99999999999999999999"));
}

TEST(Text, FoldsLettersAsUnaccentSpellsThem) {
  // The same string through PostgreSQL's unaccent(lower(...)) gives the same: checked by hand,
  // and by the search parity test between the stores.
  EXPECT_EQ(FoldLetters("Œuvre, cœur, Æsir, Øresund, Łódź, Straße, ẞ, Þór, ﬁn"),
            "oeuvre, coeur, aesir, oresund, lódź, Strasse, ss, thór, fin");
  EXPECT_EQ(FoldLetters("Москва café"), "Москва café");  // the rest is left to each store's folding
}

TEST(Text, FoldsWhatPeopleTypeForMatching) {
  EXPECT_EQ(text::Fold("Café-Crème"), "cafe creme");
  EXPECT_EQ(text::Fold("  País  "), "pais");
  EXPECT_EQ(text::Fold("Nom de l'organisation"), "nom de l organisation");
  EXPECT_EQ(text::Fold("Łódź, Straße"), "lodz strasse");
  EXPECT_EQ(text::Fold("E-MAIL"), "e mail");
  EXPECT_EQ(text::Fold("София"), "София");
}

TEST(Text, KnowsCalendarDates) {
  EXPECT_TRUE(text::IsIsoDate("2024-02-29"));
  EXPECT_TRUE(text::IsIsoDate("2000-02-29"));
  EXPECT_FALSE(text::IsIsoDate("1900-02-29"));
  EXPECT_FALSE(text::IsIsoDate("2023-02-29"));
  EXPECT_FALSE(text::IsIsoDate("2023-04-31"));
  EXPECT_FALSE(text::IsIsoDate("2023-13-01"));
  EXPECT_FALSE(text::IsIsoDate("2023-1-01"));
  EXPECT_FALSE(text::IsIsoDate("2023-01-01T00:00"));
  EXPECT_FALSE(text::IsIsoDate("０２３-01-01"));
}

TEST(Text, ParsesDoublesStrictly) {
  EXPECT_EQ(ParseDouble("-2.237449"), -2.237449);
  EXPECT_EQ(ParseDouble("45"), 45.0);
  EXPECT_FALSE(ParseDouble(""));
  EXPECT_FALSE(ParseDouble(" 1"));
  EXPECT_FALSE(ParseDouble("north"));
  EXPECT_FALSE(ParseDouble("1e400"));
  EXPECT_FALSE(ParseDouble("nan"));
}

TEST(Text, Base64UrlRoundTrips) {
  std::string bytes("\x00\xFF\x10 binary?", 11);
  auto enc = Base64UrlEncode(bytes);
  EXPECT_EQ(enc.find('='), std::string::npos);
  EXPECT_EQ(enc.find('+'), std::string::npos);
  EXPECT_EQ(Base64UrlDecode(enc), bytes);
  EXPECT_FALSE(Base64UrlDecode("not base64!"));
}

TEST(Text, QuotesCsvFieldsOnlyWhenTheyNeedIt) {
  std::string out;
  AppendCsvField(out, "plain");
  out += ',';
  AppendCsvField(out, "Smith, \"Jo\"");
  out += ',';
  AppendCsvField(out, "two\nlines");
  EXPECT_EQ(out, "plain,\"Smith, \"\"Jo\"\"\",\"two\nlines\"");
}

TEST(Text, CsvTextNeverStartsAFormula) {
  std::string out;
  for (std::string_view v : {"=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "Jardinage", "Ana-Maria", ""}) {
    AppendCsvText(out, v);
    out += '|';
  }
  EXPECT_EQ(out, "\"'=HYPERLINK(\"\"x\"\")\"|'+1|'-2|'@SUM(A1)|'\tx|Jardinage|Ana-Maria||");
}

}  // namespace
}  // namespace solidum::text

namespace solidum::text {
namespace {

TEST(Text, ADefusedCsvCellComesBackAsItWas) {
  for (std::string_view v : {"=1+2", "+33 6 12 34 56 78", "-5", "@home", "plain", "'quoted", "", "'"}) {
    std::string out;
    AppendCsvText(out, v);
    // Unquoted here (no comma, quote or newline), so the cell is the text itself.
    EXPECT_EQ(UndoCsvDefuse(out), v) << v;
  }
  EXPECT_EQ(UndoCsvDefuse("'=x"), "=x");
  EXPECT_EQ(UndoCsvDefuse("'x"), "'x");  // an apostrophe AppendCsvText did not add stays
}

}  // namespace
}  // namespace solidum::text
