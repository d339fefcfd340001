// An email as Solidum sends it: plain text in UTF-8, one recipient, rendered as an
// RFC 5322 message (CRLF lines; Subject and display names as RFC 2047 encoded words;
// body in base64, so any text in any language goes through any server unchanged).
//
// Header injection cannot happen: addresses are checked (IsValidAddress) and every free
// text that goes into a header is encoded.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace solidum::mail {

inline constexpr std::size_t kAddressMax = 254;          // RFC 5321 path limit
inline constexpr std::size_t kSubjectCharsMax = 300;
inline constexpr std::size_t kBodyBytesMax = 256 * 1024;

struct Message {
  std::string to;       // an address: name@domain
  std::string to_name;  // display name, may be empty
  std::string subject;
  std::string body;     // plain text, lines separated by \n
};

// A plain address "local@domain": printable ASCII or UTF-8, no space, no <>, no quotes,
// no control characters, one @ with text on each side and a dot in the domain.
bool IsValidAddress(std::string_view address);

// RFC 2047 "=?UTF-8?B?...?=" words (each at most 75 characters, cut between UTF-8
// characters), separated by CRLF SP; plain ASCII without specials is left as it is.
std::string EncodeHeaderText(std::string_view text);

// "Mon, 30 Nov 2026 06:00:00 +0000"
std::string Rfc5322Date(std::int64_t micros_since_epoch);

struct Envelope {
  std::string from;       // address
  std::string from_name;  // display name
  std::string date;       // Rfc5322Date
  std::string message_id; // without <>: "42.9f3a@solidum.example"
};

// A text in which every "{key}" is replaced by its value (values are not searched again):
// how the features write their emails in each language.
std::string FillTemplate(std::string text, const std::map<std::string, std::string>& values);

// The whole message, headers and base64 body, with CRLF line ends.
std::string Render(const Message& message, const Envelope& envelope);

}  // namespace solidum::mail
