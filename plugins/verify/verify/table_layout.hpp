// TableLayout: what verify needs to know of a table, read from information_schema: its columns
// in order, which of them are compared (generated columns are not: they follow from the
// others), the key that orders and chunks its rows, and for each column the SQL expression
// whose text both sides print alike.
#pragma once

#include "verify/connection.hpp"
#include "verify/table_list.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ferry::verify {

struct Column {
  // How a column is read and shown.
  enum class Kind {
    Integer,     // integer types: shown as JSON numbers
    Number,      // DECIMAL, FLOAT (widened to DOUBLE), DOUBLE
    Bits,        // BIT: read as an unsigned number
    Enumerated,  // ENUM, SET: compared by their strings, ordered and bounded by their index
    Bytes,       // binary strings, BLOBs, spatial types: shown as 0x hex
    Text,        // character strings (read as utf8mb4, whatever the column's charset)
    Other,       // temporal types, YEAR, MySQL's JSON, MariaDB's INET6/UUID: their text
  };

  std::string name;
  std::string data_type;  // information_schema DATA_TYPE
  bool nullable = true;
  bool generated = false;
  Kind kind = Kind::Other;

  // The value as compared: text that is equal on both sides exactly when the values are.
  std::string value_expression() const;
  // The value as a key bound is read, so that literal() can turn it back into SQL.
  std::string bound_expression() const;
  // A value read with bound_expression() as an SQL literal that compares with the column.
  std::string literal(const std::string& bound) const;
};

Column::Kind column_kind(const std::string& data_type, bool has_charset);

struct TableLayout {
  TableName name;
  std::vector<Column> columns;  // by ordinal position
  // Positions in `columns` of the primary key, else of the first unique key (by name) whose
  // columns are all NOT NULL; empty when no key identifies rows: the table is one chunk and its
  // rows are compared as a multiset.
  std::vector<size_t> key;

  bool keyed() const { return !key.empty(); }
  // Positions of the columns compared: all but generated ones.
  std::vector<size_t> compared() const;
  // "`a`, `b`" of the key columns (ORDER BY).
  std::string key_list() const;
};

// The table's layout; nullopt when there is no such base table. Throws SqlError.
std::optional<TableLayout> read_table_layout(SqlConnection& connection, const TableName& table);

}  // namespace ferry::verify
