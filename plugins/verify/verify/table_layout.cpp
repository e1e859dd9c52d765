#include "verify/table_layout.hpp"

#include "verify/sql_text.hpp"

#include <map>
#include <set>

namespace ferry::verify {

Column::Kind column_kind(const std::string& data_type, bool has_charset) {
  static const std::set<std::string> kIntegers{"tinyint", "smallint", "mediumint", "int", "integer", "bigint"};
  static const std::set<std::string> kNumbers{"decimal", "numeric", "float", "double", "real"};
  static const std::set<std::string> kBytes{"binary",   "varbinary",  "tinyblob",        "blob",
                                            "mediumblob", "longblob", "geometry",        "point",
                                            "linestring", "polygon",  "multipoint",      "multilinestring",
                                            "multipolygon", "geometrycollection"};
  if (kIntegers.count(data_type)) return Column::Kind::Integer;
  if (kNumbers.count(data_type)) return Column::Kind::Number;
  if (data_type == "bit") return Column::Kind::Bits;
  if (data_type == "enum" || data_type == "set") return Column::Kind::Enumerated;
  if (kBytes.count(data_type)) return Column::Kind::Bytes;
  return has_charset ? Column::Kind::Text : Column::Kind::Other;
}

std::string Column::value_expression() const {
  const std::string c = sql_identifier(name);
  switch (kind) {
    case Kind::Number: return data_type == "float" ? "(" + c + " + 0E0)" : c;  // FLOAT prints 6 digits only
    case Kind::Bits: return "CAST(" + c + " AS UNSIGNED)";                     // as text a BIT is raw bytes
    case Kind::Enumerated:
    case Kind::Text: return "CONVERT(" + c + " USING utf8mb4)";
    default: return c;  // TIMESTAMP prints in the session's UTC
  }
}

std::string Column::bound_expression() const {
  const std::string c = sql_identifier(name);
  if (kind == Kind::Bits) return "CAST(" + c + " AS UNSIGNED)";
  if (kind == Kind::Enumerated) return "(" + c + " + 0)";  // ENUM and SET sort by index, not by string
  return c;
}

std::string Column::literal(const std::string& bound) const {
  switch (kind) {
    case Kind::Integer:
    case Kind::Number:
    case Kind::Bits:
    case Kind::Enumerated: return is_sql_number(bound) ? bound : sql_string(bound);
    case Kind::Bytes: return sql_bytes(bound);
    default: return sql_string(bound);
  }
}

std::vector<size_t> TableLayout::compared() const {
  std::vector<size_t> out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i].generated) out.push_back(i);
  }
  return out;
}

std::string TableLayout::key_list() const {
  std::string out;
  for (size_t i : key) out += (out.empty() ? "" : ", ") + sql_identifier(columns[i].name);
  return out;
}

std::optional<TableLayout> read_table_layout(SqlConnection& connection, const TableName& table) {
  const std::string where = "TABLE_SCHEMA = " + sql_string(table.schema) + " AND TABLE_NAME = " + sql_string(table.table);
  if (!table_exists(connection, table)) return std::nullopt;
  TableLayout layout{table, {}, {}};
  // EXTRA says 'VIRTUAL GENERATED', 'STORED GENERATED' (MariaDB also 'PERSISTENT GENERATED');
  // MySQL's 'DEFAULT_GENERATED' is an ordinary column with an expression default.
  for (const auto& row : connection.query(
           "SELECT COLUMN_NAME, LOWER(DATA_TYPE), IS_NULLABLE, CHARACTER_SET_NAME IS NOT NULL, "
           "EXTRA LIKE '%VIRTUAL GENERATED%' OR EXTRA LIKE '%STORED GENERATED%' OR EXTRA LIKE '%PERSISTENT GENERATED%' "
           "FROM information_schema.COLUMNS WHERE " + where + " ORDER BY ORDINAL_POSITION")) {
    Column c;
    c.name = row[0].value_or("");
    c.data_type = row[1].value_or("");
    c.nullable = row[2].value_or("YES") == "YES";
    c.generated = row[4].value_or("0") == "1";
    c.kind = column_kind(c.data_type, row[3].value_or("0") == "1");
    layout.columns.push_back(std::move(c));
  }
  std::map<std::string, std::vector<std::string>> unique;  // index -> columns in order
  std::vector<std::string> order;                          // PRIMARY first, then by name
  for (const auto& row : connection.query("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE " +
                                          where + " AND NON_UNIQUE = 0 "
                                          "ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX")) {
    const std::string index = row[0].value_or("");
    auto& columns = unique[index];
    if (columns.empty()) order.push_back(index);
    columns.push_back(row[1].value_or(""));  // NULL: an expression part (MySQL functional index)
  }
  for (const auto& index : order) {
    std::vector<size_t> key;
    for (const auto& name : unique[index]) {
      for (size_t i = 0; i < layout.columns.size(); ++i) {
        if (layout.columns[i].name == name && !layout.columns[i].nullable) key.push_back(i);
      }
    }
    if (key.size() == unique[index].size()) {
      layout.key = std::move(key);
      break;
    }
  }
  return layout;
}

}  // namespace ferry::verify
