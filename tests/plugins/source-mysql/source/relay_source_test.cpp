// The mysql-binlog source with its relay log (enable-relay) against a real MariaDB server,
// driven through the SDK harness: the relay's files are the upstream's binlog byte for byte,
// the events read from them are the ones the live stream gives (positions included), the
// writer keeps copying while nobody reads, and what the upstream purged meanwhile is still
// served. A crash's partial event is cut, a second task on the same directory is refused, and
// files the task is past are purged.
#include "source/mysql_binlog_source.hpp"

#include "support/mariadb_server.hpp"
#include "support/relay_dir.hpp"
#include "support/tcp_proxy.hpp"

#include <ferry/sdk/testing/harness.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ferry::mysql {
namespace {

using ferry::sdk::testing::Harness;
using ferry::sdk::testing::Map;

struct Position {
  std::string file;
  uint64_t pos = 0;
};

Position master_position(ferry::testing::Connection& c) {
  auto rows = c.query("SHOW MASTER STATUS");
  return {rows.at(0).at(0).value_or(""), std::stoull(rows.at(0).at(1).value_or("0"))};
}

// Each harness a replica id of its own kind: a server drops a replica's stream when another
// connects with the same id, and the direct and relayed sources of a test run side by side.
Map source_config(const ferry::testing::MariadbServer& server, const Position& start,
                  const std::string& server_id = "4000000001") {
  return {{"host", "127.0.0.1"},
          {"server-id", server_id},
          {"port", std::to_string(server.port())},
          {"user", server.user()},
          {"password", server.password()},
          {"heartbeat-period", "200ms"},
          {"checkpoint-interval", "0ms"},
          {"binlog-name", start.file},
          {"binlog-pos", std::to_string(start.pos)}};
}

Map relay_config(const ferry::testing::MariadbServer& server, const Position& start, const std::filesystem::path& dir,
                 std::vector<std::pair<std::string, std::string>> extra = {}) {
  Map m = source_config(server, start, "4000000002");
  m.emplace_back("enable-relay", "true");
  m.emplace_back("relay-dir", dir.string());
  for (auto& [k, v] : extra) m.emplace_back(k, v);
  return m;
}

size_t count_kind(const std::vector<std::string>& events, const std::string& kind) {
  size_t n = 0;
  for (const auto& e : events) n += e.find("\"kind\":\"" + kind + "\"") != std::string::npos;
  return n;
}

// Rows, DDL, BEGIN and COMMIT with their positions (heartbeats and checkpoints come when they
// come). Polls a bounded number of times; each poll returns within a heartbeat period.
std::vector<std::string> poll_commits(Harness<MysqlBinlogSource>& h, size_t commits, uint32_t* last_status = nullptr,
                                      int max_polls = 20000) {
  std::vector<std::string> events;
  for (int i = 0; i < max_polls && count_kind(events, "commit") < commits; ++i) {
    uint32_t status = FERRY_OK;
    for (auto& e : h.poll_source(1024, &status)) {
      if (e.find("\"kind\":\"heartbeat\"") == std::string::npos && e.find("\"kind\":\"checkpoint\"") == std::string::npos) {
        events.push_back(std::move(e));
      }
    }
    if (last_status) *last_status = status;
    if (status != FERRY_OK) break;
  }
  return events;
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// "" when the files hold the same bytes, else where they part (never the bytes themselves).
// The one byte allowed to differ: "binlog in use" in the FORMAT_DESCRIPTION's flags, which the
// server sets in its active file and clears in what it sends to replicas.
std::string difference(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::string x = file_bytes(a), y = file_bytes(b);
  constexpr size_t kFdeFlags = 4 + 17;
  if (x.size() > kFdeFlags && y.size() > kFdeFlags) {
    x[kFdeFlags] = static_cast<char>(x[kFdeFlags] & ~1);
    y[kFdeFlags] = static_cast<char>(y[kFdeFlags] & ~1);
  }
  if (x == y) return "";
  size_t i = 0;
  while (i < x.size() && i < y.size() && x[i] == y[i]) ++i;
  return a.string() + " has " + std::to_string(x.size()) + " bytes, " + b.string() + " " + std::to_string(y.size()) +
         "; they differ from offset " + std::to_string(i);
}

using ferry::testing::relay_index;

// Polls (bounded; the writer runs on its own thread) until the relay holds `file` as long as
// the upstream's.
bool wait_relay_has(const std::filesystem::path& dir, const ferry::testing::MariadbServer& server, const std::string& file) {
  for (int i = 0; i < 400; ++i) {
    const auto files = relay_index(dir);
    if (!files.empty() && files.back() == file &&
        std::filesystem::file_size(dir / file) == std::filesystem::file_size(server.datadir() / file)) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string all_logs(Harness<MysqlBinlogSource>& h) {
  std::string out;
  for (const auto& line : h.logs()) out += line + "\n";
  return out + "error: " + h.context().error_message;
}

bool logged(Harness<MysqlBinlogSource>& h, const std::string& text) {
  for (const auto& line : h.logs()) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

class RelaySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c.execute("CREATE DATABASE r");
    c.execute("CREATE TABLE r.t (id INT PRIMARY KEY, v VARCHAR(200))");
    start = master_position(c);
  }
  // `n` single-row transactions, with a binlog rotation after every `rotate_every`.
  void insert_rows(int from, int n, int rotate_every = 0) {
    for (int i = from; i < from + n; ++i) {
      c.execute("INSERT INTO r.t VALUES (" + std::to_string(i) + ", REPEAT('v', " + std::to_string(i % 180) + "))");
      if (rotate_every > 0 && (i - from + 1) % rotate_every == 0) c.execute("FLUSH BINARY LOGS");
    }
  }

  ferry::testing::MariadbServer server{"relay"};
  ferry::testing::Connection c = server.connect();
  std::filesystem::path relay_dir = server.directory() / "relay";
  Position start;
};

TEST_F(RelaySourceTest, ReadsWhatTheStreamGivesFromFilesThatAreTheUpstreamsBinlog) {
  insert_rows(0, 120, 40);
  c.execute("UPDATE r.t SET v = CONCAT(v, 'é') WHERE id % 3 = 0");
  c.execute("ALTER TABLE r.t ADD COLUMN w INT");
  c.execute("BEGIN");
  for (int i = 1000; i < 1050; ++i) c.execute("INSERT INTO r.t VALUES (" + std::to_string(i) + ", 'big', " + std::to_string(i) + ")");
  c.execute("COMMIT");
  c.execute("DELETE FROM r.t WHERE id < 60");
  const size_t commits = 120 + 3;

  Harness<MysqlBinlogSource> direct(source_config(server, start));
  Harness<MysqlBinlogSource> relayed(relay_config(server, start, relay_dir));
  const auto expected = poll_commits(direct, commits);
  const auto got = poll_commits(relayed, commits);
  ASSERT_EQ(count_kind(expected, "commit"), commits);
  ASSERT_EQ(got.size(), expected.size()) << all_logs(relayed);
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected[i]) << "event " << i;
  EXPECT_TRUE(logged(relayed, "reading the relay log")) << "the events must come from the relay";

  // Every relay file is the upstream's file of that name, byte for byte.
  const auto files = relay_index(relay_dir);
  ASSERT_EQ(files.size(), 4u);  // the start file and three rotations
  EXPECT_EQ(files.front(), start.file);
  EXPECT_EQ(files.back(), master_position(c).file);
  for (const auto& f : files) {
    EXPECT_EQ(difference(relay_dir / f, server.datadir() / f), "");
  }
  EXPECT_EQ(relayed.metric("relay_binlog_pos"), static_cast<double>(std::filesystem::file_size(relay_dir / files.back())));
  EXPECT_EQ(relayed.metric("relay_binlog_file"), 4.0);
}

// As from the network (MysqlBinlogSourceTest): the last transaction before a silence leaves with
// its checkpoint once the relay has nothing more, not with the relay's next made-up heartbeat.
TEST_F(RelaySourceTest, TheLastTransactionBeforeASilenceGoesOutWithoutWaitingForAHeartbeat) {
  insert_rows(0, 1);
  Map config = relay_config(server, start, relay_dir);
  for (auto& [k, v] : config) {
    if (k == "heartbeat-period") v = "10s";
  }
  Harness<MysqlBinlogSource> relayed(config);
  const auto began = std::chrono::steady_clock::now();
  std::vector<std::string> events;
  for (int i = 0; i < 100 && count_kind(events, "checkpoint") == 0; ++i) {
    for (auto& e : relayed.poll_source(1024, nullptr, 30'000)) events.push_back(std::move(e));
  }
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(count_kind(events, "commit"), 1u) << all_logs(relayed);
  EXPECT_EQ(count_kind(events, "checkpoint"), 1u);
  EXPECT_LT(took, std::chrono::seconds(5)) << "the transaction waited for the heartbeat";
  EXPECT_TRUE(logged(relayed, "reading the relay log")) << "the events must come from the relay";
}

// The relay writer reads with short waits (to see a stop request); a connection that goes silent
// without closing, as behind a network partition, must still count as dead after three heartbeat
// periods, as a blocking read's timeout would say: the writer reconnects and copies on.
TEST_F(RelaySourceTest, ASilentlyDeadConnectionIsNoticedAndTheRelayReconnects) {
  ferry::testing::TcpProxy proxy(static_cast<uint16_t>(server.port()));
  Map config = relay_config(server, start, relay_dir);
  for (auto& [k, v] : config) {
    if (k == "port") v = std::to_string(proxy.port());
  }
  Harness<MysqlBinlogSource> relayed(config);
  insert_rows(0, 3);
  ASSERT_EQ(count_kind(poll_commits(relayed, 3), "commit"), 3u) << all_logs(relayed);
  ASSERT_GE(proxy.freeze(), 1);  // the relay writer's stream, and the catalog's connection
  insert_rows(3, 3);
  const auto rest = poll_commits(relayed, 3, nullptr, 150);  // 150 heartbeats of 200 ms at most
  EXPECT_EQ(count_kind(rest, "commit"), 3u) << all_logs(relayed);
  EXPECT_TRUE(logged(relayed, "taken for dead")) << all_logs(relayed);
}

TEST_F(RelaySourceTest, KeepsCopyingWhileNobodyReadsAndServesWhatTheUpstreamThenPurged) {
  auto first = std::make_unique<Harness<MysqlBinlogSource>>(relay_config(server, start, relay_dir));
  first->poll_source();  // opens: the relay writer starts
  // Nobody polls from here on (a stopped or slow sink): the writer copies on its own.
  insert_rows(0, 150, 50);
  const std::string newest = master_position(c).file;
  ASSERT_TRUE(wait_relay_has(relay_dir, server, newest));
  // MariaDB keeps a file until InnoDB's checkpoint passes it; the start file is long past that.
  c.execute("PURGE BINARY LOGS TO '" + newest + "'");
  ASSERT_NE(c.query("SHOW BINARY LOGS").at(0).at(0).value_or(""), start.file) << "the upstream kept the start file";

  // Without a relay, the start position is gone for good.
  {
    Harness<MysqlBinlogSource> direct(source_config(server, start));
    uint32_t status = FERRY_OK;
    poll_commits(direct, 1, &status);
    EXPECT_EQ(status, FERRY_ERROR);
    EXPECT_EQ(direct.context().error_code, static_cast<uint32_t>(FERRY_E_UPSTREAM_BINLOG_PURGED));
  }
  // The task, reading on, gets every transaction from the relay.
  const auto expected = poll_commits(*first, 150);
  EXPECT_EQ(count_kind(expected, "row"), 150u);

  // A restart from the old checkpoint (in a purged file) reads them again from the relay.
  first.reset();
  Harness<MysqlBinlogSource> again(relay_config(server, start, relay_dir));
  const auto events = poll_commits(again, 150);
  ASSERT_EQ(events.size(), expected.size()) << all_logs(again);
  for (size_t i = 0; i < events.size(); ++i) ASSERT_EQ(events[i], expected[i]) << "event " << i;
}

TEST_F(RelaySourceTest, CutsThePartialEventACrashLeftAndFetchesItAgain) {
  insert_rows(0, 30);
  std::vector<std::string> expected;
  {
    Harness<MysqlBinlogSource> h(relay_config(server, start, relay_dir));
    expected = poll_commits(h, 30);
  }
  // A crash in the middle of writing an event leaves its first bytes.
  const std::string last = relay_index(relay_dir).back();
  const auto whole = std::filesystem::file_size(relay_dir / last);
  const std::string meta = file_bytes(relay_dir / "relay.meta");
  EXPECT_NE(meta.find("binlog-name = \"" + last + "\"\nbinlog-pos = " + std::to_string(whole) + "\n"), std::string::npos) << meta;
  {
    std::ofstream out(relay_dir / last, std::ios::binary | std::ios::app);
    out << std::string("\x2a\x00\x00\x00\x02\x01\x00", 7);
  }
  insert_rows(100, 10);
  Harness<MysqlBinlogSource> h(relay_config(server, start, relay_dir));
  auto events = poll_commits(h, 40);
  ASSERT_GE(events.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(events[i], expected[i]) << "event " << i;
  EXPECT_EQ(count_kind(events, "row"), 40u);
  EXPECT_TRUE(logged(h, "cut 7 bytes of a partial event"));
  EXPECT_GT(std::filesystem::file_size(relay_dir / last), whole);
  EXPECT_EQ(difference(relay_dir / last, server.datadir() / last), "");
}

TEST_F(RelaySourceTest, ACrashBetweenAFilesEndAndTheNextFilesStartIsRecovered) {
  insert_rows(0, 20, 10);  // two rotations: the relay will hold three files
  std::vector<std::string> expected;
  {
    Harness<MysqlBinlogSource> h(relay_config(server, start, relay_dir));
    expected = poll_commits(h, 20);
    ASSERT_TRUE(wait_relay_has(relay_dir, server, master_position(c).file));
  }
  // As if ferry died right after writing the second file's closing ROTATE: the third file and
  // its line in the index are not there.
  auto files = relay_index(relay_dir);
  ASSERT_EQ(files.size(), 3u);
  std::filesystem::remove(relay_dir / files[2]);
  {
    std::ofstream index(relay_dir / "relay.index", std::ios::trunc);
    index << files[0] << "\n" << files[1] << "\n";
  }
  insert_rows(100, 5);
  Harness<MysqlBinlogSource> h(relay_config(server, start, relay_dir));
  const auto events = poll_commits(h, 25);
  ASSERT_GE(events.size(), expected.size()) << all_logs(h);
  for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(events[i], expected[i]) << "event " << i;
  EXPECT_EQ(count_kind(events, "row"), 25u);
  EXPECT_TRUE(logged(h, "relay file=" + files[2] + " created on opening"));
  ASSERT_TRUE(wait_relay_has(relay_dir, server, files[2]));
  EXPECT_EQ(difference(relay_dir / files[2], server.datadir() / files[2]), "");
}

TEST_F(RelaySourceTest, ASecondTaskOnTheSameRelayDirectoryIsRefused) {
  Harness<MysqlBinlogSource> first(relay_config(server, start, relay_dir));
  first.poll_source();
  Harness<MysqlBinlogSource> second(relay_config(server, start, relay_dir));
  uint32_t status = FERRY_OK;
  second.poll_source(16, &status);
  EXPECT_EQ(status, FERRY_ERROR);
  EXPECT_EQ(second.context().error_code, static_cast<uint32_t>(FERRY_E_UPSTREAM_RELAY_LOG));
  EXPECT_NE(second.context().error_message.find("is in use by another ferry"), std::string::npos)
      << second.context().error_message;
}

TEST_F(RelaySourceTest, PurgesTheFilesBeforeTheAcknowledgedCheckpointWhenOverItsSize) {
  Harness<MysqlBinlogSource> h(relay_config(server, start, relay_dir, {{"relay-purge-max-size", "1"}}));
  insert_rows(0, 40, 10);  // four rotations
  poll_commits(h, 40);
  ASSERT_TRUE(wait_relay_has(relay_dir, server, master_position(c).file));
  ASSERT_EQ(relay_index(relay_dir).size(), 5u);
  // The sink made a checkpoint in the third file durable: the first two are done with.
  const std::string third = relay_index(relay_dir)[2];
  ferry_position pos{};
  pos.binlog_file = {third.data(), static_cast<uint32_t>(third.size())};
  pos.binlog_pos = 4;
  h.ack_source(pos);
  c.execute("FLUSH BINARY LOGS");  // the writer looks at purging when a file is complete
  const std::string newest = master_position(c).file;
  ASSERT_TRUE(wait_relay_has(relay_dir, server, newest));
  const auto files = relay_index(relay_dir);
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front(), third) << "kept files before the acknowledged checkpoint, or purged past it";
  EXPECT_EQ(files.size(), 4u);
  EXPECT_FALSE(std::filesystem::exists(relay_dir / start.file));
}

}  // namespace
}  // namespace ferry::mysql
