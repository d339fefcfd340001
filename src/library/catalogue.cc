#include "library/catalogue.h"

#include <algorithm>
#include <charconv>

#include "common/text.h"
#include "library/library.h"
#include "library/resource.h"

namespace solidum::library {

static_assert(std::size(kStandardThemes) + kCustomThemesMax <= kThemeSlots, "every theme has a bit");

namespace {

enum Dim { kType, kTheme, kLanguage, kCountry, kSdg, kDims };
constexpr const char* kFacetNames[kDims] = {"type", "theme", "language", "country", "sdg"};

Error Bad(const std::string& key, std::string code, std::string message) { return Error::Invalid("?" + key, std::move(code), std::move(message)); }

// Splits a parameter's value at commas, trimmed, empty parts dropped.
std::vector<std::string> Values(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    auto comma = value.find(',', start);
    auto part = text::Trim(value.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// "2026-05-01T10:20:30.123456Z" as 20260501102030123: its digits, to the millisecond, so
// that the newest-first order compares numbers rather than strings.
std::int64_t SortableTime(std::string_view s) {
  std::int64_t out = 0;
  int digits = 0;
  for (char c : s) {
    if (c < '0' || c > '9') continue;
    if (digits == 17) break;
    out = out * 10 + (c - '0');
    ++digits;
  }
  for (; digits < 17; ++digits) out *= 10;
  return out;
}

std::optional<std::int64_t> Number(std::string_view s) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// The best `k` rows by `better` (a strict order, best first).
template <typename Item, typename Better>
void Best(std::vector<Item>& heap, std::size_t k, Better better, const Item& row) {
  if (heap.size() < k) {
    heap.push_back(row);
    std::push_heap(heap.begin(), heap.end(), better);
  } else if (k > 0 && better(row, heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), better);
    heap.back() = row;
    std::push_heap(heap.begin(), heap.end(), better);
  }
}

}  // namespace

Result<SearchQuery> ParseSearchQuery(const std::vector<std::pair<std::string, std::string>>& params) {
  SearchQuery q;
  std::optional<SearchSort> sort;
  std::vector<FieldError> errors;
  auto fail = [&](const std::string& key, std::string code, std::string message) { errors.push_back(Bad(key, std::move(code), std::move(message)).fields[0]); };
  auto add = [&](const std::string& key, std::vector<std::string>& to, std::string_view value, std::size_t max_chars) {
    for (auto& v : Values(value)) {
      if (v.size() > max_chars) fail(key, "too_long", "At most " + std::to_string(max_chars) + " characters a value.");
      else if (std::find(to.begin(), to.end(), v) == to.end()) to.push_back(std::move(v));
    }
    if (to.size() > kFilterValuesMax) fail(key, "too_many", "At most " + std::to_string(kFilterValuesMax) + " values.");
  };
  for (const auto& [key, value] : params) {
    if (key == "q") {
      if (!text::IsValidUtf8(value) || text::CodePointCount(value) > kSearchTextCharsMax) {
        fail(key, "too_long", "At most " + std::to_string(kSearchTextCharsMax) + " characters.");
      }
      q.text = std::string(text::Trim(value));
    } else if (key == "type") {
      add(key, q.types, value, 40);
    } else if (key == "theme") {
      add(key, q.themes, value, kThemeCodeCharsMax);
    } else if (key == "language") {
      add(key, q.languages, value, 16);
    } else if (key == "country") {
      std::string upper(value);
      for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      add(key, q.countries, upper, 2);
    } else if (key == "sdg") {
      for (const auto& v : Values(value)) {
        auto n = Number(v);
        if (!n || *n < 1 || *n > 17) fail(key, "out_of_range", "SDGs are numbered 1 to 17.");
        else if (std::find(q.sdgs.begin(), q.sdgs.end(), *n) == q.sdgs.end()) q.sdgs.push_back(*n);
      }
    } else if (key == "organisation" || key == "publisher") {
      auto n = Number(value);
      if (!n || *n < 1) fail(key, "invalid_id", "An organisation's id is expected.");
      else (key == "organisation" ? q.organisation : q.publisher) = *n;
    } else if (key == "sort") {
      if (value == "relevance") sort = SearchSort::kRelevance;
      else if (value == "newest") sort = SearchSort::kNewest;
      else if (value == "title") sort = SearchSort::kTitle;
      else fail(key, "unknown_sort", "relevance, newest or title.");
    } else if (key == "limit") {
      auto n = Number(value);
      if (!n || *n < 1 || *n > kSearchLimitMax) fail(key, "out_of_range", "1 to " + std::to_string(kSearchLimitMax) + ".");
      else q.limit = static_cast<int>(*n);
    } else if (key == "offset") {
      auto n = Number(value);
      if (!n || *n < 0 || *n > kSearchOffsetMax) fail(key, "out_of_range", "0 to " + std::to_string(kSearchOffsetMax) + ": narrow the search to go further.");
      else q.offset = *n;
    } else if (key == "facets") {
      if (value == "true") q.facets = true;
      else if (value == "false") q.facets = false;
      else fail(key, "invalid_boolean", "true or false.");
    } else {
      fail(key, "unknown_parameter", "This parameter is not known.");
    }
  }
  if (sort == SearchSort::kRelevance && q.text.empty()) fail("sort", "needs_text", "Relevance needs words to be relevant to (?q=).");
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  q.sort = sort.value_or(q.text.empty() ? SearchSort::kNewest : SearchSort::kRelevance);
  return q;
}

std::size_t Catalogue::RowOf(std::int64_t id) const {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), id, [](const Row& r, std::int64_t v) { return r.id < v; });
  return it != rows_.end() && it->id == id ? static_cast<std::size_t>(it - rows_.begin()) : rows_.size();
}

Catalogue::Row Catalogue::Pack(const CatalogueEntry& e) {
  Row r;
  r.id = e.id;
  r.publisher = e.publisher;
  r.type = static_cast<std::uint8_t>(types_.Intern(e.type));
  r.language = static_cast<std::uint16_t>(languages_.Intern(e.language));
  for (const auto& t : e.themes) {
    const auto bit = themes_.Intern(t);
    if (bit < kThemeSlots) r.themes[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  for (auto g : e.sdgs) {
    if (g >= 1 && g <= 17) r.sdgs |= 1u << g;
  }
  r.countries_begin = static_cast<std::uint32_t>(country_pool_.size());
  r.countries_count = static_cast<std::uint16_t>(std::min<std::size_t>(e.countries.size(), kCountriesMax));
  for (std::size_t i = 0; i < r.countries_count; ++i) country_pool_.push_back(static_cast<std::uint16_t>(countries_.Intern(e.countries[i])));
  r.organisations_begin = static_cast<std::uint32_t>(organisation_pool_.size());
  r.organisations_count = static_cast<std::uint16_t>(std::min<std::size_t>(e.organisations.size(), kOrganisationsMax));
  organisation_pool_.insert(organisation_pool_.end(), e.organisations.begin(), e.organisations.begin() + r.organisations_count);
  return r;
}

void Catalogue::Upsert(const CatalogueEntry& e) {
  const std::size_t at = RowOf(e.id);
  if (at < rows_.size()) {
    pool_garbage_ += rows_[at].countries_count + rows_[at].organisations_count;
    rows_[at] = Pack(e);
    published_[at] = SortableTime(e.published_at);
    title_key_[at] = e.title_key;
  } else {
    auto pos = std::lower_bound(rows_.begin(), rows_.end(), e.id, [](const Row& r, std::int64_t v) { return r.id < v; }) - rows_.begin();
    rows_.insert(rows_.begin() + pos, Pack(e));
    published_.insert(published_.begin() + pos, SortableTime(e.published_at));
    title_key_.insert(title_key_.begin() + pos, e.title_key);
  }
  if (pool_garbage_ > 1024 && pool_garbage_ * 2 > country_pool_.size() + organisation_pool_.size()) CompactPools();
}

void Catalogue::Remove(std::int64_t id) {
  const std::size_t at = RowOf(id);
  if (at == rows_.size()) return;
  pool_garbage_ += rows_[at].countries_count + rows_[at].organisations_count;
  rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(at));
  published_.erase(published_.begin() + static_cast<std::ptrdiff_t>(at));
  title_key_.erase(title_key_.begin() + static_cast<std::ptrdiff_t>(at));
}

void Catalogue::CompactPools() {
  std::vector<std::uint16_t> countries;
  std::vector<std::int64_t> organisations;
  for (auto& r : rows_) {
    const auto c = static_cast<std::uint32_t>(countries.size());
    countries.insert(countries.end(), country_pool_.begin() + r.countries_begin, country_pool_.begin() + r.countries_begin + r.countries_count);
    r.countries_begin = c;
    const auto o = static_cast<std::uint32_t>(organisations.size());
    organisations.insert(organisations.end(), organisation_pool_.begin() + r.organisations_begin,
                         organisation_pool_.begin() + r.organisations_begin + r.organisations_count);
    r.organisations_begin = o;
  }
  country_pool_.swap(countries);
  organisation_pool_.swap(organisations);
  pool_garbage_ = 0;
}

CataloguePage Catalogue::Search(const SearchQuery& q, const TextMatches* text) const {
  CataloguePage page;
  // Filters as the catalogue's codes: a value it has never seen matches nothing.
  auto codes = [](const Dictionary& d, const std::vector<std::string>& values) {
    std::vector<std::uint32_t> out;
    for (const auto& v : values) {
      if (auto c = d.Find(v)) out.push_back(*c);
    }
    return out;
  };
  const auto types = codes(types_, q.types);
  const auto languages = codes(languages_, q.languages);
  const auto countries = codes(countries_, q.countries);
  std::uint64_t theme_mask[kThemeSlots / 64] = {};
  for (auto c : codes(themes_, q.themes)) {
    if (c < kThemeSlots) theme_mask[c / 64] |= std::uint64_t{1} << (c % 64);
  }
  std::uint32_t sdg_mask = 0;
  for (auto g : q.sdgs) sdg_mask |= 1u << g;
  const bool filter[kDims] = {!q.types.empty(), !q.themes.empty(), !q.languages.empty(), !q.countries.empty(), !q.sdgs.empty()};

  std::vector<std::int64_t> counts[kDims];
  counts[kType].assign(types_.values.size(), 0);
  counts[kTheme].assign(std::min(themes_.values.size(), kThemeSlots), 0);
  counts[kLanguage].assign(languages_.values.size(), 0);
  counts[kCountry].assign(countries_.values.size(), 0);
  counts[kSdg].assign(18, 0);

  const std::size_t want = static_cast<std::size_t>(q.offset) + static_cast<std::size_t>(q.limit);
  struct Candidate {
    std::uint32_t row;
    double rank;  // the text's (relevance)
  };
  auto better = [&](const Candidate& a, const Candidate& b) {
    switch (q.sort) {
      case SearchSort::kRelevance:
        if (a.rank != b.rank) return a.rank < b.rank;
        break;
      case SearchSort::kNewest:
        if (published_[a.row] != published_[b.row]) return published_[a.row] > published_[b.row];
        break;
      case SearchSort::kTitle:
        if (title_key_[a.row] != title_key_[b.row]) return title_key_[a.row] < title_key_[b.row];
        break;
    }
    return rows_[a.row].id > rows_[b.row].id;
  };
  std::vector<Candidate> heap;
  heap.reserve(std::min<std::size_t>(want, 4096));

  auto visit = [&](std::uint32_t i, double rank) {
    const Row& r = rows_[i];
    if (q.publisher && r.publisher != *q.publisher) return;
    if (q.organisation) {
      const auto* o = organisation_pool_.data() + r.organisations_begin;
      if (std::find(o, o + r.organisations_count, *q.organisation) == o + r.organisations_count) return;
    }
    const auto* c = country_pool_.data() + r.countries_begin;
    unsigned failed = 0;
    if (filter[kType] && std::find(types.begin(), types.end(), r.type) == types.end()) failed |= 1u << kType;
    if (filter[kTheme]) {
      bool any = false;
      for (std::size_t w = 0; w < kThemeSlots / 64; ++w) any = any || (r.themes[w] & theme_mask[w]) != 0;
      if (!any) failed |= 1u << kTheme;
    }
    if (filter[kLanguage] && std::find(languages.begin(), languages.end(), r.language) == languages.end()) failed |= 1u << kLanguage;
    if (filter[kCountry]) {
      bool any = false;
      for (std::size_t k = 0; k < r.countries_count && !any; ++k) any = std::find(countries.begin(), countries.end(), c[k]) != countries.end();
      if (!any) failed |= 1u << kCountry;
    }
    if (filter[kSdg] && (r.sdgs & sdg_mask) == 0) failed |= 1u << kSdg;
    if (q.facets && (failed & (failed - 1)) == 0) {  // fails at most one filter: counts in that one's facet
      auto counts_in = [&](int d) { return failed == 0 || failed == (1u << d); };
      if (counts_in(kType)) ++counts[kType][r.type];
      if (counts_in(kLanguage)) ++counts[kLanguage][r.language];
      if (counts_in(kTheme)) {
        for (std::size_t w = 0; w < kThemeSlots / 64; ++w) {
          for (auto bits = r.themes[w]; bits; bits &= bits - 1) ++counts[kTheme][w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))];
        }
      }
      if (counts_in(kCountry)) {
        for (std::size_t k = 0; k < r.countries_count; ++k) ++counts[kCountry][c[k]];
      }
      if (counts_in(kSdg)) {
        for (auto bits = r.sdgs; bits; bits &= bits - 1) ++counts[kSdg][static_cast<std::size_t>(__builtin_ctz(bits))];
      }
    }
    if (failed != 0) return;
    ++page.total;
    Best(heap, want, better, Candidate{i, rank});
  };

  if (text) {
    // Both sorted by id: gallop forward from the last match (matches are often dense).
    std::size_t at = 0;
    const std::size_t n = rows_.size();
    for (std::size_t m = 0; m < text->ids.size() && at < n; ++m) {
      const std::int64_t id = text->ids[m];
      std::size_t step = 1, hi = at;
      while (hi < n && rows_[hi].id < id) {
        at = hi;
        hi += step;
        step *= 2;
      }
      at = static_cast<std::size_t>(std::lower_bound(rows_.begin() + static_cast<std::ptrdiff_t>(at), rows_.begin() + static_cast<std::ptrdiff_t>(std::min(hi, n)), id,
                                                     [](const Row& r, std::int64_t v) { return r.id < v; }) - rows_.begin());
      if (at < n && rows_[at].id == id) visit(static_cast<std::uint32_t>(at), text->ranks[m]);
    }
  } else {
    for (std::uint32_t i = 0; i < rows_.size(); ++i) visit(i, 0);
  }

  std::sort_heap(heap.begin(), heap.end(), better);
  for (std::size_t k = static_cast<std::size_t>(q.offset); k < heap.size(); ++k) page.ids.push_back(rows_[heap[k].row].id);

  if (q.facets) {
    auto name = [&](int d, std::size_t v) -> std::string {
      switch (d) {
        case kType: return types_.values[v];
        case kTheme: return themes_.values[v];
        case kLanguage: return languages_.values[v];
        case kCountry: return countries_.values[v];
        default: return std::to_string(v);
      }
    };
    for (int d = 0; d < kDims; ++d) {
      std::vector<FacetValue> values;
      for (std::size_t v = 0; v < counts[d].size(); ++v) {
        if (counts[d][v] > 0) values.push_back({name(d, v), counts[d][v]});
      }
      std::sort(values.begin(), values.end(), [](const FacetValue& a, const FacetValue& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
      });
      if (values.size() > kFacetValuesMax) values.resize(kFacetValuesMax);
      page.facets[kFacetNames[d]] = std::move(values);
    }
  }
  return page;
}

}  // namespace solidum::library
