#include "sql/insert_builder.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace ferry::load {
namespace {

TEST(InsertBuilder, RowsJoinIntoOneStatementWithoutGeneratedColumns) {
  ferry_column columns[3]{};
  columns[0].name = {"id", 2};
  columns[1].name = {"g", 1};
  columns[1].flags = FERRY_COLUMN_GENERATED;
  columns[2].name = {"s", 1};
  columns[2].charset = 45;  // utf8mb4_general_ci
  ferry_table_schema table{};
  table.column_count = 3;
  table.columns = columns;
  tidb::CharsetNames charsets;
  charsets.add(45, "utf8mb4", "utf8mb4_general_ci");
  InsertBuilder b("REPLACE", table, "db", "t", charsets, tidb::LiteralStyle{}, 55);
  auto row = [&](int64_t id, const char* s) {
    static ferry_value values[3];
    values[0] = ferry_value{};
    values[0].type = FERRY_VALUE_INT;
    values[0].num.i64 = id;
    values[1] = ferry_value{};
    values[2] = ferry_value{};
    values[2].type = s ? FERRY_VALUE_STRING : FERRY_VALUE_NULL;
    values[2].data = s;
    values[2].len = s ? static_cast<uint32_t>(std::strlen(s)) : 0;
    ferry_row_event r{};
    r.op = FERRY_ROW_INSERT;
    r.table = &table;
    r.after = values;
    return r;
  };
  std::string error;
  ASSERT_TRUE(b.add(row(1, "a'b"), error)) << error;
  EXPECT_FALSE(b.full());
  ASSERT_TRUE(b.add(row(2, nullptr), error)) << error;
  EXPECT_TRUE(b.full());
  EXPECT_EQ(b.take(), "REPLACE INTO `db`.`t` (`id`,`s`) VALUES (1,'a''b'),(2,NULL)");
  EXPECT_EQ(b.rows(), 2u);
  ASSERT_TRUE(b.add(row(3, "c"), error));
  EXPECT_EQ(b.take(), "REPLACE INTO `db`.`t` (`id`,`s`) VALUES (3,'c')");
}

}  // namespace
}  // namespace ferry::load
