// Compares the tables of a schema on two servers (or two schemas on one) row for row, as sync
// tests check that ferry's downstream holds exactly what the upstream does. Each table gets a
// checksum on each side: COUNT(*) and the SUM of a CRC32 per row, over an expression that is
// exact for every column type (support/table_shape.hpp). Order-independent, and a multiset: a
// duplicated row in a keyless table changes both numbers. When they differ, differing_rows()
// names the rows (support/row_diff.hpp).
#pragma once

#include "support/connection.hpp"
#include "support/mariadb_server.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

struct TableChecksum {
  uint64_t rows = 0;
  std::string crc_sum;  // the SUM as the server printed it (a DECIMAL), "0" when empty
  bool operator==(const TableChecksum&) const = default;
};

// Both sides of one table. `upstream`/`downstream` are nullopt when the table is missing there.
struct TableComparison {
  std::string table;  // the table's name (the same on both sides)
  std::optional<TableChecksum> upstream;
  std::optional<TableChecksum> downstream;
  std::string columns_difference;            // set when the column lists or types differ
  std::vector<std::string> row_differences;  // filled on request: differing_rows()
  bool equal() const;
  // "keyless: equal (12 rows)" or "keyless: upstream 12 rows crc 123, downstream 13 rows crc 456",
  // then any row differences, one per indented line.
  std::string describe() const;
};

struct SchemaComparison {
  std::string upstream_schema;
  std::string downstream_schema;
  std::vector<TableComparison> tables;  // every base table on either side, by name
  std::string error;                    // set when the comparison itself failed (a server down)
  int attempts = 1;                     // comparisons wait_until_equal made
  bool equal() const;
  std::vector<std::string> differing_tables() const;
  // "schema db: 6 tables equal", or the differing tables (with their row differences).
  std::string describe() const;
};

// One side's checksum of one table, using that side's column types.
TableChecksum checksum_table(Connection& connection, const std::string& schema, const std::string& table);

// One table: `up_schema`.`table` against `down_schema`.`table`.
TableComparison compare_table(Connection& up, const std::string& up_schema, Connection& down,
                              const std::string& down_schema, const std::string& table);

// Every base table of the schemas. Throws std::runtime_error when a query fails.
SchemaComparison compare_schema(Connection& up, const std::string& up_schema, Connection& down,
                                const std::string& down_schema);
SchemaComparison compare_schema(Connection& up, Connection& down, const std::string& schema);

// Fills each differing table's row_differences with up to `limit` rows (differing_rows()).
void describe_row_differences(Connection& up, Connection& down, SchemaComparison& comparison, size_t limit);

struct WaitOptions {
  int attempts = 300;                       // comparisons before giving up
  std::chrono::milliseconds interval{100};  // between two comparisons
  size_t sample_rows = 5;                   // rows described per differing table on giving up
};

// Compares until the schemas are equal or `attempts` comparisons said otherwise, and returns the
// last comparison: equal, or with its differing rows described. How a sync test waits for ferry
// to catch up once the upstream's writes stopped. A server that cannot be reached (restarting)
// counts as a failed attempt, with the reason in `error`; connections are made again after it.
SchemaComparison wait_until_equal(const MariadbServer& up, const std::string& up_schema, const MariadbServer& down,
                                  const std::string& down_schema, const WaitOptions& options = {});
SchemaComparison wait_until_equal(const MariadbServer& up, const MariadbServer& down, const std::string& schema,
                                  const WaitOptions& options = {});

}  // namespace ferry::testing
