#include "http/router.h"

#include "common/assert.h"

namespace solidum::http {

namespace {
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsParam(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }
}  // namespace

void Router::Add(Route route) {
  for (const auto& r : routes_) SOLIDUM_ASSERT(!(r.method == route.method && r.pattern == route.pattern));
  SOLIDUM_ASSERT(!identity::IsOrganisationScoped(route.action) || !route.org_param.empty());
  std::vector<std::string> segs;
  for (auto seg : Split(route.pattern)) segs.emplace_back(seg);
  segments_.push_back(std::move(segs));
  routes_.push_back(std::move(route));
}

std::optional<Router::Match> Router::Find(std::string_view method, std::string_view path, bool* path_known) const {
  if (path_known) *path_known = false;
  // A trailing slash is a different resource; say so with a 404 rather than guess.
  if (path.size() > 1 && path.back() == '/') return std::nullopt;
  auto segs = Split(path);
  std::string_view m = method == "HEAD" ? std::string_view("GET") : method;
  for (std::size_t k = 0; k < routes_.size(); ++k) {
    const Route& r = routes_[k];
    const auto& pattern = segments_[k];
    if (pattern.size() != segs.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < segs.size() && match; ++i) {
      match = IsParam(pattern[i]) ? !segs[i].empty() : pattern[i] == segs[i];
    }
    if (!match) continue;
    if (path_known) *path_known = true;
    if (r.method != m) continue;
    Match out{&r, k, {}};
    for (std::size_t i = 0; i < segs.size(); ++i) {
      if (IsParam(pattern[i])) out.params.emplace_back(pattern[i].substr(1, pattern[i].size() - 2), std::string(segs[i]));
    }
    return out;
  }
  return std::nullopt;
}

}  // namespace solidum::http
