// gzip for responses to clients that take it (RFC 9110 Accept-Encoding). The register's
// search JSON compresses about fivefold; the map of 100,000 organisations (arrays of
// coordinates) from 2.6 MB to 1.1 MB, which a phone on a slow network notices.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace solidum::http {

// Bodies smaller than this are sent as they are: the header and the CPU would cost more.
inline constexpr std::size_t kCompressBytesMin = 1024;
// Bodies larger than this are compressed at the fastest level.
inline constexpr std::size_t kFastCompressionBytes = 256 * 1024;

// Whether an Accept-Encoding value accepts gzip ("gzip", "x-gzip" or "*", with q > 0).
bool AcceptsGzip(std::string_view accept_encoding);

// Whether `r` is worth compressing: a textual type (JSON, HTML, CSS, JavaScript, SVG,
// CSV, GeoJSON), at least kCompressBytesMin, not yet encoded, and without an ETag (a
// compressed body would be another representation with the same validator, and the
// register's ETags are versions that If-Match compares strongly).
bool ShouldCompress(const Response& r);

// `data` as a gzip member (level 1..9); nullopt if zlib fails.
std::optional<std::string> Gzip(std::string_view data, int level = 5);

// Compresses `r` in place when `accept_encoding` takes gzip and the body is worth it, and
// says in Vary that the answer depends on Accept-Encoding.
void CompressFor(std::optional<std::string_view> accept_encoding, Response& r);

}  // namespace solidum::http
