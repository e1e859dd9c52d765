// End-to-end sync tests: a real upstream and downstream MariaDB, the real ferry binary running a
// native incremental task (mysql-binlog -> tidb) between them.
#pragma once

#include "support/ferry_process.hpp"
#include "support/mariadb_server.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

class SyncFixture {
 public:
  // Starts both servers. `sink_options` are extra YAML lines for the sink (indented by the
  // fixture), for example {"worker-count: 4", "atomic-transactions: false"}.
  // `downstream_set` are extra server options for the downstream. A sink option naming `user:` or
  // `password:` replaces the fixture's own.
  // `source_options` are extra YAML lines for the source, like `sink_options`.
  SyncFixture(const std::string& name, std::vector<std::string> sink_options = {},
              std::vector<std::string> upstream_set = {}, std::vector<std::string> downstream_set = {},
              std::vector<std::string> source_options = {});

  MariadbServer& up() { return *up_; }
  MariadbServer& down() { return *down_; }
  const std::string& task() const { return task_name_; }
  const std::filesystem::path& task_file() const { return task_file_; }
  const std::filesystem::path& dir() const { return dir_; }
  // The task's data directory (ferry's default data-dir under the task file's directory).
  std::filesystem::path data_dir() const { return dir_ / "ferry-data" / task_name_; }

  // The upstream's current binlog file and position (SHOW MASTER STATUS).
  std::pair<std::string, uint64_t> upstream_position();
  // The downstream's global checkpoint, if written.
  std::optional<std::pair<std::string, uint64_t>> checkpoint();
  // Polls (at most `attempts` times, 100 ms apart) until the checkpoint reaches the upstream's
  // current position. True when it did.
  bool wait_caught_up(int attempts = 600);

  // A ferry process running the task (`ferry --log-level=info run TASK`), logging to dir/ferry.log.
  FerryProcess& ferry() { return *ferry_; }
  // SIGKILLs the running ferry and starts it again; false (with the log) if it had already
  // exited on its own or did not die of the signal.
  ::testing::AssertionResult kill_and_restart();
  std::string log_tail(size_t bytes = 4000) const { return ferry_->log_tail(bytes); }

 private:
  std::string task_name_;
  std::filesystem::path dir_;
  std::filesystem::path task_file_;
  std::unique_ptr<MariadbServer> up_;
  std::unique_ptr<MariadbServer> down_;
  std::unique_ptr<FerryProcess> ferry_;
};

// Checksums one table on a connection: "count:crc-sum" (order independent, duplicates count).
std::string table_fingerprint(Connection& conn, const std::string& table);

}  // namespace ferry::testing
