#include "task/checkpoint_store.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace ferry::core {
namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("ferry_cp_test_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(CheckpointStore, RoundTripsEveryField) {
  CheckpointStore store(fresh_dir("roundtrip"));
  Failure f;
  EXPECT_FALSE(store.load("incremental", f).has_value());
  EXPECT_FALSE(f);
  StoredCheckpoint cp;
  cp.position = {"mysql-bin.000003", 1234, "0-1-42,1-2-7", FERRY_GTID_MARIADB, 1700000000123456, "{\"chunk\":3}"};
  cp.final = true;
  ASSERT_FALSE(store.save("incremental", cp));
  auto back = store.load("incremental", f);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->position.binlog_file, "mysql-bin.000003");
  EXPECT_EQ(back->position.binlog_pos, 1234u);
  EXPECT_EQ(back->position.gtid_set, "0-1-42,1-2-7");
  EXPECT_EQ(back->position.gtid_flavor, FERRY_GTID_MARIADB);
  EXPECT_EQ(back->position.timestamp_us, 1700000000123456);
  EXPECT_EQ(back->position.token, "{\"chunk\":3}");
  EXPECT_TRUE(back->final);
  EXPECT_FALSE(store.load("full", f).has_value());  // phases are separate
}

TEST(CheckpointStore, ACorruptFileIsAFailureNotAFreshStart) {
  auto dir = fresh_dir("corrupt");
  CheckpointStore store(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(store.file_for("incremental")) << "{\"binlog-file\": \"mysql-bin.0";
  Failure f;
  EXPECT_FALSE(store.load("incremental", f).has_value());
  EXPECT_EQ(f.code, FERRY_E_TASK_CHECKPOINT_IO);
  EXPECT_NE(f.message.find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace ferry::core
