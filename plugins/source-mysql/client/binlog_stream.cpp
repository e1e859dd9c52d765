#include "client/binlog_stream.hpp"

#include <mysql.h>
// After mysql.h, whose types it uses: the connector's read-ahead cache (arriving_by).
#include <ma_pvio.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace ferry::mysql {
namespace {

constexpr uint8_t kComBinlogDump = 0x12;
constexpr uint8_t kComBinlogDumpGtid = 0x1e;
constexpr uint16_t kDumpNonBlock = 0x01;         // BINLOG_DUMP_NON_BLOCK
constexpr uint16_t kSendAnnotateRows = 0x02;     // BINLOG_SEND_ANNOTATE_ROWS_EVENT (MariaDB)
constexpr uint16_t kDumpThroughGtid = 0x04;      // BINLOG_THROUGH_GTID: the packet carries a set
constexpr unsigned kCrServerLost = 2013;          // CR_SERVER_LOST: retried as a lost connection

template <typename T>
void put_le(std::string& out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
}

}  // namespace

std::string binlog_dump_gtid_payload(uint16_t flags, uint32_t server_id, const std::string& file, uint64_t pos,
                                     const MysqlGtidSet& gtids) {
  const std::string set = gtids.encode();
  std::string out;
  out.reserve(22 + file.size() + set.size());
  put_le(out, flags);
  put_le(out, server_id);
  put_le(out, static_cast<uint32_t>(file.size()));
  out += file;
  put_le(out, pos);
  put_le(out, static_cast<uint32_t>(set.size()));
  out += set;
  return out;
}

std::optional<UpstreamError> BinlogStream::start(const StreamStart& start, const StreamOptions& options,
                                                 bool& checksum_crc32) {
  std::vector<std::vector<std::optional<std::string>>> rows;
  if (auto e = conn_.query("SELECT @@global.binlog_checksum", rows)) return e;
  const std::string alg = !rows.empty() && rows[0][0] ? *rows[0][0] : "NONE";
  checksum_crc32 = alg == "CRC32";
  // Without this the server refuses to send checksummed events to a replica.
  if (auto e = conn_.execute("SET @master_binlog_checksum = @@global.binlog_checksum")) return e;
  silence_limit_ = 3 * options.heartbeat;
  last_packet_ = Clock::now();
  const auto period_ns = static_cast<uint64_t>(options.heartbeat.count()) * 1'000'000ull;
  if (auto e = conn_.execute("SET @master_heartbeat_period = " + std::to_string(period_ns))) return e;
  if (conn_.flavor() == Flavor::MariaDB) {
    // A GTID-aware replica: the server then sends GTID events and annotates nothing we did not ask.
    if (auto e = conn_.execute("SET @mariadb_slave_capability = 4")) return e;
    if (!start.mariadb_gtid.empty() || start.binlog_file.empty()) {
      if (auto e = conn_.execute("SET @slave_connect_state = " + UpstreamConnection::quote(start.mariadb_gtid))) return e;
      if (auto e = conn_.execute("SET @slave_gtid_strict_mode = 1")) return e;
      if (auto e = conn_.execute("SET @slave_gtid_ignore_duplicates = 0")) return e;
    }
  }
  MYSQL* my = conn_.handle();
  const uint16_t non_block = options.non_blocking ? kDumpNonBlock : 0;
  if (start.mysql_gtid.has_value()) {
    if (conn_.flavor() != Flavor::MySQL) return UpstreamError{0, "a MySQL GTID set was given for a MariaDB upstream"};
    // COM_BINLOG_DUMP_GTID, as a MySQL replica with SOURCE_AUTO_POSITION sends it: no file and
    // position 4 (the server finds the first file holding a transaction outside the set). The
    // server reads the set whatever the flags say; BINLOG_THROUGH_GTID is what the protocol
    // documents for a packet that carries one.
    const auto flags = static_cast<uint16_t>(non_block | kDumpThroughGtid);
    const uint64_t pos = start.binlog_file.empty() ? 4 : start.binlog_pos;
    const std::string payload = binlog_dump_gtid_payload(flags, options.server_id, start.binlog_file, pos, *start.mysql_gtid);
    if (my->methods->db_command(my, static_cast<enum enum_server_command>(kComBinlogDumpGtid), payload.data(),
                                payload.size(), 1, nullptr) != 0) {
      return conn_.last_error();
    }
    return std::nullopt;
  }
  if (conn_.flavor() == Flavor::MySQL && !start.mariadb_gtid.empty()) {
    return UpstreamError{0, "a MariaDB GTID position (" + start.mariadb_gtid + ") was given for a MySQL upstream"};
  }
  // COM_BINLOG_DUMP: position (4), flags (2), server id (4), file name. A GTID start sends an
  // empty name: the server then uses @slave_connect_state.
  const bool gtid_start = conn_.flavor() == Flavor::MariaDB && (!start.mariadb_gtid.empty() || start.binlog_file.empty());
  const std::string file = gtid_start ? std::string() : start.binlog_file;
  const uint32_t pos = gtid_start ? 4u : static_cast<uint32_t>(start.binlog_pos);
  std::vector<char> packet(10 + file.size());
  std::memcpy(&packet[0], &pos, 4);
  // BINLOG_DUMP_NON_BLOCK (or wait at the end); BINLOG_SEND_ANNOTATE_ROWS_EVENT (MariaDB).
  const bool annotate = options.annotate_rows && conn_.flavor() == Flavor::MariaDB;  // MySQL has no such flag
  const uint16_t flags = static_cast<uint16_t>(non_block | (annotate ? kSendAnnotateRows : 0));
  std::memcpy(&packet[4], &flags, 2);
  std::memcpy(&packet[6], &options.server_id, 4);
  std::memcpy(&packet[10], file.data(), file.size());
  if (my->methods->db_command(my, static_cast<enum enum_server_command>(kComBinlogDump), packet.data(), packet.size(), 1,
                              nullptr) != 0) {
    return conn_.last_error();
  }
  return std::nullopt;
}

bool BinlogStream::arriving_by(Clock::time_point give_up) {
  MYSQL* my = conn_.handle();
  if (give_up == Clock::time_point::max() || my->net.remain_in_buf > 0) return true;
  // Connector/C reads ahead into its pvio cache; what is there is read without the socket. (Over
  // TLS the TLS library may hold a record too; missing it only ends this wait early.)
  const MARIADB_PVIO* pvio = my->net.pvio;
  if (pvio == nullptr || (pvio->cache != nullptr && pvio->cache_pos < pvio->cache + pvio->cache_size)) return true;
  pollfd p{static_cast<int>(mysql_get_socket(my)), POLLIN, 0};
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(give_up - Clock::now()).count();
    const int r = ::poll(&p, 1, static_cast<int>(std::clamp<long long>(left, 0, 60'000)));
    if (r != 0 && !(r < 0 && errno == EINTR)) return true;
    if (r == 0 && Clock::now() >= give_up) return false;
  }
}

std::optional<UpstreamError> BinlogStream::next_until(std::string_view& event, Clock::time_point give_up) {
  if (!arriving_by(give_up)) {
    // A blocking read gives up after three heartbeat periods (the connection's read timeout);
    // reads that keep giving up early must too, or a silently dead connection is never noticed.
    const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_packet_);
    if (silence_limit_.count() > 0 && silent > silence_limit_) {
      return UpstreamError{kCrServerLost, "no event or heartbeat from the upstream for " + std::to_string(silent.count()) +
                                              " ms (three heartbeat periods): the connection is taken for dead"};
    }
    event = {};
    return std::nullopt;
  }
  MYSQL* my = conn_.handle();
  const unsigned long n = mysql_net_read_packet(my);
  last_packet_ = Clock::now();
  // Connector/C's packet_error is (unsigned int)-1 widened to unsigned long, not ~0UL.
  constexpr unsigned long kPacketError = static_cast<unsigned int>(-1);
  if (n == kPacketError || n == ~0UL || n == 0) {
    UpstreamError e = conn_.last_error();
    if (e.code == 0 && e.message.empty()) e.message = "connection lost while reading the binlog";
    return e;
  }
  const unsigned char* p = my->net.read_pos;
  if (p[0] == 0xFE && n < 8) return UpstreamError{0, "end of stream"};
  if (p[0] == 0xFF) {
    // An error packet: code (2), '#', sqlstate (5), message.
    uint16_t code = 0;
    std::memcpy(&code, p + 1, 2);
    std::string message(reinterpret_cast<const char*>(p) + 9, n > 9 ? n - 9 : 0);
    return UpstreamError{code, message};
  }
  event = std::string_view(reinterpret_cast<const char*>(p) + 1, n - 1);
  return std::nullopt;
}

}  // namespace ferry::mysql
