#include "http/access_log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>

namespace solidum::http {

namespace {
std::atomic<std::uint64_t> next_log_id{1};
}  // namespace

AccessLog::AccessLog(int fd) : fd_(fd), id_(next_log_id.fetch_add(1)) {
  flusher_ = std::thread([this] {
    std::unique_lock lock(stop_mu_);
    while (!stopping_) {
      stop_cv_.wait_for(lock, std::chrono::milliseconds(kFlushIntervalMs));
      lock.unlock();
      Flush();
      lock.lock();
    }
  });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  flusher_.join();
  Flush();
}

AccessLog::Buffer& AccessLog::Local() {
  // One buffer per (thread, log): cached in the thread, owned by the log. Logs are told
  // apart by a unique id, not their address, which a later log may reuse.
  thread_local std::uint64_t owner = 0;
  thread_local Buffer* buffer = nullptr;
  if (owner != id_) {
    std::lock_guard lock(registry_mu_);
    buffers_.push_back(std::make_unique<Buffer>());
    buffer = buffers_.back().get();
    buffer->data.reserve(kFlushBytes + 1024);
    owner = id_;
  }
  return *buffer;
}

void AccessLog::Append(std::string_view line) {
  Buffer& b = Local();
  std::lock_guard lock(b.mu);
  b.data.append(line);
  b.data.push_back('\n');
  if (b.data.size() >= kFlushBytes) WriteOut(b);
}

void AccessLog::WriteOut(Buffer& b) {
  if (b.data.empty()) return;
  std::lock_guard lock(write_mu_);
  const char* p = b.data.data();
  std::size_t left = b.data.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // the log is best effort: a closed stdout must not stop the server
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  b.data.clear();
}

void AccessLog::Flush() {
  std::lock_guard registry(registry_mu_);
  for (auto& b : buffers_) {
    std::lock_guard lock(b->mu);
    WriteOut(*b);
  }
}

}  // namespace solidum::http
