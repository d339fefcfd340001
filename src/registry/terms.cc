#include "registry/terms.h"

#include <algorithm>

#include "common/text.h"
#include "registry/open_data.h"

namespace solidum::registry {

namespace {

// Edit distance, stopping early above `max`.
std::size_t Distance(std::string_view a, std::string_view b, std::size_t max) {
  if (a.size() > b.size() + max || b.size() > a.size() + max) return max + 1;
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t best = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      best = std::min(best, cur[j]);
    }
    if (best > max) return max + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

void TermResolver::AddTerm(const std::string& vocabulary, const std::string& code, const std::vector<std::string>& labels) {
  auto& names = names_[vocabulary];
  names.emplace(text::Fold(code), code);
  for (const auto& label : labels) {
    if (!label.empty()) names.emplace(text::Fold(label), code);
  }
}

void TermResolver::AddAlias(const std::string& vocabulary, const std::string& alias, const std::string& code) {
  names_[vocabulary].emplace(text::Fold(alias), code);
}

std::optional<std::string> TermResolver::Resolve(const std::string& vocabulary, std::string_view input) const {
  auto v = names_.find(vocabulary);
  if (v == names_.end()) return std::nullopt;
  const auto& names = v->second;
  for (const std::string& candidate : {text::Fold(TermCode(input)), text::Fold(input)}) {
    if (candidate.empty()) continue;
    if (auto it = names.find(candidate); it != names.end()) return it->second;
  }
  // Near misses: typos in country names, singular for plural in labels. Not for short
  // words, where one letter is another term (OS50, OS60).
  std::string folded = text::Fold(input);
  if (folded.size() < (vocabulary == "countries" ? 5u : 8u)) return std::nullopt;
  std::size_t max = folded.size() >= 12 ? 2 : 1;
  std::optional<std::string> found;
  std::size_t best = max + 1;
  bool tie = false;
  for (const auto& [name, code] : names) {
    std::size_t d = Distance(folded, name, max);
    if (d < best) {
      best = d, found = code, tie = false;
    } else if (d == best && d <= max && found != code) {
      tie = true;
    }
  }
  if (best > max || tie) return std::nullopt;
  return found;
}

Result<TermResolver> LoadTerms(store::Conn& conn) {
  TermResolver terms;
  for (const char* table : {"legal_forms", "countries", "activities", "membership_types"}) {
    SOLIDUM_ASSIGN_OR_RETURN(auto rows,
                             conn.Query(std::string("SELECT code, label_en, label_fr, label_es, label_pt FROM ") + table, {}));
    for (const auto& r : rows) {
      terms.AddTerm(table, r.Text(0),
                    {r.Text(1), r.OptText(2).value_or(""), r.OptText(3).value_or(""), r.OptText(4).value_or("")});
    }
  }
  SOLIDUM_ASSIGN_OR_RETURN(auto aliases, conn.Query("SELECT alias, code FROM country_aliases", {}));
  for (const auto& r : aliases) terms.AddAlias("countries", r.Text(0), r.Text(1));
  return terms;
}

}  // namespace solidum::registry
