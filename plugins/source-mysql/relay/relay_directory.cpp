#include "relay/relay_directory.hpp"

#include <ferry/sdk/atomic_file.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ferry::mysql {
namespace {

constexpr char kMagic[4] = {'\xfe', 'b', 'i', 'n'};
constexpr uint64_t kHeaderSize = 19;
constexpr uint64_t kSizeOffset = 9;  // event_size in the common header

std::string system_error(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// TOML's basic string, for the few values the meta holds.
std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string toml_value(std::string v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) ++i;
      out += v[i];
    }
    return out;
  }
  return v;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

std::unique_ptr<RelayDirectory> RelayDirectory::open(const std::filesystem::path& path, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    error = "cannot create the relay directory " + path.string() + ": " + ec.message();
    return nullptr;
  }
  const auto lock_path = path / "relay.lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = system_error("cannot open", lock_path);
    return nullptr;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char holder[32] = {};
    const ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
    ::close(fd);
    error = "the relay directory " + path.string() + " is in use by another ferry" +
            (n > 0 ? " (pid " + trim(std::string(holder, static_cast<size_t>(n))) + ")" : std::string()) +
            "; a relay directory belongs to one task: give each task its own relay-dir";
    return nullptr;
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // Only the holder's pid for the message above; the lock itself holds.
  }
  std::unique_ptr<RelayDirectory> dir(new RelayDirectory(path, fd));
  if (auto e = dir->read_index()) {
    error = *e;
    return nullptr;
  }
  if (auto e = dir->read_meta()) {
    error = *e;
    return nullptr;
  }
  return dir;
}

RelayDirectory::~RelayDirectory() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing drops the flock
}

std::optional<size_t> RelayDirectory::index_of(const std::string& name) const {
  for (size_t i = 0; i < files_.size(); ++i) {
    if (files_[i] == name) return i;
  }
  return std::nullopt;
}

std::optional<std::string> RelayDirectory::read_index() {
  files_.clear();
  std::ifstream in(path_ / "relay.index");
  if (!in) return std::nullopt;  // a new relay
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty()) continue;
    if (line.find('/') != std::string::npos || line == "." || line == "..") {
      return "relay.index in " + path_.string() + " names '" + line + "', which is not a binlog file name";
    }
    if (!std::filesystem::exists(path_ / line)) {
      return "relay.index in " + path_.string() + " lists " + line +
             ", which is missing; remove the relay directory to start the relay again";
    }
    files_.push_back(line);
  }
  return std::nullopt;
}

std::optional<std::string> RelayDirectory::write_index() {
  std::string text;
  for (const auto& f : files_) text += f + "\n";
  return sdk::replace_file(path_ / "relay.index", text);
}

std::optional<std::string> RelayDirectory::read_meta() {
  meta_ = RelayMeta{};
  std::ifstream in(path_ / "relay.meta");
  if (!in) return std::nullopt;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) return "relay.meta in " + path_.string() + ": cannot read the line '" + line + "'";
    const std::string key = trim(line.substr(0, eq));
    const std::string value = toml_value(trim(line.substr(eq + 1)));
    if (key == "flavor") meta_.flavor = value;
    else if (key == "upstream") meta_.upstream = value;
    else if (key == "binlog-name") meta_.binlog_name = value;
    else if (key == "binlog-pos") meta_.binlog_pos = std::strtoull(value.c_str(), nullptr, 10);
    else if (key == "last-gtid") meta_.last_gtid = value;
  }
  return std::nullopt;
}

std::optional<std::string> RelayDirectory::write_meta(const RelayMeta& meta) {
  std::ostringstream out;
  out << "# ferry relay log: the upstream it copies and how far it has written\n"
      << "flavor = " << toml_string(meta.flavor) << "\n"
      << "upstream = " << toml_string(meta.upstream) << "\n"
      << "binlog-name = " << toml_string(meta.binlog_name) << "\n"
      << "binlog-pos = " << meta.binlog_pos << "\n"
      << "last-gtid = " << toml_string(meta.last_gtid) << "\n";
  if (auto e = sdk::replace_file(path_ / "relay.meta", out.str())) return e;
  meta_ = meta;
  return std::nullopt;
}

std::optional<std::string> RelayDirectory::recover(uint64_t& end, uint64_t& cut_bytes) {
  end = 0;
  cut_bytes = 0;
  if (files_.empty()) return std::nullopt;
  const auto path = file_path(files_.back());
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return system_error("cannot open", path);
  const off_t size = ::lseek(fd, 0, SEEK_END);
  char magic[4] = {};
  if (size < 4 || ::pread(fd, magic, 4, 0) != 4 || std::memcmp(magic, kMagic, 4) != 0) {
    // The file was created but its magic number never reached the disk: start it again.
    const bool ok = ::ftruncate(fd, 0) == 0 && ::pwrite(fd, kMagic, 4, 0) == 4;
    ::close(fd);
    if (!ok) return system_error("cannot rewrite", path);
    cut_bytes = static_cast<uint64_t>(size < 0 ? 0 : size);
    end = 4;
    return std::nullopt;
  }
  uint64_t offset = 4;
  while (offset + kHeaderSize <= static_cast<uint64_t>(size)) {
    uint8_t b[4];
    if (::pread(fd, b, 4, static_cast<off_t>(offset + kSizeOffset)) != 4) break;
    const uint64_t event_size = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint64_t>(b[3]) << 24);
    if (event_size < kHeaderSize || offset + event_size > static_cast<uint64_t>(size)) break;
    offset += event_size;
  }
  if (offset < static_cast<uint64_t>(size)) {
    if (::ftruncate(fd, static_cast<off_t>(offset)) != 0) {
      const std::string e = system_error("cannot cut the partial event at the end of", path);
      ::close(fd);
      return e;
    }
    ::fsync(fd);
    cut_bytes = static_cast<uint64_t>(size) - offset;
  }
  ::close(fd);
  end = offset;
  return std::nullopt;
}

std::optional<std::string> RelayDirectory::add_file(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." ||
      name.rfind("relay.", 0) == 0) {
    return "the upstream named a binlog file '" + name + "', which cannot be a relay file name";
  }
  const auto path = file_path(name);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return system_error("cannot create", path);
  const bool ok = ::write(fd, kMagic, 4) == 4;
  ::close(fd);
  if (!ok) return system_error("cannot write", path);
  files_.push_back(name);
  return write_index();
}

std::optional<std::string> RelayDirectory::remove_oldest(const std::string& name) {
  if (files_.empty() || files_.front() != name) return "relay file " + name + " is not the oldest";
  files_.erase(files_.begin());
  // The index first: a crash between the two leaves a stray file, never an index naming a
  // missing one.
  if (auto e = write_index()) return e;
  std::error_code ec;
  std::filesystem::remove(file_path(name), ec);
  if (ec) return "cannot delete " + file_path(name).string() + ": " + ec.message();
  return std::nullopt;
}

std::optional<std::string> RelayDirectory::clear() {
  const std::vector<std::string> old = files_;
  files_.clear();
  if (auto e = write_index()) return e;
  for (const auto& f : old) {
    std::error_code ec;
    std::filesystem::remove(file_path(f), ec);
    if (ec) return "cannot delete " + file_path(f).string() + ": " + ec.message();
  }
  return write_meta(RelayMeta{meta_.flavor, meta_.upstream, "", 0, ""});
}

}  // namespace ferry::mysql
