// ChangeUnit: what the coordinator hands a DML worker. Row changes are rendered to SQL fragments
// on the sink thread (the batch they came in is gone once write() returns), into one text buffer
// per unit: no allocation per row. In atomic mode a unit is one upstream transaction; otherwise
// one row change.
#pragma once

#include "checkpoint/binlog_point.hpp"
#include "sql/table_plan.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::tidb {

struct Span {
  uint32_t off = 0;
  uint32_t len = 0;
  bool empty() const { return len == 0; }
};

struct RenderedRow {
  const TablePlan* plan = nullptr;
  uint8_t op = 0;            // ferry_row_op
  bool full_after = false;   // the after image has every column
  bool key_changed = false;  // an UPDATE that moves the row to another key
  bool lenient = false;      // holds a value only a non-strict sql_mode stores (ENUM's '' error value)
  uint64_t binlog_pos = 0;   // end of the rows event, for messages
  Span columns;              // (`a`,`b`) of the after image; empty: plan->all_columns
  Span values;               // (1,'x') of the after image
  Span assignments;          // `a`=1,`b`='x' (UPDATE)
  Span where;                // the before image's addressing condition (UPDATE, DELETE)
  Span key_tuple;            // (1,2) of the before image's key when it is a primary/unique key
  Span after_key;            // the same for the after image
};

struct ChangeUnit {
  std::string text;
  std::vector<RenderedRow> rows;
  std::vector<uint64_t> keys;  // causality keys
  BinlogPoint end;             // where the unit ends upstream (a transaction's commit)
  std::string gtid;            // the transaction's own GTID, for messages
  int64_t timestamp_us = 0;
  uint64_t seq = 0;            // dispatch order
  bool safe = false;           // apply idempotently (REPLACE), a replay window
  bool atomic = false;         // commits with its progress row

  std::string_view span(Span s) const { return std::string_view(text).substr(s.off, s.len); }
  size_t bytes() const { return text.size() + rows.size() * sizeof(RenderedRow) + keys.size() * 8; }
};

}  // namespace ferry::tidb
