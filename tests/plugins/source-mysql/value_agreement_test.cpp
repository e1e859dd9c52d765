// Bringing one ferry value and one mariadb-binlog value to the same form: each type agrees with
// its true print and disagrees with a print one step off.
#include "value_agreement.hpp"

#include <gtest/gtest.h>

#include <zlib.h>

#include <cfloat>
#include <cmath>

namespace ferry::mysql::agreement {
namespace {

DecodedValue integer(int64_t v) {
  DecodedValue d;
  d.value.type = FERRY_VALUE_INT;
  d.value.num.i64 = v;
  return d;
}

DecodedValue unsigned_integer(uint64_t v) {
  DecodedValue d;
  d.value.type = FERRY_VALUE_UINT;
  d.value.num.u64 = v;
  return d;
}

DecodedValue floating(uint8_t type, double v) {
  DecodedValue d;
  d.value.type = type;
  d.value.num.f64 = v;
  return d;
}

DecodedValue number(uint8_t type, uint64_t v, uint32_t len = 0) {
  DecodedValue d;
  d.value.type = type;
  d.value.num.u64 = v;
  d.value.len = len;
  return d;
}

DecodedValue text(uint8_t type, std::string bytes, uint64_t index = 0) {
  DecodedValue d;
  d.value.type = type;
  d.value.len = static_cast<uint32_t>(bytes.size());
  d.value.num.u64 = index;
  d.bytes = std::move(bytes);
  return d;
}

PrintedValue printed(std::string text, std::string type, uint32_t meta = 0) {
  PrintedValue p;
  p.column = 1;
  p.text = std::move(text);
  p.type = std::move(type);
  p.meta = meta;
  p.nullable = true;
  return p;
}

ColumnInfo column(uint16_t meta = 0) {
  ColumnInfo c;
  c.metadata = meta;
  c.nullable = true;
  return c;
}

// Empty when they agree, as compare_value; without catalog facts.
std::string compare(const DecodedValue& v, const PrintedValue& p) {
  return compare_value(v, column(static_cast<uint16_t>(p.meta)), p, nullptr, MetadataLogged{});
}

TEST(ValueAgreement, IntegersMatchTheReadingOfTheirSignedness) {
  const PrintedValue p = printed("-1 (255)", "TINYINT");
  EXPECT_EQ(compare(integer(-1), p), "");
  EXPECT_EQ(compare(unsigned_integer(255), p), "");
  EXPECT_NE(compare(unsigned_integer(254), p), "");
  EXPECT_NE(compare(integer(255), p), "");
  // Without a second reading both are the same number.
  EXPECT_EQ(compare(unsigned_integer(127), printed("127", "TINYINT")), "");
  EXPECT_EQ(compare(integer(-9223372036854775807 - 1),
                    printed("-9223372036854775808 (9223372036854775808)", "LONGINT")),
            "");
  EXPECT_EQ(compare(unsigned_integer(18446744073709551615u), printed("-1 (18446744073709551615)", "LONGINT")), "");
}

TEST(ValueAgreement, LoggedSignednessMustMatchTheCatalog) {
  ColumnFacts facts;
  facts.is_unsigned = true;
  MetadataLogged logged;
  logged.signedness = true;
  const PrintedValue p = printed("-1 (255)", "TINYINT");
  EXPECT_EQ(compare_value(unsigned_integer(255), column(), p, &facts, logged), "");
  const std::string why = compare_value(integer(-1), column(), p, &facts, logged);
  EXPECT_NE(why.find("ferry decoded a UNSIGNED column as INT"), std::string::npos) << why;
  // Not logged: either reading is ferry's to choose.
  EXPECT_EQ(compare_value(integer(-1), column(), p, &facts, MetadataLogged{}), "");
}

TEST(ValueAgreement, FloatsAgreeWithinTheSixPrintedDigits) {
  EXPECT_EQ(compare(floating(FERRY_VALUE_FLOAT, 0.1f), printed("0.1", "FLOAT")), "");
  EXPECT_EQ(compare(floating(FERRY_VALUE_FLOAT, FLT_MAX), printed("3.40282e+38", "FLOAT")), "");
  EXPECT_EQ(compare(floating(FERRY_VALUE_FLOAT, 1e-38f), printed("1e-38", "FLOAT")), "");
  EXPECT_EQ(compare(floating(FERRY_VALUE_FLOAT, -0.0f), printed("-0", "FLOAT")), "");
  EXPECT_EQ(compare(floating(FERRY_VALUE_FLOAT, 9.999996f), printed("10", "FLOAT")), "");
  EXPECT_NE(compare(floating(FERRY_VALUE_FLOAT, 0.100002f), printed("0.1", "FLOAT")), "");
  EXPECT_NE(compare(floating(FERRY_VALUE_FLOAT, 3.40280e38f), printed("3.40282e+38", "FLOAT")), "");
}

TEST(ValueAgreement, DoublesAgreeExactlyBecauseTwentyDigitsReadBack) {
  EXPECT_EQ(compare(floating(FERRY_VALUE_DOUBLE, 0.1), printed("0.10000000000000000555", "DOUBLE")), "");
  EXPECT_EQ(compare(floating(FERRY_VALUE_DOUBLE, DBL_MAX), printed("1.7976931348623157081e+308", "DOUBLE")), "");
  EXPECT_NE(compare(floating(FERRY_VALUE_DOUBLE, std::nextafter(0.1, 1.0)), printed("0.10000000000000000555", "DOUBLE")), "");
}

TEST(ValueAgreement, DecimalsAgreeAsText) {
  EXPECT_EQ(compare(text(FERRY_VALUE_DECIMAL, "-0.000010"), printed("-0.000010", "DECIMAL(10,6)", 2566)), "");
  EXPECT_NE(compare(text(FERRY_VALUE_DECIMAL, "-0.00001"), printed("-0.000010", "DECIMAL(10,6)", 2566)), "");
}

TEST(ValueAgreement, BitsAreNumbersOfTheColumnsWidth) {
  EXPECT_EQ(compare(number(FERRY_VALUE_BIT, UINT64_MAX, 64), printed("b'" + std::string(64, '1') + "'", "BIT(64)", 2048)), "");
  EXPECT_EQ(compare(number(FERRY_VALUE_BIT, 0x2AA, 10), printed("b'1010101010'", "BIT(10)", 258)), "");
  EXPECT_NE(compare(number(FERRY_VALUE_BIT, 0x2AB, 10), printed("b'1010101010'", "BIT(10)", 258)), "");
  EXPECT_NE(compare(number(FERRY_VALUE_BIT, 0x2AA, 16), printed("b'1010101010'", "BIT(10)", 258)), "");
}

TEST(ValueAgreement, Year1900IsTheYearZero) {
  EXPECT_EQ(compare(number(FERRY_VALUE_YEAR, 0), printed("1900", "YEAR")), "");
  EXPECT_EQ(compare(number(FERRY_VALUE_YEAR, 2155), printed("2155", "YEAR")), "");
  EXPECT_NE(compare(number(FERRY_VALUE_YEAR, 1900), printed("1900", "YEAR")), "");
}

TEST(ValueAgreement, DatesPrintWithColons) {
  EXPECT_EQ(compare(text(FERRY_VALUE_DATE, "0000-00-00"), printed("'0000:00:00'", "DATE")), "");
  EXPECT_EQ(compare(text(FERRY_VALUE_DATE, "9999-12-31"), printed("'9999:12:31'", "DATE")), "");
  EXPECT_NE(compare(text(FERRY_VALUE_DATE, "9999-12-30"), printed("'9999:12:31'", "DATE")), "");
}

TEST(ValueAgreement, TimesAndDatetimesAgreeAsText) {
  EXPECT_EQ(compare(text(FERRY_VALUE_TIME, "-00:00:01.25"), printed("'-00:00:01.25'", "TIME(2)", 2)), "");
  EXPECT_NE(compare(text(FERRY_VALUE_TIME, "00:00:01.25"), printed("'-00:00:01.25'", "TIME(2)", 2)), "");
  EXPECT_EQ(compare(text(FERRY_VALUE_DATETIME, "2001-02-03 04:05:06.7"), printed("'2001-02-03 04:05:06.7'", "DATETIME(1)", 1)),
            "");
}

TEST(ValueAgreement, TimestampsAreEpochSeconds) {
  EXPECT_EQ(compare(text(FERRY_VALUE_TIMESTAMP, "2001-02-03 04:05:06.123456"), printed("981173106.123456", "TIMESTAMP(6)", 6)),
            "");
  EXPECT_EQ(compare(text(FERRY_VALUE_TIMESTAMP, "0000-00-00 00:00:00.000"), printed("0.000", "TIMESTAMP(3)", 3)), "");
  EXPECT_EQ(compare(text(FERRY_VALUE_TIMESTAMP, "2038-01-19 03:14:07"), printed("2147483647", "TIMESTAMP")), "");
  EXPECT_NE(compare(text(FERRY_VALUE_TIMESTAMP, "2038-01-19 03:14:06"), printed("2147483647", "TIMESTAMP")), "");
}

TEST(ValueAgreement, EnumsAreIndexesAndSetsLittleEndianBitmaps) {
  EXPECT_EQ(compare(text(FERRY_VALUE_ENUM, "m300", 300), printed("300", "ENUM(2 bytes)", 63234)), "");
  EXPECT_NE(compare(text(FERRY_VALUE_ENUM, "m299", 299), printed("300", "ENUM(2 bytes)", 63234)), "");
  // Member 1 of a 2-byte SET: stored 01 00, printed byte by byte in that order.
  EXPECT_EQ(compare(text(FERRY_VALUE_SET, "s1", 1), printed("b'0000000100000000'", "SET(2 bytes)", 63490)), "");
  EXPECT_NE(compare(text(FERRY_VALUE_SET, "s9", 256), printed("b'0000000100000000'", "SET(2 bytes)", 63490)), "");
}

TEST(ValueAgreement, StringsAreQuotedAsMariadbBinlogQuotes) {
  EXPECT_EQ(quote_like_mariadb_binlog(std::string("a\n'\\\0\x7f\xff", 7)), std::string("'a\\x0a'\\\\x00\x7f\xff'"));
  EXPECT_EQ(compare(text(FERRY_VALUE_BYTES, std::string("\0\x01", 2)), printed("'\\x00\\x01'", "STRING(4)", 65028)), "");
  EXPECT_NE(compare(text(FERRY_VALUE_BYTES, std::string("\0\x02", 2)), printed("'\\x00\\x01'", "STRING(4)", 65028)), "");
  EXPECT_EQ(compare(text(FERRY_VALUE_STRING, ""), printed("''", "BLOB/TEXT", 2)), "");
  EXPECT_NE(compare(text(FERRY_VALUE_STRING, " "), printed("''", "BLOB/TEXT", 2)), "");
  EXPECT_EQ(compare(text(FERRY_VALUE_GEOMETRY, std::string("\0\0\0\0\x01", 5)), printed("'\\x00\\x00\\x00\\x00\\x01'", "GEOMETRY", 4)),
            "");
  // A geometry must decode as one.
  EXPECT_NE(compare(text(FERRY_VALUE_BYTES, std::string("\0\0\0\0\x01", 5)), printed("'\\x00\\x00\\x00\\x00\\x01'", "GEOMETRY", 4)),
            "");
}

TEST(ValueAgreement, CompressedColumnsPrintTheirStoredBytes) {
  // Stored as is: the header byte 0, then the value.
  const PrintedValue as_is = printed("'\\x00abc\\x0a'", "VARSTRING(4001) COMPRESSED", 4001);
  EXPECT_EQ(compare(text(FERRY_VALUE_STRING, "abc\n"), as_is), "");
  EXPECT_NE(compare(text(FERRY_VALUE_STRING, "\\x00abc\\x0a"), as_is), "");
  EXPECT_NE(compare(text(FERRY_VALUE_STRING, "abd\n"), as_is), "");
  // zlib: header 0x81 (one length byte, a zlib-wrapped stream), the length, the stream.
  const std::string value(200, '\x1f');  // bytes mariadb-binlog escapes
  std::string stream(compressBound(value.size()), '\0');
  uLongf size = stream.size();
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(stream.data()), &size, reinterpret_cast<const Bytef*>(value.data()),
                      value.size(), 6),
            Z_OK);
  stream.resize(size);
  const std::string stored = std::string("\x81", 1) + static_cast<char>(value.size()) + stream;
  const PrintedValue zlib = printed(quote_like_mariadb_binlog(stored), "BLOB/TEXT COMPRESSED", 2);
  EXPECT_EQ(compare(text(FERRY_VALUE_BYTES, value), zlib), "");
  EXPECT_NE(compare(text(FERRY_VALUE_BYTES, value + "x"), zlib), "");
  // The same print without COMPRESSED is a plain string, which ferry's value is not.
  EXPECT_NE(compare(text(FERRY_VALUE_BYTES, value), printed(zlib.text, "BLOB/TEXT", 2)), "");
  // A stored value that does not decode is a disagreement, not a crash.
  EXPECT_NE(compare(text(FERRY_VALUE_BYTES, value), printed("'\\x10abc'", "BLOB/TEXT COMPRESSED", 2)), "");
}

TEST(ValueAgreement, UnquotingUndoesOnlyTheEscapesMariadbBinlogWrites) {
  EXPECT_EQ(unquote_mariadb_binlog("'a\\x0a\\x1f\\x20\\\\x'"), std::string("a\n\x1f\\x20\\\\x"));
  EXPECT_EQ(unquote_mariadb_binlog("''"), std::string());
  EXPECT_FALSE(unquote_mariadb_binlog("abc").has_value());
}

TEST(ValueAgreement, LoggedCharsetsDecideTextOrBytes) {
  ColumnFacts binary;
  binary.is_binary = true;
  MetadataLogged logged;
  logged.charsets = true;
  const PrintedValue p = printed("'ab'", "VARSTRING(10)", 10);
  EXPECT_EQ(compare_value(text(FERRY_VALUE_BYTES, "ab"), column(10), p, &binary, logged), "");
  EXPECT_NE(compare_value(text(FERRY_VALUE_STRING, "ab"), column(10), p, &binary, logged), "");
}

TEST(ValueAgreement, LoggedNamesAndMembersMustMatchTheCatalog) {
  ColumnFacts facts;
  facts.name = "e";
  facts.members = {"a", "b", "c"};
  MetadataLogged logged;
  logged.names = logged.members = true;
  ColumnInfo c = column(63233);
  c.name = "e";
  const PrintedValue p = printed("2", "ENUM(1 byte)", 63233);
  EXPECT_EQ(compare_value(text(FERRY_VALUE_ENUM, "b", 2), c, p, &facts, logged), "");
  EXPECT_NE(compare_value(text(FERRY_VALUE_ENUM, "c", 2), c, p, &facts, logged), "");
  c.name = "f";
  EXPECT_NE(compare_value(text(FERRY_VALUE_ENUM, "b", 2), c, p, &facts, logged), "");

  facts.members = {"x", "y", "z"};
  const PrintedValue set = printed("b'00000101'", "SET(1 bytes)", 63489);
  c.metadata = 63489;
  c.name = "e";
  EXPECT_EQ(compare_value(text(FERRY_VALUE_SET, "x,z", 5), c, set, &facts, logged), "");
  EXPECT_NE(compare_value(text(FERRY_VALUE_SET, "x,y", 5), c, set, &facts, logged), "");
}

TEST(ValueAgreement, NullsAndTableMapFlagsMustAgree) {
  PrintedValue null = printed("NULL", "INT");
  null.is_null = true;
  EXPECT_EQ(compare(DecodedValue{}, null), "");
  EXPECT_NE(compare(integer(0), null), "");
  EXPECT_NE(compare(DecodedValue{}, printed("0", "INT")), "");
  // The TABLE_MAP's metadata and nullability as ferry read them.
  EXPECT_NE(compare_value(integer(1), column(1), printed("1", "INT", 0), nullptr, MetadataLogged{}), "");
  ColumnInfo not_null = column();
  not_null.nullable = false;
  EXPECT_NE(compare_value(integer(1), not_null, printed("1", "INT"), nullptr, MetadataLogged{}), "");
}

TEST(ValueAgreement, AValueOfTheWrongFamilyDisagrees) {
  EXPECT_NE(compare(text(FERRY_VALUE_STRING, "1"), printed("1", "INT")), "");
  EXPECT_NE(compare(integer(1), printed("1", "NO_SUCH_TYPE")), "");
}

}  // namespace
}  // namespace ferry::mysql::agreement
