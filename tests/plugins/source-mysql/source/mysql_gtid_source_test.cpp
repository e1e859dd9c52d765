// The mysql-binlog source's MySQL GTID tracking, without a MySQL server: a relay directory holds
// a MySQL 8 binlog file built from the format's description (PREVIOUS_GTIDS, GTID and
// ANONYMOUS_GTID transactions), and the source reads it as it would after copying it from a
// MySQL upstream (the relay knows the flavor, so the upstream is not needed to start; the
// upstream address is a closed port). Checked: the executed set in positions and checkpoints,
// PREVIOUS_GTIDS as the set before the file, transactions in the start set skipped, anonymous
// transactions adding nothing, and a start set of the wrong flavor refused.
#include "source/mysql_binlog_source.hpp"

#include "binlog_event_builder.hpp"
#include "relay/relay_directory.hpp"

#include <ferry/sdk/testing/harness.hpp>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

using ferry::sdk::testing::Harness;
using ferry::sdk::testing::Map;
namespace eb = ferry::mysql::event_builder;

const std::string kUuid = "3e11fa47-71ca-11e1-9e33-c80aa9429563";  // event_builder::sample_uuid()
constexpr const char* kFile = "binlog.000001";

// A binlog file: each event gets the end offset it has in the file as its log_pos.
class BinlogBuilder {
 public:
  BinlogBuilder() : data_("\xfe" "bin", 4) { data_ += eb::mysql8_format_description(true); }
  void add(EventType type, const std::string& body) {
    const auto end = static_cast<uint32_t>(data_.size() + kEventHeaderSize + body.size() + 4);
    data_ += eb::event(type, body, true, end);
  }
  void gtid(int64_t gno) { add(EventType::MysqlGtid, eb::gtid_body(gno)); }
  void ddl(const std::string& statement) { add(EventType::Query, eb::query_body("", statement)); }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

// The file: the set before it, then transactions 3 (DDL), 4 (BEGIN ... COMMIT), an anonymous one
// and 5.
std::string sample_file() {
  BinlogBuilder b;
  std::string error;
  auto before = MysqlGtidSet::parse(kUuid + ":1-2", error);
  b.add(EventType::PreviousGtids, before->encode());  // PREVIOUS_GTIDS' body is Gtid_set::encode
  b.gtid(3);
  b.ddl("CREATE DATABASE d3");
  b.gtid(4);
  b.add(EventType::Query, eb::query_body("", "BEGIN"));
  b.add(EventType::Xid, eb::xid_body(77));
  b.add(EventType::AnonymousGtid, eb::gtid_body(0));
  b.ddl("CREATE DATABASE anon");
  b.gtid(5);
  b.ddl("CREATE DATABASE d5");
  return b.data();
}

class MysqlGtidSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ferry-mysql-gtid-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::string error;
    auto relay = RelayDirectory::open(dir_, error);
    ASSERT_TRUE(relay) << error;
    ASSERT_FALSE(relay->add_file(kFile));
    const std::string file = sample_file();
    {
      std::ofstream out(relay->file_path(kFile), std::ios::binary | std::ios::app);
      out.write(file.data() + 4, static_cast<std::streamsize>(file.size() - 4));  // add_file wrote the magic
    }
    RelayMeta meta;
    meta.flavor = "mysql";
    meta.upstream = "server_id=1 server_uuid=" + kUuid;
    meta.binlog_name = kFile;
    meta.binlog_pos = file.size();
    ASSERT_FALSE(relay->write_meta(meta));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Map config(std::vector<std::pair<std::string, std::string>> extra) const {
    Map m = {{"host", "127.0.0.1"},
             {"port", "1"},  // nothing listens: the relay serves the file
             {"user", "repl"},
             {"heartbeat-period", "100ms"},
             {"checkpoint-interval", "0ms"},
             {"enable-relay", "true"},
             {"relay-dir", dir_.string()},
             {"binlog-name", kFile},
             {"binlog-pos", "4"}};
    for (auto& kv : extra) m.push_back(std::move(kv));
    return m;
  }

  // Events up to the DDL of transaction 5 (heartbeats left out).
  static std::vector<std::string> read_all(Harness<MysqlBinlogSource>& h, uint32_t* status = nullptr) {
    std::vector<std::string> events;
    for (int i = 0; i < 200; ++i) {
      uint32_t s = FERRY_OK;
      for (auto& e : h.poll_source(1024, &s)) {
        if (e.find("\"kind\":\"heartbeat\"") == std::string::npos) events.push_back(std::move(e));
      }
      if (status) *status = s;
      if (s != FERRY_OK) break;
      bool done = false;
      for (const auto& e : events) done |= e.find("CREATE DATABASE d5") != std::string::npos;
      if (done) break;
    }
    return events;
  }

  static std::string find(const std::vector<std::string>& events, const std::string& needle) {
    for (const auto& e : events) {
      if (e.find(needle) != std::string::npos) return e;
    }
    return "";
  }

  std::filesystem::path dir_;
};

TEST_F(MysqlGtidSourceTest, TracksTheExecutedSetFromPreviousGtidsOn) {
  Harness<MysqlBinlogSource> h(config({}));
  const auto events = read_all(h);
  const std::string d3 = find(events, "CREATE DATABASE d3");
  ASSERT_FALSE(d3.empty());
  // PREVIOUS_GTIDS said 1-2 were executed before the file; the DDL's own GTID is in its set.
  EXPECT_NE(d3.find("\"gtid\":\"" + kUuid + ":1-3\""), std::string::npos) << d3;
  const std::string begin = find(events, "\"kind\":\"begin\"");
  EXPECT_NE(begin.find("\"gtid\":\"" + kUuid + ":4\""), std::string::npos) << begin;  // the transaction's own GTID
  const std::string commit = find(events, "\"kind\":\"commit\"");
  EXPECT_NE(commit.find("\"xid\":77"), std::string::npos) << commit;
  EXPECT_NE(commit.find("\"gtid\":\"" + kUuid + ":1-4\""), std::string::npos) << commit;
  // An anonymous transaction adds nothing to the set.
  const std::string anon = find(events, "CREATE DATABASE anon");
  EXPECT_NE(anon.find("\"gtid\":\"" + kUuid + ":1-4\""), std::string::npos) << anon;
  const std::string d5 = find(events, "CREATE DATABASE d5");
  EXPECT_NE(d5.find("\"gtid\":\"" + kUuid + ":1-5\""), std::string::npos) << d5;
  // Checkpoints carry the set too, with the end of the last complete transaction.
  std::string last_checkpoint;
  for (const auto& e : events) {
    if (e.find("\"kind\":\"checkpoint\"") != std::string::npos) last_checkpoint = e;
  }
  EXPECT_NE(last_checkpoint.find("\"gtid\":\"" + kUuid + ":1-5\""), std::string::npos) << last_checkpoint;
  EXPECT_NE(last_checkpoint.find("\"file\":\"binlog.000001\""), std::string::npos) << last_checkpoint;
}

TEST_F(MysqlGtidSourceTest, SkipsTransactionsTheStartSetHolds) {
  // Started at the file's start with 3 and 4 executed (as after a GTID start found this file):
  // their events are not emitted again, the anonymous transaction and 5 are.
  Harness<MysqlBinlogSource> h(config({{"binlog-gtid", kUuid + ":1-4"}, {"enable-gtid", "true"}}));
  const auto events = read_all(h);
  EXPECT_TRUE(find(events, "CREATE DATABASE d3").empty());
  EXPECT_TRUE(find(events, "\"kind\":\"begin\"").empty());
  EXPECT_TRUE(find(events, "\"kind\":\"commit\"").empty());
  EXPECT_NE(find(events, "CREATE DATABASE anon").find("\"gtid\":\"" + kUuid + ":1-4\""), std::string::npos);
  EXPECT_NE(find(events, "CREATE DATABASE d5").find("\"gtid\":\"" + kUuid + ":1-5\""), std::string::npos);
}

TEST_F(MysqlGtidSourceTest, AStartSetWithAGapKeepsIt) {
  // 3 is not executed, 4 is: 3 comes out and fills the gap, 4 does not.
  Harness<MysqlBinlogSource> h(config({{"binlog-gtid", kUuid + ":1-2:4"}}));
  const auto events = read_all(h);
  EXPECT_NE(find(events, "CREATE DATABASE d3").find("\"gtid\":\"" + kUuid + ":1-4\""), std::string::npos);
  EXPECT_TRUE(find(events, "\"kind\":\"commit\"").empty());
  EXPECT_NE(find(events, "CREATE DATABASE d5").find("\"gtid\":\"" + kUuid + ":1-5\""), std::string::npos);
}

TEST_F(MysqlGtidSourceTest, AMariadbStartSetForAMysqlUpstreamIsRefused) {
  Harness<MysqlBinlogSource> h(config({{"binlog-gtid", "0-1-42"}, {"enable-gtid", "true"}}));
  uint32_t status = FERRY_OK;
  const auto events = read_all(h, &status);
  EXPECT_EQ(status, FERRY_ERROR);
  EXPECT_NE(h.context().error_message.find("the start GTID set 0-1-42 is MariaDB's"), std::string::npos)
      << h.context().error_message;
}

TEST_F(MysqlGtidSourceTest, AMalformedStartSetIsAConfigError) {
  try {
    Harness<MysqlBinlogSource> h(config({{"binlog-gtid", kUuid + ":5-3"}}));
    FAIL() << "created";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("binlog-gtid: not a MySQL GTID set"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("the interval 5-3 ends before it starts"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ferry::mysql
