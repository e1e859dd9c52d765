#include "source/start_time.hpp"

#include "binlog/event_decoder.hpp"
#include "client/binlog_stream.hpp"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

namespace ferry::mysql {

std::optional<int64_t> parse_start_time(const std::string& text) {
  std::tm tm{};
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec, &tail) != 6) {
    return std::nullopt;
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

namespace {

// The time the file was opened: the header time of its FORMAT_DESCRIPTION, read by streaming
// the file from its start without waiting.
std::optional<int64_t> file_start_time(const ConnectionOptions& options, uint32_t server_id, const std::string& file,
                                       std::string& error) {
  UpstreamConnection conn;
  if (auto e = conn.connect(options)) {
    error = e->message;
    return std::nullopt;
  }
  BinlogStream stream(conn);
  bool crc = false;
  StreamOptions so;
  so.server_id = server_id;
  so.non_blocking = true;
  StreamStart start;
  start.binlog_file = file;
  if (auto e = stream.start(start, so, crc)) {
    error = e->message;
    return std::nullopt;
  }
  for (int i = 0; i < 8; ++i) {  // a fake ROTATE comes first, then the FORMAT_DESCRIPTION
    std::string_view raw;
    if (auto e = stream.next(raw)) {
      error = e->message;
      return std::nullopt;
    }
    if (raw.size() >= kEventHeaderSize && static_cast<uint8_t>(raw[4]) == static_cast<uint8_t>(EventType::FormatDescription)) {
      uint32_t ts = 0;
      std::memcpy(&ts, raw.data(), 4);
      return ts;
    }
  }
  error = "no FORMAT_DESCRIPTION at the start of " + file;
  return std::nullopt;
}

}  // namespace

StartFile find_start_file(const ConnectionOptions& options, uint32_t server_id, int64_t start_time) {
  StartFile out;
  UpstreamConnection conn;
  if (auto e = conn.connect(options)) return {"", e->message, true};
  std::vector<std::vector<std::optional<std::string>>> rows;
  if (auto e = conn.query("SHOW BINARY LOGS", rows)) return {"", e->message, true};
  if (rows.empty()) return {"", "the upstream has no binary logs", false};
  // Newest first: the first file opened at or before the start time is the one.
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    const std::string file = (*it)[0].value_or("");
    std::string error;
    auto opened = file_start_time(options, server_id, file, error);
    if (!opened) return {"", "reading " + file + ": " + error, true};
    if (*opened <= start_time) return {file, "", false};
  }
  return {rows.front()[0].value_or(""), "", false};  // everything is newer: start at the oldest
}

}  // namespace ferry::mysql
