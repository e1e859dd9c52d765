#include "downstream/downstream_error.hpp"

#include <mysqld_error.h>
#include <errmsg.h>

namespace ferry::tidb {

bool DownstreamError::connection_lost() const {
  switch (code) {
    case CR_SERVER_GONE_ERROR:    // 2006
    case CR_SERVER_LOST:          // 2013
    case CR_CONNECTION_ERROR:     // 2002
    case CR_CONN_HOST_ERROR:      // 2003
    case CR_SERVER_LOST_EXTENDED: // 2055
    case ER_SERVER_SHUTDOWN:      // 1053
    case ER_CONNECTION_KILLED:    // 1927 (MariaDB), the server killed the connection
    case 4031:                    // MySQL 8: client disconnected by the server (inactivity)
      return true;
    default:
      return false;
  }
}

bool DownstreamError::transient() const {
  if (connection_lost()) return true;
  switch (code) {
    case ER_LOCK_DEADLOCK:        // 1213
    case ER_LOCK_WAIT_TIMEOUT:    // 1205
    case ER_CON_COUNT_ERROR:      // 1040 too many connections
    case ER_QUERY_INTERRUPTED:    // 1317
    case 8002:                    // TiDB: write conflict in optimistic mode, retry
    case 8022:                    // TiDB: transaction commit conflict, retry
    case 9007:                    // TiDB/TiKV: write conflict
    case 9005:                    // TiKV region unavailable
    case 9002:                    // TiKV server timeout
    case 8028:                    // TiDB: information schema changed
      return true;
    default:
      return false;
  }
}

}  // namespace ferry::tidb
