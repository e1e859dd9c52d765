#include "commands/binlog_command.hpp"

#include "binlog/binlog_file.hpp"
#include "binlog/event_decoder.hpp"
#include "binlog/event_printer.hpp"
#include "client/binlog_stream.hpp"
#include "client/upstream_connection.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace ferry::mysql {
namespace {

constexpr const char* kUsage =
    "usage: ferry binlog decode FILE...   each event as one JSON object per line\n"
    "       ferry binlog stats FILE...    decode every row; print row changes per table as JSON\n"
    "       ferry binlog tail (--source SOURCE.yaml | --host H --port P --user U)\n"
    "                         [--start FILE:POS | --start-gtid D-S-N,... | --start-gtid UUID:N-M,...] [--count N] [--to-end]\n"
    "                                         stream a live binlog as JSON lines; SOURCE.yaml is a\n"
    "                                         DM source file (its `from:` host, port, user, password);\n"
    "                                         FERRY_UPSTREAM_PASSWORD overrides the password; without\n"
    "                                         --start, from the upstream's current position\n"
    "  problems (corrupt or unsupported events) go to stderr with file and position\n";

struct TableCounts {
  uint64_t inserts = 0, updates = 0, deletes = 0;
};

std::string gtid_of(const DecodedEvent& e) {
  return std::to_string(e.mariadb_gtid.domain) + "-" + std::to_string(e.mariadb_gtid.server_id) + "-" +
         std::to_string(e.mariadb_gtid.sequence);
}

// What decode_each decodes into, kept across calls: building and destroying a DecodedEvent for
// each event was a tenth of `binlog stats`.
struct DecodeScratch {
  DecodedEvent event, inner_event;
  std::vector<std::string> inner;
  DecodeError error;
};

// Decodes the event `raw` and hands it to `use(event, inside_payload)`; a TRANSACTION_PAYLOAD
// (MySQL's compressed transaction) is handed over, then each event inside it, decoded in turn.
// Returns false with `scratch.error` at the first event that does not decode (those before it
// were handed over).
template <typename Use>
bool decode_each(EventDecoder& decoder, std::string_view raw, DecodeScratch& scratch, Use use) {
  DecodedEvent& event = scratch.event;
  if (!decoder.decode(raw, event, scratch.error)) return false;
  use(event, false);
  if (event.header.type != static_cast<uint8_t>(EventType::TransactionPayload)) return true;
  if (!decoder.unpack(event, scratch.inner, scratch.error)) return false;
  for (const std::string& bytes : scratch.inner) {
    if (!decoder.decode_inner(bytes, scratch.inner_event, scratch.error)) return false;
    use(scratch.inner_event, true);
  }
  return true;
}

// Decodes one file to stdout. Returns the number of events it could not decode.
int decode_file(const std::string& path) {
  BinlogFile file(path);
  if (!file.ok()) {
    std::fprintf(stderr, "ferry binlog decode: %s\n", file.error().c_str());
    return 1;
  }
  EventDecoder decoder;
  decoder.accept_transaction_payloads();
  std::string_view raw;
  uint64_t start = 0;
  std::string line, error, gtid;
  DecodeScratch scratch;
  int problems = 0;
  // Events inside a TRANSACTION_PAYLOAD are printed with the payload event's position.
  auto print = [&](DecodedEvent& event, bool) {
    const auto type = static_cast<EventType>(event.header.type);
    if (type == EventType::MariadbGtid) {
      gtid = gtid_of(event);
    } else if (type == EventType::MysqlGtid) {
      gtid = event.mysql_gtid.uuid + ":" + std::to_string(event.mysql_gtid.gno);
    }
    if (!print_event(decoder, event, path, start, start + raw.size(), gtid, line, error)) {
      std::fprintf(stderr, "%s:%llu: %s\n", path.c_str(), static_cast<unsigned long long>(start), error.c_str());
      ++problems;
      return;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    if (type == EventType::Xid || ((type == EventType::Query || type == EventType::QueryCompressed) && event.query.statement == "COMMIT")) gtid.clear();
  };
  while (file.next(raw, start)) {
    if (!decode_each(decoder, raw, scratch, print)) {
      const DecodeError& de = scratch.error;
      std::fprintf(stderr, "%s:%llu: %s%s\n", path.c_str(), static_cast<unsigned long long>(start),
                   de.corrupt ? "corrupt event: " : "", de.message.c_str());
      ++problems;
      continue;  // the framing is intact, so the next event can still be read
    }
  }
  if (!file.error().empty() && file.ok() == false) {
    std::fprintf(stderr, "ferry binlog decode: %s\n", file.error().c_str());
    ++problems;
  }
  if (file.truncated()) {
    std::fprintf(stderr, "%s: ends with a partial event (a file still being written, or cut short)\n", path.c_str());
  }
  return problems;
}

// Decodes every row of one file without printing rows; adds to `counts`. Returns problems met.
int stats_file(const std::string& path, std::map<std::string, TableCounts>& counts) {
  BinlogFile file(path);
  if (!file.ok()) {
    std::fprintf(stderr, "ferry binlog stats: %s\n", file.error().c_str());
    return 1;
  }
  EventDecoder decoder;
  decoder.accept_transaction_payloads();
  ScratchArena arena;
  std::vector<ferry_value> before, after;
  std::vector<uint8_t> before_present, after_present;
  DecodeScratch scratch;
  std::string_view raw;
  uint64_t start = 0;
  std::string error;
  int problems = 0;
  // The counts of a table map's table. A repeated TABLE_MAP keeps its parsed map, so the map's
  // address finds the entry without building "schema.table" for every event; the names are
  // compared too, since a map dropped at a DDL may leave its address to another table's.
  struct CachedCounts {
    std::string schema, table;
    TableCounts* counts;
  };
  std::unordered_map<const TableMap*, CachedCounts> by_map;
  auto counts_of = [&](const TableMap& map) -> TableCounts& {
    auto it = by_map.find(&map);
    if (it != by_map.end() && it->second.schema == map.schema && it->second.table == map.table) return *it->second.counts;
    TableCounts* c = &counts[map.schema + "." + map.table];
    by_map.insert_or_assign(&map, CachedCounts{map.schema, map.table, c});
    return *c;
  };
  auto count = [&](DecodedEvent& event, bool) {
    const RowsEventInfo info = rows_event_info(event.header.type);
    if (info.kind == RowsKind::None) return;
    const size_t n = event.table_map->columns.size();
    before.resize(n);
    after.resize(n);
    before_present.resize((n + 7) / 8);
    after_present.resize((n + 7) / 8);
    TableCounts& c = counts_of(*event.table_map);
    arena.reset();
    while (decoder.next_row(event, arena, before.data(), before_present.data(), after.data(), after_present.data(), error)) {
      (info.kind == RowsKind::Write ? c.inserts : info.kind == RowsKind::Update ? c.updates : c.deletes)++;
    }
    if (!error.empty()) {
      std::fprintf(stderr, "%s:%llu: %s\n", path.c_str(), static_cast<unsigned long long>(start), error.c_str());
      ++problems;
    }
  };
  while (file.next(raw, start)) {
    if (!decode_each(decoder, raw, scratch, count)) {
      const DecodeError& de = scratch.error;
      std::fprintf(stderr, "%s:%llu: %s\n", path.c_str(), static_cast<unsigned long long>(start), de.message.c_str());
      ++problems;
    }
  }
  return problems;
}

// The connection of a DM source file (`from: {host, port, user, password}`): what a DBA who
// runs DM already has for each upstream.
void read_source_file(const std::string& path, ConnectionOptions& options) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument("cannot read source file " + path + ": " + e.what());
  }
  const YAML::Node from = root["from"];
  if (!from || !from.IsMap()) throw std::invalid_argument("source file " + path + " has no `from:` map (DM's source.yaml)");
  try {
    if (from["host"]) options.host = from["host"].as<std::string>();
    if (from["port"]) options.port = from["port"].as<uint16_t>();
    if (from["user"]) options.user = from["user"].as<std::string>();
    if (from["password"]) options.password = from["password"].as<std::string>();
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument("source file " + path + ", `from:` at line " + std::to_string(e.mark.line + 1) + ": " +
                                e.msg);
  }
}

// `ferry binlog tail`: what the mysql-binlog source reads, live, in the JSON of `decode`.
int tail(const std::vector<std::string_view>& args) {
  ConnectionOptions options;
  StreamStart start;
  bool have_start = false;
  uint64_t count = 0;  // 0: until interrupted
  bool to_end = false;  // stop at the end of the binlog instead of waiting for more
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw std::invalid_argument(std::string(a) + " needs a value");
      return std::string(args[++i]);
    };
    if (a == "--source") read_source_file(value(), options);
    else if (a == "--host") options.host = value();
    else if (a == "--port") options.port = static_cast<uint16_t>(std::stoi(value()));
    else if (a == "--user") options.user = value();
    else if (a == "--count") count = std::stoull(value());
    else if (a == "--to-end") to_end = true;
    else if (a == "--start-gtid") {
      // Either flavor, told apart by its syntax: only MySQL's has a ':' (uuid:N).
      const std::string v = value();
      if (v.find(':') != std::string::npos) {
        std::string error;
        auto set = MysqlGtidSet::parse(v, error);
        if (!set) throw std::invalid_argument("--start-gtid: " + error);
        start.mysql_gtid = std::move(*set);
      } else {
        start.mariadb_gtid = v;
      }
      have_start = true;
    } else if (a == "--start") {
      const std::string v = value();
      const auto colon = v.rfind(':');
      if (colon == std::string::npos) throw std::invalid_argument("--start takes FILE:POS");
      start.binlog_file = v.substr(0, colon);
      start.binlog_pos = std::stoull(v.substr(colon + 1));
      have_start = true;
    } else {
      throw std::invalid_argument("unknown option " + std::string(a));
    }
  }
  if (const char* pw = std::getenv("FERRY_UPSTREAM_PASSWORD")) options.password = pw;
  options.read_timeout_s = 3;
  UpstreamConnection conn;
  if (auto e = conn.connect(options)) {
    std::fprintf(stderr, "ferry binlog tail: %s\n", e->message.c_str());
    return 1;
  }
  if (!have_start) {
    std::vector<std::vector<std::optional<std::string>>> rows;
    if (auto e = conn.query("SHOW MASTER STATUS", rows); e || rows.empty() || !rows[0][0]) {
      std::fprintf(stderr, "ferry binlog tail: the upstream reports no binlog position\n");
      return 1;
    }
    start.binlog_file = *rows[0][0];
    start.binlog_pos = std::stoull(rows[0][1].value_or("4"));
  }
  BinlogStream stream(conn);
  bool crc = false;
  StreamOptions so;
  so.server_id = 4000000000u - static_cast<uint32_t>(::getpid() % 1000000);  // a replica id nobody else uses
  so.non_blocking = to_end;
  if (auto e = stream.start(start, so, crc)) {
    std::fprintf(stderr, "ferry binlog tail: %s\n", e->message.c_str());
    return 1;
  }
  EventDecoder decoder(crc ? ChecksumAlg::Crc32 : ChecksumAlg::Off);
  decoder.accept_transaction_payloads();
  std::string file = start.binlog_file, gtid, line, error;
  DecodeScratch scratch;
  uint64_t printed = 0;
  uint64_t begin = 0, end = 0;  // of the event read; events inside a TRANSACTION_PAYLOAD share them
  bool failed = false;
  auto print = [&](DecodedEvent& event, bool inside_payload) {
    if (!inside_payload) {
      end = event.header.log_pos;
      begin = end >= event.raw.size() ? end - event.raw.size() : 0;
    }
    const auto type = static_cast<EventType>(event.header.type);
    if (type == EventType::Rotate) file = std::string(event.rotate.file);
    if (type == EventType::Heartbeat || failed) return;  // keep-alives, not binlog content
    if (type == EventType::MariadbGtid) gtid = gtid_of(event);
    if (!print_event(decoder, event, file, begin, end, gtid, line, error)) {
      std::fprintf(stderr, "%s:%llu: %s\n", file.c_str(), static_cast<unsigned long long>(begin), error.c_str());
      failed = true;
      return;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
    ++printed;
    if (type == EventType::Xid) gtid.clear();
  };
  while (count == 0 || printed < count) {
    std::string_view raw;
    if (auto e = stream.next(raw)) {
      if (to_end && e->code == 0 && e->message == "end of stream") return 0;
      std::fprintf(stderr, "ferry binlog tail: %s\n", e->message.c_str());
      return 1;
    }
    if (!decode_each(decoder, raw, scratch, print)) {
      const DecodeError& de = scratch.error;
      std::fprintf(stderr, "%s: %s\n", file.c_str(), de.message.c_str());
      return 1;
    }
    if (failed) return 1;
  }
  return 0;
}

}  // namespace

int BinlogCommand::run(const sdk::Host&, const std::vector<std::string_view>& args) {
  if (!args.empty() && args[0] == "stats" && args.size() >= 2) {
    std::map<std::string, TableCounts> counts;
    int problems = 0;
    for (size_t i = 1; i < args.size(); ++i) problems += stats_file(std::string(args[i]), counts);
    TableCounts total;
    for (const auto& [table, c] : counts) {
      std::printf("{\"table\":\"%s\",\"inserts\":%llu,\"updates\":%llu,\"deletes\":%llu}\n", table.c_str(),
                  static_cast<unsigned long long>(c.inserts), static_cast<unsigned long long>(c.updates),
                  static_cast<unsigned long long>(c.deletes));
      total.inserts += c.inserts;
      total.updates += c.updates;
      total.deletes += c.deletes;
    }
    std::printf("{\"total\":{\"inserts\":%llu,\"updates\":%llu,\"deletes\":%llu}}\n",
                static_cast<unsigned long long>(total.inserts), static_cast<unsigned long long>(total.updates),
                static_cast<unsigned long long>(total.deletes));
    return problems == 0 ? 0 : 1;
  }
  if (!args.empty() && args[0] == "tail") {
    try {
      return tail(args);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ferry binlog tail: %s\n%s", e.what(), kUsage);
      return 2;
    }
  }
  if (args.empty() || args[0] != "decode" || args.size() < 2) {
    std::fputs(kUsage, args.empty() || args[0] == "--help" || args[0] == "-h" ? stdout : stderr);
    return args.empty() || args[0] == "--help" || args[0] == "-h" ? 0 : 2;
  }
  int problems = 0;
  for (size_t i = 1; i < args.size(); ++i) problems += decode_file(std::string(args[i]));
  std::fflush(stdout);
  return problems == 0 ? 0 : 1;
}

}  // namespace ferry::mysql
