#include "sync_fixture.hpp"

#include "support/table_compare.hpp"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace ferry::testing {

SyncFixture::SyncFixture(const std::string& name, std::vector<std::string> sink_options,
                         std::vector<std::string> upstream_set, std::vector<std::string> downstream_set,
                         std::vector<std::string> source_options)
    : task_name_(name) {
  dir_ = std::filesystem::path(SYNC_WORK_DIR) / name;
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  up_ = std::make_unique<MariadbServer>(name + "-up", std::move(upstream_set));
  downstream_set.insert(downstream_set.begin(), "skip-log-bin");
  down_ = std::make_unique<MariadbServer>(name + "-down", std::move(downstream_set));
  const auto [file, pos] = upstream_position();
  task_file_ = dir_ / "task.yaml";
  std::ofstream out(task_file_);
  out << "name: " << name << "\n"
      << "task-mode: incremental\n"
      << "retry: {initial-backoff: 100ms, max-backoff: 2s, max-retries: 50}\n"
      << "incremental:\n"
      << "  source:\n"
      << "    plugin: mysql-binlog\n"
      << "    port: " << up_->port() << "\n"
      << "    user: " << up_->user() << "\n"
      << "    password: " << up_->password() << "\n"
      << "    binlog-name: " << file << "\n"
      << "    binlog-pos: " << pos << "\n"
      << "    checkpoint-interval: 200ms\n";
  for (const auto& line : source_options) out << "    " << line << "\n";
  out << "  sink:\n"
      << "    plugin: tidb\n"
      << "    port: " << down_->port() << "\n"
      << "    max-backoff: 1s\n";
  auto given = [&](const std::string& key) {
    for (const auto& line : sink_options) {
      if (line.rfind(key + ":", 0) == 0) return true;
    }
    return false;
  };
  if (!given("user")) out << "    user: " << down_->user() << "\n";
  if (!given("password")) out << "    password: " << down_->password() << "\n";
  for (const auto& line : sink_options) out << "    " << line << "\n";
  out.close();
  ferry_ = std::make_unique<FerryProcess>(FERRY_BINARY, std::vector<std::string>{"--plugin-dir", FERRY_PLUGIN_DIR, "run", task_file_.string()},
                                          dir_ / "ferry.log");
}

::testing::AssertionResult SyncFixture::kill_and_restart() {
  if (!ferry_->running()) return ::testing::AssertionFailure() << "ferry exited on its own\n" << log_tail();
  ferry_->signal(SIGKILL);
  const auto code = ferry_->wait(30000);
  if (code != 128 + SIGKILL) return ::testing::AssertionFailure() << "ferry did not die of SIGKILL\n" << log_tail();
  ferry_->start();
  return ::testing::AssertionSuccess();
}

std::pair<std::string, uint64_t> SyncFixture::upstream_position() {
  Connection c = up_->connect();
  Rows rows = c.query("SHOW MASTER STATUS");
  return {rows.at(0).at(0).value_or(""), std::stoull(rows.at(0).at(1).value_or("0"))};
}

std::optional<std::pair<std::string, uint64_t>> SyncFixture::checkpoint() {
  try {
    Connection c = down_->connect();
    Rows rows = c.query("SELECT binlog_name, binlog_pos FROM dm_meta.`" + task_name_ +
                        "_syncer_checkpoint` WHERE is_global = 1");
    if (rows.empty() || !rows[0][0]) return std::nullopt;
    return std::make_pair(*rows[0][0], std::stoull(rows[0][1].value_or("0")));
  } catch (const std::exception&) {
    return std::nullopt;  // not created yet, or the server is restarting
  }
}

bool SyncFixture::wait_caught_up(int attempts) {
  const auto target = upstream_position();
  for (int i = 0; i < attempts; ++i) {
    auto cp = checkpoint();
    if (cp && cp->first == target.first && cp->second >= target.second) return true;
    if (cp && cp->first > target.first) return true;
    // Polling the downstream for progress: bounds how late we notice, not a timing assumption.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string table_fingerprint(Connection& conn, const std::string& table) {
  // The exact per-type checksum of the test support (FLOAT widened to DOUBLE, TIMESTAMP as epoch
  // seconds, bytes as hex, NULLs marked).
  const auto dot = table.find('.');
  const TableChecksum c = checksum_table(conn, table.substr(0, dot), table.substr(dot + 1));
  return std::to_string(c.rows) + ":" + c.crc_sum;
}

}  // namespace ferry::testing
