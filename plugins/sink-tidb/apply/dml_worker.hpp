// DmlWorker: one downstream connection and one thread applying the units causality gave it, in
// order. It takes what is queued up to `batch` rows (never waiting for more: DM's rule, a batch
// runs when it is full or the queue is empty) and applies them in one downstream transaction,
// sent as few multi-statement round trips as max_allowed_packet allows. In atomic mode that
// transaction also writes the worker's checkpoint row. Transient errors (lost connection,
// deadlock, lock wait timeout, a restarting server) roll back and retry with capped backoff.
#pragma once

#include "apply/change_unit.hpp"
#include "apply/commit_tracker.hpp"
#include "checkpoint/checkpoint_tables.hpp"
#include "downstream/downstream_connection.hpp"
#include "downstream/session_lock.hpp"
#include "sql/statement_builder.hpp"

#include <ferry/sdk/host.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ferry::tidb {

struct WorkerConfig {
  DownstreamOptions downstream;
  BuildOptions build;
  size_t max_packet = 16u << 20;   // the downstream's max_allowed_packet
  uint32_t batch_rows = 100;
  bool atomic = true;
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{10000};
  uint32_t max_retries = 30;
  uint32_t workers = 1;  // how many workers share the downstream
};

class DmlWorker {
 public:
  // `recovered` are the transactions above the resume point that the previous run applied: the
  // worker's row keeps listing them until the low watermark passes them, or a crash before that
  // would forget them and apply them twice.
  // `locks`: the worker's session holds lock "w<index>" (downstream/session_lock.hpp).
  DmlWorker(uint32_t index, const WorkerConfig& config, const CheckpointTables& tables, const SessionLocks& locks,
            CommitTracker& tracker, const sdk::Host& host, const std::vector<BinlogPoint>& recovered);
  ~DmlWorker();
  DmlWorker(const DmlWorker&) = delete;
  DmlWorker& operator=(const DmlWorker&) = delete;

  void push(std::unique_ptr<ChangeUnit> unit);
  // Stops the thread; units still queued are dropped (they are not committed, so a restart
  // applies them again).
  void stop();

  uint64_t rows_applied() const { return rows_applied_.load(std::memory_order_relaxed); }

 private:
  void run();
  // Applies the group; returns once it is committed or on a permanent failure (reported to the
  // tracker; false).
  bool apply(std::vector<std::unique_ptr<ChangeUnit>>& group);
  // Connects, and takes the worker's session lock before anything is read or written: an
  // earlier session of this worker that may still commit is ended first.
  std::optional<DownstreamError> connect();
  std::optional<DownstreamError> execute(const std::vector<Statement>& statements, const std::string& progress,
                                         size_t& failed_statement);
  // Whether the transaction ending at `last` is committed, from this worker's checkpoint row.
  std::optional<DownstreamError> committed_already(const BinlogPoint& last, bool& committed);
  // Holds the coordinator and waits until no other worker has anything in flight. False when
  // the worker is being stopped.
  bool wait_alone();
  std::string describe_failure(const DownstreamError& e, const std::vector<const ChangeUnit*>& units,
                               const std::vector<Statement>& statements, size_t failed) const;

  const uint32_t index_;
  const WorkerConfig& config_;
  const CheckpointTables& tables_;
  const SessionLocks& locks_;
  bool warned_no_locks_ = false;
  CommitTracker& tracker_;
  const sdk::Host& host_;
  DownstreamConnection conn_;
  std::deque<BinlogPoint> applied_above_low_;
  size_t current_group_size_ = 0;
  uint64_t current_first_seq_ = 0;  // atomic mode: this worker's committed ends above the low

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<ChangeUnit>> queue_;
  bool stopping_ = false;
  std::atomic<uint64_t> rows_applied_{0};
  std::thread thread_;
};

}  // namespace ferry::tidb
