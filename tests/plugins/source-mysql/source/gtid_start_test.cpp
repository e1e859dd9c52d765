// Starting the mysql-binlog source from a MariaDB GTID set, against a real MariaDB server: with
// binlog-gtid alone (no binlog-name) the source starts right after that set, with or without
// enable-gtid, and not at the upstream's current position; the checkpoints carry the set as it
// grows. (The MySQL side of the same start, COM_BINLOG_DUMP_GTID, needs a MySQL server, which
// is not packaged here: mysql_gtid_test covers what can be checked without one.)
#include "source/mysql_binlog_source.hpp"

#include "support/mariadb_server.hpp"

#include <ferry/sdk/testing/harness.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

using ferry::sdk::testing::Harness;
using ferry::sdk::testing::Map;

size_t count_kind(const std::vector<std::string>& events, const std::string& kind) {
  size_t n = 0;
  for (const auto& e : events) n += e.find("\"kind\":\"" + kind + "\"") != std::string::npos;
  return n;
}

class GtidStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = server_.connect();
    c.execute("CREATE DATABASE g");
    c.execute("CREATE TABLE g.t (id INT PRIMARY KEY)");
    c.execute("INSERT INTO g.t VALUES (1)");
    after_first_ = c.query_value("SELECT @@gtid_binlog_pos").value_or("");
    c.execute("INSERT INTO g.t VALUES (2)");
    c.execute("INSERT INTO g.t VALUES (3)");
    at_end_ = c.query_value("SELECT @@gtid_binlog_pos").value_or("");
  }

  Map config(std::vector<std::pair<std::string, std::string>> extra) const {
    Map m = {{"host", "127.0.0.1"},
             {"port", std::to_string(server_.port())},
             {"user", server_.user()},
             {"password", server_.password()},
             {"heartbeat-period", "200ms"},
             {"checkpoint-interval", "0ms"}};
    for (auto& kv : extra) m.push_back(std::move(kv));
    return m;
  }

  // Everything up to the second commit, or up to a bounded number of polls.
  static std::vector<std::string> poll_two_commits(Harness<MysqlBinlogSource>& h) {
    std::vector<std::string> events;
    for (int i = 0; i < 200 && count_kind(events, "commit") < 2; ++i) {
      uint32_t status = FERRY_OK;
      for (auto& e : h.poll_source(1024, &status)) {
        if (e.find("\"kind\":\"heartbeat\"") == std::string::npos) events.push_back(std::move(e));
      }
      if (status != FERRY_OK) break;
    }
    return events;
  }

  void expect_rows_2_and_3(const std::vector<std::string>& events) const {
    std::vector<std::string> rows;
    for (const auto& e : events) {
      if (e.find("\"kind\":\"row\"") != std::string::npos) rows.push_back(e);
    }
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_NE(rows[0].find("\"after\":{\"id\":2}"), std::string::npos) << rows[0];
    EXPECT_NE(rows[1].find("\"after\":{\"id\":3}"), std::string::npos) << rows[1];
    bool found = false;
    for (const auto& e : events) {
      found |= e.find("\"kind\":\"checkpoint\"") != std::string::npos && e.find("\"gtid\":\"" + at_end_ + "\"") != std::string::npos;
    }
    EXPECT_TRUE(found) << "no checkpoint at " << at_end_;
  }

  ferry::testing::MariadbServer server_{"gtid-start"};
  std::string after_first_, at_end_;
};

TEST_F(GtidStartTest, BinlogGtidAloneStartsAfterTheSet) {
  ASSERT_FALSE(after_first_.empty());
  Harness<MysqlBinlogSource> h(config({{"binlog-gtid", after_first_}}));
  expect_rows_2_and_3(poll_two_commits(h));
}

TEST_F(GtidStartTest, BinlogGtidWithEnableGtidStartsAfterTheSet) {
  Harness<MysqlBinlogSource> h(config({{"binlog-gtid", after_first_}, {"enable-gtid", "true"}}));
  expect_rows_2_and_3(poll_two_commits(h));
}

TEST_F(GtidStartTest, AMysqlStartSetForAMariadbUpstreamIsRefused) {
  Harness<MysqlBinlogSource> h(config({{"binlog-gtid", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"}}));
  uint32_t status = FERRY_OK;
  h.poll_source(16, &status);
  EXPECT_EQ(status, FERRY_ERROR);
  EXPECT_NE(h.context().error_message.find("is MySQL's (uuid:N-M), but the upstream is MariaDB"), std::string::npos)
      << h.context().error_message;
}

}  // namespace
}  // namespace ferry::mysql
