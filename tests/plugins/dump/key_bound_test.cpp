#include "chunk/key_bound.hpp"

#include <gtest/gtest.h>

namespace ferry::dump {
namespace {

TEST(KeyTypes, NamesRoundTripAndUnknownOnesAreRefused) {
  for (const KeyType& t : {KeyType{KeyOrder::Integer, "", ""}, KeyType{KeyOrder::Binary, "", ""},
                           KeyType{KeyOrder::Decimal, "", ""}, KeyType{KeyOrder::Date, "", ""},
                           KeyType{KeyOrder::Datetime, "", ""}, KeyType{KeyOrder::Time, "", ""},
                           KeyType{KeyOrder::Collated, "utf8mb4", "utf8mb4_general_ci"}}) {
    auto back = parse_key_type(t.name());
    ASSERT_TRUE(back.has_value()) << t.name();
    EXPECT_TRUE(*back == t) << t.name();
  }
  EXPECT_EQ(KeyType({KeyOrder::Collated, "latin1", "latin1_swedish_ci"}).name(), "collated latin1 latin1_swedish_ci");
  EXPECT_FALSE(parse_key_type("float").has_value());
  EXPECT_FALSE(parse_key_type("collated utf8mb4").has_value());
  EXPECT_FALSE(parse_key_type("collated utf8mb4 utf8mb4_bin;DROP").has_value());
  EXPECT_FALSE(parse_key_type("decimal 10").has_value());
}

TEST(KeyLiterals, EachKindIsWrittenSoTheServerComparesItAsTheColumn) {
  const KeyType ci{KeyOrder::Collated, "utf8mb4", "utf8mb4_general_ci"};
  EXPECT_EQ(bound_literal(ci, KeyBound(std::string("aA "))), "_utf8mb4 X'614120' COLLATE utf8mb4_general_ci");
  EXPECT_EQ(bound_literal(ci, KeyBound(std::string())), "_utf8mb4 X'' COLLATE utf8mb4_general_ci");
  EXPECT_EQ(bound_literal({KeyOrder::Binary, "", ""}, KeyBound(std::string("\0a\0", 3))), "X'006100'");
  EXPECT_EQ(bound_literal({KeyOrder::Decimal, "", ""}, KeyBound(std::string("-12.5000"))), "-12.5000");
  EXPECT_EQ(bound_literal({KeyOrder::Decimal, "", ""}, KeyBound(std::string("7"))), "7");
  EXPECT_EQ(bound_literal({KeyOrder::Datetime, "", ""}, KeyBound(std::string("2024-01-31 23:59:59.000001"))),
            "CAST('2024-01-31 23:59:59.000001' AS DATETIME(6))");
  EXPECT_EQ(bound_literal({KeyOrder::Date, "", ""}, KeyBound(std::string("0000-00-00"))), "CAST('0000-00-00' AS DATE)");
  EXPECT_EQ(bound_literal({KeyOrder::Time, "", ""}, KeyBound(std::string("-838:59:59.000000"))),
            "CAST('-838:59:59.000000' AS TIME(6))");
  EXPECT_EQ(bound_literal({KeyOrder::Integer, "", ""}, KeyBound(KeyValue(-3))), "-3");
}

TEST(KeyLiterals, WhatIsNotAValueOfTheKindIsNotWritten) {
  const KeyType decimal{KeyOrder::Decimal, "", ""};
  for (const char* bad : {"", "-", "1.", ".5", "1e5", "1;", "1 OR 1"}) {
    EXPECT_FALSE(bound_literal(decimal, KeyBound(std::string(bad))).has_value()) << bad;
  }
  EXPECT_FALSE(bound_literal({KeyOrder::Datetime, "", ""}, KeyBound(std::string("2024-01-01' OR '1"))).has_value());
  EXPECT_FALSE(bound_literal({KeyOrder::Datetime, "", ""}, KeyBound(std::string(""))).has_value());
  EXPECT_FALSE(bound_literal({KeyOrder::Collated, "utf8mb4", "x y"}, KeyBound(std::string("a"))).has_value());
  // A bound of the other kind.
  EXPECT_FALSE(bound_literal({KeyOrder::Integer, "", ""}, KeyBound(std::string("1"))).has_value());
  EXPECT_FALSE(bound_literal({KeyOrder::Binary, "", ""}, KeyBound(KeyValue(1))).has_value());
}

TEST(KeyDisplay, NamesStayDistinctUnderACaseInsensitiveCheckpointTable) {
  // Letters never appear as themselves: 'a' and 'A' are told apart by their hex.
  EXPECT_EQ(bound_display(KeyBound(std::string("a"))), "x'61'");
  EXPECT_EQ(bound_display(KeyBound(std::string("A"))), "x'41'");
  EXPECT_EQ(bound_display(KeyBound(std::string("a "))), "x'6120'");
  EXPECT_EQ(bound_display(KeyBound(std::string("2024-01-31 10:00:00"))), "'2024-01-31 10:00:00'");
  EXPECT_EQ(bound_display(KeyBound(std::string("-12.50"))), "'-12.50'");
  EXPECT_EQ(bound_display(KeyBound(KeyValue(-7))), "-7");
  // Long values are cut; a hash of the whole keeps two that differ only at the end apart.
  const std::string a(300, 'q'), b = std::string(299, 'q') + "r";
  const std::string da = bound_display(KeyBound(a)), db = bound_display(KeyBound(b));
  EXPECT_LT(da.size(), 120u);
  EXPECT_NE(da, db);
  for (char c : da + db) EXPECT_FALSE(c >= 'A' && c <= 'Z') << da;
}

TEST(KeyHex, EveryByteRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(from_hex(to_hex(all)), all);
  EXPECT_EQ(from_hex("4A6b"), "Jk");
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

}  // namespace
}  // namespace ferry::dump
