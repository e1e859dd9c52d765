// The test-server tooling itself: every integration test trusts these properties of its servers.
#include "support/mariadb_server.hpp"

#include "support/run_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace ferry::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::StartsWith;

TEST(MariadbServerTest, StoresRowsAndHasMigrationSourceBinlogDefaults) {
  MariadbServer server("srvtest");
  Connection conn = server.connect();

  conn.execute("CREATE DATABASE shop");
  conn.execute(
      "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, note TEXT NULL)");
  conn.execute("INSERT INTO shop.items VALUES (1, 'pen', NULL), (2, 'ink', 'blue'), (3, 'čaj', '')");
  EXPECT_EQ(conn.query("SELECT id, name, note FROM shop.items ORDER BY id"),
            (Rows{{"1", "pen", std::nullopt}, {"2", "ink", "blue"}, {"3", "čaj", ""}}));

  EXPECT_THAT(conn.query_value("SELECT @@log_bin"), Optional(std::string("1")));
  EXPECT_THAT(conn.query_value("SELECT @@binlog_format"), Optional(std::string("ROW")));
  EXPECT_THAT(conn.query_value("SELECT @@binlog_row_image"), Optional(std::string("FULL")));
  EXPECT_THAT(conn.query_value("SELECT @@binlog_row_metadata"), Optional(std::string("FULL")));
  EXPECT_THAT(conn.query_value("SELECT @@binlog_checksum"), Optional(std::string("CRC32")));
  EXPECT_THAT(conn.query_value("SELECT @@gtid_strict_mode"), Optional(std::string("1")));
  EXPECT_THAT(conn.query_value("SELECT @@bind_address"), Optional(std::string("127.0.0.1")));
  EXPECT_THAT(conn.query_value("SELECT @@server_id"), Optional(std::to_string(server.port())));

  Rows logs = conn.query("SHOW BINARY LOGS");
  ASSERT_GE(logs.size(), 1u);
  EXPECT_THAT(logs[0][0], Optional(StartsWith("binlog.")));
  // Exactly our three transactions: setting up the users is kept out of the binlog, so a test
  // that reads it from the start sees only its own events.
  EXPECT_THAT(conn.query_value("SELECT @@gtid_binlog_pos"),
              Optional("0-" + std::to_string(server.port()) + "-3"));

  EXPECT_THAT(conn.query_value("SHOW GRANTS"),
              Optional(AllOf(HasSubstr("GRANT ALL PRIVILEGES ON *.*"),
                             HasSubstr("WITH GRANT OPTION"))));
}

TEST(MariadbServerTest, SetOptionReplacesOnlyThatDefault) {
  MariadbServer server("srvtest-minimal", {"binlog_row_image=MINIMAL"});
  Connection conn = server.connect();
  EXPECT_THAT(conn.query_value("SELECT @@binlog_row_image"), Optional(std::string("MINIMAL")));
  EXPECT_THAT(conn.query_value("SELECT @@binlog_row_metadata"), Optional(std::string("FULL")));
}

TEST(MariadbServerTest, TwoServersRunAtOnceOnDifferentPorts) {
  MariadbServer a("srvtest-a");
  MariadbServer b("srvtest-b");
  EXPECT_NE(a.port(), b.port());
  EXPECT_NE(a.directory(), b.directory());

  Connection to_a = a.connect();
  Connection to_b = b.connect();
  to_a.execute("CREATE DATABASE only_on_a");
  EXPECT_EQ(to_a.query("SHOW DATABASES LIKE 'only_on_a'").size(), 1u);
  EXPECT_EQ(to_b.query("SHOW DATABASES LIKE 'only_on_a'").size(), 0u);
  EXPECT_NE(to_a.query_value("SELECT @@server_id"), to_b.query_value("SELECT @@server_id"));
}

// True while `pid` is a live process. A zombie counts as gone: it has exited, and whether pid 1
// has reaped it yet is not the server's doing.
bool process_alive(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string content;
  if (!std::getline(stat, content)) return false;
  auto state = content.find(") ");
  return state != std::string::npos && content[state + 2] != 'Z' && content[state + 2] != 'X';
}

TEST(MariadbServerTest, DestructorStopsTheServerAndRemovesItsDirectory) {
  std::filesystem::path dir;
  std::string pid;
  {
    MariadbServer server("srvtest-stop");
    dir = server.directory();
    std::ifstream(dir / "mariadbd.pid") >> pid;
    ASSERT_FALSE(pid.empty());
    ASSERT_TRUE(process_alive(pid));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_FALSE(process_alive(pid));
}

TEST(MariadbServerTest, RestartKeepsDataPortAndBinlogAndAddsOptions) {
  MariadbServer server("srvtest-restart");
  const int port = server.port();
  Connection before = server.connect();
  before.execute("CREATE DATABASE kept");
  before.execute("CREATE TABLE kept.t (id INT PRIMARY KEY)");
  before.execute("INSERT INTO kept.t VALUES (1), (2)");
  const auto gtid = before.query_value("SELECT @@gtid_binlog_pos");

  server.stop();
  EXPECT_FALSE(server.running());
  EXPECT_THROW(before.execute("SELECT 1"), std::runtime_error);
  EXPECT_THROW(server.connect(), std::runtime_error);

  server.start({"max_connections=77"});
  EXPECT_TRUE(server.running());
  EXPECT_EQ(server.port(), port);
  Connection after = server.connect();
  EXPECT_EQ(after.query("SELECT id FROM kept.t ORDER BY id"), (Rows{{"1"}, {"2"}}));
  EXPECT_EQ(after.query_value("SELECT @@gtid_binlog_pos"), gtid);
  EXPECT_THAT(after.query_value("SELECT @@max_connections"), Optional(std::string("77")));
  // The defaults are still those of a migration source.
  EXPECT_THAT(after.query_value("SELECT @@binlog_format"), Optional(std::string("ROW")));

  server.restart();
  EXPECT_THAT(server.connect().query_value("SELECT COUNT(*) FROM kept.t"), Optional(std::string("2")));
  EXPECT_THAT(server.connect().query_value("SELECT @@max_connections"), Optional(std::string("77")));
}

TEST(MariadbServerTest, FailedStartThrowsTheServerErrorAndLeavesNothingBehind) {
  const std::string prefix = "srvtest-bad";
  try {
    MariadbServer server(prefix, {"no_such_option=1"});
    FAIL() << "started a server with an unknown option";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown variable 'no_such_option=1'"));
  }
  const std::string ours = prefix + "-" + std::to_string(getpid()) + "-";
  for (const auto& entry : std::filesystem::directory_iterator(servers_directory())) {
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(StartsWith(ours)));
  }
}

}  // namespace
}  // namespace ferry::testing
