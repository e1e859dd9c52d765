#include "support/table_compare.hpp"

#include "support/row_diff.hpp"
#include "support/sql_text.hpp"
#include "support/table_shape.hpp"

#include <map>
#include <set>
#include <stdexcept>
#include <thread>

namespace ferry::testing {
namespace {

TableChecksum checksum(Connection& connection, const TableShape& shape) {
  Rows rows = connection.query("SELECT COUNT(*), IFNULL(SUM(CRC32(" + shape.row_expression() + ")), 0) FROM " +
                               sql_table(shape.schema, shape.name));
  return {std::stoull(rows.at(0).at(0).value_or("0")), rows.at(0).at(1).value_or("0")};
}

// The first difference between two column lists, for a message.
std::string columns_difference(const TableShape& up, const TableShape& down) {
  for (size_t i = 0; i < up.columns.size() && i < down.columns.size(); ++i) {
    const ColumnShape& a = up.columns[i];
    const ColumnShape& b = down.columns[i];
    if (a == b) continue;
    auto show = [](const ColumnShape& c) { return c.name + " " + c.column_type + (c.nullable ? "" : " not null"); };
    return "column " + std::to_string(i + 1) + " is " + show(a) + " upstream, " + show(b) + " downstream";
  }
  if (up.columns.size() != down.columns.size()) {
    return std::to_string(up.columns.size()) + " columns upstream, " + std::to_string(down.columns.size()) +
           " downstream (upstream: " + up.describe_columns() + "; downstream: " + down.describe_columns() + ")";
  }
  return {};
}

TableComparison compare_shapes(Connection& up, const TableShape* up_shape, Connection& down,
                               const TableShape* down_shape, const std::string& table) {
  TableComparison result;
  result.table = table;
  if (up_shape) result.upstream = checksum(up, *up_shape);
  if (down_shape) result.downstream = checksum(down, *down_shape);
  if (up_shape && down_shape) result.columns_difference = columns_difference(*up_shape, *down_shape);
  return result;
}

std::string describe_side(const std::optional<TableChecksum>& side) {
  if (!side) return "missing";
  return std::to_string(side->rows) + " rows crc " + side->crc_sum;
}

bool schema_exists(Connection& connection, const std::string& schema) {
  return !connection.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + sql_string(schema)).empty();
}

}  // namespace

bool TableComparison::equal() const {
  return upstream && downstream && columns_difference.empty() && *upstream == *downstream;
}

std::string TableComparison::describe() const {
  std::string out = table + ": ";
  if (equal()) {
    out += "equal (" + std::to_string(upstream->rows) + " rows)";
  } else {
    if (!columns_difference.empty()) out += "columns differ: " + columns_difference + "; ";
    out += "upstream " + describe_side(upstream) + ", downstream " + describe_side(downstream);
  }
  for (const auto& line : row_differences) out += "\n    " + line;
  return out;
}

bool SchemaComparison::equal() const {
  if (!error.empty()) return false;
  for (const auto& t : tables) {
    if (!t.equal()) return false;
  }
  return true;
}

std::vector<std::string> SchemaComparison::differing_tables() const {
  std::vector<std::string> names;
  for (const auto& t : tables) {
    if (!t.equal()) names.push_back(t.table);
  }
  return names;
}

std::string SchemaComparison::describe() const {
  const std::string name =
      "schema " + upstream_schema + (downstream_schema == upstream_schema ? "" : " vs " + downstream_schema);
  if (!error.empty()) return "could not compare " + name + " (attempt " + std::to_string(attempts) + "): " + error;
  const auto differing = differing_tables();
  if (differing.empty()) return name + ": all " + std::to_string(tables.size()) + " tables equal";
  std::string out = name + ": " + std::to_string(differing.size()) + " of " + std::to_string(tables.size()) +
                    " tables differ (after " + std::to_string(attempts) + " comparisons)";
  for (const auto& t : tables) {
    if (!t.equal()) out += "\n  " + t.describe();
  }
  return out;
}

TableChecksum checksum_table(Connection& connection, const std::string& schema, const std::string& table) {
  auto shape = read_table_shape(connection, schema, table);
  if (!shape) throw std::runtime_error("no table " + schema + "." + table);
  return checksum(connection, *shape);
}

TableComparison compare_table(Connection& up, const std::string& up_schema, Connection& down,
                              const std::string& down_schema, const std::string& table) {
  auto up_shape = read_table_shape(up, up_schema, table);
  auto down_shape = read_table_shape(down, down_schema, table);
  return compare_shapes(up, up_shape ? &*up_shape : nullptr, down, down_shape ? &*down_shape : nullptr, table);
}

SchemaComparison compare_schema(Connection& up, const std::string& up_schema, Connection& down,
                                const std::string& down_schema) {
  SchemaComparison result;
  result.upstream_schema = up_schema;
  result.downstream_schema = down_schema;
  // An absent schema would otherwise compare equal to another absent one.
  if (!schema_exists(up, up_schema)) result.error = "no schema " + up_schema + " upstream";
  if (!schema_exists(down, down_schema)) {
    result.error += std::string(result.error.empty() ? "" : "; ") + "no schema " + down_schema + " downstream";
  }
  if (!result.error.empty()) return result;
  const auto up_shapes = read_table_shapes(up, up_schema);
  const auto down_shapes = read_table_shapes(down, down_schema);
  std::set<std::string> names;
  for (const auto& [name, shape] : up_shapes) names.insert(name);
  for (const auto& [name, shape] : down_shapes) names.insert(name);
  for (const std::string& name : names) {
    auto u = up_shapes.find(name);
    auto d = down_shapes.find(name);
    result.tables.push_back(compare_shapes(up, u == up_shapes.end() ? nullptr : &u->second, down,
                                           d == down_shapes.end() ? nullptr : &d->second, name));
  }
  return result;
}

SchemaComparison compare_schema(Connection& up, Connection& down, const std::string& schema) {
  return compare_schema(up, schema, down, schema);
}

void describe_row_differences(Connection& up, Connection& down, SchemaComparison& comparison, size_t limit) {
  for (auto& t : comparison.tables) {
    if (t.equal()) continue;
    t.row_differences = differing_rows(up, comparison.upstream_schema, down, comparison.downstream_schema, t.table, limit);
  }
}

SchemaComparison wait_until_equal(const MariadbServer& up, const std::string& up_schema, const MariadbServer& down,
                                  const std::string& down_schema, const WaitOptions& options) {
  SchemaComparison last;
  std::optional<Connection> up_connection;
  std::optional<Connection> down_connection;
  for (int attempt = 1; attempt <= options.attempts; ++attempt) {
    try {
      if (!up_connection) up_connection.emplace(up.connect());
      if (!down_connection) down_connection.emplace(down.connect());
      last = compare_schema(*up_connection, up_schema, *down_connection, down_schema);
    } catch (const std::exception& e) {
      last = SchemaComparison{up_schema, down_schema, {}, e.what()};
      up_connection.reset();  // a server that went away leaves its connection broken
      down_connection.reset();
    }
    last.attempts = attempt;
    if (last.equal()) return last;
    // The poll interval bounds how late a catch-up is noticed; no result depends on it.
    if (attempt < options.attempts) std::this_thread::sleep_for(options.interval);
  }
  if (last.error.empty()) {
    try {
      describe_row_differences(*up_connection, *down_connection, last, options.sample_rows);
    } catch (const std::exception& e) {
      last.error = std::string("tables differ, and listing their rows failed: ") + e.what() + "\n" + last.describe();
    }
  }
  return last;
}

SchemaComparison wait_until_equal(const MariadbServer& up, const MariadbServer& down, const std::string& schema,
                                  const WaitOptions& options) {
  return wait_until_equal(up, schema, down, schema, options);
}

}  // namespace ferry::testing
