// Stores a value as MariaDB's Field_longstr::compress() does with zlib (binlog/
// column_compression.hpp), for the unit tests and the fuzz seeds.
#pragma once

#include <zlib.h>

#include <string>

namespace ferry::mysql::compressed_column_builder {

// A stored value compressed as MariaDB does: header 0x80 | length bytes | (raw ? 8 : 0), the
// length big-endian in as few bytes as it needs, then the stream.
inline std::string compressed(const std::string& value, bool raw = true) {
  size_t length_bytes = 1;
  while (length_bytes < 4 && (value.size() >> (8 * length_bytes)) != 0) ++length_bytes;
  std::string out(1, static_cast<char>(0x80 | length_bytes | (raw ? 8 : 0)));
  for (size_t i = length_bytes; i-- > 0;) out += static_cast<char>((value.size() >> (8 * i)) & 0xff);
  z_stream s{};
  deflateInit2(&s, 6, Z_DEFLATED, raw ? -MAX_WBITS : MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string stream(deflateBound(&s, value.size()), '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(value.data()));
  s.avail_in = static_cast<uInt>(value.size());
  s.next_out = reinterpret_cast<Bytef*>(stream.data());
  s.avail_out = static_cast<uInt>(stream.size());
  deflate(&s, Z_FINISH);  // one call: the buffer is deflateBound() large
  stream.resize(s.total_out);
  deflateEnd(&s);
  return out + stream;
}

}  // namespace ferry::mysql::compressed_column_builder
