// Group commit: write jobs from many threads share transactions, so that one fsync makes
// many of them durable. A single writer thread takes every job waiting (up to
// `batch_max`), runs them one after another in one write transaction, each inside its own
// savepoint (a job that fails is rolled back alone and its caller gets its error), commits
// once, and only then answers every caller. Nothing is acknowledged before it is durable.
//
// A job whose writes are one statement (atomic by itself) can skip its savepoint
// (RunUnguarded): on PostgreSQL that saves a round trip per job. Better still, a job can be
// the statement itself (RunStatement): the batch's statement jobs with the same SQL go to
// the database in one pipeline (PostgreSQL; one round trip for all), then each job's
// `then` runs with the rows its statement changed. If such a job fails and the
// transaction can no longer go on (a failed statement aborts a PostgreSQL transaction),
// the batch fails as a whole: nothing in it is acknowledged.
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
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

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

  // One statement, pipelined with the batch's others of the same SQL; `then` sees the rows
  // it changed (and may query, in the same transaction) and makes the answer.
  template <typename T>
  Result<T> RunStatement(std::string sql, std::vector<Value> params, std::function<Result<T>(Conn&, std::int64_t)> then) {
    std::promise<Result<T>> answer;
    auto got = answer.get_future();
    RunStatementAsync<T>(std::move(sql), std::move(params), std::move(then), [&answer](Result<T> r) { answer.set_value(std::move(r)); });
    return got.get();
  }
  // The same, without waiting: `done` gets the answer once the batch has committed, on the
  // writer's thread, so it must be short (hand the answer on) and must not throw.
  template <typename T>
  void RunStatementAsync(std::string sql, std::vector<Value> params, std::function<Result<T>(Conn&, std::int64_t)> then,
                         std::function<void(Result<T>)> done) {
    auto out = std::make_shared<std::optional<Result<T>>>();
    Job job;
    job.guarded = false;
    job.sql = std::move(sql);
    job.params = std::move(params);
    job.then = [out, then = std::move(then)](Conn& conn, std::int64_t changed) -> Result<void> {
      out->emplace(then(conn, changed));
      if (!(*out)->ok()) return (*out)->error();
      return Ok();
    };
    job.notify = [out, done = std::move(done)](Result<void> committed) { done(Answer(std::move(committed), *out)); };
    Enqueue(std::move(job));
  }

  std::size_t batches() const;  // committed so far, for tests and metrics
  std::size_t jobs() const;

 private:
  // The job's own answer, or the batch's error when the batch failed as a whole.
  template <typename T>
  static Result<T> Answer(Result<void> committed, std::optional<Result<T>>& out) {
    if (!committed.ok() && (!out || out->ok())) return committed.error();
    return std::move(*out);
  }
  template <typename T>
  Result<T> RunJob(std::function<Result<T>(Conn&)> job, bool guarded) {
    std::optional<Result<T>> out;
    auto done = Submit([&](Conn& conn) -> Result<void> {
      out.emplace(job(conn));
      if (!out->ok()) return out->error();
      return Ok();
    }, guarded);
    return Answer(done.get(), out);
  }

  struct Job {
    std::function<Result<void>(Conn&)> fn;  // a closure job, or
    bool guarded = true;
    std::string sql;                        // a statement job (when `then` is set)
    std::vector<Value> params;
    std::function<Result<void>(Conn&, std::int64_t)> then;
    std::promise<Result<void>> done;
    std::function<void(Result<void>)> notify;  // set: answered by this instead of `done`
  };
  std::future<Result<void>> Submit(std::function<Result<void>(Conn&)> fn, bool guarded);
  std::future<Result<void>> Enqueue(Job job);
  // Runs the batch in `conn`'s open transaction: a result per job, or the error that
  // ended the transaction (then every job fails).
  Result<void> RunBatch(Conn& conn, std::vector<Job>& batch, std::vector<Result<void>>& results);
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
