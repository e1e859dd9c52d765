// What `mariadb-binlog --base64-output=decode-rows -vv FILE` prints about rows events, parsed
// back into structures: the reference side of the decoder agreement tests.
//
// mariadb-binlog buffers the rows events of one statement and prints all their headers first,
// then all their rows, then "# Number of rows: N" for the whole statement. So rows are grouped
// by statement here, not by event; the events of a statement are known by their headers only.
#pragma once

#include "binlog/event_type.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::mysql::agreement {

// One "###   @N=VALUE /* TYPE meta=M nullable=0|1 is_null=0|1 */" line.
struct PrintedValue {
  uint32_t column = 0;  // N: 1-based position in the table
  std::string text;     // VALUE as printed, without the padding FLOAT gets: "-1 (255)", "'a\x0a'"
  std::string type;     // mariadb-binlog's type name: "TINYINT", "DECIMAL(10,2)", "VARSTRING(80)"
  uint32_t meta = 0;
  bool nullable = false;
  bool is_null = false;
};

// One "### INSERT INTO" / "### UPDATE" / "### DELETE FROM" block. `before` is the WHERE image,
// `after` the SET image; each lists the columns present in it, in column order.
struct PrintedRow {
  RowsKind kind = RowsKind::None;
  std::string schema;
  std::string table;
  std::vector<PrintedValue> before;
  std::vector<PrintedValue> after;
};

// The header comment of one rows event: "#... end_log_pos P ...\tWrite_rows: table id T ...".
struct PrintedRowsEvent {
  uint64_t end_position = 0;
  RowsKind kind = RowsKind::None;
  uint64_t table_id = 0;
  bool statement_end = false;  // "flags: STMT_END_F"
};

struct PrintedStatement {
  std::vector<PrintedRowsEvent> events;
  std::vector<PrintedRow> rows;  // of all the events, in event order
  uint64_t declared_rows = 0;    // "# Number of rows: N"
};

struct PrintedFile {
  std::vector<PrintedStatement> statements;
  // "Table_map: `s`.`t` mapped to number T" lines: table id -> "s.t", for counting events.
  std::map<uint64_t, std::string> tables;
};

// Parses the whole output of one file. Returns false with `error` naming the line on text it
// cannot read: a rows line outside a rows block, a value line without its type comment, rows
// without a statement, a statement whose row count disagrees with its "Number of rows" line.
bool parse_mariadb_binlog_text(std::string_view text, PrintedFile& out, std::string& error);

}  // namespace ferry::mysql::agreement
