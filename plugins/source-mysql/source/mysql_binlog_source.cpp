#include "source/mysql_binlog_source.hpp"

#include <ferry/sdk/handover.hpp>

#include "source/ddl_target.hpp"

#include "relay/relay_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>

namespace ferry::mysql {
namespace {

constexpr uint32_t kErrBinlogUnavailable = 1236;  // ER_MASTER_FATAL_ERROR_READING_BINLOG
constexpr uint32_t kReserve = 3;                  // room kept for a COMMIT and a CHECKPOINT

// Decoded values go straight into the batch's arena.
class BatchArena final : public ValueArena {
 public:
  explicit BatchArena(sdk::BatchWriter& out) : out_(out) {}
  char* alloc_bytes(size_t size) override { return out_.alloc<char>(size); }

 private:
  sdk::BatchWriter& out_;
};

bool all_set(const uint8_t* bits, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    if (!((bits[i / 8] >> (i % 8)) & 1)) return false;
  }
  return true;
}

bool starts_with_word(std::string_view statement, std::string_view word) {
  if (statement.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(statement[i])) != word[i]) return false;
  }
  return statement.size() == word.size() || !std::isalnum(static_cast<unsigned char>(statement[word.size()]));
}

// A start set, a checkpoint's or binlog-gtid, into the set of the flavor its syntax names: the
// two cannot be confused, as only MySQL's has a ':' (uuid:N). The error, if malformed.
std::optional<std::string> parse_gtid_text(const std::string& text, MariadbGtidSet& mariadb, MysqlGtidSet& mysql) {
  if (text.find_first_not_of(" \t\r\n,") == std::string::npos) return std::nullopt;
  std::string error;
  if (text.find(':') != std::string::npos) {
    auto set = MysqlGtidSet::parse(text, error);
    if (!set) return error;
    mysql = std::move(*set);
  } else {
    auto set = MariadbGtidSet::parse(text, error);
    if (!set) return error;
    mariadb = std::move(*set);
  }
  return std::nullopt;
}

}  // namespace

void MysqlBinlogSource::describe(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("host").default_value("127.0.0.1").describe("upstream server"));
  schema.add(sdk::integer("port").default_value("3306").min(1).max(65535));
  schema.add(sdk::string("user").required().describe("needs REPLICATION SLAVE, REPLICATION CLIENT (BINLOG MONITOR)"));
  schema.add(sdk::string("password").secret().default_value("").describe("use ${VAR} to take it from the environment"));
  schema.add(sdk::integer("server-id").default_value("0").min(0).max(4294967295.0)
                 .describe("replica server id; 0 derives one from the task name"));
  schema.add(sdk::string("binlog-name").default_value("").describe("start file when there is no checkpoint (DM meta)"));
  schema.add(sdk::integer("binlog-pos").default_value("4").min(4).describe("start position in binlog-name"));
  schema.add(sdk::string("binlog-gtid").default_value("")
                 .describe("start after this GTID set (MariaDB: domain-server-seq,...; MySQL: uuid:1-5:7-9,...)"));
  schema.add(sdk::string("start-time").default_value("")
                 .describe("without a checkpoint: start at the first transaction at or after this UTC time, 'YYYY-MM-DD HH:MM:SS'"));
  schema.add(sdk::boolean("enable-gtid").default_value("false")
                 .describe("resume by GTID instead of file and position (MySQL: needs gtid_mode=ON)"));
  schema.add(sdk::duration("heartbeat-period").default_value("1s").min(100).describe("how often an idle upstream says it is alive"));
  schema.add(sdk::duration("checkpoint-interval").default_value("1s").min(0).describe("longest time between checkpoints while transactions flow"));
  schema.add(sdk::boolean("enable-relay").default_value("false")
                 .describe("keep a local copy of the upstream's binlog (DM's relay log) and read the events from it"));
  schema.add(sdk::string("relay-dir").default_value("")
                 .describe("the relay log's directory (relative: to the task file's); empty: 'relay' in the task's data directory. One task per directory"));
  schema.add(sdk::duration("relay-purge-expires").default_value("0s")
                 .describe("purge relay files older than this once the task is past them; 0 keeps them (DM purge.expires)"));
  schema.add(sdk::size("relay-purge-max-size").default_value("0")
                 .describe("purge the oldest relay files the task is past while the relay is larger; 0: no limit"));
  schema.add(sdk::size("relay-purge-remain-space").default_value("0")
                 .describe("purge the oldest relay files the task is past while the disk has less free space (DM purge.remain-space)"));
}

MysqlBinlogSource::MysqlBinlogSource(const sdk::Host& host, const sdk::Config& config)
    : host_(host),
      server_id_(static_cast<uint32_t>(config.require_integer("server-id"))),
      heartbeat_(config.require_integer("heartbeat-period")),
      checkpoint_interval_(config.require_integer("checkpoint-interval")),
      enable_gtid_(config.require_boolean("enable-gtid")) {
  connection_.host = std::string(config.require_string("host"));
  connection_.port = static_cast<uint16_t>(config.require_integer("port"));
  connection_.user = std::string(config.require_string("user"));
  connection_.password = std::string(config.require_string("password"));
  // A dead connection shows as missing heartbeats: give up reading after three periods.
  connection_.read_timeout_s = static_cast<uint32_t>((heartbeat_.count() * 3 + 999) / 1000);
  configured_start_.binlog_file = std::string(config.require_string("binlog-name"));
  configured_start_.binlog_pos = static_cast<uint64_t>(config.require_integer("binlog-pos"));
  configured_gtid_ = std::string(config.require_string("binlog-gtid"));
  MariadbGtidSet mariadb;
  MysqlGtidSet mysql;
  if (auto error = parse_gtid_text(configured_gtid_, mariadb, mysql)) {
    throw sdk::PluginError(FERRY_E_CONFIG_INVALID_VALUE, "binlog-gtid: " + *error);
  }
  if (const std::string t(config.require_string("start-time")); !t.empty()) {
    start_time_ = parse_start_time(t);
    if (!start_time_) throw sdk::PluginError(FERRY_E_CONFIG_INVALID_VALUE, "start-time '" + t + "' is not 'YYYY-MM-DD HH:MM:SS'");
  }
  ConnectionOptions catalog_options = connection_;
  catalog_options.read_timeout_s = 30;
  catalog_ = std::make_unique<Catalog>(catalog_options);
  if (server_id_ == 0) {
    // Stable per task, far from the small ids servers usually have (DM picks ids >= 2^32/10).
    server_id_ = 429496730u + static_cast<uint32_t>(std::hash<std::string>{}(host.task_info("task")) % 3000000000u);
  }
  if (config.require_boolean("enable-relay")) {
    RelayOptions relay;
    // Default: the task's own data directory; a relative path starts at the task file's, as
    // every path in a task file does.
    const std::filesystem::path dir(config.require_string("relay-dir"));
    const std::string data_dir = host.task_info("data-dir"), task_dir = host.task_info("task-dir");
    if (dir.empty() && data_dir.empty()) {
      throw sdk::PluginError(FERRY_E_CONFIG_MISSING_KEY, "enable-relay: set relay-dir (this host gives no data directory)");
    }
    relay.dir = dir.empty() ? std::filesystem::path(data_dir) / "relay" : dir.is_absolute() ? dir : std::filesystem::path(task_dir) / dir;
    relay.connection = connection_;
    relay.server_id = server_id_;
    relay.heartbeat = heartbeat_;
    relay.purge.expires = std::chrono::milliseconds(config.require_integer("relay-purge-expires"));
    relay.purge.max_total_bytes = static_cast<uint64_t>(config.require_integer("relay-purge-max-size"));
    relay.purge.min_free_bytes = static_cast<uint64_t>(config.require_integer("relay-purge-remain-space"));
    relay_options_ = relay;
  }
}

MysqlBinlogSource::~MysqlBinlogSource() = default;

sdk::Status MysqlBinlogSource::open(const ferry_position* start) {
  std::string gtid_text;
  if (start != nullptr) {
    // A dump's hand-over: idempotent apply until its snapshots' end, which the sink learns
    // from the first checkpoint (at the start position) before any row.
    if (auto note = sdk::parse_safe_until(sdk::view(start->token))) {
      safe_until_ = *note;
      safe_note_ = std::string(sdk::view(start->token));
      announce_safe_until_ = true;
      host_.info("safe mode until " + note->file + ":" + std::to_string(note->pos) + " (the dump's snapshots span up to there)");
    }
  }
  if (start != nullptr && start->binlog_file.len > 0) {
    progress_.committed_file = std::string(sdk::view(start->binlog_file));
    progress_.committed_pos = start->binlog_pos;
    gtid_text = std::string(sdk::view(start->gtid_set));
  } else if (!configured_start_.binlog_file.empty() || !configured_gtid_.empty()) {
    progress_.committed_file = configured_start_.binlog_file;
    progress_.committed_pos = configured_start_.binlog_pos;
    gtid_text = configured_gtid_;
  }
  if (progress_.committed_file.empty() && gtid_text.empty() && start_time_) {
    // No position anywhere but a start time: the file that holds it, then skip by commit time.
    StartFile found = find_start_file(connection_, server_id_, *start_time_);
    if (!found.error.empty()) {
      return found.retryable ? sdk::Status::retryable(FERRY_E_UPSTREAM_QUERY, "finding the start time: " + found.error)
                             : sdk::Status::error(FERRY_E_UPSTREAM_UNSUPPORTED, "finding the start time: " + found.error);
    }
    progress_.committed_file = found.file;
    progress_.committed_pos = 4;
    skip_before_time_ = *start_time_;
    host_.info("start time " + std::to_string(*start_time_) + " is in " + found.file);
  }
  if (auto error = parse_gtid_text(gtid_text, progress_.gtids, progress_.mysql_gtids)) {
    return sdk::Status::error(FERRY_E_CONFIG_INVALID_VALUE, "start GTID set: " + *error);
  }
  return connect_and_start();
}

sdk::Status MysqlBinlogSource::check_gtid_start() {
  if (flavor_ == Flavor::MySQL && !progress_.gtids.empty()) {
    return sdk::Status::error(FERRY_E_CONFIG_INVALID_VALUE, "the start GTID set " + progress_.gtids.to_string() +
                                                                " is MariaDB's (domain-server-sequence), but the upstream is MySQL");
  }
  if (flavor_ == Flavor::MariaDB && !progress_.mysql_gtids.empty()) {
    return sdk::Status::error(FERRY_E_CONFIG_INVALID_VALUE, "the start GTID set " + progress_.mysql_gtids.to_string() +
                                                                " is MySQL's (uuid:N-M), but the upstream is MariaDB");
  }
  const bool gtid_only_start = progress_.committed_file.empty() && !progress_.mysql_gtids.empty();
  if (flavor_ != Flavor::MySQL || !(enable_gtid_ || gtid_only_start) || !conn_.connected()) return sdk::Status::ok();
  // DM's check: a MySQL source with enable-gtid needs gtid_mode=ON (the server refuses a GTID
  // dump otherwise, with an error that would read like a purged binlog).
  std::vector<std::vector<std::optional<std::string>>> rows;
  if (auto e = conn_.query("SELECT @@GLOBAL.gtid_mode", rows)) {
    return sdk::Status::retryable(FERRY_E_UPSTREAM_QUERY, "reading gtid_mode: " + e->message);
  }
  const std::string mode = !rows.empty() && rows[0][0] ? *rows[0][0] : "";
  if (mode != "ON") {
    return sdk::Status::error(FERRY_E_UPSTREAM_UNSUPPORTED,
                              std::string(enable_gtid_ ? "enable-gtid" : "a GTID start (binlog-gtid without binlog-name)") +
                                  " needs gtid_mode=ON on a MySQL upstream, and it has gtid_mode=" +
                                  (mode.empty() ? "?" : mode) +
                                  ". Turn GTIDs on upstream, or set enable-gtid: false and start by binlog-name and binlog-pos");
  }
  return sdk::Status::ok();
}

sdk::Status MysqlBinlogSource::start_at_current_position() {
  std::vector<std::vector<std::optional<std::string>>> rows;
  auto status_error = conn_.query("SHOW MASTER STATUS", rows);
  if (status_error && conn_.flavor() == Flavor::MySQL) {
    status_error = conn_.query("SHOW BINARY LOG STATUS", rows);  // MySQL 8.4 has only this name
  }
  if (status_error) return sdk::Status::retryable(FERRY_E_UPSTREAM_QUERY, status_error->message);
  if (rows.empty() || !rows[0][0]) {
    return sdk::Status::error(FERRY_E_UPSTREAM_UNSUPPORTED, "the upstream has no binary log (enable log_bin, binlog_format=ROW)");
  }
  progress_.committed_file = *rows[0][0];
  progress_.committed_pos = std::stoull(rows[0][1].value_or("4"));
  if (conn_.flavor() == Flavor::MariaDB) {
    if (!conn_.query("SELECT @@gtid_binlog_pos", rows) && !rows.empty() && rows[0][0]) {
      std::string error;
      if (auto set = MariadbGtidSet::parse(*rows[0][0], error)) progress_.gtids = *set;
    }
  } else if (rows[0].size() > 4 && rows[0][4] && !rows[0][4]->empty()) {
    // Executed_Gtid_Set, read in the same statement as the position.
    std::string error;
    auto set = MysqlGtidSet::parse(*rows[0][4], error);
    if (set) {
      progress_.mysql_gtids = std::move(*set);
    } else if (enable_gtid_) {
      return sdk::Status::error(FERRY_E_UPSTREAM_UNSUPPORTED, "the upstream's Executed_Gtid_Set: " + error);
    } else {
      host_.warn("the upstream's Executed_Gtid_Set is not tracked: " + error);
    }
  }
  host_.info("starting at the upstream's current position file=" + progress_.committed_file +
             " pos=" + std::to_string(progress_.committed_pos) + " gtid=" + gtids_text());
  return sdk::Status::ok();
}

sdk::Status MysqlBinlogSource::find_gtid_position() {
  const bool mysql = conn_.flavor() == Flavor::MySQL;
  BinlogStream probe(conn_);
  StreamStart start;
  if (mysql) {
    start.mysql_gtid = progress_.mysql_gtids;
  } else {
    start.mariadb_gtid = progress_.gtids.to_string();
  }
  const std::string gtid = gtids_text();
  bool crc32 = false;
  if (auto e = probe.start(start, StreamOptions{server_id_, heartbeat_}, crc32)) return handle_stream_error(*e);
  EventDecoder decoder(crc32 ? ChecksumAlg::Crc32 : ChecksumAlg::Off);
  std::string file;
  // The server names the file (a made-up ROTATE), then sends the first transaction after the
  // set, or heartbeats at the end of the binlog: either says the position. MySQL names the
  // first file holding a transaction outside the set; its heartbeats may fall inside a
  // transaction it skips, so the file's start is taken and the source skips what the set holds.
  for (int events = 0; events < 1000; ++events) {
    std::string_view raw;
    if (auto e = probe.next(raw)) return handle_stream_error(*e);
    DecodedEvent d;
    DecodeError error;
    if (!decoder.decode(raw, d, error)) {
      conn_.close();
      return sdk::Status::error(FERRY_E_UPSTREAM_CORRUPT_EVENT, "finding GTID " + gtid + ": " + error.message);
    }
    const auto type = static_cast<EventType>(d.header.type);
    const bool made_up = (d.header.flags & kFlagArtificial) != 0 || d.header.log_pos == 0;
    if (type == EventType::Rotate) {
      file = std::string(d.rotate.file);
      if (!mysql) continue;
      progress_.committed_file = file;
      progress_.committed_pos = std::max<uint64_t>(4, d.rotate.position);
    } else if (!mysql && (type == EventType::Heartbeat || (!made_up && type != EventType::FormatDescription))) {
      progress_.committed_file = file;
      progress_.committed_pos = type == EventType::Heartbeat ? d.header.log_pos : d.header.log_pos - raw.size();
    } else {
      continue;
    }
    conn_.close();  // the probe's dump cannot be stopped otherwise
    host_.info("GTID " + gtid + (mysql ? " starts in file=" : " ends at file=") + progress_.committed_file +
               " pos=" + std::to_string(progress_.committed_pos));
    return sdk::Status::ok();
  }
  conn_.close();
  return sdk::Status::retryable(FERRY_E_UPSTREAM_QUERY, "the upstream sent no position for GTID " + gtid);
}

sdk::Status MysqlBinlogSource::start_from_relay() {
  if (!relay_) {
    std::string error;
    relay_ = RelayLog::open(*relay_options_, host_, error);
    if (!relay_) return sdk::Status::error(FERRY_E_UPSTREAM_RELAY_LOG, error);
  }
  // The upstream is needed only to find a start position or to learn what it is; a relay that
  // holds the start serves it even while the upstream is away.
  const std::string known_flavor = relay_->flavor();
  const bool need_upstream = progress_.committed_file.empty() || known_flavor.empty() || !relay_->holds(progress_.committed_file);
  if (need_upstream) {
    if (auto e = conn_.connect(connection_)) return sdk::Status::retryable(FERRY_E_UPSTREAM_CONNECT, e->message);
    flavor_ = conn_.flavor();
    if (auto s = check_gtid_start(); !s.is_ok()) {
      conn_.close();
      return s;
    }
    if (progress_.committed_file.empty()) {
      auto s = gtids_empty() ? start_at_current_position() : find_gtid_position();
      if (!s.is_ok()) return s;
    }
    conn_.close();
  } else {
    flavor_ = known_flavor == "mysql" ? Flavor::MySQL : Flavor::MariaDB;
    if (auto s = check_gtid_start(); !s.is_ok()) return s;  // the flavors (gtid_mode needs the upstream)
  }
  if (auto e = relay_->start(progress_.committed_file)) return sdk::Status::error(FERRY_E_UPSTREAM_RELAY_LOG, *e);
  feed_ = relay_->reader(progress_.committed_file, progress_.committed_pos);
  decoder_ = std::make_unique<EventDecoder>(ChecksumAlg::Off);  // the files' FORMAT_DESCRIPTIONs say
  decoder_->accept_transaction_payloads();
  progress_.file = progress_.committed_file;
  gtid_text_ = gtids_text();
  batch_strings_valid_ = false;
  host_.info("reading the relay log file=" + progress_.committed_file + " pos=" + std::to_string(progress_.committed_pos));
  return sdk::Status::ok();
}

sdk::Status MysqlBinlogSource::connect_and_start() {
  if (relay_options_) return start_from_relay();
  if (auto e = conn_.connect(connection_)) return sdk::Status::retryable(FERRY_E_UPSTREAM_CONNECT, e->message);
  flavor_ = conn_.flavor();
  if (auto s = check_gtid_start(); !s.is_ok()) {
    conn_.close();
    return s;
  }
  // By GTID when resuming by GTID, or when a GTID set is all there is to start from.
  auto by_gtid = [&] { return !gtids_empty() && (enable_gtid_ || progress_.committed_file.empty()); };
  if (progress_.committed_file.empty() && !by_gtid()) {
    // No position anywhere: start from the upstream's current one, as DM does.
    if (auto s = start_at_current_position(); !s.is_ok()) return s;
  }
  StreamStart start;
  if (by_gtid() && flavor_ == Flavor::MySQL) {
    start.mysql_gtid = progress_.mysql_gtids;  // no file: the server finds it, as for a MySQL replica
  } else {
    start.binlog_file = progress_.committed_file;
    start.binlog_pos = progress_.committed_pos;
    if (by_gtid()) start.mariadb_gtid = progress_.gtids.to_string();
  }
  auto stream = std::make_unique<BinlogStream>(conn_);
  bool crc32 = false;
  if (auto e = stream->start(start, StreamOptions{server_id_, heartbeat_}, crc32)) {
    return handle_stream_error(*e);
  }
  feed_ = std::move(stream);
  decoder_ = std::make_unique<EventDecoder>(crc32 ? ChecksumAlg::Crc32 : ChecksumAlg::Off);
  decoder_->accept_transaction_payloads();
  progress_.file = progress_.committed_file;
  gtid_text_ = gtids_text();
  batch_strings_valid_ = false;
  const bool gtid_start = start.mysql_gtid.has_value() || !start.mariadb_gtid.empty();
  host_.info("streaming from " + conn_.server_version() + " file=" + start.binlog_file + " pos=" +
             std::to_string(start.binlog_pos) + (gtid_start ? " gtid=" + gtid_text_ : "") +
             " server_id=" + std::to_string(server_id_));
  return sdk::Status::ok();
}

sdk::Status MysqlBinlogSource::handle_stream_error(const UpstreamError& e) {
  if (e.code == kRelayCorruptEvent || e.code == kRelayUnusable) {
    conn_.close();
    feed_.reset();
    return sdk::Status::error(e.code == kRelayCorruptEvent ? FERRY_E_UPSTREAM_CORRUPT_EVENT : FERRY_E_UPSTREAM_RELAY_LOG,
                              "relay log: " + e.message);
  }
  if (e.code == kErrBinlogUnavailable) {
    conn_.close();
    feed_.reset();
    return sdk::Status::error(
        FERRY_E_UPSTREAM_BINLOG_PURGED,
        "the upstream cannot send its binlog from " + progress_.committed_file + ":" +
            std::to_string(progress_.committed_pos) +
            (gtids_empty() ? "" : " (GTID " + gtids_text() + ")") + ": " + e.message +
            (relay_ ? ". The relay log does not hold it either. Way out: start a new task in mode 'all' to take a fresh snapshot"
                    : ". Ways out: keep a relay log (enable-relay) so ferry has its own copy, or start a new task in mode "
                      "'all' to take a fresh snapshot"));
  }
  // Anything else on the stream: reconnect from the last complete transaction, skipping what
  // was already emitted of the interrupted one.
  conn_.close();
  feed_.reset();
  payload_events_.clear();  // the transaction is read again, payload and all
  payload_next_ = 0;
  replay_skip_ = progress_.txn_events_emitted;
  progress_.txn_events_emitted = 0;
  progress_.in_transaction = false;
  pending_mysql_gtid_.reset();  // the transaction is read again from its GTID event
  skip_executed_txn_ = false;
  has_pending_ = false;
  ++reconnects_;
  host_.counter_add("upstream_reconnects_total", 1);
  return sdk::Status::retryable(FERRY_E_UPSTREAM_CONNECT, "binlog stream interrupted (" + e.message +
                                                               "); resuming from " + progress_.committed_file + ":" +
                                                               std::to_string(progress_.committed_pos));
}

void MysqlBinlogSource::position(sdk::BatchWriter& out, ferry_event& e) {
  // The file name and GTID set change once per transaction at most: copy them into this poll's
  // batch once and let every event point at the copy.
  if (!batch_strings_valid_) {
    batch_file_ = out.copy(progress_.file);
    batch_gtid_ = out.copy(gtid_text_);
    batch_strings_valid_ = true;
  }
  e.pos.binlog_file = batch_file_;
  e.pos.binlog_pos = pending_.header.log_pos;
  e.pos.gtid_set = batch_gtid_;
  e.pos.gtid_flavor = flavor_ == Flavor::MariaDB ? FERRY_GTID_MARIADB : FERRY_GTID_MYSQL;
  e.pos.timestamp_us = static_cast<int64_t>(pending_.header.timestamp) * 1'000'000;
  if (safe_until_) mark_safe(out, e, progress_.file, pending_.header.log_pos);
}

bool MysqlBinlogSource::in_safe_window(const std::string& file, uint64_t pos) {
  if (!safe_until_) return false;
  // Binlog order: the file's numeric suffix, then the offset.
  auto number = [](const std::string& f) {
    const auto dot = f.rfind('.');
    return dot == std::string::npos ? 0ull : std::strtoull(f.c_str() + dot + 1, nullptr, 10);
  };
  const auto a = number(file), b = number(safe_until_->file);
  if (a < b || (a == b && pos <= safe_until_->pos)) return true;
  host_.info("left the dump's safe-mode window at " + file + ":" + std::to_string(pos));
  safe_until_.reset();
  return false;
}

void MysqlBinlogSource::mark_safe(sdk::BatchWriter& out, ferry_event& e, const std::string& file, uint64_t pos) {
  if (!in_safe_window(file, pos)) return;
  if (e.kind == FERRY_EVENT_ROW) e.flags |= FERRY_EVENT_SAFE;
  if (e.kind == FERRY_EVENT_TXN_BEGIN || e.kind == FERRY_EVENT_CHECKPOINT) e.pos.token = out.copy(safe_note_);
}

void MysqlBinlogSource::append_checkpoint(sdk::BatchWriter& out) {
  ferry_event& cp = out.append(FERRY_EVENT_CHECKPOINT);
  cp.pos.binlog_file = out.copy(progress_.committed_file);
  cp.pos.binlog_pos = progress_.committed_pos;
  cp.pos.gtid_set = out.copy(gtid_text_);
  cp.pos.gtid_flavor = flavor_ == Flavor::MariaDB ? FERRY_GTID_MARIADB : FERRY_GTID_MYSQL;
  cp.pos.timestamp_us = static_cast<int64_t>(pending_.header.timestamp) * 1'000'000;
  if (safe_until_) mark_safe(out, cp, progress_.committed_file, progress_.committed_pos);
  checkpoint_due_ = false;
  last_checkpoint_ = std::chrono::steady_clock::now();
}

void MysqlBinlogSource::complete_transaction(uint64_t end_pos) {
  progress_.in_transaction = false;
  progress_.committed_file = progress_.file;
  progress_.committed_pos = end_pos;
  if (pending_gtid_.has_value()) {
    progress_.gtids.update(pending_gtid_->domain, pending_gtid_->server_id, pending_gtid_->sequence);
    pending_gtid_.reset();
    gtid_text_ = progress_.gtids.to_string();
  }
  if (pending_mysql_gtid_.has_value()) {
    progress_.mysql_gtids.add(pending_mysql_gtid_->first, pending_mysql_gtid_->second);
    pending_mysql_gtid_.reset();
    gtid_text_ = progress_.mysql_gtids.to_string();
  }
  skip_executed_txn_ = false;
  batch_strings_valid_ = false;
  progress_.txn_events_emitted = 0;
  replay_skip_ = 0;
  checkpoint_due_ = true;
}

sdk::Status MysqlBinlogSource::decode_failed(const DecodeError& error, uint64_t log_pos, size_t event_size) {
  const std::string where = progress_.file + ":" + std::to_string(log_pos >= event_size ? log_pos - event_size : 0);
  conn_.close();
  feed_.reset();
  payload_events_.clear();
  return sdk::Status::error(error.corrupt ? FERRY_E_UPSTREAM_CORRUPT_EVENT : FERRY_E_UPSTREAM_UNSUPPORTED,
                            "binlog event at " + where + ": " + error.message);
}

void MysqlBinlogSource::ack(const ferry_position& pos) {
  if (relay_ && pos.binlog_file.len > 0) relay_->acknowledge(std::string(sdk::view(pos.binlog_file)));
}

// How long the next read may wait for an event. A blocking read would keep what the batch holds,
// and a due checkpoint, until the next event or heartbeat (a second or more when the upstream is
// quiet): the last transaction of a burst would reach the sink that late. So a batch holding
// events goes out once the upstream has said nothing for kQuietAfter, and a checkpoint due at a
// transaction boundary at its interval; else the read waits for the next event or heartbeat.
EventFeed::Clock::time_point MysqlBinlogSource::quiet_give_up(const sdk::BatchWriter& out,
                                                              EventFeed::Clock::time_point deadline) const {
  constexpr auto kQuietAfter = std::chrono::milliseconds(2);
  auto give_up = EventFeed::Clock::time_point::max();
  if (out.count() > 0) give_up = std::min(deadline, EventFeed::Clock::now() + kQuietAfter);
  if (checkpoint_due_ && !progress_.in_transaction) give_up = std::min(give_up, last_checkpoint_ + checkpoint_interval_);
  return give_up;
}

sdk::Status MysqlBinlogSource::poll(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) {
  if (stopping) {
    if (checkpoint_due_ && !progress_.in_transaction && out.room() > 0) append_checkpoint(out);
    return sdk::Status::ok();
  }
  batch_strings_valid_ = false;  // a new batch: earlier copies live in another arena
  if (!feed_) {
    if (auto s = connect_and_start(); !s.is_ok()) return s;
  }
  if (announce_safe_until_ && !progress_.in_transaction && out.room() > 0) {
    append_checkpoint(out);
    announce_safe_until_ = false;
  }
  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  while (out.room() > kReserve) {
    if (has_pending_) {
      bool full = false;
      if (auto s = emit(out, full); !s.is_ok()) return s;
      if (full) break;
      has_pending_ = false;
      // A backlog fills batches that end mid-transaction: checkpoint at the transaction
      // boundary itself when one is due, or the checkpoint would stand still while catching up.
      if (checkpoint_due_ && !progress_.in_transaction &&
          std::chrono::steady_clock::now() - last_checkpoint_ >= checkpoint_interval_) {
        append_checkpoint(out);
      }
      continue;
    }
    if (payload_next_ < payload_events_.size()) {
      // The next event of a MySQL compressed transaction: positioned at the payload event itself.
      DecodeError error;
      if (!decoder_->decode_inner(payload_events_[payload_next_], pending_, error)) return decode_failed(error, payload_end_, payload_size_);
      ++payload_next_;
      pending_.header.log_pos = payload_end_;
      has_pending_ = true;
      continue;
    }
    if (out.count() > 0 && std::chrono::steady_clock::now() >= deadline) break;
    std::string_view raw;
    if (auto e = feed_->next_until(raw, quiet_give_up(out, deadline))) return handle_stream_error(*e);
    if (raw.empty()) break;  // the upstream is quiet: hand over what the batch holds, or the checkpoint
    pending_raw_.assign(raw.data(), raw.size());
    DecodeError error;
    if (!decoder_->decode(pending_raw_, pending_, error)) return decode_failed(error, pending_.header.log_pos, raw.size());
    if (pending_.header.type == static_cast<uint8_t>(EventType::TransactionPayload)) {
      payload_events_.clear();
      payload_next_ = 0;
      if (!decoder_->unpack(pending_, payload_events_, error)) return decode_failed(error, pending_.header.log_pos, raw.size());
      payload_end_ = pending_.header.log_pos;
      payload_size_ = raw.size();
      continue;
    }
    has_pending_ = true;
  }
  if (checkpoint_due_ && !progress_.in_transaction && out.room() > 0 &&
      std::chrono::steady_clock::now() - last_checkpoint_ >= checkpoint_interval_) {
    append_checkpoint(out);
  }
  return sdk::Status::ok();
}

sdk::Status MysqlBinlogSource::emit(sdk::BatchWriter& out, bool& batch_full) {
  const DecodedEvent& e = pending_;
  // An event of the transaction interrupted by a reconnect that was already handed out.
  auto emit_or_skip = [&](ferry_event_kind kind) -> ferry_event* {
    // Before the start time, or executed already: nothing counts as emitted.
    if (skip_before_time_ > 0 || skip_executed_txn_) return nullptr;
    ++progress_.txn_events_emitted;
    if (replay_skip_ > 0) {
      --replay_skip_;
      return nullptr;
    }
    ferry_event* ev = &out.append(kind);
    position(out, *ev);
    return ev;
  };
  switch (static_cast<EventType>(e.header.type)) {
    case EventType::Rotate:
      progress_.file = std::string(e.rotate.file);
      batch_strings_valid_ = false;
      if (!progress_.in_transaction) {
        progress_.committed_file = progress_.file;
        progress_.committed_pos = e.rotate.position;
      }
      return sdk::Status::ok();
    case EventType::MariadbGtid: {
      transaction_starts(e.header.timestamp);
      pending_gtid_ = GtidTriple{e.mariadb_gtid.domain, e.mariadb_gtid.server_id, e.mariadb_gtid.sequence};
      progress_.txn_gtid = std::to_string(e.mariadb_gtid.domain) + "-" + std::to_string(e.mariadb_gtid.server_id) + "-" +
                           std::to_string(e.mariadb_gtid.sequence);
      progress_.in_transaction = true;
      standalone_ = e.mariadb_gtid.standalone();
      if (!standalone_) {
        if (ferry_event* b = emit_or_skip(FERRY_EVENT_TXN_BEGIN)) b->u.txn.gtid = out.copy(progress_.txn_gtid);
      }
      return sdk::Status::ok();
    }
    case EventType::MysqlGtid:
    case EventType::AnonymousGtid:
      transaction_starts(e.header.timestamp);
      progress_.txn_gtid = e.mysql_gtid.anonymous ? "" : e.mysql_gtid.uuid + ":" + std::to_string(e.mysql_gtid.gno);
      progress_.in_transaction = true;
      standalone_ = true;  // until a BEGIN says otherwise
      pending_mysql_gtid_.reset();  // an ANONYMOUS_GTID transaction adds nothing to the set
      skip_executed_txn_ = false;
      if (!e.mysql_gtid.anonymous) {
        if (auto uuid = MysqlGtidSet::parse_uuid(e.mysql_gtid.uuid)) {
          pending_mysql_gtid_.emplace(*uuid, e.mysql_gtid.gno);
          skip_executed_txn_ = progress_.mysql_gtids.contains(*uuid, e.mysql_gtid.gno);
        }
      }
      return sdk::Status::ok();
    case EventType::Query:
    case EventType::QueryCompressed: {
      const std::string_view stmt = e.query.statement;
      if (starts_with_word(stmt, "BEGIN")) {
        transaction_starts(e.header.timestamp);
        if (!progress_.in_transaction || standalone_) {
          progress_.in_transaction = true;
          standalone_ = false;
          if (ferry_event* b = emit_or_skip(FERRY_EVENT_TXN_BEGIN)) b->u.txn.gtid = out.copy(progress_.txn_gtid);
        }
        return sdk::Status::ok();
      }
      if (starts_with_word(stmt, "COMMIT") || (starts_with_word(stmt, "ROLLBACK") && !standalone_)) {
        ferry_event* c = emit_or_skip(FERRY_EVENT_TXN_COMMIT);
        complete_transaction(e.header.log_pos);
        if (c != nullptr) c->pos.gtid_set = out.copy(gtid_text_);
        return sdk::Status::ok();
      }
      if (progress_.in_transaction && !standalone_) {
        if (starts_with_word(stmt, "SAVEPOINT") || starts_with_word(stmt, "ROLLBACK")) return sdk::Status::ok();
        return sdk::Status::error(FERRY_E_UPSTREAM_UNSUPPORTED,
                                  "statement-based change inside a transaction at " + progress_.file + ":" +
                                      std::to_string(e.header.log_pos) + " (" + std::string(stmt.substr(0, 80)) +
                                      "); ferry needs binlog_format=ROW");
      }
      // Forget the cached columns of what the DDL touched (everything when it is not understood).
      decoder_->forget_table_maps();
      const DdlTarget target = parse_ddl_target(stmt, e.query.schema);
      switch (target.kind) {
        case DdlTarget::Kind::Table:
          for (const auto& t : target.tables) catalog_->invalidate(t.schema, t.table);
          break;
        case DdlTarget::Kind::Database:
          catalog_->invalidate_schema(target.database);
          break;
        default:
          catalog_->invalidate();
          break;
      }
      ferry_event* d = emit_or_skip(FERRY_EVENT_DDL);
      if (d != nullptr) {
        d->u.ddl.statement = out.copy(stmt);
        d->u.ddl.default_schema = out.copy(e.query.schema);
        if (target.kind == DdlTarget::Kind::Table) {
          d->u.ddl.schema = out.copy(target.tables.front().schema);
          d->u.ddl.table = out.copy(target.tables.front().table);
        } else if (target.kind == DdlTarget::Kind::Database) {
          d->u.ddl.schema = out.copy(target.database);
        } else {
          d->u.ddl.schema = out.copy(e.query.schema);
        }
      }
      complete_transaction(e.header.log_pos);
      if (d != nullptr) d->pos.gtid_set = out.copy(gtid_text_);
      return sdk::Status::ok();
    }
    case EventType::Xid: {
      // The commit carries the GTID set that includes its own transaction: a sink that records
      // it with the transaction resumes after it.
      ferry_event* c = emit_or_skip(FERRY_EVENT_TXN_COMMIT);
      complete_transaction(e.header.log_pos);
      if (c != nullptr) {
        c->u.txn.xid = e.xid;
        c->pos.gtid_set = out.copy(gtid_text_);
      }
      return sdk::Status::ok();
    }
    case EventType::TableMap: {
      // Without binlog_row_metadata the map lacks names, signedness and charsets, which the rows
      // that follow need to decode exactly; and no binlog logs unique keys, which a sink needs to
      // address rows of tables without a primary key.
      TableMap* map = decoder_->mutable_table(e.table_map->table_id);
      // keys_known: a map the decoder kept from an earlier TABLE_MAP (same bytes, no DDL since),
      // completed then.
      if (map != nullptr && !map->keys_known) {
        bool retryable = false;
        if (auto why = catalog_->complete(*map, retryable)) {
          if (retryable) {
            handle_stream_error(UpstreamError{0, *why});  // resume from the transaction's start
            return sdk::Status::retryable(FERRY_E_UPSTREAM_QUERY, *why);
          }
          return sdk::Status::error(FERRY_E_UPSTREAM_UNSUPPORTED, *why);
        }
      }
      return sdk::Status::ok();
    }
    case EventType::GtidList:
      // The GTID state at the start of a file: where a start-time start (which begins at a file's
      // start) takes its executed set from.
      if (progress_.gtids.empty() && !progress_.in_transaction) {
        for (const auto& g : e.gtid_list) progress_.gtids.update(g.domain, g.server_id, g.sequence);
        gtid_text_ = progress_.gtids.to_string();
        batch_strings_valid_ = false;
      }
      return sdk::Status::ok();
    case EventType::PreviousGtids:
      // MySQL: what was executed before this file, at the start of each file. Reading from a
      // file's start, all of it counts as executed: a start-time start takes its set from here,
      // and a set read together with a position can only have missed some of it.
      if (!progress_.in_transaction && !e.previous_gtids.empty()) {
        MysqlGtidSet before;
        for (const auto& sid : e.previous_gtids) {
          const auto uuid = MysqlGtidSet::parse_uuid(sid.uuid);
          if (!uuid) continue;
          for (const auto& [start, end] : sid.intervals) before.add_interval(*uuid, start, end);
        }
        progress_.mysql_gtids.add(before);
        gtid_text_ = progress_.mysql_gtids.to_string();
        batch_strings_valid_ = false;
      }
      return sdk::Status::ok();
    case EventType::Heartbeat:
      if (!progress_.in_transaction && !suppressing()) {
        ferry_event& h = out.append(FERRY_EVENT_HEARTBEAT);
        position(out, h);
      }
      return sdk::Status::ok();
    default:
      break;
  }
  if (rows_event_info(e.header.type).kind != RowsKind::None) return emit_rows(out, batch_full);
  return sdk::Status::ok();  // FORMAT_DESCRIPTION, TABLE_MAP, GTID_LIST, annotations: nothing to emit
}

sdk::Status MysqlBinlogSource::emit_rows(sdk::BatchWriter& out, bool& batch_full) {
  DecodedEvent& e = pending_;
  const ferry_table_schema& table = schemas_.schema_for(*e.table_map);
  const uint32_t n = table.column_count;
  const RowsKind kind = e.rows.kind;
  BatchArena arena(out);
  DecodeError error;
  while (true) {
    if (out.room() <= kReserve) {
      batch_full = true;  // the rest of this event goes out with the next poll
      return sdk::Status::ok();
    }
    ferry_value* before = out.values(n);
    ferry_value* after = out.values(n);
    uint8_t* before_present = out.bitmap(n);
    uint8_t* after_present = out.bitmap(n);
    if (!decoder_->next_row(e, arena, before, before_present, after, after_present, error)) {
      if (!error.message.empty()) {
        return sdk::Status::error(error.corrupt ? FERRY_E_UPSTREAM_CORRUPT_EVENT : FERRY_E_UPSTREAM_UNSUPPORTED,
                                  "rows event at " + progress_.file + ":" + std::to_string(e.header.log_pos) + ": " +
                                      error.message);
      }
      return sdk::Status::ok();  // every row emitted
    }
    ferry_event* ev = nullptr;
    if (skip_before_time_ > 0 || skip_executed_txn_) continue;  // before the start time, or executed already
    ++progress_.txn_events_emitted;
    if (replay_skip_ > 0) {
      --replay_skip_;
      continue;
    }
    ev = &out.append(FERRY_EVENT_ROW);
    position(out, *ev);
    ev->u.row.table = &table;
    ev->u.row.target_schema = table.schema;
    ev->u.row.target_table = table.table;
    ev->u.row.op = kind == RowsKind::Write ? FERRY_ROW_INSERT : kind == RowsKind::Update ? FERRY_ROW_UPDATE : FERRY_ROW_DELETE;
    if (kind != RowsKind::Write) {
      ev->u.row.before = before;
      ev->u.row.before_present = all_set(before_present, n) ? nullptr : before_present;
    }
    if (kind != RowsKind::Delete) {
      ev->u.row.after = after;
      ev->u.row.after_present = all_set(after_present, n) ? nullptr : after_present;
    }
  }
}

}  // namespace ferry::mysql
