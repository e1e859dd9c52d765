#include "apply/loader_pool.hpp"

#include <mysql.h>

#include "sql/statement_builder.hpp"

#include <algorithm>
#include <cstring>

namespace ferry::load {

LoaderPool::Loader::~Loader() {
  if (stmt != nullptr) mysql_stmt_close(stmt);
}

LoaderPool::LoaderPool(const sdk::Host& host, size_t buffer_bytes) : host_(host), buffer_bytes_(buffer_bytes) {}

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

std::optional<tidb::DownstreamError> LoaderPool::start(const tidb::DownstreamOptions& options, uint32_t count,
                                                      const tidb::SessionLocks& locks) {
  for (uint32_t i = 0; i < count; ++i) {
    auto l = std::make_unique<Loader>();
    l->pool = this;
    if (auto e = l->conn.connect(options)) return e;
    bool supported = true;  // the sink warned already when it is not
    if (auto e = locks.hold(l->conn, "l" + std::to_string(i), 0, tidb::kSessionLockWait, supported)) return e;
    if (options.local_infile) {
      mysql_set_local_infile_handler(l->conn.handle(), &LoaderPool::infile_init, &LoaderPool::infile_read,
                                     &LoaderPool::infile_end, &LoaderPool::infile_error, l.get());
    }
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
  const size_t bytes = job.bytes();
  cv_.wait(lock, [&] { return failure_ || stopping_ || queued_bytes_ == 0 || queued_bytes_ + bytes <= buffer_bytes_; });
  if (failure_ || stopping_) return false;
  queued_bytes_ += bytes;
  l.jobs.push_back(std::move(job));
  cv_.notify_all();
  return true;
}

bool LoaderPool::statement(int i, std::string sql) { return push(i, Job{Job::Statement, std::move(sql), {}, {}, {}}); }
bool LoaderPool::lenient_statement(int i, LenientStatement statement) {
  return push(i, Job{Job::Lenient, std::move(statement.sql), {}, std::move(statement.expected_warnings), {}});
}
bool LoaderPool::load_data(int i, std::string sql) { return push(i, Job{Job::LoadData, std::move(sql), {}, {}, {}}); }
bool LoaderPool::data(int i, std::string rows) { return push(i, Job{Job::Data, std::move(rows), {}, {}, {}}); }
bool LoaderPool::data_end(int i) { return push(i, Job{Job::DataEnd, {}, {}, {}, {}}); }
bool LoaderPool::bulk(int i, const std::string& statement, BulkBatch batch) {
  return push(i, Job{Job::Bulk, statement, {}, {}, std::make_unique<BulkBatch>(std::move(batch))});
}

bool LoaderPool::commit(int i, std::string checkpoint_sql, std::string chunk_id) {
  return push(i, Job{Job::Commit, std::move(checkpoint_sql), std::move(chunk_id), {}, {}});
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

std::optional<LoaderPool::Job> LoaderPool::next_job(Loader& l) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stopping_ || failure_ || !l.jobs.empty(); });
  if (stopping_ || failure_) return std::nullopt;
  Job job = std::move(l.jobs.front());
  l.jobs.pop_front();
  queued_bytes_ -= job.bytes();
  cv_.notify_all();
  return job;
}

// The client library asks for the file's bytes on the loader's own thread, while the LOAD DATA
// runs: they come from the loader's queue, block after block, until DATA_END.
int LoaderPool::infile_init(void** ptr, const char* /*file*/, void* userdata) {
  auto* l = static_cast<Loader*>(userdata);
  l->block.clear();
  l->block_sent = 0;
  l->data_ended = false;
  *ptr = l;
  return 0;
}

int LoaderPool::infile_read(void* ptr, char* buf, unsigned int len) {
  auto* l = static_cast<Loader*>(ptr);
  while (l->block_sent >= l->block.size()) {
    if (l->data_ended) return 0;
    std::optional<Job> job = l->pool->next_job(*l);
    if (!job) return -1;  // stopping or failed: the statement fails and rolls back
    if (job->kind == Job::DataEnd) {
      l->data_ended = true;
      return 0;
    }
    if (job->kind != Job::Data) return -1;
    l->block = std::move(job->sql);
    l->block_sent = 0;
  }
  const size_t n = std::min<size_t>(len, l->block.size() - l->block_sent);
  std::memcpy(buf, l->block.data() + l->block_sent, n);
  l->block_sent += n;
  return static_cast<int>(n);
}

void LoaderPool::infile_end(void* /*ptr*/) {}

int LoaderPool::infile_error(void* /*ptr*/, char* msg, unsigned int len) {
  std::snprintf(msg, len, "ferry stopped feeding the chunk's rows");
  return 2000;  // CR_UNKNOWN_ERROR
}

std::optional<tidb::DownstreamError> LoaderPool::unexpected_warnings(Loader& l, std::vector<std::string> expected) {
  const unsigned count = mysql_warning_count(l.conn.handle());
  if (count == 0) return std::nullopt;
  tidb::ResultRows rows;
  if (auto e = l.conn.query("SHOW WARNINGS", rows)) return e;
  std::string bad;
  for (const auto& r : rows) {
    if (r.size() < 3 || r[1].value_or("") == "1062") continue;
    const std::string message = r[2].value_or("");
    if (r[1].value_or("") == "1265") {
      if (auto it = std::find(expected.begin(), expected.end(), message); it != expected.end()) {
        expected.erase(it);
        continue;
      }
    }
    if (bad.size() < 600) bad += (bad.empty() ? "" : "; ") + message;
  }
  // Warnings past the server's max_error_count are not shown: unexplained, unless none but
  // duplicates were (IGNORE's, as before) and none was expected.
  if (rows.size() < count && (!bad.empty() || !expected.empty())) {
    bad += (bad.empty() ? "" : "; ") + std::to_string(count - rows.size()) + " more warnings the server did not keep";
  }
  if (bad.empty()) return std::nullopt;
  return tidb::DownstreamError{1265, "the downstream changed values while loading them: " + bad};  // WARN_DATA_TRUNCATED
}

std::optional<tidb::DownstreamError> LoaderPool::run_load_data(Loader& l, const std::string& sql) {
  if (auto e = l.conn.execute(sql)) return e;
  // LOCAL turns what strict mode rejects into warnings: any but a duplicate key means a value did
  // not go in as it came, and fails the chunk.
  return unexpected_warnings(l, {});
}

std::optional<tidb::DownstreamError> LoaderPool::run_bulk(Loader& l, const Job& job) {
  auto stmt_error = [&] { return tidb::DownstreamError{mysql_stmt_errno(l.stmt), mysql_stmt_error(l.stmt)}; };
  if (l.stmt == nullptr || l.prepared != job.sql) {
    if (l.stmt != nullptr) mysql_stmt_close(l.stmt);
    l.prepared.clear();
    l.stmt = mysql_stmt_init(l.conn.handle());
    if (l.stmt == nullptr) return tidb::DownstreamError{0, "out of memory preparing a statement"};
    if (mysql_stmt_prepare(l.stmt, job.sql.data(), job.sql.size()) != 0) return stmt_error();
    l.prepared = job.sql;
  }
  std::vector<MYSQL_BIND> binds(mysql_stmt_param_count(l.stmt));
  if (binds.size() != job.batch->columns()) {
    return tidb::DownstreamError{0, "the bulk statement has " + std::to_string(binds.size()) + " parameters for " +
                                        std::to_string(job.batch->columns()) + " columns"};
  }
  unsigned int rows = job.batch->bind(binds.data());
  if (mysql_stmt_attr_set(l.stmt, STMT_ATTR_ARRAY_SIZE, &rows) != 0 || mysql_stmt_bind_param(l.stmt, binds.data()) != 0 ||
      mysql_stmt_execute(l.stmt) != 0) {
    return stmt_error();
  }
  // INSERT IGNORE warns on a duplicate, which is what it was asked to do; any other warning
  // means a value did not go in as it came.
  return unexpected_warnings(l, {});
}

std::optional<tidb::DownstreamError> LoaderPool::run_lenient(Loader& l, const Job& job) {
  auto error = l.conn.execute(std::string(tidb::kStrictModeOff) + ";" + job.sql);
  if (!error) error = unexpected_warnings(l, job.expected_warnings);
  auto restored = l.conn.execute(tidb::kStrictModeRestore);
  return error ? error : restored;
}

void LoaderPool::run(Loader& l) {
  for (;;) {
    std::optional<Job> next = next_job(l);
    if (!next) return;
    Job& job = *next;
    std::string sql;
    if (!l.in_transaction) {
      sql = "START TRANSACTION;";
      l.in_transaction = true;
    }
    std::optional<tidb::DownstreamError> error;
    if (job.kind == Job::LoadData || job.kind == Job::Lenient || job.kind == Job::Bulk) {
      if (!sql.empty()) error = l.conn.execute("START TRANSACTION");
      if (!error) {
        error = job.kind == Job::LoadData ? run_load_data(l, job.sql) : job.kind == Job::Bulk ? run_bulk(l, job) : run_lenient(l, job);
      }
    } else {
      sql += job.sql;
      if (job.kind == Job::Commit) sql += ";COMMIT";
      error = l.conn.execute(sql);
    }
    if (error) {
      // ER_DUP_ENTRY: the row is downstream already, and on-duplicate says stop.
      const bool duplicate = error->code == 1062;
      std::string what = job.kind == Job::Commit ? "committing chunk " + job.chunk_id : "loading a chunk";
      fail(LoadFailure{what + ": " + error->text() +
                           (duplicate ? " (the downstream table already holds this row; empty it, or set on-duplicate: replace)"
                                      : error->transient() ? " (the chunk was rolled back and is loaded again)" : ""),
                       duplicate, error->transient()});
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
