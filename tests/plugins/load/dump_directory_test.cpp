#include "files/create_table.hpp"
#include "files/dump_directory.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace ferry::load {
namespace {

class DumpDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("dump-dir-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::filesystem::path dir_;
};

TEST_F(DumpDirectory, ReadsMydumperMetadataAndDumplingsSecondPosition) {
  write("metadata",
        "Started dump at: 2026-12-06 05:29:31\nSHOW MASTER STATUS:\n\tLog: binlog.000001\n\tPos: 7155979\n\tGTID:0-1-5\n\n"
        "SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED */\n\tLog: binlog.000002\n\tPos: 4\n\tGTID:0-1-9\n\n"
        "Finished dump at: 2026-12-06 05:29:32\n");
  std::string error;
  auto m = read_metadata(dir_, error);
  ASSERT_TRUE(m.has_value()) << error;
  EXPECT_EQ(m->start.file, "binlog.000001");
  EXPECT_EQ(m->start.pos, 7155979u);
  EXPECT_EQ(m->start.gtid, "0-1-5");
  ASSERT_TRUE(m->after.has_value());
  EXPECT_EQ(m->after->file, "binlog.000002");
  auto again = read_metadata(dir_, error);
  write("metadata", metadata_text(*m, "a", "b"));
  auto round = read_metadata(dir_, error);
  ASSERT_TRUE(round.has_value()) << error;
  EXPECT_EQ(round->after->gtid, "0-1-9");
}

TEST_F(DumpDirectory, TablesReadAfterTheStartRoundTripInASectionMydumpersReadersSkip) {
  DumpMetadata m;
  m.start = MetadataPoint{"binlog.000001", 100, "0-1-5"};
  set_handover(m, "safe-until=binlog.000002:400;gtid=0-1-9;table=shop.z_late@binlog.000002:300;table=we%3Bird.t%2E1@binlog.000001:200");
  ASSERT_TRUE(m.after.has_value());
  ASSERT_EQ(m.tables.size(), 2u);
  const std::string text = metadata_text(m, "a", "b");
  // DM's parser reads the SHOW MASTER STATUS sections and skips any other line; ferry's section
  // comes first and ends with a blank line, so an older reader never takes its lines for a GTID.
  EXPECT_EQ(text,
            "Started dump at: a\n"
            "TABLES READ AFTER THE START: /* ferry: read whole after the start; the sync skips their changes up to here */\n"
            "\tshop.z_late@binlog.000002:300\n\twe%3Bird.t%2E1@binlog.000001:200\n\n"
            "SHOW MASTER STATUS:\n\tLog: binlog.000001\n\tPos: 100\n\tGTID:0-1-5\n\n"
            "SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED */\n\tLog: binlog.000002\n\tPos: 400\n\tGTID:0-1-9\n\n"
            "Finished dump at: b\n");
  write("metadata", text);
  std::string error;
  auto back = read_metadata(dir_, error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->start.pos, 100u);
  EXPECT_EQ(back->start.gtid, "0-1-5");
  EXPECT_EQ(back->after->gtid, "0-1-9");
  ASSERT_EQ(back->tables.size(), 2u);
  EXPECT_EQ(back->tables[1].schema, "we;ird");
  EXPECT_EQ(back->tables[1].table, "t.1");
  // What the directory hands a sync is what the dump handed the sink.
  EXPECT_EQ(handover_note(*back),
            "safe-until=binlog.000002:400;gtid=0-1-9;table=shop.z_late@binlog.000002:300;table=we%3Bird.t%2E1@binlog.000001:200");
  // One snapshot: nothing to hand over.
  back->after = back->start;
  EXPECT_EQ(handover_note(*back), "");
}

TEST_F(DumpDirectory, AMissingOrTruncatedMetadataSaysWhatToDo) {
  std::string error;
  EXPECT_FALSE(read_metadata(dir_, error).has_value());
  EXPECT_NE(error.find("has no metadata file"), std::string::npos) << error;
  write("metadata", "Started dump at: 2026-12-06 05:29:31\nSHOW MASTER STATUS:\n");
  EXPECT_FALSE(read_metadata(dir_, error).has_value());
  EXPECT_NE(error.find("parse mydumper metadata error: EOF"), std::string::npos) << error;
  EXPECT_NE(error.find("Dump again"), std::string::npos) << error;
}

TEST_F(DumpDirectory, ListsSchemasTablesAndNumberedDataFilesInOrder) {
  for (const char* f : {"shop-schema-create.sql", "shop.t-schema.sql", "shop.t.00001.sql", "shop.t.00000.sql", "shop.u-schema.sql",
                        "shop.u.sql", "shop.v-schema-view.sql", "metadata"}) {
    write(f, "");
  }
  DumpListing l;
  std::string error;
  ASSERT_TRUE(list_dump_directory(dir_, l, error)) << error;
  EXPECT_EQ(l.schemas, std::vector<std::string>{"shop"});
  ASSERT_EQ(l.tables.size(), 2u);
  ASSERT_EQ(l.data.size(), 3u);
  EXPECT_EQ(l.data[0].path.filename(), "shop.t.00000.sql");
  EXPECT_EQ(l.data[1].number, 1u);
  EXPECT_EQ(l.data[2].table, "u");
  EXPECT_EQ(l.skipped, std::vector<std::string>{"shop.v-schema-view.sql"});
  write("shop.w.00000.sql.gz", "");
  EXPECT_FALSE(list_dump_directory(dir_, l, error));
  EXPECT_NE(error.find("compressed"), std::string::npos);
}

TEST(CreateTable, ReadsColumnsCharsetsKeysAndGeneratedColumns) {
  const std::string create =
      "CREATE TABLE IF NOT EXISTS `t` (\n"
      "  `id` int(10) unsigned NOT NULL,\n"
      "  `s` varchar(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,\n"
      "  `e` enum('a','b''c') NOT NULL,\n"
      "  `b` bit(10) DEFAULT NULL,\n"
      "  `bin` binary(16) NOT NULL,\n"
      "  `g` int(11) GENERATED ALWAYS AS (`id` * 2) VIRTUAL,\n"
      "  `u` text,\n"
      "  PRIMARY KEY (`id`),\n"
      "  UNIQUE KEY `us` (`s`(5),`e`),\n"
      "  KEY `k` (`b`)\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";
  dump::DumpTable t;
  std::string error;
  ASSERT_TRUE(table_from_create("db", create, t, error)) << error;
  EXPECT_EQ(t.table, "t");
  ASSERT_EQ(t.columns.size(), 7u);
  const ferry_table_schema& s = t.abi();
  EXPECT_TRUE(s.columns[0].flags & FERRY_COLUMN_UNSIGNED);
  EXPECT_TRUE(s.columns[0].flags & FERRY_COLUMN_PRIMARY_KEY);
  EXPECT_EQ(t.columns[0].column_type, "int(10) unsigned");
  EXPECT_EQ(s.columns[1].charset, 8);      // latin1_swedish_ci
  EXPECT_EQ(s.columns[6].charset, 45);     // the table's utf8mb4_general_ci
  EXPECT_EQ(s.columns[4].charset, 63);     // binary
  EXPECT_EQ(t.columns[2].members, (std::vector<std::string>{"a", "b'c"}));
  EXPECT_EQ(t.columns[3].bit_width, 10);
  EXPECT_TRUE(t.columns[5].generated);
  EXPECT_EQ(t.read_columns().size(), 6u);
  ASSERT_NE(s.primary_key, nullptr);
  ASSERT_EQ(s.unique_key_count, 1u);
  EXPECT_EQ(s.unique_keys[0].column_count, 2u);
  EXPECT_FALSE(table_from_create("db", "CREATE TABLE `t` (\n  `x` vector(3)\n) ENGINE=InnoDB", t, error));
  EXPECT_NE(error.find("vector"), std::string::npos);
}

}  // namespace
}  // namespace ferry::load
