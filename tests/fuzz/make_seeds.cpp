// binlog_fuzz_seeds: writes fuzz seeds (format in fuzz_input.hpp) from real binlog files, one per
// event, each led by its file's FORMAT_DESCRIPTION and, for a rows event, the TABLE_MAP it needs,
// so the fuzzer starts from inputs that decode all the way down to row values. Run by
// make_corpus.sh; see README.md.
//
//   binlog_fuzz_seeds OUT_DIR BINLOG...
//
// A binlog repeats itself (a GTID per transaction, a TABLE_MAP per statement), so only the first
// kPerKind events of each shape are kept: the type, and for row events the table, the size of its
// TABLE_MAP (which differs with the optional metadata) and the column bitmaps (the row image);
// for QUERY events the statement's first word. MariaDB never writes MySQL's rows v2, GTID or
// PREVIOUS_GTIDS events; seeds for those are made from the MariaDB ones or built by hand.
#include "fuzz_input.hpp"

#include "binlog/binlog_file.hpp"
#include "binlog/event_decoder.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

namespace {

using namespace ferry::mysql;
using ferry::fuzz::append_event;

constexpr int kPerKind = 2;
constexpr uint8_t kFixBoth = ferry::fuzz::kFixEventSize | ferry::fuzz::kFixChecksum;
constexpr char kUndefinedChecksum = 2;  // files start with a FORMAT_DESCRIPTION that says

class SeedWriter {
 public:
  explicit SeedWriter(std::string dir) : dir_(std::move(dir)) {}

  // Writes FDE + `context` + `event` as seed `name`, unless kPerKind seeds of `kind` exist.
  bool write(const std::string& kind, const std::string& name, const std::string& fde, const std::string& context,
             std::string_view event) {
    if (++per_kind_[kind] > kPerKind) return true;
    std::string seed(1, kUndefinedChecksum);
    if (!fde.empty()) append_event(seed, fde, kFixBoth);
    if (!context.empty()) append_event(seed, context, kFixBoth);
    append_event(seed, event, kFixBoth);
    std::string file_name = name;
    for (char& c : file_name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '@') c = '_';
    }
    std::ofstream out(dir_ + "/" + file_name, std::ios::binary);
    out << seed;
    ++written_;
    return static_cast<bool>(out);
  }
  int written() const { return written_; }

 private:
  std::string dir_;
  std::map<std::string, int> per_kind_;
  int written_ = 0;
};

// A rows v1 event rewritten as the v2 event of the same kind: an empty extra-data block (its own
// 2-byte length) after the 8-byte post-header. Sizes and CRC are fixed when the seed is read.
std::string as_rows_v2(std::string_view v1) {
  std::string v2(v1);
  v2[4] = static_cast<char>(v2[4] + (static_cast<uint8_t>(EventType::WriteRowsV2) -
                                     static_cast<uint8_t>(EventType::WriteRowsV1)));
  v2.insert(kEventHeaderSize + 8, std::string("\x02\x00", 2));
  return v2;
}

// An event of `type` around `body`, with room for a CRC32 (filled in when the seed is read).
std::string synthetic_event(EventType type, const std::string& body) {
  std::string e(kEventHeaderSize, '\0');
  e[4] = static_cast<char>(type);
  e[5] = 1;  // server id 1
  e += body;
  e.append(4, '\0');
  return e;
}

std::string le(uint64_t v, size_t bytes) {
  std::string s;
  for (size_t i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

bool write_mysql_only_events(SeedWriter& w, const std::string& fde) {
  const std::string uuid("\x3e\x11\xfa\x47\x71\xca\x11\xe1\x9e\x33\xc8\x0a\xa9\x42\x95\x63", 16);
  std::string previous = le(2, 8);  // two server UUIDs, with two and one intervals
  previous += uuid + le(2, 8) + le(1, 8) + le(5, 8) + le(7, 8) + le(9, 8);
  previous += std::string(16, '\x7f') + le(1, 8) + le(1, 8) + le(2, 8);
  return w.write("synthetic-gtid", "synthetic-GTID", fde, "",
                 synthetic_event(EventType::MysqlGtid, "\x01" + uuid + le(23, 8))) &&
         w.write("synthetic-anonymous-gtid", "synthetic-ANONYMOUS_GTID", fde, "",
                 synthetic_event(EventType::AnonymousGtid, std::string(17, '\0') + le(0, 8))) &&
         w.write("synthetic-previous", "synthetic-PREVIOUS_GTIDS", fde, "",
                 synthetic_event(EventType::PreviousGtids, previous)) &&
         w.write("synthetic-rows-query", "synthetic-ROWS_QUERY", fde, "",
                 synthetic_event(EventType::RowsQuery, "\x1aINSERT INTO t VALUES (1, 2)")) &&
         w.write("synthetic-incident", "synthetic-INCIDENT", fde, "",
                 synthetic_event(EventType::Incident, le(1, 2) + "\x0blost events"));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR BINLOG...\n", argv[0]);
    return 2;
  }
  SeedWriter writer(argv[1]);
  std::string first_fde;
  for (int i = 2; i < argc; ++i) {
    BinlogFile file(argv[i]);
    if (!file.ok()) {
      std::fprintf(stderr, "%s\n", file.error().c_str());
      return 1;
    }
    const std::string base = file.path().substr(file.path().find_last_of('/') + 1);
    EventDecoder decoder;
    std::string fde;
    std::map<uint64_t, std::string> table_maps;  // raw TABLE_MAP by table id
    std::string_view raw;
    uint64_t start = 0;
    while (file.next(raw, start)) {
      DecodedEvent e;
      DecodeError error;
      const bool decoded = decoder.decode(raw, e, error);
      const std::string type = event_type_name(static_cast<uint8_t>(raw[4]));
      char offset[16];
      std::snprintf(offset, sizeof offset, "%08llu", static_cast<unsigned long long>(start));
      const std::string name = base + "@" + offset + "-" + type;
      bool ok = true;
      if (decoded && e.format != nullptr) {
        fde = std::string(raw);
        if (first_fde.empty()) first_fde = fde;
        ok = writer.write(type, name, "", "", raw);
      } else if (decoded && e.header.type == static_cast<uint8_t>(EventType::TableMap)) {
        table_maps[e.table_map->table_id] = std::string(raw);
        const std::string shape = type + e.table_map->table + std::to_string(raw.size());
        ok = writer.write(shape, name + "-" + e.table_map->table, fde, "", raw);
      } else if (decoded && e.rows.kind != RowsKind::None) {
        const std::string& table = e.table_map->table;
        const std::string& map = table_maps[e.rows.table_id];
        const std::string shape = type + table + std::to_string(map.size()) + std::string(e.rows.columns_before) +
                                  std::string(e.rows.columns_after);
        ok = writer.write(shape, name + "-" + table, fde, map, raw);
        const RowsEventInfo info = rows_event_info(e.header.type);
        if (!info.v2) ok = ok && writer.write("v2" + shape, name + "-" + table + "-as-v2", fde, map, as_rows_v2(raw));
      } else if (decoded && e.header.type == static_cast<uint8_t>(EventType::Query)) {
        // BEGIN, DDL, XA and statement-logged DML carry different status variables.
        const std::string verb(e.query.statement.substr(0, e.query.statement.find(' ')));
        ok = writer.write(type + verb, name + "-" + verb, fde, "", raw);
      } else {
        // Other events, and those the decoder refuses (compressed ones): seeds all the same.
        ok = writer.write(type, name, fde, "", raw);
      }
      if (!ok) {
        std::fprintf(stderr, "cannot write seed %s in %s\n", name.c_str(), argv[1]);
        return 1;
      }
    }
    if (!file.ok()) std::fprintf(stderr, "%s\n", file.error().c_str());
  }
  if (!first_fde.empty() && !write_mysql_only_events(writer, first_fde)) {
    std::fprintf(stderr, "cannot write seeds in %s\n", argv[1]);
    return 1;
  }
  std::printf("wrote %d seeds to %s\n", writer.written(), argv[1]);
  return 0;
}
