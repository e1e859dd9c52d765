// Reading mariadb-binlog's -vv output back, on text in the exact forms MariaDB 10.11 prints.
#include "mariadb_binlog_text.hpp"

#include <gtest/gtest.h>

namespace ferry::mysql::agreement {
namespace {

// A two-event INSERT (headers first, then every row, then the statement's row count, as
// mariadb-binlog prints a statement) and an UPDATE, from a binlog with CRC32 checksums.
const std::string kTwoStatements =
    "# at 740\n"
    "#261124  3:06:18 server id 25974  end_log_pos 795 CRC32 0x53484a61 \tTable_map: `c`.`big` mapped to number 29\n"
    "# at 795\n"
    "# at 8905\n"
    "#261124  3:06:18 server id 25974  end_log_pos 8905 CRC32 0xe350243f \tWrite_rows: table id 29\n"
    "#261124  3:06:18 server id 25974  end_log_pos 9100 CRC32 0xc637b74c \tWrite_rows: table id 29 flags: STMT_END_F\n"
    "### INSERT INTO `c`.`big`\n"
    "### SET\n"
    "###   @1=1 /* INT meta=0 nullable=0 is_null=0 */\n"
    "###   @2='it's \\ a /* b */ \\x0a' /* VARSTRING(800) meta=800 nullable=1 is_null=0 */\n"
    "### INSERT INTO `c`.`big`\n"
    "### SET\n"
    "###   @1=2 /* INT meta=0 nullable=0 is_null=0 */\n"
    "###   @2=NULL /* VARSTRING(800) meta=800 nullable=1 is_null=1 */\n"
    "# Number of rows: 2\n"
    "# at 9100\n"
    "#261124  3:06:18 server id 25974  end_log_pos 9131 CRC32 0x67cd7b5d \tXid = 46\n"
    "COMMIT/*!*/;\n"
    "#Q> update nums set f = 0.5 where id = 1\n"
    "#261124  3:06:19 server id 25974  end_log_pos 9300 CRC32 0x7566a615 \tTable_map: `c`.`nums` mapped to number 30\n"
    "#261124  3:06:19 server id 25974  end_log_pos 9400 CRC32 0x7566a616 \tUpdate_rows: table id 30 flags: STMT_END_F\n"
    "### UPDATE `c`.`nums`\n"
    "### WHERE\n"
    "###   @1=1 /* INT meta=0 nullable=0 is_null=0 */\n"
    "###   @5=0.1                  /* FLOAT meta=4 nullable=1 is_null=0 */\n"
    "###   @6=-1 (255) /* TINYINT meta=0 nullable=1 is_null=0 */\n"
    "### SET\n"
    "###   @5=0.5                  /* FLOAT meta=4 nullable=1 is_null=0 */\n"
    "###   @12=b'00000101' /* SET(1 bytes) meta=63489 nullable=1 is_null=0 */\n"
    "# Number of rows: 1\n";

TEST(MariadbBinlogText, ReadsStatementsTheirEventsAndEveryValue) {
  PrintedFile out;
  std::string error;
  ASSERT_TRUE(parse_mariadb_binlog_text(kTwoStatements, out, error)) << error;
  EXPECT_EQ(out.tables.at(29), "c.big");
  EXPECT_EQ(out.tables.at(30), "c.nums");
  ASSERT_EQ(out.statements.size(), 2u);

  const PrintedStatement& insert = out.statements[0];
  ASSERT_EQ(insert.events.size(), 2u);
  EXPECT_EQ(insert.events[0].end_position, 8905u);
  EXPECT_FALSE(insert.events[0].statement_end);
  EXPECT_EQ(insert.events[1].end_position, 9100u);
  EXPECT_TRUE(insert.events[1].statement_end);
  EXPECT_EQ(insert.events[1].table_id, 29u);
  EXPECT_EQ(insert.events[1].kind, RowsKind::Write);
  EXPECT_EQ(insert.declared_rows, 2u);
  ASSERT_EQ(insert.rows.size(), 2u);
  EXPECT_EQ(insert.rows[0].schema, "c");
  EXPECT_EQ(insert.rows[0].table, "big");
  EXPECT_TRUE(insert.rows[0].before.empty());
  ASSERT_EQ(insert.rows[0].after.size(), 2u);
  // The value runs to the last " /* ": one inside a string stays in the string.
  EXPECT_EQ(insert.rows[0].after[1].text, "'it's \\ a /* b */ \\x0a'");
  EXPECT_EQ(insert.rows[0].after[1].type, "VARSTRING(800)");
  EXPECT_EQ(insert.rows[0].after[1].meta, 800u);
  EXPECT_TRUE(insert.rows[0].after[1].nullable);
  EXPECT_FALSE(insert.rows[0].after[1].is_null);
  EXPECT_TRUE(insert.rows[1].after[1].is_null);

  const PrintedStatement& update = out.statements[1];
  ASSERT_EQ(update.rows.size(), 1u);
  const PrintedRow& row = update.rows[0];
  EXPECT_EQ(row.kind, RowsKind::Update);
  ASSERT_EQ(row.before.size(), 3u);
  ASSERT_EQ(row.after.size(), 2u);
  EXPECT_EQ(row.before[1].column, 5u);
  EXPECT_EQ(row.before[1].text, "0.1");  // "%-20g" padding dropped
  EXPECT_EQ(row.before[2].text, "-1 (255)");
  EXPECT_EQ(row.after[1].column, 12u);
  EXPECT_EQ(row.after[1].type, "SET(1 bytes)");
  EXPECT_EQ(row.after[1].text, "b'00000101'");
}

TEST(MariadbBinlogText, HeadersWithoutChecksumsToo) {
  const std::string text =
      "#261124  3:06:19 server id 1  end_log_pos 400 \tTable_map: `s`.`t` mapped to number 7\n"
      "#261124  3:06:19 server id 1  end_log_pos 500 \tDelete_rows: table id 7 flags: STMT_END_F\n"
      "### DELETE FROM `s`.`t`\n"
      "### WHERE\n"
      "###   @1=3 /* INT meta=0 nullable=0 is_null=0 */\n"
      "# Number of rows: 1\n";
  PrintedFile out;
  std::string error;
  ASSERT_TRUE(parse_mariadb_binlog_text(text, out, error)) << error;
  ASSERT_EQ(out.statements.size(), 1u);
  EXPECT_EQ(out.statements[0].events[0].end_position, 500u);
  EXPECT_EQ(out.statements[0].events[0].kind, RowsKind::Delete);
  ASSERT_EQ(out.statements[0].rows.size(), 1u);
  EXPECT_EQ(out.statements[0].rows[0].before[0].text, "3");
}

TEST(MariadbBinlogText, ARowCountThatDisagreesWithTheRowsIsAnError) {
  std::string text = kTwoStatements;
  text.replace(text.find("# Number of rows: 2"), 19, "# Number of rows: 3");
  PrintedFile out;
  std::string error;
  EXPECT_FALSE(parse_mariadb_binlog_text(text, out, error));
  EXPECT_NE(error.find("declares 3 rows but 2 were printed"), std::string::npos) << error;
}

TEST(MariadbBinlogText, AValueWithoutItsTypeCommentIsAnError) {
  std::string text = kTwoStatements;
  text.replace(text.find(" /* INT meta=0 nullable=0 is_null=0 */"), 38, "");
  PrintedFile out;
  std::string error;
  EXPECT_FALSE(parse_mariadb_binlog_text(text, out, error));
  EXPECT_NE(error.find("line 9: unreadable value line: ###   @1=1"), std::string::npos) << error;
}

TEST(MariadbBinlogText, OutputEndingInsideAStatementIsAnError) {
  const std::string text = kTwoStatements.substr(0, kTwoStatements.find("# Number of rows: 2"));
  PrintedFile out;
  std::string error;
  EXPECT_FALSE(parse_mariadb_binlog_text(text, out, error));
  EXPECT_NE(error.find("ends inside a statement"), std::string::npos) << error;
}

TEST(MariadbBinlogText, RowsWithoutAnEventHeaderAreAnError) {
  const std::string text = "### INSERT INTO `s`.`t`\n### SET\n###   @1=3 /* INT meta=0 nullable=0 is_null=0 */\n";
  PrintedFile out;
  std::string error;
  EXPECT_FALSE(parse_mariadb_binlog_text(text, out, error));
  EXPECT_NE(error.find("a row before any rows event header"), std::string::npos) << error;
}

}  // namespace
}  // namespace ferry::mysql::agreement
