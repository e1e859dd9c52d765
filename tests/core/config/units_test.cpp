#include <ferry/sdk/units.hpp>
#include <gtest/gtest.h>

namespace ferry::sdk::units {
namespace {

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration_ms("250ms"), 250);
  EXPECT_EQ(parse_duration_ms("30s"), 30'000);
  EXPECT_EQ(parse_duration_ms("1h30m"), 5'400'000);
  EXPECT_EQ(parse_duration_ms("1.5s"), 1'500);
  EXPECT_EQ(parse_duration_ms("10"), std::nullopt);  // units are required
  EXPECT_EQ(parse_duration_ms("5 s"), std::nullopt);
  EXPECT_EQ(parse_duration_ms("-1s"), std::nullopt);
  EXPECT_EQ(parse_duration_ms(""), std::nullopt);
}

TEST(Units, Sizes) {
  EXPECT_EQ(parse_size_bytes("1000"), 1000);
  EXPECT_EQ(parse_size_bytes("64MiB"), 64ll << 20);
  EXPECT_EQ(parse_size_bytes("1.5KiB"), 1536);
  EXPECT_EQ(parse_size_bytes("2GB"), 2'000'000'000);
  EXPECT_EQ(parse_size_bytes("0.3B"), std::nullopt);  // not a whole number of bytes
  EXPECT_EQ(parse_size_bytes("64mb"), std::nullopt);
  EXPECT_EQ(parse_size_bytes("MiB"), std::nullopt);
}

}  // namespace
}  // namespace ferry::sdk::units
