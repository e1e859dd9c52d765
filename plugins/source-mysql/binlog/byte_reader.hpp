// ByteReader: bounds-checked reads over one binlog event's bytes. A read past the end returns
// zeros and marks the reader failed (sticky), so a decoder can read a whole structure and check
// ok() once, and a truncated or corrupt event can never make it read outside its buffer.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace ferry::mysql {

// The little-endian 32-bit value at `at` in `s` (the caller knows the 4 bytes are there): a
// header field read without a reader, as the relay log reads event sizes and positions.
inline uint32_t le32_at(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(s[at + i])) << (8 * i);
  return v;
}

class ByteReader {
 public:
  ByteReader() = default;
  ByteReader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  explicit ByteReader(std::string_view s)
      : ByteReader(reinterpret_cast<const uint8_t*>(s.data()), s.size()) {}

  bool ok() const { return ok_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const uint8_t* position() const { return p_; }
  // Marks the reader failed: the caller found the content invalid.
  void fail() { ok_ = false; p_ = end_; }

  uint8_t u8() { return static_cast<uint8_t>(le(1)); }
  uint16_t u16() { return static_cast<uint16_t>(le(2)); }
  uint32_t u24() { return static_cast<uint32_t>(le(3)); }
  uint32_t u32() { return static_cast<uint32_t>(le(4)); }
  uint64_t u48() { return le(6); }
  uint64_t u64() { return le(8); }

  // Little-endian unsigned of `n` bytes (n <= 8).
  uint64_t le(size_t n) {
    if (!take(n)) return 0;
    const uint8_t* b = p_ - n;  // not p_[i - n]: i - n wraps around as a size_t, and p_ + huge is UB
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(b[i]) << (8 * i);
    return v;
  }
  // Big-endian unsigned of `n` bytes (n <= 8), as temporal and decimal values are stored.
  uint64_t be(size_t n) {
    if (!take(n)) return 0;
    const uint8_t* b = p_ - n;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | b[i];
    return v;
  }

  // MySQL's length-encoded integer (1, 3, 4 or 9 bytes).
  uint64_t packed() {
    uint8_t first = u8();
    if (first < 251) return first;
    if (first == 252) return le(2);
    if (first == 253) return le(3);
    if (first == 254) return le(8);
    fail();  // 251 is NULL in the protocol, never valid here; 255 is invalid
    return 0;
  }

  std::string_view bytes(size_t n) {
    if (!take(n)) return {};
    return {reinterpret_cast<const char*>(p_ - n), n};
  }
  std::string_view rest() { return bytes(remaining()); }
  void skip(size_t n) { take(n); }

  // Narrows the reader to its first `n` bytes (e.g. to cut off a checksum).
  void limit(size_t n) {
    if (n > remaining()) {
      fail();
      return;
    }
    end_ = p_ + n;
  }

 private:
  bool take(size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      p_ = end_;
      return false;
    }
    p_ += n;
    return true;
  }

  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  bool ok_ = true;
};

}  // namespace ferry::mysql
