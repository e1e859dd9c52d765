#include "dump_data.hpp"

#include "support/column_values.hpp"
#include "support/sql_text.hpp"
#include "support/table_shape.hpp"
#include "support/workload.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ferry::testing {

void write_shapes(Connection& up) {
  up.execute("CREATE DATABASE shapes");
  up.execute("USE shapes");  // seq_1_to_N needs a current database
  // No key: one chunk, and identical rows must stay exactly as many.
  up.execute("CREATE TABLE shapes.keyless (a INT, b VARCHAR(10), c DOUBLE)");
  up.execute("INSERT INTO shapes.keyless SELECT seq % 7, CONCAT('v', seq % 3), seq % 2 / 4 FROM seq_1_to_300");
  up.execute("INSERT INTO shapes.keyless VALUES (NULL, NULL, NULL), (NULL, NULL, NULL), (1, 'v1', 0.25), (1, 'v1', 0.25)");
  // Chunked on `tenant`, whose values repeat: a chunk boundary falls between tenants, never
  // inside one.
  up.execute("CREATE TABLE shapes.composite (tenant INT NOT NULL, seq BIGINT NOT NULL, v VARCHAR(20), PRIMARY KEY (tenant, seq))");
  up.execute("INSERT INTO shapes.composite SELECT CAST(seq % 13 AS SIGNED) - 6, seq, CONCAT('row ', seq) FROM seq_1_to_400");
  // Not chunked: the key is not an integer.
  up.execute("CREATE TABLE shapes.varchar_pk (k VARCHAR(40) NOT NULL PRIMARY KEY, v INT) DEFAULT CHARSET utf8mb4");
  up.execute("INSERT INTO shapes.varchar_pk SELECT CONCAT('key-', seq, IF(seq % 5 = 0, '😀', 'é')), seq FROM seq_1_to_200");
  up.execute("INSERT INTO shapes.varchar_pk VALUES ('', 0), (' lead', 1), ('it''s', 2)");
  // No primary key; the NOT NULL unique key is the row's identity.
  up.execute("CREATE TABLE shapes.unique_only (code VARCHAR(20) NOT NULL, n INT, note TEXT, UNIQUE KEY (code))");
  up.execute("INSERT INTO shapes.unique_only SELECT CONCAT('c', seq), IF(seq % 4 = 0, NULL, seq), REPEAT('n', seq % 50) FROM seq_1_to_250");
  // Integer keys at the ends of their ranges: the chunk ranges span all of it.
  up.execute("CREATE TABLE shapes.wide_signed (id BIGINT NOT NULL PRIMARY KEY, v INT)");
  up.execute("INSERT INTO shapes.wide_signed VALUES (-9223372036854775808, 1), (9223372036854775807, 2), (0, 3), (-1, 4)");
  up.execute("INSERT INTO shapes.wide_signed SELECT seq * 1000003, seq FROM seq_1_to_150");
  up.execute("CREATE TABLE shapes.wide_unsigned (id BIGINT UNSIGNED NOT NULL, v INT, UNIQUE KEY (id))");
  up.execute("INSERT INTO shapes.wide_unsigned VALUES (0, 1), (18446744073709551615, 2), (9223372036854775808, 3)");
  up.execute("INSERT INTO shapes.wide_unsigned SELECT seq * 99991, seq FROM seq_1_to_150");
  up.execute("CREATE TABLE shapes.empty_keyed (id INT PRIMARY KEY, v INT)");
  up.execute("CREATE TABLE shapes.empty_keyless (v INT)");
}

void write_every_type(Connection& up, int random_rows) {
  Workload::prepare_session(up);  // UTC literals, zero dates allowed
  const auto& columns = every_type_columns();
  std::string definition = "id INT NOT NULL PRIMARY KEY";
  size_t most_edges = 0;
  for (const auto& c : columns) {
    definition += ", `" + c.name + "` " + c.definition;
    most_edges = std::max(most_edges, c.edges.size());
  }
  up.execute("CREATE DATABASE types");
  up.execute("CREATE TABLE types.every_type (" + definition + ") DEFAULT CHARSET utf8mb4");
  int id = 0;
  auto insert = [&](const auto& value_of) {
    std::string sql = "INSERT INTO types.every_type VALUES (" + std::to_string(++id);
    for (const auto& c : columns) sql += ", " + value_of(c);
    up.execute(sql + ")");
  };
  for (size_t k = 0; k < most_edges; ++k) {
    insert([&](const TypedColumn& c) { return k < c.edges.size() ? c.edges[k] : std::string("NULL"); });
  }
  insert([](const TypedColumn&) { return std::string("NULL"); });
  Rng rng(20261206);
  for (int i = 0; i < random_rows; ++i) {
    insert([&](const TypedColumn& c) { return typed_value(c, rng, true); });
  }
}

namespace {

// MariaDB 5.3's temporal storage (COLUMN_TYPE "datetime /* mariadb-5.3 */") is not something a
// CREATE TABLE can ask for: the downstream stores those columns in today's format, values equal.
bool only_storage_format_differs(Connection& up, Connection& down, const std::string& schema, const std::string& table) {
  auto up_shape = read_table_shape(up, schema, table);
  const auto down_shape = read_table_shape(down, schema, table);
  if (!up_shape || !down_shape) return false;
  static const std::string kOldFormat = " /* mariadb-5.3 */";
  for (auto& c : up_shape->columns) {
    if (const auto at = c.column_type.find(kOldFormat); at != std::string::npos) c.column_type.erase(at, kOldFormat.size());
  }
  return up_shape->columns == down_shape->columns;
}

}  // namespace

uint64_t count_rows(Connection& conn, const std::vector<std::string>& schemas) {
  uint64_t total = 0;
  for (const auto& schema : schemas) {
    const Rows tables = conn.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA = " +
                                   sql_string(schema));
    for (const auto& t : tables) total += std::stoull(conn.query_value("SELECT COUNT(*) FROM " + sql_table(schema, *t[0])).value_or("0"));
  }
  return total;
}

void expect_schemas_equal(const MariadbServer& up, const MariadbServer& down, const std::vector<std::string>& schemas,
                          size_t min_tables) {
  Connection u = up.connect();
  Connection d = down.connect();
  for (const auto& schema : schemas) {
    SchemaComparison result = compare_schema(u, d, schema);
    for (auto& t : result.tables) {
      if (!t.columns_difference.empty() && only_storage_format_differs(u, d, schema, t.table)) t.columns_difference.clear();
    }
    if (!result.equal()) describe_row_differences(u, d, result, 5);
    EXPECT_TRUE(result.equal()) << result.describe();
    EXPECT_GE(result.tables.size(), min_tables) << schema;
  }
}

}  // namespace ferry::testing
