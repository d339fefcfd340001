// Serves the built web app from a directory: files by path (never outside the root),
// index.html for "/" and for app routes without a file extension (client-side routing).
// Files under /assets/ (content-hashed by Vite) are cached for a year; the rest revalidate.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace solidum::http {

// `path` is the decoded request path. With no web root, "/" answers a small built-in page.
Response ServeStatic(const std::string& web_root, std::string_view path);

std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace solidum::http
