// MariaDB's compressed columns through decode_value, on values built here the way MariaDB's
// Field_longstr::compress() stores them (header byte, big-endian length, raw or zlib-wrapped
// deflate stream), and on corrupt ones, which must be refused with a message.
#include "binlog/column_type.hpp"
#include "binlog/row_image.hpp"
#include "binlog/table_map.hpp"
#include "compressed_column_builder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ferry::mysql {
namespace {

using compressed_column_builder::compressed;

constexpr uint16_t kUtf8mb4 = 45;
constexpr uint16_t kBinary = 63;

std::string as_is(const std::string& value) { return std::string(1, '\0') + value; }

std::string prefixed(const std::string& stored, size_t prefix_bytes) {
  std::string out;
  for (size_t i = 0; i < prefix_bytes; ++i) out += static_cast<char>((stored.size() >> (8 * i)) & 0xff);
  return out + stored;
}

// `max_length`: the VARCHAR's length in bytes (its metadata), or the BLOB's length-prefix bytes.
ColumnInfo compressed_column(uint8_t type, uint32_t max_length, uint16_t charset) {
  ColumnInfo c;
  c.type = type;
  c.max_length = max_length;
  c.metadata = static_cast<uint16_t>(max_length);
  c.charset = charset;
  return c;
}
ColumnInfo varchar_compressed(uint32_t max_length, uint16_t charset = kUtf8mb4) {
  return compressed_column(column_type::kVarcharCompressed, max_length, charset);
}
ColumnInfo blob_compressed(uint32_t prefix_bytes, uint16_t charset = kBinary) {
  return compressed_column(column_type::kBlobCompressed, prefix_bytes, charset);
}

struct Decoded {
  bool ok = false;
  ferry_value value{};
  std::string bytes;
  std::string error;
  size_t left = 0;  // bytes of the row not read
};

Decoded decode(const ColumnInfo& c, const std::string& row) {
  ByteReader in(row);
  ScratchArena arena;
  Decoded d;
  d.ok = decode_value(in, c, arena, d.value, d.error);
  if (d.ok && d.value.data != nullptr) d.bytes.assign(d.value.data, d.value.len);
  d.left = in.remaining();
  return d;
}

// MariaDB numbers them MYSQL_TYPE_BLOB_COMPRESSED = 140 and MYSQL_TYPE_VARCHAR_COMPRESSED = 141
// (ferry once had them the other way round, and read a VARCHAR's 2-byte length as a BLOB's).
TEST(CompressedColumns, TheTableMapGivesVarcharTwoMetadataBytesAndBlobOne) {
  std::string body = std::string("\x15\0\0\0\0\0", 6) + std::string("\x01\0", 2);  // table id 21, flags
  body += std::string("\x01" "c", 2) + '\0' + std::string("\x01" "t", 2) + '\0';
  body += std::string("\x02\x8d\x8c", 3);                // two columns: types 141, 140
  body += std::string("\x03\xa1\x0f\x02", 4);           // metadata: 4001 (2 bytes), 2 (1 byte)
  body += std::string("\x03", 1);                          // both nullable
  ByteReader in(body);
  TableMap map;
  std::string error;
  ASSERT_TRUE(parse_table_map(in, 8, true, map, error)) << error;
  ASSERT_EQ(map.columns.size(), 2u);
  EXPECT_EQ(map.columns[0].type, column_type::kVarcharCompressed);
  EXPECT_EQ(map.columns[0].max_length, 4001u);
  EXPECT_EQ(map.columns[1].type, column_type::kBlobCompressed);
  EXPECT_EQ(map.columns[1].max_length, 2u);
}

TEST(CompressedColumns, ShortValuesStoredAsIsDecodeToTheirBytes) {
  const Decoded d = decode(varchar_compressed(4001), prefixed(as_is("abc é"), 2) + "next");
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.value.type, FERRY_VALUE_STRING);
  EXPECT_EQ(d.bytes, "abc é");
  EXPECT_EQ(d.left, 4u);  // the next column's bytes are untouched
  const Decoded b = decode(blob_compressed(2), prefixed(as_is(std::string("\0\xff", 2)), 2));
  ASSERT_TRUE(b.ok) << b.error;
  EXPECT_EQ(b.value.type, FERRY_VALUE_BYTES);
  EXPECT_EQ(b.bytes, std::string("\0\xff", 2));
}

TEST(CompressedColumns, AnEmptyValueHasNoHeader) {
  const Decoded d = decode(varchar_compressed(201), prefixed("", 1));
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.value.type, FERRY_VALUE_STRING);
  EXPECT_EQ(d.value.len, 0u);
}

TEST(CompressedColumns, InflatesRawAndZlibWrappedStreams) {
  const std::string text = [] {
    std::string s;
    for (int i = 0; i < 500; ++i) s += "ab😀 " + std::to_string(i % 7);
    return s;
  }();
  for (const bool raw : {true, false}) {
    const Decoded d = decode(varchar_compressed(20001), prefixed(compressed(text, raw), 2));
    ASSERT_TRUE(d.ok) << d.error;
    EXPECT_EQ(d.value.type, FERRY_VALUE_STRING);
    EXPECT_EQ(d.bytes, text) << (raw ? "raw deflate" : "zlib-wrapped");
  }
  // A 3-byte BLOB length prefix (MEDIUMBLOB) and a 3-byte original length.
  const std::string big(100000, '\x5a');
  const Decoded b = decode(blob_compressed(3), prefixed(compressed(big), 3));
  ASSERT_TRUE(b.ok) << b.error;
  EXPECT_EQ(b.value.type, FERRY_VALUE_BYTES);
  EXPECT_EQ(b.bytes, big);
}

TEST(CompressedColumns, RefusesALengthBeyondWhatTheColumnHolds) {
  // 300 bytes into a TINYBLOB (at most 255), and into a VARCHAR whose length is 201.
  const std::string value(300, 'x');
  Decoded d = decode(blob_compressed(1), prefixed(compressed(value), 1));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("claims 300 bytes"), std::string::npos) << d.error;
  d = decode(varchar_compressed(201), prefixed(compressed(value), 1));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("the column holds 201"), std::string::npos) << d.error;
  // A claim no deflate stream of this size can meet is refused before anything is allocated.
  d = decode(blob_compressed(4), prefixed(std::string("\x8c\x40\x00\x00\x00\x03\x00", 7), 4));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("claims 1073741824 bytes from a stream of 2"), std::string::npos) << d.error;
}

TEST(CompressedColumns, RefusesStreamsThatDoNotInflateToTheirLength) {
  const std::string value(400, 'q');
  std::string stored = compressed(value);
  stored[2] = static_cast<char>(0x91);  // claims 401 bytes (0x0191): the stream ends at 400
  Decoded d = decode(varchar_compressed(4001), prefixed(stored, 2));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("does not inflate to its 401 bytes"), std::string::npos) << d.error;
  stored = compressed(value);
  stored[2] = static_cast<char>(0x8f);  // claims 399: the stream has more
  d = decode(varchar_compressed(4001), prefixed(stored, 2));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("does not inflate"), std::string::npos) << d.error;
  d = decode(varchar_compressed(4001), prefixed(compressed(value) + "tail", 2));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("4 stream bytes left over"), std::string::npos) << d.error;
  stored = compressed(value);
  d = decode(varchar_compressed(4001), prefixed(stored.substr(0, stored.size() - 2), 2));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("does not inflate"), std::string::npos) << d.error;
  stored = compressed(value, false);
  stored[0] = static_cast<char>(stored[0] | 8);  // a wrapped stream read as raw
  d = decode(varchar_compressed(4001), prefixed(stored, 2));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("does not inflate"), std::string::npos) << d.error;
}

TEST(CompressedColumns, RefusesUnknownMethodsAndLengthSizes) {
  for (const uint8_t head : {0x10, 0x70, 0x90, 0xf9}) {
    const Decoded d = decode(varchar_compressed(4001), prefixed(std::string(1, static_cast<char>(head)) + "abc", 2));
    EXPECT_FALSE(d.ok) << int(head);
    EXPECT_NE(d.error.find("MariaDB has only zlib"), std::string::npos) << d.error;
  }
  for (const uint8_t head : {0x88, 0x8d, 0x85}) {
    const Decoded d = decode(varchar_compressed(4001), prefixed(std::string(1, static_cast<char>(head)) + "abcdefgh", 2));
    EXPECT_FALSE(d.ok) << int(head);
    EXPECT_NE(d.error.find("gives its length"), std::string::npos) << d.error;
  }
  // A header that needs two length bytes, with one there.
  const Decoded d = decode(varchar_compressed(4001), prefixed("\x8a\x01", 2));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("gives its length 2 bytes, in a value of 2"), std::string::npos) << d.error;
}

TEST(CompressedColumns, AValueCutByTheEventEndRunsPastIt) {
  const std::string row = prefixed(compressed(std::string(300, 'z')), 2);
  const Decoded d = decode(varchar_compressed(4001), row.substr(0, row.size() - 1));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("runs past the end of the event"), std::string::npos) << d.error;
}

}  // namespace
}  // namespace ferry::mysql
