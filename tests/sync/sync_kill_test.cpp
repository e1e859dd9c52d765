// The correctness model for sync: SIGKILL ferry at twenty random moments while an upstream
// workload runs, restart it each time, and once it has caught up every table matches the
// upstream row for row — including a table without any key, whose duplicate rows must be
// neither lost nor doubled (only atomic transactions can promise that). A second test restarts
// the downstream server under ferry.
#include "kill_workload.hpp"
#include "support/run_command.hpp"
#include "sync_fixture.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <random>

namespace ferry::testing {
namespace {

void expect_tables_match(SyncFixture& f) {
  Connection up = f.up().connect();
  Connection down = f.down().connect();
  for (const auto& table : KillWorkload::tables()) {
    EXPECT_EQ(table_fingerprint(down, table), table_fingerprint(up, table)) << table;
  }
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM kill_db.ledger"), up.query_value("SELECT COUNT(*) FROM kill_db.ledger"));
}

// What the workers' checkpoint rows hold now ("" before they exist).
std::string worker_rows(SyncFixture& f) {
  try {
    Connection down = f.down().connect();
    return down.query_value("SELECT IFNULL(GROUP_CONCAT(worker, binlog_pos, applied ORDER BY worker), '') FROM dm_meta.`" +
                            f.task() + "_syncer_worker_checkpoint`").value_or("");
  } catch (const std::exception&) {
    return "";
  }
}

TEST(SyncKill, TwentySigkillsDuringAWorkloadLoseAndRepeatNothing) {
  SyncFixture f("sync_kill", {"worker-count: 8", "batch: 40"});
  KillWorkload workload(f.up(), 20261124);
  workload.create_schema();
  workload.start();
  f.ferry().start();
  std::mt19937 rng(7);
  int kills = 0;
  for (; kills < 20; ++kills) {
    // A random amount of upstream work between kills: sometimes very little, so the next kill
    // lands right after a restart, before the new run's commits pass the old run's; every third
    // time also wait until ferry has written a checkpoint in this run.
    const uint64_t gap = kills % 3 == 2 ? std::uniform_int_distribution<uint64_t>(1, 10)(rng)
                                        : std::uniform_int_distribution<uint64_t>(20, 300)(rng);
    workload.wait_committed(workload.committed() + gap);
    if (kills % 3 == 2) {
      // Kill just after this run's first commits: the moment its workers' rows must still list
      // what the previous run applied above the resume point.
      const std::string before = worker_rows(f);
      for (int i = 0; i < 500 && worker_rows(f) == before; ++i) workload.wait_committed(workload.committed() + 1);
    }
    if (kills % 3 == 1) {
      const auto before = f.checkpoint();
      for (int i = 0; i < 300 && f.checkpoint() == before; ++i) workload.wait_committed(workload.committed() + 1);
    }
    ASSERT_TRUE(f.kill_and_restart()) << "kill " << kills;
  }
  workload.stop();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  EXPECT_EQ(kills, 20);
  EXPECT_GT(workload.committed(), 1000u) << "the workload was too short to mean much";
  expect_tables_match(f);
}

TEST(SyncKill, DownstreamRestartMidSyncRetriesAndMatches) {
  SyncFixture f("sync_down_restart", {"worker-count: 4"});
  KillWorkload workload(f.up(), 99);
  workload.create_schema();
  workload.start();
  f.ferry().start();
  workload.wait_committed(300);
  for (int i = 0; i < 3000 && !f.checkpoint(); ++i) workload.wait_committed(workload.committed() + 1);
  ASSERT_TRUE(f.checkpoint().has_value()) << "ferry wrote no checkpoint\n" << f.log_tail();
  // Restart the downstream while transactions keep coming.
  auto stopped = run_command({"/bin/bash", mariadb_server_script(), "stop", f.down().name(), "--keep"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.output;
  workload.wait_committed(workload.committed() + 200);
  auto started = run_command({"/bin/bash", mariadb_server_script(), "start", f.down().name()});
  ASSERT_EQ(started.exit_code, 0) << started.output;
  workload.wait_committed(workload.committed() + 200);
  workload.stop();
  ASSERT_TRUE(f.ferry().running()) << "ferry gave up instead of retrying\n" << f.log_tail();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  expect_tables_match(f);
}

}  // namespace
}  // namespace ferry::testing
