// DM's own task and source files, unchanged: `ferry run task.yaml --source source.yaml` syncs
// and keeps DM's checkpoint table; --remove-meta starts over. (What DM files are refused for,
// and how they translate, is tested without servers in tests/core/config/dm.)
#include "sync_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>

namespace ferry::testing {
namespace {

using ::testing::HasSubstr;

TEST(SyncDmTask, TheSampleDmTaskFileSyncs) {
  SyncFixture f("dm-sample");
  const auto [file, pos] = f.upstream_position();
  setenv("UPSTREAM_PORT", std::to_string(f.up().port()).c_str(), 1);
  setenv("UPSTREAM_USER", f.up().user().c_str(), 1);
  setenv("UPSTREAM_PASSWORD", f.up().password().c_str(), 1);
  setenv("UPSTREAM_BINLOG_NAME", file.c_str(), 1);
  setenv("UPSTREAM_BINLOG_POS", std::to_string(pos).c_str(), 1);
  setenv("DOWNSTREAM_PORT", std::to_string(f.down().port()).c_str(), 1);
  setenv("DOWNSTREAM_USER", f.down().user().c_str(), 1);
  setenv("DOWNSTREAM_PASSWORD", f.down().password().c_str(), 1);
  const std::string samples = std::string(SAMPLES_DIR) + "/dm/";
  FerryProcess ferry(FERRY_BINARY, {"--plugin-dir", FERRY_PLUGIN_DIR, "run", samples + "task.yaml", "--source", samples + "source.yaml"},
                     f.dir() / "dm-ferry.log");
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE app");
  up.execute("CREATE TABLE app.users (id INT PRIMARY KEY, name VARCHAR(30))");
  up.execute("INSERT INTO app.users VALUES (1, 'ada'), (2, 'grace')");
  ferry.start();
  up.execute("UPDATE app.users SET name = 'Ada' WHERE id = 1");
  ASSERT_TRUE(f.wait_caught_up()) << ferry.log_tail();  // dm_meta.`dm-sample_syncer_checkpoint`
  EXPECT_EQ(ferry.stop(), 0) << ferry.log_tail();
  Connection down = f.down().connect();
  EXPECT_EQ(table_fingerprint(down, "app.users"), table_fingerprint(up, "app.users"));
  EXPECT_EQ(down.query_value("SELECT id FROM dm_meta.`dm-sample_syncer_checkpoint` WHERE is_global = 1"), "mariadb-01");

  // --remove-meta starts over from the task's meta position: everything is applied again, and
  // the CREATE DATABASE that exists now pauses the task (it is not a replay ferry knows of).
  FerryProcess again(FERRY_BINARY, {"--plugin-dir", FERRY_PLUGIN_DIR, "run", samples + "task.yaml", "--source",
                                    samples + "source.yaml", "--remove-meta"},
                     f.dir() / "dm-ferry-again.log");
  again.start();
  const auto code = again.wait(60000);
  ASSERT_TRUE(code.has_value()) << again.log_tail();
  EXPECT_NE(*code, 0);
  EXPECT_THAT(again.log_tail(20000), HasSubstr("removed the checkpoint tables"));
  EXPECT_THAT(again.log_tail(20000), HasSubstr("CREATE DATABASE app"));
}

}  // namespace
}  // namespace ferry::testing
