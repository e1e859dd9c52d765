// Stepping through text one character at a time, where a character is a UTF-8 code point. Both
// the wildcard '?' and the mask action count characters this way, so "keep-last: 2" keeps two
// letters of "Zoë", not two bytes.
#pragma once

#include <cstddef>
#include <string_view>

namespace column_mask {

// The end of the character that starts at byte `i` of `text` (i < text.size()). A byte that does
// not start a well-formed sequence counts as one character of its own: non-UTF-8 text (latin1,
// binary) then degrades to one character per byte instead of swallowing its neighbours.
inline size_t next_char_end(std::string_view text, size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const size_t len = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (len <= 1 || i + len > text.size()) return i + 1;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return i + 1;
  }
  return i + len;
}

inline size_t char_count(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); i = next_char_end(text, i)) ++n;
  return n;
}

}  // namespace column_mask
