#include "attachments/file_type.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "common/text.h"

namespace solidum::attachments {
namespace {

constexpr std::string_view kPdf = "application/pdf";
constexpr std::string_view kOdt = "application/vnd.oasis.opendocument.text";
constexpr std::string_view kOds = "application/vnd.oasis.opendocument.spreadsheet";
constexpr std::string_view kOdp = "application/vnd.oasis.opendocument.presentation";
constexpr std::string_view kDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr std::string_view kPptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

constexpr std::array<FileType, 12> kTypes{{
    {kPdf, "pdf", false},
    {"image/png", "png", true},
    {"image/jpeg", "jpg", true},
    {"image/webp", "webp", true},
    {"image/gif", "gif", true},
    {kOdt, "odt", false},
    {kOds, "ods", false},
    {kOdp, "odp", false},
    {kDocx, "docx", false},
    {kXlsx, "xlsx", false},
    {kPptx, "pptx", false},
    {"text/plain", "txt", false},
}};
// CSV is text: declared as text/csv it is kept as such.
constexpr FileType kCsv{"text/csv", "csv", false};

constexpr std::size_t kZipEntriesMax = 100'000;    // central directory entries looked at

std::optional<FileType> Named(std::string_view media_type) {
  if (media_type == kCsv.media_type) return kCsv;
  for (const auto& t : kTypes) {
    if (t.media_type == media_type) return t;
  }
  return std::nullopt;
}

std::uint32_t U16(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) | static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8;
}
std::uint32_t U32(std::string_view b, std::size_t at) { return U16(b, at) | U16(b, at + 2) << 16; }

// The names in a ZIP's central directory, and the ODF "mimetype" entry's content when it
// is stored first and uncompressed (as the ODF specification requires). nullopt: not a
// readable ZIP.
struct ZipFacts {
  std::vector<std::string_view> names;
  std::string_view odf_mimetype;
};
std::optional<ZipFacts> ReadZip(std::string_view b) {
  // The end-of-central-directory record: in the last 22 + 65,535 bytes.
  constexpr std::size_t kEocd = 22;
  if (b.size() < kEocd) return std::nullopt;
  std::size_t eocd = std::string_view::npos;
  const std::size_t lowest = b.size() > kEocd + 65'535 ? b.size() - kEocd - 65'535 : 0;
  for (std::size_t i = b.size() - kEocd + 1; i-- > lowest;) {
    if (U32(b, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string_view::npos) return std::nullopt;
  const std::size_t entries = U16(b, eocd + 10), cd_size = U32(b, eocd + 12), cd_at = U32(b, eocd + 16);
  if (cd_at > eocd || cd_size > eocd - cd_at) return std::nullopt;
  ZipFacts z;
  std::size_t at = cd_at;
  for (std::size_t n = 0; n < entries && n < kZipEntriesMax; ++n) {
    if (at + 46 > eocd || U32(b, at) != 0x02014b50) return std::nullopt;
    const std::size_t name_len = U16(b, at + 28), extra_len = U16(b, at + 30), comment_len = U16(b, at + 32);
    if (at + 46 + name_len > eocd) return std::nullopt;
    z.names.push_back(b.substr(at + 46, name_len));
    at += 46 + name_len + extra_len + comment_len;
  }
  // ODF: the first local entry is "mimetype", stored, its bytes the document's type.
  if (b.size() >= 38 && U32(b, 0) == 0x04034b50 && U16(b, 8) == 0 && U16(b, 26) == 8 && b.substr(30, 8) == "mimetype") {
    const std::size_t size = U32(b, 18), data = 30 + 8 + U16(b, 28);
    if (data <= b.size() && size <= 100 && size <= b.size() - data) z.odf_mimetype = b.substr(data, size);
  }
  return z;
}

bool HasPart(const ZipFacts& z, std::string_view prefix) {
  return std::any_of(z.names.begin(), z.names.end(), [&](std::string_view n) { return n.starts_with(prefix); });
}

std::optional<FileType> SniffZip(std::string_view b) {
  auto z = ReadZip(b);
  if (!z) return std::nullopt;
  for (auto odf : {kOdt, kOds, kOdp}) {
    if (z->odf_mimetype == odf) return Named(odf);
  }
  if (!HasPart(*z, "[Content_Types].xml")) return std::nullopt;
  if (HasPart(*z, "word/")) return Named(kDocx);
  if (HasPart(*z, "xl/")) return Named(kXlsx);
  if (HasPart(*z, "ppt/")) return Named(kPptx);
  return std::nullopt;
}

// Text: valid UTF-8 (a BOM allowed), no NUL, no control characters but tab, CR, LF, FF.
bool IsText(std::string_view b) {
  if (b.starts_with("\xEF\xBB\xBF")) b.remove_prefix(3);
  if (!text::IsValidUtf8(b)) return false;
  return std::none_of(b.begin(), b.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f') || u == 0x7F;
  });
}

// The longest prefix of `s` of at most `max_chars` code points, cut between code points.
std::string Utf8Prefix(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) break;
      ++chars;
    }
  }
  return std::string(s.substr(0, i));
}

}  // namespace

std::span<const FileType> AcceptedTypes() { return kTypes; }

std::optional<FileType> TypeOf(std::string_view media_type) {
  media_type = media_type.substr(0, media_type.find(';'));
  return Named(text::AsciiLower(text::Trim(media_type)));
}

std::optional<FileType> Sniff(std::string_view b) {
  if (b.starts_with("%PDF-")) return Named(kPdf);
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return Named("image/png");
  if (b.starts_with("\xFF\xD8\xFF")) return Named("image/jpeg");
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return Named("image/webp");
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return Named("image/gif");
  if (b.starts_with("PK\x03\x04")) return SniffZip(b);
  if (IsText(b)) return Named("text/plain");
  return std::nullopt;
}

Result<FileType> Check(std::string_view bytes, std::string_view declared, std::size_t max_bytes, const std::string& field) {
  if (bytes.empty()) return Error::Invalid(field, "empty", "The file is empty.");
  if (bytes.size() > max_bytes) {
    return Error::Invalid(field, "too_large", "A file is at most " + std::to_string(max_bytes / (1024 * 1024)) + " MiB.");
  }
  auto want = TypeOf(declared);
  if (!want) {
    return Error::Invalid(field, "unsupported_type", "Accepted: PDF, images (PNG, JPEG, WebP, GIF), OpenDocument and Office documents, text and CSV.");
  }
  auto is = Sniff(bytes);
  // CSV is text by its content; a text file may be declared either way.
  const bool text_as_csv = want->media_type == kCsv.media_type && is && is->media_type == "text/plain";
  if (!is || (is->media_type != want->media_type && !text_as_csv)) {
    return Error::Invalid(field, "type_mismatch",
                          "The file is not " + std::string(want->media_type) + (is ? " (its content is " + std::string(is->media_type) + ")." : "."));
  }
  if (want->media_type == kPdf) {
    // A PDF ends with %%EOF (maybe followed by a line end or a little padding).
    const std::string_view tail = bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0);
    if (tail.find("%%EOF") == std::string_view::npos) return Error::Invalid(field, "truncated", "The PDF is incomplete: it has no %%EOF trailer.");
  }
  return *want;
}

std::string SafeFileName(std::string_view given, const FileType& type) {
  const auto slash = given.find_last_of("/\\");
  if (slash != std::string_view::npos) given.remove_prefix(slash + 1);
  std::string name;
  if (text::IsValidUtf8(given)) {
    for (char c : given) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7F || c == '"' || c == '\\') continue;
      name.push_back(c);
    }
  }
  name = std::string(text::Trim(name));
  while (!name.empty() && name.front() == '.') name.erase(0, 1);  // no hidden files, no ".."
  name = Utf8Prefix(name, 200);
  if (name.empty()) name = "file";
  const std::string ext = "." + std::string(type.extension);
  const auto dot = name.rfind('.');
  const std::string has = dot == std::string::npos ? "" : text::AsciiLower(name.substr(dot));
  const bool jpeg = type.extension == "jpg" && has == ".jpeg";
  if (has != ext && !jpeg) name = Utf8Prefix(name, 200 - ext.size()) + ext;
  return name;
}

}  // namespace solidum::attachments
