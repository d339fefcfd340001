// Request fields several API modules read the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json_fields.h"
#include "common/result.h"
#include "finance/schedule.h"

namespace solidum::http::api {

// A required date, "YYYY-MM-DD"; an invalid_date error at its pointer otherwise (and an
// invalid date answered, which the caller never uses: Finish() fails).
inline std::chrono::year_month_day DateField(json_fields::ObjectReader& r, std::string_view key) {
  auto text = r.Text(key, {.required = true, .max_chars = 10});
  if (!text.has_value()) return {};
  auto d = finance::ParseDate(text.value);
  if (!d) {
    r.Fail(key, "invalid_date", "A date, YYYY-MM-DD.");
    return {};
  }
  return *d;
}

// A date in the query string (?as_of=YYYY-MM-DD): nullopt when absent, an invalid_date
// error at "?<key>" when malformed.
inline Result<std::optional<std::chrono::year_month_day>> DateQuery(const std::vector<std::pair<std::string, std::string>>& query, std::string_view key) {
  for (const auto& [k, value] : query) {
    if (k != key) continue;
    auto d = finance::ParseDate(value);
    if (!d) return Error::Invalid("?" + std::string(key), "invalid_date", "A date, YYYY-MM-DD.");
    return std::optional<std::chrono::year_month_day>(*d);
  }
  return std::optional<std::chrono::year_month_day>();
}

// The members' decision a request points at: an agenda item of one of the organisation's
// assemblies, {"assembly_id", "item_id"}.
struct VoteRef {
  std::int64_t assembly_id = 0, item_id = 0;
};
inline VoteRef VoteField(json_fields::ObjectReader& r) {
  return VoteRef{r.Integer("assembly_id", 1, INT64_MAX, true).value, r.Integer("item_id", 1, INT64_MAX, true).value};
}

}  // namespace solidum::http::api
