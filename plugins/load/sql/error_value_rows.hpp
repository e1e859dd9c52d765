// ErrorValueRows: the rows of one table that hold ENUM's error value (index 0, the '' a
// non-strict session stores for a value that is not a member). Strict mode refuses every literal
// for it, in LOAD DATA and INSERT alike, so these rows go in by INSERTs of their own, run with
// strict mode off; each such statement comes with the warnings its error values give ("Data
// truncated for column 'e' at row N", one per value), and any other warning fails the chunk: other
// invalid data is refused as before. This is how DM's load stores them (its session has no strict
// mode at all), without letting anything else through.
#pragma once

#include "sql/insert_builder.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::load {

// A statement to run without strict mode and the warnings it may give.
struct LenientStatement {
  std::string sql;
  std::vector<std::string> expected_warnings;
};

class ErrorValueRows {
 public:
  // At most this many error values per statement: servers keep 64 warnings by default
  // (max_error_count), and each one must be seen to be checked.
  static constexpr size_t kMaxValuesPerStatement = 64;

  ErrorValueRows(std::string_view verb, const ferry_table_schema& table, std::string_view target_schema,
                 std::string_view target_table, const tidb::CharsetNames& charsets, tidb::LiteralStyle style,
                 size_t statement_bytes);

  // Whether the row holds an error value (only the table's ENUM columns are looked at).
  bool holds_error_value(const ferry_row_event& row) const;
  // Adds such a row; false with `error` for a value without an exact literal.
  bool add(const ferry_row_event& row, std::string& error);
  bool full() const { return builder_.full() || expected_.size() >= kMaxValuesPerStatement; }
  bool empty() const { return builder_.empty(); }
  // The statement so far and its warnings; a new one starts.
  LenientStatement take();

 private:
  const ferry_table_schema& table_;
  InsertBuilder builder_;
  std::vector<uint32_t> enum_columns_;  // positions of the written ENUM columns
  std::vector<std::string> expected_;
  uint64_t rows_ = 0;  // rows in the statement being built
};

}  // namespace ferry::load
