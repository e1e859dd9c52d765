// The `mysql-dump` source: a consistent snapshot of the chosen tables, streamed as DDL events
// (CREATE DATABASE / CREATE TABLE IF NOT EXISTS) and then chunk after chunk of INSERT rows, each
// chunk bracketed by TXN_BEGIN / TXN_COMMIT carrying its token, and a FINAL checkpoint at the
// position a sync phase starts from.
//
// Resuming: the load sink hands back the tokens of the chunks it committed (a JSON array of
// them as the start position's token); the dump takes a new snapshot and reads only the key
// ranges those chunks do not cover. The final checkpoint then starts the sync at the earliest
// snapshot any loaded chunk came from, with a hand-over note (ferry/sdk/handover.hpp) making it
// idempotent up to the latest.
#pragma once

#include "read/chunk_readers.hpp"
#include "schema/dump_table.hpp"
#include "snapshot/consistent_snapshot.hpp"
#include "source/ddl_queue.hpp"
#include "source/dump_options.hpp"

#include <ferry/sdk/host.hpp>
#include <ferry/sdk/plugin.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferry::dump {

class MysqlDumpSource final : public sdk::Source {
 public:
  static constexpr const char* kName = "mysql-dump";
  static constexpr const char* kDescription =
      "consistent snapshot of MySQL/MariaDB tables, read in parallel chunks (the full phase's source)";
  static constexpr const char* kVersion = "1.0";
  static constexpr uint32_t kFlags = 0;
  static void describe(sdk::ConfigSchema& schema) { describe_dump_options(schema); }

  MysqlDumpSource(const sdk::Host& host, const sdk::Config& config);
  ~MysqlDumpSource() override;

  sdk::Status open(const ferry_position* start) override;
  sdk::Status poll(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) override;

 private:
  sdk::Status plan(Snapshot& snapshot, const std::map<std::string, std::vector<Chunk>>& done, std::deque<ChunkWork>& work);
  sdk::Status plan_table(mysql::UpstreamConnection& conn, const DumpTable& t, const std::vector<Chunk>& done,
                         std::deque<ChunkWork>& work);
  // An integer key's ranges `todo`, cut by arithmetic on the key's MIN and MAX in each.
  // Rows per chunk of `t`: `rows`, or what `chunk-size` bytes hold of its average row.
  uint64_t chunk_rows(const DumpTable& t) const;
  sdk::Status plan_integer_ranges(mysql::UpstreamConnection& conn, const DumpTable& t, const std::vector<KeyRange>& todo,
                                  const std::function<void(const KeyRange&, uint64_t)>& make);
  // Emits rows of the current stream while there is room; false when the stream is not done.
  sdk::Status emit_rows(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool& chunk_done);
  void set_position(ferry_event& e, sdk::BatchWriter& out);
  ferry_position position_in(sdk::BatchWriter& out);  // the position this batch's events share
  void emit_final(sdk::BatchWriter& out);
  // A chunk of `t` is streamed whole; the last one logs the table as read.
  void table_read(const DumpTable& t);

  sdk::Host host_;
  DumpOptions options_;
  std::deque<DumpTable> tables_;
  DdlQueue ddl_;
  SnapshotPoint at_, until_;       // this run's snapshot
  SnapshotPoint start_, safe_until_;  // the hand-over: earliest and latest of every chunk's snapshot
  // Tables read whole, and the snapshot each was read in (the sync skips their changes up to it).
  std::map<std::pair<std::string, std::string>, SnapshotPoint> table_read_at_;
  uint8_t gtid_flavor_ = FERRY_GTID_MARIADB;
  std::unique_ptr<ChunkReaders> readers_;
  std::shared_ptr<ChunkStream> current_;
  std::optional<RowBlock> block_;
  std::optional<BlockCursor> cursor_;
  bool began_ = false;  // TXN_BEGIN of current_ emitted
  bool finished_ = false;
  uint64_t chunks_total_ = 0, chunks_done_ = 0, rows_done_ = 0, bytes_done_ = 0;
  uint64_t planned_rows_ = 0;  // the catalog's estimate of what this run reads
  double planned_bytes_ = 0;   // and of its size (rows x the table's average row on disk)
  struct TableLeft {
    uint64_t chunks = 0, rows = 0, bytes = 0;
  };
  std::map<const DumpTable*, TableLeft> tables_left_;
  std::chrono::steady_clock::time_point started_;
  ferry_position pos_{};  // the position events of this batch share
  const ferry_batch* pos_batch_ = nullptr;  // the batch pos_ was copied into; cleared at every poll
  const SnapshotPoint* pos_point_ = nullptr;
};

}  // namespace ferry::dump
