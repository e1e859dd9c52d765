// RelayReader: the source's events, read from the relay log instead of the network. It hands
// out what a replication connection would from the same position: a ROTATE naming the file
// (made up, as a server's is), the file's FORMAT_DESCRIPTION, then the events from the position
// on, following the relay from file to file and waiting at its end for the writer. While the
// relay is idle it makes up a HEARTBEAT every period, as the upstream would.
#pragma once

#include "binlog/event_decoder.hpp"
#include "client/event_feed.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

namespace ferry::mysql {

class RelayLog;

class RelayReader final : public EventFeed {
 public:
  RelayReader(const RelayLog& log, std::string file, uint64_t pos, std::chrono::milliseconds heartbeat);
  ~RelayReader() override;
  RelayReader(const RelayReader&) = delete;
  RelayReader& operator=(const RelayReader&) = delete;

  std::optional<UpstreamError> next_until(std::string_view& event, Clock::time_point give_up) override;

 private:
  std::optional<UpstreamError> open_file();
  // Reads `size` bytes at `offset` of the current file into `into`.
  std::optional<UpstreamError> read_at(uint64_t offset, size_t size, std::string& into);
  // A made-up event of `type` whose header says it ends at `log_pos`; checksummed like the file.
  std::string made_up(uint8_t type, uint32_t log_pos, std::string_view body) const;
  std::optional<UpstreamError> start_file(uint64_t end);
  // The next whole event from what was read ahead, if it is there.
  bool buffered(std::string_view& event);

  const RelayLog& log_;
  std::string file_;
  uint64_t pos_;  // where to start in the first file
  std::chrono::milliseconds heartbeat_;
  int fd_ = -1;
  uint64_t offset_ = 0;
  bool started_ = false;       // the first file's FORMAT_DESCRIPTION has been read
  bool last_was_rotate_ = false;
  ChecksumAlg checksum_ = ChecksumAlg::Off;
  EventDecoder formats_;       // decodes the files' FORMAT_DESCRIPTIONs only
  std::deque<std::string> queued_;
  std::string event_;           // a made-up or queued event being handed out
  std::string buffer_;          // read ahead: bytes of the file from buffer_offset_
  uint64_t buffer_offset_ = 0;
  std::chrono::steady_clock::time_point last_event_;
};

}  // namespace ferry::mysql
