// Every column type, exactly: the decoder agreement suite's corpus (each MariaDB type's edge
// values: extremes, zero dates, negative fractional times, 4-byte UTF-8, latin1, zero bytes,
// BINARY(N) with trailing zeros, NULL in every column, primary-key changes, multi-row and
// multi-table statements, a keyless table) is written upstream while ferry syncs, and every
// table must then match the upstream byte for byte — under FULL and under MINIMAL row images,
// and from MariaDB's compressed events.
#include "binlog_corpus.hpp"
#include "sync_fixture.hpp"

#include <gtest/gtest.h>

namespace ferry::testing {
namespace {

void corpus_arrives_exactly(SyncFixture& f) {
  Connection up = f.up().connect();
  f.ferry().start();
  mysql::agreement::write_corpus(up);
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  Connection down = f.down().connect();
  Rows tables = up.query("SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                         std::string(mysql::agreement::kCorpusSchema) + "' ORDER BY 1");
  ASSERT_GT(tables.size(), 10u);
  for (const auto& t : tables) {
    const std::string table = *t[0];
    EXPECT_EQ(table_fingerprint(down, table), table_fingerprint(up, table)) << table;
  }
}

TEST(SyncTypes, EveryColumnTypeArrivesExactly) {
  SyncFixture f("sync_types_full", {"worker-count: 4"});
  corpus_arrives_exactly(f);
}

TEST(SyncTypes, EveryColumnTypeArrivesExactlyFromMinimalImages) {
  SyncFixture f("sync_types_minimal", {"worker-count: 4"}, {"binlog_row_image=MINIMAL"});
  corpus_arrives_exactly(f);
}

// MariaDB's log_bin_compress: compressed QUERY (the DDL) and rows events, live.
TEST(SyncTypes, EveryColumnTypeArrivesExactlyFromCompressedEvents) {
  SyncFixture f("sync_types_compressed", {"worker-count: 4"}, {"log_bin_compress=ON", "log_bin_compress_min_len=10"});
  corpus_arrives_exactly(f);
}

}  // namespace
}  // namespace ferry::testing
