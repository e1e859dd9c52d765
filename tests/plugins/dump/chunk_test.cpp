#include "chunk/chunk.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <limits>

namespace ferry::dump {
namespace {

std::string show(const std::vector<KeyRange>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    out += "[" + (r.lo ? bound_display(*r.lo) : std::string("-inf")) + "," + (r.hi ? bound_display(*r.hi) : std::string("+inf")) + ")";
  }
  return out;
}

KeyRange range(std::optional<KeyValue> lo, std::optional<KeyValue> hi) {
  KeyRange r;
  if (lo) r.lo = *lo;
  if (hi) r.hi = *hi;
  return r;
}

TEST(ChunkKeys, TextRoundTripsAtBothEndsOfBigintAndBigintUnsigned) {
  for (KeyValue v : {KeyValue(0), KeyValue(-1), KeyValue(std::numeric_limits<int64_t>::min()),
                     KeyValue(std::numeric_limits<uint64_t>::max()), KeyValue(42)}) {
    auto back = parse_key(key_text(v));
    ASSERT_TRUE(back.has_value()) << key_text(v);
    EXPECT_TRUE(*back == v) << key_text(v);
  }
  EXPECT_EQ(key_text(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(key_text(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
  EXPECT_FALSE(parse_key("").has_value());
  EXPECT_FALSE(parse_key("12a").has_value());
  EXPECT_FALSE(parse_key("-").has_value());
}

TEST(ChunkRanges, NothingDoneLeavesTheWholeKeySpace) { EXPECT_EQ(show(remaining_ranges({})), "[-inf,+inf)"); }

TEST(ChunkRanges, AWholeTableChunkLeavesNothing) { EXPECT_EQ(show(remaining_ranges({KeyRange{}})), ""); }

TEST(ChunkRanges, GapsBetweenLoadedChunksAreWhatIsLeftInKeyOrder) {
  // Loaded out of order: [10,20), [-inf,5), [30,40)
  EXPECT_EQ(show(remaining_ranges({range(10, 20), range(std::nullopt, 5), range(30, 40)})), "[5,10)[20,30)[40,+inf)");
}

TEST(ChunkRanges, AdjacentLoadedChunksLeaveNoEmptyGap) {
  EXPECT_EQ(show(remaining_ranges({range(std::nullopt, 10), range(10, 20), range(20, std::nullopt)})), "");
  EXPECT_EQ(show(remaining_ranges({range(10, 20), range(20, std::nullopt)})), "[-inf,10)");
}

TEST(ChunkRanges, SplitCoversTheOuterRangeExactlyWithOpenEndsKept) {
  auto pieces = split_range(KeyRange{}, 1, 100, 4);
  EXPECT_EQ(show(pieces), "[-inf,26)[26,51)[51,76)[76,+inf)");
  EXPECT_EQ(show(split_range(range(5, 10), 5, 9, 10)), "[5,6)[6,7)[7,8)[8,9)[9,10)");
  EXPECT_EQ(show(split_range(range(5, 10), 7, 7, 3)), "[5,10)");
  EXPECT_EQ(show(split_range(KeyRange{}, 1, 100, 1)), "[-inf,+inf)");
}

TEST(ChunkRanges, SplitHandlesTheWholeUnsignedBigintSpan) {
  auto pieces = split_range(KeyRange{}, 0, std::numeric_limits<uint64_t>::max(), 3);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_FALSE(pieces.front().lo.has_value());
  EXPECT_FALSE(pieces.back().hi.has_value());
  for (size_t i = 1; i < pieces.size(); ++i) EXPECT_TRUE(*pieces[i - 1].hi == *pieces[i].lo);
}

TEST(ChunkTokens, RoundTripNamesAndWhereClause) {
  Chunk c;
  c.schema = "shop";
  c.table = "order`s";
  c.key_column = "id";
  c.range = range(-5, std::nullopt);
  c.read_at = {"binlog.000002", 1234, "0-1-5"};
  c.read_until = {"binlog.000003", 4, "0-1-9"};
  auto back = parse_chunk_token(c.token());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id(), "shop.order`s[-5,)");
  EXPECT_EQ(back->read_at.file, "binlog.000002");
  EXPECT_EQ(back->read_until.pos, 4u);
  EXPECT_EQ(back->read_until.gtid, "0-1-9");
  EXPECT_EQ(back->where_clause(), " WHERE `id` >= -5");
  back->range = range(1, 9);
  EXPECT_EQ(back->where_clause(), " WHERE `id` >= 1 AND `id` < 9");
  EXPECT_NE(c.token().find("\"bound\":\"integer\""), std::string::npos) << c.token();
  EXPECT_FALSE(parse_chunk_token("not json").has_value());
  EXPECT_FALSE(parse_chunk_token("{\"schema\":\"a\",\"table\":\"b\",\"lo\":\"x1\"}").has_value());
}

KeyType general_ci() { return KeyType{KeyOrder::Collated, "utf8mb4", "utf8mb4_general_ci"}; }

KeyRange text_range(std::optional<std::string> lo, std::optional<std::string> hi) {
  KeyRange r;
  if (lo) r.lo = KeyBound(*lo);
  if (hi) r.hi = KeyBound(*hi);
  return r;
}

TEST(ChunkTokens, ATextKeyedChunkRoundTripsAnyBytesAndSaysItsBoundKind) {
  Chunk c;
  c.schema = "shop";
  c.table = "codes";
  c.key_column = "code";
  c.key_type = KeyType{KeyOrder::Binary, "", ""};
  c.range = text_range(std::string("a\0\xff", 3), std::string("\x80z", 2));  // zero and non-UTF-8 bytes
  const std::string token = c.token();
  EXPECT_NE(token.find("\"bound\":\"text\""), std::string::npos) << token;
  EXPECT_NE(token.find("\"key-type\":\"binary\""), std::string::npos) << token;
  auto back = parse_chunk_token(token);
  ASSERT_TRUE(back.has_value()) << token;
  EXPECT_TRUE(back->key_type == c.key_type);
  EXPECT_TRUE(*back->range.lo == *c.range.lo);
  EXPECT_TRUE(*back->range.hi == *c.range.hi);
  EXPECT_EQ(back->id(), "shop.codes[x'6100ff',x'807a')");
  EXPECT_EQ(back->where_clause(), " WHERE `code` >= X'6100ff' AND `code` < X'807a'");
}

TEST(ChunkTokens, ACollatedBoundIsComparedUnderTheColumnsCollation) {
  Chunk c;
  c.schema = "shop";
  c.table = "people";
  c.key_column = "name";
  c.key_type = general_ci();
  c.range = text_range(std::nullopt, std::string("M\xc3\xbcller"));
  auto back = parse_chunk_token(c.token());
  ASSERT_TRUE(back.has_value()) << c.token();
  EXPECT_EQ(back->key_type.name(), "collated utf8mb4 utf8mb4_general_ci");
  EXPECT_EQ(back->where_clause(), " WHERE `name` < _utf8mb4 X'4dc3bc6c6c6572' COLLATE utf8mb4_general_ci");
  EXPECT_EQ(back->id(), "shop.people[,x'4dc3bc6c6c6572')");
}

TEST(ChunkTokens, TokensWrittenBeforeTextKeysStillReadAsIntegerRanges) {
  // A token as this dump wrote it before it cut text keys, byte for byte.
  const std::string old =
      R"js({"hi":"5","key":"id","lo":"1","name":"shop.t[1,5)","read-at":{"file":"binlog.000002","gtid":"0-1-1","pos":4},)js"
      R"js("read-until":{"file":"binlog.000002","gtid":"0-1-1","pos":4},"schema":"shop","table":"t"})js";
  auto c = parse_chunk_token(old);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->key_type.integer());
  EXPECT_EQ(c->id(), "shop.t[1,5)");
  EXPECT_EQ(c->where_clause(), " WHERE `id` >= 1 AND `id` < 5");
}

TEST(ChunkTokens, BoundsThatAreNotValuesOfTheKeyTypeAreRefused) {
  auto token = [](const std::string& type, const std::string& lo) {
    return R"({"schema":"a","table":"b","key":"k","bound":"text","key-type":")" + type + R"(","lo":")" + lo + R"(","hi":null})";
  };
  EXPECT_TRUE(parse_chunk_token(token("decimal", to_hex("-12.50"))).has_value());
  EXPECT_FALSE(parse_chunk_token(token("decimal", to_hex("1; DROP TABLE t"))).has_value());
  EXPECT_FALSE(parse_chunk_token(token("datetime", to_hex("2024-01-01' OR '1"))).has_value());
  EXPECT_FALSE(parse_chunk_token(token("binary", "6g")).has_value());  // not hex
  EXPECT_FALSE(parse_chunk_token(token("float", "31")).has_value());   // not a key type we cut
  EXPECT_FALSE(parse_chunk_token(token("collated utf8mb4 x;y", "31")).has_value());
  EXPECT_FALSE(parse_chunk_token(R"({"schema":"a","table":"b","key":"k","bound":"real","lo":"1"})").has_value());
}

// A toy case-insensitive collation for the pure algorithm: the server's order, as order_bounds
// hands it over, makes 'm' and 'M' one value.
bool ci_less(const KeyBound& a, const KeyBound& b) {
  auto fold = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return fold(std::get<std::string>(a)) < fold(std::get<std::string>(b));
}

TEST(ChunkRanges, TextBoundsEqualUnderTheCollationLeaveNoGapBetweenRuns) {
  // Run 1 loaded [a, m); run 2 (another snapshot, re-cut) loaded [M, t): M equals m, no gap.
  const auto left = remaining_ranges({text_range("M", "t"), text_range("a", "m")}, ci_less);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_FALSE(left[0].lo.has_value());
  EXPECT_EQ(std::get<std::string>(*left[0].hi), "a");
  EXPECT_EQ(std::get<std::string>(*left[1].lo), "t");
  EXPECT_FALSE(left[1].hi.has_value());
  // Ordered bytewise ('M' < 'a'), the same bounds would read [-inf, M) again, [a, m) included:
  // the order decides, which is why only the server may give it.
  auto bytewise = [](const KeyBound& a, const KeyBound& b) { return std::get<std::string>(a) < std::get<std::string>(b); };
  EXPECT_EQ(show(remaining_ranges({text_range("M", "t"), text_range("a", "m")}, bytewise)), "[-inf,x'4d')[x'74',+inf)");
}

TEST(ChunkRanges, TextGapsBetweenLoadedChunksAreWhatIsLeft) {
  const auto left = remaining_ranges({text_range("k", "p"), text_range(std::nullopt, "c"), text_range("x", std::nullopt)}, ci_less);
  EXPECT_EQ(show(left), "[x'63',x'6b')[x'70',x'78')");
}

TEST(SnapshotPoints, OrderByFileNumberThenOffset) {
  EXPECT_TRUE(before({"binlog.000009", 900, ""}, {"binlog.000010", 4, ""}));
  EXPECT_TRUE(before({"binlog.000010", 4, ""}, {"binlog.000010", 5, ""}));
  EXPECT_FALSE(before({"binlog.000010", 5, ""}, {"binlog.000010", 5, ""}));
}

}  // namespace
}  // namespace ferry::dump
