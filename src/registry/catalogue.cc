#include "registry/catalogue.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>

#include "common/assert.h"
#include "common/text.h"

namespace solidum::registry {

namespace {

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kPi = 3.14159265358979323846;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Radians(double deg) { return deg * kPi / 180; }

// Great-circle distance (haversine), in km.
double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  double dlat = Radians(lat2 - lat1), dlon = Radians(lon2 - lon1);
  double a = std::pow(std::sin(dlat / 2), 2) + std::cos(Radians(lat1)) * std::cos(Radians(lat2)) * std::pow(std::sin(dlon / 2), 2);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, a)));
}

// The place part of a query as at most two boxes (a box across the antimeridian is two)
// and an optional radius.
struct Place {
  bool any = false;  // false: no place filter
  int boxes = 0;
  BoundingBox box[2]{};
  std::optional<Near> near;

  bool Contains(double lat, double lon) const {
    if (!any) return true;
    if (std::isnan(lat)) return false;
    bool in = false;
    for (int i = 0; i < boxes && !in; ++i) {
      in = lon >= box[i].min_lon && lon <= box[i].max_lon && lat >= box[i].min_lat && lat <= box[i].max_lat;
    }
    if (!in) return false;
    return !near || DistanceKm(near->lat, near->lon, lat, lon) <= near->km;
  }
};

Place PlaceOf(const SearchQuery& q) {
  Place p;
  std::optional<BoundingBox> box = q.bbox;
  if (q.near) {
    // The radius's bounding box first (cheap), then the exact distance.
    double dlat = q.near->km / kEarthRadiusKm * 180 / kPi;
    double coslat = std::cos(Radians(q.near->lat));
    double dlon = coslat < 1e-6 ? 180 : std::min(180.0, dlat / coslat);
    BoundingBox nb{q.near->lon - dlon, std::max(-90.0, q.near->lat - dlat), q.near->lon + dlon,
                   std::min(90.0, q.near->lat + dlat)};
    if (q.near->lat + dlat >= 90 || q.near->lat - dlat <= -90) nb.min_lon = -180, nb.max_lon = 180;  // over a pole
    if (box) {
      // Intersecting a plain box with one that may cross the antimeridian: shift the plain
      // one by 360° where that makes them overlap.
      BoundingBox b = *box;
      if (nb.max_lon > 180 && b.max_lon < nb.min_lon) b.min_lon += 360, b.max_lon += 360;
      if (nb.min_lon < -180 && b.min_lon > nb.max_lon) b.min_lon -= 360, b.max_lon -= 360;
      box = BoundingBox{std::max(b.min_lon, nb.min_lon), std::max(b.min_lat, nb.min_lat),
                        std::min(b.max_lon, nb.max_lon), std::min(b.max_lat, nb.max_lat)};
    } else {
      box = nb;
    }
    p.near = q.near;
  }
  if (!box) return p;
  p.any = true;
  if (box->min_lon > box->max_lon || box->min_lat > box->max_lat) return p;  // empty: no box, nothing in
  if (box->min_lon < -180 || box->max_lon > 180) {
    double west = box->min_lon < -180 ? box->min_lon + 360 : -180;
    double east = box->min_lon < -180 ? 180 : box->max_lon - 360;
    p.box[p.boxes++] = {std::max(-180.0, box->min_lon), box->min_lat, std::min(180.0, box->max_lon), box->max_lat};
    p.box[p.boxes++] = {west, box->min_lat, east, box->max_lat};
  } else {
    p.box[p.boxes++] = *box;
  }
  return p;
}

template <typename T>
void EraseAt(std::vector<T>& v, std::size_t i) {
  v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
}
template <typename T>
void InsertAt(std::vector<T>& v, std::size_t i) {
  v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), T{});
}

// The best `k` of the items offered, by `better` (a strict weak order, best first).
template <typename Item, typename Better>
class TopK {
 public:
  TopK(std::size_t k, Better better) : k_(k), better_(better) { heap_.reserve(std::min<std::size_t>(k, 4096)); }
  void Offer(const Item& item) {
    if (k_ == 0) return;
    if (heap_.size() < k_) {
      heap_.push_back(item);
      std::push_heap(heap_.begin(), heap_.end(), better_);  // the worst kept on top
    } else if (better_(item, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better_);
      heap_.back() = item;
      std::push_heap(heap_.begin(), heap_.end(), better_);
    }
  }
  std::vector<Item> Sorted() && {
    std::sort_heap(heap_.begin(), heap_.end(), better_);
    return std::move(heap_);
  }

 private:
  std::size_t k_;
  Better better_;
  std::vector<Item> heap_;
};

// A row a scan is looking at, with where its values are (the catalogue's arrays, or the
// copies that cached text matches hold).
struct Candidate {
  std::uint32_t row;
  std::int64_t text_pos;  // in the text matches; -1 without text
  const CatalogueSlot& slot;
  const CatalogueTags& tags;
  const std::uint32_t* pool;
  const std::uint32_t* begin(int list) const {
    std::uint32_t at = tags.begin;
    for (int i = 0; i < list; ++i) at += tags.count[i];
    return pool + at;
  }
  const std::uint32_t* end(int list) const { return begin(list) + tags.count[list]; }
};

// Generations are unique across catalogues, so that matches resolved against one are never
// taken for resolved against another that replaced it.
std::uint64_t NextGeneration() {
  static std::atomic<std::uint64_t> last{0};
  return ++last;
}

bool OneBit(unsigned bits) { return bits != 0 && (bits & (bits - 1)) == 0; }

const char* const kFacetNames[] = {"legal_form", "country", "status", "network_scope", "activity", "sdg", "network"};

}  // namespace

// Dims held as one value per row, and their place in CatalogueSlot::code; the others are
// lists in tags_.
namespace {
constexpr int kSingleSlot[] = {0, 1, 2, 3, -1, -1, -1, -1};
constexpr int kMultiSlot[] = {-1, -1, -1, -1, 0, 1, 2, -1};
}  // namespace

std::size_t Catalogue::RowOf(std::int64_t id) const {
  auto it = std::lower_bound(id_.begin(), id_.end(), id);
  if (it == id_.end() || *it != id) return id_.size();
  return static_cast<std::size_t>(it - id_.begin());
}

void Catalogue::CompactTags() {
  std::vector<std::uint32_t> packed;
  packed.reserve(tags_.size() - tags_garbage_);
  for (auto& s : span_) {
    std::uint32_t begin = static_cast<std::uint32_t>(packed.size());
    packed.insert(packed.end(), tags_.begin() + s.begin, tags_.begin() + s.begin + s.size());
    s.begin = begin;
  }
  tags_.swap(packed);
  tags_garbage_ = 0;
}

void Catalogue::Write(std::size_t row, const CatalogueEntry& e) {
  id_[row] = e.id;
  bool place = e.latitude && e.longitude;
  CatalogueSlot& slot = slot_[row];
  slot.lat = place ? *e.latitude : kNaN;
  slot.lon = place ? *e.longitude : kNaN;
  auto single = [&](Dim d, const std::optional<std::string>& v) {
    slot.code[kSingleSlot[d]] = v ? dims_[d].Intern(*v) : kNone;
  };
  single(kLegalForm, e.legal_form);
  single(kCountry, e.country);
  single(kStatus, e.status);
  single(kNetworkScope, e.network_scope);
  region_[row] = e.region ? dims_[kRegion].Intern(*e.region) : kNone;
  // Lists go to the end of tags_ (the old values become garbage), packed again when half is.
  CatalogueTags& span = span_[row];
  tags_garbage_ += span.size();
  span.begin = static_cast<std::uint32_t>(tags_.size());
  auto list = [&](int slot, std::size_t n, auto value) {
    n = std::min<std::size_t>(n, kListValuesMax);
    for (std::size_t i = 0; i < n; ++i) tags_.push_back(value(i));
    span.count[slot] = static_cast<std::uint16_t>(n);
  };
  list(0, e.activities.size(), [&](std::size_t i) { return dims_[kActivity].Intern(e.activities[i]); });
  list(1, e.sdgs.size(), [&](std::size_t i) { return dims_[kSdg].Intern(std::to_string(e.sdgs[i])); });
  list(2, e.networks.size(), [&](std::size_t i) { return dims_[kNetwork].Intern(std::to_string(e.networks[i])); });
  if (tags_garbage_ > 4096 && tags_garbage_ * 2 > tags_.size()) CompactTags();
  name_[row] = e.name;
  members_[row] = e.members.value_or(-1);
  workers_[row] = e.workers.value_or(-1);
  volunteers_[row] = e.volunteers.value_or(-1);
  founded_[row] = e.founded_year.value_or(-1);
  generation_ = NextGeneration();
}

#define SOLIDUM_CATALOGUE_COLUMNS(apply)                                                              \
  apply(id_) apply(slot_) apply(region_) \
      apply(span_) apply(name_) apply(members_) apply(workers_) apply(volunteers_) apply(founded_)

void Catalogue::Upsert(const CatalogueEntry& entry) {
  std::size_t row = RowOf(entry.id);
  if (row == id_.size()) {
    // New ids are the largest almost always: the insert is an append.
    row = static_cast<std::size_t>(std::lower_bound(id_.begin(), id_.end(), entry.id) - id_.begin());
#define SOLIDUM_INSERT(column) InsertAt(column, row);
    SOLIDUM_CATALOGUE_COLUMNS(SOLIDUM_INSERT)
#undef SOLIDUM_INSERT
  }
  Write(row, entry);
}

void Catalogue::Remove(std::int64_t id) {
  std::size_t row = RowOf(id);
  if (row == id_.size()) return;
  tags_garbage_ += span_[row].size();
#define SOLIDUM_ERASE(column) EraseAt(column, row);
  SOLIDUM_CATALOGUE_COLUMNS(SOLIDUM_ERASE)
#undef SOLIDUM_ERASE
  generation_ = NextGeneration();
}
#undef SOLIDUM_CATALOGUE_COLUMNS

void Catalogue::Resolve(TextMatches& text) const {
  text.rows.clear();
  text.rows.reserve(text.ids.size());
  text.slots.clear();
  text.slots.reserve(text.ids.size());
  text.tags.clear();
  text.tags.reserve(text.ids.size());
  text.tag_pool.clear();
  std::size_t row = 0;
  for (auto id : text.ids) {
    // Merge of two sorted lists, galloping: matches are often a small part of the register.
    auto from = id_.begin() + static_cast<std::ptrdiff_t>(row);
    auto it = std::lower_bound(from, id_.end(), id);
    row = static_cast<std::size_t>(it - id_.begin());
    bool found = it != id_.end() && *it == id;
    text.rows.push_back(found ? static_cast<std::uint32_t>(row) : kNone);
    text.slots.push_back(found ? slot_[row] : CatalogueSlot{kNaN, kNaN, {kNone, kNone, kNone, kNone}});
    CatalogueTags tags = found ? span_[row] : CatalogueTags{};
    std::uint32_t begin = tags.begin;
    tags.begin = static_cast<std::uint32_t>(text.tag_pool.size());
    text.tag_pool.insert(text.tag_pool.end(), tags_.begin() + begin, tags_.begin() + begin + tags.size());
    text.tags.push_back(tags);
  }
  text.resolved_for = generation_;
}

template <typename Visit>
void Catalogue::Scan(const SearchQuery& q, const TextMatches* text, Visit&& visit) const {
  Place place = PlaceOf(q);
  // Per facet dimension: which values pass (empty: no filter on it).
  std::vector<char> allowed[kFacetDims];
  auto allow = [&](Dim d, const auto& values) {
    allowed[d].assign(dims_[d].values.size() + 1, 0);  // never empty once filtered
    for (const auto& v : values) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::int64_t>) {
        if (auto i = dims_[d].Find(std::to_string(v))) allowed[d][*i] = 1;
      } else {
        if (auto i = dims_[d].Find(v)) allowed[d][*i] = 1;
      }
    }
  };
  if (!q.legal_forms.empty()) allow(kLegalForm, q.legal_forms);
  if (!q.countries.empty()) allow(kCountry, q.countries);
  if (!q.statuses.empty()) allow(kStatus, q.statuses);
  if (!q.network_scopes.empty()) allow(kNetworkScope, q.network_scopes);
  if (!q.activities.empty()) allow(kActivity, q.activities);
  if (!q.sdgs.empty()) allow(kSdg, q.sdgs);
  if (!q.networks.empty()) allow(kNetwork, q.networks);

  auto test = [&](const Candidate& c) {
    if (!place.Contains(c.slot.lat, c.slot.lon)) return;
    unsigned failed = 0;
    for (int d = 0; d < kFacetDims; ++d) {
      if (allowed[d].empty()) continue;
      bool pass = false;
      if (kSingleSlot[d] >= 0) {
        std::uint32_t v = c.slot.code[kSingleSlot[d]];
        pass = v != kNone && allowed[d][v];
      } else {
        for (auto *v = c.begin(kMultiSlot[d]), *end = c.end(kMultiSlot[d]); v != end; ++v) pass = pass || allowed[d][*v];
      }
      if (!pass) failed |= 1u << d;
    }
    visit(c, failed);
  };

  if (!text) {
    for (std::uint32_t row = 0; row < id_.size(); ++row) test(Candidate{row, -1, slot_[row], span_[row], tags_.data()});
    return;
  }
  const TextMatches* resolved = text;
  TextMatches local;
  if (text->resolved_for != generation_ || text->rows.size() != text->ids.size()) {
    local.ids = text->ids;
    Resolve(local);
    resolved = &local;
  }
  for (std::size_t i = 0; i < resolved->rows.size(); ++i) {
    if (resolved->rows[i] == kNone) continue;
    test(Candidate{resolved->rows[i], static_cast<std::int64_t>(i), resolved->slots[i], resolved->tags[i],
                   resolved->tag_pool.data()});
  }
}

CataloguePage Catalogue::Search(const SearchQuery& q, const TextMatches* text) const {
  CataloguePage page;
  std::vector<std::int64_t> counts[kFacetDims];
  if (q.facets) {
    for (int d = 0; d < kFacetDims; ++d) counts[d].assign(dims_[d].values.size(), 0);
  }
  auto count = [&](int d, const Candidate& c) {
    if (kSingleSlot[d] >= 0) {
      std::uint32_t v = c.slot.code[kSingleSlot[d]];
      if (v != kNone) ++counts[d][v];
    } else {
      for (auto *v = c.begin(kMultiSlot[d]), *end = c.end(kMultiSlot[d]); v != end; ++v) ++counts[d][*v];
    }
  };

  const std::size_t want = static_cast<std::size_t>(q.offset) + static_cast<std::size_t>(q.limit) + 1;
  std::vector<std::uint32_t> by_id;  // kId: rows come in id order, the first `want` do
  auto by_name = [&](std::uint32_t a, std::uint32_t b) {
    int c = name_[a].compare(name_[b]);
    return c != 0 ? c < 0 : id_[a] < id_[b];
  };
  TopK<std::uint32_t, decltype(by_name)> names(q.sort == SearchSort::kName ? want : 0, by_name);
  using Keyed = std::pair<double, std::uint32_t>;  // relevance rank or distance, row
  auto by_key = [&](const Keyed& a, const Keyed& b) {
    return a.first != b.first ? a.first < b.first : id_[a.second] < id_[b.second];
  };
  bool keyed = q.sort == SearchSort::kRelevance || q.sort == SearchSort::kDistance;
  TopK<Keyed, decltype(by_key)> ranked(keyed ? want : 0, by_key);

  Scan(q, text, [&](const Candidate& c, unsigned failed) {
    const std::uint32_t row = c.row;
    if (failed == 0) {
      ++page.total;
      if (q.facets) {
        for (int d = 0; d < kFacetDims; ++d) count(d, c);
      }
      switch (q.sort) {
        case SearchSort::kId:
          if (id_[row] > q.after_id && by_id.size() < static_cast<std::size_t>(q.limit) + 1) by_id.push_back(row);
          break;
        case SearchSort::kName:
          if (q.after_name) {
            int c = name_[row].compare(*q.after_name);
            if (c < 0 || (c == 0 && id_[row] <= q.after_id)) break;
          }
          names.Offer(row);
          break;
        case SearchSort::kRelevance:
        case SearchSort::kDistance: {
          double k = q.sort == SearchSort::kDistance ? DistanceKm(q.near->lat, q.near->lon, c.slot.lat, c.slot.lon)
                     : c.text_pos >= 0               ? text->ranks[static_cast<std::size_t>(c.text_pos)]
                                                     : 0.0;
          ranked.Offer({k, row});
          break;
        }
      }
    } else if (q.facets && OneBit(failed)) {
      count(std::countr_zero(failed), c);
    }
  });

  std::vector<std::uint32_t> rows;
  std::size_t skip = 0;
  switch (q.sort) {
    case SearchSort::kId: rows = std::move(by_id); break;
    case SearchSort::kName: rows = std::move(names).Sorted(); break;
    default:
      for (const auto& [k, row] : std::move(ranked).Sorted()) rows.push_back(row);
      skip = std::min(rows.size(), static_cast<std::size_t>(q.offset));
  }
  std::size_t available = rows.size() - skip;
  std::size_t n = std::min(available, static_cast<std::size_t>(q.limit));
  for (std::size_t i = skip; i < skip + n; ++i) page.ids.push_back(id_[rows[i]]);
  if (available > n && n > 0) {
    std::uint32_t last = rows[skip + n - 1];
    switch (q.sort) {
      case SearchSort::kId: page.next_cursor = text::Base64UrlEncode("id:" + std::to_string(id_[last])); break;
      case SearchSort::kName:
        page.next_cursor = text::Base64UrlEncode("name:" + std::to_string(id_[last]) + ":" + name_[last]);
        break;
      default:
        page.next_cursor = text::Base64UrlEncode("offset:" + std::to_string(q.offset + static_cast<std::int64_t>(n)));
    }
  }

  if (q.facets) {
    for (int d = 0; d < kFacetDims; ++d) {
      auto& out = page.facets[kFacetNames[d]];
      for (std::uint32_t v = 0; v < counts[d].size(); ++v) {
        if (counts[d][v] > 0) out.push_back({dims_[d].values[v], counts[d][v]});
      }
      std::sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
      });
      if (out.size() > static_cast<std::size_t>(kFacetValuesMax)) out.resize(kFacetValuesMax);
    }
  }
  return page;
}

MapPoints Catalogue::Map(const SearchQuery& q, const TextMatches* text) const {
  MapPoints points;
  std::vector<int> form_slot(dims_[kLegalForm].values.size(), -1);
  Scan(q, text, [&](const Candidate& c, unsigned failed) {
    if (failed != 0 || std::isnan(c.slot.lat)) return;
    points.ids.push_back(id_[c.row]);
    points.latitudes.push_back(c.slot.lat);
    points.longitudes.push_back(c.slot.lon);
    std::uint32_t f = c.slot.code[kSingleSlot[kLegalForm]];
    if (f == kNone) {
      points.legal_form_index.push_back(-1);
      return;
    }
    if (form_slot[f] < 0) {
      form_slot[f] = static_cast<int>(points.legal_forms.size());
      points.legal_forms.push_back(dims_[kLegalForm].values[f]);
    }
    points.legal_form_index.push_back(form_slot[f]);
  });
  return points;
}

std::vector<PortraitRow> Catalogue::Portrait(const SearchQuery& q, const TextMatches* text, PortraitGroup group) const {
  std::unordered_map<std::string, PortraitRow> groups;
  auto add = [&](const std::string& key, std::uint32_t row) {
    auto& g = groups[key];
    g.group = key;
    ++g.organisations;
    auto sum = [](std::int64_t v, std::int64_t& total, std::int64_t& reported) {
      if (v >= 0) total += v, ++reported;
    };
    sum(members_[row], g.members, g.members_reported);
    sum(workers_[row], g.workers, g.workers_reported);
    sum(volunteers_[row], g.volunteers, g.volunteers_reported);
  };
  auto single = [&](Dim d, const Candidate& c) {
    std::uint32_t v = c.slot.code[kSingleSlot[d]];
    add(v == kNone ? std::string() : dims_[d].values[v], c.row);
  };
  auto multi = [&](Dim d, const Candidate& c) {
    auto *begin = c.begin(kMultiSlot[d]), *end = c.end(kMultiSlot[d]);
    if (begin == end) add(std::string(), c.row);
    for (auto* v = begin; v != end; ++v) add(dims_[d].values[*v], c.row);
  };
  Scan(q, text, [&](const Candidate& c, unsigned failed) {
    if (failed != 0) return;
    switch (group) {
      case PortraitGroup::kCountry: single(kCountry, c); break;
      case PortraitGroup::kRegion: {
        std::uint32_t v = region_[c.row];
        add(v == kNone ? std::string() : dims_[kRegion].values[v], c.row);
        break;
      }
      case PortraitGroup::kLegalForm: single(kLegalForm, c); break;
      case PortraitGroup::kActivity: multi(kActivity, c); break;
      case PortraitGroup::kNetwork: multi(kNetwork, c); break;
      case PortraitGroup::kYear: add(founded_[c.row] >= 0 ? std::to_string(founded_[c.row]) : std::string(), c.row); break;
    }
  });
  std::vector<PortraitRow> out;
  out.reserve(groups.size());
  for (auto& [key, row] : groups) out.push_back(std::move(row));
  if (group == PortraitGroup::kYear) {
    // A time series: by year, the unknown last.
    std::sort(out.begin(), out.end(), [](const PortraitRow& a, const PortraitRow& b) {
      if (a.group.empty() != b.group.empty()) return b.group.empty();
      return a.group.size() != b.group.size() ? a.group.size() < b.group.size() : a.group < b.group;
    });
  } else {
    std::sort(out.begin(), out.end(), [](const PortraitRow& a, const PortraitRow& b) {
      if (a.group.empty() != b.group.empty()) return b.group.empty();  // the unknown last
      return a.organisations != b.organisations ? a.organisations > b.organisations : a.group < b.group;
    });
  }
  return out;
}

}  // namespace solidum::registry
