#include "http/message.h"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

#include "common/text.h"

namespace solidum::http {

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Cookie(std::string_view name) const {
  auto header = Header("cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view part = text::Trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (text::Trim(part.substr(0, eq)) == name) return text::Trim(part.substr(eq + 1));
  }
  return std::nullopt;
}

bool ParseTarget(std::string_view target, Request& out) {
  // Most targets are a plain path (RFC 3986 pchars and '/', no query, nothing encoded):
  // take it as it is; anything else goes through the full parser.
  auto pchar = [](unsigned char c) {
    return std::isalnum(c) || std::string_view("-._~!$&'()*+,;=:@/").find(static_cast<char>(c)) != std::string_view::npos;
  };
  if (!target.empty() && target.front() == '/' && std::all_of(target.begin(), target.end(), pchar)) {
    out.path = std::string(target);
    out.query.clear();
    return true;
  }
  auto u = boost::urls::parse_origin_form(target);
  if (!u) return false;
  out.path = std::string(u->path());
  if (!text::IsValidUtf8(out.path) || out.path.find('\0') != std::string::npos) return false;
  out.query.clear();
  for (auto param : u->params()) {
    std::string k(param.key), v(param.has_value ? std::string(param.value) : std::string());
    if (!text::IsValidUtf8(k) || !text::IsValidUtf8(v)) return false;
    if (k.empty() && v.empty()) continue;  // "?" alone, "a=1&&b=2": nothing there
    out.query.emplace_back(std::move(k), std::move(v));
  }
  return true;
}

}  // namespace solidum::http
