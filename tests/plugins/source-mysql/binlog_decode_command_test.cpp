// `ferry binlog decode` (the real binary) on a MySQL 8 binlog file written here: a compressed
// transaction prints as its TRANSACTION_PAYLOAD event, then each event inside it at the payload
// event's position; a PARTIAL_UPDATE_ROWS event prints full JSON after values; a row that
// cannot be known is reported with its file and position.
#include "binlog/column_type.hpp"
#include "binlog_event_builder.hpp"
#include "json_binary_builder.hpp"
#include "support/run_command.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

using namespace event_builder;
namespace jb = json_builder;

constexpr uint64_t kTableId = 5;

// A binlog file being written: events get their end positions as they are appended.
class BinlogWriter {
 public:
  // Appends an event with a CRC32; returns its start position.
  uint64_t add(EventType type, const std::string& body) {
    const uint64_t start = bytes_.size();
    bytes_ += event(type, body, true, static_cast<uint32_t>(start + kEventHeaderSize + body.size() + 4));
    return start;
  }
  void add_format_description() { bytes_ += mysql8_format_description(true); }
  std::filesystem::path write(const std::string& name) const {
    const auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    std::ofstream(path, std::ios::binary) << bytes_;
    return path;
  }
  uint64_t size() const { return bytes_.size(); }

 private:
  std::string bytes_ = "\xfe" "bin";
};

std::vector<Column> columns() {
  return {{column_type::kLong, "", "id"}, {column_type::kJson, std::string(1, '\x04'), "doc"}};
}

const jb::Bin kBefore = jb::object({{"n", jb::int16(1)}, {"tags", jb::array({jb::str("a")})}});

// An UPDATE of row 1 whose `doc` is logged as diffs; `before_columns`: the before image's columns.
std::string partial_update(const std::vector<size_t>& before_columns) {
  std::string before = bitmap(before_columns.size(), {}) + int32_value(1);
  if (before_columns.size() == 2) before += json_value(jb::doc(kBefore));
  const std::string diffs = json_diffs({json_diff(0, "$.n", jb::doc(jb::int16(2))),
                                        json_diff(1, "$.tags[1]", jb::doc(jb::str("b")))});
  const std::string after = packed(1) + std::string(1, '\x01') + bitmap(2, {}) + int32_value(1) + diffs;
  return rows_body(kTableId, 2, bitmap(2, before_columns), bitmap(2, {0, 1}), before + after);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) out.push_back(line);
  return out;
}

TEST(BinlogDecodeCommand, PrintsACompressedTransactionsEventsAtThePayloadsPosition) {
  BinlogWriter w;
  w.add_format_description();
  w.add(EventType::MysqlGtid, gtid_body(7));
  const std::string inner = event(EventType::Query, query_body("app", "BEGIN"), false) +
                            event(EventType::TableMap, table_map_body(kTableId, "app", "docs", columns()), false) +
                            event(EventType::PartialUpdateRows, partial_update({0, 1}), false) +
                            event(EventType::Xid, xid_body(99), false);
  const uint64_t start = w.add(EventType::TransactionPayload,
                               transaction_payload_body(kPayloadCompressionZstd, inner.size(), zstd_frame(inner, false)));
  const uint64_t end = w.size();
  const auto path = w.write("ferry-decode-payload");
  const auto r = testing::run_command_split({FERRY_BINARY, "binlog", "decode", path.string()});
  std::filesystem::remove(path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto got = lines(r.out);
  ASSERT_EQ(got.size(), 7u) << r.out;
  const std::string at = ",\"start\":" + std::to_string(start) + ",\"end\":" + std::to_string(end) + ",";
  const std::string gtid = "\"gtid\":\"3e11fa47-71ca-11e1-9e33-c80aa9429563:7\"";
  EXPECT_NE(got[2].find(at + "\"type\":\"TRANSACTION_PAYLOAD\""), std::string::npos) << got[2];
  EXPECT_NE(got[2].find("\"compression\":\"ZSTD\",\"payload_size\":"), std::string::npos) << got[2];
  EXPECT_NE(got[3].find(at + "\"type\":\"QUERY\",\"timestamp\":1700000000," + gtid + ",\"schema\":\"app\",\"statement\":\"BEGIN\""),
            std::string::npos)
      << got[3];
  EXPECT_NE(got[4].find(at + "\"type\":\"TABLE_MAP\""), std::string::npos) << got[4];
  EXPECT_NE(got[5].find(at + "\"type\":\"PARTIAL_UPDATE_ROWS\""), std::string::npos) << got[5];
  EXPECT_NE(got[5].find(R"("rows":[{"before":{"id":1,"doc":"{\"n\": 1, \"tags\": [\"a\"]}"},)"
                        R"("after":{"id":1,"doc":"{\"n\": 2, \"tags\": [\"a\", \"b\"]}"}}])"),
            std::string::npos)
      << got[5];
  EXPECT_NE(got[6].find(at + "\"type\":\"XID\",\"timestamp\":1700000000," + gtid + ",\"xid\":99"), std::string::npos)
      << got[6];
}

TEST(BinlogDecodeCommand, ReportsARowItCannotKnowWithItsPosition) {
  BinlogWriter w;
  w.add_format_description();
  w.add(EventType::TableMap, table_map_body(kTableId, "app", "docs", columns()));
  const uint64_t start = w.add(EventType::PartialUpdateRows, partial_update({0}));  // MINIMAL: no `doc` before
  w.add(EventType::Xid, xid_body(1));
  const auto path = w.write("ferry-decode-partial");
  const auto r = testing::run_command_split({FERRY_BINARY, "binlog", "decode", path.string()});
  std::filesystem::remove(path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path.string() + ":" + std::to_string(start) +
                       ": column 2 (doc) of app.docs: the update logs only the changes to this JSON column"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("\"type\":\"XID\""), std::string::npos) << r.out;  // decoding went on
}

}  // namespace
}  // namespace ferry::mysql
