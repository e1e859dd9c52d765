// What a relay log directory holds, as tests look at it (docs/relay-log.md).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace ferry::testing {

// The files relay.index lists, oldest first (none when there is no index yet).
inline std::vector<std::string> relay_index(const std::filesystem::path& dir) {
  std::vector<std::string> files;
  std::ifstream in(dir / "relay.index");
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) files.push_back(line);
  }
  return files;
}

}  // namespace ferry::testing
