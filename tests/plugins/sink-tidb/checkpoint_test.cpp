// BinlogPoint ordering, the applied-point list's text form, and the checkpoint tables' SQL.
#include "checkpoint/binlog_point.hpp"
#include "checkpoint/checkpoint_tables.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ferry::tidb {
namespace {

BinlogPoint point(std::string file, uint64_t pos, std::string gtid = "") {
  return BinlogPoint{std::move(file), pos, std::move(gtid), FERRY_GTID_NONE};
}

TEST(BinlogPoint, OrdersByFileThenPosition) {
  EXPECT_LT(point("mysql-bin.000001", 900), point("mysql-bin.000002", 4));
  EXPECT_LT(point("mysql-bin.000002", 4), point("mysql-bin.000002", 5));
  EXPECT_GT(point("mysql-bin.000002", 4), point("mysql-bin.000001", 900));
  EXPECT_EQ(point("mysql-bin.000002", 4), point("mysql-bin.000002", 4));
  EXPECT_EQ(point("mysql-bin.000002", 4) <=> point("mysql-bin.000002", 4), std::strong_ordering::equal);
}

TEST(BinlogPoint, FileNumbersCompareNumericallyPastSixDigits) {
  EXPECT_LT(point("mysql-bin.999999", 900), point("mysql-bin.1000000", 4));
  EXPECT_GT(point("mysql-bin.1000000", 4), point("mysql-bin.999999", 900));
  EXPECT_LT(point("mysql-bin.1000000", 4), point("mysql-bin.1000001", 4));
}

TEST(BinlogPoint, Text) {
  EXPECT_EQ(point("mysql-bin.000003", 1234).text(), "mysql-bin.000003:1234");
  EXPECT_TRUE(BinlogPoint{}.empty());
  EXPECT_FALSE(point("mysql-bin.000003", 0).empty());
}

TEST(BinlogPoint, FromAPosition) {
  const std::string file = "mysql-bin.000007";
  const std::string gtid = "0-1-99";
  ferry_position p{};
  p.binlog_file = ferry_str{file.data(), static_cast<uint32_t>(file.size())};
  p.binlog_pos = 77;
  p.gtid_set = ferry_str{gtid.data(), static_cast<uint32_t>(gtid.size())};
  p.gtid_flavor = FERRY_GTID_MARIADB;
  const BinlogPoint b = BinlogPoint::from(p);
  EXPECT_EQ(b.file, file);
  EXPECT_EQ(b.pos, 77u);
  EXPECT_EQ(b.gtid, gtid);
  EXPECT_EQ(b.gtid_flavor, FERRY_GTID_MARIADB);
}

TEST(AppliedPoints, EncodeDecodeRoundTrip) {
  const std::vector<BinlogPoint> points = {point("mysql-bin.000001", 4), point("mysql-bin.999999", 123),
                                           point("mysql-bin.1000000", std::numeric_limits<uint64_t>::max()),
                                           point("host:relay.000002", 5)};
  const std::string text = encode_points(points);
  EXPECT_EQ(text, "mysql-bin.000001:4 mysql-bin.999999:123 mysql-bin.1000000:18446744073709551615 host:relay.000002:5");
  const std::vector<BinlogPoint> back = decode_points(text);
  ASSERT_EQ(back.size(), points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(back[i].file, points[i].file);
    EXPECT_EQ(back[i].pos, points[i].pos);
  }
}

TEST(AppliedPoints, EmptyListIsEmptyText) {
  EXPECT_EQ(encode_points({}), "");
  EXPECT_TRUE(decode_points("").empty());
}

class CheckpointSql : public ::testing::Test {
 protected:
  CheckpointTables tables_{"dm_meta", "task", "mysql-replica-01", LiteralStyle{}};
};

TEST_F(CheckpointSql, TableNames) {
  EXPECT_EQ(tables_.checkpoint_table(), "`dm_meta`.`task_syncer_checkpoint`");
  EXPECT_EQ(tables_.worker_table(), "`dm_meta`.`task_syncer_worker_checkpoint`");
}

TEST_F(CheckpointSql, GlobalUpsert) {
  EXPECT_EQ(tables_.global_upsert(point("mysql-bin.000003", 1234, "uuid:1-5"), std::nullopt),
            "INSERT INTO `dm_meta`.`task_syncer_checkpoint` (id, cp_schema, cp_table, binlog_name, binlog_pos,"
            " binlog_gtid, exit_safe_binlog_name, exit_safe_binlog_pos, exit_safe_binlog_gtid, table_info, is_global)"
            " VALUES ('mysql-replica-01','','','mysql-bin.000003',1234,'uuid:1-5','',0,'','null',1)"
            " ON DUPLICATE KEY UPDATE binlog_name=VALUES(binlog_name), binlog_pos=VALUES(binlog_pos),"
            " binlog_gtid=VALUES(binlog_gtid), exit_safe_binlog_name=VALUES(exit_safe_binlog_name),"
            " exit_safe_binlog_pos=VALUES(exit_safe_binlog_pos), exit_safe_binlog_gtid=VALUES(exit_safe_binlog_gtid)");
}

TEST_F(CheckpointSql, GlobalUpsertWithExitSafePoint) {
  const std::string sql = tables_.global_upsert(point("mysql-bin.000003", 1234), point("mysql-bin.000004", 99, "g"));
  EXPECT_NE(sql.find("VALUES ('mysql-replica-01','','','mysql-bin.000003',1234,'','mysql-bin.000004',99,'g','null',1)"),
            std::string::npos)
      << sql;
}

TEST_F(CheckpointSql, TableUpsert) {
  EXPECT_EQ(tables_.table_upsert("shop", "it's", point("mysql-bin.000003", 1234, "uuid:1-5"), "{\"a\":\"b\\\\c\"}"),
            "INSERT INTO `dm_meta`.`task_syncer_checkpoint` (id, cp_schema, cp_table, binlog_name, binlog_pos,"
            " binlog_gtid, exit_safe_binlog_gtid, table_info, is_global) VALUES ('mysql-replica-01','shop','it''s',"
            "'mysql-bin.000003',1234,'uuid:1-5','','{\"a\":\"b\\\\\\\\c\"}',0) ON DUPLICATE KEY UPDATE"
            " binlog_name=VALUES(binlog_name), binlog_pos=VALUES(binlog_pos), binlog_gtid=VALUES(binlog_gtid),"
            " table_info=VALUES(table_info)");
}

TEST_F(CheckpointSql, WorkerUpsert) {
  EXPECT_EQ(tables_.worker_upsert(3, point("mysql-bin.000003", 1234, "uuid:1-5"),
                                  {point("mysql-bin.000003", 2000), point("mysql-bin.000004", 10)}),
            "INSERT INTO `dm_meta`.`task_syncer_worker_checkpoint` (id, worker, binlog_name, binlog_pos, binlog_gtid,"
            " applied) VALUES ('mysql-replica-01',3,'mysql-bin.000003',1234,'uuid:1-5',"
            "'mysql-bin.000003:2000 mysql-bin.000004:10') ON DUPLICATE KEY UPDATE binlog_name=VALUES(binlog_name),"
            " binlog_pos=VALUES(binlog_pos), binlog_gtid=VALUES(binlog_gtid), applied=VALUES(applied)");
}

TEST_F(CheckpointSql, WorkerQueries) {
  EXPECT_EQ(tables_.worker_row_query(2),
            "SELECT binlog_name, binlog_pos, applied FROM `dm_meta`.`task_syncer_worker_checkpoint`"
            " WHERE id = 'mysql-replica-01' AND worker = 2");
}

TEST(CheckpointTablesQuoting, SourceIdWithAQuoteIsEscaped) {
  const CheckpointTables tables("dm`meta", "t", "o'brien\\1", LiteralStyle{});
  EXPECT_EQ(tables.checkpoint_table(), "`dm``meta`.`t_syncer_checkpoint`");
  const BinlogPoint p = point("mysql-bin.000001", 4);
  for (const std::string& sql : {tables.global_upsert(p, std::nullopt), tables.table_upsert("s", "t", p, "{}"),
                                 tables.worker_upsert(0, p, {}), tables.worker_row_query(0)}) {
    EXPECT_NE(sql.find("'o''brien\\\\1'"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("'o'brien"), std::string::npos) << sql;
  }
}

TEST(CheckpointTablesQuoting, NoBackslashEscapesOnlyDoublesQuotes) {
  LiteralStyle style;
  style.no_backslash_escapes = true;
  const CheckpointTables tables("dm_meta", "t", "o'brien\\1", style);
  EXPECT_NE(tables.worker_row_query(0).find("id = 'o''brien\\1' AND"), std::string::npos)
      << tables.worker_row_query(0);
}

}  // namespace
}  // namespace ferry::tidb
