// TRANSACTION_PAYLOAD events (type 40): MySQL 8.0.20+ with binlog_transaction_compression=ON
// writes each transaction's events, compressed, as the body of one event (libbinlogevents'
// codecs/binary.cpp and compression/, MySQL's Transaction_payload_event).
//
// The body starts right after the common header (the post-header is empty, whatever the
// FORMAT_DESCRIPTION lists for type 40) with a header of fields, each
//
//   type     packed integer (MySQL's net_field_length: < 251 one byte, 252 + 2, 253 + 3, 254 + 8)
//   length   packed integer: the bytes of the value
//   value    packed integer
//
// PAYLOAD_SIZE = 1, COMPRESSION_TYPE = 2 (0 = ZSTD, 255 = NONE), UNCOMPRESSED_SIZE = 3, and an
// unknown type is skipped by its length; a lone type 0 ends the header, and the rest of the event
// (its checksum aside) is the payload. MySQL writes COMPRESSION_TYPE, UNCOMPRESSED_SIZE (unless
// NONE), PAYLOAD_SIZE, then the end mark; an absent compression type reads as NONE, an absent or
// zero uncompressed size as the payload size, as MySQL reads them.
//
// The payload, uncompressed, is the transaction's events back to back (QUERY BEGIN, TABLE_MAP,
// rows events, XID, ...; its GTID event stays outside, before the payload event), each a whole
// event with its common header and never a checksum, whatever binlog_checksum says.
#pragma once

#include "binlog/decode_error.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::mysql {

inline constexpr uint64_t kPayloadCompressionZstd = 0;
inline constexpr uint64_t kPayloadCompressionNone = 255;

// The most a transaction may unpack to. MySQL's own events are at most 1 GiB
// (max_allowed_packet); a larger claim is refused before anything is allocated.
inline constexpr uint64_t kMaxUnpackedTransaction = uint64_t{1} << 30;

// A TRANSACTION_PAYLOAD event's header. `payload` views the event's bytes.
struct TransactionPayload {
  uint64_t compression = kPayloadCompressionNone;
  uint64_t payload_size = 0;
  uint64_t uncompressed_size = 0;
  std::string_view payload;
};

// "ZSTD", "NONE", or nullptr for a type MySQL does not define.
const char* payload_compression_name(uint64_t compression);

// Reads the header of a TRANSACTION_PAYLOAD body (`body`: after the common header, checksum cut
// off). Fails (corrupt) on a field that does not read, a payload size other than the bytes after
// the header, or an uncompressed size of NONE other than the payload size; fails (unsupported,
// not corrupt) on an unknown compression type or an uncompressed size over
// kMaxUnpackedTransaction.
bool parse_transaction_payload(std::string_view body, TransactionPayload& out, DecodeError& error);

// Decompresses TRANSACTION_PAYLOAD events and splits them into their events. Keeps its zstd
// context and buffer between calls. Not thread-safe: one per stream (EventDecoder owns one).
class PayloadUnpacker {
 public:
  PayloadUnpacker();
  ~PayloadUnpacker();
  PayloadUnpacker(PayloadUnpacker&&) noexcept;
  PayloadUnpacker& operator=(PayloadUnpacker&&) noexcept;

  // Fills `events` (resized; its strings' storage is reused) with the inner events of `payload`,
  // each a copy owned by the caller. Memory grows with what really decompresses, never with what
  // the header claims. Fails (corrupt) on a decompression error, an uncompressed size other than
  // the header's, or an inner event shorter than a header or running past the payload's end.
  bool unpack(const TransactionPayload& payload, std::vector<std::string>& events, DecodeError& error);

  // Lowers the refusal limit below kMaxUnpackedTransaction (the fuzz target bounds its memory).
  void set_limit(uint64_t bytes) { limit_ = bytes < kMaxUnpackedTransaction ? bytes : kMaxUnpackedTransaction; }

 private:
  bool decompress(const TransactionPayload& payload, DecodeError& error);

  struct Zstd;
  std::unique_ptr<Zstd> zstd_;  // its context and the last zstd payload, uncompressed
  uint64_t limit_ = kMaxUnpackedTransaction;
};

}  // namespace ferry::mysql
