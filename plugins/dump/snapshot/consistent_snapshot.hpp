// ConsistentSnapshot: `threads` upstream connections, each inside a REPEATABLE READ transaction
// opened WITH CONSISTENT SNAPSHOT at the same moment, and the binlog position of that moment.
//
// The moment is made one by a lock held only while the transactions open (dumpling's
// consistency modes): FLUSH TABLES WITH READ LOCK, or LOCK TABLES ... READ where the global lock
// is not permitted (managed MySQL), or, with `none`, no lock at all: the snapshots then lie
// somewhere between a position read before and one read after, and the sync phase applies
// idempotently between the two.
#pragma once

#include "chunk/chunk.hpp"
#include "client/upstream_connection.hpp"
#include "source/dump_options.hpp"

#include <memory>
#include <string>
#include <vector>

namespace ferry::dump {

struct Snapshot {
  std::vector<std::unique_ptr<mysql::UpstreamConnection>> readers;
  SnapshotPoint at;     // where the snapshot is (with a lock), or a point before it (none)
  SnapshotPoint until;  // == at with a lock; the point after opening the snapshots otherwise
  std::string method;   // "flush", "lock", "none" or "none-exact" (MariaDB's snapshot positions): what was used
  mysql::Flavor flavor = mysql::Flavor::MariaDB;
};

struct SnapshotError {
  std::string message;
  bool retryable = false;
};

// Connects `options.threads` readers and opens their snapshots over `tables`.
std::optional<SnapshotError> take_snapshot(const DumpOptions& options,
                                           const std::vector<std::pair<std::string, std::string>>& tables, Snapshot& out);

// Session settings of every dump connection: results unconverted (text in its column's
// charset), TIMESTAMP in UTC, and no write timeout while a reader waits for the stream.
std::optional<mysql::UpstreamError> prepare_dump_session(mysql::UpstreamConnection& conn);

// The upstream's binlog position and executed GTID set now.
std::optional<mysql::UpstreamError> read_binlog_point(mysql::UpstreamConnection& conn, SnapshotPoint& out);

}  // namespace ferry::dump
