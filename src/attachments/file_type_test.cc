// The type check every upload passes: what the bytes are, against what they claim.
#include "attachments/file_type.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace solidum::attachments {
namespace {

std::string Code(const Result<FileType>& r) { return r.ok() ? std::string(r->media_type) : r.error().fields.at(0).code; }

const std::string kPdfBytes = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

void Put16(std::string& b, std::uint32_t v) {
  b.push_back(static_cast<char>(v & 0xFF));
  b.push_back(static_cast<char>(v >> 8 & 0xFF));
}
void Put32(std::string& b, std::uint32_t v) {
  Put16(b, v & 0xFFFF);
  Put16(b, v >> 16);
}

// A ZIP of stored entries (name, content), as office suites write them.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, cd;
  for (const auto& [name, data] : entries) {
    const auto at = static_cast<std::uint32_t>(out.size());
    Put32(out, 0x04034b50);
    Put16(out, 20);
    Put16(out, 0);
    Put16(out, 0);  // stored
    Put32(out, 0);  // time, date
    Put32(out, 0);  // crc (not checked)
    Put32(out, static_cast<std::uint32_t>(data.size()));
    Put32(out, static_cast<std::uint32_t>(data.size()));
    Put16(out, static_cast<std::uint32_t>(name.size()));
    Put16(out, 0);
    out += name + data;
    Put32(cd, 0x02014b50);
    Put16(cd, 20);
    Put16(cd, 20);
    Put16(cd, 0);
    Put16(cd, 0);
    Put32(cd, 0);
    Put32(cd, 0);
    Put32(cd, static_cast<std::uint32_t>(data.size()));
    Put32(cd, static_cast<std::uint32_t>(data.size()));
    Put16(cd, static_cast<std::uint32_t>(name.size()));
    Put16(cd, 0);
    Put16(cd, 0);
    Put16(cd, 0);
    Put16(cd, 0);
    Put32(cd, 0);
    Put32(cd, at);
    cd += name;
  }
  const auto cd_at = static_cast<std::uint32_t>(out.size());
  out += cd;
  Put32(out, 0x06054b50);
  Put32(out, 0);
  Put16(out, static_cast<std::uint32_t>(entries.size()));
  Put16(out, static_cast<std::uint32_t>(entries.size()));
  Put32(out, static_cast<std::uint32_t>(cd.size()));
  Put32(out, cd_at);
  Put16(out, 0);
  return out;
}

TEST(FileType, APdfIsAPdfAndAnythingElseClaimingToBeOneIsRefused) {
  EXPECT_EQ(Code(Check(kPdfBytes, "application/pdf", 1'000, "/file")), "application/pdf");
  EXPECT_EQ(Code(Check(kPdfBytes, "Application/PDF; charset=binary", 1'000, "/file")), "application/pdf");
  // An HTML page, an executable, a PNG, each sent as a PDF.
  EXPECT_EQ(Code(Check("<html><script>alert(1)</script></html>", "application/pdf", 1'000, "/file")), "type_mismatch");
  EXPECT_EQ(Code(Check(std::string("MZ\x90\0\3\0\0\0", 8), "application/pdf", 1'000, "/file")), "type_mismatch");
  EXPECT_EQ(Code(Check("\x89PNG\r\n\x1a\nIHDR", "application/pdf", 1'000, "/file")), "type_mismatch");
  // Cut short in transit: no trailer.
  EXPECT_EQ(Code(Check(kPdfBytes.substr(0, 40), "application/pdf", 1'000, "/file")), "truncated");
  EXPECT_EQ(Code(Check("", "application/pdf", 1'000, "/file")), "empty");
  EXPECT_EQ(Code(Check(kPdfBytes, "application/pdf", 10, "/file")), "too_large");
  // Types that carry scripts are never accepted, whatever the content.
  EXPECT_EQ(Code(Check("<svg onload=alert(1)/>", "image/svg+xml", 1'000, "/file")), "unsupported_type");
  EXPECT_EQ(Code(Check("<p>hi</p>", "text/html", 1'000, "/file")), "unsupported_type");
  EXPECT_EQ(Code(Check("alert(1)", "application/javascript", 1'000, "/file")), "unsupported_type");
  EXPECT_EQ(Check("x", "text/html", 1'000, "/plan").error().fields.at(0).field, "/plan");
}

TEST(FileType, ImagesTextAndCsvByTheirBytes) {
  EXPECT_EQ(Code(Check("\x89PNG\r\n\x1a\n....", "image/png", 1'000, "/file")), "image/png");
  EXPECT_EQ(Code(Check("\xFF\xD8\xFF\xE0JFIF", "image/jpeg", 1'000, "/file")), "image/jpeg");
  EXPECT_EQ(Code(Check(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), "image/webp", 1'000, "/file")), "image/webp");
  EXPECT_EQ(Code(Check("GIF89a....", "image/gif", 1'000, "/file")), "image/gif");
  EXPECT_EQ(Code(Check("\xFF\xD8\xFF\xE0JFIF", "image/png", 1'000, "/file")), "type_mismatch");
  EXPECT_EQ(Code(Check("debtor,creditor,amount\nA,B,10\n", "text/csv", 1'000, "/file")), "text/csv");
  EXPECT_EQ(Code(Check("Compte rendu de l'assemblée\n", "text/plain", 1'000, "/file")), "text/plain");
  EXPECT_EQ(Code(Check(std::string("a\0b", 3), "text/plain", 1'000, "/file")), "type_mismatch");
  EXPECT_EQ(Code(Check("caf\xE9", "text/plain", 1'000, "/file")), "type_mismatch");  // Latin-1, not UTF-8
}

TEST(FileType, OfficeDocumentsByWhatTheirZipHolds) {
  const std::string odp = Zip({{"mimetype", "application/vnd.oasis.opendocument.presentation"}, {"content.xml", "<x/>"}});
  const std::string docx = Zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", "<w/>"}});
  const std::string xlsx = Zip({{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<w/>"}});
  const std::string pptx = Zip({{"[Content_Types].xml", "<Types/>"}, {"ppt/presentation.xml", "<p/>"}});
  const std::string plain = Zip({{"notes.txt", "hello"}});
  const std::string odp_type = "application/vnd.oasis.opendocument.presentation";
  const std::string pptx_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  EXPECT_EQ(Code(Check(odp, odp_type, 10'000, "/file")), odp_type);
  EXPECT_EQ(Code(Check(pptx, pptx_type, 10'000, "/file")), pptx_type);
  EXPECT_EQ(Code(Check(docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 10'000, "/file")),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(Code(Check(xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 10'000, "/file")),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  // A ZIP with no slides in it is not a slide deck; a word document is not one either.
  EXPECT_EQ(Code(Check(plain, pptx_type, 10'000, "/file")), "type_mismatch");
  EXPECT_EQ(Code(Check(docx, pptx_type, 10'000, "/file")), "type_mismatch");
  EXPECT_EQ(Code(Check(odp, pptx_type, 10'000, "/file")), "type_mismatch");
  // Broken ZIPs: cut anywhere, never read past their end.
  for (std::size_t cut = 4; cut < pptx.size(); cut += 7) {
    EXPECT_EQ(Code(Check(pptx.substr(0, cut), pptx_type, 10'000, "/file")), "type_mismatch") << cut;
  }
}

TEST(FileType, FileNamesAreMadeSafeAndKeepTheirType) {
  const FileType pdf = *TypeOf("application/pdf");
  EXPECT_EQ(SafeFileName("Plan d'affaires 2027.pdf", pdf), "Plan d'affaires 2027.pdf");
  EXPECT_EQ(SafeFileName("C:\\Users\\awa\\plan.PDF", pdf), "plan.PDF");
  EXPECT_EQ(SafeFileName("../../etc/passwd", pdf), "passwd.pdf");
  EXPECT_EQ(SafeFileName("plan\"\r\n.pdf", pdf), "plan.pdf");
  EXPECT_EQ(SafeFileName("..", pdf), "file.pdf");
  EXPECT_EQ(SafeFileName("", pdf), "file.pdf");
  EXPECT_EQ(SafeFileName("plan.html", pdf), "plan.html.pdf");
  EXPECT_EQ(SafeFileName("photo.jpeg", *TypeOf("image/jpeg")), "photo.jpeg");
  const std::string long_name = std::string(300, 'e') + "\xC3\xA9.pdf";
  const std::string safe = SafeFileName(long_name, pdf);
  EXPECT_LE(safe.size(), 200u + 4u);
  EXPECT_TRUE(safe.ends_with(".pdf"));
  EXPECT_EQ(SafeFileName("\xFF\xFE", pdf), "file.pdf");  // not UTF-8
}

}  // namespace
}  // namespace solidum::attachments
