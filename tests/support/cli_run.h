// Runs the real `solidum` binary ($SOLIDUM_BIN) with arguments and collects its exit
// code, standard output and standard error. For tests of the CLI.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace solidum::testing {

struct CliRun {
  int code = -1;
  std::string out, err;
};

inline std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `args` go to the shell as they are (quote paths with spaces).
inline CliRun RunSolidum(const std::string& args) {
  const char* bin = std::getenv("SOLIDUM_BIN");
  EXPECT_NE(bin, nullptr) << "SOLIDUM_BIN is not set";
  if (!bin) return {};
  // Each run its own file: ctest runs tests in parallel processes.
  static int runs = 0;
  const std::string err_file = ::testing::TempDir() + "/cli-" + std::to_string(getpid()) + "-" + std::to_string(++runs) + ".err";
  const std::string cmd = std::string(bin) + " " + args + " 2>" + err_file;
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[65536];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadWhole(err_file);
  std::remove(err_file.c_str());
  return r;
}

}  // namespace solidum::testing
