#include "registry/open_data.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "common/text.h"
#include "common/csv.h"

namespace solidum::registry {

std::string TermCode(std::string_view s) {
  s = text::Trim(s);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  auto slash = s.rfind('/');
  return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

std::string WithScheme(std::string_view url) {
  url = text::Trim(url);
  if (url.empty() || url.find("://") != std::string_view::npos) return std::string(url);
  return "http://" + std::string(url);
}


Result<bool> NextCsvRow(CsvReader& reader, std::size_t fields, CsvRecord& rec, ReadResult& out) {
  for (;;) {
    auto next = reader.Next(rec);
    if (!next.ok()) {
      ++out.read;
      out.rejected.push_back({rec.line, next.error().message});
      continue;
    }
    if (!*next) return false;
    bool blank = std::all_of(rec.fields.begin(), rec.fields.end(), [](const std::string& f) { return text::Trim(f).empty(); });
    if (blank) continue;  // trailing empty lines of spreadsheet exports
    if (++out.read > kImportRowsMax) {
      return Error::Make(ErrorKind::kInvalidInput, "too_many_rows", "More than 1,000,000 rows.");
    }
    if (rec.fields.size() != fields) {
      out.rejected.push_back({rec.line, "has " + std::to_string(rec.fields.size()) + " fields where the header has " +
                                            std::to_string(fields)});
      continue;
    }
    return true;
  }
}

void KeepRow(ReadResult& out, std::size_t line, boost::json::object record, std::string_view source, std::string_view id) {
  record["source"] = source;
  record["source_id"] = id;
  out.rows.push_back(ImportRow{line, std::move(record)});
}

const std::vector<std::string>& ImportFormats() {
  static const std::vector<std::string> kFormats{"essglobal-csv", "csv", "geojson", "murmurations"};
  return kFormats;
}

Result<ReadResult> ReadOpenData(std::string_view format, std::string_view data, std::string_view source,
                                const std::vector<std::pair<std::string, std::string>>& mapping,
                                const TermResolver& terms) {
  if (!mapping.empty() && format != "csv") {
    return Error::Make(ErrorKind::kInvalidInput, "mapping_needs_csv", "Column mappings are for --format csv.");
  }
  if (format == "essglobal-csv") return ReadEssglobalCsv(data, source);
  if (format == "csv") return ReadSpreadsheetCsv(data, source, mapping, terms);
  if (format == "geojson") return ReadGeoJson(data, source, terms);
  if (format == "murmurations") return ReadMurmurations(data, source, terms);
  return Error::Make(ErrorKind::kInvalidInput, "unknown_format", "One of: essglobal-csv, csv, geojson, murmurations.");
}

Result<ReadResult> ReadEssglobalCsv(std::string_view data, std::string_view source) {
  if (!text::IsValidUtf8(data)) {
    return Error::Make(ErrorKind::kInvalidInput, "not_utf8", "The file is not UTF-8 text.");
  }
  CsvReader reader(data);
  CsvRecord header;
  auto first = reader.Next(header);
  if (!first.ok()) return std::move(first).error();
  if (!*first) return Error::Make(ErrorKind::kInvalidInput, "empty_file", "The file is empty.");
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header.fields.size(); ++i) column[text::AsciiLower(text::Trim(header.fields[i]))] = i;
  for (const char* required : {"Identifier", "Name"}) {
    if (!column.contains(text::AsciiLower(required))) {
      return Error::Make(ErrorKind::kInvalidInput, "bad_header",
                         std::string("The header has no \"") + required +
                             "\" column: this is not an ESSGLOBAL CSV.");
    }
  }
  ReadResult out;
  CsvRecord rec;
  for (;;) {
    SOLIDUM_ASSIGN_OR_RETURN(bool more, NextCsvRow(reader, header.fields.size(), rec, out));
    if (!more) break;
    auto get = [&](const char* name) -> std::string_view {
      auto it = column.find(name);
      return it == column.end() ? std::string_view() : text::Trim(rec.fields[it->second]);
    };
    boost::json::object o;
    auto set = [&](const char* key, std::string_view v) {
      if (!v.empty()) o[key] = v;
    };
    set("name", get("name"));
    set("description", get("description"));
    if (auto v = get("organisational structure"); !v.empty()) o["legal_form"] = TermCode(v);
    if (auto v = get("primary activity"); !v.empty()) o["primary_activity"] = TermCode(v);
    if (auto v = get("activities"); !v.empty()) {
      boost::json::array acts;
      std::string_view rest = v;
      while (!rest.empty()) {
        auto cut = rest.find_first_of(";,");
        auto part = text::Trim(rest.substr(0, cut));
        std::string code = TermCode(part);
        bool dup = false;
        for (const auto& a : acts) dup = dup || a.as_string() == code;
        if (!part.empty() && !dup) acts.emplace_back(code);
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
      }
      if (!acts.empty()) o["activities"] = std::move(acts);
    }
    if (auto v = get("membership type"); !v.empty()) o["membership_type"] = TermCode(v);
    set("street", get("street address"));
    set("locality", get("locality"));
    set("region", get("region"));
    set("postcode", get("postcode"));
    set("country", get("country id"));
    if (auto v = get("website"); !v.empty()) o["website"] = WithScheme(v);
    set("phone", get("phone"));
    set("email", get("email"));
    boost::json::array urls;
    for (const char* social : {"twitter", "facebook"}) {
      auto v = get(social);
      if (v.empty()) continue;
      if (v.starts_with("@")) urls.emplace_back("https://twitter.com/" + std::string(v.substr(1)));
      else urls.emplace_back(WithScheme(v));
    }
    if (!urls.empty()) o["urls"] = std::move(urls);
    std::string_view lat = get("latitude"), lon = get("longitude");
    if (lat.empty() && lon.empty()) {
      lat = get("geo container latitude");
      lon = get("geo container longitude");
    }
    if (!lat.empty() || !lon.empty()) {
      auto la = text::ParseDouble(lat), lo = text::ParseDouble(lon);
      if (!la || !lo) {
        out.rejected.push_back({rec.line, "invalid coordinates \"" + std::string(lat) + "\", \"" + std::string(lon) + "\""});
        continue;
      }
      o["latitude"] = *la;
      o["longitude"] = *lo;
    }
    std::string_view id = get("identifier");
    if (id.empty()) {
      out.rejected.push_back({rec.line, "has no Identifier"});
      continue;
    }
    KeepRow(out, rec.line, std::move(o), source, id);
  }
  return out;
}

}  // namespace solidum::registry
