// Markdown, rendered safely: CommonMark (libcmark) to HTML with raw HTML left out and
// links whose scheme could run code (javascript:, vbscript:, file:, data: other than
// images) emptied, so that what a writer types can never run in a reader's browser. The
// one renderer for the library's resources and, next, the communities' posts. Pure.
#pragma once

#include <string>
#include <string_view>

namespace solidum::library {

// `markdown` must be valid UTF-8 (the JSON reader checked it); invalid sequences are
// replaced all the same. Answers HTML to put inside an element.
std::string RenderMarkdown(std::string_view markdown);

}  // namespace solidum::library
