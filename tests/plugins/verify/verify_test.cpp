// `ferry verify TASK.yaml` through the real binary between two real MariaDB servers: what
// matches, each kind of difference it must find and list, and the inputs it must refuse.
#include "verify_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <fstream>

namespace ferry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Every common column type, with edge values, and rows that differ only by NULL vs ''.
constexpr const char* kAllTypes =
    "CREATE TABLE shop.types ("
    " id INT PRIMARY KEY, ti TINYINT, si SMALLINT UNSIGNED, mi MEDIUMINT, bi BIGINT UNSIGNED,"
    " de DECIMAL(20,6), fl FLOAT, db DOUBLE, bt BIT(12), yr YEAR, d DATE, t TIME(3), dt DATETIME(6),"
    " ts TIMESTAMP(2) NULL, ch CHAR(5), vc VARCHAR(40), tx TEXT, lat VARCHAR(10) CHARACTER SET latin1,"
    " bn BINARY(4), vb VARBINARY(10), bl BLOB, en ENUM('a','b',''), st SET('x','y'), js JSON,"
    " gen INT AS (id * 2) VIRTUAL)";
constexpr const char* kAllTypesRows =
    "INSERT INTO shop.types (id, ti, si, mi, bi, de, fl, db, bt, yr, d, t, dt, ts, ch, vc, tx, lat, bn, vb, bl, en, st, js) VALUES"
    " (1, -128, 65535, -8388608, 18446744073709551615, -12345678901234.123456, 0.1, 1.0000000000000002, b'101010101010',"
    "  1901, '1000-01-01', '-838:59:59.000', '9999-12-31 23:59:59.999999', '2038-01-18 03:14:07.99', 'a', 'x,y|z', 'long text',"
    "  'caf\xC3\xA9', X'00FF0001', X'', X'DEADBEEF', 'a', 'x,y', '{\"k\": [1, 2]}'),"
    " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
    " (3, 0, 0, 0, 0, 0, -0.0, 1e300, b'0', 2155, '2024-02-29', '00:00:00.5', '2024-02-29 12:00:00', '1970-01-02 00:00:01', '', '', '',"
    "  '', X'', '', '', '', '', '[]')";

TEST_F(VerifyTest, IdenticalTablesMatch) {
  both("CREATE DATABASE shop");
  both(kAllTypes);
  both(kAllTypesRows);
  both("CREATE TABLE shop.pairs (region VARCHAR(8), n INT, v VARCHAR(8), PRIMARY KEY (region, n))");
  both("INSERT INTO shop.pairs VALUES ('eu', 1, 'a'), ('eu', 2, NULL), ('eu', 3, ''), ('us', 1, 'b'), "
       "('us', 2, 'c'), ('us', 3, 'it''s'), ('\xC3\xA9t\xC3\xA9', 1, 'd')");
  both("CREATE TABLE shop.keyless (a INT, b VARCHAR(8))");  // duplicates and NULLs
  both("INSERT INTO shop.keyless VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, ''), (NULL, '')");
  both("CREATE TABLE shop.by_unique (code VARBINARY(8) NOT NULL, note VARCHAR(8), UNIQUE KEY (code))");
  both("INSERT INTO shop.by_unique VALUES (X'00', 'zero'), (X'FF01', 'ff'), ('a b', 'space'), ('a''\\\\', 'quote')");
  both("CREATE TABLE shop.empty (id INT PRIMARY KEY)");
  // The meta schema is never compared: this table exists upstream only.
  up().connect().execute("CREATE DATABASE dm_meta");
  up().connect().execute("CREATE TABLE dm_meta.verify_test_syncer_checkpoint (id INT)");

  const auto r = verify({"--chunk-rows", "2"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(lines_starting(r.out, "table="),
              ElementsAre("table=shop.by_unique result=match chunks=3 rows=4",
                          "table=shop.empty result=match chunks=1 rows=0",
                          "table=shop.keyless result=match chunks=1 rows=5",
                          "table=shop.pairs result=match chunks=4 rows=7",
                          "table=shop.types result=match chunks=2 rows=3"));
  EXPECT_THAT(r.out, HasSubstr("tables=5 matched=5 differ=0 missing=0 failed=0\n"));
}

TEST_F(VerifyTest, NullAndEmptyStringAreDifferent) {
  both("CREATE DATABASE shop");
  both("CREATE TABLE shop.t (id INT PRIMARY KEY, a VARCHAR(8), b VARCHAR(8))");
  up().connect().execute("INSERT INTO shop.t VALUES (1, NULL, 'x'), (2, 'p,q', 'r')");
  // The same text if NULL were '' or the separator moved between columns.
  down().connect().execute("INSERT INTO shop.t VALUES (1, '', 'x'), (2, 'p', 'q,r')");
  const auto r = verify({"--rows"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(lines_starting(r.out, "  row="),
              ElementsAre(R"(  row=different key={"id":1} columns=a upstream={"id":1,"a":null,"b":"x"} downstream={"id":1,"a":"","b":"x"})",
                          R"(  row=different key={"id":2} columns=a,b upstream={"id":2,"a":"p,q","b":"r"} downstream={"id":2,"a":"p","b":"q,r"})"));
}

TEST_F(VerifyTest, ChangedMissingAndExtraRowsAreListed) {
  both("CREATE DATABASE shop");
  both("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(8), qty INT)");
  both("INSERT INTO shop.orders SELECT seq, CONCAT('item', seq), seq * 10 FROM shop.seq_1_to_10");
  both("CREATE TABLE shop.fine (id INT PRIMARY KEY)");
  both("INSERT INTO shop.fine VALUES (1), (2)");
  Connection down = this->down().connect();
  down.execute("UPDATE shop.orders SET qty = 21 WHERE id = 2");
  down.execute("DELETE FROM shop.orders WHERE id = 6");
  down.execute("INSERT INTO shop.orders VALUES (11, 'item11', 110)");

  const auto plain = verify({"--chunk-rows", "4"});
  EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
  EXPECT_THAT(lines_starting(plain.out, "  row="), ElementsAre());  // rows only with --rows

  const auto r = verify({"--chunk-rows", "4", "--rows"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(lines_starting(r.out, "table="),
              ElementsAre("table=shop.fine result=match chunks=1 rows=2",
                          "table=shop.orders result=differ chunks=3 upstream_rows=10 downstream_rows=10 differing_chunks=3"));
  EXPECT_THAT(lines_starting(r.out, "  chunk="),
              ElementsAre(R"(  chunk=1 range=(-inf,{"id":4}] upstream_rows=4 downstream_rows=4)",
                          R"(  chunk=2 range=({"id":4},{"id":8}] upstream_rows=4 downstream_rows=3)",
                          R"(  chunk=3 range=({"id":8},+inf] upstream_rows=2 downstream_rows=3)"));
  EXPECT_THAT(lines_starting(r.out, "  row="),
              ElementsAre(R"(  row=different key={"id":2} columns=qty upstream={"id":2,"item":"item2","qty":20} downstream={"id":2,"item":"item2","qty":21})",
                          R"(  row=missing key={"id":6} upstream={"id":6,"item":"item6","qty":60})",
                          R"(  row=extra key={"id":11} downstream={"id":11,"item":"item11","qty":110})"));
  EXPECT_THAT(r.out, HasSubstr("tables=2 matched=1 differ=1 missing=0 failed=0\n"));
}

TEST_F(VerifyTest, CompositeKeyAndKeylessDifferencesAreListed) {
  both("CREATE DATABASE shop");
  both("CREATE TABLE shop.pairs (region VARCHAR(8), n INT, v VARCHAR(8), PRIMARY KEY (region, n))");
  both("INSERT INTO shop.pairs VALUES ('eu', 1, 'a'), ('eu', 2, 'b'), ('us', 1, 'c'), ('us', 2, 'd')");
  both("CREATE TABLE shop.log (a INT, b VARCHAR(8))");
  both("INSERT INTO shop.log VALUES (1, 'x'), (1, 'x'), (2, NULL)");
  Connection down = this->down().connect();
  down.execute("UPDATE shop.pairs SET v = 'D' WHERE region = 'us' AND n = 2");
  down.execute("INSERT INTO shop.log VALUES (1, 'x')");  // a third copy
  down.execute("DELETE FROM shop.log WHERE a = 2");

  const auto r = verify({"--chunk-rows", "3", "--rows"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("table=shop.log result=differ chunks=1 upstream_rows=3 downstream_rows=3 differing_chunks=1\n"
                               "  chunk=1 range=all upstream_rows=3 downstream_rows=3\n"
                               "  row=missing upstream={\"a\":2,\"b\":null}\n"
                               "  row=extra downstream={\"a\":1,\"b\":\"x\"}\n"));
  EXPECT_THAT(r.out, HasSubstr("table=shop.pairs result=differ chunks=2 upstream_rows=4 downstream_rows=4 differing_chunks=1\n"
                               "  chunk=2 range=({\"region\":\"us\",\"n\":1},+inf] upstream_rows=1 downstream_rows=1\n"
                               "  row=different key={\"region\":\"us\",\"n\":2} columns=v"));
}

TEST_F(VerifyTest, RowListingIsCappedPerTable) {
  both("CREATE DATABASE shop");
  both("CREATE TABLE shop.t (id INT PRIMARY KEY)");
  up().connect().execute("INSERT INTO shop.t SELECT seq FROM shop.seq_1_to_30");
  const auto r = verify({"--rows"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(lines_starting(r.out, "  row=missing ").size(), 20u) << r.out;
  EXPECT_THAT(r.out, HasSubstr("  rows_not_shown=10\n"));
}

TEST_F(VerifyTest, MissingTableAndColumnDiffer) {
  both("CREATE DATABASE shop");
  up().connect().execute("CREATE TABLE shop.gone (id INT PRIMARY KEY)");
  up().connect().execute("CREATE TABLE shop.wide (id INT PRIMARY KEY, a INT, b INT)");
  down().connect().execute("CREATE TABLE shop.wide (id INT PRIMARY KEY, a INT)");
  down().connect().execute("CREATE TABLE shop.downstream_only (id INT)");  // not upstream: not compared
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(lines_starting(r.out, "table="),
              ElementsAre("table=shop.gone result=missing-downstream", "table=shop.wide result=differ missing_columns=b"));
  EXPECT_THAT(r.out, HasSubstr("tables=2 matched=0 differ=1 missing=1 failed=0\n"));
}

TEST_F(VerifyTest, UnusableServersExitTwoWithoutShowingThePassword) {
  const std::string wrong = "not-the-Passw0rd";
  task_ = task_with_downstream_password(wrong);
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot connect to downstream " + down().user() + "@127.0.0.1:" + std::to_string(down().port()) +
                               ": Access denied"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(wrong)));
  EXPECT_EQ(r.out, "");

  up().stop();
  const auto unreachable = verify();
  EXPECT_EQ(unreachable.exit_code, 2) << unreachable.out << unreachable.err;
  EXPECT_THAT(unreachable.err,
              HasSubstr("cannot connect to upstream " + up().user() + "@127.0.0.1:" + std::to_string(up().port()) + ": "));
  EXPECT_THAT(unreachable.out + unreachable.err, Not(HasSubstr(wrong)));
}

// Refused before any server is needed: every problem of the task file, with file:line:col.
TEST(VerifyTaskFile, BadTaskFileExitsTwo) {
  const auto dir = std::filesystem::path(VERIFY_WORK_DIR) / "BadTaskFileExitsTwo";
  std::filesystem::create_directories(dir);
  const auto task = dir / "task.yaml";
  std::ofstream(task) << "name: bad\ntask-mode: incremental\nincremental:\n"
                         "  source: {plugin: mysql-binlog, user: u}\n"
                         "  sink: {plugin: tidb, user: u, no-such-key: 1}\n";
  const auto r = VerifyTest::ferry({"verify", task.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr(task.string() + ":5:"));
  EXPECT_THAT(r.err, HasSubstr("no-such-key"));
  EXPECT_EQ(r.out, "");
}

TEST_F(VerifyTest, DmTaskFileWithItsSourceFile) {
  both("CREATE DATABASE app");
  both("CREATE TABLE app.users (id INT PRIMARY KEY, name VARCHAR(30))");
  both("INSERT INTO app.users VALUES (1, 'ada'), (2, 'grace')");
  setenv("UPSTREAM_PORT", std::to_string(up().port()).c_str(), 1);
  setenv("UPSTREAM_USER", up().user().c_str(), 1);
  setenv("UPSTREAM_PASSWORD", up().password().c_str(), 1);
  setenv("UPSTREAM_BINLOG_NAME", "mysql-bin.000001", 1);
  setenv("UPSTREAM_BINLOG_POS", "4", 1);
  setenv("DOWNSTREAM_PORT", std::to_string(down().port()).c_str(), 1);
  setenv("DOWNSTREAM_USER", down().user().c_str(), 1);
  setenv("DOWNSTREAM_PASSWORD", down().password().c_str(), 1);
  const std::string samples = std::string(SAMPLES_DIR) + "/dm/";
  const auto r = ferry({"verify", samples + "task.yaml", "--source", samples + "source.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("table=app.users result=match chunks=1 rows=2\n"));
}

// The plugin command itself, as core runs it: upstream `tables` and `databases` choose tables.
TEST_F(VerifyTest, TablesAndDatabasesChooseTables) {
  both("CREATE DATABASE a");
  both("CREATE DATABASE b");
  both("CREATE TABLE a.one (id INT PRIMARY KEY)");
  both("CREATE TABLE a.two (id INT PRIMARY KEY)");
  both("CREATE TABLE b.three (id INT PRIMARY KEY)");
  up().connect().execute("INSERT INTO a.two VALUES (1)");  // differs, but not chosen
  const std::string json = R"({"task": "t", "upstream": {"port": )" + std::to_string(up().port()) + R"(, "user": ")" +
                           up().user() + R"(", "password": ")" + up().password() +
                           R"(", "databases": ["b"], "tables": ["a.one", "a.nope"]}, "downstream": {"port": )" +
                           std::to_string(down().port()) + R"(, "user": ")" + down().user() + R"(", "password": ")" +
                           down().password() + R"("}})";
  const auto r = ferry({"verify-tables", "--task-json", json});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(lines_starting(r.out, "table="),
              ElementsAre("table=a.nope result=missing-upstream", "table=a.one result=match chunks=1 rows=0",
                          "table=b.three result=match chunks=1 rows=0"));
}

}  // namespace
}  // namespace ferry::testing
