// A run that starts while a downstream session of an earlier run is still working must not read
// the checkpoint before that session has ended: the session may yet commit a transaction with
// its checkpoint row, and a run that read the checkpoint before would apply it again (found as a
// rare duplicate key after a SIGKILL during a fast catch-up). Every ferry session holds a named
// lock (plugins/sink-tidb/downstream/session_lock.hpp); here the test holds worker 0's lock the
// way such a session would, and ferry must wait for it before it applies anything.
#include "sync_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace ferry::testing {
namespace {

using ::testing::HasSubstr;

TEST(SyncSessionLocks, AStartWaitsUntilAnEarlierRunsSessionHasEnded) {
  SyncFixture f("sync_session_lock");
  Connection up = f.up().connect();
  Connection down = f.down().connect();
  Connection earlier = f.down().connect();  // stands for a session of a run that died
  // The lock name of worker 0: kind, meta schema and task, source id (the task's name), role.
  const std::string lock = "'ferry:sync:dm_meta." + f.task() + ":" + f.task() + ":w0'";
  ASSERT_EQ(earlier.query_value("SELECT GET_LOCK(" + lock + ", 0)"), "1");

  up.execute("CREATE DATABASE shop");
  up.execute("CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20))");
  up.execute("INSERT INTO shop.items VALUES (1, 'one')");
  f.ferry().start();

  // ferry waits on the lock (MariaDB shows the waiting session in state "User lock")...
  bool waiting = false;
  for (int i = 0; i < 300 && !waiting; ++i) {
    waiting = down.query_value("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = 'User lock'") == "1";
    // Polling the server for ferry's wait: bounds how late we notice, not a timing assumption.
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(waiting) << "ferry never waited for the earlier session's lock\n" << f.log_tail();
  // ...before it has read or applied anything.
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'"), "0");
  EXPECT_TRUE(f.ferry().running()) << f.log_tail();

  earlier.execute("DO RELEASE_LOCK(" + lock + ")");  // the earlier session ends
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_THAT(f.log_tail(20000), HasSubstr("waited for the downstream sessions of an earlier run to end"));
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  EXPECT_EQ(table_fingerprint(down, "shop.items"), table_fingerprint(up, "shop.items"));
}

}  // namespace
}  // namespace ferry::testing
