// MySQL GTID sets: parsing (with the errors a user sees for binlog-gtid), merging, adding one
// transaction, membership, the text form as MySQL orders and prints it, and Gtid_set::encode's
// binary form, checked against bytes written out by hand from MySQL's layout.
#include "source/gtid_set.hpp"

#include "hex_bytes.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

namespace ferry::mysql {
namespace {

constexpr const char* kA = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr const char* kB = "0d9ab1c2-0000-4000-8000-00000000000b";  // sorts before kA

MysqlGtidSet::Uuid uuid(const char* text) { return *MysqlGtidSet::parse_uuid(text); }

MysqlGtidSet parse_ok(const std::string& text) {
  std::string error;
  auto set = MysqlGtidSet::parse(text, error);
  EXPECT_TRUE(set.has_value()) << text << ": " << error;
  return set.value_or(MysqlGtidSet());
}

std::string parse_error(const std::string& text) {
  std::string error;
  auto set = MysqlGtidSet::parse(text, error);
  EXPECT_FALSE(set.has_value()) << text << " parsed as " << (set ? set->to_string() : "");
  return error;
}

TEST(MysqlGtidSet, ParsesAndPrintsTheTextForm) {
  EXPECT_EQ(parse_ok(std::string(kA) + ":1-5:7-9").to_string(), std::string(kA) + ":1-5:7-9");
  EXPECT_EQ(parse_ok(std::string(kA) + ":7").to_string(), std::string(kA) + ":7");
  EXPECT_EQ(parse_ok(std::string(kA) + ":7-7").to_string(), std::string(kA) + ":7");  // one transaction prints as N
  EXPECT_TRUE(parse_ok("").empty());
  EXPECT_TRUE(parse_ok("  ,, ").empty());
  EXPECT_TRUE(parse_ok(kA).empty());  // a uuid without intervals adds nothing, as in MySQL
}

TEST(MysqlGtidSet, TextFormIsMysqlsOrderLowerCaseAndMerged) {
  // Upper case, uuids out of order, overlapping, touching and unordered intervals, and the
  // ",\n" MySQL itself prints between uuids.
  const std::string text = "3E11FA47-71CA-11E1-9E33-C80AA9429562:7-9:1-3:2-5:6 ,\n" + std::string(kB) +
                           " : 300 : 100-200 : 201-250, " + std::string(kA) + ":20";
  EXPECT_EQ(parse_ok(text).to_string(), std::string(kB) + ":100-250:300," + kA + ":1-9:20");
}

TEST(MysqlGtidSet, ParseErrorsSayWhatWasExpectedWhere) {
  const std::string a(kA);
  EXPECT_NE(parse_error("3e11fa47-71ca-11e1-9e33-c80aa942956:1").find("expected a server uuid"), std::string::npos);
  EXPECT_NE(parse_error("3e11fa47-71ca-11e1-9e33-c80aa942956g:1").find("at character 1"), std::string::npos);
  EXPECT_NE(parse_error("0-1-42").find("expected a server uuid"), std::string::npos);  // a MariaDB GTID
  EXPECT_NE(parse_error(a + ":").find("expected a transaction number at character 38 (the end)"), std::string::npos);
  EXPECT_NE(parse_error(a + ":0").find("transaction numbers run from 1 to 9223372036854775806"), std::string::npos);
  EXPECT_NE(parse_error(a + ":9223372036854775807").find("run from 1"), std::string::npos);  // MySQL's MAX_GNO
  EXPECT_NE(parse_error(a + ":99999999999999999999999").find("run from 1"), std::string::npos);
  EXPECT_NE(parse_error(a + ":5-3").find("the interval 5-3 ends before it starts"), std::string::npos);
  EXPECT_NE(parse_error(a + ":1-").find("expected a transaction number"), std::string::npos);
  EXPECT_NE(parse_error(a + ":-3").find("expected a transaction number"), std::string::npos);
  EXPECT_NE(parse_error(a + ":1x").find("expected ':', ',' or the end at character 39 ('x')"), std::string::npos);
  EXPECT_NE(parse_error(a + ":tag_1:1-5").find("GTID tag (MySQL 8.3+"), std::string::npos);
  EXPECT_NE(parse_error(a + ":1," + a + ";2").find("expected ':', ',' or the end"), std::string::npos);
  // The largest transaction number is accepted.
  EXPECT_EQ(parse_ok(a + ":9223372036854775806").to_string(), a + ":9223372036854775806");
}

TEST(MysqlGtidSet, AddsOneTransactionMergingNeighbours) {
  MysqlGtidSet set;
  const auto a = uuid(kA);
  EXPECT_TRUE(set.add(a, 5));
  EXPECT_EQ(set.to_string(), std::string(kA) + ":5");
  EXPECT_TRUE(set.add(a, 6));  // extends the end
  EXPECT_TRUE(set.add(a, 4));  // extends the start
  EXPECT_TRUE(set.add(a, 9));  // a new interval after
  EXPECT_TRUE(set.add(a, 1));  // a new interval before
  EXPECT_EQ(set.to_string(), std::string(kA) + ":1:4-6:9");
  EXPECT_TRUE(set.add(a, 5));  // already there: nothing changes
  EXPECT_EQ(set.to_string(), std::string(kA) + ":1:4-6:9");
  EXPECT_TRUE(set.add(a, 8));
  EXPECT_TRUE(set.add(a, 7));  // fills the gap: 4-6 and 8-9 become one
  EXPECT_TRUE(set.add(a, 3));
  EXPECT_TRUE(set.add(a, 2));
  EXPECT_EQ(set.to_string(), std::string(kA) + ":1-9");
  EXPECT_EQ(set.intervals().at(a).size(), 1u);
  EXPECT_FALSE(set.add(a, 0));
  EXPECT_FALSE(set.add(a, -1));
  EXPECT_FALSE(set.add(a, MysqlGtidSet::kMaxGno + 1));
  EXPECT_TRUE(set.add(a, MysqlGtidSet::kMaxGno));
  EXPECT_EQ(set.to_string(), std::string(kA) + ":1-9:9223372036854775806");
  EXPECT_TRUE(set.add(uuid(kB), 3));
  EXPECT_EQ(set.to_string(), std::string(kB) + ":3," + kA + ":1-9:9223372036854775806");
}

TEST(MysqlGtidSet, Contains) {
  const auto set = parse_ok(std::string(kA) + ":1-5:7-9:20");
  const auto a = uuid(kA);
  for (int64_t g : {1, 3, 5, 7, 9, 20}) EXPECT_TRUE(set.contains(a, g)) << g;
  for (int64_t g : {0, 6, 10, 19, 21, 1000}) EXPECT_FALSE(set.contains(a, g)) << g;
  EXPECT_FALSE(set.contains(uuid(kB), 1));
}

TEST(MysqlGtidSet, UnionAndRoundTrip) {
  auto set = parse_ok(std::string(kA) + ":1-5");
  set.add(parse_ok(std::string(kA) + ":6-8:10," + kB + ":1"));
  EXPECT_EQ(set.to_string(), std::string(kB) + ":1," + kA + ":1-8:10");
  EXPECT_EQ(parse_ok(set.to_string()), set);
  EXPECT_EQ(MysqlGtidSet::uuid_text(uuid("0D9AB1C2-0000-4000-8000-00000000000B")), kB);
  EXPECT_FALSE(MysqlGtidSet::parse_uuid("0d9ab1c2+0000-4000-8000-00000000000b"));
  EXPECT_FALSE(MysqlGtidSet::parse_uuid("0d9ab1c200004000800000000000000b"));
}

// Random transactions and intervals against a plain set of numbers: the intervals must be the
// set's runs, and membership must agree, whatever the order they came in.
TEST(MysqlGtidSet, AgreesWithAPlainSetOfNumbers) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    MysqlGtidSet set;
    std::set<int64_t> plain;
    const auto a = uuid(kA);
    for (int step = 0; step < 40; ++step) {
      const int64_t start = 1 + static_cast<int64_t>(rng() % 60);
      if (rng() % 3 == 0) {
        const int64_t end = start + 1 + static_cast<int64_t>(rng() % 6);
        ASSERT_TRUE(set.add_interval(a, start, end));
        for (int64_t g = start; g < end; ++g) plain.insert(g);
      } else {
        ASSERT_TRUE(set.add(a, start));
        plain.insert(start);
      }
    }
    std::string expected = kA;
    for (auto it = plain.begin(); it != plain.end();) {
      int64_t first = *it, last = *it;
      while (++it != plain.end() && *it == last + 1) last = *it;
      expected += ":" + std::to_string(first) + (last > first ? "-" + std::to_string(last) : "");
    }
    ASSERT_EQ(set.to_string(), expected);
    for (int64_t g = 0; g < 70; ++g) ASSERT_EQ(set.contains(a, g), plain.count(g) == 1) << g;
  }
}

// Gtid_set::encode's layout (sql/rpl_gtid_set.cc), little-endian throughout: the number of
// uuids (8 bytes), then per uuid in MySQL's order (by its bytes) the 16 bytes, the number of
// intervals (8 bytes) and each interval as start and exclusive end (8 bytes each).
TEST(MysqlGtidSet, EncodesAsMysqlsGtidSetEncode) {
  EXPECT_EQ(MysqlGtidSet().encode(), hex_bytes("00 00 00 00 00 00 00 00"));
  const auto set = parse_ok(std::string(kA) + ":7-9:1-5," + kB + ":200-300:100");
  const std::string expected = hex_bytes(
      "02 00 00 00 00 00 00 00"                          // two uuids
      " 0d 9a b1 c2 00 00 40 00 80 00 00 00 00 00 00 0b"  // kB first: its bytes sort first
      " 02 00 00 00 00 00 00 00"                          // two intervals
      " 64 00 00 00 00 00 00 00  65 00 00 00 00 00 00 00"  // [100, 101)
      " c8 00 00 00 00 00 00 00  2d 01 00 00 00 00 00 00"  // [200, 301)
      " 3e 11 fa 47 71 ca 11 e1 9e 33 c8 0a a9 42 95 62"  // kA
      " 02 00 00 00 00 00 00 00"
      " 01 00 00 00 00 00 00 00  06 00 00 00 00 00 00 00"  // [1, 6)
      " 07 00 00 00 00 00 00 00  0a 00 00 00 00 00 00 00"); // [7, 10)
  EXPECT_EQ(set.encode(), expected);
  EXPECT_EQ(expected.size(), 8u + 2 * (16 + 8 + 2 * 16));
  // Multi-byte numbers, least significant byte first.
  MysqlGtidSet big;
  big.add(uuid(kA), 0x0102030405);
  EXPECT_EQ(big.encode().substr(8 + 16 + 8),
            hex_bytes("05 04 03 02 01 00 00 00  06 04 03 02 01 00 00 00"));
}

}  // namespace
}  // namespace ferry::mysql
