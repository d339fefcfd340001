#include "library/markdown.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace solidum::library {

std::string RenderMarkdown(std::string_view markdown) {
  // CMARK_OPT_DEFAULT is safe since cmark 0.29: without CMARK_OPT_UNSAFE, raw HTML becomes
  // a comment and dangerous URLs are dropped. SMART gives typographic quotes and dashes.
  constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
  static_assert((kOptions & CMARK_OPT_UNSAFE) == 0, "raw HTML must never pass");
  std::unique_ptr<char, decltype(&std::free)> html(cmark_markdown_to_html(markdown.data(), markdown.size(), kOptions), &std::free);
  return html ? std::string(html.get()) : std::string();
}

}  // namespace solidum::library
