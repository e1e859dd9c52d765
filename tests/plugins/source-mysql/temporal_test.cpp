// Temporal decoding: the packed layouts MySQL documents, built here field by field.
#include "binlog/temporal.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ferry::mysql {
namespace {

using Decode = bool (*)(ByteReader&, std::string&);

std::vector<uint8_t> be(uint64_t v, size_t n) {
  std::vector<uint8_t> out(n);
  for (size_t i = 0; i < n; ++i) out[n - 1 - i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

std::vector<uint8_t> cat(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

template <typename F>
std::string run(const std::vector<uint8_t>& bytes, F f) {
  ByteReader in(bytes.data(), bytes.size());
  std::string out;
  if (!f(in, out)) return "<error>";
  EXPECT_EQ(in.remaining(), 0u);
  return out;
}

uint64_t datetime_intpart(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s) {
  const uint64_t ymd = (static_cast<uint64_t>(y * 13 + mo) << 5) | d;
  const uint64_t hms = (h << 12) | (mi << 6) | s;
  return (ymd << 17) | hms;
}

TEST(Temporal, Date) {
  const uint32_t v = 29 | (2 << 5) | (2024u << 9);
  EXPECT_EQ(run({static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16)},
                [](ByteReader& r, std::string& s) { return decode_date(r, s); }),
            "2024-02-29");
  EXPECT_EQ(run({0, 0, 0}, [](ByteReader& r, std::string& s) { return decode_date(r, s); }), "0000-00-00");
}

TEST(Temporal, Datetime2WithEveryFractionWidth) {
  const uint64_t packed = datetime_intpart(2024, 2, 29, 23, 59, 59) + 0x8000000000ULL;
  auto dt = [](uint8_t fsp) { return [fsp](ByteReader& r, std::string& s) { return decode_datetime2(r, fsp, s); }; };
  EXPECT_EQ(run(be(packed, 5), dt(0)), "2024-02-29 23:59:59");
  EXPECT_EQ(run(cat(be(packed, 5), be(12, 1)), dt(2)), "2024-02-29 23:59:59.12");
  EXPECT_EQ(run(cat(be(packed, 5), be(1234, 2)), dt(4)), "2024-02-29 23:59:59.1234");
  EXPECT_EQ(run(cat(be(packed, 5), be(123456, 3)), dt(6)), "2024-02-29 23:59:59.123456");
  EXPECT_EQ(run(cat(be(packed, 5), be(100, 2)), dt(3)), "2024-02-29 23:59:59.010");
  EXPECT_EQ(run(be(0x8000000000ULL, 5), dt(0)), "0000-00-00 00:00:00");  // the zero date
  EXPECT_EQ(run(be(packed, 4), dt(0)), "<error>");                        // truncated
}

TEST(Temporal, Time2NegativeWithFractions) {
  const int64_t hms = (838 << 12) | (59 << 6) | 59;
  auto t = [](uint8_t fsp) { return [fsp](ByteReader& r, std::string& s) { return decode_time2(r, fsp, s); }; };
  EXPECT_EQ(run(be(static_cast<uint64_t>(0x800000 + hms), 3), t(0)), "838:59:59");
  EXPECT_EQ(run(be(static_cast<uint64_t>(0x800000 - hms), 3), t(0)), "-838:59:59");
  // -00:00:01.5 with fsp 1: the server stores integer part -2 and fraction byte 0x100 - 50.
  EXPECT_EQ(run(cat(be(0x800000 - 2, 3), {0xCE}), t(1)), "-00:00:01.5");
  // -00:00:00.01 with fsp 2: 7FFFFF.FF, MySQL's own table of examples.
  EXPECT_EQ(run(cat(be(0x7FFFFF, 3), {0xFF}), t(2)), "-00:00:00.01");
  // -00:00:01.00 with fsp 2: 7FFFFF.00.
  EXPECT_EQ(run(cat(be(0x7FFFFF, 3), {0x00}), t(2)), "-00:00:01.00");
  // -00:00:01.1000 with fsp 4: integer -2, fraction 0x10000 - 1000.
  EXPECT_EQ(run(cat(be(0x800000 - 2, 3), be(0x10000 - 1000, 2)), t(4)), "-00:00:01.1000");
  // fsp 6: a 6-byte packed value.
  const int64_t packed6 = -((hms << 24) + 999999);
  EXPECT_EQ(run(be(static_cast<uint64_t>(packed6 + 0x800000000000LL), 6), t(6)), "-838:59:59.999999");
}

TEST(Temporal, Timestamp2IsUtc) {
  auto ts = [](uint8_t fsp) { return [fsp](ByteReader& r, std::string& s) { return decode_timestamp2(r, fsp, s); }; };
  EXPECT_EQ(run(be(1700000000, 4), ts(0)), "2023-11-14 22:13:20");
  EXPECT_EQ(run(cat(be(1700000000, 4), be(5, 3)), ts(6)), "2023-11-14 22:13:20.000005");
  EXPECT_EQ(run(be(0, 4), ts(0)), "0000-00-00 00:00:00");
}

TEST(Temporal, OldFormats) {
  std::vector<uint8_t> dt(8);
  uint64_t v = 20240229235959ULL;
  for (int i = 0; i < 8; ++i) dt[i] = static_cast<uint8_t>(v >> (8 * i));
  EXPECT_EQ(run(dt, [](ByteReader& r, std::string& s) { return decode_datetime_old(r, s); }), "2024-02-29 23:59:59");
  const int32_t t = -8385959;
  const auto u = static_cast<uint32_t>(t);
  EXPECT_EQ(run({static_cast<uint8_t>(u), static_cast<uint8_t>(u >> 8), static_cast<uint8_t>(u >> 16)},
                [](ByteReader& r, std::string& s) { return decode_time_old(r, s); }),
            "-838:59:59");
}

}  // namespace
}  // namespace ferry::mysql
