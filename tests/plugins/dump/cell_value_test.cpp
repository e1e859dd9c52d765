#include "read/cell_value.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace ferry::dump {
namespace {

DumpColumn column(CellKind kind, std::vector<std::string> members = {}, uint16_t bits = 0) {
  DumpColumn c;
  c.name = "c";
  c.column_type = "t";
  c.kind = kind;
  c.members = std::move(members);
  c.bit_width = bits;
  return c;
}

ferry_value read(const DumpColumn& c, std::string_view text) {
  ferry_value v{};
  std::string error;
  EXPECT_TRUE(cell_value(c, text, v, error)) << error;
  return v;
}

TEST(CellValue, IntegersKeepTheirSignednessAndRange) {
  EXPECT_EQ(read(column(CellKind::Int), "-9223372036854775808").num.i64, INT64_MIN);
  auto u = read(column(CellKind::Uint), "18446744073709551615");
  EXPECT_EQ(u.type, FERRY_VALUE_UINT);
  EXPECT_EQ(u.num.u64, UINT64_MAX);
  ferry_value v{};
  std::string error;
  EXPECT_FALSE(cell_value(column(CellKind::Int), "12x", v, error));
  EXPECT_NE(error.find("12x"), std::string::npos);
}

TEST(CellValue, FloatTextOfTheWidenedValueIsExact) {
  // FLOAT 0.1 widened to DOUBLE prints 0.10000000149011612: the float's exact value.
  auto v = read(column(CellKind::Float), "0.10000000149011612");
  EXPECT_EQ(v.type, FERRY_VALUE_FLOAT);
  EXPECT_EQ(static_cast<float>(v.num.f64), 0.1f);
  EXPECT_EQ(v.num.f64, static_cast<double>(0.1f));
  EXPECT_EQ(read(column(CellKind::Double), "0.30000000000000004").num.f64, 0.1 + 0.2);
}

TEST(CellValue, BitIsTheStoredBytesBigEndian) {
  const char bytes[] = {'\x01', '\x02'};
  auto v = read(column(CellKind::Bit, {}, 10), std::string_view(bytes, 2));
  EXPECT_EQ(v.type, FERRY_VALUE_BIT);
  EXPECT_EQ(v.num.u64, 0x0102u);
  EXPECT_EQ(v.len, 10u);
  const std::string all(8, '\xff');
  EXPECT_EQ(read(column(CellKind::Bit, {}, 64), all).num.u64, UINT64_MAX);
}

TEST(CellValue, EnumAndSetResolveTheirMembers) {
  auto e = read(column(CellKind::Enum, {"a", "b'c"}), "b'c");
  EXPECT_EQ(e.num.u64, 2u);
  EXPECT_EQ(std::string(e.data, e.len), "b'c");
  EXPECT_EQ(read(column(CellKind::Enum, {"a"}), "").num.u64, 0u);  // the invalid '' of a lax sql_mode
  auto s = read(column(CellKind::Set, {"x", "y", "z"}), "x,z");
  EXPECT_EQ(s.num.u64, 0b101u);
  EXPECT_EQ(read(column(CellKind::Set, {"x"}), "").num.u64, 0u);
  ferry_value v{};
  std::string error;
  EXPECT_FALSE(cell_value(column(CellKind::Set, {"x"}), "x,q", v, error));
}

TEST(CellValue, TextKindsPointAtTheCellAsIs) {
  const std::string zero_bytes("a\0b", 3);
  auto b = read(column(CellKind::Bytes), zero_bytes);
  EXPECT_EQ(b.type, FERRY_VALUE_BYTES);
  EXPECT_EQ(b.len, 3u);
  EXPECT_EQ(read(column(CellKind::Time), "-838:59:59.000000").type, FERRY_VALUE_TIME);
  EXPECT_EQ(read(column(CellKind::Timestamp), "0000-00-00 00:00:00").type, FERRY_VALUE_TIMESTAMP);
  EXPECT_EQ(read(column(CellKind::Decimal), "-0.000000000000000000000000000001").type, FERRY_VALUE_DECIMAL);
}

}  // namespace
}  // namespace ferry::dump
