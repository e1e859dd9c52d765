// MySQL's temporal encodings in row images -> MySQL's text forms, with the column's fractional
// digits. New formats (MySQL 5.6.4+, MariaDB with mysql56_temporal_format): DATETIME2,
// TIMESTAMP2, TIME2, big-endian with a fractional part of (fsp+1)/2 bytes. Old formats: DATE
// (3 bytes, also current), DATETIME (8-byte YYYYMMDDhhmmss), TIME (3-byte signed HHMMSS),
// TIMESTAMP (4-byte seconds). Zero dates and negative times are kept as written.
#pragma once

#include "binlog/byte_reader.hpp"

#include <cstdint>
#include <string>

namespace ferry::mysql {

// Each reads one value and appends its text to `out`; false (reader failed) when truncated or
// out of range.
bool decode_date(ByteReader& in, std::string& out);
bool decode_datetime2(ByteReader& in, uint8_t fsp, std::string& out);
bool decode_timestamp2(ByteReader& in, uint8_t fsp, std::string& out);  // UTC
bool decode_time2(ByteReader& in, uint8_t fsp, std::string& out);
bool decode_datetime_old(ByteReader& in, std::string& out);
bool decode_time_old(ByteReader& in, std::string& out);
bool decode_timestamp_old(ByteReader& in, std::string& out);  // UTC

// Bytes of the fractional part for `fsp` digits.
inline size_t fraction_bytes(uint8_t fsp) { return (fsp + 1u) / 2u; }

}  // namespace ferry::mysql
