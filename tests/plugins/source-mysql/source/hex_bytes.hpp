// Bytes written out by hand in a test, as hex pairs with spaces and newlines between them as
// the layout reads best: "02 00  0d 9a" -> "\x02\x00\x0d\x9a".
#pragma once

#include <string>

namespace ferry::mysql {

inline std::string hex_bytes(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size();) {
    if (hex[i] == ' ' || hex[i] == '\n') {
      ++i;
      continue;
    }
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

}  // namespace ferry::mysql
