#include "relay/relay_purge.hpp"

#include <algorithm>

namespace ferry::mysql {

size_t relay_files_to_purge(const std::vector<RelayFileInfo>& files, size_t protected_from,
                            const RelayPurgePolicy& policy, std::chrono::system_clock::time_point now,
                            uint64_t free_bytes) {
  if (!policy.enabled() || files.size() < 2) return 0;
  const size_t limit = std::min(protected_from, files.size() - 1);  // the newest file is being written
  uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  size_t n = 0;
  for (; n < limit; ++n) {
    const RelayFileInfo& f = files[n];
    const bool expired = policy.expires.count() > 0 && now - f.modified > policy.expires;
    const bool too_big = policy.max_total_bytes > 0 && total > policy.max_total_bytes;
    const bool disk_short = policy.min_free_bytes > 0 && free_bytes < policy.min_free_bytes;
    if (!expired && !too_big && !disk_short) break;
    total -= f.size;
    free_bytes += f.size;
  }
  return n;
}

}  // namespace ferry::mysql
