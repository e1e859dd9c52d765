// Chunk: one piece of one table, read in one snapshot transaction and loaded in one downstream
// transaction. A table with a chunk key (schema/dump_table.hpp) is cut into ranges of the key's
// leading column, [lo, hi) with either end open; a table without one is one chunk. Integer keys
// are cut by arithmetic on MIN and MAX (split_range); any other key by stepping through its
// values in the snapshot (chunk/key_steps.hpp), its bounds ordered by the server only.
//
// A chunk names itself in its token (JSON, carried on its TXN_BEGIN/COMMIT events): table, key,
// the kind of its bounds, range, and the snapshot positions it was read between. The load sink
// stores the token of each chunk it commits; on a restart the dump gets them back and reads only
// what they do not cover (remaining_ranges), so no row is loaded twice and none is skipped,
// whatever the new snapshot.
#pragma once

#include "chunk/key_bound.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ferry::dump {

// A position in the upstream's binlog; the GTID set is the executed set at that point.
struct SnapshotPoint {
  std::string file;
  uint64_t pos = 0;
  std::string gtid;

  bool empty() const { return file.empty() && gtid.empty(); }
};
// Binlog order: the file's numeric suffix, then the offset.
bool before(const SnapshotPoint& a, const SnapshotPoint& b);

struct KeyRange {
  std::optional<KeyBound> lo;  // inclusive; none = from the smallest key
  std::optional<KeyBound> hi;  // exclusive; none = to the largest key
  bool whole() const { return !lo && !hi; }
};

struct Chunk {
  std::string schema;
  std::string table;
  std::string key_column;  // empty: the whole table, no range
  KeyType key_type;        // how the bounds compare and are written (tokens before it: integer)
  KeyRange range;
  SnapshotPoint read_at;     // the snapshot the rows come from...
  SnapshotPoint read_until;  // ...or, without a lock, somewhere up to this point

  std::string id() const;  // "db.t[lo,hi)" (bounds as bound_display writes them), unique within the task
  std::string token() const;
  // `WHERE ...` for the range (empty for the whole table); nullopt when a bound cannot be written
  // as the key type's literal (bound_literal).
  std::optional<std::string> where_clause() const;
};

// Reads a token back; nullopt when it is not one of ours.
std::optional<Chunk> parse_chunk_token(const std::string& token);

// Strict order of two bounds of one key: arithmetic for integers; for other keys, the order the
// server gave them (chunk/bound_order.hpp), where bounds equal under the collation are equivalent.
using BoundLess = std::function<bool(const KeyBound&, const KeyBound&)>;
bool integer_less(const KeyBound& a, const KeyBound& b);

// The ranges of the key not covered by `done` (ranges of one table, not overlapping), in key
// order. A gap is left only between bounds `less` tells apart.
std::vector<KeyRange> remaining_ranges(std::vector<KeyRange> done, const BoundLess& less = integer_less);

// Cuts [min, max] (keys seen in the snapshot) into `count` ranges whose union is `outer`.
std::vector<KeyRange> split_range(const KeyRange& outer, KeyValue min, KeyValue max, uint64_t count);

}  // namespace ferry::dump
