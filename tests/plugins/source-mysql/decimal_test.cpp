// Binary DECIMAL decoding, with the vectors MySQL documents for its format and edge cases.
#include "binlog/decimal.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ferry::mysql {
namespace {

std::string decode(std::vector<uint8_t> bytes, uint8_t precision, uint8_t scale) {
  ByteReader in(bytes.data(), bytes.size());
  std::string out;
  if (!decode_decimal(in, precision, scale, out)) return "<error>";
  EXPECT_EQ(in.remaining(), 0u);
  return out;
}

TEST(Decimal, DocumentedVectors) {
  // 1234567890.1234 as DECIMAL(14,4), and its negation (every byte inverted).
  EXPECT_EQ(decode({0x81, 0x0D, 0xFB, 0x38, 0xD2, 0x04, 0xD2}, 14, 4), "1234567890.1234");
  EXPECT_EQ(decode({0x7E, 0xF2, 0x04, 0xC7, 0x2D, 0xFB, 0x2D}, 14, 4), "-1234567890.1234");
}

TEST(Decimal, Sizes) {
  EXPECT_EQ(decimal_binary_size(14, 4), 7u);
  EXPECT_EQ(decimal_binary_size(10, 0), 5u);
  EXPECT_EQ(decimal_binary_size(65, 30), 30u);
  EXPECT_EQ(decimal_binary_size(1, 0), 1u);
}

TEST(Decimal, KeepsTheScaleAndDropsLeadingZeros) {
  // DECIMAL(5,2) 0.50: integer part 3 digits (2 bytes) = 0, fraction 2 digits (1 byte) = 50.
  EXPECT_EQ(decode({0x80, 0x00, 0x32}, 5, 2), "0.50");
  // DECIMAL(5,2) -0.50.
  EXPECT_EQ(decode({0x7F, 0xFF, 0xCD}, 5, 2), "-0.50");
  // DECIMAL(3,0) 7.
  EXPECT_EQ(decode({0x80, 0x07}, 3, 0), "7");
}

// MariaDB allows 38 fractional digits where MySQL stops at 30 (found by the mariadb-binlog
// agreement test: DECIMAL(38,38) columns failed as "runs past the end of the event").
TEST(Decimal, MariadbScalesAbove30) {
  EXPECT_EQ(decimal_binary_size(38, 38), 17u);
  EXPECT_EQ(decode({0x87, 0x5B, 0xCD, 0x15, 0x00, 0xBC, 0x61, 0x4E, 0x35, 0xB7, 0xBF, 0x87, 0x35, 0x0E, 0x34, 0xC0, 0x4E},
                   38, 38),
            "0.12345678901234567890123456789012345678");
  EXPECT_EQ(decode({0x78, 0xA4, 0x32, 0xEA, 0xF8, 0xA4, 0x32, 0xEA, 0xFF, 0x43, 0x9E, 0xB1, 0xCA, 0x48, 0x40, 0x78, 0xDD,
                    0x3A},
                   40, 31),
            "-123456789.1234567890123456789012345678901");
  EXPECT_EQ(decode({0x80}, 39, 39), "<error>");  // beyond MariaDB's 38 too
}

TEST(Decimal, RejectsTruncatedAndImpossibleValues) {
  EXPECT_EQ(decode({0x81, 0x0D}, 14, 4), "<error>");
  EXPECT_EQ(decode({0x80}, 70, 0), "<error>");
  // A 1-byte group holding 99 when it may hold at most 1 digit (DECIMAL(1,0)): corrupt.
  EXPECT_EQ(decode({0x80 | 99}, 1, 0), "<error>");
}

}  // namespace
}  // namespace ferry::mysql
