// table_plan: which key addresses a row (DM's rule) and which indexes make causality keys.
#include "sink_test_tables.hpp"
#include "sql/table_plan.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace ferry::tidb {
namespace {

using namespace ferry::tidb::testing;
using Positions = std::vector<uint32_t>;

class TablePlanTest : public ::testing::Test {
 protected:
  std::unique_ptr<TablePlan> plan(TestTable& t) { return make_table_plan(7, t.schema(), "db", "t", charsets_); }
  CharsetNames charsets_ = charsets();
};

TEST_F(TablePlanTest, PrimaryKeyAddressesTheRow) {
  TestTable t("up", "src");
  t.int_column("id").text_column("name", kUtf8mb4GeneralCi, FERRY_COLUMN_NULLABLE).int_column("u");
  t.unique_key("uk_u", {2}).primary_key({0});
  auto p = plan(t);
  EXPECT_EQ(p->id, 7u);
  EXPECT_EQ(p->target, "`db`.`t`");
  EXPECT_EQ(p->source, "up.src");
  EXPECT_EQ(p->all_columns, "(`id`,`name`,`u`)");
  EXPECT_EQ(p->key, RowKey::Primary);
  EXPECT_EQ(p->key_columns, Positions{0});
  EXPECT_EQ(p->key_list, "`id`");
  EXPECT_EQ(p->causality_indexes, (std::vector<Positions>{{0}, {2}}));
  EXPECT_EQ(p->partial_index, (std::vector<bool>{false, false}));
}

TEST_F(TablePlanTest, WithoutPrimaryKeyTheFirstNotNullUniqueKey) {
  TestTable t("up", "src");
  t.int_column("a", FERRY_COLUMN_NULLABLE).int_column("b").int_column("c").int_column("d");
  t.unique_key("uk_a", {0}).unique_key("uk_bc", {1, 2}).unique_key("uk_d", {3});
  auto p = plan(t);
  EXPECT_EQ(p->key, RowKey::Unique);
  EXPECT_EQ(p->key_columns, (Positions{1, 2}));
  EXPECT_EQ(p->key_list, "(`b`,`c`)");
  // The nullable key cannot find a row, but equal values of it still conflict.
  EXPECT_EQ(p->causality_indexes, (std::vector<Positions>{{0}, {1, 2}, {3}}));
}

TEST_F(TablePlanTest, NullableUniqueKeyIsOnlyACausalityIndex) {
  TestTable t("up", "src");
  t.int_column("a").int_column("b", FERRY_COLUMN_NULLABLE);
  t.unique_key("uk_ab", {0, 1});
  auto p = plan(t);
  EXPECT_EQ(p->key, RowKey::AllColumns);
  EXPECT_TRUE(p->key_columns.empty());
  EXPECT_EQ(p->key_list, "");
  EXPECT_EQ(p->causality_indexes, (std::vector<Positions>{{0, 1}}));
}

TEST_F(TablePlanTest, NoKeysMeansAllColumns) {
  TestTable t("up", "src");
  t.int_column("a").int_column("b");
  auto p = plan(t);
  EXPECT_EQ(p->key, RowKey::AllColumns);
  EXPECT_TRUE(p->key_columns.empty());
  EXPECT_TRUE(p->causality_indexes.empty());
  EXPECT_EQ(p->all_columns, "(`a`,`b`)");
}

TEST_F(TablePlanTest, CompositePrimaryKeyList) {
  TestTable t("up", "src");
  t.int_column("x").int_column("a").int_column("b");
  t.primary_key({2, 1});
  auto p = plan(t);
  EXPECT_EQ(p->key, RowKey::Primary);
  EXPECT_EQ(p->key_list, "(`b`,`a`)");  // the index's own column order
}

TEST_F(TablePlanTest, NamesAreQuotedAndUnknownNamesNumbered) {
  TestTable t("up", "src");
  t.int_column("we`ird").int_column("");
  auto p = make_table_plan(1, t.schema(), "d`b", "t`t", charsets_);
  EXPECT_EQ(p->target, "`d``b`.`t``t`");
  EXPECT_EQ(p->columns[0].quoted, "`we``ird`");
  EXPECT_EQ(p->columns[1].quoted, "`@2`");
}

TEST_F(TablePlanTest, KnowsWhichColumnsCompareAsBytes) {
  TestTable t("up", "src");
  t.int_column("n").text_column("ci", kUtf8mb4GeneralCi).text_column("bin", kUtf8mb4Bin);
  t.column("raw", "varbinary(8)", kVarchar, FERRY_COLUMN_BINARY, kBinary);
  t.column("e", "enum('a','b')", kEnum, 0, kUtf8mb4GeneralCi);
  t.text_column("nopad", kUtf8mb4NopadBin);
  auto p = plan(t);
  EXPECT_TRUE(p->columns[0].compares_bytes);
  EXPECT_FALSE(p->columns[1].compares_bytes);
  EXPECT_FALSE(p->columns[2].compares_bytes);  // utf8mb4_bin pads: 'a' = 'a '
  EXPECT_TRUE(p->columns[2].compares_padded_bytes);
  EXPECT_TRUE(p->columns[3].compares_bytes);
  EXPECT_FALSE(p->columns[4].compares_bytes);
  EXPECT_FALSE(p->columns[4].compares_padded_bytes);
  EXPECT_TRUE(p->columns[5].compares_bytes);
}

TEST_F(TablePlanTest, MariadbCompressedTextColumnsCompareUnderTheirCollation) {
  // VARCHAR ... COMPRESSED (141) and TEXT COMPRESSED (140) hold text like their plain forms.
  TestTable t("up", "src");
  t.column("v", "varchar(100) /*M!100301 COMPRESSED*/", 141, 0, kUtf8mb4GeneralCi);
  t.column("t", "text /*M!100301 COMPRESSED*/", 140, 0, kUtf8mb4GeneralCi);
  t.column("b", "blob /*M!100301 COMPRESSED*/", 140, FERRY_COLUMN_BINARY, kBinary);
  auto p = plan(t);
  EXPECT_FALSE(p->columns[0].compares_bytes);
  EXPECT_FALSE(p->columns[1].compares_bytes);
  EXPECT_TRUE(p->columns[2].compares_bytes);
}

TEST_F(TablePlanTest, OwnsItsStrings) {
  std::unique_ptr<TablePlan> p;
  {
    TestTable t("up", "src");
    t.column("name", "varchar(32)", kVarchar, 0, kUtf8mb4GeneralCi).primary_key({0});
    p = plan(t);
  }  // the schema's strings are gone
  EXPECT_EQ(std::string_view(p->columns[0].column.name.data, p->columns[0].column.name.len), "name");
  EXPECT_EQ(std::string_view(p->columns[0].column.column_type.data, p->columns[0].column.column_type.len),
            "varchar(32)");
  EXPECT_EQ(p->columns[0].column.charset, kUtf8mb4GeneralCi);
}

}  // namespace
}  // namespace ferry::tidb
