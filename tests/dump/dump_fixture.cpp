#include "dump_fixture.hpp"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace ferry::testing {
namespace {

// One stage of the task file: the plugin, the server's address and account (unless `options`
// give their own), then `options`.
void write_stage(std::ostream& out, const std::string& plugin, const MariadbServer& server,
                 const std::vector<std::string>& options) {
  auto given = [&](const std::string& key) {
    for (const auto& line : options) {
      if (line.rfind(key + ":", 0) == 0) return true;
    }
    return false;
  };
  out << "    plugin: " << plugin << "\n"
      << "    port: " << server.port() << "\n";
  if (!given("user")) out << "    user: " << server.user() << "\n";
  if (!given("password")) out << "    password: " << server.password() << "\n";
  for (const auto& line : options) out << "    " << line << "\n";
}

}  // namespace

DumpFixture::DumpFixture(const std::string& name, DumpTask task)
    : task_name_(name) {
  const std::filesystem::path dir = std::filesystem::path(DUMP_WORK_DIR) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  up_ = std::make_unique<MariadbServer>(name + "-up");
  down_ = std::make_unique<MariadbServer>(name + "-down", std::vector<std::string>{"skip-log-bin"});
  const std::filesystem::path task_file = dir / "task.yaml";
  std::ofstream out(task_file);
  out << "name: " << name << "\n"
      << "task-mode: " << (task.all ? "all" : "full") << "\n"
      << "retry: {initial-backoff: 100ms, max-backoff: 2s, max-retries: 50}\n"
      << "full:\n"
      << "  source:\n";
  if (!task.dump.empty() && task.dump.front().rfind("plugin:", 0) == 0) {
    for (const auto& line : task.dump) out << "    " << line << "\n";
  } else {
    write_stage(out, "mysql-dump", *up_, task.dump);
  }
  out << "  sink:\n";
  write_stage(out, "tidb-load", *down_, task.load);
  if (task.all) {
    out << "incremental:\n"
        << "  source:\n";
    write_stage(out, "mysql-binlog", *up_, {"checkpoint-interval: 200ms"});
    out << "  sink:\n";
    write_stage(out, "tidb", *down_, {"worker-count: 4", "max-backoff: 1s"});
  }
  out.close();
  ferry_ = std::make_unique<FerryProcess>(
      FERRY_BINARY, std::vector<std::string>{"--plugin-dir", FERRY_PLUGIN_DIR, "run", task_file.string()}, dir / "ferry.log");
}

int DumpFixture::run_to_exit(int timeout_ms) {
  ferry_->start();
  if (auto code = ferry_->wait(timeout_ms)) return *code;
  ferry_->signal(SIGKILL);
  ferry_->wait(30000);
  return -1;
}

::testing::AssertionResult DumpFixture::kill() {
  if (!ferry_->running()) return ::testing::AssertionFailure() << "ferry exited on its own\n" << log_tail();
  ferry_->signal(SIGKILL);
  if (ferry_->wait(30000) != 128 + SIGKILL) return ::testing::AssertionFailure() << "ferry did not die of SIGKILL\n" << log_tail();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult DumpFixture::kill_and_restart() {
  auto killed = kill();
  if (killed) ferry_->start();
  return killed;
}

Rows DumpFixture::query_down(const std::string& sql) const {
  try {
    return down_->connect().query(sql);
  } catch (const std::exception&) {
    return {};
  }
}

std::string DumpFixture::meta_table(const std::string& suffix) const { return "dm_meta.`" + task_name_ + "_" + suffix + "`"; }

DumpFixture::LoadProgress DumpFixture::load_progress() {
  LoadProgress p;
  for (const auto& r : query_down("SELECT filename = '*', COUNT(*), SUM(`offset`) FROM " + meta_table("loader_checkpoint") +
                                  " GROUP BY filename = '*'")) {
    if (r[0] == "1") {
      p.finished = true;
    } else {
      p.chunks = std::stoull(r[1].value_or("0"));
      p.rows = std::stoull(r[2].value_or("0"));
    }
  }
  return p;
}

bool DumpFixture::wait_chunks(uint64_t chunks, int attempts) {
  for (int i = 0; i < attempts; ++i) {
    const LoadProgress p = load_progress();
    if (p.finished) return false;
    if (p.chunks >= chunks) return true;
    if (!ferry_->running()) return false;
    // Polling the downstream for the loader's progress: bounds how late the kill lands.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::optional<std::pair<std::string, uint64_t>> DumpFixture::sync_checkpoint() {
  const Rows rows = query_down("SELECT binlog_name, binlog_pos FROM " + meta_table("syncer_checkpoint") + " WHERE is_global = 1");
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return std::make_pair(*rows[0][0], std::stoull(rows[0][1].value_or("0")));
}

bool DumpFixture::wait_caught_up(int attempts) {
  Connection c = up_->connect();
  Rows status = c.query("SHOW MASTER STATUS");
  const std::string file = status.at(0).at(0).value_or("");
  const uint64_t pos = std::stoull(status.at(0).at(1).value_or("0"));
  for (int i = 0; i < attempts; ++i) {
    auto cp = sync_checkpoint();
    if (cp && (cp->first > file || (cp->first == file && cp->second >= pos))) return true;
    if (!ferry_->running()) return false;  // paused on an error: the log says why
    // Polling the downstream for progress: bounds how late we notice, not a timing assumption.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::vector<std::string> DumpFixture::log_lines(const std::string& text) const {
  std::istringstream in(ferry_->log_tail(std::string::npos));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (line.find(text) != std::string::npos) out.push_back(line);
  }
  return out;
}

}  // namespace ferry::testing
