// The two rewrites column-mask applies to a text value, as pure functions over bytes. The
// transform decides which values to rewrite and where the new bytes live (the batch arena);
// these only say what the new bytes are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace column_mask {

// FNV-1a, 64-bit, over `salt` followed by `value`. Chosen because it is tiny, fast and fully
// specified (anyone can recompute a pseudonym to join on it), not because it is secure: it is
// not a cryptographic hash, and with a known or empty salt a short value can be found again by
// trying candidates. The salt makes pseudonyms differ between deployments that keep it secret.
uint64_t keyed_fnv1a_64(std::string_view salt, std::string_view value);

inline constexpr size_t kHashHexLength = 16;

// `hash` as 16 lowercase hex digits, most significant first, into out[0..16).
void write_hash_hex(uint64_t hash, char* out);

// What "mask" counts as one character: a UTF-8 code point for text, a byte for binary values and
// single-byte charsets (latin1), where decoding as UTF-8 would merge neighbouring characters.
enum class CharUnit { Utf8CodePoint, Byte };

// What "mask" turns a value into: `stars` asterisks, then the value's bytes from `visible_from`
// on (its last `keep_last` characters, or all of it when it has no more than that).
struct MaskShape {
  size_t stars = 0;
  size_t visible_from = 0;
  size_t size(std::string_view value) const { return stars + (value.size() - visible_from); }
};
MaskShape mask_shape(std::string_view value, uint64_t keep_last, CharUnit unit);

}  // namespace column_mask
