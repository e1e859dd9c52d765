// The relay log end to end (the real ferry binary, real servers): while the downstream takes no
// writes, the relay goes on copying the upstream's binlog; the upstream then purges the files
// the task still needs and ferry is SIGKILLed. The restarted run resumes from its checkpoint,
// which only the relay still holds, and ends with every table equal to the upstream's.
#include "support/relay_dir.hpp"
#include "sync_fixture.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace ferry::testing {
namespace {

// Polls (bounded) until the relay holds the upstream's current file as far as the upstream has it.
bool wait_relay_caught_up(SyncFixture& f, const std::filesystem::path& dir) {
  const auto [file, pos] = f.upstream_position();
  for (int i = 0; i < 600; ++i) {
    const auto files = relay_index(dir);
    std::error_code ec;
    if (!files.empty() && files.back() == file && std::filesystem::file_size(dir / file, ec) >= pos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(SyncRelay, AKilledRunBehindABlockedDownstreamResumesFromTheRelayAfterTheUpstreamPurged) {
  SyncFixture f("sync_relay", {"worker-count: 4"}, {}, {}, {"enable-relay: true", "heartbeat-period: 200ms"});
  const auto relay_dir = f.data_dir() / "relay";
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE rl");
  up.execute("CREATE TABLE rl.keyed (id INT PRIMARY KEY, n INT, s VARCHAR(64))");
  up.execute("CREATE TABLE rl.keyless (n INT, s VARCHAR(64))");
  auto write = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      const std::string v = std::to_string(i);
      up.execute("BEGIN");
      up.execute("INSERT INTO rl.keyed VALUES (" + v + ", " + v + ", REPEAT('k', " + std::to_string(i % 60) + "))");
      up.execute("INSERT INTO rl.keyless VALUES (" + std::to_string(i % 7) + ", 'same')");
      if (i % 5 == 0) up.execute("UPDATE rl.keyed SET n = n + 1 WHERE id = " + std::to_string(i / 2));
      if (i % 11 == 0) up.execute("DELETE FROM rl.keyless WHERE n = 3 LIMIT 1");
      up.execute("COMMIT");
      if (i % 100 == 20) up.execute("FLUSH BINARY LOGS");  // never last: a checkpoint moves with transactions
    }
  };
  f.ferry().start();
  write(0, 50);
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  const auto applied = f.checkpoint();
  ASSERT_TRUE(applied);

  // The downstream takes no writes; the relay copies on.
  Connection blocker = f.down().connect();
  blocker.execute("FLUSH TABLES WITH READ LOCK");
  write(50, 400);
  ASSERT_TRUE(wait_relay_caught_up(f, relay_dir)) << f.log_tail();
  EXPECT_EQ(f.checkpoint(), applied) << "the downstream was meant to be blocked";
  const std::string newest = f.upstream_position().first;
  up.execute("PURGE BINARY LOGS TO '" + newest + "'");
  ASSERT_NE(up.query("SHOW BINARY LOGS").at(0).at(0).value_or(""), applied->first)
      << "the upstream kept the checkpoint's file";

  f.ferry().signal(SIGKILL);
  ASSERT_EQ(f.ferry().wait(30000), 128 + SIGKILL);
  blocker.execute("UNLOCK TABLES");
  f.ferry().start();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  const std::string log = f.log_tail(1 << 20);
  EXPECT_NE(log.find("reading the relay log file=" + applied->first), std::string::npos) << f.log_tail();

  Connection down = f.down().connect();
  for (const std::string table : {"rl.keyed", "rl.keyless"}) {
    EXPECT_EQ(table_fingerprint(down, table), table_fingerprint(up, table)) << table;
  }
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM rl.keyless"), up.query_value("SELECT COUNT(*) FROM rl.keyless"));
}

}  // namespace
}  // namespace ferry::testing
