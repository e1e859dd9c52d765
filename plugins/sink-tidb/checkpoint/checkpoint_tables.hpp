// The checkpoint tables in the downstream's meta schema.
//
// `{task}_syncer_checkpoint` has DM's exact columns: one global row per source (the position
// everything before which is applied) and one row per table. ferry writes the global row after
// draining every worker, as DM does.
//
// `{task}_syncer_worker_checkpoint` is ferry's own, for atomic transactions: each DML worker's
// downstream transaction also writes that worker's row, holding the low watermark (every
// upstream transaction ending at or before it is applied) and the end positions of the
// transactions above it that this worker has applied. Workers commit out of order; after a
// crash the union of these rows says exactly which transactions are in, so none is applied
// twice and none is lost, with no safe mode.
#pragma once

#include "checkpoint/binlog_point.hpp"
#include "downstream/downstream_connection.hpp"
#include "sql/value_literal.hpp"

#include <optional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ferry::tidb {

struct RecoveredState {
  std::optional<BinlogPoint> global;     // the global row
  std::optional<BinlogPoint> exit_safe;  // DM's exit_safe_binlog_*: safe mode until past it
  std::optional<BinlogPoint> resume;     // where to start: the highest known-complete point
  std::set<BinlogPoint> applied;         // transactions after `resume` already applied
  // DM's table rows (is_global = 0): how far each table's changes are downstream.
  std::map<std::pair<std::string, std::string>, BinlogPoint> tables;
};

class CheckpointTables {
 public:
  CheckpointTables(std::string meta_schema, const std::string& task, std::string source_id, LiteralStyle style);

  // CREATE SCHEMA / TABLE IF NOT EXISTS.
  std::optional<DownstreamError> ensure(DownstreamConnection& conn) const;
  // DM's --remove-meta: this task's checkpoint rows are dropped.
  std::optional<DownstreamError> remove(DownstreamConnection& conn) const;
  std::optional<DownstreamError> load(DownstreamConnection& conn, RecoveredState& out) const;

  // Upserts, as SQL to run inside a caller's transaction.
  std::string global_upsert(const BinlogPoint& point, const std::optional<BinlogPoint>& exit_safe) const;
  std::string table_upsert(const std::string& schema, const std::string& table, const BinlogPoint& point,
                           const std::string& table_info_json) const;
  std::string worker_upsert(uint32_t worker, const BinlogPoint& low, const std::vector<BinlogPoint>& applied) const;
  // SELECT binlog_name, binlog_pos, applied of one worker's row.
  std::string worker_row_query(uint32_t worker) const;
  // SELECT the highest worker number with a row (NULL when none).
  std::string max_worker_query() const;

  const std::string& checkpoint_table() const { return checkpoint_table_; }
  const std::string& worker_table() const { return worker_table_; }

 private:
  std::string q(std::string_view s) const;  // a string literal for the session's sql_mode

  std::string meta_schema_;
  std::string source_id_;
  std::string checkpoint_table_;  // `meta`.`task_syncer_checkpoint`
  std::string worker_table_;
  LiteralStyle style_;
};

// "file:pos file:pos" and back.
std::string encode_points(const std::vector<BinlogPoint>& points);
std::vector<BinlogPoint> decode_points(std::string_view text);

}  // namespace ferry::tidb
