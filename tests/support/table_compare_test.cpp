// The table comparison against real servers: equal copies compare equal, and each kind of
// single change a sync bug could make is found, in the right table, with the row named.
#include "support/table_compare.hpp"

#include "support/mariadb_server.hpp"
#include "support/row_diff.hpp"
#include "support/workload.hpp"
#include "support/workload_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// `to` as a copy of `from` on the same server: same definitions, rows copied by the server
// (INSERT ... SELECT), so every value is bit for bit the same.
void copy_schema(Connection& c, const std::string& from, const std::string& to) {
  c.execute("CREATE DATABASE " + to);
  for (const Row& t : c.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + from + "'")) {
    c.execute("CREATE TABLE " + to + "." + *t[0] + " LIKE " + from + "." + *t[0]);
    c.execute("INSERT INTO " + to + "." + *t[0] + " SELECT * FROM " + from + "." + *t[0]);
  }
}

// A row of all_types whose values the cases below change by the least possible amount.
constexpr const char* kKnownRow =
    "INSERT INTO src.all_types (id, f, dbl, t6, ts6, b64, d65_30, mb, vb, lch, lvc, vc, e) VALUES "
    "(900000001, 0.1, 0.1, '-00:00:01.000001', '2001-02-03 04:05:06.000007', 0x8000000000000000, "
    "-1.000000000000000000000000000001, REPEAT('abcdefgh', 12500), X'00', NULL, _latin1 'x', NULL, '')";

struct Case {
  const char* what;
  const char* sql;    // run on a fresh copy ("dst")
  const char* table;  // the one table that must differ
  std::vector<const char*> row_text;  // each must appear in the differing rows' description
};

const Case kCases[] = {
    {"a non-key column of one row", "UPDATE dst.keyed SET k = k + 1 ORDER BY id LIMIT 1", "keyed", {"id=", "k "}},
    {"a row deleted", "DELETE FROM dst.keyed ORDER BY id LIMIT 1", "keyed", {"only upstream: id="}},
    {"a row added", "INSERT INTO dst.keyed (id, k) VALUES (999999999, 1)", "keyed", {"id=999999999: only downstream"}},
    {"a composite key part moved", "UPDATE dst.composite SET seq = seq + 1000000000 ORDER BY tenant, seq LIMIT 1",
     "composite", {"only upstream: tenant=", "only downstream: tenant="}},
    {"a unique NOT NULL key changed", "UPDATE dst.unique_code SET code = 'moved' ORDER BY code LIMIT 1", "unique_code",
     {"code='moved': only downstream"}},
    {"a keyless row duplicated", "INSERT INTO dst.keyless SELECT * FROM dst.keyless LIMIT 1", "keyless",
     {"upstream, ", " downstream: a="}},
    {"a keyless row replaced by a copy of another (same count)",
     "DELETE FROM dst.keyless WHERE a = 1 LIMIT 1; INSERT INTO dst.keyless SELECT * FROM dst.keyless WHERE a = 2 LIMIT 1",
     "keyless", {"downstream: a=1", "downstream: a=2"}},
    {"a NULL-keyed row duplicated",
     "INSERT INTO dst.unique_nullable SELECT * FROM dst.unique_nullable WHERE u IS NULL LIMIT 1", "unique_nullable",
     {"downstream: u=NULL"}},
    {"a keyless string in another case", "UPDATE dst.keyless SET b = 'A' WHERE BINARY b = 'a' LIMIT 1", "keyless",
     {"b='a'", "b='A'"}},
    {"one byte in the middle of a 100 KB MEDIUMBLOB", "UPDATE dst.all_types SET mb = INSERT(mb, 50001, 1, 'X') WHERE id = 900000001",
     "all_types", {"id=900000001: mb 100000 bytes upstream, 100000 downstream, first difference at byte 50000"}},
    {"a FLOAT by one ulp (both print as 0.1)", "UPDATE dst.all_types SET f = 0.100000009 WHERE id = 900000001",
     "all_types", {"f 0.10000000149011612 upstream, 0.10000000894069672 downstream"}},
    {"a DOUBLE by one ulp", "UPDATE dst.all_types SET dbl = 0.10000000000000002 WHERE id = 900000001", "all_types",
     {"dbl 0.1 upstream, 0.10000000000000002 downstream"}},
    {"a negative TIME's fraction", "UPDATE dst.all_types SET t6 = '-00:00:01.000002' WHERE id = 900000001", "all_types",
     {"t6 -00:00:01.000001 upstream, -00:00:01.000002 downstream"}},
    {"a TIMESTAMP by a microsecond", "UPDATE dst.all_types SET ts6 = ts6 + INTERVAL 1 MICROSECOND WHERE id = 900000001",
     "all_types", {"ts6 981173106.000007 upstream, 981173106.000008 downstream"}},
    {"the top bit of a BIT(64)", "UPDATE dst.all_types SET b64 = 0 WHERE id = 900000001", "all_types",
     {"b64 9223372036854775808 upstream, 0 downstream"}},
    {"the last digit of a DECIMAL(65,30)",
     "UPDATE dst.all_types SET d65_30 = -1.000000000000000000000000000002 WHERE id = 900000001", "all_types",
     {"d65_30 -1.000000000000000000000000000001 upstream"}},
    {"a trailing zero byte of a VARBINARY", "UPDATE dst.all_types SET vb = X'0000' WHERE id = 900000001", "all_types",
     {"vb 0x00 upstream, 0x0000 downstream"}},
    {"a NULL moved to the next column (CONCAT_WS skips NULLs)",
     "UPDATE dst.all_types SET lch = _latin1 'x', lvc = NULL WHERE id = 900000001", "all_types",
     {"lch NULL upstream, 'x' downstream", "lvc 'x' upstream, NULL downstream"}},
    {"NULL turned into an empty string", "UPDATE dst.all_types SET vc = '' WHERE id = 900000001", "all_types",
     {"vc NULL upstream, '' downstream"}},
    {"an ENUM's empty member turned into the error value",
     "SET SESSION sql_mode = ''; UPDATE dst.all_types SET e = 'no such member' WHERE id = 900000001", "all_types",
     {"e ''#4 upstream, ''#0 downstream"}},
};

TEST(TableCompareTest, AnExactCopyIsEqualAndEverySingleChangeIsFoundInItsTable) {
  MariadbServer server("cmptest");
  Connection c = server.connect();
  Workload w(3, {.rows = 40});
  w.create_schema(c, "src");
  w.run(c, 150);
  c.execute(kKnownRow);

  copy_schema(c, "src", "copy");
  const SchemaComparison same = compare_schema(c, "src", c, "copy");
  EXPECT_TRUE(same.equal()) << same.describe();
  EXPECT_EQ(same.tables.size(), 6u);
  EXPECT_THAT(same.describe(), HasSubstr("all 6 tables equal"));
  // TIMESTAMPs are compared as instants, whatever each session's time zone.
  Connection elsewhere = server.connect();
  elsewhere.execute("SET time_zone = '+05:30'");
  EXPECT_TRUE(compare_schema(c, "src", elsewhere, "copy").equal());

  for (const Case& test : kCases) {
    SCOPED_TRACE(test.what);
    c.execute("DROP DATABASE IF EXISTS dst");
    copy_schema(c, "src", "dst");
    Connection m = server.connect();  // a session of its own: some cases change sql_mode
    std::string sql = test.sql;
    for (size_t from = 0, end; from < sql.size(); from = end + 2) {
      end = sql.find("; ", from);
      if (end == std::string::npos) end = sql.size();
      m.execute(sql.substr(from, end - from));
      EXPECT_EQ(mysql_affected_rows(m.handle()) >= 1 || sql.substr(from, 3) == "SET", true) << "no row changed: " << sql;
    }
    SchemaComparison result = compare_schema(c, "src", c, "dst");
    EXPECT_THAT(result.differing_tables(), ElementsAre(test.table)) << result.describe();
    describe_row_differences(c, c, result, 10);
    const std::string text = result.describe();
    EXPECT_THAT(text, HasSubstr(std::string(test.table) + ": upstream ")) << text;
    for (const char* expected : test.row_text) EXPECT_THAT(text, HasSubstr(expected)) << text;
  }

  // Definitions: a table missing, a column's type changed, a schema missing.
  c.execute("DROP DATABASE dst");
  copy_schema(c, "src", "dst");
  c.execute("DROP TABLE dst.keyless");
  c.execute("ALTER TABLE dst.keyed MODIFY v VARCHAR(65)");
  SchemaComparison result = compare_schema(c, "src", c, "dst");
  EXPECT_THAT(result.differing_tables(), ElementsAre("keyed", "keyless"));
  describe_row_differences(c, c, result, 5);
  EXPECT_THAT(result.describe(), HasSubstr("keyless: upstream "));
  EXPECT_THAT(result.describe(), HasSubstr("downstream missing"));
  EXPECT_THAT(result.describe(), HasSubstr("column 3 is v varchar(64) upstream, v varchar(65) downstream"));
  // A schema missing on one side is never "equal", even to nothing.
  EXPECT_FALSE(compare_schema(c, "src", c, "nowhere").equal());
  EXPECT_THAT(compare_schema(c, "nowhere", c, "nowhere").describe(), HasSubstr("no schema nowhere upstream"));
}

TEST(TableCompareTest, WaitUntilEqualFollowsADownstreamThatCatchesUpRestartsAndDiverges) {
  MariadbServer up("cmptest-up");
  MariadbServer down("cmptest-down", {"skip-log-bin"});
  Connection uc = up.connect();
  Connection dc = down.connect();
  const WorkloadOptions options{.rows = 30, .large_values = false};
  // The same seed on two servers is how a test knows what a faithful downstream holds.
  Workload on_up(21, options), on_down(21, options);
  on_up.create_schema(uc, "db");
  on_down.create_schema(dc, "db");
  on_up.run(uc, 200);
  on_down.run(dc, 120);
  EXPECT_FALSE(compare_schema(uc, dc, "db").equal());

  // The downstream catches up while the comparison polls.
  WorkloadRunner catch_up(on_down, down.connect());
  catch_up.start({.transactions = 80});
  SchemaComparison caught_up = wait_until_equal(up, down, "db", {.attempts = 300, .interval = 50ms});
  catch_up.wait_finished();
  EXPECT_TRUE(caught_up.equal()) << caught_up.describe();

  // A stopped downstream is a failed attempt with the reason, not an exception.
  down.stop();
  SchemaComparison unreachable = wait_until_equal(up, down, "db", {.attempts = 3, .interval = 10ms});
  EXPECT_FALSE(unreachable.equal());
  EXPECT_EQ(unreachable.attempts, 3);
  EXPECT_THAT(unreachable.describe(), HasSubstr("cannot connect"));
  down.start();
  SchemaComparison back = wait_until_equal(up, down, "db");
  EXPECT_TRUE(back.equal()) << back.describe();
  EXPECT_EQ(back.attempts, 1);

  // Giving up describes the rows.
  down.connect().execute("UPDATE db.all_types SET tx = CONCAT(IFNULL(tx, ''), '!') ORDER BY id LIMIT 1");
  SchemaComparison diverged = wait_until_equal(up, down, "db", {.attempts = 2, .interval = 10ms, .sample_rows = 3});
  EXPECT_FALSE(diverged.equal());
  EXPECT_THAT(diverged.differing_tables(), ElementsAre("all_types"));
  EXPECT_THAT(diverged.describe(), HasSubstr("all_types: upstream "));
  EXPECT_THAT(diverged.describe(), HasSubstr("\n    id="));
  EXPECT_THAT(diverged.describe(), HasSubstr("!' downstream"));
}

TEST(RenderValueTest, ShowsTextQuotedBytesInHexAndCutsLongValues) {
  EXPECT_EQ(render_value("NULL", ValueEncoding::Hex), "NULL");
  EXPECT_EQ(render_value("C3BC20F09F9880", ValueEncoding::Hex), "'ü 😀'");
  EXPECT_EQ(render_value("0041FF", ValueEncoding::Hex), "0x0041FF");
  EXPECT_EQ(render_value("", ValueEncoding::Hex), "''");
  EXPECT_EQ(render_value("616263", ValueEncoding::Hex, 2), "'ab'... (3 bytes)");
  EXPECT_EQ(render_value("726564:1", ValueEncoding::HexWithIndex), "'red'#1");
  EXPECT_EQ(render_value("-00:00:01.000001", ValueEncoding::Text), "-00:00:01.000001");
}

}  // namespace
}  // namespace ferry::testing
