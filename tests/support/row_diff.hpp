// Names the rows behind a table checksum mismatch, for a test failure message that says what
// went wrong rather than that something did.
#pragma once

#include "support/connection.hpp"
#include "support/table_shape.hpp"

#include <string>
#include <vector>

namespace ferry::testing {

// Up to `limit` rows that differ between `up_schema`.`table` and `down_schema`.`table`, one
// readable line each. With a key (primary, or unique over NOT NULL columns) rows are matched by
// it and only the differing columns are shown:
//   "id=5: v 'abc' upstream, 'abd' downstream"
//   "id=7: only upstream: id=7, k=3, v='x', ..."
// Without one, rows are a multiset:
//   "2 copies upstream, 3 downstream: a=1, b='a', c=0x00"
// Empty when the two sides hold the same rows. Throws std::runtime_error when a query fails.
std::vector<std::string> differing_rows(Connection& up, const std::string& up_schema, Connection& down,
                                        const std::string& down_schema, const std::string& table, size_t limit = 10);

// A value as a column's exact expression gives it (support/table_shape.hpp), readably: NULL,
// numbers and dates as printed, text quoted when it is printable UTF-8, other bytes as 0x..;
// anything longer than `max_chars` is cut, with its length in bytes.
std::string render_value(const std::string& exact, ValueEncoding encoding, size_t max_chars = 40);

}  // namespace ferry::testing
