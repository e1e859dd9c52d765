// EventFeed: where the source takes its raw binlog events from, one at a time: the upstream's
// replication stream (BinlogStream) or the local relay log (RelayReader). Both hand out the
// events a replica would receive, in the same order and with the same positions.
#pragma once

#include "client/upstream_connection.hpp"

#include <optional>
#include <string_view>

namespace ferry::mysql {

class EventFeed {
 public:
  virtual ~EventFeed() = default;
  // The next raw event (a view valid until the next call), or an error. The upstream's error
  // codes keep their meaning (1236: the binlog asked for is gone).
  virtual std::optional<UpstreamError> next(std::string_view& event) = 0;
};

}  // namespace ferry::mysql
