// DM's own task and source files, unchanged: `ferry run task.yaml --source source.yaml` syncs,
// keeps DM's checkpoint table, and refuses what it does not implement by name.
#include "support/run_command.hpp"
#include "sync_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <fstream>

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

// `ferry check` on DM files written for the case, with the exit code and what it printed.
CommandResult check(const std::filesystem::path& dir, const std::string& task, const std::string& source) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "task.yaml") << task;
  std::ofstream(dir / "source.yaml") << source;
  return run_command({FERRY_BINARY, "--plugin-dir", FERRY_PLUGIN_DIR, "check", (dir / "task.yaml").string(), "--source",
                      (dir / "source.yaml").string()});
}

const char* kSource = "source-id: s1\nfrom: {host: 127.0.0.1, port: 3306, user: u, password: p}\n";
const char* kTask =
    "name: t1\ntask-mode: incremental\ntarget-database: {host: 127.0.0.1, port: 4000, user: root, password: ''}\n"
    "mysql-instances:\n  - source-id: s1\n";

TEST(DmTaskFile, AValidTaskTranslatesToTheSyncPlugins) {
  auto r = check(std::filesystem::path(SYNC_WORK_DIR) / "dm-valid", kTask, kSource);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("mode incremental; incremental: mysql-binlog -> tidb"));
}

TEST(DmTaskFile, UnimplementedDmKeysAreRefusedByNameWithTheirPlace) {
  const std::string task = std::string(kTask) +
                           "routes:\n  r1: {schema-pattern: a, target-schema: b}\n"
                           "online-ddl: true\n";
  auto r = check(std::filesystem::path(SYNC_WORK_DIR) / "dm-refused", task, std::string(kSource) + "enable-relay: true\n");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("source.yaml:3:1: DM key 'enable-relay' is not supported by ferry yet"));
  auto r2 = check(std::filesystem::path(SYNC_WORK_DIR) / "dm-refused2", task, kSource);
  EXPECT_EQ(r2.exit_code, 2) << r2.output;
  EXPECT_THAT(r2.output, HasSubstr("task.yaml:6:1: DM key 'routes' is not supported by ferry yet"));
  EXPECT_THAT(r2.output, HasSubstr("task.yaml:8:1: DM key 'online-ddl' is not supported by ferry yet"));
}

TEST(DmTaskFile, MistakesAreReported) {
  const std::string dir = std::string(SYNC_WORK_DIR) + "/dm-mistakes";
  // A key DM does not have, a source-id that is not the source file's, two instances.
  auto r = check(dir + "1", std::string(kTask) + "colour: blue\n", kSource);
  EXPECT_THAT(r.output, HasSubstr("unknown key 'colour'"));
  auto r2 = check(dir + "2", "name: t1\ntask-mode: incremental\ntarget-database: {host: h, port: 4000, user: u}\n"
                             "mysql-instances:\n  - source-id: other\n", kSource);
  EXPECT_THAT(r2.output, HasSubstr("source-id 'other' is not the source file's ('s1'"));
  auto r3 = check(dir + "3", std::string(kTask) + "  - source-id: s2\n", kSource);
  EXPECT_THAT(r3.output, HasSubstr("ferry runs one source per task for now"));
  auto r4 = check(dir + "4", "name: t1\ntask-mode: all\ntarget-database: {host: h, port: 4000, user: u}\n"
                             "mysql-instances:\n  - source-id: s1\n", kSource);
  EXPECT_THAT(r4.output, HasSubstr("task-mode 'all' is not supported by ferry yet"));
  for (const auto* res : {&r, &r2, &r3, &r4}) EXPECT_EQ(res->exit_code, 2) << res->output;
  // A DM task file without --source.
  auto r5 = run_command({FERRY_BINARY, "--plugin-dir", FERRY_PLUGIN_DIR, "check", dir + "1/task.yaml"});
  EXPECT_EQ(r5.exit_code, 2);
  EXPECT_THAT(r5.output, HasSubstr("is a DM task file: give its source file too"));
}

}  // namespace
}  // namespace ferry::testing
