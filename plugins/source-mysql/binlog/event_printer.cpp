#include "binlog/event_printer.hpp"

#include <ferry/sdk/event_json.hpp>

#include <vector>

namespace ferry::mysql {
namespace {

namespace json = ferry::sdk::json;

ScratchArena& scratch_arena() {
  thread_local ScratchArena arena;  // one per printing thread, reused for every event
  return arena;
}


void key(std::string& out, const char* k) {
  out += ",\"";
  out += k;
  out += "\":";
}

void image(std::string& out, const TableMap& t, const std::vector<ferry_value>& values, const std::vector<uint8_t>& present) {
  out += '{';
  bool first = true;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (!((present[i / 8] >> (i % 8)) & 1)) continue;
    if (!first) out += ',';
    first = false;
    json::append_escaped(out, t.columns[i].name.empty() ? "@" + std::to_string(i + 1) : t.columns[i].name);
    out += ':';
    ferry_column col{};
    col.charset = t.columns[i].charset.value_or(0);
    json::append_value(out, values[i], &col);
  }
  out += '}';
}

}  // namespace

bool print_event(EventDecoder& decoder, DecodedEvent& e, const std::string& file, uint64_t start, const std::string& gtid,
                 std::string& out, std::string& error) {
  return print_event(decoder, e, file, start, start + e.header.event_size, gtid, out, error);
}

bool print_event(EventDecoder& decoder, DecodedEvent& e, const std::string& file, uint64_t start, uint64_t end,
                 const std::string& gtid, std::string& out, std::string& error) {
  out.clear();
  out += "{\"file\":";
  json::append_escaped(out, file);
  key(out, "start");
  json::append_number(out, start);
  key(out, "end");
  json::append_number(out, end);
  key(out, "type");
  json::append_escaped(out, event_type_name(e.header.type));
  key(out, "timestamp");
  json::append_number(out, e.header.timestamp);
  if (!gtid.empty()) {
    key(out, "gtid");
    json::append_escaped(out, gtid);
  }
  const auto type = static_cast<EventType>(e.header.type);
  const RowsEventInfo rows = rows_event_info(e.header.type);
  if (rows.kind != RowsKind::None) {
    const TableMap& t = *e.table_map;
    key(out, "schema");
    json::append_escaped(out, t.schema);
    key(out, "table");
    json::append_escaped(out, t.table);
    if (t.has_names) {
      key(out, "columns");
      out += '[';
      for (size_t i = 0; i < t.columns.size(); ++i) {
        if (i) out += ',';
        json::append_escaped(out, t.columns[i].name);
      }
      out += ']';
    }
    key(out, "rows");
    out += '[';
    ScratchArena& arena = scratch_arena();
    arena.reset();
    const size_t n = t.columns.size();
    thread_local std::vector<ferry_value> before, after;  // reused: no allocation per event
    thread_local std::vector<uint8_t> before_present, after_present;
    before.resize(n);
    after.resize(n);
    before_present.resize((n + 7) / 8);
    after_present.resize((n + 7) / 8);
    bool first = true;
    while (decoder.next_row(e, arena, before.data(), before_present.data(), after.data(), after_present.data(), error)) {
      out += first ? "{" : ",{";
      first = false;
      if (rows.kind != RowsKind::Write) {
        out += "\"before\":";
        image(out, t, before, before_present);
      }
      if (rows.kind != RowsKind::Delete) {
        if (rows.kind == RowsKind::Update) out += ',';
        out += "\"after\":";
        image(out, t, after, after_present);
      }
      out += '}';
    }
    if (!error.empty()) return false;
    out += ']';
  } else {
    switch (type) {
      case EventType::FormatDescription:
        key(out, "server_version");
        json::append_escaped(out, e.format->server_version);
        key(out, "checksum");
        json::append_escaped(out, e.format->checksum == ChecksumAlg::Crc32 ? "CRC32" : "NONE");
        break;
      case EventType::Rotate:
        key(out, "next_file");
        json::append_escaped(out, e.rotate.file);
        key(out, "next_position");
        json::append_number(out, e.rotate.position);
        break;
      case EventType::Query:
      case EventType::QueryCompressed:
        key(out, "schema");
        json::append_escaped(out, e.query.schema);
        key(out, "statement");
        json::append_escaped(out, e.query.statement);
        break;
      case EventType::TableMap:
        key(out, "table_id");
        json::append_number(out, e.table_map->table_id);
        key(out, "schema");
        json::append_escaped(out, e.table_map->schema);
        key(out, "table");
        json::append_escaped(out, e.table_map->table);
        break;
      case EventType::Xid:
        key(out, "xid");
        json::append_number(out, e.xid);
        break;
      case EventType::MariadbGtid:
        key(out, "standalone");
        out += e.mariadb_gtid.standalone() ? "true" : "false";
        break;
      case EventType::GtidList:
        key(out, "gtid_list");
        out += '"';
        for (size_t i = 0; i < e.gtid_list.size(); ++i) {
          if (i) out += ',';
          out += std::to_string(e.gtid_list[i].domain) + "-" + std::to_string(e.gtid_list[i].server_id) + "-" +
                 std::to_string(e.gtid_list[i].sequence);
        }
        out += '"';
        break;
      case EventType::AnnotateRows:
      case EventType::RowsQuery:
        key(out, "statement");
        json::append_escaped(out, e.text);
        break;
      case EventType::BinlogCheckpoint:
      case EventType::Heartbeat:
        key(out, "binlog");
        json::append_escaped(out, e.text);
        break;
      case EventType::Incident:
        key(out, "message");
        json::append_escaped(out, e.text);
        break;
      case EventType::TransactionPayload:
        key(out, "compression");
        json::append_escaped(out, payload_compression_name(e.payload.compression));
        key(out, "payload_size");
        json::append_number(out, e.payload.payload_size);
        key(out, "uncompressed_size");
        json::append_number(out, e.payload.uncompressed_size);
        break;
      default:
        break;
    }
  }
  out += '}';
  return true;
}

}  // namespace ferry::mysql
