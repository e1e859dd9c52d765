// Chunks and their checksums. A keyed table is cut into chunks of about `chunk_rows` rows by
// its key, with keyset pagination on the upstream (each bound is the key of the chunk's last
// row); a keyless table is one chunk. A chunk's checksum is COUNT(*) and the SUM of a CRC32 per
// row over the compared columns, run with the same WHERE on both sides: order-independent, and
// a multiset (a duplicated row changes both numbers).
#pragma once

#include "verify/connection.hpp"
#include "verify/table_layout.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::verify {

// Key values as bound_expression() reads them, one per key column.
using KeyValues = std::vector<std::string>;

struct Chunk {
  size_t index = 0;               // 1-based, in key order
  std::optional<KeyValues> lower;  // exclusive; none: from the first row
  std::optional<KeyValues> upper;  // inclusive; none: to the last row
};

struct ChunkChecksum {
  uint64_t rows = 0;
  std::string crc_sum = "0";  // the SUM as the server printed it (a DECIMAL)
  bool operator==(const ChunkChecksum&) const = default;
};

// The chunks of a table, read on the upstream. Throws SqlError.
std::vector<Chunk> plan_chunks(SqlConnection& upstream, const TableLayout& layout, uint64_t chunk_rows);

// The chunk's rows as an SQL condition on the key ("1 = 1" for the whole table).
std::string chunk_condition(const TableLayout& layout, const Chunk& chunk);

// The expression whose CRC32 is summed: per compared column its NULL flag, its length and its
// text (so NULL, '' and any separator inside a value stay apart).
std::string row_checksum_expression(const TableLayout& layout);

// The checksum of `chunk` of `table` (upstream's or downstream's name) on `connection`, over
// the columns `layout` (the upstream's) compares. Throws SqlError.
ChunkChecksum checksum_chunk(SqlConnection& connection, const TableName& table, const TableLayout& layout,
                             const Chunk& chunk);

}  // namespace ferry::verify
