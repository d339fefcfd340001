#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "test_store.h"

namespace solidum::testing {

namespace {

std::string Bin() {
  const char* b = std::getenv("SOLIDUM_BIN");
  if (!b) throw std::runtime_error("SOLIDUM_BIN is not set (run the tests through ctest)");
  return b;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

pid_t Spawn(const std::vector<std::string>& args, int in_fd, int out_fd, int err_fd) {
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    std::vector<char*> argv;
    std::string bin = Bin();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, const std::string& stdin_text, std::string* out, std::string* err) {
  TempDir dir;
  std::string in_path = dir.File("in"), out_path = dir.File("out"), err_path = dir.File("err");
  std::ofstream(in_path) << stdin_text;
  int in = open(in_path.c_str(), O_RDONLY);
  int o = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int e = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = Spawn(args, in, o, e);
  close(in);
  close(o);
  close(e);
  int status = 0;
  waitpid(pid, &status, 0);
  if (out) *out = ReadAll(out_path);
  if (err) *err = ReadAll(err_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ServerProcess::ServerProcess(std::vector<std::string> extra_args) {
  db_url_ = TestStoreUrl(dir_, "solidum");
  Start(std::move(extra_args));
}

ServerProcess::ServerProcess(const std::string& db_url, std::vector<std::string> extra_args) {
  db_url_ = db_url;
  Start(std::move(extra_args));
}

void ServerProcess::Start(std::vector<std::string> extra_args) {
  std::string port_file = dir_.File("port");
  std::vector<std::string> args = {"serve", "--db", db_url_, "--listen", "127.0.0.1:0", "--port-file", port_file,
                                   "--io-threads", "2", "--workers", "2"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  int in = open("/dev/null", O_RDONLY);
  int o = open(dir_.File("stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int e = open(dir_.File("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_ = Spawn(args, in, o, e);
  close(in);
  close(o);
  close(e);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream pf(port_file);
    unsigned p = 0;
    if (pf >> p && p > 0) {
      port_ = static_cast<unsigned short>(p);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("solidum serve exited at start:\n" + Output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("solidum serve did not start in 20 s:\n" + Output());
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 3000; ++i) {  // up to 30 s
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

ServerProcess::~ServerProcess() { Stop(); }

std::string ServerProcess::Output() const {
  return ReadAll(dir_.File("stdout")) + ReadAll(dir_.File("stderr"));
}

}  // namespace solidum::testing
