// The mysql-binlog source reading MySQL 8 compressed transactions (TRANSACTION_PAYLOAD) through
// its real code paths, without a MySQL server: a relay directory (enable-relay) is made before
// the source opens it, holding a real MariaDB upstream's completed binlog file with some of its
// transactions rewritten into payload events as MySQL lays them out (payload_rewriter.hpp), then
// the upstream's active file, which the relay writer continues from its end. The source must
// give what it gives for the untouched file (rows, BEGIN/COMMIT, checkpoints), the events inside
// a payload positioned at the payload event's end, and go on into the active file; a payload
// that does not decompress stops it with UPSTREAM_CORRUPT_EVENT naming the file and position.
#include "source/mysql_binlog_source.hpp"

#include "payload_rewriter.hpp"
#include "support/mariadb_server.hpp"

#include <ferry/sdk/testing/harness.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

using ferry::sdk::testing::Harness;
using ferry::sdk::testing::Map;
namespace fs = std::filesystem;

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  ASSERT_TRUE(out.good()) << path;
}

std::string current_file(ferry::testing::Connection& c) { return c.query("SHOW MASTER STATUS").at(0).at(0).value_or(""); }

size_t count_kind(const std::vector<std::string>& events, const std::string& kind) {
  size_t n = 0;
  for (const auto& e : events) n += e.find("\"kind\":\"" + kind + "\"") != std::string::npos;
  return n;
}

std::string at(const std::string& file, uint64_t offset) {
  return "\"pos\":{\"file\":\"" + file + "\",\"offset\":" + std::to_string(offset) + ",";
}

size_t count_at(const std::vector<std::string>& events, const std::string& kind, const std::string& file, uint64_t offset) {
  size_t n = 0;
  for (const auto& e : events) {
    n += e.find("\"kind\":\"" + kind + "\"") != std::string::npos && e.find(at(file, offset)) != std::string::npos;
  }
  return n;
}

// Polls into `events` (heartbeats left out, checkpoints kept) until `commits` commits arrived,
// the source fails, or five seconds of polls bring nothing but heartbeats (each poll returns
// within the heartbeat period). Returns the last poll's status.
uint32_t poll_commits(Harness<MysqlBinlogSource>& h, std::vector<std::string>& events, size_t commits, uint32_t capacity) {
  uint32_t status = FERRY_OK;
  for (int idle = 0; idle < 25 && count_kind(events, "commit") < commits;) {
    bool any = false;
    for (auto& e : h.poll_source(capacity, &status)) {
      if (e.find("\"kind\":\"heartbeat\"") != std::string::npos) continue;
      events.push_back(std::move(e));
      any = true;
    }
    if (status != FERRY_OK) break;
    idle = any ? 0 : idle + 1;
  }
  return status;
}

// `event` with its offset in `file` replaced as `moved` says (events of other files unchanged).
std::string moved(const std::string& event, const std::string& file, const std::map<uint64_t, uint64_t>& moves) {
  const std::string key = "\"pos\":{\"file\":\"" + file + "\",\"offset\":";
  auto from = event.find(key);
  if (from == std::string::npos) return event;
  from += key.size();
  const auto to = event.find_first_not_of("0123456789", from);
  const uint64_t offset = std::stoull(event.substr(from, to - from));
  const auto it = moves.find(offset);
  if (it == moves.end()) {
    ADD_FAILURE() << "no event of " << file << " ends at " << offset << ": " << event;
    return event;
  }
  return event.substr(0, from) + std::to_string(it->second) + event.substr(to);
}

bool logged(Harness<MysqlBinlogSource>& h, const std::string& text) {
  for (const auto& line : h.logs()) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string all_logs(Harness<MysqlBinlogSource>& h) {
  std::string out;
  for (const auto& line : h.logs()) out += line + "\n";
  return out + "error: " + h.context().error_message;
}

// binlog_checksum of the upstream: the rewritten file keeps the server's setting.
class PayloadSourceTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    c.execute("CREATE DATABASE p");
    c.execute("CREATE TABLE p.t (id INT PRIMARY KEY, v VARCHAR(300), n BIGINT)");
    c.execute("FLUSH BINARY LOGS");  // the file to rewrite holds only the transactions below
    file = current_file(c);
    // Transactions 0..5 (DDL is standalone: never compressed, not numbered).
    c.execute("INSERT INTO p.t VALUES (1, 'one', 1)");
    c.execute("BEGIN");
    c.execute("INSERT INTO p.t VALUES (2, 'two', 2), (3, 'three', 3), (4, 'four', 4)");
    c.execute("UPDATE p.t SET v = 'one, again' WHERE id = 1");
    c.execute("DELETE FROM p.t WHERE id = 2");
    c.execute("COMMIT");
    std::string values;  // 300 rows of ~200 bytes: several rows events (8 KiB each at most)
    for (int i = 100; i < 400; ++i) {
      values += (values.empty() ? "(" : ",(") + std::to_string(i) + ", REPEAT('x', " + std::to_string(150 + i % 50) + "), " +
                std::to_string(i) + ")";
    }
    c.execute("INSERT INTO p.t VALUES " + values);
    c.execute("CREATE TABLE p.u (id INT PRIMARY KEY, doc TEXT)");
    c.execute("BEGIN");
    c.execute("INSERT INTO p.u VALUES (1, 'a document')");
    c.execute("UPDATE p.t SET n = n + 1 WHERE id >= 100 AND id < 150");
    c.execute("COMMIT");
    c.execute("INSERT INTO p.t VALUES (5, 'five', 5)");
    c.execute("DELETE FROM p.t WHERE id >= 300");
    c.execute("FLUSH BINARY LOGS");  // `file` is complete; the upstream writes the next one
    active = current_file(c);
    c.execute("INSERT INTO p.t VALUES (6, 'six', 6)");
    c.execute("INSERT INTO p.t VALUES (7, 'seven', 7)");
    original = file_bytes(server.datadir() / file);
    active_bytes = file_bytes(server.datadir() / active);
    identity = "server_id=" + c.query_value("SELECT @@server_id").value_or("?");
  }

  // A relay as the relay writer leaves it: `first` under the upstream's name of the completed
  // file, then the active file as far as the upstream has written it.
  void make_relay(const fs::path& dir, const std::string& first) {
    fs::create_directories(dir);
    write_file(dir / file, first);
    write_file(dir / active, active_bytes);
    write_file(dir / "relay.index", file + "\n" + active + "\n");
    write_file(dir / "relay.meta", "flavor = \"mariadb\"\nupstream = \"" + identity + "\"\nbinlog-name = \"" + active +
                                       "\"\nbinlog-pos = " + std::to_string(active_bytes.size()) + "\nlast-gtid = \"\"\n");
  }

  // A replica id per relay directory: the two sources of a test stream side by side, and a server
  // drops a replica's stream when another connects with the same id.
  Map config(const fs::path& relay_dir) const {
    return {{"host", "127.0.0.1"},
            {"server-id", std::to_string(4000000100u + relay_dir.filename().string().size())},  // relay-plain, relay-payload
            {"port", std::to_string(server.port())},
            {"user", server.user()},
            {"password", server.password()},
            {"heartbeat-period", "200ms"},
            {"checkpoint-interval", "0ms"},  // a checkpoint after every transaction
            {"binlog-name", file},
            {"binlog-pos", "4"},
            {"enable-relay", "true"},
            {"relay-dir", relay_dir.string()}};
  }

  ferry::testing::MariadbServer server{"payload", {std::string("binlog_checksum=") + GetParam()}};
  ferry::testing::Connection c = server.connect();
  std::string file, active, original, active_bytes, identity;
};

TEST_P(PayloadSourceTest, CompressedTransactionsGiveWhatTheirEventsGiveAtThePayloadsEnd) {
  const auto rewritten = payload_rewriter::rewrite(original, {[](size_t n) { return n != 0 && n != 4; }});
  ASSERT_EQ(rewritten.transactions, 6u);
  ASSERT_EQ(rewritten.payloads.size(), 4u);
  EXPECT_EQ(rewritten.crc32, std::string(GetParam()) == "CRC32");
  EXPECT_LT(rewritten.bytes.size(), original.size());
  const fs::path plain_dir = server.directory() / "relay-plain", payload_dir = server.directory() / "relay-payload";
  make_relay(plain_dir, original);
  make_relay(payload_dir, rewritten.bytes);

  // Small batches: the 300-row transaction fills several, in the middle of its payload.
  Harness<MysqlBinlogSource> plain(config(plain_dir));
  Harness<MysqlBinlogSource> compressed(config(payload_dir));
  std::vector<std::string> expected, got;
  ASSERT_EQ(poll_commits(plain, expected, 8, 16), FERRY_OK) << all_logs(plain);
  ASSERT_EQ(poll_commits(compressed, got, 8, 16), FERRY_OK) << all_logs(compressed);
  // The relay writer goes on copying the active file from where the copy ends.
  c.execute("INSERT INTO p.t VALUES (8, 'eight', 8)");
  c.execute("INSERT INTO p.t VALUES (9, 'nine', 9)");
  ASSERT_EQ(poll_commits(plain, expected, 10, 16), FERRY_OK) << all_logs(plain);
  ASSERT_EQ(poll_commits(compressed, got, 10, 16), FERRY_OK) << all_logs(compressed);

  // Rows: 1, 3+1+1, 300, 1+50, 1, 100 in the rewritten file, then 4 in the active file.
  ASSERT_EQ(count_kind(expected, "commit"), 10u);
  ASSERT_EQ(count_kind(expected, "row"), 458u + 4u);
  ASSERT_EQ(count_kind(expected, "checkpoint"), 10u + 1u);  // one after the DDL too
  ASSERT_EQ(got.size(), expected.size()) << all_logs(compressed);
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], moved(expected[i], file, rewritten.moved)) << "event " << i << "; the untouched file gave " << expected[i];
  }
  // Spelled out: each payload's rows, COMMIT and checkpoint stand at the payload event's end;
  // the BEGIN at its GTID's, which stays outside.
  const std::map<size_t, size_t> rows_of = {{1, 5}, {2, 300}, {3, 51}, {5, 100}};
  for (const auto& p : rewritten.payloads) {
    SCOPED_TRACE("transaction " + std::to_string(p.transaction));
    EXPECT_EQ(count_at(got, "row", file, p.end), rows_of.at(p.transaction));
    EXPECT_EQ(count_at(got, "commit", file, p.end), 1u);
    EXPECT_EQ(count_at(got, "checkpoint", file, p.end), 1u);
    EXPECT_EQ(count_at(got, "begin", file, p.start), 1u);
  }
  // And on into the active file, past the copy the relay started from.
  EXPECT_NE(got.back().find("\"kind\":\"checkpoint\""), std::string::npos) << got.back();
  EXPECT_NE(got.back().find("\"pos\":{\"file\":\"" + active + "\""), std::string::npos) << got.back();
  EXPECT_NE(got[got.size() - 3].find(R"("after":{"id":9,"v":"nine","n":9})"), std::string::npos) << got[got.size() - 3];
  EXPECT_TRUE(logged(compressed, "relay writing dir=" + payload_dir.string() + " from=" + active + ":" +
                                     std::to_string(active_bytes.size())))
      << all_logs(compressed);
  EXPECT_GT(fs::file_size(payload_dir / active), active_bytes.size());
}

TEST_P(PayloadSourceTest, APayloadThatDoesNotDecompressStopsTheSourceNamingWhere) {
  payload_rewriter::Options options{[](size_t n) { return n == 1; }};
  options.damage_zstd = true;
  const auto rewritten = payload_rewriter::rewrite(original, options);
  ASSERT_EQ(rewritten.payloads.size(), 1u);
  const fs::path dir = server.directory() / "relay-damaged";
  make_relay(dir, rewritten.bytes);

  Harness<MysqlBinlogSource> h(config(dir));
  std::vector<std::string> events;
  const uint32_t status = poll_commits(h, events, 8, 16);
  ASSERT_EQ(status, FERRY_ERROR) << "the source read past a payload it cannot unpack";
  EXPECT_EQ(h.context().error_code, static_cast<uint32_t>(FERRY_E_UPSTREAM_CORRUPT_EVENT)) << all_logs(h);
  const std::string& message = h.context().error_message;
  EXPECT_NE(message.find("binlog event at " + file + ":" + std::to_string(rewritten.payloads[0].start) + ": "),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("does not decompress"), std::string::npos) << message;
  // Transaction 0 went out whole and checkpointed; of transaction 1, its BEGIN only.
  EXPECT_EQ(count_kind(events, "commit"), 1u);
  EXPECT_EQ(count_kind(events, "row"), 1u);
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events.back().find("\"kind\":\"begin\""), std::string::npos) << events.back();
}

INSTANTIATE_TEST_SUITE_P(Checksum, PayloadSourceTest, ::testing::Values("CRC32", "NONE"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace ferry::mysql
