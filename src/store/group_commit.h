// Group commit: write jobs from many threads share transactions, so that one fsync makes
// many of them durable. A single writer thread takes every job waiting (up to
// `batch_max`), runs them one after another in one write transaction, each inside its own
// savepoint (a job that fails is rolled back alone and its caller gets its error), commits
// once, and only then answers every caller. Nothing is acknowledged before it is durable.
//
// A job whose writes are one statement (atomic by itself) can skip its savepoint
// (RunUnguarded): on PostgreSQL that saves a round trip per job, the writer's whole cost
// when jobs are that small. If such a job fails and the transaction can no longer go on
// (a failed statement aborts a PostgreSQL transaction), the batch fails as a whole.
//
// Jobs in one batch see each other's writes, in arrival order: a check-then-write job
// (has this member voted?) stays correct. Thread-safe. The destructor finishes the jobs
// already submitted.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "common/result.h"
#include "store/store.h"

namespace solidum::store {

class GroupCommit {
 public:
  explicit GroupCommit(Store& store, std::size_t batch_max = 1000);
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `job` in a shared write transaction and answers its result once that transaction
  // has committed (or the commit's error).
  template <typename T>
  Result<T> Run(std::function<Result<T>(Conn&)> job) {
    return RunJob<T>(std::move(job), /*guarded=*/true);
  }
  // The same for a job that writes with one statement, or with none when it fails.
  template <typename T>
  Result<T> RunUnguarded(std::function<Result<T>(Conn&)> job) {
    return RunJob<T>(std::move(job), /*guarded=*/false);
  }

  std::size_t batches() const;  // committed so far, for tests and metrics
  std::size_t jobs() const;

 private:
  template <typename T>
  Result<T> RunJob(std::function<Result<T>(Conn&)> job, bool guarded) {
    std::optional<Result<T>> out;
    auto done = Submit([&](Conn& conn) -> Result<void> {
      out.emplace(job(conn));
      if (!out->ok()) return out->error();
      return Ok();
    }, guarded);
    Result<void> committed = done.get();
    if (!committed.ok() && (!out || out->ok())) return committed.error();  // the batch failed as a whole
    return std::move(*out);
  }

  struct Job {
    std::function<Result<void>(Conn&)> fn;
    bool guarded = true;
    std::promise<Result<void>> done;
  };
  std::future<Result<void>> Submit(std::function<Result<void>(Conn&)> fn, bool guarded);
  void Loop();

  Store& store_;
  const std::size_t batch_max_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::size_t batches_ = 0, jobs_ = 0;
  std::thread writer_;
};

}  // namespace solidum::store
