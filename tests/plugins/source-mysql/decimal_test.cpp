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

TEST(Decimal, RejectsTruncatedAndImpossibleValues) {
  EXPECT_EQ(decode({0x81, 0x0D}, 14, 4), "<error>");
  EXPECT_EQ(decode({0x80}, 70, 0), "<error>");
  // A 1-byte group holding 99 when it may hold at most 1 digit (DECIMAL(1,0)): corrupt.
  EXPECT_EQ(decode({0x80 | 99}, 1, 0), "<error>");
}

}  // namespace
}  // namespace ferry::mysql
