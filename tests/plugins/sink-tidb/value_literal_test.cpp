// value_literal: every ferry_value type as the exact SQL literal the sink sends downstream.
#include "sink_test_tables.hpp"
#include "sql/value_literal.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <string>
#include <string_view>

namespace ferry::tidb {
namespace {

using namespace ferry::tidb::testing;
using namespace std::literals;

ferry_column column_of(uint16_t charset, std::string_view column_type = "") {
  ferry_column c{};
  c.charset = charset;
  c.column_type = ferry_str{column_type.data(), static_cast<uint32_t>(column_type.size())};
  return c;
}

class ValueLiteral : public ::testing::Test {
 protected:
  // The literal of `v`; a refused value fails the test.
  std::string literal(const ferry_value& v, const ferry_column& c = column_of(kUtf8mb4GeneralCi),
                      LiteralStyle style = {}) {
    std::string out;
    std::string error;
    EXPECT_TRUE(append_literal(out, v, c, charsets_, style, error)) << error;
    EXPECT_EQ(error, "");
    return out;
  }

  // The printed double read back as the server would (strtod), bit for bit.
  void expect_round_trip(double d, uint8_t type = FERRY_VALUE_DOUBLE) {
    const std::string text = literal(double_value(d, type));
    // An exponent makes the server read a DOUBLE, never an exact DECIMAL rounded a second time.
    EXPECT_NE(text.find('e'), std::string::npos) << text;
    char* end = nullptr;
    const double back = std::strtod(text.c_str(), &end);
    EXPECT_EQ(*end, '\0') << text;
    EXPECT_EQ(std::bit_cast<uint64_t>(back), std::bit_cast<uint64_t>(d)) << text;
  }

  CharsetNames charsets_ = charsets();
};

TEST_F(ValueLiteral, NullIsTheKeyword) { EXPECT_EQ(literal(null_value()), "NULL"); }

TEST_F(ValueLiteral, IntegersAtTheirExtremes) {
  EXPECT_EQ(literal(int_value(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(literal(int_value(std::numeric_limits<int64_t>::max())), "9223372036854775807");
  EXPECT_EQ(literal(int_value(0)), "0");
  EXPECT_EQ(literal(uint_value(std::numeric_limits<uint64_t>::max())), "18446744073709551615");
  EXPECT_EQ(literal(uint_value(0)), "0");
}

TEST_F(ValueLiteral, YearAndBitAreNumbers) {
  ferry_value year = int_value(2155);
  year.type = FERRY_VALUE_YEAR;
  EXPECT_EQ(literal(year), "2155");
  ferry_value bits = uint_value(0x8000000000000001ull, FERRY_VALUE_BIT);
  bits.len = 64;
  EXPECT_EQ(literal(bits), "9223372036854775809");
}

TEST_F(ValueLiteral, DoublePrintsEveryDigitWithAnExponent) {
  EXPECT_EQ(literal(double_value(1.5)), "1.50000000000000000e+00");
  EXPECT_EQ(literal(double_value(-2.0)), "-2.00000000000000000e+00");
}

TEST_F(ValueLiteral, DoubleRoundTripsBitForBit) {
  for (double d : {0.1, 1.0 / 3.0, std::numbers::pi, 1e23, -123456789.123456789, DBL_MAX, -DBL_MAX, DBL_MIN, DBL_EPSILON,
                   std::nextafter(1.0, 2.0), 9007199254740993.0, 0.0}) {
    expect_round_trip(d);
  }
}

TEST_F(ValueLiteral, SubnormalsRoundTrip) {
  expect_round_trip(std::numeric_limits<double>::denorm_min());
  expect_round_trip(-std::numeric_limits<double>::denorm_min());
  expect_round_trip(std::numeric_limits<double>::denorm_min() * 3);
  expect_round_trip(std::nextafter(DBL_MIN, 0.0));  // the largest subnormal
}

TEST_F(ValueLiteral, NegativeZeroKeepsItsSign) {
  EXPECT_EQ(literal(double_value(-0.0)), "-0.00000000000000000e+00");
  expect_round_trip(-0.0);
}

TEST_F(ValueLiteral, FloatKeepsItsExactValue) {
  // A FLOAT column's value is carried as the float's exact double: 0.1f is 0.100000001490116...
  const double exact = static_cast<double>(0.1f);
  expect_round_trip(exact, FERRY_VALUE_FLOAT);
  EXPECT_EQ(static_cast<float>(std::strtod(literal(double_value(exact, FERRY_VALUE_FLOAT)).c_str(), nullptr)), 0.1f);
  expect_round_trip(static_cast<double>(std::numeric_limits<float>::max()), FERRY_VALUE_FLOAT);
  expect_round_trip(static_cast<double>(std::numeric_limits<float>::denorm_min()), FERRY_VALUE_FLOAT);
  expect_round_trip(static_cast<double>(-16777217.0f), FERRY_VALUE_FLOAT);
}

TEST_F(ValueLiteral, NanAndInfinityAreRefused) {
  for (double d : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    for (uint8_t type : {uint8_t{FERRY_VALUE_DOUBLE}, uint8_t{FERRY_VALUE_FLOAT}}) {
      std::string out = "x=";
      std::string error;
      EXPECT_FALSE(append_literal(out, double_value(d, type), column_of(0), charsets_, {}, error)) << d;
      EXPECT_NE(error.find("not finite"), std::string::npos) << error;
      EXPECT_EQ(out, "x=");  // nothing half-written
    }
  }
}

TEST_F(ValueLiteral, UnknownValueTypeIsRefused) {
  ferry_value v{};
  v.type = 200;
  std::string out;
  std::string error;
  EXPECT_FALSE(append_literal(out, v, column_of(0), charsets_, {}, error));
  EXPECT_NE(error.find("unknown type 200"), std::string::npos) << error;
}

TEST_F(ValueLiteral, DecimalTextPassesThrough) {
  EXPECT_EQ(literal(text_value("-12.340", FERRY_VALUE_DECIMAL)), "-12.340");
  EXPECT_EQ(literal(text_value("99999999999999999999999999999.123456789", FERRY_VALUE_DECIMAL)),
            "99999999999999999999999999999.123456789");
}

TEST_F(ValueLiteral, TemporalValuesAreQuotedText) {
  EXPECT_EQ(literal(text_value("2024-02-29", FERRY_VALUE_DATE)), "'2024-02-29'");
  EXPECT_EQ(literal(text_value("0000-00-00", FERRY_VALUE_DATE)), "'0000-00-00'");
  EXPECT_EQ(literal(text_value("-838:59:59.000000", FERRY_VALUE_TIME)), "'-838:59:59.000000'");
  EXPECT_EQ(literal(text_value("2024-01-02 03:04:05.123456", FERRY_VALUE_DATETIME)), "'2024-01-02 03:04:05.123456'");
  EXPECT_EQ(literal(text_value("1970-01-01 00:00:01", FERRY_VALUE_TIMESTAMP)), "'1970-01-01 00:00:01'");
}

TEST_F(ValueLiteral, Utf8TextEscapesQuotesBackslashesAndControlBytes) {
  const std::string_view s = "a'b\\c\0d\ne\rf\032g"sv;
  EXPECT_EQ(literal(text_value(s), column_of(kUtf8mb4GeneralCi)), "'a''b\\\\c\\0d\\ne\\rf\\Zg'");
  // Multi-byte UTF-8 passes unchanged.
  EXPECT_EQ(literal(text_value("caf\xC3\xA9 \xF0\x9F\x98\x80"), column_of(kUtf8mb4Bin)),
            "'caf\xC3\xA9 \xF0\x9F\x98\x80'");
  // Collation 0 (unknown, e.g. no binlog_row_metadata) is taken as UTF-8 text.
  EXPECT_EQ(literal(text_value("it's"), column_of(0)), "'it''s'");
  EXPECT_EQ(literal(text_value(""), column_of(kUtf8mb4GeneralCi)), "''");
}

TEST_F(ValueLiteral, NoBackslashEscapesOnlyDoublesQuotes) {
  const std::string_view s = "a'b\\c\0d\ne\rf\032g"sv;
  LiteralStyle style;
  style.no_backslash_escapes = true;
  EXPECT_EQ(literal(text_value(s), column_of(kUtf8mb4GeneralCi), style), "'a''b\\c\0d\ne\rf\032g'"sv);
}

TEST_F(ValueLiteral, Latin1TextIsHexWithItsIntroducer) {
  EXPECT_EQ(literal(text_value("caf\xE9'"), column_of(kLatin1)), "_latin1 X'636166E927'");
}

TEST_F(ValueLiteral, TextOfAnUnknownCharsetIsPlainHex) {
  EXPECT_EQ(literal(text_value("ab"), column_of(kUnregistered)), "X'6162'");
  // A STRING in the binary charset: bytes, no introducer.
  EXPECT_EQ(literal(text_value("\x01\xFF"), column_of(kBinary)), "X'01FF'");
}

TEST_F(ValueLiteral, BytesAreHex) {
  EXPECT_EQ(literal(text_value(std::string_view("\x00\xFF\x10", 3), FERRY_VALUE_BYTES), column_of(kBinary, "varbinary(8)")),
            "X'00FF10'");
  EXPECT_EQ(literal(text_value("", FERRY_VALUE_BYTES), column_of(kBinary, "blob")), "X''");
}

TEST_F(ValueLiteral, BinaryWidthRestoresTrailingZeros) {
  // The binlog drops BINARY(N)'s trailing 0x00 bytes; the stored value has them.
  EXPECT_EQ(literal(text_value("ab", FERRY_VALUE_BYTES), column_of(kBinary, "BINARY(4)")), "X'61620000'");
  EXPECT_EQ(literal(text_value("ab", FERRY_VALUE_BYTES), column_of(kBinary, "binary(4)")), "X'61620000'");
  EXPECT_EQ(literal(text_value("", FERRY_VALUE_BYTES), column_of(kBinary, "binary(2)")), "X'0000'");
  EXPECT_EQ(literal(text_value("abcd", FERRY_VALUE_BYTES), column_of(kBinary, "binary(4)")), "X'61626364'");
  // VARBINARY keeps its length.
  EXPECT_EQ(literal(text_value("ab", FERRY_VALUE_BYTES), column_of(kBinary, "varbinary(4)")), "X'6162'");
}

TEST_F(ValueLiteral, EnumIsItsNameInUtf8ElseItsIndex) {
  ferry_value named = text_value("it's", FERRY_VALUE_ENUM);
  named.num.u64 = 2;
  EXPECT_EQ(literal(named, column_of(kUtf8mb4GeneralCi)), "'it''s'");
  EXPECT_EQ(literal(named, column_of(0)), "'it''s'");
  EXPECT_EQ(literal(named, column_of(kLatin1)), "2");  // exact whatever the charset
  ferry_value unnamed = uint_value(3, FERRY_VALUE_ENUM);
  EXPECT_EQ(literal(unnamed, column_of(kUtf8mb4GeneralCi)), "3");
}

TEST_F(ValueLiteral, EnumErrorValueIsIndexZeroNotTheEmptyMember) {
  // In ENUM('', 'z') the text '' names member 1; the error value a non-strict session stores
  // prints as '' too, and only its index says which it is.
  ferry_value error_value = text_value("", FERRY_VALUE_ENUM);
  EXPECT_EQ(literal(error_value, column_of(kUtf8mb4GeneralCi)), "0");
  ferry_value empty_member = text_value("", FERRY_VALUE_ENUM);
  empty_member.num.u64 = 1;
  EXPECT_EQ(literal(empty_member, column_of(kUtf8mb4GeneralCi)), "''");
}

TEST_F(ValueLiteral, SetIsItsMemberBitmap) {
  ferry_value set = text_value("a,c", FERRY_VALUE_SET);
  set.num.u64 = 5;
  EXPECT_EQ(literal(set), "5");
}

TEST_F(ValueLiteral, JsonIsQuotedText) {
  EXPECT_EQ(literal(text_value("{\"a\": \"x\\\"y'z\"}", FERRY_VALUE_JSON)), "'{\"a\": \"x\\\\\"y''z\"}'");
}

TEST_F(ValueLiteral, GeometryIsHex) {
  const std::string_view wkb("\x00\x00\x00\x00\x01\x01\x00\x00\x00", 9);
  EXPECT_EQ(literal(text_value(wkb, FERRY_VALUE_GEOMETRY), column_of(kBinary, "point")), "X'000000000101000000'");
}

TEST_F(ValueLiteral, IdentifiersDoubleBackQuotes) {
  std::string out;
  append_identifier(out, "a`b``c");
  EXPECT_EQ(out, "`a``b````c`");
  out.clear();
  append_identifier(out, "plain name");
  EXPECT_EQ(out, "`plain name`");
}

TEST(CharsetNames, KnowsWhichCollationsCompareBytes) {
  const CharsetNames names = charsets();
  EXPECT_TRUE(names.compares_bytes(kBinary));
  EXPECT_TRUE(names.compares_bytes(kUtf8mb4NopadBin));
  EXPECT_TRUE(names.compares_bytes(kUtf8mb4_0900Bin));
  // PAD SPACE: 'a' = 'a ' under utf8mb4_bin, so equal strings need not be equal bytes.
  EXPECT_FALSE(names.compares_bytes(kUtf8mb4Bin));
  EXPECT_FALSE(names.compares_bytes(kUtf8mb4GeneralCi));
  // ... but they are once trailing spaces are dropped.
  EXPECT_TRUE(names.compares_padded_bytes(kUtf8mb4Bin));
  EXPECT_TRUE(names.compares_padded_bytes(kUtf8mb4NopadBin));
  EXPECT_TRUE(names.compares_padded_bytes(kBinary));
  EXPECT_FALSE(names.compares_padded_bytes(kUtf8mb4GeneralCi));
  EXPECT_FALSE(names.compares_padded_bytes(kUnregistered));
  EXPECT_FALSE(names.compares_bytes(kUnregistered));
  EXPECT_TRUE(CharsetNames().compares_bytes(63));  // binary even before the downstream is read
  EXPECT_TRUE(names.is_utf8(kUtf8mb4GeneralCi));
  EXPECT_FALSE(names.is_utf8(kLatin1));
  EXPECT_EQ(names.charset_of(kLatin1), "latin1");
  EXPECT_EQ(names.charset_of(kUnregistered), "");
}

}  // namespace
}  // namespace ferry::tidb
