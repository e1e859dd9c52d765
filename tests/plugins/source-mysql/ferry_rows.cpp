#include "ferry_rows.hpp"

#include "binlog/binlog_file.hpp"
#include "binlog/event_decoder.hpp"

#include <deque>
#include <memory>

namespace ferry::mysql::agreement {
namespace {

constexpr uint16_t kStatementEndFlag = 0x0001;  // STMT_END_F in a rows event's flags

// Holds one event's decoded text until it is copied into DecodedValue.
class EventArena final : public ValueArena {
 public:
  char* alloc_bytes(size_t size) override {
    blocks_.push_back(std::make_unique<char[]>(size));
    return blocks_.back().get();
  }
  void clear() { blocks_.clear(); }

 private:
  std::deque<std::unique_ptr<char[]>> blocks_;
};

std::vector<std::optional<DecodedValue>> copy_image(const std::vector<ferry_value>& values,
                                                    const std::vector<uint8_t>& present) {
  std::vector<std::optional<DecodedValue>> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!((present[i / 8] >> (i % 8)) & 1)) continue;
    DecodedValue v;
    v.value = values[i];
    if (v.value.data != nullptr) v.bytes.assign(v.value.data, v.value.len);
    v.value.data = nullptr;
    out[i] = std::move(v);
  }
  return out;
}

}  // namespace

DecodedFile decode_with_ferry(const std::string& path) {
  DecodedFile out;
  BinlogFile file(path);
  if (!file.ok()) {
    out.errors.push_back(file.error());
    return out;
  }
  EventDecoder decoder;
  EventArena arena;
  std::string_view raw;
  uint64_t start = 0;
  while (file.next(raw, start)) {
    const std::string where = path + ":" + std::to_string(start) + ": ";
    DecodedEvent event;
    DecodeError error;
    if (!decoder.decode(raw, event, error)) {
      out.errors.push_back(where + error.message);
      continue;
    }
    if (event.rows.kind == RowsKind::None) continue;

    const TableMap& table = *event.table_map;
    DecodedRowsEvent rows;
    rows.start_position = start;
    rows.end_position = event.header.log_pos;
    rows.kind = event.rows.kind;
    rows.statement_end = (event.rows.flags & kStatementEndFlag) != 0;
    rows.compressed = rows_event_info(event.header.type).compressed;
    rows.schema = table.schema;
    rows.table = table.table;
    rows.columns = table.columns;

    const size_t n = table.columns.size();
    std::vector<ferry_value> before(n), after(n);
    std::vector<uint8_t> before_present((n + 7) / 8), after_present((n + 7) / 8);
    std::string row_error;
    arena.clear();
    while (decoder.next_row(event, arena, before.data(), before_present.data(), after.data(), after_present.data(),
                            row_error)) {
      DecodedRow row;
      if (rows.kind != RowsKind::Write) row.before = copy_image(before, before_present);
      if (rows.kind != RowsKind::Delete) row.after = copy_image(after, after_present);
      rows.rows.push_back(std::move(row));
    }
    if (!row_error.empty()) out.errors.push_back(where + "row " + std::to_string(rows.rows.size() + 1) + ": " + row_error);
    out.events.push_back(std::move(rows));
  }
  if (!file.ok()) out.errors.push_back(file.error());
  if (file.truncated()) out.errors.push_back(path + ": ends inside an event");
  return out;
}

}  // namespace ferry::mysql::agreement
