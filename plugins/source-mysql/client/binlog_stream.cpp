#include "client/binlog_stream.hpp"

#include <mysql.h>

#include <cstring>
#include <vector>

namespace ferry::mysql {
namespace {

constexpr uint8_t kComBinlogDump = 0x12;


}  // namespace

std::optional<UpstreamError> BinlogStream::start(const StreamStart& start, const StreamOptions& options,
                                                 bool& checksum_crc32) {
  std::vector<std::vector<std::optional<std::string>>> rows;
  if (auto e = conn_.query("SELECT @@global.binlog_checksum", rows)) return e;
  const std::string alg = !rows.empty() && rows[0][0] ? *rows[0][0] : "NONE";
  checksum_crc32 = alg == "CRC32";
  // Without this the server refuses to send checksummed events to a replica.
  if (auto e = conn_.execute("SET @master_binlog_checksum = @@global.binlog_checksum")) return e;
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
  // COM_BINLOG_DUMP: position (4), flags (2), server id (4), file name. A GTID start sends an
  // empty name: the server then uses @slave_connect_state.
  const bool gtid_start = conn_.flavor() == Flavor::MariaDB && (!start.mariadb_gtid.empty() || start.binlog_file.empty());
  const std::string file = gtid_start ? std::string() : start.binlog_file;
  const uint32_t pos = gtid_start ? 4u : static_cast<uint32_t>(start.binlog_pos);
  std::vector<char> packet(10 + file.size());
  std::memcpy(&packet[0], &pos, 4);
  // BINLOG_DUMP_NON_BLOCK (or wait at the end); BINLOG_SEND_ANNOTATE_ROWS_EVENT (MariaDB).
  const uint16_t flags = static_cast<uint16_t>((options.non_blocking ? 1 : 0) | (options.annotate_rows ? 2 : 0));
  std::memcpy(&packet[4], &flags, 2);
  std::memcpy(&packet[6], &options.server_id, 4);
  std::memcpy(&packet[10], file.data(), file.size());
  MYSQL* my = conn_.handle();
  if (my->methods->db_command(my, static_cast<enum enum_server_command>(kComBinlogDump), packet.data(), packet.size(), 1,
                              nullptr) != 0) {
    return conn_.last_error();
  }
  return std::nullopt;
}

std::optional<UpstreamError> BinlogStream::next(std::string_view& event) {
  MYSQL* my = conn_.handle();
  const unsigned long n = mysql_net_read_packet(my);
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
