// EventDecoder: turns raw binlog events (common header, body, optional CRC32) into typed views.
// It keeps what decoding later events needs: the FORMAT_DESCRIPTION (header and post-header
// lengths, checksum algorithm) and the TABLE_MAPs by table id. Not thread-safe; one per stream.
//
// Decoding never reads outside the event's bytes; a malformed, truncated or checksum-failing
// event yields a DecodeError that says what is wrong, and the stream position is the caller's.
#pragma once

#include "binlog/byte_reader.hpp"
#include "binlog/decode_error.hpp"
#include "binlog/event_type.hpp"
#include "binlog/row_image.hpp"
#include "binlog/table_map.hpp"
#include "binlog/transaction_payload.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ferry::mysql {

inline constexpr size_t kEventHeaderSize = 19;

struct EventHeader {
  uint32_t timestamp = 0;
  uint8_t type = 0;
  uint32_t server_id = 0;
  uint32_t event_size = 0;
  uint32_t log_pos = 0;  // end of this event in its file; 0 for artificial events
  uint16_t flags = 0;
};

// Header flags.
inline constexpr uint16_t kFlagBinlogInUse = 0x01;  // LOG_EVENT_BINLOG_IN_USE_F: file not closed cleanly
inline constexpr uint16_t kFlagArtificial = 0x20;  // LOG_EVENT_ARTIFICIAL_F: made up by the sender

enum class ChecksumAlg : uint8_t { Off = 0, Crc32 = 1, Undefined = 255 };

struct FormatDescription {
  uint16_t binlog_version = 4;
  std::string server_version;
  uint8_t header_length = kEventHeaderSize;
  std::vector<uint8_t> post_header_lengths;  // index = event type - 1
  ChecksumAlg checksum = ChecksumAlg::Off;
  bool mariadb = false;

  uint8_t post_header_length(uint8_t type, uint8_t fallback) const {
    return type >= 1 && type <= post_header_lengths.size() ? post_header_lengths[type - 1u] : fallback;
  }
};

struct QueryEvent {
  uint32_t thread_id = 0;
  uint32_t exec_time = 0;
  uint16_t error_code = 0;
  std::string_view schema;
  std::string_view statement;
  std::optional<uint64_t> sql_mode;
  std::optional<uint16_t> charset_client;       // collation ids from Q_CHARSET_CODE
  std::optional<uint16_t> collation_connection;
  std::optional<uint16_t> collation_server;
  std::string_view time_zone;
  std::optional<uint64_t> ddl_xid;  // MySQL: the DDL was logged with an XID (atomic DDL)
};

struct MariadbGtid {
  uint64_t sequence = 0;
  uint32_t domain = 0;
  uint32_t server_id = 0;  // from the header
  uint8_t flags = 0;
  bool standalone() const { return flags & 1; }  // FL_STANDALONE: no BEGIN ... COMMIT around it
};

struct GtidTriple {
  uint32_t domain = 0;
  uint32_t server_id = 0;
  uint64_t sequence = 0;
};

struct MysqlGtid {
  uint8_t flags = 0;
  std::string uuid;  // text form, 8-4-4-4-12
  int64_t gno = 0;
  bool anonymous = false;
};

struct MysqlGtidInterval {
  std::string uuid;
  std::vector<std::pair<int64_t, int64_t>> intervals;  // [start, end) as stored
};

// One decoded event. Views point into the raw event bytes or the decoder's state: valid until the
// next call to decode(). A member added here must be cleared in reset() (event_decoder.cpp).
struct DecodedEvent {
  EventHeader header;
  std::string_view raw;  // the whole event, checksum included
  // Exactly one of these describes the body, by header.type:
  const FormatDescription* format = nullptr;  // FORMAT_DESCRIPTION
  struct {
    uint64_t position = 0;
    std::string_view file;
  } rotate;                                   // ROTATE
  QueryEvent query;                           // QUERY (and decompressed QUERY_COMPRESSED)
  const TableMap* table_map = nullptr;        // TABLE_MAP, and the table of a rows event
  RowsHeader rows;                            // rows events: header; `rows_body` the rows
  ByteReader rows_body;
  uint64_t xid = 0;                           // XID
  MariadbGtid mariadb_gtid;                   // MARIADB_GTID
  std::vector<GtidTriple> gtid_list;          // GTID_LIST
  MysqlGtid mysql_gtid;                       // GTID, ANONYMOUS_GTID
  std::vector<MysqlGtidInterval> previous_gtids;  // PREVIOUS_GTIDS
  std::string_view text;                      // ANNOTATE_ROWS, ROWS_QUERY, INCIDENT message, BINLOG_CHECKPOINT file, HEARTBEAT file
  TransactionPayload payload;                 // TRANSACTION_PAYLOAD: its header; unpack() gives its events
};

class EventDecoder {
 public:
  // `checksum` is what the stream negotiated (@master_binlog_checksum); a FORMAT_DESCRIPTION
  // event overrides it. Files start with a FORMAT_DESCRIPTION, so Undefined works for them.
  explicit EventDecoder(ChecksumAlg checksum = ChecksumAlg::Undefined) : stream_checksum_(checksum) {}

  // Decodes one whole event. On failure returns false and fills `error`.
  bool decode(std::string_view raw, DecodedEvent& out, DecodeError& error);
  // The decompressed part of the last compressed event decoded (its views point in here).
  std::string_view inflated() const { return inflated_; }

  // TRANSACTION_PAYLOAD events (MySQL binlog_transaction_compression, transaction_payload.hpp)
  // hold a whole transaction's events. decode() refuses them as unsupported until the caller says
  // it unpacks them: a caller that does not know them would otherwise skip a transaction unseen.
  void accept_transaction_payloads(bool on = true) { accept_payloads_ = on; }
  // The events inside a decoded TRANSACTION_PAYLOAD `event`, decompressed into `events` (owned
  // by the caller: they stay valid across later decode() calls). Decode each, in order, with
  // decode_inner(); its TABLE_MAPs and rows then decode as in any transaction.
  bool unpack(const DecodedEvent& event, std::vector<std::string>& events, DecodeError& error);
  // decode() for an event from unpack(): such events never carry a checksum, whatever the
  // stream's checksum setting; a FORMAT_DESCRIPTION or TRANSACTION_PAYLOAD among them is corrupt.
  bool decode_inner(std::string_view raw, DecodedEvent& out, DecodeError& error);
  // Lowers the most a TRANSACTION_PAYLOAD may unpack to (default and ceiling: 1 GiB).
  void set_payload_limit(uint64_t bytes) { unpacker_.set_limit(bytes); }

  // Decodes the next row of a rows event in `event` (before image, then after image for
  // UPDATE). Returns false at the end of the rows (`error` empty) or on bad data (`error` set:
  // `corrupt` unless the event is valid but cannot give the row, as a PARTIAL_JSON update whose
  // before image lacks the JSON column). `before`/`after` are arrays of the table's column count;
  // `*_present` bitmaps are zeroed here.
  bool next_row(DecodedEvent& event, ValueArena& arena, ferry_value* before, uint8_t* before_present,
                ferry_value* after, uint8_t* after_present, DecodeError& error);
  // The same, with the message only.
  bool next_row(DecodedEvent& event, ValueArena& arena, ferry_value* before, uint8_t* before_present,
                ferry_value* after, uint8_t* after_present, std::string& error);

  const FormatDescription* format() const { return fde_ ? &*fde_ : nullptr; }
  const TableMap* table(uint64_t table_id) const;
  // The same, for a caller that fills in what the binlog did not log (names, signedness, charsets
  // from the upstream's catalog) before the table's rows are decoded.
  TableMap* mutable_table(uint64_t table_id);
  // After a DDL: the next TABLE_MAP of every table is read afresh, even with the same bytes (what
  // a caller filled in from the upstream's catalog may have changed).
  void forget_table_maps() { table_map_bytes_.clear(); }

 private:
  // `inner`: an event from inside a TRANSACTION_PAYLOAD.
  bool decode_event(std::string_view raw, bool inner, DecodedEvent& out, DecodeError& error);
  bool decode_format_description(ByteReader& in, DecodedEvent& out, DecodeError& error);
  bool decode_query(ByteReader& in, QueryEvent& out, DecodeError& error);
  // MariaDB's log_bin_compress: `in` holds a compressed block (a header byte 0x80|n, n bytes of
  // big-endian uncompressed length, a zlib stream); it is inflated into inflated_, which the
  // event then points into until the next decode.
  bool inflate(ByteReader in, std::string_view what, DecodeError& error);
  ChecksumAlg checksum_for(const EventHeader& h, std::string_view raw) const;

  ChecksumAlg stream_checksum_;
  std::optional<FormatDescription> fde_;
  std::unordered_map<uint64_t, std::unique_ptr<TableMap>> tables_;
  std::unordered_map<uint64_t, std::string> table_map_bytes_;  // each map's body, to know a repeat
  std::string inflated_;  // the decompressed part of the last compressed event
  PayloadUnpacker unpacker_;
  bool accept_payloads_ = false;
};

// CRC32 (zlib's polynomial) of `data`, as binlog checksums use.
uint32_t binlog_crc32(std::string_view data);

}  // namespace ferry::mysql
