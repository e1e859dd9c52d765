// End-to-end dump and load tests: a real upstream and downstream MariaDB, and the real ferry
// binary running a native `full` task (mysql-dump -> tidb-load) or an `all` task (that, then
// mysql-binlog -> tidb from the dump's snapshot) between them.
#pragma once

#include "support/ferry_process.hpp"
#include "support/mariadb_server.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferry::testing {

// What the task file says besides the servers. Option lines are YAML `key: value` lines of the
// stage (the fixture indents them); one naming `user:` or `password:` replaces the fixture's.
struct DumpTask {
  bool all = false;                // task-mode all (full, then sync) instead of full
  // mysql-dump keys: {"threads: 3", "rows: 1000"}; or another source of the full phase and its
  // keys, without the upstream's address: {"plugin: dump-files", "dir: /path"}
  std::vector<std::string> dump;
  std::vector<std::string> load;   // tidb-load keys: {"pool-size: 3"}
};

// Owns both servers (started in the constructor) and the ferry process (started by the test).
// One thread; the servers' accessors may be used from any thread.
class DumpFixture {
 public:
  // `name` names the task, its servers and its folder (tests/dump/work/<name>/ in the build tree:
  // task.yaml, ferry.log, ferry-data/).
  DumpFixture(const std::string& name, DumpTask task);

  MariadbServer& up() { return *up_; }
  MariadbServer& down() { return *down_; }
  const std::string& task() const { return task_name_; }

  // A ferry process running the task file, logging to ferry.log.
  FerryProcess& ferry() { return *ferry_; }
  std::string log_tail(size_t bytes = 6000) const { return ferry_->log_tail(bytes); }
  // Starts ferry and waits (at most `timeout_ms`) for it to exit: its exit code, or -1 (after
  // killing it) when it did not.
  int run_to_exit(int timeout_ms = 90000);
  // SIGKILLs the running ferry; a failure (with the log) if it had already exited on its own or
  // did not die of the signal.
  ::testing::AssertionResult kill();
  // kill(), then start it again.
  ::testing::AssertionResult kill_and_restart();

  // The loader checkpoint table of the task (dm_meta.<task>_loader_checkpoint) as it is now:
  // chunk rows, the rows they say they loaded, and whether the '*' row (the load finished) is
  // there. All zero before the table exists or while the downstream does not answer.
  struct LoadProgress {
    uint64_t chunks = 0;
    uint64_t rows = 0;
    bool finished = false;
  };
  LoadProgress load_progress();
  // Polls (bounded: `attempts` times, 10 ms apart) until at least `chunks` chunk rows are in the
  // checkpoint table. False when the load finished or ferry exited first, or the attempts ran out.
  bool wait_chunks(uint64_t chunks, int attempts = 6000);

  // The sync phase's global checkpoint (dm_meta.<task>_syncer_checkpoint), if written.
  std::optional<std::pair<std::string, uint64_t>> sync_checkpoint();
  // Polls (at most `attempts` times, 100 ms apart) until the sync checkpoint reaches the
  // upstream's current binlog position; false at once when ferry has exited.
  bool wait_caught_up(int attempts = 600);

  // Lines of the log that contain `text`, in order.
  std::vector<std::string> log_lines(const std::string& text) const;

 private:
  // The rows of a query on the downstream; none when it fails (a table not created yet).
  Rows query_down(const std::string& sql) const;
  // `dm_meta`.`<task>_<suffix>`
  std::string meta_table(const std::string& suffix) const;

  std::unique_ptr<MariadbServer> up_;
  std::unique_ptr<MariadbServer> down_;
  std::string task_name_;
  std::unique_ptr<FerryProcess> ferry_;
};

}  // namespace ferry::testing
