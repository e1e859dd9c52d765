#include "binlog/row_image.hpp"

#include "binlog/column_compression.hpp"
#include "binlog/column_type.hpp"
#include "binlog/decimal.hpp"
#include "binlog/json_binary.hpp"
#include "binlog/json_diff.hpp"
#include "binlog/temporal.hpp"

#include <cstring>

namespace ferry::mysql {
namespace {

using namespace column_type;

constexpr uint16_t kBinaryCollation = 63;

bool bit(std::string_view bitmap, size_t i) { return (static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1; }

ferry_value text_value(ValueArena& arena, ferry_value_type type, std::string_view s) {
  ferry_value v{};
  v.type = static_cast<uint8_t>(type);
  v.len = static_cast<uint32_t>(s.size());
  if (!s.empty()) {
    char* p = arena.alloc_bytes(s.size());
    std::memcpy(p, s.data(), s.size());
    v.data = p;
  }
  return v;
}

// Text made by a formatter (decimal, temporal), copied into the arena.
template <typename Format>
bool formatted(ByteReader& in, ValueArena& arena, ferry_value_type type, ferry_value& out, Format format) {
  std::string& text = arena.scratch();
  text.clear();
  if (!format(in, text)) return false;
  out = text_value(arena, type, text);
  return true;
}

int64_t sign_extend(uint64_t v, unsigned bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ m) - m);
}

bool integer(ByteReader& in, const ColumnInfo& c, size_t bytes, ferry_value& out) {
  const uint64_t raw = in.le(bytes);
  if (c.is_unsigned.value_or(false)) {
    out.type = FERRY_VALUE_UINT;
    out.num.u64 = raw;
  } else {
    out.type = FERRY_VALUE_INT;
    out.num.i64 = sign_extend(raw, static_cast<unsigned>(bytes * 8));
  }
  return in.ok();
}

// Strings: bytes with a 1-, 2-, 3- or 4-byte little-endian length prefix.
bool prefixed(ByteReader& in, ValueArena& arena, size_t prefix, ferry_value_type type, ferry_value& out) {
  const uint64_t n = in.le(prefix);
  std::string_view bytes = in.bytes(static_cast<size_t>(n));
  if (!in.ok()) return false;
  out = text_value(arena, type, bytes);
  return true;
}

ferry_value_type text_or_bytes(const ColumnInfo& c) {
  return c.charset.value_or(0) == kBinaryCollation ? FERRY_VALUE_BYTES : FERRY_VALUE_STRING;
}

// A MariaDB compressed column (column_compression.hpp): the stored bytes after a `prefix`-byte
// length, decoded to the value the column holds, at most `max_length` bytes. A zlib-stored value
// is inflated straight into the arena. False with `error` empty when the event ends first.
bool compressed_column(ByteReader& in, const ColumnInfo& c, ValueArena& arena, size_t prefix, uint64_t max_length,
                       ferry_value& out, std::string& error) {
  const uint64_t n = in.le(prefix);
  const std::string_view stored = in.bytes(static_cast<size_t>(n));
  if (!in.ok()) return false;
  CompressedColumnValue value;
  if (!read_compressed_column(stored, max_length, value, error)) return false;
  if (value.stored_as_is) {
    out = text_value(arena, text_or_bytes(c), value.bytes);
    return true;
  }
  char* dest = arena.alloc_bytes(value.length);
  if (!inflate_compressed_column(value, dest, error)) return false;
  out = ferry_value{};
  out.type = static_cast<uint8_t>(text_or_bytes(c));
  out.len = value.length;
  out.data = dest;
  return true;
}

// MySQL's binary JSON after its length prefix, as JSON text (json_binary.hpp): a STRING, as
// MariaDB's JSON (a LONGTEXT) decodes, so what follows handles both alike.
bool json_column(ByteReader& in, const ColumnInfo& c, ValueArena& arena, ferry_value& out, std::string& error) {
  const uint64_t n = in.le(c.max_length);
  const std::string_view doc = in.bytes(static_cast<size_t>(n));
  if (!in.ok()) return false;
  std::string& text = arena.scratch();
  text.clear();
  if (!json_binary_to_text(doc, text, error)) return false;
  out = text_value(arena, FERRY_VALUE_STRING, text);
  return true;
}

// A JSON column of a PARTIAL_UPDATE_ROWS after image logged as diffs (json_diff.hpp), applied to
// `before`, the text of the column's before value.
bool partial_json_column(ByteReader& in, std::string_view before, ValueArena& arena, ferry_value& out, std::string& error) {
  const uint32_t n = in.u32();
  const std::string_view diffs = in.bytes(n);
  if (!in.ok()) {
    error = "JSON diffs run past the end of the event";
    return false;
  }
  std::string& text = arena.scratch();
  text.clear();
  if (!apply_json_diffs(before, diffs, text, error)) return false;
  out = text_value(arena, FERRY_VALUE_STRING, text);
  return true;
}

std::string column_name(const TableMap& table, size_t i) {
  const ColumnInfo& c = table.columns[i];
  return "column " + std::to_string(i + 1) + (c.name.empty() ? "" : " (" + c.name + ")") + " of " + table.schema + "." +
         table.table;
}

}  // namespace

bool decode_value(ByteReader& in, const ColumnInfo& c, ValueArena& arena, ferry_value& out, std::string& error) {
  out = ferry_value{};
  bool ok = true;
  std::string corrupt;  // what a value that reads whole but does not decode has wrong
  switch (c.type) {
    case kTiny: ok = integer(in, c, 1, out); break;
    case kShort: ok = integer(in, c, 2, out); break;
    case kInt24: ok = integer(in, c, 3, out); break;
    case kLong: ok = integer(in, c, 4, out); break;
    case kLongLong: ok = integer(in, c, 8, out); break;
    case kFloat: {
      const uint32_t raw = in.u32();
      float f;
      std::memcpy(&f, &raw, sizeof f);
      out.type = FERRY_VALUE_FLOAT;
      out.num.f64 = f;
      ok = in.ok();
      break;
    }
    case kDouble: {
      const uint64_t raw = in.u64();
      double d;
      std::memcpy(&d, &raw, sizeof d);
      out.type = FERRY_VALUE_DOUBLE;
      out.num.f64 = d;
      ok = in.ok();
      break;
    }
    case kYear: {
      const uint8_t y = in.u8();
      out.type = FERRY_VALUE_YEAR;
      out.num.i64 = y == 0 ? 0 : 1900 + y;
      ok = in.ok();
      break;
    }
    case kNewDecimal:
      ok = formatted(in, arena, FERRY_VALUE_DECIMAL, out,
                     [&](ByteReader& r, std::string& s) { return decode_decimal(r, c.precision, c.scale, s); });
      break;
    case kDate:
    case kNewDate:
      ok = formatted(in, arena, FERRY_VALUE_DATE, out, [](ByteReader& r, std::string& s) { return decode_date(r, s); });
      break;
    case kTime:
      ok = formatted(in, arena, FERRY_VALUE_TIME, out, [](ByteReader& r, std::string& s) { return decode_time_old(r, s); });
      break;
    case kTime2:
      ok = formatted(in, arena, FERRY_VALUE_TIME, out, [&](ByteReader& r, std::string& s) { return decode_time2(r, c.fsp, s); });
      break;
    case kDatetime:
      ok = formatted(in, arena, FERRY_VALUE_DATETIME, out,
                     [](ByteReader& r, std::string& s) { return decode_datetime_old(r, s); });
      break;
    case kDatetime2:
      ok = formatted(in, arena, FERRY_VALUE_DATETIME, out,
                     [&](ByteReader& r, std::string& s) { return decode_datetime2(r, c.fsp, s); });
      break;
    case kTimestamp:
      ok = formatted(in, arena, FERRY_VALUE_TIMESTAMP, out,
                     [](ByteReader& r, std::string& s) { return decode_timestamp_old(r, s); });
      break;
    case kTimestamp2:
      ok = formatted(in, arena, FERRY_VALUE_TIMESTAMP, out,
                     [&](ByteReader& r, std::string& s) { return decode_timestamp2(r, c.fsp, s); });
      break;
    case kVarchar:
    case kVarString:
      ok = prefixed(in, arena, c.max_length > 255 ? 2 : 1, text_or_bytes(c), out);
      break;
    case kString:
      ok = prefixed(in, arena, c.max_length > 255 ? 2 : 1, text_or_bytes(c), out);
      break;
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
      if (c.max_length < 1 || c.max_length > 4) {
        error = "BLOB length prefix of " + std::to_string(c.max_length) + " bytes";
        return false;
      }
      ok = prefixed(in, arena, c.max_length, text_or_bytes(c), out);
      break;
    case kGeometry:
      if (c.max_length < 1 || c.max_length > 4) {
        error = "GEOMETRY length prefix of " + std::to_string(c.max_length) + " bytes";
        return false;
      }
      ok = prefixed(in, arena, c.max_length, FERRY_VALUE_GEOMETRY, out);
      break;
    case kEnum: {
      if (c.pack_length != 1 && c.pack_length != 2) {
        error = "ENUM of " + std::to_string(c.pack_length) + " bytes";
        return false;
      }
      const uint64_t index = in.le(c.pack_length);
      if (index >= 1 && index <= c.members.size()) {
        out = text_value(arena, FERRY_VALUE_ENUM, c.members[index - 1]);
        if (out.data == nullptr) out.data = "";  // a member named '': known, not unknown
      } else {
        out.type = FERRY_VALUE_ENUM;
        if (index == 0 && !c.members.empty()) out.data = "";  // MySQL's "invalid value" is ''
      }
      out.num.u64 = index;
      ok = in.ok();
      break;
    }
    case kSet: {
      if (c.pack_length < 1 || c.pack_length > 8) {
        error = "SET of " + std::to_string(c.pack_length) + " bytes";
        return false;
      }
      const uint64_t bits = in.le(c.pack_length);
      if (!c.members.empty()) {
        std::string text;
        for (size_t i = 0; i < c.members.size() && i < 64; ++i) {
          if ((bits >> i) & 1) {
            if (!text.empty()) text += ',';
            text += c.members[i];
          }
        }
        out = text_value(arena, FERRY_VALUE_SET, text);
        if (out.data == nullptr) out.data = "";  // the empty set is known, not unknown
      } else {
        out.type = FERRY_VALUE_SET;
      }
      out.num.u64 = bits;
      ok = in.ok();
      break;
    }
    case kBit: {
      const size_t bytes = (c.bit_count + 7u) / 8u;
      if (bytes == 0 || bytes > 8) {
        error = "BIT(" + std::to_string(c.bit_count) + ")";
        return false;
      }
      out.type = FERRY_VALUE_BIT;
      out.num.u64 = in.be(bytes);
      out.len = c.bit_count;
      ok = in.ok();
      break;
    }
    case kJson:
      if (c.max_length < 1 || c.max_length > 4) {
        error = "JSON length prefix of " + std::to_string(c.max_length) + " bytes";
        return false;
      }
      ok = json_column(in, c, arena, out, corrupt);
      break;
    case kVarcharCompressed:
      // The column's length (its metadata) counts the header byte too, as MariaDB's field_length
      // does, and bounds the inflated value as MariaDB's uncompress_zlib() does.
      ok = compressed_column(in, c, arena, c.max_length > 255 ? 2 : 1, c.max_length, out, corrupt);
      break;
    case kBlobCompressed:
      if (c.max_length < 1 || c.max_length > 4) {
        error = "compressed BLOB length prefix of " + std::to_string(c.max_length) + " bytes";
        return false;
      }
      ok = compressed_column(in, c, arena, c.max_length, (uint64_t{1} << (8 * c.max_length)) - 1, out, corrupt);
      break;
    default:
      error = std::string("column type ") + column_type_name(c.type) + " (" + std::to_string(c.type) + ") is not supported";
      return false;
  }
  if (!corrupt.empty()) {
    error = std::move(corrupt);
    return false;
  }
  if (!ok || !in.ok()) {
    error = std::string(column_type_name(c.type)) + " value runs past the end of the event";
    return false;
  }
  return true;
}

bool parse_rows_header(ByteReader& in, uint8_t post_header_len, RowsEventInfo info, RowsHeader& out, std::string& error) {
  out = RowsHeader{};
  out.kind = info.kind;
  out.partial_json = info.partial_json;
  out.table_id = post_header_len == 6 ? in.u32() : in.u48();
  out.flags = in.u16();
  size_t consumed = post_header_len == 6 ? 6 : 8;
  if (info.v2) {
    const uint16_t extra = in.u16();  // includes its own two bytes
    consumed += 2;
    if (extra < 2) {
      error = "rows event extra-data length is below 2";
      return false;
    }
    in.skip(extra - 2u);
  }
  if (post_header_len > consumed && !info.v2) in.skip(post_header_len - consumed);
  const uint64_t count = in.packed();
  if (!in.ok() || count == 0 || count > 4096) {
    error = "rows event column count is missing or out of range";
    return false;
  }
  out.column_count = static_cast<uint32_t>(count);
  const size_t bitmap_bytes = (count + 7) / 8;
  out.columns_before = in.bytes(bitmap_bytes);
  if (info.kind == RowsKind::Update) out.columns_after = in.bytes(bitmap_bytes);
  if (!in.ok()) {
    error = "rows event is truncated in its column bitmaps";
    return false;
  }
  return true;
}

bool decode_row_image(ByteReader& in, const TableMap& table, std::string_view image_columns, ValueArena& arena,
                      ferry_value* values, uint8_t* present, std::string& error, PartialJsonImage* partial) {
  const size_t n = table.columns.size();
  size_t in_image = 0;
  for (size_t i = 0; i < n; ++i) in_image += bit(image_columns, i);
  std::string_view nulls = in.bytes((in_image + 7) / 8);
  if (!in.ok()) {
    error = "row image is truncated in its NULL bitmap";
    return false;
  }
  size_t k = 0;           // position among the image's columns, which is what the NULL bitmap counts
  size_t json_seen = 0;   // JSON columns before column i, which is what the partial bits count
  for (size_t i = 0; i < n; ++i) {
    const bool json = table.columns[i].type == kJson;
    const bool as_diffs = json && partial != nullptr && json_seen / 8 < partial->partial_bits.size() &&
                          bit(partial->partial_bits, json_seen);
    json_seen += json;
    if (!bit(image_columns, i)) continue;
    present[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
    const bool is_null = bit(nulls, k++);
    if (is_null) {
      values[i] = ferry_value{};
      continue;
    }
    std::string why;
    bool ok = false;
    if (as_diffs) {
      const ferry_value& old = partial->before[i];
      if (!((partial->before_present[i / 8] >> (i % 8)) & 1)) {
        partial->missing_before = true;
        error = column_name(table, i) +
                ": the update logs only the changes to this JSON column (binlog_row_value_options=PARTIAL_JSON), and "
                "the before image does not hold the column (binlog_row_image is not FULL), so its new value cannot be "
                "known; set binlog_row_image=FULL or binlog_row_value_options='' upstream";
        return false;
      }
      if (old.type != FERRY_VALUE_STRING) {
        error = column_name(table, i) + ": JSON diffs logged for a column whose before value is NULL";
        return false;
      }
      ok = partial_json_column(in, std::string_view(old.data, old.len), arena, values[i], why);
    } else {
      ok = decode_value(in, table.columns[i], arena, values[i], why);
    }
    if (!ok) {
      error = column_name(table, i) + ": " + why;
      return false;
    }
  }
  return true;
}

}  // namespace ferry::mysql
