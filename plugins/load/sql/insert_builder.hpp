// InsertBuilder: rows of one table as multi-row INSERT (or REPLACE / INSERT IGNORE) statements of
// about `statement_bytes` each. Generated columns are left out: the downstream computes them.
#pragma once

#include "sql/value_literal.hpp"

#include <ferry/abi/ferry_abi.h>

#include <string>
#include <string_view>

namespace ferry::load {

class InsertBuilder {
 public:
  InsertBuilder(std::string_view verb, const ferry_table_schema& table, std::string_view target_schema,
                std::string_view target_table, const tidb::CharsetNames& charsets, tidb::LiteralStyle style,
                size_t statement_bytes);

  // Adds a row (an INSERT's after image). Returns false with `error` for a value without an exact
  // literal.
  bool add(const ferry_row_event& row, std::string& error);
  // Writes `table` instead of `schema`.`table` (a dump file is loaded under USE schema).
  void omit_schema();
  // Text of a column without a character set (MariaDB's INET4, INET6, UUID) gets a _utf8mb4
  // introducer: under SET NAMES binary (a dump file) a plain literal would be read as raw bytes.
  void introduce_text_without_charset() { introduce_ = true; }
  bool full() const { return sql_.size() >= limit_; }
  bool empty() const { return sql_.empty(); }  // nothing since the last take()
  uint64_t rows() const { return rows_; }  // every row added, across statements
  // The statement so far; the builder starts a new one.
  std::string take();

 private:
  std::string verb_;
  std::string target_table_;
  std::string head_;  // "REPLACE INTO `db`.`t` (`a`,`b`) VALUES "
  const ferry_table_schema& table_;
  const tidb::CharsetNames& charsets_;
  tidb::LiteralStyle style_;
  size_t limit_;
  std::string sql_;
  uint64_t rows_ = 0;
  bool introduce_ = false;
};

}  // namespace ferry::load
