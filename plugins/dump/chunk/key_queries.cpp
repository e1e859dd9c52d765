#include "chunk/key_queries.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>

namespace ferry::dump {
namespace {

using mysql::UpstreamConnection;
using Rows = std::vector<std::vector<std::optional<std::string>>>;

KeyQueryError from(const mysql::UpstreamError& e, const std::string& what) {
  return KeyQueryError{what + ": " + e.message, e.connection_lost()};
}

std::optional<std::string> range_where(const KeyColumn& key, const KeyRange& range) {
  Chunk probe;
  probe.key_column = key.column;
  probe.key_type = key.type;
  probe.range = range;
  return probe.where_clause();
}

// A value as the server printed it, as a bound of the key.
std::optional<KeyBound> bound_of(const KeyType& type, const std::string& text) {
  if (type.integer()) {
    auto v = parse_key(text);
    return v ? std::optional<KeyBound>(*v) : std::nullopt;
  }
  return KeyBound(text);
}

}  // namespace

std::optional<std::string> value_at_sql(const KeyColumn& key, const KeyRange& range, uint64_t offset) {
  const auto where = range_where(key, range);
  if (!where) return std::nullopt;
  const std::string column = UpstreamConnection::identifier(key.column);
  return "SELECT " + column + " FROM " + key.qualified_table + *where + " ORDER BY " + column + " LIMIT 1 OFFSET " +
         std::to_string(offset);
}

std::optional<std::string> next_value_sql(const KeyColumn& key, const KeyBound& after, const std::optional<KeyBound>& below) {
  const auto lo = bound_literal(key.type, after);
  if (!lo) return std::nullopt;
  const std::string column = UpstreamConnection::identifier(key.column);
  std::string sql = "SELECT " + column + " FROM " + key.qualified_table + " WHERE " + column + " > " + *lo;
  if (below) {
    const auto hi = bound_literal(key.type, *below);
    if (!hi) return std::nullopt;
    sql += " AND " + column + " < " + *hi;
  }
  return sql + " ORDER BY " + column + " LIMIT 1";
}

std::optional<std::string> rank_sql(const KeyType& type, const std::vector<KeyBound>& bounds) {
  // GROUP BY puts together what the type's comparison calls equal (1.5 and 1.50, 'a' and 'A'
  // under a case-insensitive collation); ORDER BY then sorts the groups by it.
  std::string values;
  for (size_t i = 0; i < bounds.size(); ++i) {
    const auto literal = bound_literal(type, bounds[i]);
    if (!literal) return std::nullopt;
    values += i == 0 ? "SELECT 0 AS i, " + *literal + " AS v" : " UNION ALL SELECT " + std::to_string(i) + ", " + *literal;
  }
  return "SELECT GROUP_CONCAT(i ORDER BY i) FROM (" + values + ") AS b GROUP BY v ORDER BY v";
}

std::optional<KeyQueryError> cut_key_range(UpstreamConnection& conn, const KeyColumn& key, const KeyRange& outer, uint64_t rows,
                                           std::vector<KeyPiece>& out) {
  rows = std::max<uint64_t>(rows, 1);
  const std::string name = key.qualified_table + "." + UpstreamConnection::identifier(key.column);
  const KeyQueryError unwritable{"a bound of the chunk key " + name + " cannot be written back as a " + key.type.name() +
                                     " literal",
                                 false};
  const KeyQueryError null_key{"the chunk key " + name + " holds NULL, which no key range reads; the dump cannot cut it",
                               false};
  Rows result;
  std::optional<KeyBound> cursor = outer.lo;
  for (;;) {
    const auto at_sql = value_at_sql(key, KeyRange{cursor, outer.hi}, rows - 1);
    if (!at_sql) return unwritable;
    if (auto e = conn.query(*at_sql, result)) return from(*e, "cannot step through the chunk key " + name);
    if (result.empty()) break;  // fewer than `rows` rows left: they are the last piece
    if (!result[0][0]) return null_key;
    const auto last = bound_of(key.type, *result[0][0]);
    if (!last) return unwritable;
    const auto next_sql = next_value_sql(key, *last, outer.hi);
    if (!next_sql) return unwritable;
    if (auto e = conn.query(*next_sql, result)) return from(*e, "cannot step through the chunk key " + name);
    if (result.empty()) break;  // every row left is equal to `last`: they stay together
    if (!result[0][0]) return null_key;
    auto bound = bound_of(key.type, *result[0][0]);
    if (!bound || !bound_literal(key.type, *bound)) return unwritable;
    // The server said bound > last >= cursor; a bound equal to the cursor would loop forever.
    if (cursor && *cursor == *bound) return KeyQueryError{"the chunk key " + name + " did not advance while cut", false};
    out.push_back(KeyPiece{KeyRange{cursor, *bound}, rows});
    cursor = std::move(bound);
  }
  const auto where = range_where(key, KeyRange{cursor, outer.hi});
  if (!where) return unwritable;
  if (auto e = conn.query("SELECT COUNT(*) FROM " + key.qualified_table + *where, result)) {
    return from(*e, "cannot count the rows of " + key.qualified_table);
  }
  const uint64_t left = result.empty() || !result[0][0] ? 0 : std::stoull(*result[0][0]);
  out.push_back(KeyPiece{KeyRange{cursor, outer.hi}, left});
  return std::nullopt;
}

std::optional<KeyQueryError> order_bounds(UpstreamConnection& conn, const KeyType& type, const std::vector<KeyBound>& bounds,
                                          BoundLess& less) {
  auto ranks = std::make_shared<std::map<std::string, size_t>>();
  less = [ranks](const KeyBound& a, const KeyBound& b) {
    return ranks->at(std::get<std::string>(a)) < ranks->at(std::get<std::string>(b));
  };
  if (bounds.empty()) return std::nullopt;
  const auto sql = rank_sql(type, bounds);
  if (!sql) return KeyQueryError{"a loaded chunk's bound cannot be written as a " + type.name() + " literal", false};
  // Sorting must see whole values (a utf8mb4 key's sort weights can pass the default 1024
  // bytes), and a group may list many positions.
  if (auto e = conn.execute("SET SESSION max_sort_length = 8388608, SESSION group_concat_max_len = 1073741824")) {
    return from(*e, "cannot order the loaded chunks' bounds");
  }
  Rows result;
  if (auto e = conn.query(*sql, result)) return from(*e, "cannot order the loaded chunks' bounds");
  for (size_t rank = 0; rank < result.size(); ++rank) {
    const std::string list = result[rank][0].value_or("");
    for (size_t start = 0; start <= list.size();) {
      const size_t comma = std::min(list.find(',', start), list.size());
      size_t i = 0;
      const auto [end, ec] = std::from_chars(list.data() + start, list.data() + comma, i);
      if (ec != std::errc() || end != list.data() + comma || i >= bounds.size()) {
        return KeyQueryError{"ordering the loaded chunks' bounds returned \"" + list.substr(0, 100) + "\"", false};
      }
      (*ranks)[std::get<std::string>(bounds[i])] = rank;
      start = comma + 1;
    }
  }
  for (const auto& b : bounds) {
    if (!ranks->contains(std::get<std::string>(b))) return KeyQueryError{"ordering the loaded chunks' bounds left one out", false};
  }
  return std::nullopt;
}

std::optional<KeyQueryError> check_key_not_null(UpstreamConnection& conn, const KeyColumn& key) {
  const std::string column = UpstreamConnection::identifier(key.column);
  Rows result;
  // On a NOT NULL DATE or DATETIME, `IS NULL` also finds the zero date (ODBC's rule), which is a
  // value: CONCAT keeps only a real NULL. `IS NULL` first, so the index answers at once.
  if (auto e = conn.query("SELECT 1 FROM " + key.qualified_table + " WHERE " + column + " IS NULL AND CONCAT(" + column +
                              ") IS NULL LIMIT 1",
                          result)) {
    return from(*e, "cannot check the chunk key of " + key.qualified_table);
  }
  if (!result.empty()) {
    return KeyQueryError{"the chunk key " + key.qualified_table + "." + column + " holds NULL, which no key range reads", false};
  }
  return std::nullopt;
}

}  // namespace ferry::dump
