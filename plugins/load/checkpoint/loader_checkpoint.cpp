#include "checkpoint/loader_checkpoint.hpp"

namespace ferry::load {

LoaderCheckpoint::LoaderCheckpoint(std::string meta_schema, const std::string& task, std::string source_id,
                                   tidb::LiteralStyle style)
    : meta_schema_(std::move(meta_schema)), source_id_(std::move(source_id)), style_(style) {
  tidb::append_identifier(table_, meta_schema_);
  table_.push_back('.');
  tidb::append_identifier(table_, task + "_loader_checkpoint");
}

std::string LoaderCheckpoint::q(const std::string& s) const {
  std::string out;
  tidb::append_quoted(out, s, style_);
  return out;
}

std::optional<tidb::DownstreamError> LoaderCheckpoint::ensure(tidb::DownstreamConnection& conn) const {
  std::string schema;
  tidb::append_identifier(schema, meta_schema_);
  return conn.execute("CREATE DATABASE IF NOT EXISTS " + schema + ";CREATE TABLE IF NOT EXISTS " + table_ +
                      " (id VARCHAR(32) NOT NULL, filename VARCHAR(512) NOT NULL, cp_schema VARCHAR(128) NOT NULL,"
                      " cp_table VARCHAR(128) NOT NULL, `offset` BIGINT NOT NULL, end_pos BIGINT NOT NULL,"
                      " chunk TEXT NOT NULL, binlog_name VARCHAR(128) NOT NULL DEFAULT '',"
                      " binlog_pos BIGINT UNSIGNED NOT NULL DEFAULT 0, binlog_gtid TEXT,"
                      " create_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP,"
                      " update_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
                      " UNIQUE KEY uk_id_file (id, filename))");
}

std::optional<tidb::DownstreamError> LoaderCheckpoint::remove(tidb::DownstreamConnection& conn) const {
  return conn.execute("DROP TABLE IF EXISTS " + table_);
}

std::optional<tidb::DownstreamError> LoaderCheckpoint::load(tidb::DownstreamConnection& conn, LoadState& out) const {
  out = LoadState{};
  tidb::ResultRows rows;
  if (auto e = conn.query("SELECT filename, chunk, binlog_name, binlog_pos, binlog_gtid FROM " + table_ +
                              " WHERE id = " + q(source_id_) + " ORDER BY filename",
                          rows)) {
    return e;
  }
  for (const auto& r : rows) {
    const std::string filename = r[0].value_or("");
    if (filename == "*") {
      out.finished = true;
      out.token = r[1].value_or("");
      out.file = r[2].value_or("");
      out.pos = r[3] ? std::stoull(*r[3]) : 0;
      out.gtid = r[4].value_or("");
    } else {
      out.chunks.push_back(LoadedChunk{filename, r[1].value_or("")});
    }
  }
  return std::nullopt;
}

std::string LoaderCheckpoint::chunk_done(const std::string& schema, const std::string& table, const std::string& id,
                                         const std::string& token, uint64_t rows, const std::string& file, uint64_t pos,
                                         const std::string& gtid) const {
  const std::string n = std::to_string(rows);
  return "INSERT INTO " + table_ +
         " (id, filename, cp_schema, cp_table, `offset`, end_pos, chunk, binlog_name, binlog_pos, binlog_gtid) VALUES (" +
         q(source_id_) + "," + q(id) + "," + q(schema) + "," + q(table) + "," + n + "," + n + "," + q(token) + "," +
         q(file) + "," + std::to_string(pos) + "," + q(gtid) + ")";
}

std::string LoaderCheckpoint::load_done(const std::string& file, uint64_t pos, const std::string& gtid,
                                        const std::string& token) const {
  return "INSERT INTO " + table_ +
         " (id, filename, cp_schema, cp_table, `offset`, end_pos, chunk, binlog_name, binlog_pos, binlog_gtid) VALUES (" +
         q(source_id_) + ",'*','','',0,0," + q(token) + "," + q(file) + "," + std::to_string(pos) + "," + q(gtid) +
         ") ON DUPLICATE KEY UPDATE chunk=VALUES(chunk), binlog_name=VALUES(binlog_name), binlog_pos=VALUES(binlog_pos),"
         " binlog_gtid=VALUES(binlog_gtid)";
}

}  // namespace ferry::load
