// Finding where to start for a start time (DM's `start-task --start-time`): the binlog file the
// first transaction at or after that time is in. Each file's FORMAT_DESCRIPTION carries the
// time the file was opened, so the last file opened at or before the start time holds every
// transaction from then on; the source streams from its start and skips, by commit time, the
// transactions before the start time.
#pragma once

#include "client/upstream_connection.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace ferry::mysql {

// "YYYY-MM-DD HH:MM:SS" in UTC -> seconds since the epoch; nullopt when malformed.
std::optional<int64_t> parse_start_time(const std::string& text);

struct StartFile {
  std::string file;
  std::string error;  // set on failure
  bool retryable = false;
};

// The file to stream from for `start_time`: the newest binlog whose first event is not after it,
// or the oldest one when every file is newer. Uses its own connection per probe.
StartFile find_start_file(const ConnectionOptions& options, uint32_t server_id, int64_t start_time);

}  // namespace ferry::mysql
