#include "relay/relay_writer.hpp"

#include "binlog/byte_reader.hpp"
#include "binlog/event_type.hpp"
#include "client/binlog_stream.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ferry::mysql {
namespace {

constexpr size_t kChecksumSize = 4;
constexpr auto kMetaInterval = std::chrono::seconds(1);
// Events are written in runs: at a transaction's end, when idle, or at this many bytes.
constexpr size_t kMaxBuffered = 1 << 20;

RelayWriterEnd fatal(unsigned code, std::string message) { return RelayWriterEnd{UpstreamError{code, std::move(message)}, true}; }

}  // namespace

RelayWriter::~RelayWriter() {
  if (fd_ >= 0) {
    save_meta(true);
    ::close(fd_);
  }
}

RelayWriterEnd RelayWriter::run(UpstreamConnection& conn, const std::string& identity, uint32_t server_id,
                                std::chrono::milliseconds heartbeat) {
  identity_ = identity;
  flavor_ = conn.flavor() == Flavor::MariaDB ? "mariadb" : "mysql";
  if (fd_ < 0 && dir_.index_of(file_)) {
    const auto path = dir_.file_path(file_);
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd_ < 0) return fatal(kRelayUnusable, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  BinlogStream stream(conn);
  StreamStart start;
  start.binlog_file = file_;
  start.binlog_pos = end_ < 4 ? 4 : end_;
  StreamOptions options{server_id, heartbeat};
  options.annotate_rows = true;  // every event of the file, or the offsets would not be the upstream's
  bool crc32 = false;
  if (auto e = stream.start(start, options, crc32)) return RelayWriterEnd{*e, e->code == 1236};
  checksum_ = crc32 ? ChecksumAlg::Crc32 : ChecksumAlg::Off;
  decoder_.emplace(checksum_);
  // Whatever ends the connection, what is buffered are whole events: they go to the file first.
  auto finish = [&](RelayWriterEnd end) {
    if (auto e = flush(); e && !end.fatal) return *e;
    return end;
  };
  // Reads give up after a while, so that a stop request is seen even while the upstream is quiet
  // (a blocking read would hold it until the next heartbeat).
  constexpr auto kStopCheck = std::chrono::milliseconds(100);
  while (!hooks_.stopping()) {
    std::string_view raw;
    if (auto e = stream.next_until(raw, EventFeed::Clock::now() + kStopCheck)) return finish(RelayWriterEnd{*e, e->code == 1236});
    if (raw.empty()) continue;
    if (auto end = write_event(raw)) return finish(*end);
    if (buffer_.empty()) {  // just written (a transaction's end, or idle): the moment for the rest
      save_meta(false);
      hooks_.maintain(false);
    }
  }
  return finish(RelayWriterEnd{UpstreamError{0, "stopped"}, false});
}

std::optional<RelayWriterEnd> RelayWriter::write_event(std::string_view raw) {
  if (raw.size() < kEventHeaderSize || le32_at(raw, 9) != raw.size()) {
    return fatal(kRelayCorruptEvent, "the upstream sent an event whose size does not match its header after " + file_ +
                                         ":" + std::to_string(end_));
  }
  const auto type = static_cast<EventType>(static_cast<uint8_t>(raw[4]));
  const uint32_t log_pos = le32_at(raw, 13);
  const uint16_t flags = static_cast<uint16_t>(static_cast<uint8_t>(raw[17]) | (static_cast<uint8_t>(raw[18]) << 8));
  const bool made_up = (flags & kFlagArtificial) != 0 || log_pos == 0;
  if (type == EventType::Heartbeat || type == EventType::HeartbeatV2) return flush();  // idle: nothing waits

  if (type == EventType::Rotate || type == EventType::FormatDescription) {
    DecodedEvent d;
    DecodeError error;
    if (!decoder_->decode(raw, d, error)) {
      return fatal(kRelayCorruptEvent, std::string(event_type_name(static_cast<uint8_t>(type))) + " after " + file_ + ":" +
                                           std::to_string(end_) + ": " + error.message);
    }
    if (type == EventType::FormatDescription) {
      // The sender repeats the file's FORMAT_DESCRIPTION when a replica resumes inside a file.
      return end_ == 4 ? append(raw, true) : std::nullopt;
    }
    const std::string next(d.rotate.file);
    if (!made_up) {
      // The real ROTATE that closes a file: it is part of the file, and the next file begins.
      if (auto e = append(raw, true)) return e;
      return switch_to(next);
    }
    if (next == file_ && fd_ >= 0) return std::nullopt;  // a new connection names the file we resume
    if (dir_.index_of(next)) {
      return fatal(kRelayUnusable, "the upstream sent " + next + " after the relay's " + file_ + ":" +
                                       std::to_string(end_) + "; the relay would not be one run of files");
    }
    return switch_to(next);
  }
  if (made_up) return std::nullopt;  // e.g. the GTID_LIST a MariaDB sender makes up on connect
  if (fd_ < 0) return fatal(kRelayUnusable, "the upstream sent an event before naming its binlog file");

  const ChecksumAlg alg = decoder_->format() ? decoder_->format()->checksum : checksum_;
  if (alg == ChecksumAlg::Crc32) {
    if (raw.size() < kEventHeaderSize + kChecksumSize ||
        binlog_crc32(raw.substr(0, raw.size() - kChecksumSize)) != le32_at(raw, raw.size() - kChecksumSize)) {
      return fatal(kRelayCorruptEvent, std::string(event_type_name(static_cast<uint8_t>(type))) + " event at " + file_ +
                                           ":" + std::to_string(log_pos - raw.size()) + " fails its CRC32 checksum");
    }
  }
  if (log_pos < raw.size() || log_pos - raw.size() != end_) {
    return fatal(kRelayUnusable, "the upstream sent an event at " + file_ + ":" +
                                     std::to_string(log_pos < raw.size() ? 0 : log_pos - raw.size()) +
                                     " but the relay file ends at " + std::to_string(end_) + " (a gap)");
  }
  if (type == EventType::MariadbGtid || type == EventType::MysqlGtid) {
    DecodedEvent d;
    DecodeError error;
    if (decoder_->decode(raw, d, error)) {
      last_gtid_ = type == EventType::MariadbGtid
                       ? std::to_string(d.mariadb_gtid.domain) + "-" + std::to_string(d.mariadb_gtid.server_id) + "-" +
                             std::to_string(d.mariadb_gtid.sequence)
                       : d.mysql_gtid.uuid + ":" + std::to_string(d.mysql_gtid.gno);
    }
  }
  // A transaction's end (XID, or a QUERY: COMMIT or a DDL) is worth a write: the reader can use it.
  return append(raw, type == EventType::Xid || type == EventType::Query || type == EventType::QueryCompressed);
}

std::optional<RelayWriterEnd> RelayWriter::append(std::string_view raw, bool flush_now) {
  buffer_.append(raw);
  end_ += raw.size();
  if (flush_now || buffer_.size() >= kMaxBuffered) return flush();
  return std::nullopt;
}

std::optional<RelayWriterEnd> RelayWriter::flush() {
  if (buffer_.empty()) return std::nullopt;
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      // Take back a partial write, so the file still ends with a whole event.
      const uint64_t written = end_ - buffer_.size();
      if (::ftruncate(fd_, static_cast<off_t>(written)) != 0) {
      }
      end_ = written;
      buffer_.clear();
      return fatal(kRelayUnusable, "cannot write " + dir_.file_path(file_).string() + ": " + why);
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  hooks_.written(file_, end_);
  return std::nullopt;
}

std::optional<RelayWriterEnd> RelayWriter::switch_to(const std::string& name) {
  if (auto e = flush()) return e;
  if (fd_ >= 0) {
    save_meta(true);
    ::close(fd_);
    fd_ = -1;
  }
  if (auto e = dir_.add_file(name)) return fatal(kRelayUnusable, *e);
  const auto path = dir_.file_path(name);
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) return fatal(kRelayUnusable, "cannot open " + path.string() + ": " + std::strerror(errno));
  file_ = name;
  end_ = 4;
  hooks_.written(file_, end_);
  hooks_.maintain(true);
  return std::nullopt;
}

void RelayWriter::save_meta(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_meta_ < kMetaInterval) return;
  last_meta_ = now;
  if (flush()) return;  // the next write reports it
  const RelayMeta meta{flavor_, identity_, file_, end_, last_gtid_};
  const RelayMeta& saved = dir_.meta();
  if (saved.binlog_name == meta.binlog_name && saved.binlog_pos == meta.binlog_pos && saved.upstream == meta.upstream &&
      saved.flavor == meta.flavor) {
    return;  // idle: nothing to say again
  }
  if (fd_ >= 0) ::fdatasync(fd_);  // what the meta says is written is on disk
  // The files are the truth (a restart measures them); the meta says how far, for people and DM habits.
  (void)dir_.write_meta(meta);
}

}  // namespace ferry::mysql
