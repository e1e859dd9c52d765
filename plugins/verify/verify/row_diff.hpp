// The rows of a differing chunk, fetched from both sides in key order and matched: by key for
// a keyed table (missing downstream, extra downstream, or different values), as a multiset of
// whole rows for a keyless one (missing or extra copies).
#pragma once

#include "verify/chunk_checksum.hpp"
#include "verify/connection.hpp"
#include "verify/table_layout.hpp"

#include <optional>
#include <vector>

namespace ferry::verify {

struct RowDifference {
  enum class Kind { Missing, Extra, Different };
  Kind kind = Kind::Missing;
  KeyValues key;                   // empty for a keyless table
  std::optional<SqlRow> upstream;  // the compared columns' values (TableLayout::compared())
  std::optional<SqlRow> downstream;
  std::vector<size_t> differing;   // Different: positions in compared() whose values differ
};

// Matches rows fetched as fetch_chunk_rows() returns them: the key's bound values first, then
// the compared columns' values. Upstream order first (missing, different), then the extra rows
// in downstream order.
std::vector<RowDifference> diff_rows(const TableLayout& layout, const std::vector<SqlRow>& upstream,
                                     const std::vector<SqlRow>& downstream);

// The chunk's rows of `table` on `connection`, in key order. Throws SqlError.
std::vector<SqlRow> fetch_chunk_rows(SqlConnection& connection, const TableName& table, const TableLayout& layout,
                                     const Chunk& chunk);

}  // namespace ferry::verify
