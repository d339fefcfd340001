#include "communities/community.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "common/text.h"
#include "registry/organisation.h"

namespace solidum::communities {

namespace {

constexpr std::string_view kDigests[] = {"none", "daily", "weekly"};
constexpr std::string_view kEmailLanguages[] = {"en", "fr", "es", "pt"};

Error NotAnObject() { return Error::Make(ErrorKind::kMalformed, "not_an_object", "A JSON object is expected."); }

void ReadLanguage(json_fields::ObjectReader& r, std::string_view key, json_fields::Field<std::string>& f, bool required) {
  f = r.Text(key, {.required = required, .nullable = false, .max_chars = 2});
  if (f.has_value() && !registry::IsLanguageCode(f.value)) r.Fail(key, "invalid_language", "An ISO 639-1 code such as fr.");
}

void ReadBody(json_fields::ObjectReader& r, PostInput& in, bool required) {
  in.body = r.Text("body", {.required = required, .nullable = false, .max_chars = kBodyCharsMax, .multiline = true, .trim = false});
  if (in.body.has_value() && text::Trim(in.body.value).empty()) r.Fail("body", "required", "Write something.");
}

void ReadEmailLanguage(json_fields::ObjectReader& r, json_fields::Field<std::string>& f) {
  f = r.Text("language", {.nullable = false, .max_chars = 2});
  if (f.has_value() && std::find(std::begin(kEmailLanguages), std::end(kEmailLanguages), f.value) == std::end(kEmailLanguages)) {
    r.Fail("language", "unsupported_language", "Emails are written in en, fr, es or pt.");
  }
}

bool IsWordByte(unsigned char c) { return c >= 0x80 || std::isalnum(c) || c == '_' || c == '.' || c == '-'; }

// Length in bytes of the UTF-8 sequence that starts with `c` (1 for a stray byte).
std::size_t SequenceLength(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

// Characters a handle may hold: ASCII letters and digits, "_", ".", "-", and any non-ASCII
// character that is not punctuation or a space we know of (UTF-8 letters of every script).
bool IsHandleChar(std::string_view s, std::size_t at, std::size_t& len) {
  const auto c = static_cast<unsigned char>(s[at]);
  len = SequenceLength(c);
  if (at + len > s.size()) return false;
  if (c < 0x80) return std::isalnum(c) || c == '_' || c == '.' || c == '-';
  if (c < 0xC2) return false;
  const std::string_view ch = s.substr(at, len);
  // Spaces, punctuation and symbols that are not letters: no-break space, «», “”, ‘’, …, —, –.
  static constexpr std::string_view kNotLetters[] = {"\u00A0", "\u00AB", "\u00BB", "\u201C", "\u201D", "\u2018", "\u2019",
                                                     "\u2026", "\u2014", "\u2013", "\u00BF", "\u00A1", "\u00B7", "\u3000"};
  return std::find(std::begin(kNotLetters), std::end(kNotLetters), ch) == std::end(kNotLetters);
}

// The handle that starts at `at` (just after an @), trailing ".", "-" dropped (end of a sentence).
std::string_view HandleAt(std::string_view s, std::size_t at) {
  std::size_t end = at, len = 0;
  while (end < s.size() && IsHandleChar(s, end, len)) end += len;
  while (end > at && (s[end - 1] == '.' || s[end - 1] == '-')) --end;
  return s.substr(at, end - at);
}

std::string Timestamp(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd(d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT00:00:00.000Z", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

std::string_view DigestName(Digest d) { return kDigests[static_cast<std::size_t>(d)]; }
std::optional<Digest> ParseDigest(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kDigests); ++i) {
    if (kDigests[i] == name) return static_cast<Digest>(i);
  }
  return std::nullopt;
}

Result<CommunityChanges> ReadCommunity(const boost::json::value& body, bool creating) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return NotAnObject();
  CommunityChanges c;
  c.name = r.Text("name", {.required = creating, .nullable = false, .max_chars = kNameCharsMax});
  c.description = r.Text("description", {.max_chars = kDescriptionCharsMax, .multiline = true, .trim = false});
  c.languages = r.TextList("languages", {.max_chars = 2}, kLanguagesMax);
  for (std::size_t i = 0; c.languages.has_value() && i < c.languages.value.size(); ++i) {
    if (!registry::IsLanguageCode(c.languages.value[i])) {
      r.FailAt(r.PathOf("languages") + "/" + std::to_string(i), "invalid_language", "An ISO 639-1 code such as fr.");
    }
  }
  c.open = r.Bool("open");
  c.archived = r.Bool("archived");
  if (c.open.present && c.open.is_null) r.Fail("open", "required", "true or false.");
  if (c.archived.present && c.archived.is_null) r.Fail("archived", "required", "true or false.");
  SOLIDUM_TRY(r.Finish());
  return c;
}

void Apply(const CommunityChanges& c, Community& g) {
  if (c.name.has_value()) g.name = c.name.value;
  if (c.description.present) g.description = c.description.is_null ? "" : c.description.value;
  if (c.languages.present) g.languages = c.languages.is_null ? std::vector<std::string>{} : c.languages.value;
  if (c.open.has_value()) g.open = c.open.value;
  if (c.archived.has_value()) g.archived = c.archived.value;
}

bool IsHandle(std::string_view handle) {
  if (handle.empty() || !text::IsValidUtf8(handle)) return false;
  const std::size_t chars = text::CodePointCount(handle);
  if (chars < kHandleCharsMin || chars > kHandleCharsMax) return false;
  const auto first = static_cast<unsigned char>(handle[0]);
  if (first < 0x80 && !std::isalnum(first)) return false;
  return HandleAt(handle, 0).size() == handle.size();
}

std::string HandleKey(std::string_view handle) { return text::Fold(handle); }

Result<JoinInput> ReadJoin(const boost::json::value& body, bool creating) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return NotAnObject();
  JoinInput in;
  in.handle = r.Text("handle", {.required = creating, .nullable = false, .max_chars = 4 * kHandleCharsMax});
  if (in.handle.has_value() && !IsHandle(in.handle.value)) {
    r.Fail("handle", "invalid_handle", "2 to 30 letters, digits, _ . or -, starting with a letter or a digit.");
  }
  ReadEmailLanguage(r, in.language);
  SOLIDUM_TRY(r.Finish());
  return in;
}

Result<SettingsInput> ReadSettings(const boost::json::value& body) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return NotAnObject();
  SettingsInput in;
  in.digest = r.Text("digest", {.nullable = false, .max_chars = 10});
  if (in.digest.has_value() && !ParseDigest(in.digest.value)) r.Fail("digest", "unknown_digest", "none, daily or weekly.");
  ReadEmailLanguage(r, in.language);
  SOLIDUM_TRY(r.Finish());
  return in;
}

void Apply(const SettingsInput& in, Settings& s) {
  if (in.digest.has_value()) s.digest = *ParseDigest(in.digest.value);
  if (in.language.has_value()) s.language = in.language.value;
}

Result<PostInput> ReadThread(const boost::json::value& body) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return NotAnObject();
  PostInput in;
  in.title = r.Text("title", {.required = true, .nullable = false, .max_chars = kTitleCharsMax});
  ReadLanguage(r, "language", in.language, true);
  ReadBody(r, in, true);
  SOLIDUM_TRY(r.Finish());
  return in;
}

Result<PostInput> ReadReply(const boost::json::value& body) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return NotAnObject();
  PostInput in;
  ReadLanguage(r, "language", in.language, true);
  ReadBody(r, in, true);
  in.parent = r.Integer("parent", 1, INT64_MAX);
  SOLIDUM_TRY(r.Finish());
  return in;
}

Result<PostInput> ReadEdit(const boost::json::value& body) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return NotAnObject();
  PostInput in;
  ReadLanguage(r, "language", in.language, false);
  ReadBody(r, in, false);
  SOLIDUM_TRY(r.Finish());
  return in;
}

Result<std::string> ReadReason(const boost::json::value& body) {
  json_fields::ObjectReader r(body);
  if (!r.is_object()) return NotAnObject();
  auto reason = r.Text("reason", {.required = true, .nullable = false, .max_chars = kReasonCharsMax, .multiline = true});
  SOLIDUM_TRY(r.Finish());
  return reason.value;
}

std::vector<std::string> Mentions(std::string_view md) {
  std::vector<std::string> out, keys;
  bool fenced = false;
  std::size_t line_start = 0;
  while (line_start <= md.size() && out.size() < kMentionsMax) {
    std::size_t line_end = md.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = md.size();
    const std::string_view line = md.substr(line_start, line_end - line_start);
    const std::string_view trimmed = text::Trim(line);
    const bool fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
    const bool indented = line.starts_with("    ") || line.starts_with("\t");
    if (fence) fenced = !fenced;
    if (!fence && !fenced && !indented) {
      bool in_code = false;
      for (std::size_t i = 0; i < line.size() && out.size() < kMentionsMax; ++i) {
        if (line[i] == '`') in_code = !in_code;
        if (in_code || line[i] != '@') continue;
        if (i > 0 && IsWordByte(static_cast<unsigned char>(line[i - 1]))) continue;  // an email address
        const std::string_view handle = HandleAt(line, i + 1);
        if (!IsHandle(handle)) continue;
        std::string key = HandleKey(handle);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
        keys.push_back(std::move(key));
        out.emplace_back(handle);
        i += handle.size();
      }
    }
    if (line_end == md.size()) break;
    line_start = line_end + 1;
  }
  return out;
}

std::string Excerpt(std::string_view md, std::size_t max_chars) {
  std::string plain;
  bool space = false;
  for (std::size_t i = 0; i < md.size(); ++i) {
    const char c = md[i];
    if (c == '*' || c == '_' || c == '`' || c == '#' || c == '>' || c == '[' || c == ']') continue;
    if (c == '(' && i > 0 && md[i - 1] == ']') {  // a link's target: dropped
      const std::size_t close = md.find(')', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !plain.empty();
      continue;
    }
    if (space) plain += ' ';
    space = false;
    plain += c;
  }
  if (text::CodePointCount(plain) <= max_chars) return plain;
  std::size_t at = 0, chars = 0;
  while (at < plain.size() && chars < max_chars) {
    at += SequenceLength(static_cast<unsigned char>(plain[at]));
    ++chars;
  }
  return std::string(text::Trim(std::string_view(plain).substr(0, std::min(at, plain.size())))) + "…";
}

Period LastPeriod(Digest d, std::string_view now) {
  using namespace std::chrono;
  auto digits = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n && i < now.size(); ++i) v = v * 10 + (now[i] - '0');
    return v;
  };
  const sys_days today(year_month_day(year(digits(0, 4)), month(static_cast<unsigned>(digits(5, 2))), day(static_cast<unsigned>(digits(8, 2)))));
  char key[40];
  if (d == Digest::kWeekly) {
    const weekday wd(today);
    const sys_days this_monday = today - days((wd.c_encoding() + 6) % 7);
    const sys_days start = this_monday - weeks(1);
    // ISO week: the week's Thursday decides its year.
    const year_month_day thursday(start + days(3));
    const sys_days jan1(year_month_day(thursday.year(), January, day(1)));
    const int week = static_cast<int>((sys_days(thursday) - jan1).count() / 7) + 1;
    std::snprintf(key, sizeof key, "weekly:%04d-W%02d", static_cast<int>(thursday.year()), week);
    return {key, Timestamp(start), Timestamp(this_monday)};
  }
  const sys_days start = today - days(1);
  const year_month_day ymd(start);
  std::snprintf(key, sizeof key, "daily:%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return {key, Timestamp(start), Timestamp(today)};
}

}  // namespace solidum::communities
