// TRANSACTION_PAYLOAD events (MySQL binlog_transaction_compression) on events built here as MySQL
// 8 writes them (binlog_event_builder.hpp): a transaction compressed with zstd unpacks into events
// that decode exactly as the same events read uncompressed; damaged, truncated and oversized
// payloads fail with a message.
#include "binlog/column_type.hpp"
#include "binlog/event_decoder.hpp"
#include "binlog/event_printer.hpp"
#include "binlog/transaction_payload.hpp"
#include "binlog_event_builder.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

#include <cstring>
#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

using namespace event_builder;

constexpr uint64_t kTableId = 71;

std::vector<std::string> transaction_events() { return sample_transaction(kTableId); }

std::string concatenated(const std::vector<std::string>& events) {
  std::string all;
  for (const std::string& e : events) all += e;
  return all;
}

std::string zstd(const std::string& data) { return zstd_frame(data); }
std::string zstd_streamed(const std::string& data) { return zstd_frame(data, false); }

std::string payload_event(uint64_t compression, uint64_t uncompressed, const std::string& payload, bool crc = true) {
  return event(EventType::TransactionPayload, transaction_payload_body(compression, uncompressed, payload), crc);
}

// Each event printed as `ferry binlog decode` prints it, all at the same made-up position.
class Printed {
 public:
  explicit Printed(EventDecoder& d) : decoder_(d) {}
  std::string operator()(DecodedEvent& e) {
    std::string line, error;
    EXPECT_TRUE(print_event(decoder_, e, "binlog.000001", 1000, 2000, "", line, error)) << error;
    return line;
  }

 private:
  EventDecoder& decoder_;
};

struct Unpacked {
  bool ok = false;
  DecodeError error;
  std::vector<std::string> printed;  // the payload event, then each inner event
};

// Decodes FORMAT_DESCRIPTION (CRC32), then `payload`, unpacks it and decodes and prints each event.
Unpacked unpack_and_print(const std::string& payload) {
  Unpacked u;
  EventDecoder decoder;
  decoder.accept_transaction_payloads();
  DecodedEvent e;
  if (!decoder.decode(mysql8_format_description(true), e, u.error)) return u;
  if (!decoder.decode(payload, e, u.error)) return u;
  Printed print(decoder);
  u.printed.push_back(print(e));
  std::vector<std::string> events;
  if (!decoder.unpack(e, events, u.error)) return u;
  for (const std::string& raw : events) {
    DecodedEvent inner;
    if (!decoder.decode_inner(raw, inner, u.error)) return u;
    u.printed.push_back(print(inner));
  }
  u.ok = true;
  return u;
}

// The same events, read one by one from a CRC32 stream: what the payload must unpack to.
std::vector<std::string> print_directly(const std::vector<std::string>& inner) {
  EventDecoder decoder;
  DecodedEvent e;
  DecodeError error;
  EXPECT_TRUE(decoder.decode(mysql8_format_description(true), e, error)) << error.message;
  Printed print(decoder);
  std::vector<std::string> printed;
  for (const std::string& raw : inner) {
    // The same event with a checksum, as it would be outside a payload.
    const std::string with_crc = event(static_cast<uint8_t>(raw[4]), raw.substr(kEventHeaderSize), true);
    EXPECT_TRUE(decoder.decode(with_crc, e, error)) << error.message;
    printed.push_back(print(e));
  }
  return printed;
}

TEST(TransactionPayload, AZstdTransactionUnpacksToWhatItsEventsDecodeTo) {
  const std::vector<std::string> inner = transaction_events();
  const std::string all = concatenated(inner);
  const Unpacked u = unpack_and_print(payload_event(kPayloadCompressionZstd, all.size(), zstd(all)));
  ASSERT_TRUE(u.ok) << u.error.message;
  ASSERT_EQ(u.printed.size(), inner.size() + 1);
  EXPECT_NE(u.printed[0].find("\"type\":\"TRANSACTION_PAYLOAD\",\"timestamp\":1700000000,\"compression\":\"ZSTD\""),
            std::string::npos)
      << u.printed[0];
  EXPECT_NE(u.printed[0].find("\"uncompressed_size\":" + std::to_string(all.size()) + "}"), std::string::npos);
  const std::vector<std::string> expected = print_directly(inner);
  for (size_t i = 0; i < inner.size(); ++i) EXPECT_EQ(u.printed[i + 1], expected[i]);
  EXPECT_NE(u.printed[3].find(R"("rows":[{"after":{"id":1,"name":"ada","doc":"{\"k\": 1, \"tags\": [\"x\"]}"}},)"
                              R"({"after":{"id":2,"name":"grace","doc":"[\"x\", true]"}}])"),
            std::string::npos)
      << u.printed[3];
  EXPECT_NE(u.printed[4].find(R"("after":{"id":1,"name":"ada","doc":"{\"k\": \"v\", \"tags\": [null], \"new key\": []}"})"),
            std::string::npos)
      << u.printed[4];
}

TEST(TransactionPayload, StreamedFramesWithoutAContentSizeAndSeveralFramesUnpack) {
  const std::vector<std::string> inner = transaction_events();
  const std::string all = concatenated(inner);
  const std::string frame = zstd_streamed(all);
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  const Unpacked streamed = unpack_and_print(payload_event(kPayloadCompressionZstd, all.size(), frame));
  ASSERT_TRUE(streamed.ok) << streamed.error.message;
  EXPECT_EQ(streamed.printed.size(), inner.size() + 1);
  // Two frames, split inside the TABLE_MAP: the events are whole once both are read.
  const size_t cut = inner[0].size() + 10;
  const std::string two = zstd(all.substr(0, cut)) + zstd_streamed(all.substr(cut));
  const Unpacked split = unpack_and_print(payload_event(kPayloadCompressionZstd, all.size(), two));
  ASSERT_TRUE(split.ok) << split.error.message;
  ASSERT_EQ(split.printed.size(), streamed.printed.size());
  for (size_t i = 1; i < split.printed.size(); ++i) EXPECT_EQ(split.printed[i], streamed.printed[i]);
}

TEST(TransactionPayload, AnUncompressedPayloadUnpacksToo) {
  const std::vector<std::string> inner = transaction_events();
  const std::string all = concatenated(inner);
  const Unpacked u = unpack_and_print(payload_event(kPayloadCompressionNone, all.size(), all));
  ASSERT_TRUE(u.ok) << u.error.message;
  EXPECT_NE(u.printed[0].find("\"compression\":\"NONE\""), std::string::npos);
  const std::vector<std::string> expected = print_directly(inner);
  ASSERT_EQ(u.printed.size(), expected.size() + 1);
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(u.printed[i + 1], expected[i]);
}

TEST(TransactionPayload, UnknownHeaderFieldsAreSkippedByTheirLength) {
  const std::string all = concatenated(transaction_events());
  const std::string packed_payload = zstd(all);
  const std::string body = payload_field(2, 0) + packed(9) + packed(3) + "abc" + payload_field(3, all.size()) +
                           payload_field(1, packed_payload.size()) + packed(0) + packed_payload;
  const Unpacked u = unpack_and_print(event(EventType::TransactionPayload, body, true));
  ASSERT_TRUE(u.ok) << u.error.message;
  EXPECT_EQ(u.printed.size(), transaction_events().size() + 1);
}

TEST(TransactionPayload, ADecoderThatDoesNotUnpackRefusesThemAsUnsupported) {
  const std::string all = concatenated(transaction_events());
  EventDecoder decoder;
  DecodedEvent e;
  DecodeError error;
  ASSERT_TRUE(decoder.decode(mysql8_format_description(true), e, error));
  EXPECT_FALSE(decoder.decode(payload_event(kPayloadCompressionZstd, all.size(), zstd(all)), e, error));
  EXPECT_FALSE(error.corrupt);
  EXPECT_NE(error.message.find("does not unpack"), std::string::npos) << error.message;
}

// What decoding `payload` (after a FORMAT_DESCRIPTION) and unpacking it fails with.
DecodeError failure(const std::string& payload) {
  const Unpacked u = unpack_and_print(payload);
  EXPECT_FALSE(u.ok);
  EXPECT_FALSE(u.error.message.empty());
  return u.error;
}

TEST(TransactionPayload, DamagedCompressedBytesAreCorrupt) {
  const std::string all = concatenated(transaction_events());
  std::string packed_payload = zstd(all);
  packed_payload[0] ^= 0x5a;  // the frame's magic number
  const DecodeError e = failure(payload_event(kPayloadCompressionZstd, all.size(), packed_payload));
  EXPECT_TRUE(e.corrupt);
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD does not decompress: zstd says Unknown frame descriptor");
  // Cut short, the frame does not end.
  const std::string cut = zstd(all).substr(0, 20);
  EXPECT_NE(failure(payload_event(kPayloadCompressionZstd, all.size(), cut)).message.find("does not decompress"),
            std::string::npos);
}

TEST(TransactionPayload, AnUncompressedSizeOtherThanTheHeaderSaysIsCorrupt) {
  const std::string all = concatenated(transaction_events());
  const DecodeError more = failure(payload_event(kPayloadCompressionZstd, all.size() + 1, zstd(all)));
  EXPECT_TRUE(more.corrupt);
  EXPECT_EQ(more.message, "TRANSACTION_PAYLOAD decompresses to " + std::to_string(all.size()) +
                              " bytes but its header says " + std::to_string(all.size() + 1) + " bytes");
  const DecodeError less = failure(payload_event(kPayloadCompressionZstd, all.size() - 1, zstd_streamed(all)));
  EXPECT_TRUE(less.corrupt);
  EXPECT_EQ(less.message, "TRANSACTION_PAYLOAD decompresses to more than the " + std::to_string(all.size() - 1) +
                              " bytes its header says");
}

TEST(TransactionPayload, AnUnknownCompressionTypeIsUnsupported) {
  const std::string all = concatenated(transaction_events());
  const DecodeError e = failure(payload_event(7, all.size(), zstd(all)));
  EXPECT_FALSE(e.corrupt);
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD compression type 7 is unknown (MySQL defines 0 = ZSTD and 255 = NONE)");
}

TEST(TransactionPayload, MoreThanOneGibibyteIsRefusedBeforeAnythingIsAllocated) {
  const std::string all = concatenated(transaction_events());
  const DecodeError e = failure(payload_event(kPayloadCompressionZstd, (uint64_t{1} << 30) + 1, zstd(all)));
  EXPECT_FALSE(e.corrupt);
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD says its transaction unpacks to 1073741825 bytes; ferry unpacks at most "
                       "1073741824 bytes (1 GiB) per transaction");
  // A lower limit (the fuzz target's) refuses at unpack().
  EventDecoder decoder;
  decoder.accept_transaction_payloads();
  decoder.set_payload_limit(100);
  DecodedEvent ev;
  DecodeError error;
  ASSERT_TRUE(decoder.decode(payload_event(kPayloadCompressionZstd, all.size(), zstd(all), false), ev, error))
      << error.message;
  std::vector<std::string> events;
  EXPECT_FALSE(decoder.unpack(ev, events, error));
  EXPECT_EQ(error.message, "TRANSACTION_PAYLOAD says its transaction unpacks to " + std::to_string(all.size()) +
                               " bytes; the limit here is 100 bytes");
}

TEST(TransactionPayload, AHeaderThatDoesNotReadIsCorrupt) {
  const std::string all = concatenated(transaction_events());
  const std::string z = zstd(all);
  auto header_failure = [](const std::string& body) {
    return failure(event(EventType::TransactionPayload, body, true));
  };
  // The payload size disagrees with the bytes that follow.
  DecodeError e = header_failure(payload_field(2, 0) + payload_field(3, all.size()) + payload_field(1, z.size() + 3) +
                                 packed(0) + z);
  EXPECT_TRUE(e.corrupt);
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD says its payload has " + std::to_string(z.size() + 3) + " bytes but " +
                           std::to_string(z.size()) + " bytes follow its header");
  // A field whose length runs past the event.
  e = header_failure(payload_field(2, 0) + packed(3) + packed(200) + "\x05");
  EXPECT_TRUE(e.corrupt);
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD header field 3 at byte 3 runs past the event");
  // A value that does not fill its field.
  e = header_failure(payload_field(2, 0) + packed(3) + packed(2) + packed(5) + "x" + packed(0));
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD header field 3 at byte 3: its value does not fill its 2 bytes");
  // No end mark.
  e = header_failure(payload_field(2, 0) + payload_field(3, all.size()));
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD header has no end mark");
  // 251 is the protocol's NULL, never a field type.
  e = header_failure(std::string(1, '\xfb'));
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD header field at byte 0 does not read");
  // NONE must not claim another size.
  e = header_failure(payload_field(2, 255) + payload_field(3, all.size() + 9) + payload_field(1, all.size()) +
                     packed(0) + all);
  EXPECT_TRUE(e.corrupt);
}

TEST(TransactionPayload, AnInnerEventRunningPastThePayloadIsCorrupt) {
  std::vector<std::string> inner = transaction_events();
  std::string last = inner.back();
  const uint32_t claimed = static_cast<uint32_t>(last.size() + 5);
  std::memcpy(&last[9], &claimed, 4);
  inner.back() = last;
  std::string all = concatenated(inner);
  DecodeError e = failure(payload_event(kPayloadCompressionZstd, all.size(), zstd(all)));
  EXPECT_TRUE(e.corrupt);
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD event " + std::to_string(inner.size()) + " at byte " + std::to_string(all.size() - last.size()) +
                           " of the payload says it has " + std::to_string(claimed) + " bytes, where " +
                           std::to_string(last.size()) + " bytes are left");
  // A tail shorter than an event header.
  all = concatenated(transaction_events()) + "tail";
  e = failure(payload_event(kPayloadCompressionNone, all.size(), all));
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD event " + std::to_string(inner.size() + 1) + " at byte " + std::to_string(all.size() - 4) +
                           " of the payload: 4 bytes left, less than an event header");
}

TEST(TransactionPayload, AFormatDescriptionOrAPayloadInsideAPayloadIsCorrupt) {
  // The inner events decode with the stream's CRC32 off (the test above), and an event that
  // nests a payload or a FORMAT_DESCRIPTION (which would change the stream's state) is refused.
  const std::string nested = payload_event(kPayloadCompressionNone, 0, "", false);
  const std::string all = concatenated(transaction_events()) + nested;
  DecodeError e = failure(payload_event(kPayloadCompressionZstd, all.size(), zstd(all)));
  EXPECT_TRUE(e.corrupt);
  EXPECT_EQ(e.message, "TRANSACTION_PAYLOAD event inside a TRANSACTION_PAYLOAD");
  const std::string with_fde = mysql8_format_description(false) + concatenated(transaction_events());
  e = failure(payload_event(kPayloadCompressionNone, with_fde.size(), with_fde));
  EXPECT_EQ(e.message, "FORMAT_DESCRIPTION event inside a TRANSACTION_PAYLOAD");
}

}  // namespace
}  // namespace ferry::mysql
