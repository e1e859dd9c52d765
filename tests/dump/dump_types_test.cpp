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

namespace ferry::testing {
namespace {

TEST(DumpTypes, EveryColumnTypeAndKeyShapeLoadsExactly) {
  // Small chunks, so the chunked tables are cut in several ranges read on both threads. (Small
  // statements are DumpLoad.ChunksWhoseLastRowFillsAStatementLoad's business.)
  DumpFixture f("dump_types", {.dump = {"databases: [corpus, shapes, types]", "threads: 2", "rows: 40"},
                               .load = {"pool-size: 3"}});
  {
    Connection up = f.up().connect();
    mysql::agreement::write_corpus(up);
  }
  Connection up = f.up().connect();
  write_shapes(up);
  write_every_type(up, 60);
  ASSERT_EQ(f.run_to_exit(), 0) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"corpus", "shapes"}, 8);
  expect_schemas_equal(f.up(), f.down(), {"types"});
  Connection down = f.down().connect();
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM shapes.keyless WHERE a IS NULL"), "2");
  // Each chunk is recorded once, and the load's end.
  const auto progress = f.load_progress();
  EXPECT_TRUE(progress.finished);
  EXPECT_EQ(progress.rows, count_rows(up, {"corpus", "shapes", "types"}));
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

}  // namespace
}  // namespace ferry::testing
