#include "binlog/event_decoder.hpp"

#include "binlog/column_type.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>

namespace ferry::mysql {
namespace {

// Default post-header lengths, for events met before a FORMAT_DESCRIPTION says otherwise.
constexpr uint8_t kQueryPostHeader = 13;
constexpr uint8_t kRotatePostHeader = 8;
constexpr uint8_t kTableIdPostHeader = 8;
constexpr uint8_t kRowsV2PostHeader = 10;
constexpr size_t kFdeFixedPart = 2 + 50 + 4 + 1;  // version, server version, timestamp, header length
constexpr size_t kChecksumSize = 4;

// Whether a server of this version writes the checksum algorithm into its FORMAT_DESCRIPTION
// (MySQL 5.6.1+; every MariaDB since 5.3).
bool version_has_checksum(const std::string& version) {
  unsigned major = 0, minor = 0, patch = 0;
  if (std::sscanf(version.c_str(), "%u.%u.%u", &major, &minor, &patch) < 2) return false;
  const unsigned v = (major * 256 + minor) * 256 + patch;
  return v >= (5u * 256 + 6u) * 256 + 1u;
}

std::string uuid_text(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    const auto b = static_cast<uint8_t>(bytes[i]);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// The after image of a PARTIAL_UPDATE_ROWS row (MySQL's rpl_record.cc): value options (packed:
// 0, or 1 = PARTIAL_JSON_UPDATES), then, when 1, one bit per JSON column of the table saying
// whether the image holds that column's diffs (json_diff.hpp) instead of its value, then the image.
// `unsupported` is set when a column's diffs have no before value to apply to.
bool partial_after_image(DecodedEvent& event, ValueArena& arena, const ferry_value* before, const uint8_t* before_present,
                         ferry_value* after, uint8_t* after_present, std::string& error, bool& unsupported) {
  const TableMap& t = *event.table_map;
  ByteReader& in = event.rows_body;
  const uint64_t options = in.packed();
  if (!in.ok()) {
    error = "PARTIAL_UPDATE_ROWS row is truncated in its value options";
    return false;
  }
  if (options > 1) {
    error = "PARTIAL_UPDATE_ROWS row has value options " + std::to_string(options) + " (MySQL defines 1, PARTIAL_JSON)";
    return false;
  }
  PartialJsonImage partial;
  partial.before = before;
  partial.before_present = before_present;
  if (options == 1) {
    size_t json_columns = 0;
    for (const ColumnInfo& c : t.columns) json_columns += c.type == column_type::kJson;
    partial.partial_bits = in.bytes((json_columns + 7) / 8);
    if (!in.ok()) {
      error = "PARTIAL_UPDATE_ROWS row is truncated in its partial-JSON bitmap";
      return false;
    }
  }
  const bool ok = decode_row_image(in, t, event.rows.columns_after, arena, after, after_present, error, &partial);
  unsupported = !ok && partial.missing_before;
  return ok;
}

}  // namespace

uint32_t binlog_crc32(std::string_view data) {
  // zlib's polynomial; libdeflate computes it with carry-less multiplication where the CPU has
  // it, several times faster than zlib's tables (zlib's crc32 was 40% of decoding a binlog).
  return libdeflate_crc32(0, data.data(), data.size());
}

const TableMap* EventDecoder::table(uint64_t table_id) const {
  auto it = tables_.find(table_id);
  return it == tables_.end() ? nullptr : it->second.get();
}

TableMap* EventDecoder::mutable_table(uint64_t table_id) {
  auto it = tables_.find(table_id);
  return it == tables_.end() ? nullptr : it->second.get();
}

namespace {

// Whether a FORMAT_DESCRIPTION carries the checksum algorithm byte, and after it the 4-byte
// checksum field: a checksum-aware server (by its version) writes both even when the algorithm is
// OFF, so the body ends 5 bytes before the event does whatever the byte says.
bool fde_has_checksum_fields(std::string_view raw) {
  if (raw.size() < kEventHeaderSize + kFdeFixedPart + kChecksumSize + 1) return false;
  // The 50-byte field is NUL-padded, but a corrupt one may have no NUL: never read past it.
  const std::string_view field = raw.substr(kEventHeaderSize + 2, 50);
  return version_has_checksum(std::string(field.substr(0, field.find('\0'))));
}

}  // namespace

ChecksumAlg EventDecoder::checksum_for(const EventHeader& h, std::string_view raw) const {
  if (h.type == static_cast<uint8_t>(EventType::FormatDescription)) {
    // Its own algorithm byte decides, when the server version writes one.
    if (!fde_has_checksum_fields(raw)) return ChecksumAlg::Off;
    const auto alg = static_cast<uint8_t>(raw[raw.size() - kChecksumSize - 1]);
    return alg == 1 ? ChecksumAlg::Crc32 : ChecksumAlg::Off;
  }
  if (fde_) return fde_->checksum;
  return stream_checksum_ == ChecksumAlg::Crc32 ? ChecksumAlg::Crc32 : ChecksumAlg::Off;
}

bool EventDecoder::decode(std::string_view raw, DecodedEvent& out, DecodeError& error) {
  return decode_event(raw, false, out, error);
}

bool EventDecoder::decode_inner(std::string_view raw, DecodedEvent& out, DecodeError& error) {
  return decode_event(raw, true, out, error);
}

bool EventDecoder::unpack(const DecodedEvent& event, std::vector<std::string>& events, DecodeError& error) {
  if (event.header.type != static_cast<uint8_t>(EventType::TransactionPayload)) {
    error = {std::string("unpack() of a ") + event_type_name(event.header.type) + " event, not a TRANSACTION_PAYLOAD", false};
    return false;
  }
  return unpacker_.unpack(event.payload, events, error);
}

namespace {

// Clears what describes an event's body, keeping the vectors' and strings' memory: decoding runs
// once per event, and building a whole DecodedEvent each time was a tenth of decoding a binlog.
// The QUERY part is cleared where a QUERY is decoded.
void reset(DecodedEvent& e) {
  e.header = {};
  e.raw = {};
  e.format = nullptr;
  e.rotate = {};
  e.table_map = nullptr;
  e.rows = {};
  e.rows_body = {};
  e.xid = 0;
  e.mariadb_gtid = {};
  e.gtid_list.clear();
  e.mysql_gtid.flags = 0;
  e.mysql_gtid.uuid.clear();
  e.mysql_gtid.gno = 0;
  e.mysql_gtid.anonymous = false;
  e.previous_gtids.clear();
  e.text = {};
  e.payload = {};
}

}  // namespace

bool EventDecoder::decode_event(std::string_view raw, bool inner, DecodedEvent& out, DecodeError& error) {
  reset(out);
  error = DecodeError{};
  out.raw = raw;
  ByteReader h(raw);
  out.header.timestamp = h.u32();
  out.header.type = h.u8();
  out.header.server_id = h.u32();
  out.header.event_size = h.u32();
  out.header.log_pos = h.u32();
  out.header.flags = h.u16();
  if (!h.ok() || out.header.event_size != raw.size() || raw.size() < kEventHeaderSize) {
    error = {"event header says " + std::to_string(out.header.event_size) + " bytes but " + std::to_string(raw.size()) +
                 " were read",
             true};
    return false;
  }
  const uint8_t type = out.header.type;
  if (inner && (type == static_cast<uint8_t>(EventType::FormatDescription) ||
                type == static_cast<uint8_t>(EventType::TransactionPayload))) {
    error = {std::string(event_type_name(type)) + " event inside a TRANSACTION_PAYLOAD", true};
    return false;
  }
  const ChecksumAlg alg = inner ? ChecksumAlg::Off : checksum_for(out.header, raw);
  size_t body_size = raw.size() - kEventHeaderSize;
  if (alg == ChecksumAlg::Crc32) {
    if (body_size < kChecksumSize) {
      error = {"event too short for its checksum", true};
      return false;
    }
    body_size -= kChecksumSize;
    uint32_t stored = 0;
    std::memcpy(&stored, raw.data() + raw.size() - kChecksumSize, kChecksumSize);  // little-endian hosts
    uint32_t computed = 0;
    if (type == static_cast<uint8_t>(EventType::FormatDescription) && (out.header.flags & kFlagBinlogInUse)) {
      // The server sets "binlog in use" in the file's FORMAT_DESCRIPTION after checksumming it
      // and clears it on a clean close: the checksum is over the event without the flag.
      std::string copy(raw.substr(0, raw.size() - kChecksumSize));
      copy[17] = static_cast<char>(copy[17] & ~kFlagBinlogInUse);
      computed = binlog_crc32(copy);
    } else {
      computed = binlog_crc32(raw.substr(0, raw.size() - kChecksumSize));
    }
    if (stored != computed) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "checksum mismatch: stored %08x, computed %08x", stored, computed);
      error = {buf, true};
      return false;
    }
  } else if (!inner && type == static_cast<uint8_t>(EventType::FormatDescription) && fde_has_checksum_fields(raw)) {
    // Checksums OFF, but the checksum field is there all the same: the algorithm byte is the last
    // byte of the body (read from the field's last byte instead, one file in 256 looked CRC32).
    body_size -= kChecksumSize;
  }
  ByteReader in(reinterpret_cast<const uint8_t*>(raw.data()) + kEventHeaderSize, body_size);
  const FormatDescription* fde = fde_ ? &*fde_ : nullptr;
  auto post = [&](uint8_t fallback) { return fde ? fde->post_header_length(type, fallback) : fallback; };

  const RowsEventInfo rows = rows_event_info(type);
  if (rows.kind != RowsKind::None) {
    std::string why;
    if (!parse_rows_header(in, post(rows.v2 ? kRowsV2PostHeader : kTableIdPostHeader), rows, out.rows, why)) {
      error = {why, true};
      return false;
    }
    out.table_map = table(out.rows.table_id);
    if (out.table_map == nullptr) {
      error = {"rows event for table id " + std::to_string(out.rows.table_id) + " without a TABLE_MAP before it", false};
      return false;
    }
    if (out.table_map->columns.size() != out.rows.column_count) {
      error = {"rows event has " + std::to_string(out.rows.column_count) + " columns but the TABLE_MAP of " +
                   out.table_map->schema + "." + out.table_map->table + " has " +
                   std::to_string(out.table_map->columns.size()),
               true};
      return false;
    }
    if (rows.compressed) {
      // MariaDB compresses the rows only; header and column bitmaps stay as they are.
      if (!inflate(in, event_type_name(type), error)) return false;
      out.rows_body = ByteReader(reinterpret_cast<const uint8_t*>(inflated_.data()), inflated_.size());
      return true;
    }
    out.rows_body = in;
    return true;
  }

  switch (static_cast<EventType>(type)) {
    case EventType::FormatDescription:
      return decode_format_description(in, out, error);
    case EventType::Rotate:
      out.rotate.position = in.u64();
      if (post(kRotatePostHeader) > kRotatePostHeader) in.skip(post(kRotatePostHeader) - kRotatePostHeader);
      out.rotate.file = in.rest();
      break;
    case EventType::Query:
      if (!decode_query(in, out.query, error)) return false;
      break;
    case EventType::TableMap: {
      // A server logs the same TABLE_MAP before every statement on a table: the same bytes under
      // the same id are the same map, kept with what a caller filled in (mutable_table).
      ByteReader peek = in;
      const std::string_view body = peek.rest();
      const uint8_t id_size = post(kTableIdPostHeader) == 6 ? 4 : 6;
      uint64_t peek_id = 0;
      for (uint8_t i = 0; i < id_size && i < body.size(); ++i) peek_id |= static_cast<uint64_t>(static_cast<uint8_t>(body[i])) << (8 * i);
      if (auto known = table_map_bytes_.find(peek_id); known != table_map_bytes_.end() && known->second == body) {
        out.table_map = tables_.at(peek_id).get();
        break;
      }
      auto tm = std::make_unique<TableMap>();
      std::string why;
      if (!parse_table_map(in, post(kTableIdPostHeader), fde && fde->mariadb, *tm, why)) {
        error = {why, true};
        return false;
      }
      const uint64_t id = tm->table_id;
      out.table_map = tm.get();
      tables_[id] = std::move(tm);
      table_map_bytes_[id].assign(body);
      break;
    }
    case EventType::Xid:
      out.xid = in.u64();
      break;
    case EventType::MariadbGtid:
      out.mariadb_gtid.sequence = in.u64();
      out.mariadb_gtid.domain = in.u32();
      out.mariadb_gtid.flags = in.u8();
      out.mariadb_gtid.server_id = out.header.server_id;
      break;
    case EventType::GtidList:
    case EventType::BinlogCheckpoint:
      if (type == static_cast<uint8_t>(EventType::BinlogCheckpoint)) {
        out.text = in.bytes(in.u32());
        break;
      } else {
        const uint32_t count = in.u32() & 0x0fffffffu;
        if (count > in.remaining() / 16) {
          error = {"GTID_LIST count is larger than the event", true};
          return false;
        }
        for (uint32_t i = 0; i < count; ++i) {
          GtidTriple g;
          g.domain = in.u32();
          g.server_id = in.u32();
          g.sequence = in.u64();
          out.gtid_list.push_back(g);
        }
        break;
      }
    case EventType::MysqlGtid:
    case EventType::AnonymousGtid:
      out.mysql_gtid.flags = in.u8();
      out.mysql_gtid.uuid = uuid_text(in.bytes(16));
      out.mysql_gtid.gno = static_cast<int64_t>(in.u64());
      out.mysql_gtid.anonymous = type == static_cast<uint8_t>(EventType::AnonymousGtid);
      break;
    case EventType::PreviousGtids: {
      const uint64_t n = in.u64();
      if (n > in.remaining() / 24) {
        error = {"PREVIOUS_GTIDS count is larger than the event", true};
        return false;
      }
      for (uint64_t i = 0; i < n && in.ok(); ++i) {
        MysqlGtidInterval s;
        s.uuid = uuid_text(in.bytes(16));
        const uint64_t k = in.u64();
        if (k > in.remaining() / 16) {
          error = {"PREVIOUS_GTIDS interval count is larger than the event", true};
          return false;
        }
        for (uint64_t j = 0; j < k; ++j) {
          const auto start = static_cast<int64_t>(in.u64());
          const auto end = static_cast<int64_t>(in.u64());
          s.intervals.emplace_back(start, end);
        }
        out.previous_gtids.push_back(std::move(s));
      }
      break;
    }
    case EventType::AnnotateRows:
    case EventType::Heartbeat:
      out.text = in.rest();
      break;
    case EventType::RowsQuery:
      in.skip(1);  // a length byte that long statements overflow; the text runs to the end
      out.text = in.rest();
      break;
    case EventType::Incident:
      in.skip(2);
      out.text = in.bytes(in.u8());
      break;
    case EventType::QueryCompressed: {
      // Status variables and schema as in QUERY; the statement text is compressed.
      if (!decode_query(in, out.query, error)) return false;
      const std::string_view packed = out.query.statement;
      if (!inflate(ByteReader(reinterpret_cast<const uint8_t*>(packed.data()), packed.size()), "QUERY_COMPRESSED", error)) {
        return false;
      }
      out.query.statement = inflated_;
      break;
    }
    case EventType::TransactionPayload:
      if (!accept_payloads_) {
        error = {"TRANSACTION_PAYLOAD (MySQL binlog_transaction_compression): this reader does not unpack them", false};
        return false;
      }
      // No post-header, whatever the FORMAT_DESCRIPTION says: MySQL reads the fields right
      // after the common header.
      if (!parse_transaction_payload(in.rest(), out.payload, error)) return false;
      break;
    default:
      break;  // other events carry nothing ferry needs; callers skip them by their length
  }
  if (!in.ok()) {
    error = {std::string(event_type_name(type)) + " event is truncated", true};
    return false;
  }
  return true;
}

bool EventDecoder::decode_format_description(ByteReader& in, DecodedEvent& out, DecodeError& error) {
  FormatDescription f;
  f.binlog_version = in.u16();
  std::string_view version = in.bytes(50);
  f.server_version = std::string(version.substr(0, version.find('\0')));
  in.skip(4);  // creation time
  f.header_length = in.u8();
  if (!in.ok() || f.binlog_version != 4 || f.header_length < kEventHeaderSize) {
    error = {"FORMAT_DESCRIPTION is malformed or not binlog version 4", true};
    return false;
  }
  f.mariadb = f.server_version.find("MariaDB") != std::string::npos;
  const bool has_alg = version_has_checksum(f.server_version);
  // The body ends with the algorithm byte (the checksum field, used or not, was cut off by decode()).
  size_t n = in.remaining();
  if (has_alg) {
    if (n < 1) {
      error = {"FORMAT_DESCRIPTION lacks its checksum algorithm", true};
      return false;
    }
    n -= 1;
  }
  std::string_view lengths = in.bytes(n);
  f.post_header_lengths.assign(lengths.begin(), lengths.end());
  f.checksum = has_alg && in.u8() == 1 ? ChecksumAlg::Crc32 : ChecksumAlg::Off;
  fde_ = std::move(f);
  tables_.clear();  // table ids are per file
  table_map_bytes_.clear();
  out.format = &*fde_;
  return true;
}

bool EventDecoder::decode_query(ByteReader& in, QueryEvent& q, DecodeError& error) {
  q = QueryEvent{};  // its status variables are optional: none may be left from an earlier QUERY
  const uint8_t post_len = fde_ ? fde_->post_header_length(static_cast<uint8_t>(EventType::Query), kQueryPostHeader)
                                : kQueryPostHeader;
  q.thread_id = in.u32();
  q.exec_time = in.u32();
  const uint8_t db_len = in.u8();
  q.error_code = in.u16();
  const uint16_t vars_len = in.u16();
  if (post_len > kQueryPostHeader) in.skip(post_len - kQueryPostHeader);
  if (!in.ok() || vars_len > in.remaining()) {
    error = {"QUERY status variables run past the event", true};
    return false;
  }
  ByteReader vars(in.position(), vars_len);
  in.skip(vars_len);
  bool known = true;
  while (known && vars.ok() && vars.remaining() > 0) {
    const uint8_t code = vars.u8();
    switch (code) {
      case 0: vars.skip(4); break;                 // Q_FLAGS2
      case 1: q.sql_mode = vars.u64(); break;      // Q_SQL_MODE
      case 2: vars.skip(vars.u8() + 1u); break;    // Q_CATALOG (with a NUL)
      case 3: vars.skip(4); break;                 // Q_AUTO_INCREMENT
      case 4:                                      // Q_CHARSET
        q.charset_client = vars.u16();
        q.collation_connection = vars.u16();
        q.collation_server = vars.u16();
        break;
      case 5: q.time_zone = vars.bytes(vars.u8()); break;  // Q_TIME_ZONE
      case 6: vars.skip(vars.u8()); break;         // Q_CATALOG_NZ
      case 7: vars.skip(2); break;                 // Q_LC_TIME_NAMES
      case 8: vars.skip(2); break;                 // Q_CHARSET_DATABASE
      case 9: vars.skip(8); break;                 // Q_TABLE_MAP_FOR_UPDATE
      case 10: vars.skip(4); break;                // Q_MASTER_DATA_WRITTEN
      case 11:                                     // Q_INVOKER: user, host
        vars.skip(vars.u8());
        vars.skip(vars.u8());
        break;
      case 12: {                                   // Q_UPDATED_DB_NAMES
        const uint8_t count = vars.u8();
        if (count != 254) {  // 254: too many to list
          for (uint8_t i = 0; i < count && vars.ok(); ++i) {
            while (vars.ok() && vars.u8() != 0) {
            }
          }
        }
        break;
      }
      case 13: vars.skip(3); break;                // Q_MICROSECONDS
      case 16: vars.skip(1); break;                // Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP
      case 17: q.ddl_xid = vars.u64(); break;      // Q_DDL_LOGGED_WITH_XID
      case 18: vars.skip(2); break;                // Q_DEFAULT_COLLATION_FOR_UTF8MB4
      case 19: vars.skip(1); break;                // Q_SQL_REQUIRE_PRIMARY_KEY
      case 20: vars.skip(1); break;                // Q_DEFAULT_TABLE_ENCRYPTION
      case 128: vars.skip(3); break;               // MariaDB Q_HRNOW
      case 129: vars.skip(8); break;               // MariaDB Q_XID
      default: known = false; break;               // unknown length: the rest is skipped
    }
  }
  q.schema = in.bytes(db_len);
  in.skip(1);  // NUL
  q.statement = in.rest();
  if (!in.ok()) {
    error = {"QUERY event is truncated", true};
    return false;
  }
  return true;
}

bool EventDecoder::inflate(ByteReader in, std::string_view what, DecodeError& error) {
  const uint8_t head = in.u8();
  const uint8_t lenlen = head & 0x07;
  if (!in.ok() || (head & 0x80) == 0 || lenlen == 0 || lenlen > 4 || in.remaining() < lenlen) {
    error = {std::string(what) + ": the compressed block's header does not read", true};
    return false;
  }
  uint32_t length = 0;
  for (uint8_t i = 0; i < lenlen; ++i) length = (length << 8) | in.u8();
  const std::string_view packed = in.rest();
  // zlib inflates at most about 1032 times; a bigger claim is corrupt (and must not make us
  // allocate it). An event is at most 1 GiB (max_allowed_packet) anyway.
  if (length > (1u << 30) || length > packed.size() * 1040 + 64) {
    error = {std::string(what) + ": claims " + std::to_string(length) + " uncompressed bytes from " +
                 std::to_string(packed.size()),
             true};
    return false;
  }
  inflated_.resize(length);
  uLongf out_len = length;
  const int rc = uncompress(reinterpret_cast<Bytef*>(inflated_.data()), &out_len, reinterpret_cast<const Bytef*>(packed.data()),
                            static_cast<uLong>(packed.size()));
  if (rc != Z_OK || out_len != length) {
    error = {std::string(what) + ": the compressed block does not inflate to its " + std::to_string(length) + " bytes (zlib " +
                 std::to_string(rc) + ")",
             true};
    return false;
  }
  return true;
}

bool EventDecoder::next_row(DecodedEvent& event, ValueArena& arena, ferry_value* before, uint8_t* before_present,
                            ferry_value* after, uint8_t* after_present, std::string& error) {
  DecodeError e;
  const bool ok = next_row(event, arena, before, before_present, after, after_present, e);
  error = std::move(e.message);
  return ok;
}

bool EventDecoder::next_row(DecodedEvent& event, ValueArena& arena, ferry_value* before, uint8_t* before_present,
                            ferry_value* after, uint8_t* after_present, DecodeError& result) {
  result = DecodeError{};
  std::string& error = result.message;
  if (event.rows_body.remaining() == 0 || !event.rows_body.ok()) return false;
  bool unsupported = false;  // the row is valid but cannot be known from the event
  const TableMap& t = *event.table_map;
  const size_t bitmap_bytes = (t.columns.size() + 7) / 8;
  const size_t remaining = event.rows_body.remaining();
  bool ok = false;
  switch (event.rows.kind) {
    case RowsKind::Write:
      std::memset(after_present, 0, bitmap_bytes);
      ok = decode_row_image(event.rows_body, t, event.rows.columns_before, arena, after, after_present, error);
      break;
    case RowsKind::Delete:
      std::memset(before_present, 0, bitmap_bytes);
      ok = decode_row_image(event.rows_body, t, event.rows.columns_before, arena, before, before_present, error);
      break;
    case RowsKind::Update:
      std::memset(before_present, 0, bitmap_bytes);
      std::memset(after_present, 0, bitmap_bytes);
      ok = decode_row_image(event.rows_body, t, event.rows.columns_before, arena, before, before_present, error);
      if (ok && event.rows.partial_json) {
        ok = partial_after_image(event, arena, before, before_present, after, after_present, error, unsupported);
      } else if (ok) {
        ok = decode_row_image(event.rows_body, t, event.rows.columns_after, arena, after, after_present, error);
      }
      break;
    default:
      error = "not a rows event";
      return false;
  }
  // Images whose column bitmaps are empty take no bytes: every call would return the same
  // empty row again, forever.
  if (ok && event.rows_body.remaining() == remaining) {
    error = "rows event has no columns in its row images";
    event.rows_body.fail();
    ok = false;
  }
  if (!ok) result.corrupt = !unsupported;
  return ok;
}

}  // namespace ferry::mysql
