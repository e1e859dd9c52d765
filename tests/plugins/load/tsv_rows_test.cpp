#include "sql/tsv_rows.hpp"

#include <gtest/gtest.h>

namespace ferry::load {
namespace {

TEST(TsvRows, FieldsAreEscapedNullIsBackslashNAndYearKeepsFourDigits) {
  ferry_column columns[5]{};
  columns[0].name = {"s", 1};
  columns[0].mysql_type = 15;
  columns[0].charset = 45;
  columns[1].name = {"y", 1};
  columns[1].mysql_type = 13;
  columns[2].name = {"b", 1};
  columns[2].mysql_type = 16;  // BIT
  columns[3].name = {"ip", 2};
  columns[3].mysql_type = 254;  // INET6: text without a charset
  columns[4].name = {"g", 1};
  columns[4].flags = FERRY_COLUMN_GENERATED;
  ferry_table_schema table{};
  table.column_count = 5;
  table.columns = columns;
  TsvRows tsv(table, "db", "t");
  EXPECT_EQ(tsv.statement("REPLACE"),
            "LOAD DATA LOCAL INFILE 'ferry-chunk' REPLACE INTO TABLE `db`.`t` CHARACTER SET binary FIELDS TERMINATED BY '\\t' "
            "ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (`s`,`y`,@ferry_v2,@ferry_v3) SET `b` = CAST(@ferry_v2 AS UNSIGNED), "
            "`ip` = CONVERT(@ferry_v3 USING utf8mb4)");
  ferry_value values[5]{};
  const std::string text("a\tb\nc\\d\0e", 9);
  values[0].type = FERRY_VALUE_STRING;
  values[0].data = text.data();
  values[0].len = static_cast<uint32_t>(text.size());
  values[1].type = FERRY_VALUE_YEAR;
  values[1].num.i64 = 0;
  values[2].type = FERRY_VALUE_BIT;
  values[2].num.u64 = 1023;
  values[3].type = FERRY_VALUE_NULL;
  ferry_row_event row{};
  row.table = &table;
  row.after = values;
  std::string out, error;
  ASSERT_TRUE(tsv.append(out, row, error)) << error;
  EXPECT_EQ(out, std::string("a\\tb\\nc\\\\d\\0e\t0000\t1023\t\\N\n"));
  values[0].type = FERRY_VALUE_NULL;
  values[1].num.i64 = 2155;
  values[3].type = FERRY_VALUE_STRING;
  values[3].data = "::1";
  values[3].len = 3;
  out.clear();
  ASSERT_TRUE(tsv.append(out, row, error)) << error;
  EXPECT_EQ(out, "\\N\t2155\t1023\t::1\n");
}

}  // namespace
}  // namespace ferry::load
