// What a DBA sees when the downstream refuses something: the task pauses with the error code,
// the statement, the row and the upstream position; `ferry run` exits non-zero; once the
// downstream is fixed, running again resumes from the checkpoint and nothing is lost or doubled.
#include "sync_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ferry::testing {
namespace {

using ::testing::HasSubstr;

TEST(SyncErrors, RejectedDdlPausesThenResumesAfterTheDownstreamIsFixed) {
  SyncFixture f("sync_ddl_reject");
  Connection up = f.up().connect();
  Connection down = f.down().connect();
  up.execute("CREATE DATABASE shop");
  up.execute("CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20))");
  up.execute("INSERT INTO shop.items VALUES (1, 'one')");
  f.ferry().start();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();

  // The downstream already has a column the upstream is about to add: the ALTER fails there,
  // and it is not a replay.
  down.execute("ALTER TABLE shop.items ADD COLUMN price INT");
  up.execute("ALTER TABLE shop.items ADD COLUMN price DECIMAL(10,2)");
  up.execute("INSERT INTO shop.items VALUES (2, 'two', 2.50)");
  const std::optional<int> code = f.ferry().wait(60000);
  ASSERT_TRUE(code.has_value()) << "ferry did not pause on the rejected DDL\n" << f.log_tail();
  EXPECT_NE(*code, 0);
  const std::string log = f.log_tail(20000);
  EXPECT_THAT(log, HasSubstr("30003"));
  EXPECT_THAT(log, HasSubstr("ALTER TABLE shop.items ADD COLUMN price DECIMAL(10,2)"));
  EXPECT_THAT(log, HasSubstr("1060"));  // the downstream's own error
  EXPECT_THAT(log, HasSubstr("upstream position"));
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM shop.items"), "1") << "nothing after the DDL may be applied";

  down.execute("ALTER TABLE shop.items DROP COLUMN price");
  f.ferry().start();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  EXPECT_EQ(table_fingerprint(down, "shop.items"), table_fingerprint(up, "shop.items"));
  EXPECT_EQ(down.query_value("SELECT price FROM shop.items WHERE id = 2"), "2.50");
}

TEST(SyncErrors, DuplicateRowPausesWithSqlRowAndPositionThenResumes) {
  SyncFixture f("sync_dup_row", {"worker-count: 4"});
  Connection up = f.up().connect();
  Connection down = f.down().connect();
  up.execute("CREATE DATABASE shop");
  up.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(40))");
  f.ferry().start();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();

  down.execute("INSERT INTO shop.orders VALUES (7, 'a row only the downstream has')");
  up.execute("BEGIN");
  up.execute("INSERT INTO shop.orders VALUES (6, 'six')");
  up.execute("INSERT INTO shop.orders VALUES (7, 'seven')");
  up.execute("COMMIT");
  const auto [file, pos] = f.upstream_position();
  const std::optional<int> code = f.ferry().wait(60000);
  ASSERT_TRUE(code.has_value()) << "ferry did not pause on the duplicate row\n" << f.log_tail();
  EXPECT_NE(*code, 0);
  const std::string log = f.log_tail(20000);
  EXPECT_THAT(log, HasSubstr("30002"));                 // DOWNSTREAM_EXECUTE
  EXPECT_THAT(log, HasSubstr("1062"));                  // duplicate entry
  EXPECT_THAT(log, HasSubstr("INSERT INTO `shop`.`orders`"));
  EXPECT_THAT(log, HasSubstr("'seven'"));
  EXPECT_THAT(log, HasSubstr(file + ":" + std::to_string(pos)));
  // Atomic: the transaction's other row is not half-applied.
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM shop.orders WHERE id = 6"), "0");

  down.execute("DELETE FROM shop.orders WHERE id = 7");
  f.ferry().start();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  EXPECT_EQ(table_fingerprint(down, "shop.orders"), table_fingerprint(up, "shop.orders"));
}

TEST(SyncErrors, MariaDb53FractionalTemporalColumnPausesWithWhatToDo) {
  // Tables made under mysql56_temporal_format=OFF keep MariaDB 5.3's TIME/DATETIME/TIMESTAMP
  // with fractions, logged under the old type codes with no width: not decodable, so the task
  // pauses naming the column and the conversion, before anything of the table is applied.
  SyncFixture f("sync_temporal53");
  Connection up = f.up().connect();
  Connection down = f.down().connect();
  up.execute("SET SESSION sql_log_bin = 0");  // made on both sides by hand, as after a dump
  up.execute("CREATE DATABASE shop");
  up.execute("SET GLOBAL mysql56_temporal_format = OFF");
  up.execute("CREATE TABLE shop.visits (id INT PRIMARY KEY, at DATETIME(3))");
  up.execute("SET GLOBAL mysql56_temporal_format = ON");
  up.execute("SET SESSION sql_log_bin = 1");
  down.execute("CREATE DATABASE shop");
  down.execute("CREATE TABLE shop.visits (id INT PRIMARY KEY, at DATETIME(3))");
  up.execute("INSERT INTO shop.visits VALUES (1, '2024-01-02 03:04:05.678')");
  f.ferry().start();
  const std::optional<int> code = f.ferry().wait(60000);
  ASSERT_TRUE(code.has_value()) << "ferry did not pause on the 5.3 column\n" << f.log_tail();
  EXPECT_NE(*code, 0);
  const std::string log = f.log_tail(20000);
  EXPECT_THAT(log, HasSubstr("column at of shop.visits has MariaDB 5.3's fractional DATETIME(3)"));
  EXPECT_THAT(log, HasSubstr("ALTER TABLE shop.visits FORCE"));
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM shop.visits"), "0");
}

}  // namespace
}  // namespace ferry::testing
