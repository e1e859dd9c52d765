// What the table comparison needs to know of a table, read from information_schema: its columns
// in order, the key that identifies its rows (if any), and for every column an SQL expression
// whose text is exact for the column's type, so that two rows with equal expressions hold equal
// values and the other way round.
#pragma once

#include "support/connection.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

// How a column's exact expression shows a value (so a failure message can show it readably).
enum class ValueEncoding {
  Text,          // printed as is: integers, DECIMAL, DOUBLE, FLOAT widened to DOUBLE, BIT as a
                 // number, YEAR, DATE, TIME, DATETIME, TIMESTAMP as UNIX_TIMESTAMP()
  Hex,           // HEX() of the stored bytes: strings of any charset, binary strings, BLOBs,
                 // JSON, spatial types, INET4/INET6/UUID
  HexWithIndex,  // "HEX:index" for ENUM and SET (the index tells '' from the error value)
};

struct ColumnShape {
  std::string name;
  std::string data_type;    // information_schema DATA_TYPE: "int", "varchar", "timestamp"
  std::string column_type;  // COLUMN_TYPE: "int(10) unsigned", "enum('a','b')", "time(3)"
  bool nullable = true;

  // The exact expression, 'NULL' for NULL (a string none of them can print).
  std::string exact_expression() const;
  ValueEncoding encoding() const;
  bool operator==(const ColumnShape&) const = default;
};

struct TableShape {
  std::string schema;
  std::string name;
  std::vector<ColumnShape> columns;  // by ordinal position
  // Positions in `columns` of the primary key, else of the first unique key whose columns are
  // all NOT NULL; empty when no key identifies rows (rows are then compared as a multiset).
  std::vector<size_t> key;

  // CONCAT_WS('#', ...) of the exact expressions of all columns, or of the key's columns: '#'
  // appears in none of them, so the concatenation is as exact as its parts.
  std::string row_expression() const;
  std::string key_expression() const;
  // "id bigint(20), v varchar(64), ..." for messages.
  std::string describe_columns() const;
};

// Every base table of `schema` (views are skipped), by name; empty if the schema does not exist.
std::map<std::string, TableShape> read_table_shapes(Connection& connection, const std::string& schema);

// One table; nullopt if it does not exist.
std::optional<TableShape> read_table_shape(Connection& connection, const std::string& schema, const std::string& table);

}  // namespace ferry::testing
