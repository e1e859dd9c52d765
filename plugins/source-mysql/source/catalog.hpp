// Catalog: what the binlog leaves out of a TABLE_MAP when the upstream logs no row metadata
// (binlog_row_metadata=NO_LOG, MariaDB's default): column names, signedness, charsets, ENUM/SET
// members and the primary key, read from the upstream's information_schema and cached per table
// until a DDL arrives.
//
// Exact for events written since the table's last DDL. Replaying older events can meet a table
// whose shape has changed since; a column count that disagrees is detected and reported, but a
// change that keeps the count (a type or a rename) cannot be seen from here.
#pragma once

#include "binlog/table_map.hpp"
#include "client/upstream_connection.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ferry::mysql {

// The members of an ENUM or SET type as information_schema's COLUMN_TYPE writes it:
// "enum('a','b''c')" -> {"a", "b'c"}.
std::vector<std::string> parse_enum_members(const std::string& column_type);

struct CatalogColumn {
  std::string name;
  bool is_unsigned = false;
  std::optional<uint16_t> collation;  // none for non-text columns
  std::vector<std::string> members;   // ENUM / SET
  bool primary_key = false;
  bool generated = false;  // VIRTUAL / STORED: computed downstream, never written
  uint8_t fractional_digits = 0;  // TIME / DATETIME / TIMESTAMP precision
};

struct CatalogTable {
  std::vector<CatalogColumn> columns;
  std::vector<TableMap::UniqueKey> unique_keys;  // column positions in `columns`
};

class Catalog {
 public:
  explicit Catalog(ConnectionOptions options) : options_(std::move(options)) {}

  // Fills `map`'s unlogged facts from the catalog: names, signedness, charsets and members when
  // the binlog has no metadata, and unique keys (never logged) in every case. Returns an error
  // message when the table cannot be looked up (`retryable` set: the upstream may answer later)
  // or, without logged names, its column count differs from the event's (not retryable).
  std::optional<std::string> complete(TableMap& map, bool& retryable);
  // Forget cached tables (after a DDL). A table forgotten alone is read again by itself.
  void invalidate() {
    cache_.clear();
    prefetched_.clear();
  }
  void invalidate(const std::string& schema, const std::string& table) { cache_.erase(schema + "." + table); }
  void invalidate_schema(const std::string& schema) {
    std::erase_if(cache_, [&](const auto& kv) { return kv.first.starts_with(schema + "."); });
    prefetched_.erase(schema);
  }

 private:
  std::optional<std::string> load(const std::string& schema, const std::string& table, CatalogTable& out);
  // Reads every table of `schema` into the cache (once per schema until it is invalidated).
  void prefetch(const std::string& schema);

  ConnectionOptions options_;
  UpstreamConnection conn_;
  std::map<std::string, CatalogTable> cache_;
  std::set<std::string> prefetched_;  // schemas read whole
};

}  // namespace ferry::mysql
