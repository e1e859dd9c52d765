// The loader checkpoint table, `{meta}.{task}_loader_checkpoint`: DM's loader table (id,
// filename, cp_schema, cp_table, offset, end_pos) with a row per loaded chunk, written in the
// same downstream transaction as the chunk's rows, plus ferry's columns: the chunk's token (what
// the dump needs to skip it on a restart) and the snapshot position it was read at. A row with
// filename '*' records that the whole load finished, with the sync phase's start position.
#pragma once

#include "downstream/downstream_connection.hpp"
#include "sql/value_literal.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ferry::load {

struct LoadedChunk {
  std::string id;     // the chunk's name: "db.t[lo,hi)"
  std::string token;  // the dump's token for it
};

struct LoadState {
  std::vector<LoadedChunk> chunks;
  bool finished = false;
  // With `finished`: where the next phase starts, and its hand-over note.
  std::string file, gtid, token;
  uint64_t pos = 0;
};

class LoaderCheckpoint {
 public:
  LoaderCheckpoint(std::string meta_schema, const std::string& task, std::string source_id, tidb::LiteralStyle style);

  std::optional<tidb::DownstreamError> ensure(tidb::DownstreamConnection& conn) const;
  std::optional<tidb::DownstreamError> remove(tidb::DownstreamConnection& conn) const;
  std::optional<tidb::DownstreamError> load(tidb::DownstreamConnection& conn, LoadState& out) const;

  // The statement recording a chunk, run in its transaction.
  std::string chunk_done(const std::string& schema, const std::string& table, const std::string& id,
                         const std::string& token, uint64_t rows, const std::string& file, uint64_t pos,
                         const std::string& gtid) const;
  // The statement recording the end of the load.
  std::string load_done(const std::string& file, uint64_t pos, const std::string& gtid, const std::string& token) const;

  const std::string& table() const { return table_; }

 private:
  std::string q(const std::string& s) const;

  std::string meta_schema_;
  std::string table_;  // `meta`.`task_loader_checkpoint`
  std::string source_id_;
  tidb::LiteralStyle style_;
};

}  // namespace ferry::load
