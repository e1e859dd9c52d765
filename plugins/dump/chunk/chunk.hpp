// Chunk: one piece of one table, read in one snapshot transaction and loaded in one downstream
// transaction. A table whose key starts with an integer column is cut into ranges of that
// column, [lo, hi) with either end open; any other table is one chunk.
//
// A chunk names itself in its token (JSON, carried on its TXN_BEGIN/COMMIT events): table,
// range, and the snapshot positions it was read between. The load sink stores the token of each
// chunk it commits; on a restart the dump gets them back and reads only what they do not cover
// (remaining_ranges), so no row is loaded twice and none is skipped, whatever the new snapshot.
#pragma once

#include <compare>
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

// An integer key value, wide enough for both BIGINT and BIGINT UNSIGNED.
using KeyValue = __int128;
std::string key_text(KeyValue v);
std::optional<KeyValue> parse_key(const std::string& text);

struct KeyRange {
  std::optional<KeyValue> lo;  // inclusive; none = from the smallest key
  std::optional<KeyValue> hi;  // exclusive; none = to the largest key
  bool whole() const { return !lo && !hi; }
};

struct Chunk {
  std::string schema;
  std::string table;
  std::string key_column;  // empty: the whole table, no range
  KeyRange range;
  SnapshotPoint read_at;     // the snapshot the rows come from...
  SnapshotPoint read_until;  // ...or, without a lock, somewhere up to this point

  std::string id() const;  // "db.t[lo,hi)", unique within the task
  std::string token() const;
  // `WHERE ...` for the range (empty for the whole table).
  std::string where_clause() const;
};

// Reads a token back; nullopt when it is not one of ours.
std::optional<Chunk> parse_chunk_token(const std::string& token);

// The ranges of the key not covered by `done` (ranges of one table), in key order.
std::vector<KeyRange> remaining_ranges(std::vector<KeyRange> done);

// Cuts [min, max] (keys seen in the snapshot) into `count` ranges whose union is `outer`.
std::vector<KeyRange> split_range(const KeyRange& outer, KeyValue min, KeyValue max, uint64_t count);

}  // namespace ferry::dump
