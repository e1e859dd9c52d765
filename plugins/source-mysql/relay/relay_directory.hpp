// RelayDirectory: the relay log's files on disk. A relay directory holds copies of the
// upstream's binlog files under their own names, byte for byte (so a position in the relay is
// the same position upstream), plus:
//   relay.index  the files, oldest first, one name a line
//   relay.meta   which upstream it copies and how far it has written (TOML, like DM's)
//   relay.lock   held (flock) by the one process that writes or reads the directory
// Crash safety: files only grow by whole events; a partial event left at the tail by a crash
// is cut when the directory is opened again. Index and meta are replaced by rename.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferry::mysql {

struct RelayMeta {
  std::string flavor;        // "mariadb" or "mysql"
  std::string upstream;      // the upstream's identity (server_id, and server_uuid on MySQL)
  std::string binlog_name;   // the end of what is written
  uint64_t binlog_pos = 0;
  std::string last_gtid;     // the GTID of the newest transaction begun in the relay
};

class RelayDirectory {
 public:
  // Creates `path` if needed, takes its lock and reads its index and meta. Null with `error`
  // set when the directory is in use by another process or cannot be read.
  static std::unique_ptr<RelayDirectory> open(const std::filesystem::path& path, std::string& error);
  ~RelayDirectory();
  RelayDirectory(const RelayDirectory&) = delete;
  RelayDirectory& operator=(const RelayDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file_path(const std::string& name) const { return path_ / name; }
  const std::vector<std::string>& files() const { return files_; }
  // The position of `name` in the index, if there.
  std::optional<size_t> index_of(const std::string& name) const;
  const RelayMeta& meta() const { return meta_; }

  // Cuts a partial event from the tail of the newest file. `end` is then its size (4 for a
  // file holding only the magic number). Error text on failure.
  std::optional<std::string> recover(uint64_t& end, uint64_t& cut_bytes);
  // Creates `name` holding the binlog magic number and appends it to the index.
  std::optional<std::string> add_file(const std::string& name);
  // Deletes the oldest file (which must be `name`) and drops it from the index.
  std::optional<std::string> remove_oldest(const std::string& name);
  // Deletes every file: the relay starts again somewhere else.
  std::optional<std::string> clear();
  std::optional<std::string> write_meta(const RelayMeta& meta);

 private:
  RelayDirectory(std::filesystem::path path, int lock_fd) : path_(std::move(path)), lock_fd_(lock_fd) {}
  std::optional<std::string> write_index();
  std::optional<std::string> read_index();
  std::optional<std::string> read_meta();

  std::filesystem::path path_;
  int lock_fd_ = -1;
  std::vector<std::string> files_;
  RelayMeta meta_;
};

}  // namespace ferry::mysql
