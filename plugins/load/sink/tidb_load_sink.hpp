// The `tidb-load` sink: the full phase's sink. Creates schemas and tables from the dump's DDL
// events, then loads each chunk (TXN_BEGIN ... rows ... TXN_COMMIT from the dump) on a free
// loader as one downstream transaction that also records the chunk in the loader checkpoint
// table. The FINAL checkpoint waits for every chunk and records the end of the load with the
// position the sync phase starts from.
//
// load_checkpoint hands the dump back what is loaded: the start position's token is a JSON array
// of the loaded chunks' tokens, and the dump reads only the rest.
#pragma once

#include "apply/loader_pool.hpp"
#include "checkpoint/loader_checkpoint.hpp"
#include "sink/load_options.hpp"
#include "sql/bulk_rows.hpp"
#include "sql/deferred_indexes.hpp"
#include "sql/error_value_rows.hpp"
#include "sql/insert_builder.hpp"
#include "sql/tsv_rows.hpp"

#include <ferry/sdk/plugin.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace ferry::load {

class TidbLoadSink final : public sdk::Sink {
 public:
  static constexpr const char* kName = "tidb-load";
  static constexpr const char* kDescription =
      "bulk-load a dump into TiDB or any MySQL-protocol database, in parallel, each chunk exactly once";
  static constexpr const char* kVersion = "1.0";
  static constexpr uint32_t kFlags = FERRY_SINK_OWNS_CHECKPOINT;
  static void describe(sdk::ConfigSchema& schema) { describe_load_options(schema); }

  TidbLoadSink(const sdk::Host& host, const sdk::Config& config);
  ~TidbLoadSink() override;

  sdk::Status open() override;
  sdk::Status write(const ferry_batch& batch) override;
  sdk::Status load_checkpoint(std::optional<Checkpoint>& out) override;

 private:
  sdk::Status prepare();
  sdk::Status on_begin(const ferry_event& e);
  sdk::Status on_row(const ferry_event& e);
  sdk::Status on_commit(const ferry_event& e);
  sdk::Status on_ddl(const ferry_event& e);
  sdk::Status on_checkpoint(const ferry_event& e);
  sdk::Status pool_failed();
  // Ends the chunk's rows so far: the INSERT being built, or the LOAD DATA being fed, and the
  // statement of rows holding error values.
  sdk::Status flush_rows();
  // Adds a row to the rows of the chunk's current table that go in by bulk, LOAD DATA or INSERT;
  // `added` false with `error` for a value that has no exact text.
  sdk::Status add_plain_row(const ferry_row_event& r, bool& added, std::string& error);
  // Adds the deferred indexes each table is still missing, tables in parallel.
  sdk::Status build_deferred_indexes();

  sdk::Host host_;
  std::string task_;
  LoadOptions options_;
  tidb::SessionLocks locks_;
  tidb::DownstreamConnection coordinator_;  // DDL and the end of the load
  tidb::CharsetNames charsets_;
  tidb::LiteralStyle style_;
  size_t statement_bytes_ = 1u << 20;
  std::unique_ptr<LoaderCheckpoint> checkpoint_;
  LoadState state_;
  bool prepared_ = false;
  std::unique_ptr<LoaderPool> pool_;

  // The chunk being received.
  int loader_ = -1;
  std::string chunk_token_;
  std::unique_ptr<InsertBuilder> builder_;
  const ferry_table_schema* builder_table_ = nullptr;
  bool bulk_ = false;                // rows go in by array-bound INSERTs
  std::unique_ptr<BulkRows> bulk_rows_;  // the table being loaded by them
  std::optional<BulkBatch> bulk_batch_;  // its rows not sent yet
  bool load_data_ = false;           // rows go in by LOAD DATA LOCAL INFILE
  std::unique_ptr<TsvRows> tsv_;     // the table being fed to the chunk's LOAD DATA
  std::string tsv_block_;            // its rows not sent yet
  std::unique_ptr<ErrorValueRows> error_values_;  // the table's rows holding ENUM's error value
  uint64_t chunk_rows_ = 0;
  uint64_t rows_total_ = 0;
  std::map<std::pair<std::string, std::string>, DeferredIndexes> deferred_;  // by target schema, table
};

}  // namespace ferry::load
