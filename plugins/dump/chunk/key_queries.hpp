// The queries that cut and order a non-integer chunk key, run by the dump's planner on reader
// 0's connection, inside its snapshot transaction: bounds come from the snapshot itself, and
// every comparison of two values is the server's, under the column's own collation.
//
// Cutting steps through the key in index order: the value `rows` rows past the range's start,
// then the first value strictly greater than it is the next bound. Rows equal to a bound under
// the collation ('a', 'A', 'a ' under utf8mb4_general_ci) all fall on the same side of it, so a
// piece can hold more than `rows` rows when a value repeats (a composite key led by it), never a
// row twice.
#pragma once

#include "chunk/chunk.hpp"
#include "client/upstream_connection.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::dump {

// Which column of which table, and how its values compare.
struct KeyColumn {
  std::string qualified_table;  // `schema`.`table`
  std::string column;
  KeyType type;
};

struct KeyQueryError {
  std::string message;
  bool retryable = false;  // the connection was lost (its snapshot with it)
};

// One piece of a cut, and the rows the snapshot holds in it (`rows` for a stepped piece, at
// least; counted for the last one).
struct KeyPiece {
  KeyRange range;
  uint64_t rows = 0;
};

// The SQL of the steps, for the tests; nullopt when a bound cannot be written (bound_literal).
// The key's `offset`-th value (from 0) in `range`, in key order.
std::optional<std::string> value_at_sql(const KeyColumn& key, const KeyRange& range, uint64_t offset);
// The first value greater than `after` and below `below` (when set), in key order.
std::optional<std::string> next_value_sql(const KeyColumn& key, const KeyBound& after, const std::optional<KeyBound>& below);
// The bounds' ranks in key order: one row per set of equal bounds, in order, listing their
// positions in `bounds` ("0,3").
std::optional<std::string> rank_sql(const KeyType& type, const std::vector<KeyBound>& bounds);

// Cuts `outer` into pieces of about `rows` rows (at least 1) whose union is `outer`, in order.
std::optional<KeyQueryError> cut_key_range(mysql::UpstreamConnection& conn, const KeyColumn& key, const KeyRange& outer,
                                           uint64_t rows, std::vector<KeyPiece>& out);

// The order of bounds of a non-integer `type`, as the server compares them, handed back as a
// BoundLess over exactly those bounds: two bounds equal under the key's comparison ('a' and 'A'
// under a case-insensitive collation, 1.5 and 1.50) are neither less than the other.
std::optional<KeyQueryError> order_bounds(mysql::UpstreamConnection& conn, const KeyType& type,
                                          const std::vector<KeyBound>& bounds, BoundLess& less);

// A chunk key is NOT NULL by choice (schema/dump_table.cpp); a NULL in it would be in no range,
// so this checks rather than trusts it: an error when the table holds one.
std::optional<KeyQueryError> check_key_not_null(mysql::UpstreamConnection& conn, const KeyColumn& key);

}  // namespace ferry::dump
