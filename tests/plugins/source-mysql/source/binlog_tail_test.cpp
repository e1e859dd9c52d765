// `ferry binlog tail` against a live server shows exactly what `ferry binlog decode` shows for
// the same binlog file: the live path and the file path decode alike.
#include "support/mariadb_server.hpp"
#include "support/run_command.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) out.push_back(line);
  return out;
}

// The line without its leading "file" field, which names the file differently in the two tools.
std::string without_file(const std::string& line) {
  const auto at = line.find(",\"start\":");
  return at == std::string::npos ? line : line.substr(at);
}

TEST(BinlogTail, ShowsLiveWhatDecodeShowsFromTheFile) {
  ferry::testing::MariadbServer server("tail");
  auto c = server.connect();
  c.execute("CREATE DATABASE d");
  c.execute("CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(10))");
  c.execute("INSERT INTO d.t VALUES (1, 'a'), (2, 'b')");
  c.execute("UPDATE d.t SET v = 'c' WHERE id = 2");

  const auto decoded = ferry::testing::run_command_split(
      {FERRY_BINARY, "binlog", "decode", (server.datadir() / "binlog.000001").string()});
  ASSERT_EQ(decoded.exit_code, 0) << decoded.err;
  // A replica is not sent ANNOTATE_ROWS unless it asks; everything else must be the same.
  std::vector<std::string> want;
  for (auto& l : lines(decoded.out)) {
    if (l.find("\"type\":\"ANNOTATE_ROWS\"") == std::string::npos) want.push_back(l);
  }
  ASSERT_GT(want.size(), 5u);

  ::setenv("FERRY_UPSTREAM_PASSWORD", server.password().c_str(), 1);
  // The live stream starts with an artificial ROTATE, then the same events as the file; --to-end
  // ends it where the binlog ends.
  const auto tailed = ferry::testing::run_command_split(
      {FERRY_BINARY, "binlog", "tail", "--host", "127.0.0.1", "--port", std::to_string(server.port()), "--user",
       server.user(), "--start", "binlog.000001:4", "--to-end"});
  ASSERT_EQ(tailed.exit_code, 0) << tailed.err;
  auto got = lines(tailed.out);
  ASSERT_EQ(got.size(), want.size() + 1);
  EXPECT_NE(got[0].find("\"type\":\"ROTATE\""), std::string::npos) << got[0];
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(without_file(got[i + 1]), without_file(want[i])) << "event " << i;
}

TEST(BinlogTail, TakesTheConnectionFromADmSourceFile) {
  ferry::testing::MariadbServer server("tailsrc");
  auto c = server.connect();
  c.execute("CREATE DATABASE d");
  c.execute("CREATE TABLE d.t (id INT PRIMARY KEY)");
  c.execute("INSERT INTO d.t VALUES (7)");
  const auto dir = std::filesystem::temp_directory_path() / ("ferry-tail-source-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "source.yaml") << "source-id: mysql-01\nfrom:\n  host: 127.0.0.1\n  port: " << server.port()
                                     << "\n  user: " << server.user() << "\n  password: " << server.password() << "\n";
  std::ofstream(dir / "broken.yaml") << "source-id: mysql-01\nfrom: [127.0.0.1]\n";
  ::unsetenv("FERRY_UPSTREAM_PASSWORD");  // the file's password, nothing else

  const auto r = ferry::testing::run_command_split(
      {FERRY_BINARY, "binlog", "tail", "--source", (dir / "source.yaml").string(), "--start", "binlog.000001:4", "--to-end"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"after\":{\"id\":7}"), std::string::npos) << r.out;

  const auto bad = ferry::testing::run_command_split(
      {FERRY_BINARY, "binlog", "tail", "--source", (dir / "broken.yaml").string(), "--to-end"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("broken.yaml has no `from:` map"), std::string::npos) << bad.err;
  std::filesystem::remove_all(dir);
}

TEST(BinlogTail, AWrongPasswordFailsWithTheServersMessage) {
  ferry::testing::MariadbServer server("tailpw");
  ::setenv("FERRY_UPSTREAM_PASSWORD", "wrong", 1);
  const auto r = ferry::testing::run_command_split({FERRY_BINARY, "binlog", "tail", "--host", "127.0.0.1", "--port",
                                                    std::to_string(server.port()), "--user", server.user(), "--to-end"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Access denied"), std::string::npos) << r.err;
}

// --start-gtid reads either flavor by its syntax: a MySQL set is parsed (and its errors said),
// and a MariaDB upstream refuses it by name instead of streaming from somewhere else.
TEST(BinlogTail, AStartGtidOfTheOtherFlavorIsRefusedAndAMalformedOneExplained) {
  ferry::testing::MariadbServer server("tailgtid");
  ::setenv("FERRY_UPSTREAM_PASSWORD", server.password().c_str(), 1);
  auto tail = [&](const std::string& gtid) {
    return ferry::testing::run_command_split({FERRY_BINARY, "binlog", "tail", "--host", "127.0.0.1", "--port",
                                              std::to_string(server.port()), "--user", server.user(), "--start-gtid",
                                              gtid, "--to-end"});
  };
  const auto mysql_set = tail("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
  EXPECT_EQ(mysql_set.exit_code, 1);
  EXPECT_NE(mysql_set.err.find("a MySQL GTID set was given for a MariaDB upstream"), std::string::npos) << mysql_set.err;
  const auto malformed = tail("3e11fa47-71ca-11e1-9e33-c80aa9429562:5-3");
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("--start-gtid: "), std::string::npos) << malformed.err;
}

}  // namespace
