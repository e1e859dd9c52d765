// Builds MySQL binary JSON documents from the format's description (binlog/json_binary.hpp), for
// the unit tests and the fuzz seeds: no MySQL server is packaged here to write them. Containers
// put keys and values in the order given (MySQL sorts keys; the printer must not care) and inline
// what MySQL inlines.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace ferry::mysql::json_builder {

// A value being built: its type byte and the bytes after it.
struct Bin {
  uint8_t type = 0;
  std::string bytes;
};

inline std::string le(uint64_t v, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  return out;
}

inline std::string variable_length(size_t n) {
  std::string out;
  do {
    uint8_t byte = n & 0x7f;
    n >>= 7;
    if (n != 0) byte |= 0x80;
    out += static_cast<char>(byte);
  } while (n != 0);
  return out;
}

inline Bin literal(uint8_t v) { return {0x04, std::string(1, static_cast<char>(v))}; }
inline Bin json_null() { return literal(0); }
inline Bin json_true() { return literal(1); }
inline Bin json_false() { return literal(2); }
inline Bin int16(int16_t v) { return {0x05, le(static_cast<uint16_t>(v), 2)}; }
inline Bin uint16(uint16_t v) { return {0x06, le(v, 2)}; }
inline Bin int32(int32_t v) { return {0x07, le(static_cast<uint32_t>(v), 4)}; }
inline Bin uint32(uint32_t v) { return {0x08, le(v, 4)}; }
inline Bin int64(int64_t v) { return {0x09, le(static_cast<uint64_t>(v), 8)}; }
inline Bin uint64(uint64_t v) { return {0x0a, le(v, 8)}; }
inline Bin dbl(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  return {0x0b, le(bits, 8)};
}
inline Bin str(const std::string& s) { return {0x0c, variable_length(s.size()) + s}; }
inline Bin opaque(uint8_t field_type, const std::string& data) {
  return {0x0f, std::string(1, static_cast<char>(field_type)) + variable_length(data.size()) + data};
}

// Literals and 16-bit integers live in their value entry; 32-bit ones too in large containers.
inline bool inlined(uint8_t type, bool large) {
  return type == 0x04 || type == 0x05 || type == 0x06 || (large && (type == 0x07 || type == 0x08));
}

// An object (keys given) or array (keys empty): header, key entries, value entries, keys, values.
inline Bin container(const std::vector<std::string>* keys, const std::vector<Bin>& values, bool large) {
  const size_t offset_size = large ? 4 : 2;
  const size_t count = values.size();
  const size_t header = 2 * offset_size + count * (1 + offset_size) + (keys ? count * (offset_size + 2) : 0);
  std::string key_entries, value_entries, tail;
  size_t next = header;
  if (keys) {
    for (const std::string& k : *keys) {
      key_entries += le(next, offset_size) + le(k.size(), 2);
      tail += k;
      next += k.size();
    }
  }
  for (const Bin& v : values) {
    value_entries += static_cast<char>(v.type);
    if (inlined(v.type, large)) {
      value_entries += v.bytes + std::string(offset_size - v.bytes.size(), '\0');
    } else {
      value_entries += le(next, offset_size);
      tail += v.bytes;
      next += v.bytes.size();
    }
  }
  const uint8_t type = static_cast<uint8_t>((keys ? 0x00 : 0x02) + (large ? 1 : 0));
  return {type, le(count, offset_size) + le(next, offset_size) + key_entries + value_entries + tail};
}

inline Bin array(const std::vector<Bin>& values, bool large = false) { return container(nullptr, values, large); }
inline Bin object(const std::vector<std::pair<std::string, Bin>>& members, bool large = false) {
  std::vector<std::string> keys;
  std::vector<Bin> values;
  for (const auto& [k, v] : members) {
    keys.push_back(k);
    values.push_back(v);
  }
  return container(&keys, values, large);
}

inline std::string doc(const Bin& b) { return std::string(1, static_cast<char>(b.type)) + b.bytes; }

// MySQL's packed temporal: the value MySQL keeps in memory and writes into opaque values.
inline std::string packed_datetime(unsigned year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                                   unsigned second, unsigned micros) {
  const uint64_t ymd = ((uint64_t{year} * 13 + month) << 5) | day;
  const uint64_t hms = (uint64_t{hour} << 12) | (minute << 6) | second;
  return le((((ymd << 17) | hms) << 24) | micros, 8);
}
inline std::string packed_time(bool negative, unsigned hour, unsigned minute, unsigned second, unsigned micros) {
  const uint64_t hms = (uint64_t{hour} << 12) | (minute << 6) | second;
  const int64_t v = static_cast<int64_t>((hms << 24) | micros);
  return le(static_cast<uint64_t>(negative ? -v : v), 8);
}

}  // namespace ferry::mysql::json_builder
