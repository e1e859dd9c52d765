#include "source/catalog.hpp"

#include "binlog/column_type.hpp"

namespace ferry::mysql {
// "enum('a','b''c')" -> {"a", "b'c"}.
std::vector<std::string> parse_enum_members(const std::string& column_type) {
  std::vector<std::string> out;
  const auto open = column_type.find('(');
  if (open == std::string::npos) return out;
  std::string cur;
  bool in_quote = false;
  for (size_t i = open + 1; i < column_type.size(); ++i) {
    const char c = column_type[i];
    if (!in_quote) {
      if (c == '\'') in_quote = true;
      continue;
    }
    if (c == '\'' && i + 1 < column_type.size() && column_type[i + 1] == '\'') {
      cur += '\'';
      ++i;
    } else if (c == '\\' && i + 1 < column_type.size()) {
      cur += column_type[++i];
    } else if (c == '\'') {
      out.push_back(cur);
      cur.clear();
      in_quote = false;
    } else {
      cur += c;
    }
  }
  return out;
}


namespace {

constexpr const char* kColumnsSelect =
    "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, co.ID, c.COLUMN_KEY, c.EXTRA, c.DATETIME_PRECISION "
    "FROM information_schema.COLUMNS c LEFT JOIN information_schema.COLLATIONS co "
    "ON co.COLLATION_NAME = c.COLLATION_NAME ";
constexpr const char* kKeysSelect =
    "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS ";
// A schema with more columns than this is read table by table (a whole-schema read would hold
// them all at once for tables that may never appear in the binlog).
constexpr size_t kPrefetchColumnLimit = 200000;

using Rows = std::vector<std::vector<std::optional<std::string>>>;

// One row of kColumnsSelect (from its second field) as a catalog column.
CatalogColumn column_of(const std::vector<std::optional<std::string>>& r) {
  CatalogColumn c;
  c.name = r[1].value_or("");
  const std::string type = r[2].value_or("");
  const std::string data_type = r[3].value_or("");
  c.is_unsigned = type.find("unsigned") != std::string::npos;
  if (r[4]) c.collation = static_cast<uint16_t>(std::stoi(*r[4]));
  else if (data_type.find("binary") != std::string::npos || data_type.find("blob") != std::string::npos) c.collation = 63;
  if (data_type == "enum" || data_type == "set") c.members = parse_enum_members(type);
  c.primary_key = r[5].value_or("") == "PRI";
  c.generated = r[6].value_or("").find("GENERATED") != std::string::npos;
  if (r[7]) c.fractional_digits = static_cast<uint8_t>(std::stoi(*r[7]));
  return c;
}

// Adds one row of kKeysSelect (index, column) to `table`'s unique keys, by column position.
void add_key_column(CatalogTable& table, const std::string& index, const std::string& column) {
  if (table.unique_keys.empty() || table.unique_keys.back().name != index) table.unique_keys.push_back({index, {}});
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == column) table.unique_keys.back().columns.push_back(static_cast<uint32_t>(i));
  }
}

}  // namespace

std::optional<std::string> Catalog::load(const std::string& schema, const std::string& table, CatalogTable& table_out) {
  if (!conn_.connected()) {
    if (auto e = conn_.connect(options_)) return e->message;
  }
  Rows rows;
  const std::string where = "WHERE TABLE_SCHEMA = " + UpstreamConnection::quote(schema) +
                            " AND TABLE_NAME = " + UpstreamConnection::quote(table);
  if (auto e = conn_.query(std::string(kColumnsSelect) + "WHERE c.TABLE_SCHEMA = " + UpstreamConnection::quote(schema) +
                               " AND c.TABLE_NAME = " + UpstreamConnection::quote(table) + " ORDER BY c.ORDINAL_POSITION",
                           rows)) {
    conn_.close();  // a fresh connection next time
    return e->message;
  }
  table_out = CatalogTable{};
  for (const auto& r : rows) table_out.columns.push_back(column_of(r));
  // Unique keys, in key order, by column position.
  if (auto e = conn_.query(std::string(kKeysSelect) + where +
                               " AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX",
                           rows)) {
    conn_.close();
    return e->message;
  }
  for (const auto& r : rows) add_key_column(table_out, r[1].value_or(""), r[2].value_or(""));
  return std::nullopt;
}

void Catalog::prefetch(const std::string& schema) {
  // Many tables first seen one by one cost two information_schema queries each (10,000 tables:
  // seconds); the first table of a schema brings the whole schema in two queries instead. Best
  // effort: on any trouble, tables are read one by one as before.
  prefetched_.insert(schema);
  if (!conn_.connected() && conn_.connect(options_)) return;
  Rows columns, keys;
  const std::string in_schema = UpstreamConnection::quote(schema);
  if (conn_.query(std::string(kColumnsSelect) + "WHERE c.TABLE_SCHEMA = " + in_schema +
                      " ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION LIMIT " + std::to_string(kPrefetchColumnLimit + 1),
                  columns) ||
      columns.size() > kPrefetchColumnLimit) {
    return;
  }
  if (conn_.query(std::string(kKeysSelect) + "WHERE TABLE_SCHEMA = " + in_schema +
                      " AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                  keys)) {
    return;
  }
  std::map<std::string, CatalogTable> tables;
  for (const auto& r : columns) tables[r[0].value_or("")].columns.push_back(column_of(r));
  for (const auto& r : keys) {
    auto it = tables.find(r[0].value_or(""));
    if (it != tables.end()) add_key_column(it->second, r[1].value_or(""), r[2].value_or(""));
  }
  for (auto& [table, loaded] : tables) cache_.try_emplace(schema + "." + table, std::move(loaded));
}

std::optional<std::string> Catalog::complete(TableMap& map, bool& retryable) {
  retryable = false;
  const std::string key = map.schema + "." + map.table;
  auto it = cache_.find(key);
  if (it == cache_.end() && !prefetched_.contains(map.schema)) {
    prefetch(map.schema);
    it = cache_.find(key);
  }
  if (it == cache_.end()) {
    CatalogTable loaded;
    if (auto e = load(map.schema, map.table, loaded)) {
      retryable = true;
      return "cannot read the columns of " + key + " from information_schema: " + *e;
    }
    it = cache_.emplace(key, std::move(loaded)).first;
  }
  const auto& cols = it->second.columns;
  if (!map.has_names) {
    // Positions are all there is to go by: they must line up.
    if (cols.size() != map.columns.size()) {
      return "the binlog has " + std::to_string(map.columns.size()) + " columns for " + key +
             " but the upstream's table has " + std::to_string(cols.size()) +
             " now (it changed since the event was written); enable binlog_row_metadata=FULL upstream, or start "
             "from a position after the change";
    }
    for (size_t i = 0; i < cols.size(); ++i) {
      ColumnInfo& c = map.columns[i];
      c.name = cols[i].name;
      if (!c.is_unsigned && is_numeric_column(c.type)) c.is_unsigned = cols[i].is_unsigned;
      if (!c.charset && cols[i].collation) c.charset = cols[i].collation;
      if (c.members.empty()) c.members = cols[i].members;
    }
    if (map.primary_key.empty()) {
      for (size_t i = 0; i < cols.size(); ++i) {
        if (cols[i].primary_key) map.primary_key.push_back(static_cast<uint32_t>(i));
      }
    }
    map.has_names = true;
  }
  // MariaDB 5.3's fractional TIME/DATETIME/TIMESTAMP (tables made with
  // mysql56_temporal_format=OFF) travel under the old type codes with no metadata: their width
  // cannot be known from the binlog (mariadb-binlog cannot decode them either). Say so by name
  // rather than fail on the bytes.
  for (size_t i = 0; i < map.columns.size() && i < cols.size(); ++i) {
    const ColumnInfo& c = map.columns[i];
    using namespace column_type;
    if (c.type != kTime && c.type != kDatetime && c.type != kTimestamp) continue;
    for (const auto& cc : cols) {
      if (cc.name != c.name || cc.fractional_digits == 0) continue;
      const char* type = c.type == kTime ? "TIME" : c.type == kDatetime ? "DATETIME" : "TIMESTAMP";
      return "column " + c.name + " of " + key + " has MariaDB 5.3's fractional " + type + "(" +
             std::to_string(cc.fractional_digits) +
             ") format (made with mysql56_temporal_format=OFF), which the binlog does not describe and ferry cannot "
             "decode; convert the table upstream with ALTER TABLE " + key +
             " FORCE (mysql56_temporal_format=ON, the default), then start from a position after that";
    }
  }
  // Generated columns by name (the binlog does not say which they are).
  for (auto& c : map.columns) {
    for (const auto& cc : cols) {
      if (cc.name == c.name) c.generated = cc.generated;
    }
  }
  // Unique keys by column name, so they stay right when the event's columns are named; a key
  // naming a column the event does not have is left out (the table changed since).
  map.unique_keys.clear();
  for (const auto& uk : it->second.unique_keys) {
    TableMap::UniqueKey mapped{uk.name, {}};
    for (uint32_t catalog_pos : uk.columns) {
      for (size_t i = 0; i < map.columns.size(); ++i) {
        if (map.columns[i].name == cols[catalog_pos].name) mapped.columns.push_back(static_cast<uint32_t>(i));
      }
    }
    if (mapped.columns.size() == uk.columns.size() && !mapped.columns.empty()) map.unique_keys.push_back(std::move(mapped));
  }
  map.keys_known = true;
  return std::nullopt;
}

}  // namespace ferry::mysql
