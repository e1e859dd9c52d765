#include "relay/relay_log.hpp"

#include "binlog/binlog_file.hpp"
#include "binlog/event_type.hpp"
#include "relay/relay_reader.hpp"
#include "relay/relay_writer.hpp"

#include <algorithm>
#include <sys/stat.h>

#include <cstdlib>

namespace ferry::mysql {
namespace {

// The file a binlog file's closing ROTATE names, if it ends with one.
std::optional<std::string> closing_rotate_target(const std::filesystem::path& path) {
  BinlogFile file(path.string());
  if (!file.ok()) return std::nullopt;
  EventDecoder decoder;
  std::string_view event, last;
  uint64_t at = 0;
  bool first = true;
  while (file.next(event, at)) {
    if (first) {
      DecodedEvent d;
      DecodeError error;
      if (!decoder.decode(event, d, error)) return std::nullopt;  // the FORMAT_DESCRIPTION
      first = false;
    }
    last = event;
  }
  if (last.size() < kEventHeaderSize || static_cast<uint8_t>(last[4]) != static_cast<uint8_t>(EventType::Rotate)) {
    return std::nullopt;
  }
  DecodedEvent d;
  DecodeError error;
  if (!decoder.decode(last, d, error) || (d.header.flags & kFlagArtificial)) return std::nullopt;
  return std::string(d.rotate.file);
}

}  // namespace

std::unique_ptr<RelayLog> RelayLog::open(const RelayOptions& options, const sdk::Host& host, std::string& error) {
  auto dir = RelayDirectory::open(options.dir, error);
  if (!dir) return nullptr;
  uint64_t end = 0, cut = 0;
  if (auto e = dir->recover(end, cut)) {
    error = *e;
    return nullptr;
  }
  if (cut > 0) {
    host.warn("relay file=" + dir->files().back() + " cut " + std::to_string(cut) +
              " bytes of a partial event at its end (left by a crash); it is fetched again");
  }
  if (!dir->files().empty() && end > 4) {
    // A crash between a file's closing ROTATE and the next file's creation: create it now, or
    // the writer would resume at the end of a finished file.
    if (auto next = closing_rotate_target(dir->file_path(dir->files().back()))) {
      if (auto e = dir->add_file(*next)) {
        error = *e;
        return nullptr;
      }
      host.warn("relay file=" + *next + " created on opening: the file before it was complete");
      end = 4;
    }
  }
  std::unique_ptr<RelayLog> log(new RelayLog(options, host, std::move(dir)));
  log->files_ = log->dir_->files();
  if (!log->files_.empty()) {
    log->active_file_ = log->files_.back();
    log->active_end_ = end;
    log->writer_file_ = log->active_file_;
    log->writer_pos_ = end;
  }
  log->flavor_ = log->dir_->meta().flavor;
  return log;
}

RelayLog::RelayLog(const RelayOptions& options, const sdk::Host& host, std::unique_ptr<RelayDirectory> dir)
    : options_(options), host_(host), dir_(std::move(dir)) {}

RelayLog::~RelayLog() { stop_writer(); }

void RelayLog::stop_writer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (writer_.joinable()) writer_.join();
}

bool RelayLog::holds(const std::string& file) const {
  std::lock_guard lock(mutex_);
  return std::find(files_.begin(), files_.end(), file) != files_.end();
}

std::optional<std::string> RelayLog::start(const std::string& file) {
  if (writer_.joinable()) {
    std::lock_guard lock(mutex_);
    if (!failure_) return std::nullopt;  // running
  }
  if (writer_.joinable()) writer_.join();  // it stopped on a failure: try again from where it is
  {
    std::lock_guard lock(mutex_);
    failure_.reset();
    stop_ = false;
    if (acknowledged_file_.empty()) acknowledged_file_ = file;
  }
  if (!dir_->index_of(file)) {
    if (!dir_->files().empty()) {
      // The relay holds other files than the task needs (it was made for an older or newer
      // position): it starts again where the task is, or it would not be one run of files.
      host_.warn("relay dir=" + dir_->path().string() + " holds " + dir_->files().front() + " to " +
                 dir_->files().back() + " but the task starts in " + file + "; the relay starts again there");
      if (auto e = dir_->clear()) return e;
    }
    std::lock_guard lock(mutex_);
    files_.clear();
    active_file_ = file;  // readers wait for it
    active_end_ = 0;
    writer_file_ = file;
    writer_pos_ = 4;
  } else {
    std::lock_guard lock(mutex_);
    writer_file_ = active_file_;  // resume where the relay ends
    writer_pos_ = active_end_;
  }
  writer_ = std::thread([this] { run_writer(); });
  return std::nullopt;
}

std::unique_ptr<EventFeed> RelayLog::reader(const std::string& file, uint64_t pos) {
  return std::make_unique<RelayReader>(*this, file, pos, options_.heartbeat);
}

void RelayLog::acknowledge(const std::string& file) {
  std::lock_guard lock(mutex_);
  acknowledged_file_ = file;
}

std::string RelayLog::flavor() const {
  std::lock_guard lock(mutex_);
  return flavor_;
}

RelayExtent RelayLog::extent(const std::string& file) const {
  std::lock_guard lock(mutex_);
  RelayExtent x;
  x.failure = failure_;
  if (file == active_file_) {  // also before the writer has created it
    x.known = true;
    x.readable_end = active_end_;
    return x;
  }
  const auto it = std::find(files_.begin(), files_.end(), file);
  if (it == files_.end()) return x;
  x.known = true;
  x.complete = true;
  x.next_file = std::next(it) == files_.end() ? std::string() : *std::next(it);
  return x;
}

uint64_t RelayLog::changes() const {
  std::lock_guard lock(mutex_);
  return change_count_;
}

uint64_t RelayLog::wait_for_change(uint64_t seen, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return change_count_ != seen || stop_; });
  return change_count_;
}

void RelayLog::written(const std::string& file, uint64_t end) {
  // DM's dm_relay_binlog_file / _pos: how far the relay has copied (the file by its number).
  const auto dot = file.rfind('.');
  host_.gauge_set("relay_binlog_file", dot == std::string::npos ? 0.0 : std::strtod(file.c_str() + dot + 1, nullptr));
  host_.gauge_set("relay_binlog_pos", static_cast<double>(end));
  {
    std::lock_guard lock(mutex_);
    if (files_.empty() || files_.back() != file) files_.push_back(file);
    active_file_ = file;
    active_end_ = end;
    ++change_count_;
  }
  changed_.notify_all();
}

void RelayLog::failed(const UpstreamError& e) {
  {
    std::lock_guard lock(mutex_);
    failure_ = e;
    ++change_count_;
  }
  changed_.notify_all();
}

bool RelayLog::stopping() const {
  std::lock_guard lock(mutex_);
  return stop_;
}

bool RelayLog::pause(std::chrono::milliseconds d) const {
  std::unique_lock lock(mutex_);
  return !changed_.wait_for(lock, d, [&] { return stop_; });
}

void RelayLog::run_writer() {
  RelayWriter writer(*dir_, writer_file_, writer_pos_,
                     RelayWriter::Hooks{[this](const std::string& f, uint64_t end) { written(f, end); },
                                        [this] { return stopping(); },
                                        [this](bool file_closed) { purge_if_due(file_closed); }});
  auto backoff = std::chrono::milliseconds(100);
  bool announced = false;
  while (!stopping()) {
    UpstreamConnection conn;
    ConnectionOptions connection = options_.connection;
    connection.read_timeout_s = static_cast<uint32_t>((options_.heartbeat.count() * 3 + 999) / 1000);
    std::optional<UpstreamError> problem = conn.connect(connection);
    std::string identity;
    if (!problem) {
      std::vector<std::vector<std::optional<std::string>>> rows;
      const bool mysql = conn.flavor() == Flavor::MySQL;
      problem = conn.query(mysql ? "SELECT @@server_id, @@server_uuid" : "SELECT @@server_id", rows);
      if (!problem && !rows.empty()) {
        identity = "server_id=" + rows[0][0].value_or("?") + (mysql ? " server_uuid=" + rows[0][1].value_or("?") : "");
      }
    }
    if (!problem) {
      const std::string known = dir_->meta().upstream;
      if (!known.empty() && known != identity && !dir_->files().empty()) {
        failed(UpstreamError{kRelayUnusable, "the relay in " + dir_->path().string() + " copies the upstream " + known +
                                                 " but this upstream is " + identity +
                                                 " (a failover?): its binlog files are other files. Move the relay "
                                                 "directory away to start a new relay"});
        return;
      }
      {
        std::lock_guard lock(mutex_);
        flavor_ = conn.flavor() == Flavor::MariaDB ? "mariadb" : "mysql";
      }
      if (!announced) {
        host_.info("relay writing dir=" + dir_->path().string() + " from=" + writer.file() + ":" +
                   std::to_string(std::max<uint64_t>(writer.end(), 4)) + " upstream=" + identity);
        announced = true;
      }
      const RelayWriterEnd end = writer.run(conn, identity, options_.server_id, options_.heartbeat);
      if (end.fatal) {
        host_.error("relay stopped: " + end.error.message);
        failed(end.error);
        return;
      }
      if (stopping()) break;
      problem = end.error;
      if (writer.end() > 4) backoff = std::chrono::milliseconds(100);  // it made progress
    }
    host_.warn("relay reconnecting backoff_ms=" + std::to_string(backoff.count()) + " error=\"" + problem->message + "\"");
    host_.counter_add("relay_reconnects_total", 1);
    if (!pause(backoff)) break;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void RelayLog::purge_if_due(bool now) {
  const auto t = std::chrono::steady_clock::now();
  if (!options_.purge.enabled()) return;
  if (!now && t - last_purge_check_ < options_.purge_check_interval) return;
  last_purge_check_ = t;
  std::string acknowledged;
  {
    std::lock_guard lock(mutex_);
    acknowledged = acknowledged_file_;
  }
  std::vector<RelayFileInfo> infos;
  for (const auto& name : dir_->files()) {
    struct stat st {};
    if (::stat(dir_->file_path(name).c_str(), &st) != 0) break;
    infos.push_back(RelayFileInfo{name, static_cast<uint64_t>(st.st_size),
                                  std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec)});
  }
  // Files before the acknowledged checkpoint's are done with; with none in the relay, nothing is.
  const auto ack_index = dir_->index_of(acknowledged);
  const size_t protected_from = ack_index ? *ack_index : 0;
  std::error_code ec;
  const auto space = std::filesystem::space(dir_->path(), ec);
  const size_t n = relay_files_to_purge(infos, protected_from, options_.purge, std::chrono::system_clock::now(),
                                        ec ? UINT64_MAX : space.available);
  for (size_t i = 0; i < n; ++i) {
    if (auto e = dir_->remove_oldest(infos[i].name)) {
      host_.warn("relay purge failed: " + *e);
      break;
    }
    {
      std::lock_guard lock(mutex_);
      files_.erase(std::remove(files_.begin(), files_.end(), infos[i].name), files_.end());
    }
    host_.info("relay purged file=" + infos[i].name + " bytes=" + std::to_string(infos[i].size));
    host_.counter_add("relay_purged_files_total", 1);
  }
}

}  // namespace ferry::mysql
