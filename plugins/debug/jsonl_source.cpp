#include "jsonl_source.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace ferry::plugins::debug {
namespace {

using json = nlohmann::json;

struct TypeInfo {
  const char* name;
  ferry_value_type value_type;
  uint8_t flags;
};

constexpr TypeInfo kTypes[] = {
    {"int", FERRY_VALUE_INT, 0},          {"uint", FERRY_VALUE_UINT, FERRY_COLUMN_UNSIGNED},
    {"float", FERRY_VALUE_FLOAT, 0},      {"double", FERRY_VALUE_DOUBLE, 0},
    {"decimal", FERRY_VALUE_DECIMAL, 0},  {"string", FERRY_VALUE_STRING, 0},
    {"bytes", FERRY_VALUE_BYTES, FERRY_COLUMN_BINARY}, {"date", FERRY_VALUE_DATE, 0},
    {"time", FERRY_VALUE_TIME, 0},        {"datetime", FERRY_VALUE_DATETIME, 0},
    {"timestamp", FERRY_VALUE_TIMESTAMP, 0}, {"year", FERRY_VALUE_YEAR, 0},
    {"bit", FERRY_VALUE_BIT, 0},          {"enum", FERRY_VALUE_ENUM, 0},
    {"set", FERRY_VALUE_SET, 0},          {"json", FERRY_VALUE_JSON, 0},
    {"geometry", FERRY_VALUE_GEOMETRY, FERRY_COLUMN_BINARY},
};

const TypeInfo* find_type(const std::string& name) {
  for (const auto& t : kTypes) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

std::string unhex(const std::string& hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw sdk::PluginError(FERRY_E_FILE_FORMAT, "bad hex digit");
  };
  if (hex.size() % 2) throw sdk::PluginError(FERRY_E_FILE_FORMAT, "hex text of odd length");
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) out += static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1]));
  return out;
}

}  // namespace

struct JsonlSource::Table {
  std::string schema_name, table_name;
  std::vector<std::string> names;
  std::vector<std::string> types;
  std::vector<ferry_value_type> value_types;
  std::vector<ferry_column> columns;
  std::vector<uint32_t> pk_columns;
  ferry_index pk{};
  ferry_table_schema schema{};
};

void JsonlSource::describe(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("path").required().describe("input file, relative to the task file"));
  schema.add(sdk::integer("checkpoint-every").default_value("0").min(0)
                 .describe("emit a CHECKPOINT after every N lines (0: only at the end)"));
}

JsonlSource::JsonlSource(const sdk::Host& host, const sdk::Config& config)
    : host_(host), checkpoint_every_(config.require_integer("checkpoint-every")) {
  std::filesystem::path p(config.require_string("path"));
  if (p.is_relative()) p = std::filesystem::path(host.task_info("task-dir")) / p;
  path_ = p.string();
  file_name_ = p.filename().string();
}

JsonlSource::~JsonlSource() = default;

sdk::Status JsonlSource::open(const ferry_position* start) {
  in_.open(path_);
  if (!in_) return sdk::Status::error(FERRY_E_FILE_IO, "cannot open " + path_);
  if (start != nullptr && sdk::view(start->binlog_file) == file_name_) {
    skip_through_ = start->binlog_pos;
    host_.info("resuming file=" + file_name_ + " after_line=" + std::to_string(skip_through_));
  } else if (start != nullptr && start->binlog_file.len > 0) {
    host_.warn("start position is not in this file; reading from the top file=" + std::string(sdk::view(start->binlog_file)));
  }
  return sdk::Status::ok();
}

JsonlSource::Table* JsonlSource::declare_table(const void* raw) {
  const json& j = *static_cast<const json*>(raw);
  auto t = std::make_unique<Table>();
  t->schema_name = j.at("schema").get<std::string>();
  t->table_name = j.at("table").get<std::string>();
  for (const auto& c : j.at("columns")) {
    const std::string type = c.at("type").get<std::string>();
    const TypeInfo* info = find_type(type);
    if (info == nullptr) throw sdk::PluginError(FERRY_E_FILE_FORMAT, "unknown column type '" + type + "'");
    t->names.push_back(c.at("name").get<std::string>());
    t->types.push_back(type);
    t->value_types.push_back(info->value_type);
  }
  t->columns.resize(t->names.size());
  for (size_t i = 0; i < t->names.size(); ++i) {
    const TypeInfo* info = find_type(t->types[i]);
    ferry_column& col = t->columns[i];
    col.name = {t->names[i].data(), static_cast<uint32_t>(t->names[i].size())};
    col.column_type = {t->types[i].data(), static_cast<uint32_t>(t->types[i].size())};
    col.flags = info->flags | FERRY_COLUMN_NULLABLE;
    col.charset = info->flags & FERRY_COLUMN_BINARY ? 63 : 45;  // utf8mb4_general_ci
  }
  if (j.contains("primary-key")) {
    for (const auto& k : j.at("primary-key")) {
      auto it = std::find(t->names.begin(), t->names.end(), k.get<std::string>());
      if (it == t->names.end()) throw sdk::PluginError(FERRY_E_FILE_FORMAT, "primary-key names an unknown column");
      uint32_t idx = static_cast<uint32_t>(it - t->names.begin());
      t->pk_columns.push_back(idx);
      t->columns[idx].flags = (t->columns[idx].flags | FERRY_COLUMN_PRIMARY_KEY) & ~FERRY_COLUMN_NULLABLE;
    }
  }
  t->schema.schema = {t->schema_name.data(), static_cast<uint32_t>(t->schema_name.size())};
  t->schema.table = {t->table_name.data(), static_cast<uint32_t>(t->table_name.size())};
  t->schema.column_count = static_cast<uint32_t>(t->columns.size());
  t->schema.columns = t->columns.data();
  if (!t->pk_columns.empty()) {
    t->pk.name = {"PRIMARY", 7};
    t->pk.column_count = static_cast<uint32_t>(t->pk_columns.size());
    t->pk.columns = t->pk_columns.data();
    t->schema.primary_key = &t->pk;
  }
  const std::string key = t->schema_name + "." + t->table_name;
  auto it = by_name_.find(key);
  t->schema.version = it == by_name_.end() ? 1 : it->second->schema.version + 1;
  Table* out = t.get();
  tables_.push_back(std::move(t));
  by_name_[key] = out;
  return out;
}

sdk::Status JsonlSource::parse_line(const std::string& line, sdk::BatchWriter& out) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return sdk::Status::error(FERRY_E_FILE_FORMAT, path_ + ":" + std::to_string(line_no_) + ": not a JSON object");
  }
  const std::string kind = j.value("kind", "");
  if (kind == "table") {
    declare_table(&j);
    return sdk::Status::ok();
  }
  ferry_event* e = nullptr;
  if (kind == "row") {
    const std::string key = j.at("schema").get<std::string>() + "." + j.at("table").get<std::string>();
    auto it = by_name_.find(key);
    if (it == by_name_.end()) {
      return sdk::Status::error(FERRY_E_FILE_FORMAT, path_ + ":" + std::to_string(line_no_) + ": table " + key + " was not declared");
    }
    Table& t = *it->second;
    e = &out.append(FERRY_EVENT_ROW);
    const std::string op = j.value("op", "");
    e->u.row.op = op == "insert" ? FERRY_ROW_INSERT : op == "update" ? FERRY_ROW_UPDATE : op == "delete" ? FERRY_ROW_DELETE : 0;
    if (e->u.row.op == 0) throw sdk::PluginError(FERRY_E_FILE_FORMAT, "bad op '" + op + "'");
    e->u.row.table = &t.schema;
    e->u.row.target_schema = out.copy(j.value("target_schema", t.schema_name));
    e->u.row.target_table = out.copy(j.value("target_table", t.table_name));
    auto image = [&](const json& img, const uint8_t*& present) {
      const uint32_t n = t.schema.column_count;
      ferry_value* values = out.values(n);
      uint8_t* bits = out.bitmap(n);
      uint32_t seen = 0;
      for (auto& [name, v] : img.items()) {
        auto pos = std::find(t.names.begin(), t.names.end(), name);
        if (pos == t.names.end()) throw sdk::PluginError(FERRY_E_FILE_FORMAT, "unknown column '" + name + "'");
        const uint32_t i = static_cast<uint32_t>(pos - t.names.begin());
        bits[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
        ++seen;
        ferry_value& out_v = values[i];
        if (v.is_null()) continue;
        out_v.type = static_cast<uint8_t>(t.value_types[i]);
        switch (t.value_types[i]) {
          case FERRY_VALUE_INT:
          case FERRY_VALUE_YEAR: out_v.num.i64 = v.get<int64_t>(); break;
          case FERRY_VALUE_UINT:
          case FERRY_VALUE_BIT: out_v.num.u64 = v.get<uint64_t>(); break;
          case FERRY_VALUE_FLOAT:
          case FERRY_VALUE_DOUBLE: out_v.num.f64 = v.get<double>(); break;
          case FERRY_VALUE_BYTES:
          case FERRY_VALUE_GEOMETRY: {
            ferry_str s = out.copy(v.is_object() ? unhex(v.at("hex").get<std::string>()) : v.get<std::string>());
            out_v.data = s.data;
            out_v.len = s.len;
            break;
          }
          case FERRY_VALUE_ENUM:
          case FERRY_VALUE_SET:
            if (v.is_number()) {
              out_v.num.u64 = v.get<uint64_t>();
              break;
            }
            [[fallthrough]];
          default: {
            ferry_str s = out.copy(v.get<std::string>());
            out_v.data = s.data;
            out_v.len = s.len;
          }
        }
      }
      present = seen == n ? nullptr : bits;
      return values;
    };
    if (j.contains("before")) e->u.row.before = image(j["before"], e->u.row.before_present);
    if (j.contains("after")) e->u.row.after = image(j["after"], e->u.row.after_present);
    if (j.value("safe", false)) e->flags |= FERRY_EVENT_SAFE;
  } else if (kind == "ddl") {
    e = &out.append(FERRY_EVENT_DDL);
    e->u.ddl.statement = out.copy(j.at("statement").get<std::string>());
    e->u.ddl.schema = out.copy(j.value("schema", ""));
    e->u.ddl.table = out.copy(j.value("table", ""));
    e->u.ddl.default_schema = out.copy(j.value("default_schema", j.value("schema", "")));
  } else if (kind == "begin" || kind == "commit") {
    e = &out.append(kind == "begin" ? FERRY_EVENT_TXN_BEGIN : FERRY_EVENT_TXN_COMMIT);
    e->u.txn.gtid = out.copy(j.value("gtid", ""));
    e->u.txn.xid = j.value("xid", uint64_t{0});
  } else if (kind == "checkpoint") {
    e = &out.append(FERRY_EVENT_CHECKPOINT);
    if (j.value("final", false)) e->flags |= FERRY_EVENT_FINAL;
  } else if (kind == "heartbeat") {
    e = &out.append(FERRY_EVENT_HEARTBEAT);
  } else {
    return sdk::Status::error(FERRY_E_FILE_FORMAT, path_ + ":" + std::to_string(line_no_) + ": unknown kind '" + kind + "'");
  }
  // Position: this file and line, so a resume skips exactly what is durable.
  e->pos.binlog_file = out.copy(file_name_);
  e->pos.binlog_pos = line_no_;
  if (j.contains("pos")) {
    e->pos.gtid_set = out.copy(j["pos"].value("gtid", ""));
    e->pos.timestamp_us = j["pos"].value("timestamp_us", int64_t{0});
  }
  return sdk::Status::ok();
}

sdk::Status JsonlSource::poll(sdk::BatchWriter& out, std::chrono::milliseconds, bool) {
  std::string line;
  // Leave room for a periodic checkpoint after each line.
  while (out.room() >= 2) {
    if (!std::getline(in_, line)) return sdk::Status::end();
    ++line_no_;
    if (line.empty() || line[0] == '#') continue;
    // Lines up to the resume point were delivered before; table declarations among them still
    // count, since later rows refer to them.
    if (line_no_ <= skip_through_ && line.find("\"kind\":\"table\"") == std::string::npos) continue;
    try {
      if (auto s = parse_line(line, out); !s.is_ok()) return s;
    } catch (const json::exception& e) {
      return sdk::Status::error(FERRY_E_FILE_FORMAT, path_ + ":" + std::to_string(line_no_) + ": " + e.what());
    } catch (const sdk::PluginError& e) {
      return sdk::Status::error(e.code(), path_ + ":" + std::to_string(line_no_) + ": " + e.what());
    }
    if (checkpoint_every_ > 0 && line_no_ % static_cast<uint64_t>(checkpoint_every_) == 0) {
      ferry_event& cp = out.append(FERRY_EVENT_CHECKPOINT);
      cp.pos.binlog_file = out.copy(file_name_);
      cp.pos.binlog_pos = line_no_;
    }
  }
  return sdk::Status::ok();
}

}  // namespace ferry::plugins::debug
