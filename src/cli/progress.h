// A progress bar on standard error when it is a terminal; nothing otherwise (logs, pipes).
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace solidum::cli {

class ProgressBar {
 public:
  ProgressBar() : tty_(isatty(STDERR_FILENO) != 0) {}
  // Shows `done` of `total` for `what`; a new line once done reaches total.
  void Show(std::string_view what, std::size_t done, std::size_t total) {
    if (!tty_ || total == 0) return;
    int width = 40, filled = static_cast<int>(static_cast<double>(width) * static_cast<double>(done) / static_cast<double>(total));
    std::fprintf(stderr, "\r%-24.*s [%s%s] %zu/%zu", static_cast<int>(what.size()), what.data(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done, total);
    if (done >= total) std::fprintf(stderr, "\n");
  }

 private:
  bool tty_;
};

}  // namespace solidum::cli
