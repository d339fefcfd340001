#include "store/group_commit.h"

#include <vector>

namespace solidum::store {

GroupCommit::GroupCommit(Store& store, std::size_t batch_max)
    : store_(store), batch_max_(batch_max < 1 ? 1 : batch_max), writer_([this] { Loop(); }) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

std::future<Result<void>> GroupCommit::Submit(std::function<Result<void>(Conn&)> fn, bool guarded) {
  Job job;
  job.fn = std::move(fn);
  job.guarded = guarded;
  return Enqueue(std::move(job));
}

std::future<Result<void>> GroupCommit::Enqueue(Job job) {
  auto future = job.done.get_future();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return future;
}

std::size_t GroupCommit::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}
std::size_t GroupCommit::jobs() const {
  std::lock_guard lock(mu_);
  return jobs_;
}

void GroupCommit::Loop() {
  while (true) {
    std::vector<Job> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      while (!queue_.empty() && batch.size() < batch_max_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Result<void>> results;
    results.reserve(batch.size());
    Result<void> outcome = Ok();
    {
      ConnLease conn = store_.Acquire();
      outcome = conn->Begin(TxKind::kWrite);
      if (outcome.ok()) {
        outcome = RunBatch(*conn, batch, results);
        if (outcome.ok()) outcome = conn->Commit();
        if (!outcome.ok()) (void)conn->Rollback();
      }
    }
    {
      std::lock_guard lock(mu_);
      ++batches_;
      jobs_ += batch.size();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // A failed commit fails every job; otherwise each gets its own result.
      Result<void> r = outcome.ok() ? std::move(results[i]) : outcome;
      if (batch[i].notify) batch[i].notify(std::move(r));
      else batch[i].done.set_value(std::move(r));
    }
  }
}

namespace {

// After a job that did not write was refused: a refusal leaves the transaction usable; a
// failed statement may not have (PostgreSQL aborts the transaction). Ask.
Result<void> StillUsable(Conn& conn) {
  auto probe = conn.Query("SELECT 1");
  if (!probe.ok()) return std::move(probe).error();
  return Ok();
}

template <typename F>
Result<void> Guard(F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return Error::Internal(std::string("write job threw: ") + e.what());
  }
}

}  // namespace

Result<void> GroupCommit::RunBatch(Conn& conn, std::vector<Job>& batch, std::vector<Result<void>>& results) {
  // Each guarded job in a savepoint, so that one that fails leaves nothing behind.
  // Savepoints go through the simple query path (PostgreSQL cannot prepare them), and
  // releasing one and taking the next is one round trip: one stays open between guarded
  // jobs, and is released before other jobs.
  bool savepoint = false;
  for (std::size_t i = 0; i < batch.size();) {
    Job& job = batch[i];
    if (job.guarded != savepoint) {
      SOLIDUM_TRY(conn.ExecScript(job.guarded ? "SAVEPOINT job" : "RELEASE SAVEPOINT job"));
      savepoint = job.guarded;
    }
    if (job.then) {
      // The run of statement jobs with this SQL, in one pipeline, in order.
      std::size_t end = i;
      std::vector<std::vector<Value>> sets;
      while (end < batch.size() && batch[end].then && batch[end].sql == job.sql) sets.push_back(std::move(batch[end++].params));
      SOLIDUM_ASSIGN_OR_RETURN(auto changed, conn.ExecEach(job.sql, sets));
      for (std::size_t k = i; k < end; ++k) {
        Result<void> r = Guard([&] { return batch[k].then(conn, changed[k - i]); });
        if (!r.ok()) SOLIDUM_TRY(StillUsable(conn));
        results.push_back(std::move(r));
      }
      i = end;
      continue;
    }
    Result<void> r = Guard([&] { return job.fn(conn); });
    if (job.guarded) {
      SOLIDUM_TRY(conn.ExecScript(r.ok() ? "RELEASE SAVEPOINT job; SAVEPOINT job" : "ROLLBACK TO SAVEPOINT job"));
    } else if (!r.ok()) {
      SOLIDUM_TRY(StillUsable(conn));
    }
    results.push_back(std::move(r));
    ++i;
  }
  return Ok();
}

}  // namespace solidum::store
