#include "binlog/binlog_file.hpp"

#include "binlog/event_decoder.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ferry::mysql {

namespace {
constexpr char kMagic[4] = {'\xfe', 'b', 'i', 'n'};
}

BinlogFile::BinlogFile(const std::string& path) : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error_ = "cannot open " + path + ": " + std::strerror(errno);
    return;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error_ = "cannot stat " + path + ": " + std::strerror(errno);
    ::close(fd);
    return;
  }
  map_size_ = static_cast<size_t>(st.st_size);
  if (map_size_ > 0) {
    map_ = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map_ == MAP_FAILED) {
      map_ = nullptr;
      error_ = "cannot map " + path + ": " + std::strerror(errno);
      ::close(fd);
      return;
    }
    ::madvise(map_, map_size_, MADV_SEQUENTIAL);
    data_ = std::string_view(static_cast<const char*>(map_), map_size_);
  }
  ::close(fd);
  if (data_.size() < 4 || std::memcmp(data_.data(), kMagic, 4) != 0) {
    error_ = path + " is not a binlog file (no \\xfebin magic number)";
  }
}

BinlogFile::~BinlogFile() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
}

bool BinlogFile::next(std::string_view& event, uint64_t& start_position) {
  if (!ok() || offset_ >= data_.size()) return false;
  if (data_.size() - offset_ < kEventHeaderSize) {
    truncated_ = true;
    return false;
  }
  uint32_t size = 0;
  std::memcpy(&size, data_.data() + offset_ + 9, 4);
  if (size < kEventHeaderSize) {
    error_ = path_ + ": event at " + std::to_string(offset_) + " claims " + std::to_string(size) + " bytes";
    return false;
  }
  if (size > data_.size() - offset_) {
    truncated_ = true;
    return false;
  }
  event = data_.substr(offset_, size);
  start_position = offset_;
  offset_ += size;
  return true;
}

}  // namespace ferry::mysql
