// The mixed workload of the test support (every key shape, keyless tables with duplicate and
// collation-equal rows, every column type; primary-key changes, reused keys, upserts, REPLACE,
// rollbacks, multi-statement transactions) runs upstream while ferry syncs; afterwards every
// table matches row for row, compared exactly per type.
#include "support/table_compare.hpp"
#include "support/workload.hpp"
#include "support/workload_runner.hpp"
#include "sync_fixture.hpp"

#include <gtest/gtest.h>

namespace ferry::testing {
namespace {

void workload_matches(SyncFixture& f, uint64_t seed, uint64_t transactions) {
  Workload workload(seed);
  Connection setup = f.up().connect();
  workload.create_schema(setup, "mixed");
  WorkloadRunner runner(workload, f.up().connect());
  f.ferry().start();
  runner.start(RunLimit{transactions, {}});
  const WorkloadStats stats = runner.wait_finished();
  EXPECT_GE(stats.committed, transactions * 8 / 10);
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  const SchemaComparison result = wait_until_equal(f.up(), f.down(), "mixed", WaitOptions{3, std::chrono::milliseconds(100), 5});
  EXPECT_TRUE(result.equal()) << result.describe();
}

TEST(SyncWorkload, MixedWorkloadWhileSyncingMatchesRowForRow) {
  SyncFixture f("sync_workload", {"worker-count: 8"});
  workload_matches(f, 42, 1500);
}

TEST(SyncWorkload, MixedWorkloadWithoutAtomicTransactionsMatchesForKeyedTables) {
  SyncFixture f("sync_workload_dm", {"worker-count: 8", "atomic-transactions: false"});
  workload_matches(f, 7, 1000);
}

}  // namespace
}  // namespace ferry::testing
