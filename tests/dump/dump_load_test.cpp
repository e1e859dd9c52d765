// The load's unit of work is the chunk: a table with an integer key is cut into key ranges read
// on parallel snapshot connections, and each range loads in one downstream transaction with its
// row in the loader checkpoint table. So the checkpoint says exactly what is downstream: one row
// per chunk whose `offset` is the rows in its range, and after SIGKILLs at any moment of the
// load a restart reads only the ranges not loaded — nothing lost, nothing loaded twice, a keyless
// table's duplicate rows exactly as many as upstream.
#include "dump_data.hpp"
#include "dump_fixture.hpp"
#include "support/table_compare.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace ferry::testing {
namespace {

// The number in `key=N` of a log line, or -1.
long long log_number(const std::string& line, const std::string& key) {
  const auto at = line.find(key + "=");
  if (at == std::string::npos) return -1;
  return std::stoll(line.substr(at + key.size() + 1));
}

TEST(DumpLoad, ParallelChunksEachHaveOneCheckpointRow) {
  DumpFixture f("dump_chunks", {.dump = {"tables: [bulk.items]", "threads: 3", "rows: 1000"}, .load = {"pool-size: 3"}});
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE bulk");
  up.execute("USE bulk");
  up.execute("CREATE TABLE bulk.items (id INT NOT NULL PRIMARY KEY, k INT, note VARCHAR(60), KEY (k))");
  // Keys with gaps, and a few far out, so ranges are cut by the key's spread rather than by count.
  up.execute("INSERT INTO bulk.items SELECT seq * 3 + seq % 2, seq % 97, CONCAT('note ', seq, REPEAT('x', seq % 40)) FROM seq_1_to_19990");
  up.execute("INSERT INTO bulk.items SELECT 1000000 + seq, seq, NULL FROM seq_1_to_10");
  up.execute("CREATE TABLE bulk.ignored (id INT PRIMARY KEY)");  // not in `tables`: not dumped
  up.execute("ANALYZE TABLE bulk.items");
  ASSERT_EQ(f.run_to_exit(), 0) << f.log_tail();

  Connection down = f.down().connect();
  const TableComparison items = compare_table(up, "bulk", down, "bulk", "items");
  EXPECT_TRUE(items.equal()) << items.describe();
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'bulk'"), "1");
  const auto planned = f.log_lines("dump planned");
  ASSERT_EQ(planned.size(), 1u) << f.log_tail();
  EXPECT_EQ(log_number(planned[0], "threads"), 3) << planned[0];
  const long long chunks = log_number(planned[0], "chunks");
  EXPECT_GE(chunks, 10) << "20000 rows at 1000 a chunk: " << planned[0];

  // One row per chunk and the '*' row; each chunk's `offset` is the rows of its range.
  const std::string table = "dm_meta.`dump_chunks_loader_checkpoint`";
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM " + table), std::to_string(chunks + 1));
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM " + table + " WHERE filename = '*'"), "1");
  const Rows rows = down.query("SELECT filename, `offset`, cp_schema, cp_table FROM " + table + " WHERE filename <> '*'");
  const std::regex range(R"(bulk\.items\[(-?\d*),(-?\d*)\))");
  uint64_t total = 0;
  for (const auto& r : rows) {
    std::smatch m;
    const std::string name = r[0].value_or("");
    ASSERT_TRUE(std::regex_match(name, m, range)) << name;
    EXPECT_EQ(r[2], "bulk");
    EXPECT_EQ(r[3], "items");
    std::string where = "TRUE";
    if (m[1].length()) where += " AND id >= " + m[1].str();
    if (m[2].length()) where += " AND id < " + m[2].str();
    EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM bulk.items WHERE " + where), r[1]) << name;
    total += std::stoull(r[1].value_or("0"));
  }
  EXPECT_EQ(total, 20000u) << "the ranges overlap or leave rows out";
}

TEST(DumpLoad, ChunkSizeInBytesCutsByTheAverageRow) {
  // DM's chunk-filesize as `chunk-size`: 20000 rows of ~150-250 bytes (a few MB on disk) in
  // chunks of 256 KiB must come out as several chunks, and load equal.
  DumpFixture f("dump_chunk_size", {.dump = {"databases: [bulk]", "chunk-size: 256KiB"}});
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE bulk");
  up.execute("USE bulk");  // seq_1_to_N needs a current database
  up.execute("CREATE TABLE bulk.items (id BIGINT NOT NULL PRIMARY KEY, pad VARCHAR(200))");
  up.execute("INSERT INTO bulk.items SELECT seq, REPEAT(CHAR(65 + seq % 26), 100 + seq % 100) FROM seq_1_to_20000");
  up.execute("ANALYZE TABLE bulk.items");
  const auto stats = up.query("SELECT DATA_LENGTH, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'bulk'");
  const double average = std::stod(stats.at(0).at(0).value_or("0")) / std::stod(stats.at(0).at(1).value_or("1"));
  const auto expected_chunks = static_cast<size_t>(20000 / (256 * 1024 / average));
  ASSERT_TRUE(f.run_to_exit() == 0) << f.log_tail();
  const auto lines = f.log_lines("table cut into chunks table=bulk.items");
  ASSERT_EQ(lines.size(), 1u) << f.log_tail();
  const std::smatch m = [&] {
    std::smatch out;
    std::regex_search(lines[0], out, std::regex("chunks=([0-9]+)"));
    return out;
  }();
  ASSERT_TRUE(m.ready() && m.size() == 2) << lines[0];
  const size_t chunks = std::stoul(m[1].str());
  // Integer keys are cut by the key's spread: about the expected count, never one chunk.
  EXPECT_GT(chunks, 1u) << lines[0];
  EXPECT_GE(chunks + 2, expected_chunks) << lines[0] << " average row " << average;
  EXPECT_LE(chunks, expected_chunks + 2) << lines[0] << " average row " << average;
  expect_schemas_equal(f.up(), f.down(), {"bulk"});
}

TEST(DumpLoad, ChunksWhoseLastRowFillsAStatementLoad) {
  // Every row is larger than a statement (1 KiB), so each one is sent as soon as it is added and
  // every chunk ends right after a full statement: nothing may be left to send at the commit.
  DumpFixture f("dump_full_statements", {.dump = {"databases: [bulk]", "rows: 10"}, .load = {"statement-size: 1KiB"}});
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE bulk");
  up.execute("USE bulk");
  up.execute("CREATE TABLE bulk.docs (id INT NOT NULL PRIMARY KEY, body TEXT)");
  up.execute("INSERT INTO bulk.docs SELECT seq, REPEAT(CHAR(97 + seq % 26), 1500 + seq) FROM seq_1_to_40");
  ASSERT_EQ(f.run_to_exit(), 0) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"bulk"});
}

TEST(DumpLoad, ThreeSigkillsDuringTheLoadLoseAndRepeatNothing) {
  // Small chunks loaded by several INSERT statements each (16 KiB a statement), so a kill lands
  // inside a chunk's transaction as well as between chunks.
  DumpFixture f("dump_kill", {.dump = {"databases: [bulk]", "threads: 2", "rows: 250"},
                              .load = {"pool-size: 2", "statement-size: 16KiB"}});
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE bulk");
  up.execute("USE bulk");
  up.execute("CREATE TABLE bulk.items (id BIGINT NOT NULL PRIMARY KEY, pad VARCHAR(200), n DECIMAL(20,4))");
  up.execute("INSERT INTO bulk.items SELECT seq, REPEAT(CHAR(65 + seq % 26), 100 + seq % 100), seq / 7 FROM seq_1_to_60000");
  up.execute("CREATE TABLE bulk.ledger (account INT, amount INT, memo VARCHAR(20))");  // no key: one chunk
  up.execute("INSERT INTO bulk.ledger SELECT seq % 40, seq % 3, IF(seq % 5 = 0, NULL, 'm') FROM seq_1_to_4000");
  up.execute("CREATE TABLE bulk.pairs (a INT NOT NULL, b INT NOT NULL, v VARCHAR(30), PRIMARY KEY (a, b))");
  up.execute("INSERT INTO bulk.pairs SELECT seq % 50, seq, CONCAT('v', seq) FROM seq_1_to_6000");
  up.execute("ANALYZE TABLE bulk.items, bulk.pairs");
  const uint64_t upstream_rows = count_rows(up, {"bulk"});

  f.ferry().start();
  // 1: as soon as the first chunk is committed; 2: well into the load; 3: just after the
  // restart's first chunk, when the rerun has its own chunks in flight next to the old ones.
  uint64_t seen = 0;
  for (const uint64_t more : {uint64_t{1}, uint64_t{40}, uint64_t{1}}) {
    const uint64_t target = seen + more;
    ASSERT_TRUE(f.wait_chunks(target)) << "the load finished or stopped before " << target << " chunks\n" << f.log_tail();
    ASSERT_TRUE(f.kill_and_restart());
    seen = f.load_progress().chunks;
  }
  const std::optional<int> code = f.ferry().wait(90000);
  ASSERT_EQ(code, 0) << f.log_tail();

  expect_schemas_equal(f.up(), f.down(), {"bulk"}, 3);
  const auto progress = f.load_progress();
  EXPECT_TRUE(progress.finished);
  EXPECT_EQ(progress.rows, upstream_rows) << "chunk rows loaded twice or left out";
  // Every rerun resumed from what was loaded instead of starting over.
  const auto snapshots = f.log_lines("resumed_chunks=");
  ASSERT_EQ(snapshots.size(), 4u) << f.log_tail();
  EXPECT_EQ(log_number(snapshots[0], "resumed_chunks"), 0);
  for (size_t i = 1; i < snapshots.size(); ++i) EXPECT_GT(log_number(snapshots[i], "resumed_chunks"), 0) << snapshots[i];
}

}  // namespace
}  // namespace ferry::testing
