#include "sql/bulk_rows.hpp"

#include <mysql.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace ferry::load {
namespace {

// A table of: s VARCHAR (utf8mb4), y YEAR, b BIT, ip INET6 (text without a charset), g generated,
// n INT, d DOUBLE.
struct Table {
  ferry_column columns[7]{};
  ferry_table_schema schema{};
  Table() {
    const char* names[] = {"s", "y", "b", "ip", "g", "n", "d"};
    const uint8_t types[] = {15, 13, 16, 254, 3, 3, 5};
    for (int i = 0; i < 7; ++i) {
      columns[i].name = {names[i], static_cast<uint32_t>(std::strlen(names[i]))};
      columns[i].mysql_type = types[i];
    }
    columns[0].charset = 45;
    columns[4].flags = FERRY_COLUMN_GENERATED;
    schema.column_count = 7;
    schema.columns = columns;
  }
};

ferry_value text(const std::string& s, ferry_value_type type = FERRY_VALUE_STRING) {
  ferry_value v{};
  v.type = type;
  v.data = s.data();
  v.len = static_cast<uint32_t>(s.size());
  return v;
}
ferry_value number(ferry_value_type type, uint64_t bits) {
  ferry_value v{};
  v.type = type;
  v.num.u64 = bits;
  return v;
}
ferry_value real(double d) {
  ferry_value v{};
  v.type = FERRY_VALUE_DOUBLE;
  v.num.f64 = d;
  return v;
}
ferry_value null() { return ferry_value{}; }

ferry_row_event row_of(const Table& t, std::vector<ferry_value>& values) {
  ferry_row_event r{};
  r.op = FERRY_ROW_INSERT;
  r.table = &t.schema;
  r.after = values.data();
  return r;
}

TEST(BulkRows, TheStatementBindsEveryStoredColumnAndConvertsTextWithoutACharset) {
  Table t;
  BulkRows rows("REPLACE", t.schema, "db", "t");
  EXPECT_EQ(rows.statement(), "REPLACE INTO `db`.`t` (`s`,`y`,`b`,`ip`,`n`,`d`) VALUES (?,?,?,CONVERT(? USING utf8mb4),?,?)");
  EXPECT_EQ(rows.parameters(), 6u);
}

TEST(BulkRows, ValuesBindAsTheirKindWithTextAsBinaryBytesAndNullsByIndicator) {
  Table t;
  BulkRows rows("INSERT", t.schema, "db", "t");
  BulkBatch batch = rows.new_batch();
  const std::string s1("a\tb\0c", 5), ip("::1");
  std::vector<ferry_value> first{text(s1), number(FERRY_VALUE_YEAR, 0), number(FERRY_VALUE_BIT, 1023), text(ip), null(),
                                 number(FERRY_VALUE_INT, static_cast<uint64_t>(-5)), real(0.1)};
  std::vector<ferry_value> second{null(), number(FERRY_VALUE_YEAR, 1999), null(), null(), null(), null(), real(-2.5)};
  std::string error;
  ASSERT_TRUE(rows.append(batch, row_of(t, first), error)) << error;
  ASSERT_TRUE(rows.append(batch, row_of(t, second), error)) << error;
  EXPECT_EQ(batch.rows(), 2u);
  // On the wire: the bytes of the text values and numbers, with their lengths and indicators;
  // in memory, more (offsets, pointers beside each value).
  EXPECT_GE(batch.wire_bytes(), s1.size() + 4 + 4 + 3 + 8 + 8);
  EXPECT_GT(batch.bytes(), batch.wire_bytes());

  MYSQL_BIND binds[6];
  ASSERT_EQ(batch.bind(binds), 2u);
  // s: bytes as they are (tab and zero byte kept), no conversion (a BLOB parameter); then NULL.
  EXPECT_EQ(binds[0].buffer_type, MYSQL_TYPE_BLOB);
  EXPECT_EQ(std::string(static_cast<char**>(binds[0].buffer)[0], binds[0].length[0]), s1);
  EXPECT_EQ(binds[0].u.indicator[0], STMT_INDICATOR_NONE);
  EXPECT_EQ(binds[0].u.indicator[1], STMT_INDICATOR_NULL);
  // y: four digits, so that the year zero stays 0000.
  EXPECT_EQ(std::string(static_cast<char**>(binds[1].buffer)[0], binds[1].length[0]), "0000");
  EXPECT_EQ(std::string(static_cast<char**>(binds[1].buffer)[1], binds[1].length[1]), "1999");
  // b: the bits as an unsigned integer.
  EXPECT_EQ(binds[2].buffer_type, MYSQL_TYPE_LONGLONG);
  EXPECT_TRUE(binds[2].is_unsigned);
  EXPECT_EQ(static_cast<int64_t*>(binds[2].buffer)[0], 1023);
  EXPECT_EQ(std::string(static_cast<char**>(binds[3].buffer)[0], binds[3].length[0]), "::1");
  // n: signed.
  EXPECT_EQ(binds[4].buffer_type, MYSQL_TYPE_LONGLONG);
  EXPECT_FALSE(binds[4].is_unsigned);
  EXPECT_EQ(static_cast<int64_t*>(binds[4].buffer)[0], -5);
  EXPECT_EQ(binds[4].u.indicator[1], STMT_INDICATOR_NULL);
  // d: the double's own bits.
  EXPECT_EQ(binds[5].buffer_type, MYSQL_TYPE_DOUBLE);
  EXPECT_EQ(static_cast<double*>(binds[5].buffer)[0], 0.1);
  EXPECT_EQ(static_cast<double*>(binds[5].buffer)[1], -2.5);
}

TEST(BulkRows, AColumnNullSoFarTakesTheKindOfItsFirstValue) {
  Table t;
  BulkRows rows("INSERT", t.schema, "db", "t");
  BulkBatch batch = rows.new_batch();
  std::vector<ferry_value> nulls{null(), null(), null(), null(), null(), null(), null()};
  const std::string later("x");
  std::vector<ferry_value> values{text(later), null(), null(), null(), null(), number(FERRY_VALUE_INT, 7), null()};
  std::string error;
  ASSERT_TRUE(rows.append(batch, row_of(t, nulls), error));
  ASSERT_TRUE(rows.append(batch, row_of(t, nulls), error));
  ASSERT_TRUE(rows.append(batch, row_of(t, values), error));
  MYSQL_BIND binds[6];
  ASSERT_EQ(batch.bind(binds), 3u);
  EXPECT_EQ(binds[0].u.indicator[0], STMT_INDICATOR_NULL);
  EXPECT_EQ(std::string(static_cast<char**>(binds[0].buffer)[2], binds[0].length[2]), "x");
  EXPECT_EQ(static_cast<int64_t*>(binds[4].buffer)[2], 7);
  EXPECT_EQ(binds[4].u.indicator[1], STMT_INDICATOR_NULL);
  // A column NULL in every row binds as bytes, every row NULL.
  EXPECT_EQ(binds[5].buffer_type, MYSQL_TYPE_BLOB);
  EXPECT_EQ(binds[5].u.indicator[2], STMT_INDICATOR_NULL);
}

TEST(BulkRows, ARowOfAnotherKindStartsTheNextBatchAndANonFiniteDoubleIsRefused) {
  Table t;
  BulkRows rows("INSERT", t.schema, "db", "t");
  BulkBatch batch = rows.new_batch();
  std::vector<ferry_value> as_int{null(), null(), null(), null(), null(), number(FERRY_VALUE_INT, 1), null()};
  std::vector<ferry_value> as_uint{null(), null(), null(), null(), null(), number(FERRY_VALUE_UINT, 2), null()};
  std::string error;
  ASSERT_TRUE(rows.append(batch, row_of(t, as_int), error));
  EXPECT_FALSE(rows.append(batch, row_of(t, as_uint), error));
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(batch.rows(), 1u);  // nothing of the refused row went in
  BulkBatch next = rows.new_batch();
  EXPECT_TRUE(rows.append(next, row_of(t, as_uint), error));

  std::vector<ferry_value> infinite{null(), null(), null(), null(), null(), null(), real(1.0 / 0.0)};
  EXPECT_FALSE(rows.append(next, row_of(t, infinite), error));
  EXPECT_NE(error.find("not finite"), std::string::npos) << error;
  EXPECT_EQ(next.rows(), 1u);
}

}  // namespace
}  // namespace ferry::load
