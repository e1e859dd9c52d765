// MariaDB's compressed columns (`VARCHAR(n) COMPRESSED`, `BLOB/TEXT COMPRESSED`, MariaDB 10.3+),
// logged as types 141 (VARCHAR) and 140 (BLOB, TEXT). A row image holds such a value as the
// server stores it: the usual length prefix, then one header byte and either the value's bytes
// or a zlib stream (MariaDB's sql/field.cc Field_longstr::compress and sql/field_comp.cc):
//
//   header bits 4-7   the method: 0 = stored as is (the bytes follow), 8 = zlib
//   zlib bits 0-2     how many bytes the value's length takes (1-4, big-endian, after the header)
//   zlib bit 3        set: a raw deflate stream (column_compression_zlib_wrap=OFF, the
//                     default); clear: a zlib-wrapped one
//
// An empty value is stored as nothing at all (length prefix 0), without a header byte. The
// server stores a value as is when it is shorter than column_compression_threshold (100 bytes by
// default) or when compressing would not make it shorter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ferry::mysql {

// One stored value, its header read: either the value itself (`stored_as_is`, `bytes` is the
// value) or a zlib stream (`bytes`) to inflate into exactly `length` bytes.
struct CompressedColumnValue {
  bool stored_as_is = true;
  bool raw_deflate = false;  // no zlib wrapper around the stream
  uint32_t length = 0;       // the value's length once inflated
  std::string_view bytes;
};

// Reads the header of `stored` (the bytes after the length prefix). `max_length` is the most the
// column holds: a larger claimed length is corrupt and never allocated. Returns false with
// `error` saying what is wrong.
bool read_compressed_column(std::string_view stored, uint64_t max_length, CompressedColumnValue& out,
                            std::string& error);

// Inflates a zlib-stored value into `dest`, which has room for exactly `value.length` bytes.
// The stream must end exactly there, with no bytes after it: anything else is corrupt (the
// server's compressor always writes the exact length and nothing more).
bool inflate_compressed_column(const CompressedColumnValue& value, char* dest, std::string& error);

}  // namespace ferry::mysql
