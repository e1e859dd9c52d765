// Builds MySQL 8 binlog events from the format's description (libbinlogevents), for the unit
// tests and the fuzz seeds: no MySQL server is packaged here to write them. Only what the
// decoder reads is filled in with care; the rest holds plausible constants.
#pragma once

#include "binlog/column_type.hpp"
#include "binlog/event_decoder.hpp"
#include "json_binary_builder.hpp"

#include <zstd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ferry::mysql::event_builder {

using json_builder::le;

// MySQL's net_store_length(): < 251 in one byte, else 252 + 2, 253 + 3 or 254 + 8 bytes.
inline std::string packed(uint64_t v) {
  if (v < 251) return std::string(1, static_cast<char>(v));
  if (v < (1u << 16)) return "\xfc" + le(v, 2);
  if (v < (1u << 24)) return "\xfd" + le(v, 3);
  return "\xfe" + le(v, 8);
}
inline std::string packed_string(const std::string& s) { return packed(s.size()) + s; }

// An event of `type` around `body`: the common header (its size filled in) and, with `crc`, a
// CRC32 after it.
inline std::string event(uint8_t type, const std::string& body, bool crc, uint32_t log_pos = 0, uint32_t server_id = 1) {
  std::string e = le(1700000000, 4) + std::string(1, static_cast<char>(type)) + le(server_id, 4) +
                  le(kEventHeaderSize + body.size() + (crc ? 4 : 0), 4) + le(log_pos, 4) + le(0, 2);
  e += body;
  if (crc) e += le(binlog_crc32(e), 4);
  return e;
}
inline std::string event(EventType type, const std::string& body, bool crc, uint32_t log_pos = 0) {
  return event(static_cast<uint8_t>(type), body, crc, log_pos);
}

// A MySQL 8.0 FORMAT_DESCRIPTION: its post-header lengths for types 1..41, as 8.0 writes them
// (40 for TRANSACTION_PAYLOAD, although that event has no post-header).
inline std::string mysql8_format_description(bool crc) {
  static const uint8_t kPostHeader[41] = {56, 13, 0, 8, 0, 0, 0, 0, 4,  0,  4, 0, 0, 0, 98, 0, 4, 26, 8, 0, 0,
                                          0,  8,  8, 8, 2, 0, 0, 0, 10, 10, 10, 42, 42, 0, 18, 52, 0, 10, 40, 0};
  std::string version = "8.0.36";
  version.resize(50, '\0');
  std::string body = le(4, 2) + version + le(0, 4) + std::string(1, static_cast<char>(kEventHeaderSize));
  body.append(reinterpret_cast<const char*>(kPostHeader), sizeof kPostHeader);
  body += static_cast<char>(crc ? 1 : 0);  // the checksum algorithm
  // A checksum-aware server writes the checksum field after that byte even with checksums OFF.
  return event(EventType::FormatDescription, body, true, 126);
}

inline const std::string& sample_uuid() {
  static const std::string kUuid("\x3e\x11\xfa\x47\x71\xca\x11\xe1\x9e\x33\xc8\x0a\xa9\x42\x95\x63", 16);
  return kUuid;
}

// GTID: flags, SID, GNO, then the logical clock and commit timestamps 8.0 writes.
inline std::string gtid_body(int64_t gno) {
  return std::string(1, '\x01') + sample_uuid() + le(static_cast<uint64_t>(gno), 8) + std::string(1, '\x02') +
         le(static_cast<uint64_t>(gno - 1), 8) + le(static_cast<uint64_t>(gno), 8) + le(1700000000000000, 7) +
         packed(400) + le(80036, 4);
}

inline std::string query_body(const std::string& schema, const std::string& statement) {
  return le(7, 4) + le(0, 4) + std::string(1, static_cast<char>(schema.size())) + le(0, 2) + le(0, 2) + schema +
         std::string(1, '\0') + statement;
}

inline std::string xid_body(uint64_t xid) { return le(xid, 8); }

struct Column {
  uint8_t type = 0;
  std::string metadata;  // as TABLE_MAP logs it for the type
  std::string name;
};

// TABLE_MAP with the column names in its optional metadata; every column nullable.
inline std::string table_map_body(uint64_t table_id, const std::string& schema, const std::string& table,
                                  const std::vector<Column>& columns) {
  std::string body = le(table_id, 6) + le(1, 2) + std::string(1, static_cast<char>(schema.size())) + schema +
                     std::string(1, '\0') + std::string(1, static_cast<char>(table.size())) + table + std::string(1, '\0');
  body += packed(columns.size());
  std::string metadata, names;
  for (const Column& c : columns) {
    body += static_cast<char>(c.type);
    metadata += c.metadata;
    names += packed_string(c.name);
  }
  body += packed(metadata.size()) + metadata;
  body += std::string((columns.size() + 7) / 8, '\xff');
  body += std::string(1, '\x04') + packed(names.size()) + names;  // COLUMN_NAME
  return body;
}

// A bitmap of `count` bits from a list of set positions.
inline std::string bitmap(size_t count, const std::vector<size_t>& set) {
  std::string b((count + 7) / 8, '\0');
  for (size_t i : set) b[i / 8] = static_cast<char>(b[i / 8] | (1 << (i % 8)));
  return b;
}
inline std::vector<size_t> all_columns(size_t count) {
  std::vector<size_t> v;
  for (size_t i = 0; i < count; ++i) v.push_back(i);
  return v;
}

// A v2 rows event body: post-header (an empty extra-data block), column count, the image
// bitmaps (`after` for UPDATE and PARTIAL_UPDATE only), then `rows`.
inline std::string rows_body(uint64_t table_id, size_t column_count, const std::string& before, const std::string& after,
                             const std::string& rows) {
  return le(table_id, 6) + le(1, 2) + le(2, 2) + packed(column_count) + before + after + rows;
}

// Column values as a row image holds them.
inline std::string int32_value(int32_t v) { return le(static_cast<uint32_t>(v), 4); }
inline std::string varchar_value(const std::string& s) { return std::string(1, static_cast<char>(s.size())) + s; }
inline std::string json_value(const std::string& binary) { return le(binary.size(), 4) + binary; }

// One diff of a PARTIAL_JSON after image (binlog/json_diff.hpp): operation, path, value.
inline std::string json_diff(uint8_t operation, const std::string& path, const std::string& binary = "") {
  std::string d = std::string(1, static_cast<char>(operation)) + packed_string(path);
  if (operation != 2) d += packed_string(binary);
  return d;
}
// A JSON column's diffs as the after image holds them: their length (4 bytes), then the diffs.
inline std::string json_diffs(const std::vector<std::string>& diffs) {
  std::string all;
  for (const std::string& d : diffs) all += d;
  return le(all.size(), 4) + all;
}

// A TRANSACTION_PAYLOAD body: the header fields as MySQL writes them (compression type,
// uncompressed size unless NONE, payload size, end mark), then `payload`.
inline std::string payload_field(uint64_t type, uint64_t value) { return packed(type) + packed(packed(value).size()) + packed(value); }
inline std::string transaction_payload_body(uint64_t compression, uint64_t uncompressed_size, const std::string& payload) {
  std::string body = payload_field(2, compression);
  if (compression != kPayloadCompressionNone) body += payload_field(3, uncompressed_size);
  return body + payload_field(1, payload.size()) + packed(0) + payload;
}

// The table of the sample transaction: id INT, name VARCHAR(40), doc JSON.
inline std::vector<Column> sample_columns() {
  return {{column_type::kLong, "", "id"}, {column_type::kVarchar, le(40, 2), "name"},
          {column_type::kJson, std::string(1, '\x04'), "doc"}};
}

// The events of a sample transaction on `shop.items` as a TRANSACTION_PAYLOAD holds them (no
// checksums): BEGIN, TABLE_MAP, a WRITE_ROWS of two rows, a PARTIAL_UPDATE_ROWS whose after
// image logs `doc` as diffs, XID.
inline std::vector<std::string> sample_transaction(uint64_t table_id) {
  namespace jb = json_builder;
  auto row = [](int32_t id, const std::string& name, const jb::Bin& doc) {
    return bitmap(3, {}) + int32_value(id) + varchar_value(name) + json_value(jb::doc(doc));
  };
  const jb::Bin doc = jb::object({{"k", jb::int16(1)}, {"tags", jb::array({jb::str("x")})}});
  const std::string writes = row(1, "ada", doc) + row(2, "grace", jb::array({jb::str("x"), jb::json_true()}));
  const std::string diffs = json_diffs({json_diff(0, "$.k", jb::doc(jb::str("v"))),
                                        json_diff(1, "$.tags[last]", jb::doc(jb::json_null())),
                                        json_diff(1, R"($."new key")", jb::doc(jb::array({}))), json_diff(2, "$.tags[1]")});
  const std::string update = row(1, "ada", doc) + packed(1) + std::string(1, '\x01') + bitmap(3, {}) + int32_value(1) +
                             varchar_value("ada") + diffs;
  const std::string all = bitmap(3, all_columns(3));
  return {event(EventType::Query, query_body("shop", "BEGIN"), false),
          event(EventType::TableMap, table_map_body(table_id, "shop", "items", sample_columns()), false),
          event(EventType::WriteRowsV2, rows_body(table_id, 3, all, "", writes), false),
          event(EventType::PartialUpdateRows, rows_body(table_id, 3, all, all, update), false),
          event(EventType::Xid, xid_body(42), false)};
}

// `data` compressed into one zstd frame. `content_size`: whether the frame header says the size
// (MySQL's streaming compressor does not).
inline std::string zstd_frame(const std::string& data, bool content_size = true) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, content_size ? 1 : 0);
  std::string out(ZSTD_compressBound(data.size()) + 64, '\0');
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  ZSTD_inBuffer i{data.data(), data.size(), 0};
  const size_t left = ZSTD_compressStream2(c, &o, &i, ZSTD_e_end);  // 0: all of it, in one call
  ZSTD_freeCCtx(c);
  out.resize(left == 0 ? o.pos : 0);
  return out;
}

}  // namespace ferry::mysql::event_builder
