#include "sql/error_value_rows.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace ferry::load {
namespace {

// `db`.`t` (id INT, e ENUM('a','b'), f ENUM('', 'z')): the error value is index 0 in both; in f,
// '' (index 1) is a member.
class ErrorValueRowsTest : public ::testing::Test {
 protected:
  ErrorValueRowsTest() {
    columns_[0].name = {"id", 2};
    columns_[1].name = {"e", 1};
    columns_[1].column_type = {"enum('a','b')", 13};
    columns_[1].mysql_type = 247;
    columns_[1].charset = 45;
    columns_[2].name = {"f", 1};
    columns_[2].column_type = {"ENUM('','z')", 12};  // recognised by its type text alone
    columns_[2].charset = 45;
    table_.column_count = 3;
    table_.columns = columns_;
    charsets_.add(45, "utf8mb4", "utf8mb4_general_ci");
  }
  // A row whose ENUMs hold the given indexes ("" names the error value and the member '').
  ferry_row_event row(int64_t id, uint64_t e, uint64_t f) {
    static const char* const kE[] = {"", "a", "b"};
    static const char* const kF[] = {"", "", "z"};
    values_[0] = ferry_value{};
    values_[0].type = FERRY_VALUE_INT;
    values_[0].num.i64 = id;
    for (auto [i, index, names] : {std::tuple{1, e, kE}, std::tuple{2, f, kF}}) {
      values_[i] = ferry_value{};
      values_[i].type = FERRY_VALUE_ENUM;
      values_[i].num.u64 = index;
      values_[i].data = names[index];
      values_[i].len = static_cast<uint32_t>(std::string_view(names[index]).size());
    }
    ferry_row_event r{};
    r.op = FERRY_ROW_INSERT;
    r.table = &table_;
    r.after = values_;
    return r;
  }

  ferry_column columns_[3]{};
  ferry_table_schema table_{};
  ferry_value values_[3]{};
  tidb::CharsetNames charsets_;
};

TEST_F(ErrorValueRowsTest, OnlyRowsWithIndexZeroAreTakenAndEachValueIsAnExpectedWarning) {
  ErrorValueRows rows("REPLACE", table_, "db", "t", charsets_, tidb::LiteralStyle{}, 1 << 20);
  EXPECT_FALSE(rows.holds_error_value(row(1, 1, 2)));
  EXPECT_FALSE(rows.holds_error_value(row(1, 2, 1)));  // f's member '' is no error value
  EXPECT_TRUE(rows.holds_error_value(row(1, 0, 1)));
  EXPECT_TRUE(rows.holds_error_value(row(1, 1, 0)));
  std::string error;
  ASSERT_TRUE(rows.add(row(1, 0, 1), error)) << error;
  ASSERT_TRUE(rows.add(row(2, 0, 0), error)) << error;
  LenientStatement s = rows.take();
  EXPECT_EQ(s.sql, "REPLACE INTO `db`.`t` (`id`,`e`,`f`) VALUES (1,0,''),(2,0,0)");
  EXPECT_EQ(s.expected_warnings,
            (std::vector<std::string>{"Data truncated for column 'e' at row 1", "Data truncated for column 'e' at row 2",
                                      "Data truncated for column 'f' at row 2"}));
  // Rows count again from 1 in the next statement.
  ASSERT_TRUE(rows.add(row(3, 1, 0), error)) << error;
  EXPECT_EQ(rows.take().expected_warnings, std::vector<std::string>{"Data truncated for column 'f' at row 1"});
  EXPECT_TRUE(rows.empty());
}

TEST_F(ErrorValueRowsTest, AStatementHoldsNoMoreErrorValuesThanTheServerKeepsWarnings) {
  ErrorValueRows rows("INSERT", table_, "db", "t", charsets_, tidb::LiteralStyle{}, 1 << 20);
  std::string error;
  for (size_t i = 0; i + 1 < ErrorValueRows::kMaxValuesPerStatement; ++i) {
    ASSERT_TRUE(rows.add(row(static_cast<int64_t>(i), 0, 1), error)) << error;
  }
  EXPECT_FALSE(rows.full());
  ASSERT_TRUE(rows.add(row(99, 0, 1), error)) << error;
  EXPECT_TRUE(rows.full());
  EXPECT_EQ(rows.take().expected_warnings.size(), ErrorValueRows::kMaxValuesPerStatement);
  EXPECT_FALSE(rows.full());
}

}  // namespace
}  // namespace ferry::load
