// The mysql-dump source through the SDK harness against a real MariaDB: a chunk that spans many
// polls keeps the snapshot position right in every event. The harness recycles one batch for
// every poll, as the host does, and overwrites what the previous poll wrote: a source that
// reused a position copied into an earlier poll's batch (it did, when the batch came back at the
// same address) now shows poison in the position instead of the binlog file name. In a real run
// the loader checkpoint's commit then failed on a binlog_name of stray row bytes.
#include "source/mysql_dump_source.hpp"

#include "support/mariadb_server.hpp"

#include <ferry/sdk/testing/harness.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ferry::dump {
namespace {

using ferry::sdk::testing::Harness;
using ferry::sdk::testing::List;
using ferry::sdk::testing::Map;

TEST(DumpSourceBatches, EveryEventOfAChunkSpanningManyPollsCarriesTheSnapshotPosition) {
  ferry::testing::MariadbServer server("dump-batches");
  auto c = server.connect();
  c.execute("CREATE DATABASE d");
  c.execute("CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(200))");
  c.execute("INSERT INTO d.t SELECT seq, REPEAT(CHAR(65 + seq % 26), 150) FROM d.seq_1_to_600");
  const std::string file = c.query_value("SELECT SUBSTRING_INDEX(@@log_bin_basename, '/', -1)").value_or("?");

  Harness<MysqlDumpSource> h(Map{{"host", "127.0.0.1"},
                                 {"port", std::to_string(server.port())},
                                 {"user", server.user()},
                                 {"password", server.password()},
                                 {"databases", List{"d"}},
                                 {"threads", "1"},
                                 {"rows", "0"}});
  size_t rows = 0, commits = 0, positioned = 0;
  bool ended = false;
  for (int polls = 0; polls < 2000 && !ended; ++polls) {
    uint32_t status = FERRY_OK;
    for (const std::string& line : h.poll_source(16, &status)) {  // 16 events: a chunk spans ~40 polls
      const nlohmann::json e = nlohmann::json::parse(line, nullptr, false);  // poison is not UTF-8
      ASSERT_FALSE(e.is_discarded()) << "poll " << polls << ": an event that is not valid JSON text: " << line.substr(0, 300);
      const std::string kind = e.value("kind", "");
      rows += kind == "row";
      commits += kind == "commit";
      if (!e.contains("pos") || !e["pos"].contains("file")) continue;
      const std::string at = e["pos"]["file"].get<std::string>();
      ASSERT_EQ(at.rfind(file + ".", 0), 0u) << "poll " << polls << ", " << kind << " event: " << line.substr(0, 300);
      ++positioned;
    }
    ASSERT_TRUE(status == FERRY_OK || status == FERRY_END) << h.context().error_message;
    ended = status == FERRY_END;
  }
  EXPECT_TRUE(ended);
  EXPECT_EQ(rows, 600u);
  EXPECT_EQ(commits, 1u);
  EXPECT_GT(positioned, 600u);
}

}  // namespace
}  // namespace ferry::dump
