// The mysql-binlog source against a real MariaDB server, driven through the SDK harness: live
// events in order with exact values, checkpoints at transaction boundaries, and a connection
// killed in the middle of a large transaction with nothing lost or repeated.
#include "source/catalog.hpp"
#include "source/mysql_binlog_source.hpp"

#include "support/mariadb_server.hpp"
#include "support/tcp_proxy.hpp"

#include <ferry/sdk/testing/harness.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

using ferry::sdk::testing::Harness;
using ferry::sdk::testing::Map;

Map source_config(const ferry::testing::MariadbServer& server) {
  return {{"host", "127.0.0.1"},
          {"port", std::to_string(server.port())},
          {"user", server.user()},
          {"password", server.password()},
          {"heartbeat-period", "200ms"},
          {"checkpoint-interval", "0ms"}};
}

// Polls until `done` says enough arrived; every poll returns within a heartbeat period, so the
// bound is on polls, not on time.
template <typename Done>
std::vector<std::string> poll_until(Harness<MysqlBinlogSource>& h, Done done, uint32_t capacity = 1024,
                                    std::vector<uint32_t>* statuses = nullptr) {
  std::vector<std::string> events;
  for (int i = 0; i < 20000 && !done(events); ++i) {
    uint32_t status = FERRY_OK;
    for (auto& e : h.poll_source(capacity, &status)) {
      if (e.find("\"kind\":\"heartbeat\"") == std::string::npos) events.push_back(std::move(e));
    }
    if (statuses) statuses->push_back(status);
    if (status == FERRY_ERROR) break;
  }
  return events;
}

size_t count_kind(const std::vector<std::string>& events, const std::string& kind) {
  size_t n = 0;
  for (const auto& e : events) n += e.find("\"kind\":\"" + kind + "\"") != std::string::npos;
  return n;
}

// The event without its position, to compare content.
std::string strip_pos(const std::string& e) {
  auto at = e.find(",\"pos\":");
  return at == std::string::npos ? e : e.substr(0, at) + "}";
}

class MysqlBinlogSourceTest : public ::testing::Test {
 protected:
  ferry::testing::MariadbServer server{"source"};
};

TEST_F(MysqlBinlogSourceTest, StreamsTransactionsWithExactValuesAndCheckpoints) {
  auto c = server.connect();
  c.execute("CREATE DATABASE shop");
  c.execute("CREATE TABLE shop.orders (id INT UNSIGNED PRIMARY KEY, amount DECIMAL(10,2), note VARCHAR(20))");
  Harness<MysqlBinlogSource> h(source_config(server));
  h.poll_source();  // opens at the current position: only what follows is streamed
  c.execute("INSERT INTO shop.orders VALUES (4294967295, -12.50, 'naïve'), (2, 0.00, NULL)");
  c.execute("UPDATE shop.orders SET note = 'x' WHERE id = 2");
  c.execute("DELETE FROM shop.orders WHERE id = 2");
  auto events = poll_until(h, [](const auto& ev) { return count_kind(ev, "commit") >= 3; });
  std::vector<std::string> rows;
  for (const auto& e : events) {
    if (e.find("\"kind\":\"row\"") != std::string::npos) rows.push_back(strip_pos(e));
  }
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0],
            R"({"kind":"row","op":"insert","schema":"shop","table":"orders","after":{"id":4294967295,"amount":"-12.50","note":"naïve"}})");
  EXPECT_EQ(rows[1], R"({"kind":"row","op":"insert","schema":"shop","table":"orders","after":{"id":2,"amount":"0.00","note":null}})");
  EXPECT_EQ(rows[2],
            R"({"kind":"row","op":"update","schema":"shop","table":"orders","before":{"id":2,"amount":"0.00","note":null},"after":{"id":2,"amount":"0.00","note":"x"}})");
  EXPECT_EQ(rows[3], R"({"kind":"row","op":"delete","schema":"shop","table":"orders","before":{"id":2,"amount":"0.00","note":"x"}})");
  EXPECT_EQ(count_kind(events, "begin"), 3u);
  EXPECT_GE(count_kind(events, "checkpoint"), 1u);
  // A checkpoint carries the GTID set including the transactions before it.
  const std::string gtid = c.query_value("SELECT @@gtid_binlog_pos").value_or("?");
  bool found = false;
  for (const auto& e : events) found |= e.find("\"kind\":\"checkpoint\"") != std::string::npos && e.find(gtid) != std::string::npos;
  EXPECT_TRUE(found) << "no checkpoint at " << gtid;
}

TEST_F(MysqlBinlogSourceTest, DdlComesThroughAsADdlEvent) {
  auto c = server.connect();
  Harness<MysqlBinlogSource> h(source_config(server));
  h.poll_source();
  c.execute("CREATE DATABASE inv");
  c.execute("CREATE TABLE inv.items (id INT PRIMARY KEY)");
  auto events = poll_until(h, [](const auto& ev) { return count_kind(ev, "ddl") >= 2; });
  ASSERT_EQ(count_kind(events, "ddl"), 2u);
  std::vector<std::string> ddl;
  for (const auto& e : events) {
    if (e.find("\"kind\":\"ddl\"") != std::string::npos) ddl.push_back(e);
  }
  EXPECT_NE(ddl[0].find("CREATE DATABASE inv"), std::string::npos) << ddl[0];
  EXPECT_NE(ddl[1].find("CREATE TABLE inv.items"), std::string::npos) << ddl[1];
  EXPECT_EQ(count_kind(events, "begin"), 0u);  // a DDL is its own unit, not a transaction
}

// The replication connection is cut (through a proxy, as a network failure would) while a
// 40,000-row transaction of 10 MB is half emitted: more than the client's socket buffers hold,
// so the server is still sending when the cut lands. The source reconnects from the last complete
// transaction and skips what it already handed out.
TEST_F(MysqlBinlogSourceTest, AConnectionCutMidTransactionLosesAndRepeatsNothing) {
  auto c = server.connect();
  c.execute("CREATE DATABASE big");
  c.execute("CREATE TABLE big.t (id INT PRIMARY KEY, pad CHAR(255) CHARACTER SET latin1)");
  ferry::testing::TcpProxy proxy(static_cast<uint16_t>(server.port()));
  Map config = source_config(server);
  for (auto& [k, v] : config) {
    if (k == "port") v = std::to_string(proxy.port());
  }
  Harness<MysqlBinlogSource> h(config);
  h.poll_source();
  c.execute("INSERT INTO big.t VALUES (0, 'before')");
  c.execute("INSERT INTO big.t SELECT seq, REPEAT('x', 255) FROM big.seq_1_to_40000");  // one transaction
  c.execute("INSERT INTO big.t VALUES (40001, 'after')");

  std::vector<std::string> events;
  // Small batches: the big transaction spans many polls. Cut the connection after a few.
  auto first = poll_until(h, [](const auto& ev) { return count_kind(ev, "row") >= 100; }, 64);
  events.insert(events.end(), first.begin(), first.end());
  ASSERT_LT(count_kind(events, "row"), 40000u) << "the transaction was not interrupted";
  ASSERT_GE(proxy.cut(), 1);
  std::vector<uint32_t> statuses;
  const size_t commits_before = count_kind(events, "commit");
  auto rest = poll_until(h, [&](const auto& ev) { return commits_before + count_kind(ev, "commit") >= 3; }, 64, &statuses);
  events.insert(events.end(), rest.begin(), rest.end());
  EXPECT_NE(std::find(statuses.begin(), statuses.end(), static_cast<uint32_t>(FERRY_RETRYABLE)), statuses.end())
      << "the cut was not noticed";

  std::vector<int> ids;
  for (const auto& e : events) {
    auto at = e.find("\"after\":{\"id\":");
    if (e.find("\"kind\":\"row\"") != std::string::npos && at != std::string::npos) ids.push_back(std::stoi(e.substr(at + 14)));
  }
  std::vector<int> want(40002);
  for (int i = 0; i <= 40001; ++i) want[i] = i;
  EXPECT_EQ(ids, want);
  EXPECT_EQ(count_kind(events, "begin"), 3u);
  EXPECT_EQ(count_kind(events, "commit"), 3u);
}

TEST_F(MysqlBinlogSourceTest, AWrongPasswordIsARetryableConnectError) {
  Map config = source_config(server);
  for (auto& [k, v] : config) {
    if (k == "password") v = "wrong";
  }
  Harness<MysqlBinlogSource> h(config);
  uint32_t status = FERRY_OK;
  h.poll_source(16, &status);
  EXPECT_EQ(status, static_cast<uint32_t>(FERRY_RETRYABLE));
  EXPECT_EQ(h.context().error_code, static_cast<uint32_t>(FERRY_E_UPSTREAM_CONNECT));
  EXPECT_NE(h.context().error_message.find("Access denied"), std::string::npos) << h.context().error_message;
  EXPECT_EQ(h.context().error_message.find("wrong"), std::string::npos) << "the password leaked into the message";
}

// A start time picks the file opened at or before it, then skips transactions committed before
// it. Event times are set with SET TIMESTAMP, so no clock is waited on.
TEST_F(MysqlBinlogSourceTest, StartsAtTheFirstTransactionAtOrAfterTheStartTime) {
  auto c = server.connect();
  const int64_t now = std::stoll(c.query_value("SELECT UNIX_TIMESTAMP()").value_or("0"));
  c.execute("CREATE DATABASE st");
  c.execute("CREATE TABLE st.t (id INT PRIMARY KEY)");
  c.execute("SET TIMESTAMP = " + std::to_string(now - 1000));
  c.execute("INSERT INTO st.t VALUES (1)");  // in the first file: excluded by the file choice
  c.execute("FLUSH BINARY LOGS");           // the second file opens at (real) now
  c.execute("SET TIMESTAMP = " + std::to_string(now + 50));
  c.execute("INSERT INTO st.t VALUES (2)");  // in the start file, before the start time: skipped
  c.execute("SET TIMESTAMP = " + std::to_string(now + 200));
  c.execute("INSERT INTO st.t VALUES (3)");
  c.execute("INSERT INTO st.t VALUES (4)");
  std::time_t start = static_cast<std::time_t>(now + 100);
  std::tm tm{};
  gmtime_r(&start, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  Map config = source_config(server);
  config.emplace_back("start-time", text);
  Harness<MysqlBinlogSource> h(config);
  auto events = poll_until(h, [](const auto& ev) { return count_kind(ev, "commit") >= 2; });
  std::vector<std::string> ids;
  for (const auto& e : events) {
    auto at = e.find("\"after\":{\"id\":");
    if (at != std::string::npos) ids.push_back(e.substr(at + 14, 1));
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(count_kind(events, "begin"), 2u);
}

// A transaction followed by silence: the source used to read on for the next event with the
// transaction in its batch, so the batch left only with the upstream's next heartbeat (ten seconds
// here) and the sink saw the transaction that late. It must go out once the upstream is quiet,
// with its checkpoint, however long the host lets a poll wait.
TEST_F(MysqlBinlogSourceTest, TheLastTransactionBeforeASilenceGoesOutWithoutWaitingForAHeartbeat) {
  auto c = server.connect();
  c.execute("CREATE DATABASE quiet");
  c.execute("CREATE TABLE quiet.t (id INT PRIMARY KEY)");
  auto status = c.query("SHOW MASTER STATUS");
  const std::string file = status.at(0).at(0).value_or("");
  const std::string pos = status.at(0).at(1).value_or("4");
  c.execute("INSERT INTO quiet.t VALUES (1)");
  Map config = source_config(server);
  for (auto& [k, v] : config) {
    if (k == "heartbeat-period") v = "10s";
  }
  config.emplace_back("binlog-name", file);
  config.emplace_back("binlog-pos", pos);
  Harness<MysqlBinlogSource> h(config);
  const auto began = std::chrono::steady_clock::now();
  std::vector<std::string> events;
  for (int i = 0; i < 100 && count_kind(events, "checkpoint") == 0; ++i) {
    for (auto& e : h.poll_source(1024, nullptr, 30'000)) events.push_back(std::move(e));
  }
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(count_kind(events, "row"), 1u);
  EXPECT_EQ(count_kind(events, "commit"), 1u);
  EXPECT_EQ(count_kind(events, "checkpoint"), 1u);
  EXPECT_LT(took, std::chrono::seconds(5)) << "the transaction waited for the heartbeat";
}

// Unique keys are never in the binlog: the catalog reads them, by column name, for the sink's
// choice of a row's identity on tables without a primary key.
TEST_F(MysqlBinlogSourceTest, CatalogReadsUniqueKeysByColumnName) {
  auto c = server.connect();
  c.execute("CREATE DATABASE k");
  c.execute("CREATE TABLE k.t (a INT, b INT NOT NULL, c INT NOT NULL, d INT, UNIQUE KEY ub (b), UNIQUE KEY ucd (c, d), KEY plain (a))");
  ConnectionOptions options;
  options.port = static_cast<uint16_t>(server.port());
  options.user = server.user();
  options.password = server.password();
  Catalog catalog(options);
  TableMap map;
  map.schema = "k";
  map.table = "t";
  map.has_names = true;
  for (const char* name : {"d", "c", "b", "a"}) {  // the event's order need not be the table's
    ColumnInfo col;
    col.type = 3;
    col.name = name;
    map.columns.push_back(col);
  }
  bool retryable = false;
  ASSERT_EQ(catalog.complete(map, retryable), std::nullopt);
  ASSERT_EQ(map.unique_keys.size(), 2u);
  EXPECT_EQ(map.unique_keys[0].name, "ub");
  EXPECT_EQ(map.unique_keys[0].columns, (std::vector<uint32_t>{2}));
  EXPECT_EQ(map.unique_keys[1].name, "ucd");
  EXPECT_EQ(map.unique_keys[1].columns, (std::vector<uint32_t>{1, 0}));
  EXPECT_TRUE(map.keys_known);
}

// Without binlog_row_metadata the binlog has no names, signedness or charsets: the source reads
// them from information_schema, so values come out exactly as with FULL metadata.
TEST(MysqlBinlogSourceWithoutMetadata, FillsNamesSignednessAndCharsetsFromTheCatalog) {
  ferry::testing::MariadbServer server("nometa", {"binlog_row_metadata=NO_LOG"});
  auto c = server.connect();
  c.execute("CREATE DATABASE app");
  c.execute("CREATE TABLE app.u (id INT UNSIGNED PRIMARY KEY, b VARBINARY(4), t VARCHAR(8), e ENUM('lo','hi'))");
  Harness<MysqlBinlogSource> h(source_config(server));
  h.poll_source();
  c.execute("INSERT INTO app.u VALUES (4294967295, 0x00FF, 'text', 'hi')");
  auto events = poll_until(h, [](const auto& ev) { return count_kind(ev, "commit") >= 1; });
  std::string row;
  for (const auto& e : events) {
    if (e.find("\"kind\":\"row\"") != std::string::npos) row = strip_pos(e);
  }
  EXPECT_EQ(row,
            R"({"kind":"row","op":"insert","schema":"app","table":"u","after":{"id":4294967295,"b":{"hex":"00ff"},"t":"text","e":"hi"}})");
}

}  // namespace
}  // namespace ferry::mysql
