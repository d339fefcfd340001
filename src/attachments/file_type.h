// What a file is, from its bytes: the pure check every upload passes before it is kept.
//
// An upload says what it is (its media type, from the browser or the caller); the bytes
// must agree. A file that claims to be a PDF and is not, a truncated PDF, a ZIP that
// claims to be a slide deck but holds no slides, a type not on the list: each is refused
// with a code, so nothing a reader downloads is other than what it says.
//
// Recognised (the documents a network's members share): PDF; PNG, JPEG, WebP and GIF
// images; OpenDocument text, spreadsheet and presentation (the ODF "mimetype" entry);
// Office Open XML word-processing, spreadsheet and presentation (the ZIP's central
// directory names word/, xl/ or ppt/ parts); plain text and CSV (valid UTF-8, no NUL).
// No script-bearing type (HTML, SVG, JavaScript) is on the list.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace solidum::attachments {

struct FileType {
  std::string_view media_type;  // "application/pdf"
  std::string_view extension;   // "pdf", without the dot
  bool image = false;           // shown inline (an image) rather than only downloaded
};

// Every type accepted, in a stable order (for the API's documentation and the web form's
// `accept`).
std::span<const FileType> AcceptedTypes();

// The accepted type of this media type ("application/pdf; charset=..." parameters are
// ignored, case folded), or nullopt.
std::optional<FileType> TypeOf(std::string_view media_type);

// What the bytes are, among the accepted types; nullopt when none. Reads the header and,
// for a ZIP, its central directory; only text is read through (once).
std::optional<FileType> Sniff(std::string_view bytes);

// The whole check: the declared type is accepted and the bytes are of that type. Errors
// name the field given: `empty` (no bytes), `too_large` (over max_bytes),
// `unsupported_type` (the declared type is not accepted), `type_mismatch` (the bytes are
// something else, e.g. a "PDF" that does not start with %PDF-), `truncated` (a PDF
// without its %%EOF trailer).
Result<FileType> Check(std::string_view bytes, std::string_view declared_media_type, std::size_t max_bytes, const std::string& field);

// A file name safe to keep and to send back in Content-Disposition: the last path
// component, control characters and quotes and backslashes dropped, at most 200
// characters of valid UTF-8, and the type's extension when it has another. Never empty.
std::string SafeFileName(std::string_view given, const FileType& type);

}  // namespace solidum::attachments
