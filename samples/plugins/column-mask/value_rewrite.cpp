#include "value_rewrite.hpp"

#include "utf8.hpp"

namespace column_mask {
namespace {

// The published FNV-1a parameters for 64 bits.
constexpr uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

uint64_t fnv1a_continue(uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= kFnvPrime;
  }
  return hash;
}

}  // namespace

uint64_t keyed_fnv1a_64(std::string_view salt, std::string_view value) {
  return fnv1a_continue(fnv1a_continue(kFnvOffsetBasis, salt), value);
}

void write_hash_hex(uint64_t hash, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < kHashHexLength; ++i) {
    out[kHashHexLength - 1 - i] = kDigits[hash & 0xF];
    hash >>= 4;
  }
}

MaskShape mask_shape(std::string_view value, uint64_t keep_last, CharUnit unit) {
  const size_t chars = unit == CharUnit::Byte ? value.size() : char_count(value);
  MaskShape shape;
  shape.stars = keep_last >= chars ? 0 : chars - static_cast<size_t>(keep_last);
  if (unit == CharUnit::Byte) {
    shape.visible_from = shape.stars;
  } else {
    for (size_t i = 0; i < shape.stars; ++i) shape.visible_from = next_char_end(value, shape.visible_from);
  }
  return shape;
}

}  // namespace column_mask
