// libFuzzer target for the column values that are formats of their own: MySQL's binary JSON and
// MariaDB's compressed columns, each decoded by decode_value() as a row image would. The
// rows-event target (binlog_decoder_fuzz.cpp) reaches them only through a TABLE_MAP naming such a
// column, and its corpus comes from MariaDB, which never writes binary JSON; here every input is
// one value.
//
//   byte 0   the column: by its value mod 3, 0 = JSON (4-byte length, as MySQL logs it),
//            1 = VARCHAR(n) COMPRESSED (n = 65535 with bit 7 set, else 255: 2- or 1-byte length),
//            2 = BLOB COMPRESSED (a length of 1 + (byte 0 >> 2) % 4 bytes); bit 6 set: binary
//   then     the value's bytes; the length prefix is written in front of them, as the server
//            would (cut to what the prefix can say)
//
// The value is decoded into its own exactly-sized arena blocks, so a read past a value's end is
// an ASan report; a failure must say why.
#include "fuzz_arena.hpp"

#include "binlog/column_type.hpp"
#include "binlog/row_image.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace ferry::mysql;
using ferry::fuzz::FuzzArena;

ColumnInfo column_for(uint8_t selector, size_t& prefix) {
  ColumnInfo c;
  c.charset = (selector & 0x40) ? 63 : 45;  // binary or utf8mb4
  switch (selector % 3) {
    case 0:
      c.type = column_type::kJson;
      prefix = 4;
      break;
    case 1:
      c.type = column_type::kVarcharCompressed;
      c.max_length = (selector & 0x80) ? 65535 : 255;
      prefix = c.max_length > 255 ? 2 : 1;
      break;
    default:
      c.type = column_type::kBlobCompressed;
      prefix = 1 + (selector >> 2) % 4;
      break;
  }
  if (c.type != column_type::kVarcharCompressed) c.max_length = static_cast<uint32_t>(prefix);
  c.metadata = static_cast<uint16_t>(c.max_length);
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t prefix = 0;
  const ColumnInfo column = column_for(data[0], prefix);
  size_t length = size - 1;
  if (prefix < 8 && length >= (size_t{1} << (8 * prefix))) length = (size_t{1} << (8 * prefix)) - 1;
  std::vector<char> row(prefix + length);  // exactly sized: a read past it is an ASan report
  for (size_t i = 0; i < prefix; ++i) row[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  for (size_t i = 0; i < length; ++i) row[prefix + i] = static_cast<char>(data[1 + i]);
  ByteReader in(reinterpret_cast<const uint8_t*>(row.data()), row.size());
  FuzzArena arena;
  ferry_value value{};
  std::string error;
  if (!decode_value(in, column, arena, value, error)) {
    if (error.empty()) std::abort();  // a failure must say why
    return 0;
  }
  volatile unsigned sum = 0;
  for (uint32_t i = 0; value.data != nullptr && i < value.len; ++i) sum = sum + static_cast<unsigned char>(value.data[i]);
  return 0;
}
