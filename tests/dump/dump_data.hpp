// Upstream data for the dump tests: tables of every key shape a dump must handle (and chunk, or
// not), and a table with a column of every type filled with each type's edge values.
#pragma once

#include "support/connection.hpp"
#include "support/mariadb_server.hpp"
#include "support/table_compare.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ferry::testing {

// Creates schema `shapes`: a keyless table with duplicate rows (and duplicate NULL rows), a
// composite primary key led by a repeating integer, a VARCHAR primary key with 4-byte UTF-8, a
// table whose only key is a NOT NULL unique VARCHAR, BIGINT and BIGINT UNSIGNED keys at their
// extremes (chunk arithmetic over the whole range), and an empty table with a key and one
// without. About 1,500 rows.
void write_shapes(Connection& up);

// Creates `types`.`every_type` (support/column_values.hpp): row k holds each column's k-th edge
// value (NULL when the column has fewer), one row is NULL in every column, then `random_rows`
// rows of random values, large ones (over 64 KiB) among them.
void write_every_type(Connection& up, int random_rows);

// Rows in every base table of `schemas`, counted.
uint64_t count_rows(Connection& conn, const std::vector<std::string>& schemas);

// Asserts (non-fatally) that each schema is equal on both sides, exactly (table_compare), with
// its differing rows described when it is not; `min_tables` tables at least in each.
void expect_schemas_equal(const MariadbServer& up, const MariadbServer& down, const std::vector<std::string>& schemas,
                          size_t min_tables = 1);

}  // namespace ferry::testing
