// stable_hash: FNV-1a over bytes. The same value on every build and platform (std::hash is not),
// for names that must stay the same from one run to the next: lock names, chunk names.
#pragma once

#include <cstdint>
#include <string_view>

namespace ferry::sdk {

inline uint64_t stable_hash(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace ferry::sdk
