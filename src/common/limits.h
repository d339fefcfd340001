// Named limits on everything that comes from outside. Change them here, nowhere else.
#pragma once

#include <cstddef>
#include <cstdint>

namespace solidum::limits {

inline constexpr std::size_t kRequestBodyBytesMax = 1024 * 1024;     // JSON API bodies
inline constexpr std::size_t kUploadBodyBytesMax = 32 * 1024 * 1024;  // files (imports) on routes that say so; larger: the CLI
inline constexpr int kUploadTimeoutSeconds = 300;                     // to receive a whole upload
inline constexpr std::size_t kRequestHeaderBytesMax = 16 * 1024;
inline constexpr int kReadTimeoutSeconds = 30;     // to receive one whole request
inline constexpr int kIdleTimeoutSeconds = 60;     // keep-alive connection with no request
inline constexpr int kShutdownGraceSeconds = 10;   // in-flight requests get this long on SIGTERM
inline constexpr std::size_t kJsonDepthMax = 32;

inline constexpr std::size_t kEmailBytesMax = 254;             // RFC 5321 path limit
inline constexpr std::size_t kPasswordBytesMin = 10;
inline constexpr std::size_t kPasswordBytesMax = 1024;

inline constexpr std::size_t kNameCharsMax = 200;
inline constexpr std::size_t kDescriptionCharsMax = 20000;
inline constexpr std::size_t kUrlBytesMax = 2048;

inline constexpr int kPageSizeDefault = 50;
inline constexpr int kPageSizeMax = 500;

inline constexpr int kSessionLifetimeHours = 12;
// Who holds an API token, a user's roles and memberships are read on every request and
// remembered this long (TtlCache): how late a server sees a change made through another
// server on the same store. The server that makes a change sees it at once.
inline constexpr std::int64_t kAccessCacheMicros = 1'000'000;
inline constexpr std::size_t kAccessCacheEntriesMax = 100'000;
inline constexpr int kSignInFailuresPerAccountMax = 5;   // within kSignInWindowSeconds
inline constexpr int kSignInFailuresPerAddressMax = 20;
inline constexpr int kSignInWindowSeconds = 15 * 60;

static_assert(kPageSizeDefault <= kPageSizeMax);
static_assert(kPasswordBytesMin < kPasswordBytesMax);
static_assert(kDescriptionCharsMax * 4 < kRequestBodyBytesMax, "a full description must fit in a body");
static_assert(kSignInFailuresPerAccountMax < kSignInFailuresPerAddressMax);

}  // namespace solidum::limits
