#include "mail/message.h"

#include <sodium.h>

#include <ctime>

namespace solidum::mail {

namespace {

bool IsAsciiAtom(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
    if (std::string_view("()<>@,;:\\\".[]=?").find(static_cast<char>(c)) != std::string_view::npos) return false;
  }
  return true;
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// One line: no CR, LF or other control characters (a tab becomes a space).
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\t' || c == '\r' || c == '\n') out.push_back(' ');
    else if (u >= 0x20 && u != 0x7f) out.push_back(c);
  }
  return out;
}

}  // namespace

bool IsValidAddress(std::string_view a) {
  if (a.empty() || a.size() > kAddressMax) return false;
  const auto at = a.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size()) return false;
  if (a.find('@') != at) return false;
  for (unsigned char c : a) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
        c == '\\' || c == '[' || c == ']')
      return false;
  }
  const auto domain = a.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

std::string EncodeHeaderText(std::string_view raw) {
  const std::string text = OneLine(raw);
  if (IsAsciiAtom(text) || text.empty()) {
    bool plain = true;
    for (char c : text) plain = plain && c != '=' && c != '?';
    if (plain && text.size() <= 900) return text;
  }
  // 45 bytes of UTF-8 make 60 base64 characters: 12 + 60 = 72 per encoded word.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a character
    if (end == i) end = std::min(text.size(), i + 45);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string Rfc5322Date(std::int64_t micros) {
  const std::time_t t = static_cast<std::time_t>(micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string Render(const Message& m, const Envelope& e) {
  auto mailbox = [](const std::string& name, const std::string& address) {
    const std::string n = OneLine(name);
    return n.empty() ? "<" + address + ">" : EncodeHeaderText(n) + " <" + address + ">";
  };
  std::string out;
  out += "From: " + mailbox(e.from_name, e.from) + "\r\n";
  out += "To: " + mailbox(m.to_name, m.to) + "\r\n";
  out += "Subject: " + EncodeHeaderText(m.subject) + "\r\n";
  out += "Date: " + e.date + "\r\n";
  out += "Message-ID: <" + OneLine(e.message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "\r\n";
  std::string body;
  body.reserve(m.body.size() + m.body.size() / 20);
  for (char c : m.body) {  // CRLF line ends inside the text too (RFC 2045 canonical form)
    if (c == '\r') continue;
    if (c == '\n') body += "\r\n";
    else body.push_back(c);
  }
  const std::string b64 = Base64(body);
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

std::string FillTemplate(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    const std::string mark = "{" + key + "}";
    for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size())) text.replace(at, mark.size(), value);
  }
  return text;
}

}  // namespace solidum::mail
