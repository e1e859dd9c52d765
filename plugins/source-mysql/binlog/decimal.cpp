#include "binlog/decimal.hpp"

#include <array>

namespace ferry::mysql {
namespace {

constexpr int kDigitsPerGroup = 9;
constexpr int kMaxPrecision = 65;
constexpr int kMaxScale = 38;  // MariaDB's limit; MySQL's is 30
constexpr std::array<int, 10> kBytesForDigits = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

struct Layout {
  int int_full;     // full 9-digit integer groups
  int int_partial;  // digits in the leading partial group
  int frac_full;
  int frac_partial;  // digits in the trailing partial group
};

Layout layout(uint8_t precision, uint8_t scale) {
  const int intg = precision - scale;
  return {intg / kDigitsPerGroup, intg % kDigitsPerGroup, scale / kDigitsPerGroup, scale % kDigitsPerGroup};
}

}  // namespace

size_t decimal_binary_size(uint8_t precision, uint8_t scale) {
  const Layout l = layout(precision, scale);
  return static_cast<size_t>(l.int_full * 4 + kBytesForDigits[l.int_partial] + l.frac_full * 4 +
                             kBytesForDigits[l.frac_partial]);
}

bool decode_decimal(ByteReader& in, uint8_t precision, uint8_t scale, std::string& out) {
  if (precision == 0 || precision > kMaxPrecision || scale > kMaxScale || scale > precision) {
    in.fail();
    return false;
  }
  const size_t size = decimal_binary_size(precision, scale);
  std::string_view raw = in.bytes(size);
  if (!in.ok()) return false;
  uint8_t buf[32] = {};  // 65 digits take at most 30 bytes, whatever the scale
  for (size_t i = 0; i < size; ++i) buf[i] = static_cast<uint8_t>(raw[i]);
  const bool negative = (buf[0] & 0x80) == 0;
  buf[0] ^= 0x80;
  if (negative) {
    for (size_t i = 0; i < size; ++i) buf[i] = static_cast<uint8_t>(~buf[i]);
  }
  ByteReader r(buf, size);
  const Layout l = layout(precision, scale);

  // Integer part: the partial group, then full groups; leading zeros are dropped.
  std::string digits;
  auto append_group = [&](uint64_t value, int width) {
    char tmp[16];
    for (int i = width - 1; i >= 0; --i) {
      tmp[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    digits.append(tmp, static_cast<size_t>(width));
    return value == 0;  // a group holding more than its digits is corrupt
  };
  bool valid = true;
  if (l.int_partial > 0) valid &= append_group(r.be(static_cast<size_t>(kBytesForDigits[l.int_partial])), l.int_partial);
  for (int g = 0; g < l.int_full; ++g) valid &= append_group(r.be(4), kDigitsPerGroup);
  size_t first = digits.find_first_not_of('0');
  std::string integer = first == std::string::npos ? "0" : digits.substr(first);

  digits.clear();
  for (int g = 0; g < l.frac_full; ++g) valid &= append_group(r.be(4), kDigitsPerGroup);
  if (l.frac_partial > 0) valid &= append_group(r.be(static_cast<size_t>(kBytesForDigits[l.frac_partial])), l.frac_partial);
  if (!r.ok() || !valid) {
    in.fail();
    return false;
  }
  // "-0.00" is how MySQL prints a negative zero it never stores; keep the sign only when nonzero.
  const bool zero = integer == "0" && digits.find_first_not_of('0') == std::string::npos;
  if (negative && !zero) out += '-';
  out += integer;
  if (scale > 0) {
    out += '.';
    out += digits;
  }
  return true;
}

}  // namespace ferry::mysql
