// Markdown as a reader sees it: formatting kept, nothing that could run.
#include "library/markdown.h"

#include <gtest/gtest.h>

namespace solidum::library {
namespace {

TEST(MarkdownTest, RendersCommonMark) {
  EXPECT_EQ(RenderMarkdown("# Titre\n\nUn *four* à pain, [le site](https://example.coop)."),
            "<h1>Titre</h1>\n<p>Un <em>four</em> à pain, <a href=\"https://example.coop\">le site</a>.</p>\n");
  EXPECT_EQ(RenderMarkdown("- un\n- deux\n"), "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n");
  EXPECT_EQ(RenderMarkdown(""), "");
}

// Every way a writer could slip a script in comes out inert.
TEST(MarkdownTest, NoScriptSurvives) {
  const char* attacks[] = {
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "[clic](javascript:alert(1))",
      "[clic](JaVaScRiPt:alert(1))",
      "[clic](vbscript:msgbox(1))",
      "![x](javascript:alert(1))",
      "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<iframe src=\"https://evil.example\"></iframe>",
      "<svg onload=alert(1)>",
      "`<script>` in code is text",
      "<details open ontoggle=alert(1)>",
      "[a](<javascript:alert(1)>)",
      "<javascript:alert(1)>",
  };
  for (const char* md : attacks) {
    const std::string html = RenderMarkdown(md);
    EXPECT_EQ(html.find("<script"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("<img src=\"x\""), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("<iframe"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("<svg"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("<details"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("href=\"javascript"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("href=\"JaVaScRiPt"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("vbscript:"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("src=\"javascript"), std::string::npos) << md << " -> " << html;
    EXPECT_EQ(html.find("data:text/html"), std::string::npos) << md << " -> " << html;
  }
  EXPECT_EQ(RenderMarkdown("`<script>`"), "<p><code>&lt;script&gt;</code></p>\n");
}

}  // namespace
}  // namespace solidum::library
