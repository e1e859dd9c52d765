// A full task (mysql-dump -> tidb-load) carries every column type and every key shape exactly:
// the binlog decoder's agreement corpus (each MariaDB type's edge values: DECIMAL(65,30)
// negatives, FLOAT and DOUBLE extremes, negative fractional TIMEs, zero dates, BIT(64), 4-byte
// UTF-8, latin1, bytes with zeros, JSON, ENUM/SET, spatial types, generated and invisible
// columns, NULL in every column), a table of every type with its edges and large random values,
// and tables of every key shape (keyless with duplicates, composite, VARCHAR, unique-only,
// integer keys at their extremes, empty). ferry exits 0 and each table equals the upstream's
// exactly — with the snapshot under FLUSH TABLES WITH READ LOCK and under LOCK TABLES.
#include "binlog_corpus.hpp"
#include "dump_data.hpp"
#include "dump_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace ferry::testing {
namespace {

// `method`: the load-method the sink must report it used (auto picks bulk on MariaDB).
void every_column_type_and_key_shape_loads_exactly(const std::string& name, const std::string& load_method, const std::string& method) {
  // Small chunks, so the chunked tables are cut in several ranges read on both threads. (Small
  // statements are DumpLoad.ChunksWhoseLastRowFillsAStatementLoad's business.)
  DumpFixture f(name, {.dump = {"databases: [corpus, shapes, types]", "threads: 2", "rows: 40"},
                       .load = {"pool-size: 3", "load-method: " + load_method}});
  {
    Connection up = f.up().connect();
    mysql::agreement::write_corpus(up);
  }
  Connection up = f.up().connect();
  write_shapes(up);
  write_every_type(up, 60);
  ASSERT_EQ(f.run_to_exit(), 0) << f.log_tail();
  EXPECT_FALSE(f.log_lines("tidb-load open method=" + method).empty()) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"corpus", "shapes"}, 8);
  expect_schemas_equal(f.up(), f.down(), {"types"});
  Connection down = f.down().connect();
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM shapes.keyless WHERE a IS NULL"), "2");
  // Each chunk is recorded once, and the load's end.
  const auto progress = f.load_progress();
  EXPECT_TRUE(progress.finished);
  EXPECT_EQ(progress.rows, count_rows(up, {"corpus", "shapes", "types"}));
}

TEST(DumpTypes, EveryColumnTypeAndKeyShapeLoadsExactlyByBulkInserts) {
  every_column_type_and_key_shape_loads_exactly("dump_types", "auto", "bulk");
}

TEST(DumpTypes, EveryColumnTypeAndKeyShapeLoadsExactlyByLoadData) {
  every_column_type_and_key_shape_loads_exactly("dump_types_load_data", "load-data", "load-data");
}

TEST(DumpTypes, LockTablesConsistencyLoadsTheSame) {
  // consistency: lock takes LOCK TABLES ... READ on the dumped tables instead of the global lock.
  DumpFixture f("dump_lock", {.dump = {"consistency: lock", "threads: 2", "rows: 40"}, .load = {"pool-size: 2"}});
  Connection up = f.up().connect();
  write_shapes(up);
  write_every_type(up, 10);
  ASSERT_EQ(f.run_to_exit(), 0) << f.log_tail();
  EXPECT_FALSE(f.log_lines("method=lock").empty()) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"shapes"}, 8);
  expect_schemas_equal(f.up(), f.down(), {"types"});
}

// Schema `errvals`: ENUM columns holding the error value (index 0: the '' a non-strict session
// stores for a value that is not a member) beside members and NULL — UTF-8 and latin1, NOT NULL
// and nullable, and an ENUM with '' among its members (whose text alone cannot tell that member
// from the error value); a SET given a non-member (stored without it); a keyless table (one
// chunk) with 150 error values, more than one lenient statement takes.
void write_error_values(Connection& up) {
  up.execute("CREATE DATABASE errvals");
  up.execute("USE errvals");
  up.execute("SET SESSION sql_mode = ''");
  up.execute("CREATE TABLE keyed (id INT NOT NULL PRIMARY KEY, e ENUM('a','b') NOT NULL, le ENUM('x','y') CHARACTER SET latin1,"
             " be ENUM('', 'z'), s SET('p','q'), v VARCHAR(20))");
  up.execute("INSERT INTO keyed SELECT seq, IF(seq % 3 = 0, 'not-a-member', 'a'), IF(seq % 5 = 0, 'nope', IF(seq % 2, 'x', NULL)),"
             " ELT(seq % 4 + 1, '', 'z', 'bad', NULL), IF(seq % 7 = 0, 'p,zzz', 'q'), CONCAT('v', seq) FROM seq_1_to_300");
  up.execute("CREATE TABLE keyless (e ENUM('on','off'), n INT)");
  up.execute("INSERT INTO keyless SELECT IF(seq % 2 = 0, 'bogus', 'on'), seq % 10 FROM seq_1_to_300");
  up.execute("SET SESSION sql_mode = DEFAULT");
  ASSERT_EQ(up.query_value("SELECT COUNT(*) FROM keyed WHERE e = 0"), "100");
  ASSERT_EQ(up.query_value("SELECT COUNT(*) FROM keyed WHERE be = 0"), "75");
  ASSERT_EQ(up.query_value("SELECT COUNT(*) FROM keyed WHERE be = 1"), "75");
}

TEST(DumpTypes, EnumErrorValuesLoadAndSyncExactlyUnderStrictMode) {
  // The load and the sync run under DM's strict session sql_mode; LOAD DATA for the load.
  // (Bulk INSERTs load error values the same way: EnumErrorValuesLoadExactlyByBulkInserts.)
  DumpFixture f("dump_enum_error", {.all = true, .dump = {"databases: [errvals]", "threads: 2", "rows: 40"},
                                    .load = {"pool-size: 2", "load-method: load-data"}});
  Connection up = f.up().connect();
  write_error_values(up);
  f.ferry().start();
  // The load's result first (polled: the sync has nothing to checkpoint yet).
  for (int i = 0; i < 600 && !f.load_progress().finished && f.ferry().running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(f.load_progress().finished) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"errvals"}, 2);
  // The sync: binlog rows carrying index 0, inserted and updated into.
  up.execute("SET SESSION sql_mode = ''");
  up.execute("INSERT INTO errvals.keyed VALUES (1001, 'nope', 'nope', 'bad', 'p,zzz', 'new'), (1002, 'b', 'y', '', 'q', 'new')");
  up.execute("UPDATE errvals.keyed SET e = 'wrong', be = 'wrong' WHERE id IN (1, 2)");
  up.execute("UPDATE errvals.keyed SET e = 'b' WHERE id = 3");
  up.execute("INSERT INTO errvals.keyless VALUES ('bogus', 77)");
  up.execute("DELETE FROM errvals.keyless WHERE e = 0 AND n = 2 LIMIT 1");
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"errvals"}, 2);
  Connection down = f.down().connect();
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM errvals.keyed WHERE e = 0"), "102");
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM errvals.keyless WHERE e = 0"), "150");
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
}

TEST(DumpTypes, EnumErrorValuesLoadExactlyByBulkInserts) {
  DumpFixture f("dump_enum_error_bulk", {.dump = {"databases: [errvals]", "threads: 2", "rows: 40"},
                                         .load = {"pool-size: 2", "load-method: bulk"}});
  Connection up = f.up().connect();
  write_error_values(up);
  ASSERT_EQ(f.run_to_exit(), 0) << f.log_tail();
  EXPECT_FALSE(f.log_lines("method=bulk").empty()) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"errvals"}, 2);
}

TEST(DumpTypes, EnumErrorValuesLoadExactlyByInserts) {
  DumpFixture f("dump_enum_error_insert", {.dump = {"databases: [errvals]", "threads: 2", "rows: 40"},
                                           .load = {"pool-size: 2", "load-method: insert"}});
  Connection up = f.up().connect();
  write_error_values(up);
  ASSERT_EQ(f.run_to_exit(), 0) << f.log_tail();
  EXPECT_FALSE(f.log_lines("method=insert").empty()) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"errvals"}, 2);
}

TEST(DumpTypes, OtherInvalidDataBesideAnEnumErrorValueStillFailsTheChunk) {
  // The downstream's table is narrower than the upstream's: a row holding an error value goes in
  // without strict mode, and its other value would be cut short there; the chunk must fail.
  DumpFixture f("dump_enum_error_refused", {.dump = {"databases: [errvals]"}, .load = {"pool-size: 1", "load-method: insert"}});
  Connection up = f.up().connect();
  write_error_values(up);
  up.execute("UPDATE errvals.keyed SET v = IF(id = 3, 'toolong', 'ok')");  // id 3 holds an error value
  Connection down = f.down().connect();
  down.execute("CREATE DATABASE errvals");
  down.execute("CREATE TABLE errvals.keyed (id INT NOT NULL PRIMARY KEY, e ENUM('a','b') NOT NULL,"
               " le ENUM('x','y') CHARACTER SET latin1, be ENUM('', 'z'), s SET('p','q'), v VARCHAR(3))");
  EXPECT_NE(f.run_to_exit(), 0) << f.log_tail();
  EXPECT_FALSE(f.log_lines("Data truncated for column 'v'").empty()) << f.log_tail();
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM errvals.keyed"), "0");
}

TEST(DumpTypes, AValueTheDownstreamWouldChangeFailsABulkChunkWhole) {
  // A narrower column downstream: under the strict session the bulk INSERT of a row whose value
  // does not fit fails, and its chunk (every row of the one-chunk table) is rolled back.
  DumpFixture f("dump_bulk_refused", {.dump = {"databases: [narrow]"}, .load = {"pool-size: 1", "load-method: bulk"}});
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE narrow");
  up.execute("CREATE TABLE narrow.t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20))");
  up.execute("INSERT INTO narrow.t SELECT seq, IF(seq = 150, 'toolong', 'ok') FROM narrow.seq_1_to_300");
  Connection down = f.down().connect();
  down.execute("CREATE DATABASE narrow");
  down.execute("CREATE TABLE narrow.t (id INT NOT NULL PRIMARY KEY, v VARCHAR(3))");
  EXPECT_NE(f.run_to_exit(), 0) << f.log_tail();
  EXPECT_FALSE(f.log_lines("method=bulk").empty()) << f.log_tail();
  EXPECT_FALSE(f.log_lines("Data too long for column 'v'").empty()) << f.log_tail();
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM narrow.t"), "0");
}

}  // namespace
}  // namespace ferry::testing
