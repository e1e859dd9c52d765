// The relay log's files without a server: the lock that keeps a directory to one process, the
// crash recovery that cuts a partial event, the index and meta kept across opens, and which
// files the purge policy lets go.
#include "relay/relay_directory.hpp"
#include "relay/relay_purge.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace ferry::mysql {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using Clock = std::chrono::system_clock;

class RelayDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("ferry-relay-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  // An event of `size` bytes (header with that size; the rest zeros).
  static std::string event(uint32_t size) {
    std::string e(size, '\0');
    for (int i = 0; i < 4; ++i) e[9 + i] = static_cast<char>((size >> (8 * i)) & 0xff);
    return e;
  }
  void append(const std::string& name, const std::string& bytes) {
    std::ofstream out(dir / name, std::ios::binary | std::ios::app);
    out << bytes;
  }

  fs::path dir;
};

TEST_F(RelayDirectoryTest, OneProcessAtATime) {
  std::string error;
  auto first = RelayDirectory::open(dir, error);
  ASSERT_TRUE(first) << error;
  auto second = RelayDirectory::open(dir, error);
  EXPECT_FALSE(second);
  EXPECT_NE(error.find("is in use by another ferry (pid " + std::to_string(::getpid()) + ")"), std::string::npos) << error;
  first.reset();
  EXPECT_TRUE(RelayDirectory::open(dir, error)) << "the lock goes with the holder: " << error;
}

TEST_F(RelayDirectoryTest, KeepsItsIndexAndMetaAndCutsAPartialEvent) {
  std::string error;
  {
    auto d = RelayDirectory::open(dir, error);
    ASSERT_TRUE(d) << error;
    ASSERT_FALSE(d->add_file("binlog.000007"));
    ASSERT_FALSE(d->add_file("binlog.000008"));
    ASSERT_FALSE(d->write_meta(RelayMeta{"mariadb", "server_id=1", "binlog.000008", 77, "0-1-9"}));
  }
  append("binlog.000008", event(40) + event(33) + event(50).substr(0, 21));  // the last one cut short
  auto d = RelayDirectory::open(dir, error);
  ASSERT_TRUE(d) << error;
  EXPECT_EQ(d->files(), (std::vector<std::string>{"binlog.000007", "binlog.000008"}));
  EXPECT_EQ(d->meta().upstream, "server_id=1");
  EXPECT_EQ(d->meta().binlog_pos, 77u);
  EXPECT_EQ(d->meta().last_gtid, "0-1-9");
  uint64_t end = 0, cut = 0;
  ASSERT_FALSE(d->recover(end, cut));
  EXPECT_EQ(end, 4u + 40 + 33);
  EXPECT_EQ(cut, 21u);
  EXPECT_EQ(fs::file_size(dir / "binlog.000008"), end);
  ASSERT_FALSE(d->recover(end, cut));
  EXPECT_EQ(cut, 0u) << "a whole file is left alone";
}

TEST_F(RelayDirectoryTest, RemovesOnlyTheOldestAndRefusesNamesThatAreNotFiles) {
  std::string error;
  auto d = RelayDirectory::open(dir, error);
  ASSERT_TRUE(d) << error;
  ASSERT_FALSE(d->add_file("binlog.000001"));
  ASSERT_FALSE(d->add_file("binlog.000002"));
  EXPECT_TRUE(d->remove_oldest("binlog.000002"));
  EXPECT_FALSE(d->remove_oldest("binlog.000001"));
  EXPECT_FALSE(fs::exists(dir / "binlog.000001"));
  EXPECT_TRUE(d->add_file("../escape"));
  EXPECT_TRUE(d->add_file("relay.index"));
  EXPECT_EQ(d->files(), std::vector<std::string>{"binlog.000002"});
}

TEST_F(RelayDirectoryTest, AnIndexNamingAMissingFileIsReportedNotIgnored) {
  fs::create_directories(dir);
  append("relay.index", "binlog.000001\n");
  std::string error;
  EXPECT_FALSE(RelayDirectory::open(dir, error));
  EXPECT_NE(error.find("lists binlog.000001, which is missing"), std::string::npos) << error;
}

std::vector<RelayFileInfo> files_aged(std::initializer_list<int> hours_old, uint64_t size, Clock::time_point now) {
  std::vector<RelayFileInfo> out;
  int n = 1;
  for (int h : hours_old) out.push_back({"binlog.00000" + std::to_string(n++), size, now - hours(h)});
  return out;
}

TEST(RelayPurgePolicy, ByAgeSizeAndFreeSpaceButNeverPastTheTaskOrTheActiveFile) {
  const auto now = Clock::now();
  const auto files = files_aged({50, 40, 30, 20, 10}, 100, now);
  RelayPurgePolicy off;
  EXPECT_EQ(relay_files_to_purge(files, 5, off, now, 0), 0u) << "nothing set: nothing purged";

  RelayPurgePolicy age;
  age.expires = hours(25);
  EXPECT_EQ(relay_files_to_purge(files, 5, age, now, 0), 3u);
  EXPECT_EQ(relay_files_to_purge(files, 1, age, now, 0), 1u) << "the task still reads the second file";
  EXPECT_EQ(relay_files_to_purge(files, 0, age, now, 0), 0u);

  RelayPurgePolicy size;
  size.max_total_bytes = 250;
  EXPECT_EQ(relay_files_to_purge(files, 5, size, now, 0), 3u) << "500 bytes down to 200";

  RelayPurgePolicy space;
  space.min_free_bytes = 1000;
  EXPECT_EQ(relay_files_to_purge(files, 5, space, now, 850), 2u) << "850 free + 2 x 100 >= 1000";
  EXPECT_EQ(relay_files_to_purge(files, 9, space, now, 0), 4u) << "never the file being written";

  const auto young_first = files_aged({1, 40, 30}, 100, now);
  EXPECT_EQ(relay_files_to_purge(young_first, 3, age, now, 0), 0u) << "only a prefix: the relay stays one run of files";
}

}  // namespace
}  // namespace ferry::mysql
