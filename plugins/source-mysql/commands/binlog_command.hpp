// `ferry binlog decode FILE...`: prints every event of binlog or relay-log files as one JSON
// object per line (docs/binlog-json.md), decoding rows with the same decoder the mysql-binlog
// source uses, so what it shows is exactly what ferry reads.
#pragma once

#include <ferry/sdk/host.hpp>

#include <string_view>
#include <vector>

namespace ferry::mysql {

struct BinlogCommand {
  static constexpr const char* kName = "binlog";
  static constexpr const char* kDescription = "inspect MySQL/MariaDB binlogs: 'binlog decode|stats FILE...', 'binlog tail'";
  static int run(const sdk::Host& host, const std::vector<std::string_view>& args);
};

}  // namespace ferry::mysql
