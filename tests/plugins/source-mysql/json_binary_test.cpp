// MySQL's binary JSON to text on hand-built documents (json_binary_builder.hpp: no MySQL server is
// packaged here): every scalar, small and large containers, nesting, opaque DECIMAL and temporal
// values, and corrupt documents, which must fail with a message and never read outside their
// bytes.
#include "binlog/json_binary.hpp"
#include "json_binary_builder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ferry::mysql {
namespace {

using namespace json_builder;

// The text, or "ERROR: why".
std::string text(const std::string& document) {
  std::string out, error;
  if (!json_binary_to_text(document, out, error)) return "ERROR: " + error;
  return out;
}
std::string text(const Bin& b) { return text(doc(b)); }

constexpr uint8_t kTypeTimestamp = 7, kTypeDate = 10, kTypeTime = 11, kTypeDatetime = 12, kTypeNewDecimal = 246,
                  kTypeVarString = 253, kTypeBlob = 252;

TEST(JsonBinary, PrintsEveryScalarAtTheTop) {
  EXPECT_EQ(text(json_null()), "null");
  EXPECT_EQ(text(json_true()), "true");
  EXPECT_EQ(text(json_false()), "false");
  EXPECT_EQ(text(int16(-32768)), "-32768");
  EXPECT_EQ(text(uint16(65535)), "65535");
  EXPECT_EQ(text(int32(-2147483647 - 1)), "-2147483648");
  EXPECT_EQ(text(uint32(4294967295u)), "4294967295");
  EXPECT_EQ(text(int64(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(text(uint64(UINT64_MAX)), "18446744073709551615");
  EXPECT_EQ(text(dbl(1.5)), "1.5");
  // A string at the top is quoted too, as MySQL prints a JSON column: the result is a document.
  EXPECT_EQ(text(str("abc")), "\"abc\"");
  EXPECT_EQ(text(str("")), "\"\"");
  // MySQL reads an empty document as null.
  EXPECT_EQ(text(std::string()), "null");
}

TEST(JsonBinary, EscapesStringsAsMysqlDoes) {
  EXPECT_EQ(text(str("q\"b\\s/")), "\"q\\\"b\\\\s/\"");
  EXPECT_EQ(text(str("\b\f\n\r\t")), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(text(str(std::string("\x00\x01\x1f\x7f", 4))), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(text(str("é😀")), "\"é😀\"");  // UTF-8 as is
  // A length of two bytes (variable-length: 7 bits a byte).
  const std::string long_string(200, 'x');
  EXPECT_EQ(text(str(long_string)), "\"" + long_string + "\"");
}

TEST(JsonBinary, PrintsDoublesAsMysqlsGcvtWithAPointOrExponent) {
  EXPECT_EQ(text(dbl(1)), "1.0");
  EXPECT_EQ(text(dbl(-2)), "-2.0");
  EXPECT_EQ(text(dbl(0)), "0.0");
  EXPECT_EQ(text(dbl(-0.0)), "-0.0");
  EXPECT_EQ(text(dbl(0.1)), "0.1");
  EXPECT_EQ(text(dbl(1.5e10)), "15000000000.0");
  EXPECT_EQ(text(dbl(1e14)), "100000000000000.0");
  EXPECT_EQ(text(dbl(123456789012345.6)), "123456789012345.6");
  EXPECT_EQ(text(dbl(1e15)), "1e15");  // 16 digits before the point: exponent form
  EXPECT_EQ(text(dbl(1234567890123456789.0)), "1.2345678901234568e18");
  EXPECT_EQ(text(dbl(0.000123)), "0.000123");
  EXPECT_EQ(text(dbl(1e-15)), "0.000000000000001");
  EXPECT_EQ(text(dbl(1e-16)), "1e-16");
  EXPECT_EQ(text(dbl(-2.5e-300)), "-2.5e-300");
  EXPECT_EQ(text(dbl(1.7976931348623157e308)), "1.7976931348623157e308");
  EXPECT_EQ(text(dbl(4.9406564584124654e-324)), "5e-324");
  EXPECT_EQ(text(dbl(3.141592653589793)), "3.141592653589793");
}

TEST(JsonBinary, PrintsObjectsInStoredOrderWithMysqlsSeparators) {
  // MySQL stores keys sorted by length, then bytes; the printer keeps whatever order is stored.
  const Bin o = object({{"b", int16(1)}, {"a", str("x")}, {"cc", json_null()}, {"", array({})}});
  EXPECT_EQ(text(o), "{\"b\": 1, \"a\": \"x\", \"cc\": null, \"\": []}");
  EXPECT_EQ(text(object({})), "{}");
  EXPECT_EQ(text(object({{"k\"\n", json_true()}})), "{\"k\\\"\\n\": true}");
}

TEST(JsonBinary, PrintsNestedArraysAndEveryScalarInside) {
  const Bin inner = array({int16(3), array({}), object({{"z", json_false()}})});
  const Bin a = array({int16(1), array({int32(2), inner}), str("x"), uint16(7), int32(-70000), uint32(70000),
                       int64(-5), uint64(5), dbl(-0.5), json_null(), json_true(), json_false()});
  EXPECT_EQ(text(a), "[1, [2, [3, [], {\"z\": false}]], \"x\", 7, -70000, 70000, -5, 5, -0.5, null, true, false]");
}

TEST(JsonBinary, ReadsLargeContainersWithTheirInlinedInt32s) {
  // Large format: 4-byte counts and offsets; int32 and uint32 are inlined in their entries.
  const Bin big = object({{"a", int32(-1)}, {"bb", uint32(4000000000u)}, {"c", array({int16(1), str("s")}, true)},
                          {"d", str(std::string(70000, 'y'))}},
                         true);
  EXPECT_EQ(big.type, 0x01);
  EXPECT_EQ(text(big), "{\"a\": -1, \"bb\": 4000000000, \"c\": [1, \"s\"], \"d\": \"" + std::string(70000, 'y') + "\"}");
  EXPECT_EQ(text(array({json_null(), int32(5)}, true)), "[null, 5]");
}

TEST(JsonBinary, PrintsOpaqueDecimalsUnquotedWithTheirScale) {
  // DECIMAL(5,2): 3 integer digits in 2 bytes, 2 fraction digits in 1; the sign bit set for
  // positive, every byte inverted for negative.
  const std::string d_123_45 = std::string("\x05\x02", 2) + std::string("\x80\x7b\x2d", 3);
  const std::string d_minus_123_45 = std::string("\x05\x02", 2) + std::string("\x7f\x84\xd2", 3);
  const std::string d_0_50 = std::string("\x05\x02", 2) + std::string("\x80\x00\x32", 3);
  EXPECT_EQ(text(opaque(kTypeNewDecimal, d_123_45)), "123.45");
  EXPECT_EQ(text(array({opaque(kTypeNewDecimal, d_minus_123_45), opaque(kTypeNewDecimal, d_0_50)})), "[-123.45, 0.50]");
}

TEST(JsonBinary, PrintsOpaqueTemporalsQuotedWithSixFractionalDigits) {
  EXPECT_EQ(text(opaque(kTypeDatetime, packed_datetime(2024, 2, 29, 12, 34, 56, 123456))), "\"2024-02-29 12:34:56.123456\"");
  EXPECT_EQ(text(opaque(kTypeTimestamp, packed_datetime(1970, 1, 1, 0, 0, 1, 0))), "\"1970-01-01 00:00:01.000000\"");
  EXPECT_EQ(text(opaque(kTypeDate, packed_datetime(9999, 12, 31, 0, 0, 0, 0))), "\"9999-12-31\"");
  EXPECT_EQ(text(opaque(kTypeTime, packed_time(true, 838, 59, 59, 0))), "\"-838:59:59.000000\"");
  EXPECT_EQ(text(opaque(kTypeTime, packed_time(false, 1, 2, 3, 500000))), "\"01:02:03.500000\"");
  EXPECT_EQ(text(object({{"t", opaque(kTypeDatetime, packed_datetime(0, 0, 0, 0, 0, 0, 0))}})),
            "{\"t\": \"0000-00-00 00:00:00.000000\"}");
}

TEST(JsonBinary, PrintsOtherOpaqueValuesAsBase64WithTheirType) {
  EXPECT_EQ(text(opaque(kTypeBlob, "hi!")), "\"base64:type252:aGkh\"");
  EXPECT_EQ(text(opaque(kTypeBlob, "ab")), "\"base64:type252:YWI=\"");
  EXPECT_EQ(text(opaque(kTypeBlob, "")), "\"base64:type252:\"");
  // MySQL's base64 breaks lines every 76 characters; in a JSON string the break prints as \n.
  const std::string sixty(60, '\xff');
  EXPECT_EQ(text(opaque(kTypeBlob, sixty)), "\"base64:type252:" + std::string(76, '/') + "\\n////\"");
  // A VAR_STRING kept opaque is a string.
  EXPECT_EQ(text(opaque(kTypeVarString, "a\"b")), "\"a\\\"b\"");
}

TEST(JsonBinary, AllowsOneHundredLevelsAndNoMore) {
  Bin deep = array({});
  for (int i = 1; i < 100; ++i) deep = array({deep});
  EXPECT_EQ(text(deep), std::string(100, '[') + std::string(100, ']'));
  const std::string too_deep = text(array({deep}));
  EXPECT_NE(too_deep.find("nested deeper than 100"), std::string::npos) << too_deep;
}

TEST(JsonBinary, RefusesEveryTruncation) {
  const std::string full = doc(object({{"a", array({int16(1), str("xyz"), dbl(2.5)})},
                                       {"b", opaque(kTypeNewDecimal, std::string("\x05\x02\x80\x7b\x2d", 5))}}));
  ASSERT_EQ(text(full).rfind("ERROR", 0), std::string::npos) << text(full);
  for (size_t n = 1; n < full.size(); ++n) {
    const std::string t = text(full.substr(0, n));
    EXPECT_EQ(t.rfind("ERROR: binary JSON: ", 0), 0u) << "cut to " << n << " bytes: " << t;
  }
}

// The error for `document`, which must be refused.
std::string refused(const std::string& document) {
  std::string out, error;
  EXPECT_FALSE(json_binary_to_text(document, out, error)) << "printed " << out;
  return error;
}

TEST(JsonBinary, RefusesOffsetsAndLengthsOutsideTheDocument) {
  const std::string good = doc(object({{"a", str("xyz")}}));  // size 16: key at 11, value at 12, +1 in the doc
  ASSERT_EQ(text(good), "{\"a\": \"xyz\"}");
  std::string d = good;
  d[3] = 99;  // size beyond the bytes there are
  EXPECT_NE(refused(d).find("claims 99 bytes"), std::string::npos) << refused(d);
  d = good;
  d[1] = 9;  // 9 members cannot fit their entries in 15 bytes
  EXPECT_NE(refused(d).find("header of"), std::string::npos) << refused(d);
  d = good;
  d[5] = 2;  // the key starts inside the header
  EXPECT_NE(refused(d).find("key 0 lies outside"), std::string::npos) << refused(d);
  d = good;
  d[7] = 9;  // the key runs past the object
  EXPECT_NE(refused(d).find("key 0 lies outside"), std::string::npos) << refused(d);
  d = good;
  d[10] = 16;  // the value starts at the object's end
  EXPECT_NE(refused(d).find("value 0 of its object lies outside it"), std::string::npos) << refused(d);
  d = good;
  d[10] = 3;  // the value points into the header
  EXPECT_NE(refused(d).find("value 0 of its object lies outside it"), std::string::npos) << refused(d);
  d = good;
  d[13] = 9;  // the string's length runs past the object
  EXPECT_NE(refused(d).find("a length of 9 bytes"), std::string::npos) << refused(d);
  d = good;
  d[9] = 0x0d;  // no such type
  EXPECT_NE(refused(d).find("value type 13"), std::string::npos) << refused(d);
  EXPECT_NE(refused(doc(literal(3))).find("literal 3"), std::string::npos);
  EXPECT_NE(refused(std::string("\x0c\x80\x80\x80\x80\x80", 6)).find("does not end"), std::string::npos);
  EXPECT_NE(refused(std::string("\x0c\xff\xff\xff\xff\x7f", 6)).find("over 32 bits"), std::string::npos);
}

TEST(JsonBinary, RefusesMalformedOpaqueValues) {
  EXPECT_NE(refused(doc(opaque(kTypeNewDecimal, std::string("\x05\x02\x80\x7b", 4)))).find("takes 3 bytes, not 2"),
            std::string::npos);
  EXPECT_NE(refused(doc(opaque(kTypeNewDecimal, std::string("\x05\x06\x80\x7b\x2d", 5)))).find("is not a DECIMAL"),
            std::string::npos);
  EXPECT_NE(refused(doc(opaque(kTypeNewDecimal, "\x05"))).find("shorter than its precision"), std::string::npos);
  // 99 in a 2-digit group is fine, 100 is not a digit pair.
  EXPECT_NE(refused(doc(opaque(kTypeNewDecimal, std::string("\x05\x02\x80\x7b\x64", 5)))).find("out of range"),
            std::string::npos);
  EXPECT_NE(refused(doc(opaque(kTypeDatetime, std::string(7, '\0')))).find("is 7 bytes, not 8"), std::string::npos);
  EXPECT_NE(refused(doc(opaque(kTypeDatetime, packed_datetime(2024, 1, 1, 24, 0, 0, 0)))).find("DATETIME is out of range"),
            std::string::npos);
  EXPECT_NE(refused(doc(opaque(kTypeTime, packed_time(false, 839, 0, 0, 0)))).find("TIME is out of range"),
            std::string::npos);
  EXPECT_NE(refused(doc(opaque(kTypeDate, packed_datetime(2024, 1, 1, 0, 0, 0, 1000000)))).find("DATE is out of range"),
            std::string::npos);
}

TEST(JsonBinary, RefusesEntriesThatShareOneValueOverAndOver) {
  // Each level is an array of two entries pointing at the same child: 2^60 children to print
  // from some 600 bytes. A valid document never shares bytes, so the printer stops early.
  std::string level = doc(array({}));
  for (int i = 0; i < 60; ++i) {
    const std::string child = level.substr(1);
    const size_t header = 4 + 2 * 3;
    std::string body = le(2, 2) + le(header + child.size(), 2);
    for (int k = 0; k < 2; ++k) body += std::string(1, '\x02') + le(header, 2);
    level = std::string(1, '\x02') + body + child;
  }
  const std::string why = refused(level);
  EXPECT_NE(why.find("print the same values over and over"), std::string::npos) << why;
}

}  // namespace
}  // namespace ferry::mysql
