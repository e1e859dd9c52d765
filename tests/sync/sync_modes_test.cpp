// The same workload under the settings a DBA may have: partial row images upstream
// (binlog_row_image=MINIMAL / NOBLOB, which DM writes as NULLs: pingcap/dm#2091), and DM's own
// model without atomic transactions, where safe mode makes the replay after SIGKILLs idempotent.
#include "kill_workload.hpp"
#include "sync_fixture.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <random>

namespace ferry::testing {
namespace {

void expect_match(SyncFixture& f, bool include_keyless) {
  Connection up = f.up().connect();
  Connection down = f.down().connect();
  for (const auto& table : KillWorkload::tables()) {
    if (!include_keyless && table == "kill_db.ledger") continue;
    EXPECT_EQ(table_fingerprint(down, table), table_fingerprint(up, table)) << table;
  }
}

void run_workload_and_compare(SyncFixture& f, uint64_t transactions) {
  KillWorkload workload(f.up(), 4242);
  workload.create_schema();
  workload.start();
  f.ferry().start();
  workload.wait_committed(transactions);
  workload.stop();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  expect_match(f, true);
}

TEST(SyncModes, MinimalRowImageUpstream) {
  SyncFixture f("sync_minimal", {"worker-count: 4"}, {"binlog_row_image=MINIMAL"});
  run_workload_and_compare(f, 1500);
}

TEST(SyncModes, NoblobRowImageUpstream) {
  SyncFixture f("sync_noblob", {"worker-count: 4"}, {"binlog_row_image=NOBLOB"});
  run_workload_and_compare(f, 1500);
}

TEST(SyncModes, WithoutAtomicTransactionsSafeModeMakesKillsHarmlessForKeyedTables) {
  // DM's model: safe mode covers the replay window after each restart (safe-mode-duration), so
  // tables with a key converge; a keyless table can get duplicates (DM's documented caveat),
  // which is why ferry's default is atomic-transactions: true.
  SyncFixture f("sync_non_atomic", {"worker-count: 4", "atomic-transactions: false"});
  KillWorkload workload(f.up(), 77);
  workload.create_schema();
  workload.start();
  f.ferry().start();
  std::mt19937 rng(3);
  for (int kills = 0; kills < 8; ++kills) {
    workload.wait_committed(workload.committed() + std::uniform_int_distribution<uint64_t>(50, 300)(rng));
    ASSERT_TRUE(f.ferry().running()) << f.log_tail();
    f.ferry().signal(SIGKILL);
    ASSERT_EQ(f.ferry().wait(30000), 128 + SIGKILL);
    f.ferry().start();
  }
  workload.stop();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  expect_match(f, false);
}

}  // namespace
}  // namespace ferry::testing
