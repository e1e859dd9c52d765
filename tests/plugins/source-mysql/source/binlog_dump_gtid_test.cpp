// COM_BINLOG_DUMP_GTID's payload (after the command byte 0x1e), compared with bytes written out
// by hand from the layout MySQL's replica sends and com_binlog_dump_gtid() reads
// (sql/rpl_replica.cc, sql/rpl_source.cc): flags (2), server id (4), file name length (4), file
// name, position (8), length of the set (4), the set as Gtid_set::encode writes it.
#include "client/binlog_stream.hpp"

#include "hex_bytes.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ferry::mysql {
namespace {

MysqlGtidSet parse(const std::string& text) {
  std::string error;
  auto set = MysqlGtidSet::parse(text, error);
  EXPECT_TRUE(set) << error;
  return set.value_or(MysqlGtidSet());
}

TEST(BinlogDumpGtid, APureGtidStartAsAMysqlReplicaSendsIt) {
  // Two uuids, given out of MySQL's order, several intervals each.
  const auto set = parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9, 0d9ab1c2-0000-4000-8000-00000000000b:100:200-300");
  const std::string payload = binlog_dump_gtid_payload(0x0004, 0x01020304, "", 4, set);
  const std::string expected = hex_bytes(
      "04 00"                    // flags: BINLOG_THROUGH_GTID
      " 04 03 02 01"             // server id 0x01020304
      " 00 00 00 00"             // no file name
      " 04 00 00 00 00 00 00 00"  // position 4
      " 78 00 00 00"             // the set's 120 bytes:
      " 02 00 00 00 00 00 00 00"
      " 0d 9a b1 c2 00 00 40 00 80 00 00 00 00 00 00 0b  02 00 00 00 00 00 00 00"
      " 64 00 00 00 00 00 00 00  65 00 00 00 00 00 00 00"
      " c8 00 00 00 00 00 00 00  2d 01 00 00 00 00 00 00"
      " 3e 11 fa 47 71 ca 11 e1 9e 33 c8 0a a9 42 95 62  02 00 00 00 00 00 00 00"
      " 01 00 00 00 00 00 00 00  06 00 00 00 00 00 00 00"
      " 07 00 00 00 00 00 00 00  0a 00 00 00 00 00 00 00");
  EXPECT_EQ(payload, expected);
}

TEST(BinlogDumpGtid, AFileNameAndALargePosition) {
  const auto set = parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:42");
  const std::string payload = binlog_dump_gtid_payload(0x0005, 7, "binlog.000007", 0x1122334455ull, set);
  const std::string expected = hex_bytes(
      "05 00 07 00 00 00"
      " 0d 00 00 00 62 69 6e 6c 6f 67 2e 30 30 30 30 30 37"  // 13, "binlog.000007"
      " 55 44 33 22 11 00 00 00"
      " 30 00 00 00"  // 8 + 16 + 8 + 16 = 48 bytes
      " 01 00 00 00 00 00 00 00"
      " 3e 11 fa 47 71 ca 11 e1 9e 33 c8 0a a9 42 95 62  01 00 00 00 00 00 00 00"
      " 2a 00 00 00 00 00 00 00  2b 00 00 00 00 00 00 00");
  EXPECT_EQ(payload, expected);
}

TEST(BinlogDumpGtid, AnEmptySetIsItsCountAlone) {
  EXPECT_EQ(binlog_dump_gtid_payload(4, 1, "", 4, MysqlGtidSet()),
            hex_bytes("04 00 01 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 08 00 00 00 00 00 00 00 00 00 00 00"));
}

}  // namespace
}  // namespace ferry::mysql
