// The workload generator against a real server: what it writes, that a seed fixes it, and that
// its runner stops between transactions and counts exactly what it committed.
#include "support/workload.hpp"

#include "support/mariadb_server.hpp"
#include "support/table_compare.hpp"
#include "support/workload_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace ferry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

uint64_t count(Connection& c, const std::string& sql) { return std::stoull(c.query_value(sql).value_or("0")); }

TEST(WorkloadTest, WritesEveryTableShapeItPromises) {
  MariadbServer server("wltest");
  Connection c = server.connect();
  Workload w(1, {.rows = 100});
  w.create_schema(c, "wl");
  EXPECT_THAT(w.tables(), ElementsAre("wl.keyed", "wl.composite", "wl.unique_code", "wl.unique_nullable", "wl.keyless",
                                      "wl.all_types"));
  const WorkloadStats stats = w.run(c, 400);
  EXPECT_EQ(stats.committed + stats.rolled_back, 400u);
  EXPECT_GT(stats.rolled_back, 0u);
  EXPECT_GT(stats.statements, 2 * stats.committed) << "transactions should mostly hold several statements";
  for (const std::string& table : w.tables()) EXPECT_GT(count(c, "SELECT COUNT(*) FROM " + table), 50u) << table;

  // No key: identical rows, and strings a case- and accent-insensitive collation calls equal.
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM (SELECT 1 FROM wl.keyless GROUP BY a, BINARY b, c, d, e "
                     "HAVING COUNT(*) > 1) dup"), 0u);
  EXPECT_GT(count(c, "SELECT COUNT(DISTINCT BINARY b) - COUNT(DISTINCT b) FROM wl.keyless"), 0u);
  // A nullable unique key: identical rows whose key is NULL.
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM (SELECT 1 FROM wl.unique_nullable WHERE u IS NULL GROUP BY w, s "
                     "HAVING COUNT(*) > 1) dup"), 0u);
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM wl.unique_nullable WHERE u IS NOT NULL"), 0u);

  // Every column of all_types holds NULL somewhere and a value somewhere.
  Rows columns = c.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'wl' "
                         "AND TABLE_NAME = 'all_types' AND COLUMN_NAME <> 'id' ORDER BY ORDINAL_POSITION");
  EXPECT_GE(columns.size(), 55u);
  for (const Row& column : columns) {
    const std::string& name = *column[0];
    Rows r = c.query("SELECT SUM(`" + name + "` IS NULL), SUM(`" + name + "` IS NOT NULL) FROM wl.all_types");
    EXPECT_GT(std::stoull(*r[0][0]), 0u) << name << " is never NULL";
    EXPECT_GT(std::stoull(*r[0][1]), 0u) << name << " is always NULL";
  }
  // Some of the edge values, stored as such.
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM wl.all_types WHERE biu = 18446744073709551615"), 0u);
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM wl.all_types WHERE bi = -9223372036854775808"), 0u);
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM wl.all_types WHERE t6 < '00:00:00' AND MICROSECOND(t6) > 0"), 0u);
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM wl.all_types WHERE dt = '0000-00-00'"), 0u);
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM wl.all_types WHERE HEX(vc) LIKE '%F09F9880%'"), 0u) << "no 4-byte emoji";
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM wl.all_types WHERE RIGHT(vb, 1) = X'00'"), 0u) << "no trailing zero byte";
  EXPECT_GT(count(c, "SELECT COUNT(*) FROM wl.all_types WHERE ts6 = '2038-01-19 03:14:07.999999'"), 0u);
}

TEST(WorkloadTest, TheSeedFixesTheDataAndTheModelChecksTheServerKeepsIt) {
  MariadbServer server("wltest-seed");
  Connection c = server.connect();
  const WorkloadOptions options{.rows = 40, .large_values = false};
  Workload a(7, options), b(7, options), other(8, options);
  a.create_schema(c, "a");
  b.create_schema(c, "b");
  other.create_schema(c, "other");
  a.run(c, 150);
  other.run(c, 150);
  // b interleaved with a third connection's work: only its own sequence matters.
  Connection c2 = server.connect();
  b.run(c2, 70);
  b.run(c, 80);
  EXPECT_EQ(a.stats().committed, b.stats().committed);

  const SchemaComparison same = compare_schema(c, "a", c, "b");
  EXPECT_TRUE(same.equal()) << same.describe();
  EXPECT_EQ(same.tables.size(), 6u);
  const SchemaComparison different = compare_schema(c, "a", c, "other");
  EXPECT_EQ(different.differing_tables().size(), 6u) << different.describe();

  // Rows taken away behind the workload's back: it notices rather than write on regardless.
  c.execute("DELETE FROM other.keyless");
  try {
    other.run(c, 200);
    FAIL() << "200 transactions never noticed that the keyless table was emptied";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("workload model diverged from the server"));
    EXPECT_THAT(e.what(), HasSubstr("`other`.`keyless`"));
  }
}

TEST(WorkloadTest, RunnerStopsBetweenTransactionsEndsAtItsLimitAndReportsErrors) {
  MariadbServer server("wltest-runner");
  Connection c = server.connect();
  const WorkloadOptions options{.rows = 40, .large_values = false};
  Workload w(11, options);
  w.create_schema(c, "run");
  WorkloadRunner runner(w, server.connect());
  runner.start();
  ASSERT_TRUE(runner.wait_committed(120, 60s));
  const WorkloadStats stats = runner.stop();
  EXPECT_TRUE(runner.finished());
  EXPECT_GE(stats.committed, 120u);
  EXPECT_EQ(runner.committed(), stats.committed);
  // The same seed run for as many transactions in one go writes the same rows: the runner's
  // count is exact and it never left a transaction half done.
  Workload replay(11, options);
  replay.create_schema(c, "replay");
  replay.run(c, stats.committed + stats.rolled_back);
  const SchemaComparison result = compare_schema(c, "run", c, "replay");
  EXPECT_TRUE(result.equal()) << result.describe();
  EXPECT_THAT(c.query_value("SELECT COUNT(*) FROM information_schema.INNODB_TRX"), ::testing::Optional(std::string("0")));

  // A limit ends the run by itself.
  Workload limited(5, options);
  limited.create_schema(c, "limited");
  WorkloadRunner by_count(limited, server.connect());
  by_count.start({.transactions = 60});
  const WorkloadStats limited_stats = by_count.wait_finished();
  EXPECT_EQ(limited_stats.committed + limited_stats.rolled_back, 60u);

  // A table dropped behind the workload's back: the runner ends with the server's error.
  Workload broken(6, {.tables = {TableKind::PrimaryKey}, .rows = 20});
  broken.create_schema(c, "broken");
  WorkloadRunner failing(broken, server.connect());
  failing.start();
  ASSERT_TRUE(failing.wait_committed(10, 60s));
  c.execute("DROP TABLE broken.keyed");
  EXPECT_FALSE(failing.wait_committed(UINT64_MAX, 60s));  // returns when the run ends
  EXPECT_TRUE(failing.finished());
  try {
    failing.stop();
    FAIL() << "the runner hid the workload's error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("broken.keyed' doesn't exist"));
  }
}

}  // namespace
}  // namespace ferry::testing
