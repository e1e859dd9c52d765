// MySQL's binary DECIMAL (NEWDECIMAL) format -> exact decimal text with the column's scale.
//
// The value is stored big-endian in groups of 9 decimal digits (4 bytes each); a leading
// integer group and a trailing fraction group of fewer digits take 1-4 bytes. The sign is the
// top bit of the first byte (set for positive); a negative number has every byte inverted.
#pragma once

#include "binlog/byte_reader.hpp"

#include <cstdint>
#include <string>

namespace ferry::mysql {

// Bytes a DECIMAL(precision, scale) value takes in a row image.
size_t decimal_binary_size(uint8_t precision, uint8_t scale);

// Reads one value and appends its text ("-12.340", "0.000", "123") to `out`. Returns false (and
// fails the reader) on a truncated or malformed value.
bool decode_decimal(ByteReader& in, uint8_t precision, uint8_t scale, std::string& out);

}  // namespace ferry::mysql
