// The `tidb` sink: applies row changes and DDL to a MySQL-protocol downstream (TiDB, MySQL,
// MariaDB) the way DM's sync unit does, with exactly-once atomic transactions as the default.
//
// The sink thread is the coordinator: it renders each row change to SQL fragments, groups them
// into units (a whole upstream transaction in atomic mode, one row otherwise), asks causality
// which DML worker may run each unit, and hands it over. DDL and CHECKPOINT events drain every
// worker first; a CHECKPOINT then writes DM's checkpoint rows. See docs/sync.md.
#pragma once

#include "apply/causality.hpp"
#include "apply/commit_tracker.hpp"
#include "apply/dml_worker.hpp"
#include "checkpoint/checkpoint_tables.hpp"
#include "downstream/session_lock.hpp"
#include "sink/sink_options.hpp"
#include "sql/row_renderer.hpp"

#include <ferry/sdk/plugin.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ferry::tidb {

class TidbSink final : public sdk::Sink {
 public:
  static constexpr const char* kName = "tidb";
  static constexpr const char* kDescription =
      "apply row changes and DDL to TiDB or any MySQL-protocol database, in parallel, exactly once";
  static constexpr const char* kVersion = "1.0";
  static constexpr uint32_t kFlags = FERRY_SINK_OWNS_CHECKPOINT;
  static void describe(sdk::ConfigSchema& schema) { describe_sink_options(schema); }

  TidbSink(const sdk::Host& host, const sdk::Config& config);
  ~TidbSink() override;

  sdk::Status open() override;
  sdk::Status write(const ferry_batch& batch) override;
  sdk::Status load_checkpoint(std::optional<Checkpoint>& out) override;

 private:
  sdk::Status prepare();
  // Before the checkpoint is read: every session of an earlier run has ended (session_lock.hpp).
  sdk::Status wait_for_earlier_sessions();
  // (Re)connects the coordinator's session and takes its lock.
  std::optional<DownstreamError> connect_coordinator();
  sdk::Status on_row(const ferry_event& e);
  sdk::Status on_commit(const ferry_event& e);
  sdk::Status on_ddl(const ferry_event& e);
  sdk::Status on_checkpoint(const ferry_event& e);
  sdk::Status dispatch(std::unique_ptr<ChangeUnit> unit);
  sdk::Status drain();
  sdk::Status flush(const BinlogPoint& point, bool keep_exit_safe);
  sdk::Status run_coordinator_sql(const std::string& sql, const char* what);
  sdk::Status failed(const ApplyFailure& f);
  // A transaction too large to hold: drained workers, then its rows run on the coordinator's
  // connection in one open downstream transaction, chunk by chunk, committed with its row.
  sdk::Status stream_chunk(const ferry_event& e);
  sdk::Status finish_stream(const BinlogPoint& end);
  TablePlan& plan_for(const ferry_row_event& row);
  bool safe_for(const BinlogPoint& end, const ferry_event& e);
  // A row of a table the dump read whole after this row's position: already downstream.
  bool below_table_floor(const ferry_event& e);
  std::unique_ptr<ChangeUnit> new_unit(const ferry_event* begin);

  sdk::Host host_;
  std::string task_;
  SinkOptions options_;
  SessionLocks locks_;
  DownstreamConnection coordinator_;  // DDL and checkpoint flushes
  CharsetNames charsets_;
  LiteralStyle style_;
  std::unique_ptr<CheckpointTables> tables_;
  RecoveredState recovered_;
  bool prepared_ = false;

  std::unique_ptr<CommitTracker> tracker_;
  std::vector<std::unique_ptr<DmlWorker>> workers_;
  std::unique_ptr<Causality> causality_;
  std::unique_ptr<RowRenderer> renderer_;

  struct PlanKey {
    const ferry_table_schema* table;
    std::string target;
    bool operator==(const PlanKey&) const = default;
  };
  struct PlanKeyHash {
    size_t operator()(const PlanKey& k) const { return std::hash<const void*>()(k.table) ^ std::hash<std::string>()(k.target); }
  };
  std::unordered_map<PlanKey, std::unique_ptr<TablePlan>, PlanKeyHash> plans_;
  // Since the last flush, by upstream table (as DM keys its table checkpoints, and as the dump's
  // hand-over floors name them).
  std::map<std::pair<std::string, std::string>, BinlogPoint> dirty_tables_;

  std::unique_ptr<ChangeUnit> current_;  // the open upstream transaction (atomic mode)
  std::string current_gtid_;
  BinlogPoint max_dispatched_;
  BinlogPoint last_commit_;   // the end of the last upstream transaction seen (a boundary)
  BinlogPoint last_flushed_;  // the global checkpoint as last written
  std::optional<BinlogPoint> exit_safe_;  // safe mode until the stream passes it
  std::map<std::pair<std::string, std::string>, BinlogPoint> table_floor_;  // source table -> skip up to
  std::chrono::steady_clock::time_point safe_until_;
  bool exit_point_written_ = false;
  bool streaming_ = false;                        // a large transaction is open on coordinator_
  std::optional<sdk::Status> stream_error_;       // a streamed chunk failed; decided at its COMMIT
  std::vector<BinlogPoint> coordinator_applied_;  // like a worker's list, for streamed transactions
};

}  // namespace ferry::tidb
