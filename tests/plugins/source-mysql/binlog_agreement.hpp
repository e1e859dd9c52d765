// One binlog file as ferry decodes it against the same file as mariadb-binlog prints it: every
// row of every rows event, column by column (value_agreement.hpp says how values are compared),
// and how many events and rows each table got.
#pragma once

#include "ferry_rows.hpp"
#include "mariadb_binlog_text.hpp"
#include "value_agreement.hpp"

#include <map>
#include <string>
#include <vector>

namespace ferry::mysql::agreement {

// "schema.table" -> its columns in table order.
using Catalog = std::map<std::string, std::vector<ColumnFacts>>;

struct Comparison {
  // One line per disagreement, naming the file, ferry's event position, the table, the row, the
  // column and both values; empty when the two agree.
  std::vector<std::string> mismatches;
  uint64_t rows = 0;    // rows compared
  uint64_t values = 0;  // column values compared
};

// Compares statement by statement (the rows events up to one with STMT_END_F: mariadb-binlog
// prints rows per statement), matched by the end position of their last event; then each row in
// order, each image, each column. Errors ferry reported while decoding are mismatches too.
Comparison compare_rows(const std::string& file, const DecodedFile& ferry, const PrintedFile& printed,
                        const Catalog& catalog, const MetadataLogged& logged);

struct RowTally {
  uint64_t events = 0;
  uint64_t rows = 0;
  bool operator==(const RowTally&) const = default;
};

// "schema.table insert|update|delete" -> rows events and rows.
using Tallies = std::map<std::string, RowTally>;

std::string tally_key(const std::string& schema, const std::string& table, RowsKind kind);
void add_tallies(const DecodedFile& ferry, Tallies& into);
// Events count by their headers (and the Table_map lines naming their table ids), rows by the
// printed rows: independent of each other, as ferry's are not.
void add_tallies(const PrintedFile& printed, Tallies& into);

// For gtest messages.
void PrintTo(const RowTally& tally, std::ostream* os);

}  // namespace ferry::mysql::agreement
