// What a verify run found, table by table, and how it is printed: one key=value line per table,
// then (indented) each differing chunk with its key range and, with --rows, the differing rows
// as JSON objects; a summary line at the end. docs/verify.md shows the format.
#pragma once

#include "verify/chunk_checksum.hpp"
#include "verify/row_diff.hpp"
#include "verify/table_layout.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace ferry::verify {

struct ChunkResult {
  Chunk chunk;
  ChunkChecksum upstream;
  ChunkChecksum downstream;
};

struct TableResult {
  enum class Outcome { Match, Differ, MissingDownstream, MissingUpstream, Failed };
  TableName table;   // upstream
  TableName target;  // downstream
  Outcome outcome = Outcome::Match;
  std::optional<TableLayout> layout;  // the upstream's, once read
  size_t chunks = 0;
  uint64_t upstream_rows = 0;
  uint64_t downstream_rows = 0;
  std::vector<std::string> missing_columns;  // compared upstream columns the downstream lacks
  std::vector<ChunkResult> differing_chunks;
  std::vector<RowDifference> rows;  // with --rows: the first ones found, at most the cap
  size_t rows_found = 0;            // with --rows: every differing row
  std::string error;                // Failed: what went wrong
};

// Prints one table's lines to `out`.
void print_table_result(std::FILE* out, const TableResult& result);

// The counts over every table, the summary line and the exit status.
class Summary {
 public:
  void add(const TableResult& result);
  // "tables=5 matched=3 differ=1 missing=1 failed=0"
  std::string line() const;
  // 0 every table matches; 1 some differ or are missing; 2 some could not be verified.
  int exit_code() const;

 private:
  size_t tables_ = 0, matched_ = 0, differ_ = 0, missing_ = 0, failed_ = 0;
};

// A key=value value: as it is, or as a JSON string when it holds spaces, quotes, '=' or is empty.
std::string kv_value(const std::string& value);

}  // namespace ferry::verify
