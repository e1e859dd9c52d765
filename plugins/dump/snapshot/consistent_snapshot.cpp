#include "snapshot/consistent_snapshot.hpp"

namespace ferry::dump {
namespace {

using mysql::UpstreamConnection;
using mysql::UpstreamError;

bool permission_denied(const UpstreamError& e) {
  // ER_SPECIFIC_ACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR,
  // ER_ACCESS_DENIED_ERROR
  return e.code == 1227 || e.code == 1044 || e.code == 1142 || e.code == 1045;
}

SnapshotError from(const UpstreamError& e, const std::string& what) {
  return SnapshotError{what + ": " + e.message, e.connection_lost()};
}

}  // namespace

std::optional<UpstreamError> prepare_dump_session(UpstreamConnection& conn) {
  return conn.execute("SET SESSION character_set_results = NULL, SESSION time_zone = '+00:00',"
                      " SESSION net_write_timeout = 86400, SESSION net_read_timeout = 86400, SESSION sql_mode = ''");
}

std::optional<UpstreamError> read_binlog_point(UpstreamConnection& conn, SnapshotPoint& out) {
  std::vector<std::vector<std::optional<std::string>>> rows;
  if (auto e = conn.query("SHOW MASTER STATUS", rows)) return e;
  out = SnapshotPoint{};
  if (!rows.empty()) {
    out.file = rows[0][0].value_or("");
    out.pos = rows[0].size() > 1 && rows[0][1] ? std::stoull(*rows[0][1]) : 0;
    if (conn.flavor() == mysql::Flavor::MySQL && rows[0].size() > 4) {
      for (char c : rows[0][4].value_or("")) {
        if (c != '\n' && c != ' ') out.gtid.push_back(c);
      }
    }
  }
  if (conn.flavor() == mysql::Flavor::MariaDB) {
    if (auto e = conn.query("SELECT @@GLOBAL.gtid_binlog_pos", rows)) return e;
    if (!rows.empty()) out.gtid = rows[0][0].value_or("");
  }
  return std::nullopt;
}

namespace {

// MariaDB tells each consistent snapshot's own binlog position (Binlog_snapshot_file and
// _position, read inside the transaction): without a lock, the window the sync must replay
// idempotently shrinks from "before the first snapshot .. after the last" to exactly the
// readers' own positions (none at all when they agree). The GTID sets stay the outer reads:
// at's is at or before its position, until's at or after, so a GTID start replays a little more,
// never less.
void narrow_to_snapshots(Snapshot& out) {
  std::optional<SnapshotPoint> lo, hi;
  for (auto& reader : out.readers) {
    std::vector<std::vector<std::optional<std::string>>> rows;
    if (reader->query("SHOW STATUS LIKE 'binlog_snapshot_%'", rows)) return;  // keep the outer reads
    SnapshotPoint p;
    for (const auto& r : rows) {
      const std::string name = r.at(0).value_or("");
      if (name == "Binlog_snapshot_file") p.file = r.at(1).value_or("");
      if (name == "Binlog_snapshot_position") p.pos = std::stoull(r.at(1).value_or("0"));
    }
    if (p.file.empty()) return;
    if (!lo || before(p, *lo)) lo = p;
    if (!hi || before(*hi, p)) hi = p;
  }
  if (!lo || !hi || before(*lo, out.at) || before(out.until, *hi)) return;  // not plausible: keep the outer reads
  lo->gtid = out.at.gtid;
  hi->gtid = out.until.gtid;
  out.at = *lo;
  out.until = *hi;
  out.method = "none-exact";  // from the snapshots' own positions
}

}  // namespace

std::optional<SnapshotError> take_snapshot(const DumpOptions& options,
                                           const std::vector<std::pair<std::string, std::string>>& tables, Snapshot& out) {
  UpstreamConnection control;
  if (auto e = control.connect(options.upstream)) return from(*e, "cannot connect for the snapshot");
  out.flavor = control.flavor();
  out.readers.clear();
  for (uint32_t i = 0; i < options.threads; ++i) {
    auto conn = std::make_unique<UpstreamConnection>();
    if (auto e = conn->connect(options.upstream)) return from(*e, "cannot connect reader " + std::to_string(i));
    if (auto e = prepare_dump_session(*conn)) return from(*e, "cannot set up reader " + std::to_string(i));
    if (auto e = conn->execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")) {
      return from(*e, "cannot set up reader " + std::to_string(i));
    }
    out.readers.push_back(std::move(conn));
  }

  // Take the lock.
  Consistency mode = options.consistency;
  std::optional<UpstreamError> lock_error;
  if (mode == Consistency::Auto || mode == Consistency::Flush) {
    lock_error = control.execute("FLUSH TABLES WITH READ LOCK");
    if (!lock_error) {
      out.method = "flush";
    } else if (mode == Consistency::Flush || !permission_denied(*lock_error)) {
      return SnapshotError{"FLUSH TABLES WITH READ LOCK failed: " + lock_error->message +
                               " (grant RELOAD, or set consistency: lock or none)",
                           lock_error->connection_lost()};
    } else {
      mode = Consistency::Lock;  // auto: the global lock is not permitted here
    }
  }
  if (mode == Consistency::Lock) {
    std::string sql = "LOCK TABLES ";
    for (size_t i = 0; i < tables.size(); ++i) {
      if (i) sql += ", ";
      sql += UpstreamConnection::identifier(tables[i].first);
      sql.push_back('.');
      sql += UpstreamConnection::identifier(tables[i].second);
      sql += " READ";
    }
    if (!tables.empty()) {
      if (auto e = control.execute(sql)) {
        return SnapshotError{"LOCK TABLES ... READ failed: " + e->message +
                                 (lock_error ? " (after FLUSH TABLES WITH READ LOCK failed: " + lock_error->message + ")" : "") +
                                 "; grant LOCK TABLES, or set consistency: none",
                             e->connection_lost()};
      }
    }
    out.method = "lock";
  }
  if (mode == Consistency::None) out.method = "none";

  if (auto e = read_binlog_point(control, out.at)) return from(*e, "cannot read the binlog position");
  for (size_t i = 0; i < out.readers.size(); ++i) {
    if (auto e = out.readers[i]->execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")) {
      return from(*e, "cannot open the snapshot of reader " + std::to_string(i));
    }
  }
  out.until = out.at;
  if (mode == Consistency::None) {
    if (auto e = read_binlog_point(control, out.until)) return from(*e, "cannot read the binlog position");
    if (out.flavor == mysql::Flavor::MariaDB) narrow_to_snapshots(out);
  } else if (auto e = control.execute("UNLOCK TABLES")) {
    return from(*e, "cannot release the snapshot lock");
  }
  return std::nullopt;
}

}  // namespace ferry::dump
