#include "apply/loader_pool.hpp"

namespace ferry::load {

LoaderPool::LoaderPool(const sdk::Host& host, size_t queue_bytes) : host_(host), queue_bytes_(queue_bytes) {}

LoaderPool::~LoaderPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  // A chunk still open is rolled back when its connection closes: never half-loaded.
  for (auto& l : loaders_) {
    if (l->thread.joinable()) l->thread.join();
  }
}

std::optional<tidb::DownstreamError> LoaderPool::start(const tidb::DownstreamOptions& options, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) {
    auto l = std::make_unique<Loader>();
    if (auto e = l->conn.connect(options)) return e;
    loaders_.push_back(std::move(l));
  }
  for (auto& l : loaders_) l->thread = std::thread([this, p = l.get()] { run(*p); });
  return std::nullopt;
}

int LoaderPool::acquire() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (failure_ || stopping_) return -1;
    for (size_t i = 0; i < loaders_.size(); ++i) {
      if (!loaders_[i]->assigned) {
        loaders_[i]->assigned = true;
        return static_cast<int>(i);
      }
    }
    cv_.wait(lock);
  }
}

bool LoaderPool::push(int i, Job job) {
  std::unique_lock lock(mu_);
  Loader& l = *loaders_[static_cast<size_t>(i)];
  cv_.wait(lock, [&] { return failure_ || stopping_ || l.queued_bytes < queue_bytes_; });
  if (failure_ || stopping_) return false;
  l.queued_bytes += job.sql.size();
  l.jobs.push_back(std::move(job));
  cv_.notify_all();
  return true;
}

bool LoaderPool::statement(int i, std::string sql) { return push(i, Job{Job::Statement, std::move(sql), {}}); }

bool LoaderPool::commit(int i, std::string checkpoint_sql, std::string chunk_id) {
  return push(i, Job{Job::Commit, std::move(checkpoint_sql), std::move(chunk_id)});
}

bool LoaderPool::drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] {
    if (failure_ || stopping_) return true;
    for (const auto& l : loaders_) {
      if (l->assigned) return false;
    }
    return true;
  });
  return !failure_;
}

std::optional<LoadFailure> LoaderPool::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

uint64_t LoaderPool::chunks_committed() const {
  std::lock_guard lock(mu_);
  return committed_;
}

void LoaderPool::fail(LoadFailure f) {
  std::lock_guard lock(mu_);
  if (!failure_) failure_ = std::move(f);
  cv_.notify_all();
}

void LoaderPool::run(Loader& l) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || failure_ || !l.jobs.empty(); });
      if (stopping_ || failure_) return;
      job = std::move(l.jobs.front());
      l.jobs.pop_front();
      l.queued_bytes -= job.sql.size();
      cv_.notify_all();
    }
    std::string sql;
    if (!l.in_transaction) {
      sql = "START TRANSACTION;";
      l.in_transaction = true;
    }
    sql += job.sql;
    if (job.kind == Job::Commit) sql += ";COMMIT";
    if (auto e = l.conn.execute(sql)) {
      // ER_DUP_ENTRY: the row is downstream already, and on-duplicate says stop.
      const bool duplicate = e->code == 1062;
      std::string what = job.kind == Job::Commit ? "committing chunk " + job.chunk_id : "loading a chunk";
      fail(LoadFailure{what + ": " + e->text() +
                           (duplicate ? " (the downstream table already holds this row; empty it, or set on-duplicate: replace)"
                                      : e->transient() ? " (the chunk was rolled back and is loaded again)" : ""),
                       duplicate, e->transient()});
      return;
    }
    if (job.kind == Job::Commit) {
      l.in_transaction = false;
      std::lock_guard lock(mu_);
      l.assigned = false;
      ++committed_;
      cv_.notify_all();
    }
  }
}

}  // namespace ferry::load
