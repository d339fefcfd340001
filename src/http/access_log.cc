#include "http/access_log.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace solidum::http {

AccessLog::AccessLog(int fd) : fd_(fd) {
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
  // One buffer per (thread, log): cached in the thread, owned by the log.
  thread_local AccessLog* owner = nullptr;
  thread_local Buffer* buffer = nullptr;
  if (owner != this) {
    std::lock_guard lock(registry_mu_);
    buffers_.push_back(std::make_unique<Buffer>());
    buffer = buffers_.back().get();
    buffer->data.reserve(kFlushBytes + 1024);
    owner = this;
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
