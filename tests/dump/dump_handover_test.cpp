// The all mode's hand-over after a killed load, one table shape at a time. The first run loads
// some chunks from snapshot S1 and is killed; while it is down the upstream changes a table that
// the first run had not loaded yet; the rerun reads that table whole from snapshot S2, and the
// sync starts at S1 in safe mode until S2. The changes between S1 and S2 are then both in the
// loaded table and in the replayed binlog: the downstream must still equal the upstream.
#include "dump_data.hpp"
#include "dump_fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferry::testing {
namespace {

// `definition` and `rows` make hand.z_late (read last: one reader, tables in name order, after
// 200 chunks of hand.a_items); `changes` run upstream while ferry is down after its first chunk.
void change_a_table_loaded_after_the_kill(const std::string& name, const std::string& definition,
                                          const std::string& rows, const std::vector<std::string>& changes) {
  DumpFixture f(name, {.all = true, .dump = {"databases: [hand]", "threads: 1", "rows: 100"}, .load = {"pool-size: 1"}});
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE hand");
  up.execute("USE hand");
  up.execute("CREATE TABLE a_items (id INT NOT NULL PRIMARY KEY, pad VARCHAR(100))");
  up.execute("INSERT INTO a_items SELECT seq, REPEAT('p', 50 + seq % 50) FROM seq_1_to_20000");
  up.execute("ANALYZE TABLE a_items");
  up.execute("CREATE TABLE z_late (" + definition + ")");
  up.execute("INSERT INTO z_late VALUES " + rows);

  f.ferry().start();
  ASSERT_TRUE(f.wait_chunks(1)) << f.log_tail();
  ASSERT_TRUE(f.kill());
  Connection down = f.down().connect();
  ASSERT_EQ(down.query_value("SELECT COUNT(*) FROM dm_meta.`" + f.task() + "_loader_checkpoint` WHERE cp_table = 'z_late'"), "0")
      << "z_late was loaded before the kill: the case does not arise";
  for (const auto& sql : changes) up.execute(sql);

  f.ferry().start();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_FALSE(f.log_lines("safe mode until").empty()) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"hand"}, 2);
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
}

TEST(DumpHandover, KeylessTableLoadedAfterAKillGetsNoRowTwice) {
  change_a_table_loaded_after_the_kill(
      "handover_keyless", "a INT, b VARCHAR(10)", "(1, 'x'), (1, 'x'), (2, 'y'), (3, NULL)",
      {"INSERT INTO z_late VALUES (1, 'x'), (4, 'new')", "DELETE FROM z_late WHERE a = 2 LIMIT 1",
       "UPDATE z_late SET b = 'z' WHERE a = 3"});
}

TEST(DumpHandover, NullableUniqueTableLoadedAfterAKillConverges) {
  // Only a nullable unique key: rows whose key is NULL have no identity; one moves onto a value
  // that the loaded table already holds.
  change_a_table_loaded_after_the_kill(
      "handover_nullable", "u INT NULL, v INT, UNIQUE KEY (u)", "(1, 1), (NULL, 2), (NULL, 2), (5, 3)",
      {"UPDATE z_late SET u = 7 WHERE u IS NULL LIMIT 1", "INSERT INTO z_late VALUES (NULL, 9), (8, 8)",
       "DELETE FROM z_late WHERE u = 1"});
}

TEST(DumpHandover, KeyedTableLoadedAfterAKillConverges) {
  // The control: with a primary key the replay is idempotent, including a key that moves.
  change_a_table_loaded_after_the_kill(
      "handover_keyed", "id INT NOT NULL PRIMARY KEY, v VARCHAR(10)", "(1, 'a'), (2, 'b'), (3, 'c')",
      {"INSERT INTO z_late VALUES (4, 'd')", "UPDATE z_late SET id = 10 WHERE id = 1", "DELETE FROM z_late WHERE id = 2",
       "UPDATE z_late SET v = 'cc' WHERE id = 3"});
}

}  // namespace
}  // namespace ferry::testing
