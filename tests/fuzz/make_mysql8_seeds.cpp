// binlog_mysql8_fuzz_seeds: writes the decoder fuzz target's seeds (format in fuzz_input.hpp) for
// events only MySQL 8 writes and MariaDB's binlog cannot give: compressed transactions
// (TRANSACTION_PAYLOAD, zstd and uncompressed) and PARTIAL_UPDATE_ROWS. They are built from the
// format's description with the unit tests' builders (tests/plugins/source-mysql/
// binlog_event_builder.hpp): no MySQL server is packaged here. make_corpus.sh runs it after
// binlog_fuzz_seeds, so a regenerated corpus keeps them.
//
//   binlog_mysql8_fuzz_seeds OUT_DIR
#include "fuzz_input.hpp"

#include "binlog_event_builder.hpp"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace ferry::mysql;
using namespace ferry::mysql::event_builder;
using ferry::fuzz::append_event;

constexpr uint8_t kFixBoth = ferry::fuzz::kFixEventSize | ferry::fuzz::kFixChecksum;
constexpr char kUndefinedChecksum = 2;  // the FORMAT_DESCRIPTION says CRC32
constexpr uint64_t kTableId = 9;

bool write(const std::string& dir, const std::string& name, const std::vector<std::string>& events) {
  std::string seed(1, kUndefinedChecksum);
  for (const std::string& e : events) append_event(seed, e, kFixBoth);
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out << seed;
  return static_cast<bool>(out);
}

// An event from a payload (no checksum) as it would be outside one: room for the CRC32 the
// fix-ups write.
std::string outside(const std::string& inner) { return inner + std::string(4, '\0'); }

// Writes the seeds into `dir`.
bool write_seeds(const std::string& dir) {
  const std::vector<std::string> transaction = sample_transaction(kTableId);
  std::string all;
  for (const std::string& e : transaction) all += e;
  const std::string fde = mysql8_format_description(true);
  const std::string gtid = event(EventType::MysqlGtid, gtid_body(11), true);
  return write(dir, "mysql8-TRANSACTION_PAYLOAD-zstd",
               {fde, gtid,
                event(EventType::TransactionPayload,
                      transaction_payload_body(kPayloadCompressionZstd, all.size(), zstd_frame(all, false)), true)}) &&
         write(dir, "mysql8-TRANSACTION_PAYLOAD-none",
               {fde, gtid,
                event(EventType::TransactionPayload, transaction_payload_body(kPayloadCompressionNone, all.size(), all),
                      true)}) &&
         write(dir, "mysql8-PARTIAL_UPDATE_ROWS", {fde, outside(transaction[1]), outside(transaction[3])});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR   (writes the mysql8-* seeds there)\n", argv[0]);
    return 2;
  }
  if (!write_seeds(argv[1])) {
    std::fprintf(stderr, "cannot write seeds in %s\n", argv[1]);
    return 1;
  }
  std::printf("wrote 3 MySQL 8 seeds to %s\n", argv[1]);
  return 0;
}
