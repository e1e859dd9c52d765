// RelayWriter: one replication connection's worth of the relay's writing. It streams from where
// the relay ends and appends each event the upstream's file holds to the relay file of the same
// name, so offsets stay the upstream's; it skips what the sender makes up (heartbeats, the fake
// ROTATE and GTID_LIST of a new connection, the FORMAT_DESCRIPTION resent on a resume) and
// refuses an event that would leave a gap. Every event's checksum is checked before it is
// written, so the relay never holds an event the upstream did not send whole.
#pragma once

#include "binlog/event_decoder.hpp"
#include "client/upstream_connection.hpp"
#include "relay/relay_directory.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace ferry::mysql {

// Codes of the writer's own failures, beside the upstream's error numbers (which stay < 10000).
inline constexpr unsigned kRelayCorruptEvent = 100001;  // an event failed its checksum or framing
inline constexpr unsigned kRelayUnusable = 100002;      // a gap, another upstream, a disk error

// How the writer's connection ended: `fatal` when reconnecting cannot help.
struct RelayWriterEnd {
  UpstreamError error;
  bool fatal = false;
};

class RelayWriter {
 public:
  // Callbacks into the RelayLog: each whole event written, and whether to stop.
  struct Hooks {
    std::function<void(const std::string& file, uint64_t end)> written;
    std::function<bool()> stopping;
    // After each event, and with `file_closed` when a file is complete: a chance to purge.
    std::function<void(bool file_closed)> maintain;
  };

  RelayWriter(RelayDirectory& dir, std::string file, uint64_t end, Hooks hooks)
      : dir_(dir), file_(std::move(file)), end_(end), hooks_(std::move(hooks)) {}
  ~RelayWriter();

  // Streams until the connection fails or stopping() says so (then the error code is 0 and the
  // message "stopped"). `conn` is connected; `identity` is what the meta must say of it.
  RelayWriterEnd run(UpstreamConnection& conn, const std::string& identity, uint32_t server_id,
                     std::chrono::milliseconds heartbeat);

  const std::string& file() const { return file_; }
  uint64_t end() const { return end_; }

 private:
  std::optional<RelayWriterEnd> write_event(std::string_view raw);
  std::optional<RelayWriterEnd> switch_to(const std::string& name);
  // Adds a whole event to the buffer; writes the buffer when `flush_now` or when it is large.
  std::optional<RelayWriterEnd> append(std::string_view raw, bool flush_now = false);
  // Writes the buffered events and tells the reader how far the file now goes.
  std::optional<RelayWriterEnd> flush();
  void save_meta(bool force);

  RelayDirectory& dir_;
  std::string file_;  // the file being written; empty before the first
  uint64_t end_ = 0;  // its size once the buffer is written: whole events only
  std::string buffer_;  // whole events not yet written
  Hooks hooks_;
  int fd_ = -1;
  std::optional<EventDecoder> decoder_;  // one per connection
  ChecksumAlg checksum_ = ChecksumAlg::Off;
  std::string flavor_;
  std::string identity_;
  std::string last_gtid_;
  std::chrono::steady_clock::time_point last_meta_{};
};

}  // namespace ferry::mysql
