#include "http/api/paging.h"

#include <string>

#include "common/limits.h"
#include "common/text.h"

namespace solidum::http::api {

Result<bool> TakePagingParam(std::string_view key, std::string_view value, Paging& paging) {
  if (key == "limit") {
    auto n = text::ParseInt64(value);
    if (!n || *n < 1 || *n > limits::kPageSizeMax) {
      return Error::Invalid("?limit", "out_of_range", "limit must be a whole number from 1 to " + std::to_string(limits::kPageSizeMax) + ".");
    }
    paging.limit = static_cast<int>(*n);
    return true;
  }
  if (key == "cursor") {
    auto raw = text::Base64UrlDecode(value);
    std::optional<std::int64_t> off;
    if (raw && raw->starts_with("offset:")) off = text::ParseInt64(std::string_view(*raw).substr(7));
    if (!off || *off < 0) return Error::Invalid("?cursor", "invalid_cursor", "This cursor was not made by this server.");
    paging.offset = *off;
    return true;
  }
  return false;
}

boost::json::value NextCursor(const Paging& paging, std::size_t shown, std::int64_t total) {
  const std::int64_t next = paging.offset + static_cast<std::int64_t>(shown);
  if (shown == 0 || next >= total) return nullptr;
  return boost::json::value(text::Base64UrlEncode("offset:" + std::to_string(next)));
}

}  // namespace solidum::http::api
