// Event views (read) and BatchWriter (append) over the ABI's ferry_batch. Views are pointers into
// the batch: valid only during the callback that received the batch.
#pragma once

#include <ferry/abi/ferry_abi.h>
#include <ferry/sdk/status.hpp>

#include <cstring>
#include <string>
#include <string_view>

namespace ferry::sdk {

inline std::string_view view(ferry_str s) { return std::string_view(s.data ? s.data : "", s.len); }

inline bool bit_is_set(const uint8_t* bitmap, uint32_t i) {
  return bitmap == nullptr || (bitmap[i / 8] >> (i % 8)) & 1u;
}

// A position that owns its strings: what a plugin keeps after the callback returns.
struct OwnedPosition {
  std::string binlog_file;
  uint64_t binlog_pos = 0;
  std::string gtid_set;
  uint8_t gtid_flavor = FERRY_GTID_NONE;
  int64_t timestamp_us = 0;
  std::string token;

  static OwnedPosition from(const ferry_position& p) {
    return {std::string(view(p.binlog_file)), p.binlog_pos, std::string(view(p.gtid_set)),
            p.gtid_flavor, p.timestamp_us, std::string(view(p.token))};
  }
  // A view over this object's strings; valid while it lives unchanged.
  ferry_position as_abi() const {
    ferry_position p{};
    p.binlog_file = {binlog_file.data(), static_cast<uint32_t>(binlog_file.size())};
    p.binlog_pos = binlog_pos;
    p.gtid_set = {gtid_set.data(), static_cast<uint32_t>(gtid_set.size())};
    p.gtid_flavor = gtid_flavor;
    p.timestamp_us = timestamp_us;
    p.token = {token.data(), static_cast<uint32_t>(token.size())};
    return p;
  }
};

// Appends events to a batch a source was handed. Not thread-safe; one per poll call.
class BatchWriter {
 public:
  BatchWriter(const ferry_host_api* api, ferry_batch* batch) : api_(api), batch_(batch) {}

  bool full() const { return batch_->count >= batch_->capacity; }
  uint32_t room() const { return batch_->capacity - batch_->count; }
  uint32_t count() const { return batch_->count; }

  // A zeroed event of `kind` at the end of the batch. Precondition: !full().
  ferry_event& append(ferry_event_kind kind) {
    ferry_event& e = batch_->events[batch_->count++];
    std::memset(&e, 0, sizeof e);
    e.kind = static_cast<uint16_t>(kind);
    return e;
  }

  // Arena allocation: lives until the sink has written the batch.
  template <typename T>
  T* alloc(size_t n) {
    void* p = api_->arena_alloc(batch_, sizeof(T) * n, alignof(T));
    if (!p) throw PluginError(FERRY_E_TASK_INTERNAL, "out of memory in batch arena");
    return static_cast<T*>(p);
  }
  ferry_str copy(std::string_view s) {
    if (s.empty()) return {nullptr, 0};
    char* p = alloc<char>(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, static_cast<uint32_t>(s.size())};
  }
  ferry_value* values(uint32_t n) {
    ferry_value* v = alloc<ferry_value>(n);
    std::memset(v, 0, sizeof(ferry_value) * n);
    return v;
  }
  // A present-bitmap for n columns, all bits clear.
  uint8_t* bitmap(uint32_t n) {
    uint8_t* b = alloc<uint8_t>((n + 7) / 8);
    std::memset(b, 0, (n + 7) / 8);
    return b;
  }

  ferry_batch* raw() const { return batch_; }

 private:
  const ferry_host_api* api_;
  ferry_batch* batch_;
};

// Value builders: text values point at memory the caller keeps alive (use BatchWriter::copy).
inline ferry_value null_value() { return ferry_value{}; }
inline ferry_value int_value(int64_t v) { ferry_value x{}; x.type = FERRY_VALUE_INT; x.num.i64 = v; return x; }
inline ferry_value uint_value(uint64_t v) { ferry_value x{}; x.type = FERRY_VALUE_UINT; x.num.u64 = v; return x; }
inline ferry_value double_value(double v) { ferry_value x{}; x.type = FERRY_VALUE_DOUBLE; x.num.f64 = v; return x; }
inline ferry_value text_value(ferry_value_type type, ferry_str s) {
  ferry_value x{};
  x.type = static_cast<uint8_t>(type);
  x.data = s.data;
  x.len = s.len;
  return x;
}

// "INT", "DECIMAL", ... for messages.
inline const char* value_type_name(uint8_t type) {
  switch (type) {
    case FERRY_VALUE_NULL: return "NULL";
    case FERRY_VALUE_INT: return "INT";
    case FERRY_VALUE_UINT: return "UINT";
    case FERRY_VALUE_FLOAT: return "FLOAT";
    case FERRY_VALUE_DOUBLE: return "DOUBLE";
    case FERRY_VALUE_DECIMAL: return "DECIMAL";
    case FERRY_VALUE_STRING: return "STRING";
    case FERRY_VALUE_BYTES: return "BYTES";
    case FERRY_VALUE_DATE: return "DATE";
    case FERRY_VALUE_TIME: return "TIME";
    case FERRY_VALUE_DATETIME: return "DATETIME";
    case FERRY_VALUE_TIMESTAMP: return "TIMESTAMP";
    case FERRY_VALUE_YEAR: return "YEAR";
    case FERRY_VALUE_BIT: return "BIT";
    case FERRY_VALUE_ENUM: return "ENUM";
    case FERRY_VALUE_SET: return "SET";
    case FERRY_VALUE_JSON: return "JSON";
    case FERRY_VALUE_GEOMETRY: return "GEOMETRY";
    default: return "UNKNOWN";
  }
}

inline const char* kind_name(uint16_t kind) {
  switch (kind) {
    case FERRY_EVENT_ROW: return "row";
    case FERRY_EVENT_DDL: return "ddl";
    case FERRY_EVENT_TXN_BEGIN: return "begin";
    case FERRY_EVENT_TXN_COMMIT: return "commit";
    case FERRY_EVENT_CHECKPOINT: return "checkpoint";
    case FERRY_EVENT_HEARTBEAT: return "heartbeat";
    default: return "unknown";
  }
}
inline const char* op_name(uint8_t op) {
  switch (op) {
    case FERRY_ROW_INSERT: return "insert";
    case FERRY_ROW_UPDATE: return "update";
    case FERRY_ROW_DELETE: return "delete";
    default: return "unknown";
  }
}
// Row and DDL events may be rewritten or dropped by transforms; the others are control events.
inline bool is_control(uint16_t kind) { return kind != FERRY_EVENT_ROW && kind != FERRY_EVENT_DDL; }
// Events that close a sink batch: everything before must be applied first.
inline bool is_barrier(uint16_t kind) { return kind == FERRY_EVENT_DDL || kind == FERRY_EVENT_CHECKPOINT; }

}  // namespace ferry::sdk
