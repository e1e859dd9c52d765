// Which relay files may go: by age, by the relay's total size, or when the disk runs short of
// free space (DM's purge.expires and purge.remain-space). Only a prefix of the index is ever
// deleted (the relay stays one contiguous run of files), never the file being written, and
// never a file the task may still read: the one holding its last durable checkpoint, the one
// its reader is in, and everything after them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ferry::mysql {

struct RelayFileInfo {
  std::string name;
  uint64_t size = 0;
  std::chrono::system_clock::time_point modified;
};

struct RelayPurgePolicy {
  std::chrono::milliseconds expires{0};  // 0: age alone never purges
  uint64_t max_total_bytes = 0;          // 0: no size limit
  uint64_t min_free_bytes = 0;           // 0: free space is not watched
  bool enabled() const { return expires.count() > 0 || max_total_bytes > 0 || min_free_bytes > 0; }
};

// `files` in index order; files at `protected_from` and after are kept. Returns how many of the
// oldest files to delete.
size_t relay_files_to_purge(const std::vector<RelayFileInfo>& files, size_t protected_from,
                            const RelayPurgePolicy& policy, std::chrono::system_clock::time_point now,
                            uint64_t free_bytes);

}  // namespace ferry::mysql
