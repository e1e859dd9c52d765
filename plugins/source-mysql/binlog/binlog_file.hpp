// BinlogFile: reads a binlog or relay-log file event by event, checking the magic number and
// each event's framing. The file is mapped read-only (no copy; the page cache holds it), and
// events are views into the mapping, valid while the BinlogFile lives.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ferry::mysql {

class BinlogFile {
 public:
  // Opens and reads `path`; on failure ok() is false and error() says why.
  explicit BinlogFile(const std::string& path);
  ~BinlogFile();
  BinlogFile(const BinlogFile&) = delete;
  BinlogFile& operator=(const BinlogFile&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

  // The next whole event, or false at the end of the file. A partial event at the end (a file
  // still being written, or cut by a crash) ends the file too; truncated() then says so.
  bool next(std::string_view& event, uint64_t& start_position);
  bool truncated() const { return truncated_; }

 private:
  std::string path_;
  std::string_view data_;  // the mapping
  void* map_ = nullptr;
  size_t map_size_ = 0;
  size_t offset_ = 4;
  std::string error_;
  bool truncated_ = false;
};

}  // namespace ferry::mysql
