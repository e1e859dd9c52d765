#include "binlog/table_map.hpp"

#include "binlog/column_type.hpp"

namespace ferry::mysql {
namespace {

using namespace column_type;

// Optional metadata field types (binlog_row_metadata), as numbered by MySQL and MariaDB.
enum OptionalMetadata : uint8_t {
  kSignedness = 1,
  kDefaultCharset = 2,
  kColumnCharset = 3,
  kColumnName = 4,
  kSetStrValue = 5,
  kEnumStrValue = 6,
  kGeometryType = 7,
  kSimplePrimaryKey = 8,
  kPrimaryKeyWithPrefix = 9,
  kEnumAndSetDefaultCharset = 10,
  kEnumAndSetColumnCharset = 11,
  kColumnVisibility = 12,
};

void read_column_metadata(ByteReader& in, ColumnInfo& c) {
  switch (c.type) {
    case kFloat:
    case kDouble:
      c.metadata = in.u8();
      c.pack_length = static_cast<uint8_t>(c.metadata);
      break;
    case kVarchar:
    case kVarString:
    case kVarcharCompressed:
      c.metadata = in.u16();
      c.max_length = c.metadata;
      break;
    case kBit: {
      const uint8_t bits = in.u8();
      const uint8_t bytes = in.u8();
      c.metadata = static_cast<uint16_t>(bits | (bytes << 8));
      c.bit_count = static_cast<uint16_t>(bytes * 8 + bits);
      break;
    }
    case kNewDecimal:
      c.precision = in.u8();
      c.scale = in.u8();
      c.metadata = static_cast<uint16_t>((c.precision << 8) | c.scale);
      break;
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
    case kGeometry:
    case kJson:
    case kBlobCompressed:
      c.metadata = in.u8();
      c.max_length = c.metadata;  // bytes of the length prefix
      break;
    case kString:
    case kEnum:
    case kSet: {
      // CHAR stores its real type and length in two bytes; lengths over 255 borrow two bits of
      // the type byte (MySQL's Field_string::save_field_metadata).
      const uint8_t b0 = in.u8();
      const uint8_t b1 = in.u8();
      c.metadata = static_cast<uint16_t>((b0 << 8) | b1);
      uint8_t real_type = b0;
      uint32_t length = b1;
      if ((b0 & 0x30) != 0x30) {
        length = b1 | (static_cast<uint32_t>((b0 & 0x30) ^ 0x30) << 4);
        real_type = static_cast<uint8_t>(b0 | 0x30);
      }
      if (real_type == kEnum || real_type == kSet) {
        c.type = real_type;
        c.pack_length = b1;
      } else {
        c.type = kString;
        c.max_length = length;
      }
      break;
    }
    case kTimestamp2:
    case kDatetime2:
    case kTime2:
      c.metadata = in.u8();
      c.fsp = static_cast<uint8_t>(c.metadata);
      break;
    default:
      break;  // no metadata
  }
}

std::string read_packed_string(ByteReader& in) {
  const uint64_t n = in.packed();
  return std::string(in.bytes(static_cast<size_t>(n)));
}

// Applies a "default charset plus exceptions" field to the columns `selected` picks.
template <typename Pick>
void apply_default_charsets(ByteReader& field, std::vector<ColumnInfo>& columns, Pick selected) {
  const uint16_t def = static_cast<uint16_t>(field.packed());
  std::vector<ColumnInfo*> picked;
  for (auto& c : columns) {
    if (selected(c)) {
      c.charset = def;
      picked.push_back(&c);
    }
  }
  while (field.ok() && field.remaining() > 0) {
    const uint64_t index = field.packed();
    const uint16_t collation = static_cast<uint16_t>(field.packed());
    if (index >= picked.size()) {
      field.fail();
      return;
    }
    picked[index]->charset = collation;
  }
}

template <typename Pick>
void apply_column_charsets(ByteReader& field, std::vector<ColumnInfo>& columns, Pick selected) {
  for (auto& c : columns) {
    if (selected(c)) c.charset = static_cast<uint16_t>(field.packed());
  }
}

template <typename Pick>
void apply_members(ByteReader& field, std::vector<ColumnInfo>& columns, Pick selected) {
  for (auto& c : columns) {
    if (!selected(c)) continue;
    const uint64_t count = field.packed();
    if (count > field.remaining()) {
      field.fail();
      return;
    }
    c.members.clear();
    for (uint64_t i = 0; i < count && field.ok(); ++i) c.members.push_back(read_packed_string(field));
  }
}

}  // namespace

bool parse_table_map(ByteReader& in, uint8_t post_header_len, bool mariadb, TableMap& out, std::string& error) {
  out = TableMap{};
  out.table_id = post_header_len == 6 ? in.u32() : in.u48();
  out.flags = in.u16();
  if (post_header_len > 8) in.skip(post_header_len - 8u);
  out.schema = std::string(in.bytes(in.u8()));
  in.skip(1);  // NUL
  out.table = std::string(in.bytes(in.u8()));
  in.skip(1);
  const uint64_t count = in.packed();
  if (!in.ok() || count > in.remaining() || count > 4096) {
    error = "TABLE_MAP column count is missing or larger than the event";
    return false;
  }
  out.columns.resize(static_cast<size_t>(count));
  for (auto& c : out.columns) c.type = in.u8();
  const uint64_t metadata_len = in.packed();
  if (!in.ok() || metadata_len > in.remaining()) {
    error = "TABLE_MAP metadata block is larger than the event";
    return false;
  }
  ByteReader meta(in.position(), static_cast<size_t>(metadata_len));
  in.skip(static_cast<size_t>(metadata_len));
  for (auto& c : out.columns) read_column_metadata(meta, c);
  if (!meta.ok() || meta.remaining() != 0) {
    error = "TABLE_MAP column metadata does not match the column types";
    return false;
  }
  std::string_view nulls = in.bytes((out.columns.size() + 7) / 8);
  if (!in.ok()) {
    error = "TABLE_MAP is truncated before its NULL bitmap";
    return false;
  }
  for (size_t i = 0; i < out.columns.size(); ++i) {
    out.columns[i].nullable = (static_cast<uint8_t>(nulls[i / 8]) >> (i % 8)) & 1;
  }

  // Optional metadata: type, length, value, until the end of the event.
  auto numeric = [](const ColumnInfo& c) { return is_numeric_column(c.type); };
  auto character = [mariadb](const ColumnInfo& c) {
    return is_character_column(c.type) || (mariadb && c.type == kGeometry);
  };
  auto enum_or_set = [](const ColumnInfo& c) { return c.type == kEnum || c.type == kSet; };
  while (in.ok() && in.remaining() > 0) {
    const uint8_t kind = in.u8();
    const uint64_t len = in.packed();
    if (!in.ok() || len > in.remaining()) {
      error = "TABLE_MAP optional metadata field is larger than the event";
      return false;
    }
    ByteReader field(in.position(), static_cast<size_t>(len));
    in.skip(static_cast<size_t>(len));
    switch (kind) {
      case kSignedness: {
        size_t n = 0;
        for (auto& c : out.columns) {
          if (!numeric(c)) continue;
          if (n / 8 >= len) {
            field.fail();
            break;
          }
          const uint8_t byte = field.position()[n / 8];
          c.is_unsigned = (byte >> (7 - n % 8)) & 1;  // most significant bit first
          ++n;
        }
        break;
      }
      case kDefaultCharset: apply_default_charsets(field, out.columns, character); break;
      case kColumnCharset: apply_column_charsets(field, out.columns, character); break;
      case kEnumAndSetDefaultCharset: apply_default_charsets(field, out.columns, enum_or_set); break;
      case kEnumAndSetColumnCharset: apply_column_charsets(field, out.columns, enum_or_set); break;
      case kColumnName:
        for (auto& c : out.columns) c.name = read_packed_string(field);
        out.has_names = field.ok();
        break;
      case kSetStrValue: apply_members(field, out.columns, [](const ColumnInfo& c) { return c.type == kSet; }); break;
      case kEnumStrValue: apply_members(field, out.columns, [](const ColumnInfo& c) { return c.type == kEnum; }); break;
      case kSimplePrimaryKey:
        while (field.ok() && field.remaining() > 0) out.primary_key.push_back(static_cast<uint32_t>(field.packed()));
        break;
      case kPrimaryKeyWithPrefix:
        while (field.ok() && field.remaining() > 0) {
          out.primary_key.push_back(static_cast<uint32_t>(field.packed()));
          field.packed();  // prefix length: the key is still these columns
        }
        break;
      default:
        break;  // geometry types, visibility, and fields from newer servers: not needed
    }
    if (!field.ok()) {
      error = "TABLE_MAP optional metadata field " + std::to_string(kind) + " is malformed";
      return false;
    }
  }
  for (uint32_t k : out.primary_key) {
    if (k >= out.columns.size()) {
      error = "TABLE_MAP primary key names a column that does not exist";
      return false;
    }
  }
  return true;
}

}  // namespace ferry::mysql
