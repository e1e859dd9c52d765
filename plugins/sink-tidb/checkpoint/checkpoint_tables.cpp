#include "checkpoint/checkpoint_tables.hpp"

#include "sql/value_literal.hpp"

#include <charconv>

namespace ferry::tidb {

std::string encode_points(const std::vector<BinlogPoint>& points) {
  std::string out;
  for (const auto& p : points) {
    if (!out.empty()) out.push_back(' ');
    out += p.file;
    out.push_back(':');
    out += std::to_string(p.pos);
  }
  return out;
}

std::vector<BinlogPoint> decode_points(std::string_view text) {
  std::vector<BinlogPoint> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = text.substr(i, end - i);
    const size_t colon = item.rfind(':');
    if (colon != std::string_view::npos) {
      BinlogPoint p;
      p.file = std::string(item.substr(0, colon));
      std::from_chars(item.data() + colon + 1, item.data() + item.size(), p.pos);
      out.push_back(std::move(p));
    }
    i = end + 1;
  }
  return out;
}

std::string CheckpointTables::q(std::string_view s) const {
  std::string out;
  append_quoted(out, s, style_);
  return out;
}

CheckpointTables::CheckpointTables(std::string meta_schema, const std::string& task, std::string source_id,
                                   LiteralStyle style)
    : meta_schema_(std::move(meta_schema)), source_id_(std::move(source_id)), style_(style) {
  append_identifier(checkpoint_table_, meta_schema_);
  checkpoint_table_.push_back('.');
  append_identifier(checkpoint_table_, task + "_syncer_checkpoint");
  append_identifier(worker_table_, meta_schema_);
  worker_table_.push_back('.');
  append_identifier(worker_table_, task + "_syncer_worker_checkpoint");
}

std::optional<DownstreamError> CheckpointTables::ensure(DownstreamConnection& conn) const {
  std::string schema;
  append_identifier(schema, meta_schema_);
  // DM's table, column for column (dm/syncer/checkpoint.go createTable).
  return conn.execute(
      "CREATE DATABASE IF NOT EXISTS " + schema + ";" +
      "CREATE TABLE IF NOT EXISTS " + checkpoint_table_ +
      " (id VARCHAR(32) NOT NULL, cp_schema VARCHAR(128) NOT NULL, cp_table VARCHAR(128) NOT NULL,"
      " binlog_name VARCHAR(128), binlog_pos INT UNSIGNED, binlog_gtid TEXT,"
      " exit_safe_binlog_name VARCHAR(128) DEFAULT '', exit_safe_binlog_pos INT UNSIGNED DEFAULT 0,"
      " exit_safe_binlog_gtid TEXT, table_info JSON NOT NULL, is_global BOOLEAN,"
      " create_time TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
      " update_time TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
      " UNIQUE KEY uk_id_schema_table (id, cp_schema, cp_table));" +
      "CREATE TABLE IF NOT EXISTS " + worker_table_ +
      " (id VARCHAR(32) NOT NULL, worker INT UNSIGNED NOT NULL,"
      " binlog_name VARCHAR(128) NOT NULL, binlog_pos BIGINT UNSIGNED NOT NULL, binlog_gtid TEXT,"
      " applied MEDIUMTEXT NOT NULL,"
      " update_time TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
      " PRIMARY KEY (id, worker))");
}

std::optional<DownstreamError> CheckpointTables::remove(DownstreamConnection& conn) const {
  return conn.execute("DROP TABLE IF EXISTS " + checkpoint_table_ + ";DROP TABLE IF EXISTS " + worker_table_);
}

std::optional<DownstreamError> CheckpointTables::load(DownstreamConnection& conn, RecoveredState& out) const {
  out = RecoveredState{};
  ResultRows rows;
  if (auto e = conn.query("SELECT binlog_name, binlog_pos, binlog_gtid, exit_safe_binlog_name, exit_safe_binlog_pos,"
                          " exit_safe_binlog_gtid FROM " + checkpoint_table_ + " WHERE id = " + q(source_id_) +
                          " AND is_global = 1", rows)) {
    return e;
  }
  auto number = [](const std::optional<std::string>& s) {
    uint64_t v = 0;
    if (s) std::from_chars(s->data(), s->data() + s->size(), v);
    return v;
  };
  if (!rows.empty()) {
    if (rows[0][0] && !rows[0][0]->empty()) out.global = BinlogPoint{*rows[0][0], number(rows[0][1]), rows[0][2].value_or("")};
    if (rows[0][3] && !rows[0][3]->empty()) {
      out.exit_safe = BinlogPoint{*rows[0][3], number(rows[0][4]), rows[0][5].value_or("")};
    }
  }
  out.resume = out.global;
  if (auto e = conn.query("SELECT cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid FROM " + checkpoint_table_ +
                          " WHERE id = " + q(source_id_) + " AND is_global = 0", rows)) {
    return e;
  }
  for (const auto& r : rows) {
    if (!r[2] || r[2]->empty()) continue;
    out.tables[{r[0].value_or(""), r[1].value_or("")}] = BinlogPoint{*r[2], number(r[3]), r[4].value_or("")};
  }
  std::vector<std::vector<BinlogPoint>> lists;
  if (auto e = conn.query("SELECT binlog_name, binlog_pos, binlog_gtid, applied FROM " + worker_table_ +
                          " WHERE id = " + q(source_id_), rows)) {
    return e;
  }
  for (const auto& r : rows) {
    BinlogPoint low{r[0].value_or(""), number(r[1]), r[2].value_or("")};
    if (!low.empty() && (!out.resume || *out.resume < low)) out.resume = low;
    lists.push_back(decode_points(r[3].value_or("")));
  }
  for (const auto& list : lists) {
    for (const auto& p : list) {
      if (!out.resume || *out.resume < p) out.applied.insert(p);
    }
  }
  return std::nullopt;
}

std::string CheckpointTables::global_upsert(const BinlogPoint& p, const std::optional<BinlogPoint>& exit_safe) const {
  const BinlogPoint none;
  const BinlogPoint& x = exit_safe ? *exit_safe : none;
  return "INSERT INTO " + checkpoint_table_ +
         " (id, cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid, exit_safe_binlog_name,"
         " exit_safe_binlog_pos, exit_safe_binlog_gtid, table_info, is_global) VALUES (" +
         q(source_id_) + ",'',''," + q(p.file) + "," + std::to_string(p.pos) + "," + q(p.gtid) + "," + q(x.file) + "," +
         std::to_string(x.pos) + "," + q(x.gtid) + ",'null',1) ON DUPLICATE KEY UPDATE binlog_name=VALUES(binlog_name),"
         " binlog_pos=VALUES(binlog_pos), binlog_gtid=VALUES(binlog_gtid),"
         " exit_safe_binlog_name=VALUES(exit_safe_binlog_name), exit_safe_binlog_pos=VALUES(exit_safe_binlog_pos),"
         " exit_safe_binlog_gtid=VALUES(exit_safe_binlog_gtid)";
}

std::string CheckpointTables::table_upsert(const std::string& schema, const std::string& table, const BinlogPoint& p,
                                           const std::string& table_info_json) const {
  return "INSERT INTO " + checkpoint_table_ +
         " (id, cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid, exit_safe_binlog_gtid, table_info, is_global)"
         " VALUES (" + q(source_id_) + "," + q(schema) + "," + q(table) + "," + q(p.file) + "," +
         std::to_string(p.pos) + "," + q(p.gtid) + ",''," + q(table_info_json) +
         ",0) ON DUPLICATE KEY UPDATE binlog_name=VALUES(binlog_name), binlog_pos=VALUES(binlog_pos),"
         " binlog_gtid=VALUES(binlog_gtid), table_info=VALUES(table_info)";
}

std::string CheckpointTables::worker_upsert(uint32_t worker, const BinlogPoint& low,
                                            const std::vector<BinlogPoint>& applied) const {
  return "INSERT INTO " + worker_table_ + " (id, worker, binlog_name, binlog_pos, binlog_gtid, applied) VALUES (" +
         q(source_id_) + "," + std::to_string(worker) + "," + q(low.file) + "," + std::to_string(low.pos) + "," +
         q(low.gtid) + "," + q(encode_points(applied)) +
         ") ON DUPLICATE KEY UPDATE binlog_name=VALUES(binlog_name), binlog_pos=VALUES(binlog_pos),"
         " binlog_gtid=VALUES(binlog_gtid), applied=VALUES(applied)";
}

std::string CheckpointTables::worker_row_query(uint32_t worker) const {
  return "SELECT binlog_name, binlog_pos, applied FROM " + worker_table_ + " WHERE id = " + q(source_id_) +
         " AND worker = " + std::to_string(worker);
}

std::string CheckpointTables::max_worker_query() const {
  return "SELECT MAX(worker) FROM " + worker_table_ + " WHERE id = " + q(source_id_);
}

}  // namespace ferry::tidb
