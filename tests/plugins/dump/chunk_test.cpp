#include "chunk/chunk.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace ferry::dump {
namespace {

std::string show(const std::vector<KeyRange>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    out += "[" + (r.lo ? key_text(*r.lo) : std::string("-inf")) + "," + (r.hi ? key_text(*r.hi) : std::string("+inf")) + ")";
  }
  return out;
}

KeyRange range(std::optional<KeyValue> lo, std::optional<KeyValue> hi) { return KeyRange{lo, hi}; }

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
  EXPECT_FALSE(parse_chunk_token("not json").has_value());
  EXPECT_FALSE(parse_chunk_token("{\"schema\":\"a\",\"table\":\"b\",\"lo\":\"x1\"}").has_value());
}

TEST(SnapshotPoints, OrderByFileNumberThenOffset) {
  EXPECT_TRUE(before({"binlog.000009", 900, ""}, {"binlog.000010", 4, ""}));
  EXPECT_TRUE(before({"binlog.000010", 4, ""}, {"binlog.000010", 5, ""}));
  EXPECT_FALSE(before({"binlog.000010", 5, ""}, {"binlog.000010", 5, ""}));
}

}  // namespace
}  // namespace ferry::dump
