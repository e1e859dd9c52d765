#include "verify/table_verifier.hpp"

#include <strings.h>

namespace ferry::verify {
namespace {

// The compared upstream columns that the downstream table lacks (names compare as MySQL's
// column names do, ignoring case).
std::vector<std::string> missing_columns(const TableLayout& upstream, const TableLayout& downstream) {
  std::vector<std::string> out;
  for (size_t i : upstream.compared()) {
    bool found = false;
    for (const auto& c : downstream.columns) found = found || strcasecmp(c.name.c_str(), upstream.columns[i].name.c_str()) == 0;
    if (!found) out.push_back(upstream.columns[i].name);
  }
  return out;
}

void compare_chunks(SqlConnection& upstream, SqlConnection& downstream, const VerifyOptions& options, TableResult& r) {
  const TableLayout& layout = *r.layout;
  const auto chunks = plan_chunks(upstream, layout, options.chunk_rows);
  r.chunks = chunks.size();
  for (const Chunk& chunk : chunks) {
    ChunkResult c{chunk, checksum_chunk(upstream, r.table, layout, chunk), checksum_chunk(downstream, r.target, layout, chunk)};
    r.upstream_rows += c.upstream.rows;
    r.downstream_rows += c.downstream.rows;
    if (c.upstream != c.downstream) r.differing_chunks.push_back(std::move(c));
  }
  if (!r.differing_chunks.empty()) r.outcome = TableResult::Outcome::Differ;
  if (!options.rows) return;
  for (const auto& c : r.differing_chunks) {
    auto differences = diff_rows(layout, fetch_chunk_rows(upstream, r.table, layout, c.chunk),
                                 fetch_chunk_rows(downstream, r.target, layout, c.chunk));
    r.rows_found += differences.size();
    for (auto& d : differences) {
      if (r.rows.size() < options.rows_shown) r.rows.push_back(std::move(d));
    }
  }
}

}  // namespace

TableResult verify_table(SqlConnection& upstream, SqlConnection& downstream, const VerifyOptions& options,
                         const TableName& table) {
  TableResult r;
  r.table = table;
  r.target = downstream_name(table);
  try {
    upstream.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
    downstream.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
    r.layout = read_table_layout(upstream, r.table);
    auto target_layout = read_table_layout(downstream, r.target);
    if (!r.layout) {
      r.outcome = TableResult::Outcome::MissingUpstream;
    } else if (!target_layout) {
      r.outcome = TableResult::Outcome::MissingDownstream;
    } else if (r.missing_columns = missing_columns(*r.layout, *target_layout); !r.missing_columns.empty()) {
      r.outcome = TableResult::Outcome::Differ;
    } else {
      compare_chunks(upstream, downstream, options, r);
    }
    upstream.execute("COMMIT");
    downstream.execute("COMMIT");
  } catch (const SqlError& e) {
    r.outcome = TableResult::Outcome::Failed;
    r.error = e.what();
    for (SqlConnection* c : {&upstream, &downstream}) {
      try {
        c->execute("ROLLBACK");
      } catch (const SqlError&) {  // the connection is gone: the next table reports it
      }
    }
  }
  return r;
}

}  // namespace ferry::verify
