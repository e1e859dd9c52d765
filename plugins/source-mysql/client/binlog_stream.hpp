// BinlogStream: asks an upstream for its binlog as a replica would (COM_BINLOG_DUMP, with a
// MariaDB GTID start through @slave_connect_state; COM_BINLOG_DUMP_GTID for a MySQL GTID start)
// and hands back raw events one at a time.
// MariaDB Connector/C carries the connection and the packets only; every event is decoded by
// ferry (reference/dependencies.md, section 0). Blocking; one thread.
#pragma once

#include "client/event_feed.hpp"
#include "client/upstream_connection.hpp"
#include "source/gtid_set.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::mysql {

struct StreamStart {
  std::string binlog_file;  // with binlog_pos; empty for a GTID start
  uint64_t binlog_pos = 4;
  std::string mariadb_gtid;  // "0-1-42,1-2-7": start after these (MariaDB)
  // MySQL: stream every transaction not in this set (COM_BINLOG_DUMP_GTID; the server finds the
  // file). With binlog_file set too, the server starts there and still skips what is in the set.
  std::optional<MysqlGtidSet> mysql_gtid;
};

struct StreamOptions {
  uint32_t server_id = 0;
  std::chrono::milliseconds heartbeat{1000};
  bool non_blocking = false;  // end the stream at the end of the binlog instead of waiting
  // MariaDB: also send ANNOTATE_ROWS events (the relay log keeps every event of the file, so
  // that its offsets are the upstream's).
  bool annotate_rows = false;
};

// COM_BINLOG_DUMP_GTID's payload after the command byte, as MySQL's replica writes it: flags (2),
// server id (4), file name length (4), file name, position (8), length of the set (4), the set
// (MysqlGtidSet::encode). All integers little-endian.
std::string binlog_dump_gtid_payload(uint16_t flags, uint32_t server_id, const std::string& file, uint64_t pos,
                                     const MysqlGtidSet& gtids);

class BinlogStream final : public EventFeed {
 public:
  explicit BinlogStream(UpstreamConnection& connection) : conn_(connection) {}

  // Negotiates checksums and heartbeats and sends the dump command. `checksum_crc32` tells the
  // decoder what the stream will carry.
  std::optional<UpstreamError> start(const StreamStart& start, const StreamOptions& options, bool& checksum_crc32);

  // EventFeed::next_until. End of stream (the server closed it) is an error with code 0 and
  // message "end of stream".
  std::optional<UpstreamError> next_until(std::string_view& event, Clock::time_point give_up) override;

 private:
  // Whether a packet has begun to arrive by `give_up`: bytes the connector has read ahead, or
  // the socket readable (or failed: the read then reports it).
  bool arriving_by(Clock::time_point give_up);

  UpstreamConnection& conn_;
  std::chrono::milliseconds silence_limit_{0};  // three heartbeat periods
  Clock::time_point last_packet_{};
};

}  // namespace ferry::mysql
