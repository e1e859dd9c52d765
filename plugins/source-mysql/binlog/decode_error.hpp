// What decoding a binlog event, or a row of it, found wrong.
#pragma once

#include <string>

namespace ferry::mysql {

struct DecodeError {
  std::string message;
  bool corrupt = false;  // checksum mismatch or impossible sizes (vs. unsupported content)
};

}  // namespace ferry::mysql
