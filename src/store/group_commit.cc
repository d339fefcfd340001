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
  Job job{std::move(fn), guarded, {}};
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
      // Each guarded job in a savepoint, so that one that fails leaves nothing behind.
      // Savepoints go through the simple query path (PostgreSQL cannot prepare them), and
      // releasing one and taking the next is one round trip: one stays open between
      // guarded jobs, and is released before an unguarded one.
      bool savepoint = false;
      if (outcome.ok()) {
        for (Job& job : batch) {
          if (job.guarded && !savepoint) outcome = conn->ExecScript("SAVEPOINT job");
          if (!job.guarded && savepoint) outcome = conn->ExecScript("RELEASE SAVEPOINT job");
          if (!outcome.ok()) break;
          savepoint = job.guarded;
          Result<void> r = Ok();
          try {
            r = job.fn(*conn);
          } catch (const std::exception& e) {
            r = Error::Internal(std::string("write job threw: ") + e.what());
          }
          Result<void> next = Ok();
          if (job.guarded) {
            next = conn->ExecScript(r.ok() ? "RELEASE SAVEPOINT job; SAVEPOINT job" : "ROLLBACK TO SAVEPOINT job");
          } else if (!r.ok()) {
            // A refusal that wrote nothing leaves the transaction usable; a failed statement
            // may not have (PostgreSQL aborts the transaction): ask.
            auto probe = conn->Query("SELECT 1");
            if (!probe.ok()) next = std::move(probe).error();
          }
          if (!next.ok()) {
            // The transaction cannot go on: this job and the rest of the batch fail.
            if (r.ok()) r = next.error();
            outcome = std::move(next).error();
          }
          results.push_back(std::move(r));
          if (!outcome.ok()) break;
        }
        while (results.size() < batch.size()) results.push_back(outcome);
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
      batch[i].done.set_value(outcome.ok() ? std::move(results[i]) : outcome);
    }
  }
}

}  // namespace solidum::store
