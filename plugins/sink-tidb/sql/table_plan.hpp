// TablePlan: what the sink needs to write SQL for one upstream table shape going to one target
// table: quoted names, which key addresses a row (DM's rule: the primary key, else the first
// unique key whose columns are all NOT NULL, else every column), and which indexes make
// causality keys. Built once per (schema version, target) and immutable afterwards, so DML
// workers read it without locks.
#pragma once

#include "sql/value_literal.hpp"

#include <ferry/abi/ferry_abi.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace ferry::tidb {

enum class RowKey { Primary, Unique, AllColumns };

struct PlanColumn {
  std::string quoted;      // `name`
  ferry_column column;     // names and types point into the plan's own strings
  bool compares_bytes;     // equal values are equal bytes (numbers, binary, NO PAD *_bin text)
  bool compares_padded_bytes;  // ... once trailing spaces are dropped (also PAD SPACE *_bin text)
};

struct TablePlan {
  uint32_t id = 0;                    // this plan's number in the sink, for causality keys
  std::string target;                 // `schema`.`table`
  std::string target_schema;
  std::string target_table;
  std::string source;                 // schema.table upstream, for messages
  std::string source_schema;          // upstream names: DM keys its table checkpoints by them
  std::string source_table;
  std::vector<PlanColumn> columns;
  std::string all_columns;            // (`a`,`b`,...)
  RowKey key = RowKey::AllColumns;
  std::vector<uint32_t> key_columns;  // the addressing key (Primary/Unique); empty for AllColumns
  std::string key_list;               // `a` or (`a`,`b`): the left side of WHERE key IN (...)
  // Every primary and unique key: each yields a causality key when its values are not NULL.
  std::vector<std::vector<uint32_t>> causality_indexes;
  // Per causality index: a row image without all its columns was seen (binlog_row_image MINIMAL
  // or NOBLOB leaves unique-key columns out of a DELETE's before image). From then on every
  // change touching the index also shares one index-wide key, so a DELETE whose unique value is
  // unknown is ordered before an INSERT that reuses it. Written by the coordinator only.
  std::vector<bool> partial_index;

  // Owned copies of the strings `columns[i].column` points at (a deque: they never move).
  std::deque<std::string> owned_strings;
  std::vector<std::vector<ferry_str>> owned_members;

  TablePlan() = default;
  TablePlan(const TablePlan&) = delete;
  TablePlan& operator=(const TablePlan&) = delete;
};

// Builds a plan for `table` written to `target_schema`.`target_table`.
std::unique_ptr<TablePlan> make_table_plan(uint32_t id, const ferry_table_schema& table, std::string_view target_schema,
                          std::string_view target_table, const CharsetNames& charsets);

}  // namespace ferry::tidb
