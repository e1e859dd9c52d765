// The SQL a non-integer key is stepped through and ordered with (the queries themselves run
// against a real server in tests/dump/dump_text_key_test.cpp).
#include "chunk/key_queries.hpp"

#include <gtest/gtest.h>

namespace ferry::dump {
namespace {

const KeyColumn kName{"`shop`.`people`", "name", KeyType{KeyOrder::Collated, "utf8mb4", "utf8mb4_general_ci"}};

TEST(KeySteps, TheValueAtAnOffsetIsReadInKeyOrderInsideTheRange) {
  EXPECT_EQ(value_at_sql(kName, KeyRange{}, 49), "SELECT `name` FROM `shop`.`people` ORDER BY `name` LIMIT 1 OFFSET 49");
  EXPECT_EQ(value_at_sql(kName, KeyRange{KeyBound(std::string("b")), KeyBound(std::string("k"))}, 0),
            "SELECT `name` FROM `shop`.`people` WHERE `name` >= _utf8mb4 X'62' COLLATE utf8mb4_general_ci"
            " AND `name` < _utf8mb4 X'6b' COLLATE utf8mb4_general_ci ORDER BY `name` LIMIT 1 OFFSET 0");
}

TEST(KeySteps, TheNextBoundIsStrictlyGreaterSoEqualValuesStayTogether) {
  EXPECT_EQ(next_value_sql(kName, KeyBound(std::string("a")), std::nullopt),
            "SELECT `name` FROM `shop`.`people` WHERE `name` > _utf8mb4 X'61' COLLATE utf8mb4_general_ci ORDER BY `name` LIMIT 1");
  const KeyColumn amount{"`shop`.`t`", "amount", KeyType{KeyOrder::Decimal, "", ""}};
  EXPECT_EQ(next_value_sql(amount, KeyBound(std::string("1.50")), KeyBound(std::string("9.00"))),
            "SELECT `amount` FROM `shop`.`t` WHERE `amount` > 1.50 AND `amount` < 9.00 ORDER BY `amount` LIMIT 1");
  EXPECT_FALSE(next_value_sql(amount, KeyBound(std::string("1.5x")), std::nullopt).has_value());
}

TEST(KeySteps, BoundsAreRankedByTheServersGroupingAndOrder) {
  const KeyType dt{KeyOrder::Datetime, "", ""};
  EXPECT_EQ(rank_sql(dt, {KeyBound(std::string("2024-01-02 00:00:00")), KeyBound(std::string("2023-12-31 00:00:00"))}),
            "SELECT GROUP_CONCAT(i ORDER BY i) FROM (SELECT 0 AS i, CAST('2024-01-02 00:00:00' AS DATETIME(6)) AS v"
            " UNION ALL SELECT 1, CAST('2023-12-31 00:00:00' AS DATETIME(6))) AS b GROUP BY v ORDER BY v");
  EXPECT_FALSE(rank_sql(dt, {KeyBound(std::string("yesterday"))}).has_value());
}

}  // namespace
}  // namespace ferry::dump
