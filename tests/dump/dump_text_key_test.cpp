// Tables whose chunk key is not an integer are cut into ranges too: VARCHAR under a
// case-insensitive collation, VARBINARY with zero bytes, DECIMAL, DATETIME(6), TIME(6), a NOT
// NULL unique CHAR in latin1, and a composite key led by a VARCHAR whose values repeat under the
// collation ('word1', 'WORD1', 'wórd1', 'word1 '). Bounds come from the snapshot, are compared
// by the server only, and a value equal to a bound is in exactly one chunk: the chunks' rows add
// up to the table's, each chunk's checkpoint `offset` is the rows its range holds downstream,
// and SIGKILLs during the load (with the upstream changing between runs in the all mode) end
// equal with no row loaded twice (`on-duplicate: error` makes one a failure).
#include "chunk/chunk.hpp"
#include "dump_data.hpp"
#include "dump_fixture.hpp"
#include "support/table_compare.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

namespace ferry::testing {
namespace {

constexpr int kRows = 1000;          // per table
constexpr int kRowsPerChunk = 50;    // the dump's `rows`
const char* const kSchema = "textkeys";

// The tables, each keyed by a non-integer column, kRows rows each.
void write_text_keyed_tables(Connection& up) {
  up.execute("CREATE DATABASE textkeys DEFAULT CHARSET utf8mb4");
  up.execute("USE textkeys");  // seq_1_to_N needs a current database
  const std::string n = std::to_string(kRows);
  // First letters in mixed case and accented: the collation's order is not the bytes' order.
  up.execute("CREATE TABLE names (name VARCHAR(40) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, v INT)");
  up.execute("INSERT INTO names SELECT CONCAT(ELT(1 + seq % 6, 'a', 'B', 'é', 'Z', 'ö', '😀'), LPAD(seq, 5, '0')), seq FROM seq_1_to_" + n);
  // The leading column repeats five times under the collation: case, accents, trailing spaces.
  up.execute("CREATE TABLE variants (name VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, n INT NOT NULL, v VARCHAR(10),"
             " PRIMARY KEY (name, n))");
  up.execute("INSERT INTO variants SELECT CONCAT(ELT(1 + seq % 5, 'word', 'WORD', 'wórd', 'word', 'Wörd'), seq DIV 5,"
             " ELT(1 + seq % 5, '', '', '', ' ', '  ')), seq, CONCAT('v', seq) FROM seq_1_to_" + n);
  // Zero bytes, leading and inside, and the empty value.
  up.execute("CREATE TABLE blobs (k VARBINARY(16) NOT NULL PRIMARY KEY, v INT)");
  up.execute("INSERT INTO blobs SELECT CONCAT(REPEAT(X'00', seq % 3), UNHEX(LPAD(HEX(seq * 40503), 8, '0'))), seq FROM seq_1_to_" +
             std::to_string(kRows - 4));
  up.execute("INSERT INTO blobs VALUES (X'', -1), (X'00', -2), (X'0000', -3), (X'FFFFFFFFFF', -4)");
  up.execute("CREATE TABLE amounts (amount DECIMAL(20,6) NOT NULL PRIMARY KEY, v INT)");
  up.execute("INSERT INTO amounts SELECT (CAST(seq AS SIGNED) - 500) * 1.000001, seq FROM seq_1_to_" + n);
  up.execute("CREATE TABLE events (at DATETIME(6) NOT NULL PRIMARY KEY, v INT)");
  up.execute("INSERT INTO events SELECT TIMESTAMP'2024-02-28 23:00:00' + INTERVAL seq * 7919 SECOND + INTERVAL seq MICROSECOND, seq"
             " FROM seq_1_to_" + std::to_string(kRows - 1));
  up.execute("INSERT INTO events VALUES ('0000-00-00 00:00:00', 0)");
  // Negative and three-digit hours: as strings they would sort wrongly.
  up.execute("CREATE TABLE spans (span TIME(6) NOT NULL PRIMARY KEY, v INT)");
  up.execute("INSERT INTO spans SELECT SEC_TO_TIME(CAST(seq AS SIGNED) * 1597 - 400000) + INTERVAL seq MICROSECOND, seq FROM seq_1_to_" + n);
  // No primary key: the NOT NULL unique key, a CHAR in another charset.
  up.execute("CREATE TABLE codes (code CHAR(12) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL, v INT, UNIQUE KEY (code))");
  up.execute("INSERT INTO codes SELECT CONCAT(ELT(1 + seq % 3, 'x', 'Y', 'å'), seq), seq FROM seq_1_to_" + n);
}

const std::vector<std::string> kTables = {"amounts", "blobs", "codes", "events", "names", "spans", "variants"};

// The number in `key=N` of a log line, or -1.
long long log_number(const std::string& line, const std::string& key) {
  const auto at = line.find(" " + key + "=");
  if (at == std::string::npos) return -1;
  return std::stoll(line.substr(at + key.size() + 2));
}

// Each table's "table cut into chunks" lines, by table name.
std::map<std::string, std::vector<std::string>> cut_lines(const DumpFixture& f) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& line : f.log_lines("table cut into chunks")) {
    for (const auto& t : kTables) {
      if (line.find("table=" + std::string(kSchema) + "." + t + " ") != std::string::npos) out[t].push_back(line);
    }
  }
  return out;
}

// Every chunk row of the loader checkpoint: its range, read back from the token, holds downstream
// exactly the rows its `offset` says; the ranges of a table add up to all its rows.
void expect_chunks_partition_the_tables(DumpFixture& f) {
  Connection down = f.down().connect();
  const Rows rows = down.query("SELECT cp_table, chunk, `offset` FROM dm_meta.`" + f.task() + "_loader_checkpoint` WHERE filename <> '*'");
  std::map<std::string, uint64_t> per_table;
  for (const auto& r : rows) {
    const auto chunk = dump::parse_chunk_token(r[1].value_or(""));
    ASSERT_TRUE(chunk.has_value()) << r[1].value_or("");
    EXPECT_FALSE(chunk->key_type.integer()) << chunk->id();
    const auto where = chunk->where_clause();
    ASSERT_TRUE(where.has_value()) << chunk->id();
    EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM textkeys." + chunk->table + *where), r[2]) << chunk->id() << *where;
    per_table[r[0].value_or("")] += std::stoull(r[2].value_or("0"));
  }
  for (const auto& t : kTables) EXPECT_EQ(per_table[t], static_cast<uint64_t>(kRows)) << t << ": ranges overlap or leave rows out";
}

TEST(DumpTextKey, NonIntegerKeysAreCutIntoChunksThatLoadExactly) {
  DumpFixture f("dump_text_keys", {.dump = {"databases: [textkeys]", "threads: 3", "rows: " + std::to_string(kRowsPerChunk)},
                                   .load = {"pool-size: 3", "on-duplicate: error"}});
  Connection up = f.up().connect();
  write_text_keyed_tables(up);
  ASSERT_EQ(f.run_to_exit(), 0) << f.log_tail();

  expect_schemas_equal(f.up(), f.down(), {kSchema}, kTables.size());
  const auto cuts = cut_lines(f);
  for (const auto& t : kTables) {
    ASSERT_EQ(cuts.count(t), 1u) << t << " was not cut into chunks\n" << f.log_tail();
    const std::string& line = cuts.at(t).front();
    EXPECT_NE(line.find("bound=text"), std::string::npos) << line;
    // 1000 rows at 50 a chunk: 20, or fewer when a repeated value fills a chunk past 50.
    EXPECT_GE(log_number(line, "chunks"), 17) << line;
    EXPECT_LE(log_number(line, "chunks"), 21) << line;
  }
  expect_chunks_partition_the_tables(f);
  // A chunk holds `rows` rows, and more only by the repeats of its last value.
  Connection down = f.down().connect();
  const std::string checkpoint = "dm_meta.`" + f.task() + "_loader_checkpoint`";
  EXPECT_EQ(down.query_value("SELECT MAX(`offset`) FROM " + checkpoint + " WHERE cp_table <> 'variants'"), "50");
  EXPECT_LE(std::stoi(down.query_value("SELECT MAX(`offset`) FROM " + checkpoint + " WHERE cp_table = 'variants'").value_or("0")), 54);
}

TEST(DumpTextKey, SigkillsDuringTheLoadLoadNoRowTwiceAndMissNone) {
  // Small statements, so that a kill lands inside a chunk's transaction as well as between two.
  DumpFixture f("dump_text_kill", {.dump = {"databases: [textkeys]", "threads: 2", "rows: " + std::to_string(kRowsPerChunk)},
                                   .load = {"pool-size: 2", "statement-size: 1KiB", "on-duplicate: error"}});
  Connection up = f.up().connect();
  write_text_keyed_tables(up);

  f.ferry().start();
  uint64_t seen = 0;
  for (const uint64_t more : {uint64_t{2}, uint64_t{25}, uint64_t{1}}) {
    const uint64_t target = seen + more;
    ASSERT_TRUE(f.wait_chunks(target)) << "the load finished or stopped before " << target << " chunks\n" << f.log_tail();
    ASSERT_TRUE(f.kill_and_restart());
    seen = f.load_progress().chunks;
  }
  ASSERT_EQ(f.ferry().wait(90000), 0) << f.log_tail();

  expect_schemas_equal(f.up(), f.down(), {kSchema}, kTables.size());
  EXPECT_EQ(f.load_progress().rows, kRows * kTables.size()) << "chunk rows loaded twice or left out";
  expect_chunks_partition_the_tables(f);
  // The reruns cut what was left of a half-loaded text-keyed table, around its loaded chunks.
  bool resumed_a_cut_table = false;
  for (const auto& [table, lines] : cut_lines(f)) {
    for (const auto& line : lines) resumed_a_cut_table |= log_number(line, "loaded_before") > 0;
  }
  EXPECT_TRUE(resumed_a_cut_table) << f.log_tail(20000);
}

// Polls (at most 60 s, 100 ms apart) until ferry has started the sync phase.
bool wait_syncing(DumpFixture& f) {
  for (int i = 0; i < 600; ++i) {
    if (!f.log_lines("phase=incremental source=mysql-binlog").empty()) return true;
    if (!f.ferry().running()) return false;
    // Polling ferry's log for the phase: bounds how late we notice, not a timing assumption.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Writes while ferry is down: values equal under the collation to ones already there (and so to
// bounds of the first run's chunks), rows deleted and moved, in every table.
void change_upstream(Connection& up, int round) {
  const std::string r = std::to_string(round);
  up.execute("USE textkeys");
  up.execute("INSERT INTO variants SELECT CONCAT(ELT(1 + seq % 3, 'WoRd', 'wòrd', 'word'), seq, '   '), 10000 * " + r + " + seq, 'new'"
             " FROM seq_0_to_199");
  up.execute("DELETE FROM variants WHERE n % 17 = " + r);
  up.execute("INSERT INTO names SELECT CONCAT(ELT(1 + seq % 3, 'A', 'b', 'É'), LPAD(seq * 5, 5, '0'), '-" + r + "'), -CAST(seq AS SIGNED) FROM seq_1_to_150");
  up.execute("UPDATE names SET name = CONCAT('moved-', name) WHERE v % 31 = " + r);
  up.execute("DELETE FROM names WHERE v % 23 = " + r);
  up.execute("INSERT INTO blobs SELECT CONCAT(X'00', UNHEX(LPAD(HEX(seq * 40503 + " + r + "), 8, '0'))), -10 * CAST(seq AS SIGNED) FROM seq_1_to_100");
  up.execute("DELETE FROM blobs WHERE v % 19 = " + r);
  up.execute("INSERT INTO amounts SELECT (CAST(seq AS SIGNED) - 500) * 1.000001 + 0.25 * " + r + ", -CAST(seq AS SIGNED) FROM seq_1_to_200");
  up.execute("DELETE FROM amounts WHERE v % 13 = " + r);
  up.execute("INSERT INTO events SELECT TIMESTAMP'2024-02-28 23:00:00' + INTERVAL seq * 7919 SECOND + INTERVAL " + r +
             " SECOND, -CAST(seq AS SIGNED) FROM seq_1_to_200");
  up.execute("DELETE FROM events WHERE v % 11 = " + r);
  up.execute("UPDATE spans SET span = -span WHERE v % 29 = " + r + " AND span > 0");
  up.execute("INSERT INTO codes SELECT CONCAT(ELT(1 + seq % 3, 'X', 'y', 'Å'), seq, '-" + r + "'), -CAST(seq AS SIGNED) FROM seq_1_to_100");
}

TEST(DumpTextKey, AllModeConvergesWhenTheUpstreamChangesBetweenKilledRuns) {
  // Each rerun's snapshot differs from the last: the loaded chunks' ranges are left out of it
  // and the sync, from the earliest snapshot, brings their changes.
  DumpFixture f("dump_text_all", {.all = true,
                                  .dump = {"databases: [textkeys]", "threads: 2", "rows: " + std::to_string(kRowsPerChunk)},
                                  .load = {"pool-size: 2", "statement-size: 1KiB", "on-duplicate: error"}});
  Connection up = f.up().connect();
  write_text_keyed_tables(up);

  f.ferry().start();
  uint64_t seen = 0;
  for (const int round : {1, 2}) {
    ASSERT_TRUE(f.wait_chunks(seen + (round == 1 ? 10 : 15))) << f.log_tail();
    ASSERT_TRUE(f.kill());
    change_upstream(up, round);
    f.ferry().start();
    seen = f.load_progress().chunks;
  }
  ASSERT_TRUE(wait_syncing(f)) << f.log_tail();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  const SchemaComparison result = wait_until_equal(f.up(), f.down(), kSchema, WaitOptions{50, std::chrono::milliseconds(100), 5});
  EXPECT_TRUE(result.equal()) << result.describe();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  const auto snapshots = f.log_lines("snapshot taken");
  ASSERT_EQ(snapshots.size(), 3u) << f.log_tail();
  for (size_t i = 1; i < snapshots.size(); ++i) EXPECT_GT(log_number(snapshots[i], "resumed_chunks"), 0) << snapshots[i];
}

}  // namespace
}  // namespace ferry::testing
