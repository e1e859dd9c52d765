// Rows of one table for MariaDB's array-bound INSERT (COM_STMT_BULK_EXECUTE): one prepared
// `INSERT|REPLACE|INSERT IGNORE INTO t (...) VALUES (?, ...)` run once for a batch of rows whose
// values travel in the binary protocol. The server neither parses nor unescapes text for them:
// on MariaDB about a quarter less of its CPU than LOAD DATA for the same rows (measured in
// docs/dump-load.md), and no escaping on ferry's side.
//
// A batch binds each column as one kind for all its rows: integers and floating point numbers
// as such, everything else as binary bytes (MYSQL_TYPE_BLOB parameters are not converted from
// the connection's charset, so text arrives as its column's own bytes, as with LOAD DATA's
// CHARACTER SET binary). A row whose value would need another kind than the batch has for that
// column goes into the next batch.
#pragma once

#include <ferry/abi/ferry_abi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct st_mysql_bind;

namespace ferry::load {

// One batch of rows, self-contained: what a loader thread binds and runs.
class BulkBatch {
 public:
  enum class Kind : uint8_t { Unset, Signed, Unsigned, Double, Bytes };

  explicit BulkBatch(uint32_t columns);

  uint32_t rows() const { return rows_; }
  uint32_t columns() const { return static_cast<uint32_t>(columns_.size()); }
  size_t bytes() const { return bytes_; }            // in memory: what the loaders' buffer counts
  size_t wire_bytes() const { return wire_bytes_; }  // about what it weighs on the wire: its size as a statement
  bool empty() const { return rows_ == 0; }

  // Binds the batch's columns to `binds` (one per column) and returns the row count, for
  // STMT_ATTR_ARRAY_SIZE. The binds point into the batch: it must outlive the execution.
  uint32_t bind(st_mysql_bind* binds);

 private:
  friend class BulkRows;
  struct Column {
    Kind kind = Kind::Unset;
    std::vector<int64_t> numbers;   // Signed, Unsigned (as bits), Double (as bits)
    std::vector<uint64_t> offsets;  // Bytes: where each row's bytes start in text_
    std::vector<unsigned long> lengths;
    std::vector<char> indicators;   // STMT_INDICATOR_NONE or STMT_INDICATOR_NULL per row
    std::vector<char*> pointers;    // Bytes: filled by bind(), once text_ stops growing
  };
  std::vector<Column> columns_;
  std::string text_;
  uint32_t rows_ = 0;
  size_t bytes_ = 0;       // what the batch holds in memory
  size_t wire_bytes_ = 0;  // values, lengths and indicators as the bulk request carries them
};

// Builds the statement for a table and its rows into batches.
class BulkRows {
 public:
  // `verb`: INSERT, REPLACE or INSERT IGNORE.
  BulkRows(std::string_view verb, const ferry_table_schema& table, std::string_view target_schema, std::string_view target_table);

  const std::string& statement() const { return statement_; }
  uint32_t parameters() const { return static_cast<uint32_t>(bound_.size()); }

  // Adds a row (an INSERT's after image) to `batch`. Returns false with `error` empty when the
  // row needs another kind than the batch binds for one of its columns (start a new batch for
  // it), with `error` set for a value that cannot be loaded.
  bool append(BulkBatch& batch, const ferry_row_event& row, std::string& error) const;
  BulkBatch new_batch() const { return BulkBatch(parameters()); }

 private:
  const ferry_table_schema& table_;
  std::vector<uint32_t> bound_;  // the table's columns that are parameters, in order (generated ones are not)
  std::string statement_;
};

}  // namespace ferry::load
