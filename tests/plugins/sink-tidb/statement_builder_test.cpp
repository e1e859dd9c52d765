// row_renderer + statement_builder: row changes in, the exact SQL the workers run out.
#include "render_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <limits>
#include <numeric>
#include <regex>
#include <string>
#include <vector>

namespace ferry::tidb {
namespace {

using namespace ferry::tidb::testing;
using Sql = std::vector<std::string>;

class Statements : public RenderFixture {
 protected:
  Statements() {
    // `db`.`t`: id INT PRIMARY KEY, name VARCHAR NULL (utf8mb4_general_ci).
    t_table_.int_column("id").text_column("name", kUtf8mb4GeneralCi, FERRY_COLUMN_NULLABLE).primary_key({0});
    t_ = plan_of(t_table_);
    // `db`.`c`: PRIMARY KEY (a, b), v.
    c_table_.int_column("a").int_column("b").int_column("v").primary_key({0, 1});
    c_ = plan_of(c_table_, "c");
    // `db`.`k`: no keys, a INT NULL, b VARCHAR NULL (utf8mb4_general_ci).
    k_table_.int_column("a", FERRY_COLUMN_NULLABLE).text_column("b", kUtf8mb4GeneralCi, FERRY_COLUMN_NULLABLE);
    k_ = plan_of(k_table_, "k");
  }

  // Builds the statements of 100 one-row units, rows 1..100, under `limit` bytes: each statement
  // is within it, has `head` and `tail`, names its first row's unit, and together they hold every
  // row's id (read back by `item`) once, in order.
  void expect_split(size_t limit, std::string_view head, std::string_view tail, const std::regex& item) {
    BuildOptions o;
    o.max_statement_bytes = limit;
    sql(o);
    ASSERT_GT(statements_.size(), 5u);
    uint32_t next_unit = 0;
    std::vector<int> ids;
    for (const auto& s : statements_) {
      EXPECT_LE(s.sql.size(), limit) << s.sql;
      EXPECT_TRUE(s.sql.starts_with(head) && s.sql.ends_with(tail)) << s.sql;
      EXPECT_EQ(s.unit, next_unit) << s.sql;
      next_unit += s.row_count;
      for (std::sregex_iterator it(s.sql.begin(), s.sql.end(), item), end; it != end; ++it) {
        ids.push_back(std::stoi((*it)[1]));
      }
    }
    EXPECT_EQ(next_unit, 100u);
    std::vector<int> expected(100);
    std::iota(expected.begin(), expected.end(), 1);
    EXPECT_EQ(ids, expected);
  }

  static BuildOptions compacted() {
    BuildOptions o;
    o.compact = true;
    return o;
  }

  TestTable t_table_{"up", "t"};
  TestTable c_table_{"up", "c"};
  TestTable k_table_{"up", "k"};
  std::unique_ptr<TablePlan> t_, c_, k_;
};

TEST_F(Statements, InsertUpdateDeleteByPrimaryKey) {
  insert(*t_, {int_value(1), text_value("a")});
  update(*t_, {int_value(1), text_value("a")}, {int_value(1), text_value("it's")});
  remove(*t_, {int_value(1), text_value("it's")});
  EXPECT_EQ(sql(), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'a')",
                        "UPDATE `db`.`t` SET `id`=1,`name`='it''s' WHERE `id`=1",
                        "DELETE FROM `db`.`t` WHERE `id`=1"}));
  EXPECT_FALSE(units_[1].rows[0].key_changed);
  EXPECT_EQ(statements_[1].unit, 1u);
  EXPECT_EQ(statements_[1].row_count, 1u);
}

TEST_F(Statements, UpdateMovingThePrimaryKeySetsKeyChanged) {
  ChangeUnit& u = update(*t_, {int_value(1), text_value("a")}, {int_value(2), text_value("a")});
  ASSERT_EQ(u.rows.size(), 1u);
  EXPECT_TRUE(u.rows[0].key_changed);
  EXPECT_EQ(u.span(u.rows[0].key_tuple), "1");
  EXPECT_EQ(u.span(u.rows[0].after_key), "2");
  EXPECT_EQ(sql(), (Sql{"UPDATE `db`.`t` SET `id`=2,`name`='a' WHERE `id`=1"}));
}

TEST_F(Statements, CompositeKeyConditions) {
  update(*c_, {int_value(1), int_value(2), int_value(3)}, {int_value(1), int_value(2), int_value(4)});
  EXPECT_EQ(sql(), (Sql{"UPDATE `db`.`c` SET `a`=1,`b`=2,`v`=4 WHERE `a`=1 AND `b`=2"}));
  EXPECT_EQ(units_[0].span(units_[0].rows[0].key_tuple), "(1,2)");
}

TEST_F(Statements, KeylessRowsAreFoundByEveryColumnNullSafelyAndLimitOne) {
  remove(*k_, {int_value(1), text_value("x")});
  remove(*k_, {null_value(), null_value()});
  update(*k_, {int_value(1), text_value("x")}, {int_value(2), text_value("x")});
  // Text under a case-insensitive collation is compared as bytes: 'x' must not find a row 'X'.
  EXPECT_EQ(sql(), (Sql{"DELETE FROM `db`.`k` WHERE `a` <=> 1 AND BINARY `b` <=> BINARY 'x' LIMIT 1",
                        "DELETE FROM `db`.`k` WHERE `a` <=> NULL AND `b` <=> NULL LIMIT 1",
                        "UPDATE `db`.`k` SET `a`=2,`b`='x' WHERE `a` <=> 1 AND BINARY `b` <=> BINARY 'x' LIMIT 1"}));
  EXPECT_TRUE(units_[2].rows[0].key_changed);  // without a key a row is treated as moving
}

// Found by this test: utf8mb4_bin is PAD SPACE ('abc' = 'abc '), so a plain comparison could
// delete the row 'abc' for the row 'abc '. Only a NO PAD binary collation compares as is.
TEST_F(Statements, KeylessRowsUnderAPadSpaceBinCollationAreComparedAsBytes) {
  TestTable bin("up", "kb");
  bin.text_column("b", kUtf8mb4Bin).text_column("n", kUtf8mb4NopadBin);
  auto p = plan_of(bin, "kb");
  remove(*p, {text_value("abc "), text_value("x ")});
  EXPECT_EQ(sql(), (Sql{"DELETE FROM `db`.`kb` WHERE BINARY `b` <=> BINARY 'abc ' AND `n` <=> 'x ' LIMIT 1"}));
}

TEST_F(Statements, KeylessDeletesNeverMerge) {
  remove(*k_, {int_value(1), text_value("x")});
  remove(*k_, {int_value(2), text_value("y")});
  EXPECT_EQ(sql().size(), 2u);
}

TEST_F(Statements, PartialImagesListOnlyPresentColumns) {
  TestTable wide("up", "w");
  wide.int_column("id").int_column("a", FERRY_COLUMN_NULLABLE).text_column("b", kUtf8mb4GeneralCi).primary_key({0});
  auto w = plan_of(wide, "w");
  const Bits id_only = present({0}, 3);
  const Bits id_and_b = present({0, 2}, 3);
  const Bits b_only = present({2}, 3);
  // binlog_row_image=MINIMAL: the before image holds the key, the after image what changed.
  update(*w, {int_value(1), garbage_value(), garbage_value()}, {garbage_value(), garbage_value(), text_value("y")},
         id_only, b_only);
  remove(*w, {int_value(1), garbage_value(), garbage_value()}, id_only);
  // NOBLOB-like: an INSERT without one column.
  insert(*w, {int_value(2), garbage_value(), text_value("z")}, id_and_b);
  EXPECT_EQ(sql(), (Sql{"UPDATE `db`.`w` SET `b`='y' WHERE `id`=1",
                        "DELETE FROM `db`.`w` WHERE `id`=1",
                        "INSERT INTO `db`.`w`(`id`,`b`) VALUES (2,'z')"}));
  EXPECT_FALSE(units_[0].rows[0].key_changed);  // the after image leaves the unchanged key out
  EXPECT_FALSE(units_[2].rows[0].full_after);
}

TEST_F(Statements, PartialInsertDoesNotMergeWithFullInsert) {
  insert(*t_, {int_value(1), text_value("a")});
  insert(*t_, {int_value(2), garbage_value()}, present({0}, 2));
  insert(*t_, {int_value(3), garbage_value()}, present({0}, 2));
  EXPECT_EQ(sql(), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'a')",
                        "INSERT INTO `db`.`t`(`id`) VALUES (2),(3)"}));
}

TEST_F(Statements, ConsecutiveInsertsBecomeOneMultiRowInsert) {
  insert(*t_, {int_value(1), text_value("a")});
  insert(*t_, {int_value(2), null_value()});
  insert(*t_, {int_value(3), text_value("c")});
  EXPECT_EQ(sql(), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'a'),(2,NULL),(3,'c')"}));
  EXPECT_EQ(statements_[0].row_count, 3u);
  EXPECT_EQ(statements_[0].unit, 0u);
  EXPECT_EQ(statements_[0].row, 0u);
}

TEST_F(Statements, RowsOfOneUnitMergeToo) {
  ChangeUnit& unit = units_.emplace_back();
  std::string error;
  ASSERT_TRUE(render_into(unit, *t_, FERRY_ROW_INSERT, {}, {int_value(1), text_value("a")}, {}, {}, error)) << error;
  ASSERT_TRUE(render_into(unit, *t_, FERRY_ROW_INSERT, {}, {int_value(2), text_value("b")}, {}, {}, error)) << error;
  EXPECT_EQ(sql(), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'a'),(2,'b')"}));
}

TEST_F(Statements, InsertsIntoDifferentTablesDoNotMerge) {
  insert(*t_, {int_value(1), text_value("a")});
  insert(*c_, {int_value(1), int_value(2), int_value(3)});
  insert(*t_, {int_value(2), text_value("b")});
  EXPECT_EQ(sql(), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'a')",
                        "INSERT INTO `db`.`c`(`a`,`b`,`v`) VALUES (1,2,3)",
                        "INSERT INTO `db`.`t`(`id`,`name`) VALUES (2,'b')"}));
}

TEST_F(Statements, ConsecutiveDeletesByKeyBecomeOneInList) {
  remove(*t_, {int_value(1), text_value("a")});
  remove(*t_, {int_value(2), null_value()});
  EXPECT_EQ(sql(), (Sql{"DELETE FROM `db`.`t` WHERE `id` IN (1,2)"}));
  EXPECT_EQ(statements_[0].row_count, 2u);
}

TEST_F(Statements, CompositeKeyDeletesBecomeOneTupleInList) {
  remove(*c_, {int_value(1), int_value(2), int_value(9)});
  remove(*c_, {int_value(3), int_value(4), int_value(9)});
  EXPECT_EQ(sql(), (Sql{"DELETE FROM `db`.`c` WHERE (`a`,`b`) IN ((1,2),(3,4))"}));
}

TEST_F(Statements, AnInsertBetweenDeletesBreaksTheMergeAndKeepsOrder) {
  remove(*t_, {int_value(1), text_value("a")});
  insert(*t_, {int_value(5), text_value("e")});
  remove(*t_, {int_value(2), text_value("b")});
  EXPECT_EQ(sql(), (Sql{"DELETE FROM `db`.`t` WHERE `id`=1",
                        "INSERT INTO `db`.`t`(`id`,`name`) VALUES (5,'e')",
                        "DELETE FROM `db`.`t` WHERE `id`=2"}));
}

TEST_F(Statements, UpdatesStayOneStatementPerRow) {
  update(*t_, {int_value(1), text_value("a")}, {int_value(1), text_value("b")});
  update(*t_, {int_value(2), text_value("a")}, {int_value(2), text_value("b")});
  EXPECT_EQ(sql().size(), 2u);
}

TEST_F(Statements, MultipleRowsOffNeverMerges) {
  insert(*t_, {int_value(1), text_value("a")});
  insert(*t_, {int_value(2), text_value("b")});
  remove(*t_, {int_value(1), text_value("a")});
  remove(*t_, {int_value(2), text_value("b")});
  BuildOptions o;
  o.multiple_rows = false;
  EXPECT_EQ(sql(o), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'a')",
                         "INSERT INTO `db`.`t`(`id`,`name`) VALUES (2,'b')",
                         "DELETE FROM `db`.`t` WHERE `id`=1",
                         "DELETE FROM `db`.`t` WHERE `id`=2"}));
}

TEST_F(Statements, MaxStatementBytesSplitsAMultiRowInsert) {
  std::deque<std::string> names;
  for (int i = 1; i <= 100; ++i) insert(*t_, {int_value(i), text_value(names.emplace_back("row-" + std::to_string(i)))});
  expect_split(200, "INSERT INTO `db`.`t`(`id`,`name`) VALUES (", ")", std::regex(R"(\((\d+),'row-)"));
}

TEST_F(Statements, MaxStatementBytesSplitsADeleteInList) {
  for (int i = 1; i <= 100; ++i) remove(*t_, {int_value(i), null_value()});
  expect_split(80, "DELETE FROM `db`.`t` WHERE `id` IN (", ")", std::regex(R"([(,](\d+))"));
}

TEST_F(Statements, ARowLargerThanTheLimitStillGoesAlone) {
  insert(*t_, {int_value(1), text_value("a")});
  insert(*t_, {int_value(2), text_value("b")});
  BuildOptions o;
  o.max_statement_bytes = 10;
  EXPECT_EQ(sql(o), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'a')",
                         "INSERT INTO `db`.`t`(`id`,`name`) VALUES (2,'b')"}));
}

TEST_F(Statements, SafeModeInsertBecomesReplace) {
  insert(*t_, {int_value(1), text_value("a")}).safe = true;
  insert(*t_, {int_value(2), text_value("b")}).safe = true;
  insert(*t_, {int_value(3), text_value("c")});  // not in the replay window: no merge with REPLACE
  EXPECT_EQ(sql(), (Sql{"REPLACE INTO `db`.`t`(`id`,`name`) VALUES (1,'a'),(2,'b')",
                        "INSERT INTO `db`.`t`(`id`,`name`) VALUES (3,'c')"}));
}

TEST_F(Statements, SafeModeUpdateMovingTheKeyIsDeleteThenReplace) {
  update(*t_, {int_value(1), text_value("a")}, {int_value(2), text_value("a")}).safe = true;
  EXPECT_EQ(sql(), (Sql{"DELETE FROM `db`.`t` WHERE `id`=1 LIMIT 1",
                        "REPLACE INTO `db`.`t`(`id`,`name`) VALUES (2,'a')"}));
}

TEST_F(Statements, SafeModeUpdateKeepingTheKeyIsReplace) {
  update(*t_, {int_value(1), text_value("a")}, {int_value(1), text_value("b")}).safe = true;
  EXPECT_EQ(sql(), (Sql{"REPLACE INTO `db`.`t`(`id`,`name`) VALUES (1,'b')"}));
}

TEST_F(Statements, ForceSafeDoesWhatSafeModeDoes) {
  insert(*t_, {int_value(1), text_value("a")});
  update(*t_, {int_value(1), text_value("a")}, {int_value(2), text_value("a")});
  update(*t_, {int_value(2), text_value("a")}, {int_value(2), text_value("b")});
  remove(*t_, {int_value(2), text_value("b")});
  BuildOptions o;
  o.force_safe = true;
  EXPECT_EQ(sql(o), (Sql{"REPLACE INTO `db`.`t`(`id`,`name`) VALUES (1,'a')",
                         "DELETE FROM `db`.`t` WHERE `id`=1 LIMIT 1",
                         "REPLACE INTO `db`.`t`(`id`,`name`) VALUES (2,'a')",
                         "REPLACE INTO `db`.`t`(`id`,`name`) VALUES (2,'b')",
                         "DELETE FROM `db`.`t` WHERE `id`=2"}));
}

TEST_F(Statements, SafeModeKeylessUpdateStaysAnUpdate) {
  update(*k_, {int_value(1), null_value()}, {int_value(2), null_value()}).safe = true;
  EXPECT_EQ(sql(), (Sql{"UPDATE `db`.`k` SET `a`=2,`b`=NULL WHERE `a` <=> 1 AND `b` <=> NULL LIMIT 1"}));
}

TEST_F(Statements, GeneratedColumnsAreNeverWritten) {
  TestTable gen("up", "g");
  gen.int_column("id").int_column("a").int_column("s", FERRY_COLUMN_GENERATED).primary_key({0});
  auto g = plan_of(gen, "g");
  insert(*g, {int_value(1), int_value(2), int_value(9901)});
  update(*g, {int_value(1), int_value(2), int_value(9902)}, {int_value(1), int_value(3), int_value(9903)});
  update(*g, {int_value(1), int_value(3), int_value(9903)}, {int_value(1), int_value(4), int_value(9904)}).safe = true;
  EXPECT_EQ(sql(), (Sql{"INSERT INTO `db`.`g`(`id`,`a`) VALUES (1,2)",
                        "UPDATE `db`.`g` SET `id`=1,`a`=3 WHERE `id`=1",
                        "UPDATE `db`.`g` SET `id`=1,`a`=4 WHERE `id`=1"}));
}

TEST_F(Statements, GeneratedColumnsAreLeftOutOfKeylessConditions) {
  TestTable gen("up", "gk");
  gen.int_column("a").int_column("s", FERRY_COLUMN_GENERATED);
  auto g = plan_of(gen, "gk");
  remove(*g, {int_value(1), int_value(9901)});
  EXPECT_EQ(sql(), (Sql{"DELETE FROM `db`.`gk` WHERE `a` <=> 1 LIMIT 1"}));
}

TEST_F(Statements, UnknownColumnNamesAreRefused) {
  TestTable nameless("up", "n");
  nameless.int_column("").int_column("");
  auto n = plan_of(nameless, "n");
  ChangeUnit unit;
  std::string error;
  EXPECT_FALSE(render_into(unit, *n, FERRY_ROW_INSERT, {}, {int_value(1), int_value(2)}, {}, {}, error));
  EXPECT_NE(error.find("column names of up.n are unknown"), std::string::npos) << error;
  EXPECT_TRUE(unit.rows.empty());
}

TEST_F(Statements, ValueWithoutLiteralIsRefused) {
  ChangeUnit unit;
  std::string error;
  EXPECT_FALSE(render_into(unit, *c_, FERRY_ROW_INSERT, {},
                           {int_value(1), int_value(2), double_value(std::numeric_limits<double>::infinity())}, {},
                           {}, error));
  EXPECT_NE(error.find("not finite"), std::string::npos) << error;
}

TEST_F(Statements, EnumErrorValueRunsWithoutStrictModeAlone) {
  TestTable e("up", "e");
  e.int_column("id").column("v", "enum('a','b')", kEnum, 0, kUtf8mb4GeneralCi).primary_key({0});
  auto p = plan_of(e, "e");
  ferry_value error_value = text_value("", FERRY_VALUE_ENUM);  // index 0: the '' a non-strict session stores
  ferry_value a = text_value("a", FERRY_VALUE_ENUM);
  a.num.u64 = 1;
  insert(*p, {int_value(1), error_value});
  insert(*p, {int_value(2), a});
  sql();
  ASSERT_EQ(statements_.size(), 2u);
  EXPECT_EQ(statements_[0].sql,
            "SET @ferry_sql_mode = @@SESSION.sql_mode;"
            "SET SESSION sql_mode = REPLACE(REPLACE(@@SESSION.sql_mode, 'STRICT_TRANS_TABLES', ''), 'STRICT_ALL_TABLES', '');"
            "INSERT INTO `db`.`e`(`id`,`v`) VALUES (1,0);SET SESSION sql_mode = @ferry_sql_mode");
  EXPECT_EQ(statements_[0].pieces, 4u);
  EXPECT_EQ(statements_[1].sql, "INSERT INTO `db`.`e`(`id`,`v`) VALUES (2,'a')");
  EXPECT_EQ(statements_[1].pieces, 1u);
}

TEST_F(Statements, CompactInsertThenUpdateIsTheFinalInsert) {
  insert(*t_, {int_value(1), text_value("a")});
  update(*t_, {int_value(1), text_value("a")}, {int_value(1), text_value("b")});
  EXPECT_EQ(sql(compacted()), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'b')"}));
  EXPECT_EQ(statements_[0].row_count, 2u);
}

TEST_F(Statements, CompactInsertThenDeleteIsNothing) {
  insert(*t_, {int_value(1), text_value("a")});
  remove(*t_, {int_value(1), text_value("a")});
  insert(*t_, {int_value(2), text_value("b")});
  EXPECT_EQ(sql(compacted()), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (2,'b')"}));
}

TEST_F(Statements, CompactDeleteThenInsertIsReplace) {
  remove(*t_, {int_value(1), text_value("a")});
  insert(*t_, {int_value(1), text_value("c")});
  EXPECT_EQ(sql(compacted()), (Sql{"REPLACE INTO `db`.`t`(`id`,`name`) VALUES (1,'c')"}));
}

TEST_F(Statements, CompactKeepsAKeyMovingUpdate) {
  insert(*t_, {int_value(1), text_value("a")});
  update(*t_, {int_value(1), text_value("a")}, {int_value(2), text_value("a")});
  EXPECT_EQ(sql(compacted()), (Sql{"INSERT INTO `db`.`t`(`id`,`name`) VALUES (1,'a')",
                         "UPDATE `db`.`t` SET `id`=2,`name`='a' WHERE `id`=1"}));
}

}  // namespace
}  // namespace ferry::tidb
