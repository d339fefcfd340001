// Paged lists: `limit` and an opaque offset `cursor` in the query, `next_cursor` in the
// answer. Shared by every list that pages by offset.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace solidum::http::api {

struct Paging {
  int limit;
  std::int64_t offset = 0;
};

// Takes `key`=`value` when it is limit or cursor (true), leaves it to the caller otherwise
// (false). Errors: "?limit" out_of_range, "?cursor" invalid_cursor.
Result<bool> TakePagingParam(std::string_view key, std::string_view value, Paging& paging);

// The cursor of the page after `paging` when `shown` items of `total` were answered, or null.
boost::json::value NextCursor(const Paging& paging, std::size_t shown, std::int64_t total);

}  // namespace solidum::http::api
