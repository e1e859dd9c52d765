// What the downstream said when a statement failed, and whether trying again can help.
#pragma once

#include <string>

namespace ferry::tidb {

struct DownstreamError {
  unsigned int code = 0;  // the server's (or client's, 2xxx) error number; 0: ferry's own
  std::string message;
  int statement = -1;     // 0-based index of the failing statement in a multi-statement script

  // Lost connections, a server going away or restarting, deadlocks and lock wait timeouts: the
  // transaction was rolled back (or never ran) and running it again can succeed.
  bool transient() const;
  // The connection is gone: reconnect before trying again.
  bool connection_lost() const;
  std::string text() const { return "error " + std::to_string(code) + ": " + message; }
};

}  // namespace ferry::tidb
