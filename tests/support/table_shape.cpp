#include "support/table_shape.hpp"

#include "support/sql_text.hpp"

#include <set>

namespace ferry::testing {

ValueEncoding ColumnShape::encoding() const {
  static const std::set<std::string> kText{"tinyint", "smallint", "mediumint", "int", "bigint", "decimal",
                                           "double", "float", "bit", "year", "date", "time", "datetime",
                                           "timestamp"};
  if (kText.count(data_type)) return ValueEncoding::Text;
  if (data_type == "enum" || data_type == "set") return ValueEncoding::HexWithIndex;
  return ValueEncoding::Hex;
}

std::string ColumnShape::exact_expression() const {
  const std::string c = sql_identifier(name);
  std::string e;
  if (data_type == "float") {
    e = "CAST(" + c + " AS DOUBLE)";  // FLOAT prints 6 digits: 0.1 and 0.100000009 both as "0.1"
  } else if (data_type == "bit") {
    e = "CAST(" + c + " AS UNSIGNED)";  // as text a BIT is raw bytes
  } else if (data_type == "timestamp") {
    e = "UNIX_TIMESTAMP(" + c + ")";  // whatever each session's time_zone; the zero value is 0
  } else if (encoding() == ValueEncoding::Text) {
    e = c;  // DOUBLE prints the shortest text that reads back the same value
  } else if (encoding() == ValueEncoding::HexWithIndex) {
    e = "CONCAT(HEX(" + c + "), ':', " + c + " + 0)";
  } else {
    e = "HEX(" + c + ")";
  }
  return "IFNULL(" + e + ", 'NULL')";
}

namespace {

std::string concat(const std::vector<ColumnShape>& columns, const std::vector<size_t>& which) {
  std::string out = "CONCAT_WS('#'";
  for (size_t i : which) out += ", " + columns[i].exact_expression();
  return out + ")";
}

std::map<std::string, TableShape> read_shapes(Connection& connection, const std::string& schema,
                                              const std::optional<std::string>& only) {
  const std::string where =
      "TABLE_SCHEMA = " + sql_string(schema) + (only ? " AND TABLE_NAME = " + sql_string(*only) : std::string());
  std::map<std::string, TableShape> shapes;
  for (const Row& row : connection.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE " + where +
                                         " AND TABLE_TYPE = 'BASE TABLE'")) {
    shapes[*row[0]] = TableShape{schema, *row[0], {}, {}};
  }
  for (const Row& row : connection.query("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE "
                                         "FROM information_schema.COLUMNS WHERE " + where +
                                         " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
    auto it = shapes.find(*row[0]);
    if (it != shapes.end()) it->second.columns.push_back({*row[1], *row[2], *row[3], *row[4] == "YES"});
  }
  // Unique indexes, the primary key first; the first whose columns are all NOT NULL is the key.
  std::map<std::string, std::map<std::string, std::vector<std::string>>> unique;  // table -> index -> columns
  std::map<std::string, std::vector<std::string>> order;                         // table -> indexes in order
  for (const Row& row : connection.query("SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
                                         "WHERE " + where + " AND NON_UNIQUE = 0 "
                                         "ORDER BY TABLE_NAME, INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX")) {
    auto& columns = unique[*row[0]][*row[1]];
    if (columns.empty()) order[*row[0]].push_back(*row[1]);
    columns.push_back(*row[2]);
  }
  for (auto& [name, shape] : shapes) {
    for (const std::string& index : order[name]) {
      std::vector<size_t> key;
      for (const std::string& column : unique[name][index]) {
        for (size_t i = 0; i < shape.columns.size(); ++i) {
          if (shape.columns[i].name == column && !shape.columns[i].nullable) key.push_back(i);
        }
      }
      if (key.size() == unique[name][index].size()) {
        shape.key = key;
        break;
      }
    }
  }
  return shapes;
}

}  // namespace

std::string TableShape::row_expression() const {
  std::vector<size_t> all(columns.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return concat(columns, all);
}

std::string TableShape::key_expression() const { return concat(columns, key); }

std::string TableShape::describe_columns() const {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c.name + " " + c.column_type + (c.nullable ? "" : " not null");
  return out;
}

std::map<std::string, TableShape> read_table_shapes(Connection& connection, const std::string& schema) {
  return read_shapes(connection, schema, std::nullopt);
}

std::optional<TableShape> read_table_shape(Connection& connection, const std::string& schema, const std::string& table) {
  auto shapes = read_shapes(connection, schema, table);
  if (shapes.empty()) return std::nullopt;
  return std::move(shapes.begin()->second);
}

}  // namespace ferry::testing
