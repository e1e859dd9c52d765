// The rows events of one binlog file as ferry's decoder reads them (EventDecoder::decode and
// next_row over BinlogFile), copied out of the decoder's views so they outlive it: the side under
// test in the decoder agreement tests.
#pragma once

#include "binlog/event_type.hpp"
#include "binlog/table_map.hpp"

#include <ferry/abi/ferry_abi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::mysql::agreement {

// One column of one image. `value.data` is not kept: the bytes are in `bytes`.
struct DecodedValue {
  ferry_value value{};
  std::string bytes;
};

// Each image has an entry per table column; absent (partial image) columns are nullopt.
struct DecodedRow {
  std::vector<std::optional<DecodedValue>> before;
  std::vector<std::optional<DecodedValue>> after;
};

struct DecodedRowsEvent {
  uint64_t start_position = 0;
  uint64_t end_position = 0;  // the header's log_pos
  RowsKind kind = RowsKind::None;
  bool statement_end = false;  // STMT_END_F
  bool compressed = false;     // MariaDB's *_ROWS_COMPRESSED (log_bin_compress)
  std::string schema;
  std::string table;
  std::vector<ColumnInfo> columns;  // from the TABLE_MAP
  std::vector<DecodedRow> rows;
};

struct DecodedFile {
  std::vector<DecodedRowsEvent> events;
  // "FILE:POSITION: message" for every event or row ferry could not decode, and a file it could
  // not read. Decoding goes on after an event error, as `ferry binlog decode` does.
  std::vector<std::string> errors;
};

DecodedFile decode_with_ferry(const std::string& path);

}  // namespace ferry::mysql::agreement
