#include "relay/relay_reader.hpp"

#include "binlog/byte_reader.hpp"
#include "binlog/event_type.hpp"
#include "relay/relay_log.hpp"
#include "relay/relay_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ferry::mysql {
namespace {

constexpr size_t kChecksumSize = 4;
constexpr uint64_t kReadAhead = 1 << 20;  // bytes read at once: a system call per MiB, not per event

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

RelayReader::RelayReader(const RelayLog& log, std::string file, uint64_t pos, std::chrono::milliseconds heartbeat)
    : log_(log), file_(std::move(file)), pos_(pos), heartbeat_(heartbeat), formats_(ChecksumAlg::Off),
      last_event_(std::chrono::steady_clock::now()) {}

RelayReader::~RelayReader() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<UpstreamError> RelayReader::open_file() {
  if (fd_ >= 0) ::close(fd_);
  const auto path = log_.file_path(file_);
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return UpstreamError{kRelayUnusable, "cannot open relay file " + path.string() + ": " + std::strerror(errno)};
  return std::nullopt;
}

std::optional<UpstreamError> RelayReader::read_at(uint64_t offset, size_t size, std::string& into) {
  into.resize(size);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd_, into.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return UpstreamError{kRelayUnusable, "cannot read relay file " + log_.file_path(file_).string() + " at " +
                                               std::to_string(offset) + ": " +
                                               (n == 0 ? std::string("it is shorter than the relay says") : std::strerror(errno))};
    }
    done += static_cast<size_t>(n);
  }
  return std::nullopt;
}

std::string RelayReader::made_up(uint8_t type, uint32_t log_pos, std::string_view body) const {
  const bool crc = checksum_ == ChecksumAlg::Crc32;
  std::string e;
  put_u32(e, 0);  // timestamp 0: made up, as a server's fake events are
  e += static_cast<char>(type);
  put_u32(e, 0);  // server id
  put_u32(e, static_cast<uint32_t>(kEventHeaderSize + body.size() + (crc ? kChecksumSize : 0)));
  put_u32(e, log_pos);
  e += static_cast<char>(kFlagArtificial & 0xff);
  e += static_cast<char>(kFlagArtificial >> 8);
  e.append(body);
  if (crc) put_u32(e, binlog_crc32(e));
  return e;
}

// The first file: its FORMAT_DESCRIPTION, then the position asked for, as a server sends them.
std::optional<UpstreamError> RelayReader::start_file(uint64_t end) {
  std::string header;
  if (auto e = read_at(4, kEventHeaderSize, header)) return e;
  const uint32_t size = le32_at(header, 9);
  if (static_cast<uint8_t>(header[4]) != static_cast<uint8_t>(EventType::FormatDescription) || size < kEventHeaderSize) {
    return UpstreamError{kRelayCorruptEvent, "relay file " + log_.file_path(file_).string() +
                                                 " does not begin with a FORMAT_DESCRIPTION event"};
  }
  if (4 + size > end) return std::nullopt;  // not written whole yet
  std::string fde;
  if (auto e = read_at(4, size, fde)) return e;
  DecodedEvent d;
  DecodeError error;
  if (!formats_.decode(fde, d, error)) {
    return UpstreamError{kRelayCorruptEvent, "relay file " + log_.file_path(file_).string() + ": " + error.message};
  }
  std::string rotate_body(8, '\0');
  const uint64_t pos = pos_ < 4 ? 4 : pos_;
  std::memcpy(rotate_body.data(), &pos, 8);  // little-endian, as the binlog is
  rotate_body += file_;
  queued_.push_back(made_up(static_cast<uint8_t>(EventType::Rotate), 0, rotate_body));  // before the FDE: no checksum
  checksum_ = formats_.format()->checksum;
  queued_.push_back(std::move(fde));
  offset_ = std::max<uint64_t>(pos, 4 + size);
  started_ = true;
  return std::nullopt;
}

bool RelayReader::buffered(std::string_view& event) {
  const uint64_t buffer_end = buffer_offset_ + buffer_.size();
  if (offset_ < buffer_offset_ || offset_ + kEventHeaderSize > buffer_end) return false;
  const size_t at = static_cast<size_t>(offset_ - buffer_offset_);
  const uint32_t size = le32_at(buffer_, at + 9);
  if (size < kEventHeaderSize || offset_ + size > buffer_end) return false;
  event = std::string_view(buffer_).substr(at, size);
  offset_ += size;
  const auto type = static_cast<EventType>(static_cast<uint8_t>(event[4]));
  if (type == EventType::FormatDescription) {
    DecodedEvent d;
    DecodeError error;
    if (formats_.decode(event, d, error)) checksum_ = formats_.format()->checksum;
  }
  last_was_rotate_ = type == EventType::Rotate;
  last_event_ = std::chrono::steady_clock::now();
  return true;
}

std::optional<UpstreamError> RelayReader::next_until(std::string_view& event, Clock::time_point give_up) {
  while (true) {
    if (!queued_.empty()) {
      event_ = std::move(queued_.front());
      queued_.pop_front();
      event = event_;
      last_event_ = std::chrono::steady_clock::now();
      return std::nullopt;
    }
    if (started_ && buffered(event)) return std::nullopt;  // no lock, no system call
    const uint64_t seen = log_.changes();
    const RelayExtent x = log_.extent(file_);
    if (!x.known) {
      if (x.failure) return x.failure;
      return UpstreamError{kRelayUnusable, "the relay does not hold " + file_ + " (purged, or never copied)"};
    }
    const bool created = x.complete || x.readable_end >= 4;  // a new relay's first file comes with the writer
    if (fd_ < 0 && created) {
      if (auto e = open_file()) return e;
    }
    uint64_t end = created ? x.readable_end : 0;
    if (x.complete) {
      struct stat st {};
      if (::fstat(fd_, &st) != 0) return UpstreamError{kRelayUnusable, "cannot stat relay file " + file_};
      end = static_cast<uint64_t>(st.st_size);
    }
    if (!started_ && end > 4 + kEventHeaderSize) {
      if (auto e = start_file(end)) return e;
      if (started_) continue;
    }
    if (started_ && offset_ + kEventHeaderSize <= end) {
      // Read ahead up to kReadAhead of whole events; an event larger than that, whole.
      const uint64_t until = std::min(end, offset_ + kReadAhead);
      if (auto e = read_at(offset_, static_cast<size_t>(until - offset_), buffer_)) return e;
      buffer_offset_ = offset_;
      const uint32_t size = le32_at(buffer_, 9);
      if (size < kEventHeaderSize || (x.complete && offset_ + size > end)) {
        return UpstreamError{kRelayCorruptEvent, "relay file " + log_.file_path(file_).string() + ": the event at " +
                                                     std::to_string(offset_) + " runs past the file"};
      }
      if (offset_ + size <= end && size > buffer_.size()) {
        if (auto e = read_at(offset_, size, buffer_)) return e;
      }
      if (buffered(event)) return std::nullopt;
    } else if (started_ && x.complete && offset_ >= end) {
      if (x.next_file.empty()) return UpstreamError{kRelayUnusable, "the relay has no file after " + file_};
      file_ = x.next_file;
      offset_ = 4;
      buffer_.clear();
      buffer_offset_ = 0;
      if (auto e = open_file()) return e;
      if (!last_was_rotate_) {
        // The file ended without the ROTATE that names its successor (the upstream stopped
        // uncleanly): tell the source the file changes, as a server would.
        std::string body(8, '\0');
        body[0] = 4;
        queued_.push_back(made_up(static_cast<uint8_t>(EventType::Rotate), 0, body + file_));
      }
      last_was_rotate_ = false;
      continue;
    }
    if (x.failure) return x.failure;  // nothing more will come
    const auto waited_until = last_event_ + heartbeat_;
    const auto now = Clock::now();
    if (now >= waited_until) {
      // Where the reader stands (before the file's first event is there, where it will start).
      const uint64_t at = started_ ? offset_ : std::max<uint64_t>(pos_, 4);
      queued_.push_back(made_up(static_cast<uint8_t>(EventType::Heartbeat), static_cast<uint32_t>(at), file_));
      continue;
    }
    if (now >= give_up) {
      event = {};
      return std::nullopt;
    }
    log_.wait_for_change(seen, std::chrono::duration_cast<std::chrono::milliseconds>(std::min(waited_until, give_up) - now) +
                                   std::chrono::milliseconds(1));
  }
}

}  // namespace ferry::mysql
