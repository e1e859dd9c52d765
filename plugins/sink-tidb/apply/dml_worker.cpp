#include "apply/dml_worker.hpp"

#include <ferry/abi/ferry_errors.h>

#include <mysqld_error.h>

#include <algorithm>

namespace ferry::tidb {

namespace {

constexpr size_t kShownSqlBytes = 2000;

std::string shorten(std::string_view s, size_t limit) {
  if (s.size() <= limit) return std::string(s);
  return std::string(s.substr(0, limit)) + "... (" + std::to_string(s.size()) + " bytes)";
}

}  // namespace

DmlWorker::DmlWorker(uint32_t index, const WorkerConfig& config, const CheckpointTables& tables,
                     const SessionLocks& locks, CommitTracker& tracker, const sdk::Host& host,
                     const std::vector<BinlogPoint>& recovered)
    : index_(index), config_(config), tables_(tables), locks_(locks), tracker_(tracker), host_(host),
      applied_above_low_(recovered.begin(), recovered.end()) {
  thread_ = std::thread([this] { run(); });
}

DmlWorker::~DmlWorker() { stop(); }

void DmlWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DmlWorker::push(std::unique_ptr<ChangeUnit> unit) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(unit));
  }
  wake_.notify_one();
}

void DmlWorker::run() {
  // Connect now, not at the first unit: the session lock is held from the start, so a second
  // ferry started on this task meets it (at its own start) instead of both applying.
  if (auto e = connect(); e && e->code == 1205) {
    tracker_.fail(ApplyFailure{FERRY_E_DOWNSTREAM_EXECUTE, e->message});
    return;
  }  // other errors: the first unit connects again, with retries
  std::vector<std::unique_ptr<ChangeUnit>> group;
  while (true) {
    group.clear();
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      // Whatever is queued, up to `batch` rows: never wait for more.
      size_t rows = 0;
      while (!queue_.empty() && (group.empty() || rows + queue_.front()->rows.size() <= config_.batch_rows)) {
        rows += queue_.front()->rows.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!apply(group)) return;  // failed: the tracker holds the failure; the task pauses
  }
}

std::optional<DownstreamError> DmlWorker::connect() {
  const uint64_t previous = conn_.session_id();
  if (auto e = conn_.connect(config_.downstream)) return e;
  bool supported = true;
  if (auto e = locks_.hold(conn_, "w" + std::to_string(index_), previous, kSessionLockWait, supported)) {
    conn_.close();
    return e;
  }
  if (!supported && !warned_no_locks_) {
    warned_no_locks_ = true;
    host_.warn("the downstream has no GET_LOCK: a transaction of a session lost mid-commit may be applied twice worker=" +
               std::to_string(index_));
  }
  return std::nullopt;
}

std::optional<DownstreamError> DmlWorker::execute(const std::vector<Statement>& statements, const std::string& progress,
                                                  size_t& failed_statement) {
  // One transaction, sent in as few round trips as the packet limit allows. `owner[k]` is the
  // statement the script's k-th ';'-separated piece belongs to (statements.size() for ferry's own).
  const size_t own = statements.size();
  std::string script = "START TRANSACTION";
  std::vector<size_t> owner{own};
  auto send = [&]() -> std::optional<DownstreamError> {
    auto e = conn_.execute(script);
    if (e) {
      const size_t piece = e->statement < 0 ? 0 : static_cast<size_t>(e->statement);
      failed_statement = piece < owner.size() ? owner[piece] : own;
      conn_.execute("ROLLBACK");
    }
    script.clear();
    owner.clear();
    return e;
  };
  auto add = [&](const std::string& sql, size_t pieces, size_t who) -> std::optional<DownstreamError> {
    const size_t limit = config_.max_packet > 4096 ? config_.max_packet - 1024 : config_.max_packet;
    if (!script.empty() && script.size() + 1 + sql.size() > limit) {
      if (auto e = send()) return e;
    }
    if (!script.empty()) script.push_back(';');
    script += sql;
    owner.insert(owner.end(), pieces, who);
    return std::nullopt;
  };
  for (size_t i = 0; i < statements.size(); ++i) {
    if (auto e = add(statements[i].sql, statements[i].pieces, i)) return e;
  }
  if (!progress.empty()) {
    if (auto e = add(progress, 1, own)) return e;
  }
  if (auto e = add("COMMIT", 1, own)) return e;
  return send();
}

bool DmlWorker::wait_alone() {
  // Everything in flight must then be this worker's: its group and what is queued behind it
  // (or another holding worker's).
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return false;
      tracker_.hold(index_, queue_.size() + current_group_size_, current_first_seq_);
    }
    if (tracker_.wait_alone(index_, std::chrono::milliseconds(100))) return true;
  }
}

std::optional<DownstreamError> DmlWorker::committed_already(const BinlogPoint& last, bool& committed) {
  // A connection lost while the transaction was committing leaves the outcome unknown; the
  // worker's checkpoint row, written in that transaction, says which it was.
  committed = false;
  ResultRows rows;
  if (auto e = conn_.query(tables_.worker_row_query(index_), rows)) return e;
  if (rows.empty()) return std::nullopt;
  BinlogPoint low{rows[0][0].value_or(""), 0, ""};
  if (rows[0][1]) low.pos = std::stoull(*rows[0][1]);
  if (!(low < last)) {
    committed = true;
    return std::nullopt;
  }
  for (const auto& p : decode_points(rows[0][2].value_or(""))) {
    if (p == last) committed = true;
  }
  return std::nullopt;
}

std::string DmlWorker::describe_failure(const DownstreamError& e, const std::vector<const ChangeUnit*>& units,
                                        const std::vector<Statement>& statements, size_t failed) const {
  std::string msg = "downstream " + e.text();
  if (failed < statements.size()) {
    const Statement& s = statements[failed];
    const ChangeUnit& u = *units[s.unit];
    const RenderedRow& row = u.rows[s.row];
    msg += "; sql: " + shorten(s.sql, kShownSqlBytes);
    msg += (s.row_count > 1 ? "; first of " + std::to_string(s.row_count) + " rows: " : std::string("; row: ")) +
           row.plan->source + " " + shorten(row.values.empty() ? u.span(row.where) : u.span(row.values), 500);
    msg += "; upstream position: " + u.end.file + ":" + std::to_string(row.binlog_pos) + " (transaction ending at " +
           u.end.text() + (u.gtid.empty() ? "" : ", gtid " + u.gtid) + ")";
  }
  return msg;
}

bool DmlWorker::apply(std::vector<std::unique_ptr<ChangeUnit>>& group) {
  current_group_size_ = group.size();
  current_first_seq_ = group.front()->seq;
  std::vector<const ChangeUnit*> units;
  std::vector<uint64_t> seqs;
  size_t rows = 0;
  for (const auto& u : group) {
    units.push_back(u.get());
    seqs.push_back(u->seq);
    rows += u->rows.size();
  }
  BuildOptions build = config_.build;
  build.max_statement_bytes = std::min(build.max_statement_bytes, config_.max_packet > 4096 ? config_.max_packet - 2048 : config_.max_packet);
  std::vector<Statement> statements;
  build_statements(units, build, statements);

  auto backoff = config_.initial_backoff;
  bool alone = false;  // every other worker drained and the coordinator held back (see below)
  struct Release {
    CommitTracker& tracker;
    uint32_t worker;
    bool& alone;
    ~Release() {
      if (alone) tracker.release(worker);
    }
  } release{tracker_, index_, alone};
  bool outcome_unknown = false;  // a connection was lost mid-transaction: check before redoing it
  for (uint32_t attempt = 0;; ++attempt) {
    std::optional<DownstreamError> error;
    size_t failed = statements.size();
    std::vector<BinlogPoint> applied;
    if (!conn_.connected()) error = connect();
    if (!error && outcome_unknown) {
      bool committed = false;
      error = committed_already(units.back()->end, committed);
      if (!error && committed) {
        host_.info("a transaction whose commit was interrupted is in; not applying it again worker=" +
                   std::to_string(index_) + " position=" + units.back()->end.text());
        const BinlogPoint low = tracker_.low();
        std::erase_if(applied_above_low_, [&](const BinlogPoint& p) { return !(low < p); });
        for (const auto* u : units) {
          if (low < u->end) applied_above_low_.push_back(u->end);
        }
        rows_applied_.fetch_add(rows, std::memory_order_relaxed);
        tracker_.done(seqs);
        return true;
      }
      if (!error) outcome_unknown = false;
    }
    if (!error) {
      std::string progress;
      if (config_.atomic) {
        const BinlogPoint low = tracker_.low();
        std::erase_if(applied_above_low_, [&](const BinlogPoint& p) { return !(low < p); });
        applied.assign(applied_above_low_.begin(), applied_above_low_.end());
        for (const auto* u : units) {
          if (low < u->end) applied.push_back(u->end);
        }
        progress = tables_.worker_upsert(index_, low, applied);
      }
      error = execute(statements, progress, failed);
    }
    if (!error) {
      if (config_.atomic) applied_above_low_.assign(applied.begin(), applied.end());
      rows_applied_.fetch_add(rows, std::memory_order_relaxed);
      tracker_.done(seqs);
      return true;
    }
    if (error->connection_lost()) {
      conn_.close();
      if (config_.atomic) outcome_unknown = true;
      if (!config_.atomic && !build.force_safe) {
        // Some of it may be in: apply it again idempotently.
        build.force_safe = true;
        statements.clear();
        build_statements(units, build, statements);
      }
    }
    if (error->code == ER_DUP_ENTRY && !alone && config_.workers > 1) {
      // A unique key causality did not know about (the downstream has one the upstream lacks,
      // or a collation folds values differently) can make another worker's earlier change
      // collide with this one. Once every other worker has drained, this runs alone; if it
      // still fails, the row really is there.
      host_.info("duplicate key with other workers running; retrying alone worker=" + std::to_string(index_) +
                 " error=\"" + error->text() + "\"");
      alone = true;  // from here on the coordinator is held, until this group is done
      if (!wait_alone()) return false;
      --attempt;
      continue;
    }
    if (!error->transient() || attempt >= config_.max_retries) {
      const bool exhausted = error->transient();
      tracker_.fail(ApplyFailure{exhausted ? FERRY_E_TASK_RETRIES_EXHAUSTED : FERRY_E_DOWNSTREAM_EXECUTE,
                                 (exhausted ? "gave up after " + std::to_string(attempt + 1) + " attempts: " : std::string()) +
                                     describe_failure(*error, units, statements, failed)});
      return false;
    }
    host_.warn("downstream transient error, retrying worker=" + std::to_string(index_) + " attempt=" +
               std::to_string(attempt + 1) + " error=\"" + error->text() + "\"");
    host_.counter_add("downstream_retries_total", 1);
    {
      std::unique_lock lock(mu_);
      if (wake_.wait_for(lock, backoff, [&] { return stopping_; })) return false;
    }
    backoff = std::min(backoff * 2, config_.max_backoff);
  }
}

}  // namespace ferry::tidb
