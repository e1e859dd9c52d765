#include "binlog/binlog_file.hpp"

#include "binlog/event_decoder.hpp"

#include <cstring>
#include <fstream>
#include <sstream>

namespace ferry::mysql {

namespace {
constexpr char kMagic[4] = {'\xfe', 'b', 'i', 'n'};
}

BinlogFile::BinlogFile(const std::string& path) : path_(path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error_ = "cannot open " + path;
    return;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  data_ = std::move(ss).str();
  if (data_.size() < 4 || std::memcmp(data_.data(), kMagic, 4) != 0) {
    error_ = path + " is not a binlog file (no \\xfebin magic number)";
  }
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
  event = std::string_view(data_).substr(offset_, size);
  start_position = offset_;
  offset_ += size;
  return true;
}

}  // namespace ferry::mysql
