// Turns the rendered rows of a group of units, in order, into SQL statements by DM's rules.
// With `compact`, consecutive changes to one key first become their net effect (INSERT+UPDATE ->
// INSERT, UPDATE+UPDATE -> UPDATE, UPDATE+DELETE -> DELETE, INSERT+DELETE -> nothing,
// DELETE+INSERT -> REPLACE); then
// consecutive INSERTs into one table with the same columns become one multi-row INSERT,
// consecutive DELETEs by key become one DELETE ... WHERE key IN (...), UPDATE stays one
// statement per row; in safe mode INSERT becomes REPLACE and a key-moving UPDATE becomes DELETE
// plus REPLACE. No statement exceeds `max_statement_bytes` unless a single row does.
#pragma once

#include "apply/change_unit.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::tidb {

// Statements that turn strict mode off for what follows them, keeping the session's sql_mode, and
// that put it back: around a statement holding ENUM's error value (index 0, ''), which only a
// non-strict session stores and strict mode refuses whatever literal names it.
inline constexpr std::string_view kStrictModeOff =
    "SET @ferry_sql_mode = @@SESSION.sql_mode;"
    "SET SESSION sql_mode = REPLACE(REPLACE(@@SESSION.sql_mode, 'STRICT_TRANS_TABLES', ''), 'STRICT_ALL_TABLES', '')";
inline constexpr uint32_t kStrictModeOffPieces = 2;
inline constexpr std::string_view kStrictModeRestore = "SET SESSION sql_mode = @ferry_sql_mode";

struct Statement {
  std::string sql;
  uint32_t unit = 0;       // index in the group of the first row's unit
  uint32_t row = 0;        // index of the first row in that unit
  uint32_t row_count = 0;  // rows it covers (for messages and affected-row checks)
  uint32_t pieces = 1;     // ';'-separated statements in `sql` (a lenient one is wrapped)
};

struct BuildOptions {
  bool multiple_rows = true;
  size_t max_statement_bytes = 16u << 20;
  bool force_safe = false;  // every row idempotently (a retry whose first attempt may be in)
  bool compact = false;     // consecutive changes to one key become their net effect (DM's compact)
};

void build_statements(const std::vector<const ChangeUnit*>& units, const BuildOptions& options,
                      std::vector<Statement>& out);

}  // namespace ferry::tidb
