#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/problem.h"

namespace solidum::http {

namespace {

constexpr std::string_view kLandingPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Solidum</title></head>
<body><main><h1>Solidum</h1>
<p>The server is running. The web app is not built here; the API is at <a href="/api/v1/openapi.json">/api/v1</a>.</p>
</main></body></html>
)";

bool ReadFile(const std::filesystem::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool IsSafeRelative(std::string_view path) {
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) return false;
  std::size_t i = 0;
  while (i <= path.size()) {
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    auto seg = path.substr(i, j - i);
    if (seg == ".." || seg == "." || (!seg.empty() && seg.front() == '.')) return false;
    i = j + 1;
  }
  return true;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  auto dot = name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

bool IsTileUrl(std::string_view url) {
  if (!url.starts_with("https://") || url.size() > 500) return false;
  for (std::string_view part : {"{z}", "{x}", "{y}"}) {
    if (url.find(part) == std::string_view::npos) return false;
  }
  // Nothing that would need escaping in an HTML attribute, nor white space.
  return url.find_first_of("\"'<>& \t\r\n") == std::string_view::npos;
}

Response ServeStatic(const WebAppOptions& app, std::string_view path) {
  const std::string& web_root = app.root;
  Response r;
  r.SetHeader("X-Content-Type-Options", "nosniff");
  if (web_root.empty() || !std::filesystem::is_directory(web_root)) {
    if (path == "/") {
      r.content_type = "text/html; charset=utf-8";
      r.body = std::string(kLandingPage);
      return r;
    }
    return Problem(Error::NotFound("No such page."), path);
  }
  std::string_view rel = path;
  while (rel.starts_with('/')) rel.remove_prefix(1);
  if (!IsSafeRelative(rel)) return Problem(Error::NotFound("No such page."), path);
  std::filesystem::path root(web_root);
  std::filesystem::path file = rel.empty() ? root / "index.html" : root / std::string(rel);
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) file /= "index.html";
  std::string_view last = rel.substr(rel.rfind('/') == std::string_view::npos ? 0 : rel.rfind('/') + 1);
  bool has_extension = last.find('.') != std::string_view::npos;
  if (!std::filesystem::is_regular_file(file, ec)) {
    if (has_extension && !rel.empty()) return Problem(Error::NotFound("No such file."), path);
    file = root / "index.html";  // an app route: the app's router takes it from here
  }
  if (!ReadFile(file, r.body)) return Problem(Error::NotFound("No such page."), path);
  if (!app.tile_url.empty() && file.filename() == "index.html" && IsTileUrl(app.tile_url)) {
    auto head = r.body.find("</head>");
    if (head != std::string::npos) r.body.insert(head, "<meta name=\"solidum-tiles\" content=\"" + app.tile_url + "\" />\n");
  }
  r.content_type = std::string(ContentTypeFor(file.filename().string()));
  r.SetHeader("Cache-Control", rel.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace solidum::http
