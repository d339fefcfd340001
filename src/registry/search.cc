#include "registry/search.h"

#include <algorithm>
#include <cmath>

#include "common/limits.h"
#include "common/text.h"

namespace solidum::registry {

namespace {

std::vector<std::string_view> SplitComma(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    auto comma = s.find(',');
    out.push_back(text::Trim(s.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

// Exactly `count` comma-separated numbers, or nullopt.
std::optional<std::vector<double>> ParseNumbers(std::string_view s, std::size_t count) {
  std::vector<double> v;
  for (auto part : SplitComma(s)) {
    auto d = text::ParseDouble(part);
    if (!d) return std::nullopt;
    v.push_back(*d);
  }
  if (v.size() != count) return std::nullopt;
  return v;
}

Error Bad(std::string param, std::string code, std::string message) {
  return Error::Invalid("?" + param, std::move(code), std::move(message));
}

}  // namespace

std::string FtsQuery(std::string_view input) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (char c : input) {
    auto u = static_cast<unsigned char>(c);
    // Letters, digits and any non-ASCII byte (UTF-8 letters) make words; the rest separates,
    // which also strips FTS5 syntax (quotes, *, ^, parentheses, column filters).
    if (u >= 0x80 || std::isalnum(u)) current.push_back(c);
    else flush();
  }
  flush();
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    out += '"' + words[i] + '"';
    if (i + 1 == words.size()) out += '*';
  }
  return out;
}

Result<SearchQuery> ParseSearchQuery(const std::vector<std::pair<std::string, std::string>>& params) {
  SearchQuery q;
  std::optional<std::string> cursor;
  bool sort_given = false;
  for (const auto& [key, value] : params) {
    if (key == "q") {
      if (text::CodePointCount(value) > kSearchTextCharsMax) return Bad("q", "too_long", "At most 200 characters.");
      q.text = std::string(text::Trim(value));
    } else if (key == "bbox") {
      auto n = ParseNumbers(value, 4);
      auto in_range = [](const std::vector<double>& v) {
        return v[0] >= -180 && v[2] <= 180 && v[1] >= -90 && v[3] <= 90 && v[0] <= v[2] && v[1] <= v[3];
      };
      if (!n || !in_range(*n)) {
        return Bad("bbox", "invalid_bbox", "Use bbox=minLon,minLat,maxLon,maxLat within -180..180 and -90..90.");
      }
      const auto& v = *n;
      q.bbox = BoundingBox{v[0], v[1], v[2], v[3]};
    } else if (key == "near") {
      auto n = ParseNumbers(value, 3);
      auto in_range = [](const std::vector<double>& v) {
        return std::fabs(v[0]) <= 90 && std::fabs(v[1]) <= 180 && v[2] > 0 && v[2] <= kNearKmMax;
      };
      if (!n || !in_range(*n)) {
        return Bad("near", "invalid_near", "Use near=lat,lon,km with a radius above 0 and up to 20000 km.");
      }
      const auto& v = *n;
      q.near = Near{v[0], v[1], v[2]};
    } else if (key == "legal_form" || key == "activity" || key == "country" || key == "status" ||
               key == "network_scope") {
      auto& list = key == "legal_form" ? q.legal_forms : key == "activity" ? q.activities
                                                     : key == "country"    ? q.countries
                                                     : key == "status"     ? q.statuses
                                                                           : q.network_scopes;
      for (auto part : SplitComma(value)) {
        if (part.empty() || part.size() > 32) return Bad(key, "invalid_value", "Give one or more codes, separated by commas.");
        std::string v(part);
        if (key == "country") {
          for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(std::move(v));
      }
      if (list.size() > kFilterValuesMax) return Bad(key, "too_many", "At most 50 values.");
    } else if (key == "sdg") {
      for (auto part : SplitComma(value)) {
        auto n = text::ParseInt64(part);
        if (!n || *n < 1 || *n > 17) return Bad("sdg", "out_of_range", "SDGs are numbered 1 to 17.");
        if (std::find(q.sdgs.begin(), q.sdgs.end(), *n) == q.sdgs.end()) q.sdgs.push_back(*n);
      }
    } else if (key == "network") {
      for (auto part : SplitComma(value)) {
        auto n = text::ParseInt64(part);
        if (!n || *n < 1) return Bad("network", "invalid_value", "Give one or more network ids, separated by commas.");
        if (std::find(q.networks.begin(), q.networks.end(), *n) == q.networks.end()) q.networks.push_back(*n);
      }
      if (q.networks.size() > kFilterValuesMax) return Bad("network", "too_many", "At most 50 values.");
    } else if (key == "sort") {
      sort_given = true;
      if (value == "id") q.sort = SearchSort::kId;
      else if (value == "name") q.sort = SearchSort::kName;
      else if (value == "relevance") q.sort = SearchSort::kRelevance;
      else if (value == "distance") q.sort = SearchSort::kDistance;
      else return Bad("sort", "unknown_term", "One of: id, name, relevance, distance.");
    } else if (key == "limit") {
      auto n = text::ParseInt64(value);
      if (!n || *n < 1 || *n > limits::kPageSizeMax) {
        return Bad("limit", "out_of_range", "limit must be a whole number from 1 to " + std::to_string(limits::kPageSizeMax) + ".");
      }
      q.limit = static_cast<int>(*n);
    } else if (key == "cursor") {
      cursor = value;
    } else if (key == "facets") {
      if (value != "true" && value != "false") return Bad("facets", "invalid_value", "true or false.");
      q.facets = value == "true";
    } else {
      return Bad(key, "unknown_parameter", "This parameter is not known.");
    }
  }
  if (!sort_given) {
    q.sort = !q.text.empty() ? SearchSort::kRelevance : q.near ? SearchSort::kDistance : SearchSort::kId;
  }
  if (q.sort == SearchSort::kRelevance && q.text.empty()) return Bad("sort", "needs_q", "sort=relevance needs q.");
  if (q.sort == SearchSort::kDistance && !q.near) return Bad("sort", "needs_near", "sort=distance needs near.");
  if (cursor) {
    auto raw = text::Base64UrlDecode(*cursor);
    auto bad = [] { return Bad("cursor", "invalid_cursor", "This cursor was not made by this server for this sort."); };
    if (!raw) return bad();
    std::string_view r = *raw;
    if (q.sort == SearchSort::kId && r.starts_with("id:")) {
      auto id = text::ParseInt64(r.substr(3));
      if (!id || *id < 0) return bad();
      q.after_id = *id;
    } else if (q.sort == SearchSort::kName && r.starts_with("name:")) {
      auto sep = r.find(':', 5);
      if (sep == std::string_view::npos) return bad();
      auto id = text::ParseInt64(r.substr(5, sep - 5));
      if (!id || *id < 0) return bad();
      q.after_id = *id;
      q.after_name = std::string(r.substr(sep + 1));
    } else if ((q.sort == SearchSort::kRelevance || q.sort == SearchSort::kDistance) && r.starts_with("offset:")) {
      auto off = text::ParseInt64(r.substr(7));
      if (!off || *off < 0) return bad();
      if (*off > kSearchOffsetMax) {
        return Bad("cursor", "too_deep", "Pages sorted by relevance or distance stop after 10,000 results: narrow the search.");
      }
      q.offset = *off;
    } else {
      return bad();
    }
  }
  return q;
}

}  // namespace solidum::registry
