#include "verify/table_list.hpp"

#include "verify/sql_text.hpp"

#include <algorithm>

namespace ferry::verify {
namespace {

std::vector<TableName> base_tables(SqlConnection& connection, const std::string& condition) {
  std::vector<TableName> out;
  for (const auto& row : connection.query("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
                                          "WHERE TABLE_TYPE = 'BASE TABLE' AND " + condition)) {
    out.push_back({row[0].value_or(""), row[1].value_or("")});
  }
  return out;
}

}  // namespace

std::string TableName::sql() const { return sql_identifier(schema) + "." + sql_identifier(table); }

std::vector<TableName> tables_to_verify(SqlConnection& upstream, const VerifyOptions& options) {
  std::vector<TableName> out;
  if (options.databases.empty() && options.tables.empty()) {
    std::string excluded = "'mysql', 'information_schema', 'performance_schema', 'sys', " + sql_string(options.meta_schema);
    out = base_tables(upstream, "TABLE_SCHEMA NOT IN (" + excluded + ")");
  } else {
    for (const auto& schema : options.databases) {
      auto tables = base_tables(upstream, "TABLE_SCHEMA = " + sql_string(schema));
      out.insert(out.end(), tables.begin(), tables.end());
    }
    for (const auto& qualified : options.tables) {
      const auto dot = qualified.find('.');
      out.push_back({qualified.substr(0, dot), qualified.substr(dot + 1)});
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

TableName downstream_name(const TableName& upstream) { return upstream; }

bool table_exists(SqlConnection& connection, const TableName& table) {
  return !connection
              .query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA = " +
                     sql_string(table.schema) + " AND TABLE_NAME = " + sql_string(table.table))
              .empty();
}

}  // namespace ferry::verify
