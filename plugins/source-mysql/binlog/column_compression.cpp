#include "binlog/column_compression.hpp"

#include <zlib.h>

namespace ferry::mysql {
namespace {

constexpr uint8_t kMethodStoredAsIs = 0;
constexpr uint8_t kMethodZlib = 8;
constexpr uint8_t kRawDeflateBit = 0x08;
constexpr uint8_t kLengthBytesMask = 0x07;

// deflate shrinks by at most about 1032 times: a claim beyond that is corrupt, and is refused
// before anything is allocated. No value is larger than max_allowed_packet (1 GiB at most).
constexpr uint64_t kMaxInflateRatio = 1040;
constexpr uint64_t kMaxValueBytes = uint64_t{1} << 30;

}  // namespace

bool read_compressed_column(std::string_view stored, uint64_t max_length, CompressedColumnValue& out,
                            std::string& error) {
  out = CompressedColumnValue{};
  if (stored.empty()) return true;  // the empty value has no header
  const auto head = static_cast<uint8_t>(stored[0]);
  const uint8_t method = head >> 4;
  if (method == kMethodStoredAsIs) {
    out.bytes = stored.substr(1);
    out.length = static_cast<uint32_t>(out.bytes.size());
    if (out.bytes.size() > max_length) {
      error = "compressed column stores " + std::to_string(out.bytes.size()) + " bytes as is, more than the column's " +
              std::to_string(max_length);
      return false;
    }
    return true;
  }
  if (method != kMethodZlib) {
    error = "compressed column value uses method " + std::to_string(method) + "; MariaDB has only zlib (8)";
    return false;
  }
  const size_t length_bytes = head & kLengthBytesMask;
  if (length_bytes < 1 || length_bytes > 4 || stored.size() < 1 + length_bytes) {
    error = "compressed column value's header byte " + std::to_string(head) + " gives its length " +
            std::to_string(length_bytes) + " bytes, in a value of " + std::to_string(stored.size());
    return false;
  }
  uint64_t length = 0;
  for (size_t i = 1; i <= length_bytes; ++i) length = (length << 8) | static_cast<uint8_t>(stored[i]);
  out.stored_as_is = false;
  out.raw_deflate = (head & kRawDeflateBit) != 0;
  out.bytes = stored.substr(1 + length_bytes);
  if (length > max_length || length > kMaxValueBytes || length > out.bytes.size() * kMaxInflateRatio + 64) {
    error = "compressed column value claims " + std::to_string(length) + " bytes from a stream of " +
            std::to_string(out.bytes.size()) + " (the column holds " + std::to_string(max_length) + ")";
    return false;
  }
  out.length = static_cast<uint32_t>(length);
  return true;
}

bool inflate_compressed_column(const CompressedColumnValue& value, char* dest, std::string& error) {
  z_stream stream{};
  // A raw stream has no zlib header or Adler-32 trailer: negative window bits tell zlib so.
  if (inflateInit2(&stream, value.raw_deflate ? -MAX_WBITS : MAX_WBITS) != Z_OK) {
    error = "compressed column value: zlib cannot start inflating";
    return false;
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(value.bytes.data()));
  stream.avail_in = static_cast<uInt>(value.bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(dest);
  stream.avail_out = value.length;
  const int rc = inflate(&stream, Z_FINISH);
  const uLong produced = stream.total_out;
  const uInt left_over = stream.avail_in;
  inflateEnd(&stream);
  if (rc != Z_STREAM_END || produced != value.length || left_over != 0) {
    error = "compressed column value does not inflate to its " + std::to_string(value.length) + " bytes (zlib " +
            std::to_string(rc) + ", " + std::to_string(produced) + " bytes out, " + std::to_string(left_over) +
            " stream bytes left over)";
    return false;
  }
  return true;
}

}  // namespace ferry::mysql
