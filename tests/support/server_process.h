// Starts the real `solidum` binary (from $SOLIDUM_BIN) as a child process on a fresh
// database (SQLite in a temporary directory, or PostgreSQL: test_store.h), on a free port, and stops it with SIGTERM.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "temp_dir.h"

namespace solidum::testing {

// Runs `solidum ARGS...` to completion; answers its exit code, with stdout in `out`.
int RunCli(const std::vector<std::string>& args, const std::string& stdin_text, std::string* out,
           std::string* err = nullptr);

class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> extra_args = {});
  // A server on an existing store (a second server on the same database).
  ServerProcess(const std::string& db_url, std::vector<std::string> extra_args);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  const std::string& db_url() const { return db_url_; }
  pid_t pid() const { return pid_; }
  // Sends SIGTERM and waits; answers the exit status (0 on a clean stop), -1 if it had to be killed.
  int Stop();
  // What the server wrote so far to stdout (access log) and stderr.
  std::string Output() const;

 private:
  void Start(std::vector<std::string> extra_args);
  TempDir dir_;
  std::string db_url_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

}  // namespace solidum::testing
