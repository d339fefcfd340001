// Serves the built web app from a directory: files by path (never outside the root),
// index.html for "/" and for app routes without a file extension (client-side routing).
// Files under /assets/ (content-hashed by Vite) are cached for a year; the rest revalidate.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace solidum::http {

struct WebAppOptions {
  std::string root;      // the built app's directory; empty for none
  // Raster tiles drawn under the offline base map, when the installation is online:
  // "https://.../{z}/{x}/{y}.png". Passed to the app in index.html.
  std::string tile_url;
};

// `path` is the decoded request path. With no web root, "/" answers a small built-in page.
Response ServeStatic(const WebAppOptions& app, std::string_view path);

// Whether `url` is a usable tile URL template: https, with {z}, {x} and {y}.
bool IsTileUrl(std::string_view url);

std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace solidum::http
