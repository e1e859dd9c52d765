// RelayLog: ferry's own copy of the upstream's binlog (DM's relay log, `enable-relay`). A writer
// thread pulls the binlog from the upstream into a RelayDirectory as fast as the upstream sends
// it, whatever the pipeline downstream is doing, and the source reads its events from those
// files (RelayReader). So a slow or stopped sink never holds the upstream's binlog hostage: what
// the relay has copied stays readable after the upstream purged it.
//
// Positions in the relay are the upstream's (same file names, same offsets), so checkpoints
// mean the same thing with and without a relay, and a task can switch either way.
//
// Threads: the writer thread writes; the source's thread reads and acknowledges. The state they
// share (how far each file is written, a failure) sits behind one mutex.
#pragma once

#include "client/event_feed.hpp"
#include "client/upstream_connection.hpp"
#include "relay/relay_directory.hpp"
#include "relay/relay_purge.hpp"

#include <ferry/sdk/host.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ferry::mysql {

struct RelayOptions {
  std::filesystem::path dir;
  ConnectionOptions connection;
  uint32_t server_id = 0;
  std::chrono::milliseconds heartbeat{1000};
  RelayPurgePolicy purge;
  std::chrono::milliseconds purge_check_interval{60000};
  std::chrono::milliseconds max_backoff{10000};  // between reconnects of the writer
};

// How far a relay file can be read, as the reader sees it.
struct RelayExtent {
  bool known = false;          // the file is in the relay
  uint64_t readable_end = 0;   // whole events up to here (the file's size once it is complete)
  bool complete = false;       // a later file exists: nothing more will be added to this one
  std::string next_file;       // when complete
  std::optional<UpstreamError> failure;  // the writer stopped for good, and why
};

class RelayLog {
 public:
  // Opens (locks, recovers) the relay directory. Null with `error` when it cannot.
  static std::unique_ptr<RelayLog> open(const RelayOptions& options, const sdk::Host& host, std::string& error);
  ~RelayLog();  // stops the writer
  RelayLog(const RelayLog&) = delete;
  RelayLog& operator=(const RelayLog&) = delete;

  // Makes sure the relay holds `file` from its start (keeping what it has when it does, starting
  // again at file:4 when it does not), then starts the writer if it is not running.
  std::optional<std::string> start(const std::string& file);
  // Whether the relay holds `file` (the reader can start there without the upstream).
  bool holds(const std::string& file) const;
  // A reader from file:pos; the file must be held.
  std::unique_ptr<EventFeed> reader(const std::string& file, uint64_t pos);
  // The task's last durable checkpoint is in `file`: files before it may be purged.
  void acknowledge(const std::string& file);
  // "mariadb" or "mysql", once the writer has connected once (kept in relay.meta).
  std::string flavor() const;

  // For the reader.
  RelayExtent extent(const std::string& file) const;
  std::filesystem::path file_path(const std::string& name) const { return dir_->file_path(name); }
  // Waits until something changes (more is written, a file or a failure is added), at most
  // `timeout`. Returns the change counter to pass next time.
  uint64_t wait_for_change(uint64_t seen, std::chrono::milliseconds timeout) const;
  uint64_t changes() const;

 private:
  friend class RelayWriter;
  RelayLog(const RelayOptions& options, const sdk::Host& host, std::unique_ptr<RelayDirectory> dir);
  void run_writer();
  void stop_writer();

  // Called by the writer thread.
  void written(const std::string& file, uint64_t end);
  void failed(const UpstreamError& e);
  bool stopping() const;
  // Sleeps up to `d` unless stopping; false when stopping.
  bool pause(std::chrono::milliseconds d) const;
  void purge_if_due(bool now);

  RelayOptions options_;
  sdk::Host host_;
  std::unique_ptr<RelayDirectory> dir_;  // the writer thread's, except for reads under mutex_

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  uint64_t change_count_ = 0;
  std::vector<std::string> files_;       // copy of the index
  std::string active_file_;              // the file being written
  uint64_t active_end_ = 0;
  std::optional<UpstreamError> failure_;
  bool stop_ = false;
  std::string acknowledged_file_;
  std::string flavor_;

  std::string writer_file_;  // where the writer resumes
  uint64_t writer_pos_ = 4;
  std::chrono::steady_clock::time_point last_purge_check_{};
  std::thread writer_;
};

}  // namespace ferry::mysql
