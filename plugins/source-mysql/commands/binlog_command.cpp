#include "commands/binlog_command.hpp"

#include "binlog/binlog_file.hpp"
#include "binlog/event_decoder.hpp"
#include "binlog/event_printer.hpp"

#include <cstdio>
#include <string>

namespace ferry::mysql {
namespace {

constexpr const char* kUsage =
    "usage: ferry binlog decode FILE...\n"
    "  prints each event of the binlog or relay-log files as one JSON object per line;\n"
    "  problems (corrupt or unsupported events) go to stderr with file and position\n";

std::string gtid_of(const DecodedEvent& e) {
  return std::to_string(e.mariadb_gtid.domain) + "-" + std::to_string(e.mariadb_gtid.server_id) + "-" +
         std::to_string(e.mariadb_gtid.sequence);
}

// Decodes one file to stdout. Returns the number of events it could not decode.
int decode_file(const std::string& path) {
  BinlogFile file(path);
  if (!file.ok()) {
    std::fprintf(stderr, "ferry binlog decode: %s\n", file.error().c_str());
    return 1;
  }
  EventDecoder decoder;
  std::string_view raw;
  uint64_t start = 0;
  std::string line, error, gtid;
  int problems = 0;
  while (file.next(raw, start)) {
    DecodedEvent event;
    DecodeError de;
    if (!decoder.decode(raw, event, de)) {
      std::fprintf(stderr, "%s:%llu: %s%s\n", path.c_str(), static_cast<unsigned long long>(start),
                   de.corrupt ? "corrupt event: " : "", de.message.c_str());
      ++problems;
      continue;  // the framing is intact, so the next event can still be read
    }
    const auto type = static_cast<EventType>(event.header.type);
    if (type == EventType::MariadbGtid) {
      gtid = gtid_of(event);
    } else if (type == EventType::MysqlGtid) {
      gtid = event.mysql_gtid.uuid + ":" + std::to_string(event.mysql_gtid.gno);
    }
    if (!print_event(decoder, event, path, start, gtid, line, error)) {
      std::fprintf(stderr, "%s:%llu: %s\n", path.c_str(), static_cast<unsigned long long>(start), error.c_str());
      ++problems;
      continue;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    if (type == EventType::Xid || (type == EventType::Query && event.query.statement == "COMMIT")) gtid.clear();
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

}  // namespace

int BinlogCommand::run(const sdk::Host&, const std::vector<std::string_view>& args) {
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
