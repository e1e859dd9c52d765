// DM-style wildcard patterns for schema, table and column names: '*' matches any run of
// characters (also none), '?' exactly one character, everything else itself. Matching ignores
// ASCII case, as MySQL does for column names and DM does for its rules by default. Unlike DM's
// table selector, '*' may appear anywhere and more than once ("user_*_2024").
#pragma once

#include "utf8.hpp"

#include <string_view>

namespace column_mask {

inline char fold_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Greedy matching that remembers only the last '*': when the text stops matching, that star
// takes one more character and matching resumes after it. Earlier stars never need to give
// anything back, so this is O(pattern * text) at worst and allocation-free.
inline bool wildcard_match(std::string_view pattern, std::string_view text) {
  constexpr size_t kNoStar = std::string_view::npos;
  size_t p = 0, t = 0;
  size_t star = kNoStar, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && pattern[p] == '?') {
      ++p;
      t = next_char_end(text, t);
    } else if (p < pattern.size() && fold_ascii(pattern[p]) == fold_ascii(text[t])) {
      ++p;
      ++t;
    } else if (star != kNoStar) {
      p = star + 1;
      star_text = next_char_end(text, star_text);
      t = star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace column_mask
