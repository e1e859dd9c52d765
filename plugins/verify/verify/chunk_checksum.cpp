#include "verify/chunk_checksum.hpp"

#include "verify/sql_text.hpp"

namespace ferry::verify {
namespace {

// (k1, k2, ...) compared with `bound` in key order: `strict` is the operator on the last key
// column (> or <), `last` the one for a tie on every earlier column (> / >= or < / <=).
std::string key_comparison(const TableLayout& layout, const KeyValues& bound, const char* strict, const char* last) {
  std::string out;
  for (size_t i = layout.key.size(); i-- > 0;) {
    const Column& c = layout.columns[layout.key[i]];
    const std::string column = sql_identifier(c.name);
    const std::string value = c.literal(bound.at(i));
    if (i + 1 == layout.key.size()) {
      out = column + " " + last + " " + value;
    } else {
      out = "(" + column + " " + strict + " " + value + " OR (" + column + " = " + value + " AND " + out + "))";
    }
  }
  return out;
}

}  // namespace

std::vector<Chunk> plan_chunks(SqlConnection& upstream, const TableLayout& layout, uint64_t chunk_rows) {
  std::vector<Chunk> chunks;
  if (!layout.keyed()) return {Chunk{1, std::nullopt, std::nullopt}};
  std::string bounds;
  for (size_t i : layout.key) bounds += (bounds.empty() ? "" : ", ") + layout.columns[i].bound_expression();
  std::optional<KeyValues> lower;
  while (true) {
    const Chunk open{chunks.size() + 1, lower, std::nullopt};
    const auto rows = upstream.query("SELECT " + bounds + " FROM " + layout.name.sql() + " WHERE " +
                                     chunk_condition(layout, open) + " ORDER BY " + layout.key_list() + " LIMIT 1 OFFSET " +
                                     std::to_string(chunk_rows - 1));
    if (rows.empty()) {
      chunks.push_back(open);
      return chunks;
    }
    KeyValues upper;
    for (const auto& v : rows.front()) upper.push_back(v.value_or(""));
    chunks.push_back(Chunk{chunks.size() + 1, lower, upper});
    lower = std::move(upper);
  }
}

std::string chunk_condition(const TableLayout& layout, const Chunk& chunk) {
  std::string out;
  if (chunk.lower) out = key_comparison(layout, *chunk.lower, ">", ">");
  if (chunk.upper) out += (out.empty() ? "" : " AND ") + key_comparison(layout, *chunk.upper, "<", "<=");
  return out.empty() ? "1 = 1" : out;
}

std::string row_checksum_expression(const TableLayout& layout) {
  std::string out = "CONCAT_WS('|'";
  for (size_t i : layout.compared()) {
    const std::string v = layout.columns[i].value_expression();
    out += ", CONCAT_WS(',', ISNULL(" + v + "), LENGTH(" + v + "), " + v + ")";
  }
  return out + ")";
}

ChunkChecksum checksum_chunk(SqlConnection& connection, const TableName& table, const TableLayout& layout,
                             const Chunk& chunk) {
  const auto rows = connection.query("SELECT COUNT(*), COALESCE(SUM(CRC32(" + row_checksum_expression(layout) +
                                     ")), 0) FROM " + table.sql() + " WHERE " + chunk_condition(layout, chunk));
  ChunkChecksum c;
  c.rows = std::stoull(rows.at(0).at(0).value_or("0"));
  c.crc_sum = rows.at(0).at(1).value_or("0");
  return c;
}

}  // namespace ferry::verify
