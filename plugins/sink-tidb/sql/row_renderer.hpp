// Renders a row change into a ChangeUnit: the SQL fragments a worker assembles into statements,
// and the causality keys that decide which worker may run it.
#pragma once

#include "apply/change_unit.hpp"
#include "sql/value_literal.hpp"

#include <ferry/abi/ferry_abi.h>

#include <string>

namespace ferry::tidb {

class RowRenderer {
 public:
  RowRenderer(const CharsetNames& charsets, LiteralStyle style) : charsets_(charsets), style_(style) {}

  // Appends `row` (at `binlog_pos`) to `unit`. False with `error` when a value has no literal or
  // the table's column names are unknown. Sets `barrier` when the row is the first whose image
  // lacks a unique key's columns: every unit dispatched before it must be applied first.
  bool render(const ferry_row_event& row, TablePlan& plan, uint64_t binlog_pos, ChangeUnit& unit, bool& barrier,
              std::string& error);

 private:
  bool condition(const ferry_row_event& row, const TablePlan& plan, const ferry_value* image, const uint8_t* present,
                 ChangeUnit& unit, RenderedRow& out, std::string& error);
  bool key_tuple(const TablePlan& plan, const ferry_value* image, const uint8_t* present, std::string& out,
                 std::string& error);
  void add_keys(TablePlan& plan, const ferry_value* image, const uint8_t* present, ChangeUnit& unit, bool& barrier);

  const CharsetNames& charsets_;
  LiteralStyle style_;
  std::string scratch_;
};

}  // namespace ferry::tidb
