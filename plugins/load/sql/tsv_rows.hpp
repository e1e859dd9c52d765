// Rows of one table as LOAD DATA LOCAL INFILE text: tab-separated fields, newline-ended lines,
// backslash escapes, \N for NULL, read by the server with CHARACTER SET binary, so text arrives
// as the bytes of its column's own charset. The downstream's own bulk path: about a quarter
// faster than multi-row INSERTs here (perf-baselines: LOAD DATA vs INSERT, 2 clients).
#pragma once

#include <ferry/abi/ferry_abi.h>

#include <string>
#include <string_view>

namespace ferry::load {

class TsvRows {
 public:
  TsvRows(const ferry_table_schema& table, std::string_view target_schema, std::string_view target_table);

  // LOAD DATA LOCAL INFILE ... `verb` REPLACE or IGNORE (LOCAL ignores duplicates anyway) ...;
  // BIT columns go through a variable (a field's text would be stored as the bits of its bytes).
  const std::string& statement(std::string_view verb);
  // Appends a row (an INSERT's after image); false with `error` for a value with no exact text.
  bool append(std::string& out, const ferry_row_event& row, std::string& error) const;

 private:
  const ferry_table_schema& table_;
  std::string target_;  // `db`.`t`
  std::string columns_;  // (`a`,@v1,...) SET ...
  std::string statement_;
};

}  // namespace ferry::load
