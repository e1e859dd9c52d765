// The event decoder on hand-built events: framing, checksums, corrupt input.
#include "binlog/event_decoder.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace ferry::mysql {
namespace {

// An event with the common header around `body`, with a CRC32 when `crc` is set.
std::string event(uint8_t type, const std::string& body, bool crc, uint32_t log_pos = 100) {
  std::string e(19, '\0');
  const uint32_t size = static_cast<uint32_t>(19 + body.size() + (crc ? 4 : 0));
  e[4] = static_cast<char>(type);
  std::memcpy(&e[9], &size, 4);
  std::memcpy(&e[13], &log_pos, 4);
  e += body;
  if (crc) {
    const uint32_t c = binlog_crc32(e);
    e.append(reinterpret_cast<const char*>(&c), 4);
  }
  return e;
}

std::string xid_body(uint64_t xid) { return std::string(reinterpret_cast<const char*>(&xid), 8); }

TEST(EventDecoder, VerifiesChecksumsAndReportsMismatch) {
  EventDecoder decoder(ChecksumAlg::Crc32);
  DecodedEvent out;
  DecodeError error;
  std::string e = event(16, xid_body(42), true);
  ASSERT_TRUE(decoder.decode(e, out, error)) << error.message;
  EXPECT_EQ(out.xid, 42u);
  e[20] ^= 1;  // flip a bit of the body
  EXPECT_FALSE(decoder.decode(e, out, error));
  EXPECT_TRUE(error.corrupt);
  EXPECT_NE(error.message.find("checksum mismatch"), std::string::npos) << error.message;
}

TEST(EventDecoder, ASizeThatDisagreesWithTheBytesIsCorrupt) {
  EventDecoder decoder(ChecksumAlg::Off);
  DecodedEvent out;
  DecodeError error;
  std::string e = event(16, xid_body(1), false);
  EXPECT_FALSE(decoder.decode(e.substr(0, e.size() - 1), out, error));
  EXPECT_TRUE(error.corrupt);
}

TEST(EventDecoder, ATruncatedBodyIsAnErrorNotARead) {
  EventDecoder decoder(ChecksumAlg::Off);
  DecodedEvent out;
  DecodeError error;
  std::string e = event(16, "abc", false);  // XID needs 8 bytes
  EXPECT_FALSE(decoder.decode(e, out, error));
  EXPECT_EQ(error.message, "XID event is truncated");
}

TEST(EventDecoder, RowsWithoutATableMapAreReported) {
  EventDecoder decoder(ChecksumAlg::Off);
  DecodedEvent out;
  DecodeError error;
  std::string body("\x07\x00\x00\x00\x00\x00\x00\x00\x01\x01", 10);  // table 7, flags, 1 column, bitmap
  EXPECT_FALSE(decoder.decode(event(23, body, false), out, error));
  EXPECT_EQ(error.message, "rows event for table id 7 without a TABLE_MAP before it");
}

TEST(EventDecoder, RotateCarriesTheNextFile) {
  EventDecoder decoder(ChecksumAlg::Off);
  DecodedEvent out;
  DecodeError error;
  uint64_t pos = 4;
  std::string body(reinterpret_cast<const char*>(&pos), 8);
  body += "mysql-bin.000002";
  ASSERT_TRUE(decoder.decode(event(4, body, false), out, error)) << error.message;
  EXPECT_EQ(out.rotate.position, 4u);
  EXPECT_EQ(out.rotate.file, "mysql-bin.000002");
}

}  // namespace
}  // namespace ferry::mysql
