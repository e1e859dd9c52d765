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
    ASSERT_TRUE(f.kill_and_restart());
  }
  workload.stop();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  expect_match(f, false);
}

TEST(SyncModes, LargeTransactionsAreStreamedAndSurviveKills) {
  // max-transaction-size is tiny, so every transaction of 3000 rows is applied chunk by chunk
  // on one connection, committed with its checkpoint row; kills land during streaming too.
  SyncFixture f("sync_large_txn", {"worker-count: 4", "max-transaction-size: 16KiB"});
  KillWorkload workload(f.up(), 5);
  workload.create_schema();
  Connection up = f.up().connect("kill_db");
  up.execute("CREATE TABLE kill_db.bulk (a INT, b VARCHAR(40))");  // no key: a replay would double rows
  up.execute("CREATE TABLE kill_db.bulk_keyed (id INT PRIMARY KEY, v INT)");
  workload.start();
  f.ferry().start();
  std::mt19937 rng(11);
  for (int round = 0; round < 8; ++round) {
    up.execute("BEGIN");
    up.execute("INSERT INTO kill_db.bulk SELECT seq, CONCAT('round ', " + std::to_string(round) + ") FROM seq_1_to_3000");
    up.execute("INSERT INTO kill_db.bulk_keyed SELECT seq + " + std::to_string(round * 3000) + ", 0 FROM seq_1_to_3000");
    up.execute("UPDATE kill_db.bulk_keyed SET v = v + 1 WHERE id % 5 = " + std::to_string(round % 5));
    up.execute("COMMIT");
    if (round % 2 == 0) {
      // Kill right after the streamed transaction's commit (its row, worker 4, changes), when only
      // that row knows it is in: the rerun must roll its replay back.
      auto streamed = [&] {
        try {
          return f.down().connect().query_value("SELECT applied FROM dm_meta.sync_large_txn_syncer_worker_checkpoint"
                                                " WHERE worker = 4").value_or("");
        } catch (const std::exception&) {
          return std::string();
        }
      };
      const std::string before = streamed();
      for (int i = 0; i < 2000 && streamed() == before; ++i) workload.wait_committed(workload.committed() + 1);
    } else {
      workload.wait_committed(workload.committed() + std::uniform_int_distribution<uint64_t>(5, 60)(rng));
    }
    ASSERT_TRUE(f.kill_and_restart());
  }
  workload.stop();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  expect_match(f, true);
  Connection down = f.down().connect();
  EXPECT_EQ(table_fingerprint(down, "kill_db.bulk"), table_fingerprint(up, "kill_db.bulk"));
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM kill_db.bulk"), "24000");
  EXPECT_EQ(table_fingerprint(down, "kill_db.bulk_keyed"), table_fingerprint(up, "kill_db.bulk_keyed"));
}

TEST(SyncModes, AUniqueKeyOnlyTheDownstreamHasNeverFailsTheSync) {
  // The downstream has UNIQUE(code), the upstream does not: causality cannot see that one
  // transaction frees a code another takes, so a later one may run first on another worker and
  // hit a duplicate key. The worker then waits until it is alone and runs again.
  SyncFixture f("sync_extra_uk", {"worker-count: 8", "batch: 1"});
  Connection up = f.up().connect();
  Connection down = f.down().connect();
  up.execute("SET SESSION sql_log_bin = 0");
  for (Connection* c : {&up, &down}) {
    c->execute("CREATE DATABASE uk");
    c->execute("USE uk");
  }
  up.execute("CREATE TABLE uk.t (id INT PRIMARY KEY, code INT NOT NULL)");
  down.execute("CREATE TABLE uk.t (id INT PRIMARY KEY, code INT NOT NULL, UNIQUE KEY (code))");
  up.execute("INSERT INTO uk.t SELECT seq, seq FROM seq_1_to_400");
  down.execute("INSERT INTO uk.t SELECT seq, seq FROM seq_1_to_400");
  up.execute("SET SESSION sql_log_bin = 1");
  f.ferry().start();
  for (int i = 1; i <= 200; ++i) {
    const std::string a = std::to_string(2 * i - 1);
    const std::string b = std::to_string(2 * i);
    up.execute("UPDATE uk.t SET code = code + 100000 WHERE id = " + a);  // frees code a
    up.execute("UPDATE uk.t SET code = " + a + " WHERE id = " + b);      // takes it
  }
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  EXPECT_EQ(table_fingerprint(down, "uk.t"), table_fingerprint(up, "uk.t"));
}

}  // namespace
}  // namespace ferry::testing
