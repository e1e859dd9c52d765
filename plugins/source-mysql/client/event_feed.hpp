// EventFeed: where the source takes its raw binlog events from, one at a time: the upstream's
// replication stream (BinlogStream) or the local relay log (RelayReader). Both hand out the
// events a replica would receive, in the same order and with the same positions.
#pragma once

#include "client/upstream_connection.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace ferry::mysql {

class EventFeed {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~EventFeed() = default;
  // The next raw event (a view valid until the next call), or an error. The upstream's error
  // codes keep their meaning (1236: the binlog asked for is gone). When no event has begun to
  // arrive by `give_up`, returns no error and an empty `event`: a caller holding events must
  // not wait for the next one (it may come only with the next heartbeat, a second or more away).
  virtual std::optional<UpstreamError> next_until(std::string_view& event, Clock::time_point give_up) = 0;
  // Waits as long as it takes.
  std::optional<UpstreamError> next(std::string_view& event) { return next_until(event, Clock::time_point::max()); }
};

}  // namespace ferry::mysql
