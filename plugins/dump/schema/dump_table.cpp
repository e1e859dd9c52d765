#include "schema/dump_table.hpp"

#include "source/catalog.hpp"

#include <algorithm>
#include <map>

namespace ferry::dump {
namespace {

using mysql::UpstreamConnection;
using mysql::UpstreamError;
using Rows = std::vector<std::vector<std::optional<std::string>>>;

bool is_system_schema(const std::string& s) {
  return s == "mysql" || s == "sys" || s == "information_schema" || s == "performance_schema";
}

}  // namespace

std::optional<KeyType> chunk_key_type(const std::string& data_type, const std::string& charset, const std::string& collation) {
  static const std::map<std::string, KeyOrder> orders = {
      {"tinyint", KeyOrder::Integer}, {"smallint", KeyOrder::Integer}, {"mediumint", KeyOrder::Integer},
      {"int", KeyOrder::Integer},     {"integer", KeyOrder::Integer},  {"bigint", KeyOrder::Integer},
      {"char", KeyOrder::Collated},   {"varchar", KeyOrder::Collated}, {"binary", KeyOrder::Binary},
      {"varbinary", KeyOrder::Binary}, {"decimal", KeyOrder::Decimal},  {"numeric", KeyOrder::Decimal},
      {"date", KeyOrder::Date},       {"datetime", KeyOrder::Datetime}, {"timestamp", KeyOrder::Datetime},
      {"time", KeyOrder::Time}};
  const auto it = orders.find(data_type);
  if (it == orders.end()) return std::nullopt;
  KeyType t;
  t.order = it->second;
  if (t.order == KeyOrder::Collated) {
    // A CHAR/VARCHAR of the binary charset compares its bytes.
    if (charset == "binary" || charset.empty()) {
      t.order = KeyOrder::Binary;
    } else {
      if (collation.empty()) return std::nullopt;
      t.charset = charset;
      t.collation = collation;
    }
  }
  return t;
}

std::optional<TypeInfo> type_info(const std::string& data_type, bool is_unsigned, bool binary) {
  static const std::map<std::string, uint8_t> integers = {
      {"tinyint", 1}, {"smallint", 2}, {"mediumint", 9}, {"int", 3}, {"integer", 3}, {"bigint", 8}};
  if (auto it = integers.find(data_type); it != integers.end()) {
    return TypeInfo{is_unsigned ? CellKind::Uint : CellKind::Int, it->second};
  }
  if (data_type == "float") return TypeInfo{CellKind::Float, 4};
  if (data_type == "double" || data_type == "real") return TypeInfo{CellKind::Double, 5};
  if (data_type == "decimal" || data_type == "numeric") return TypeInfo{CellKind::Decimal, 246};
  if (data_type == "date") return TypeInfo{CellKind::Date, 10};
  if (data_type == "time") return TypeInfo{CellKind::Time, 19};
  if (data_type == "datetime") return TypeInfo{CellKind::Datetime, 18};
  if (data_type == "timestamp") return TypeInfo{CellKind::Timestamp, 17};
  if (data_type == "year") return TypeInfo{CellKind::Year, 13};
  if (data_type == "bit") return TypeInfo{CellKind::Bit, 16};
  if (data_type == "enum") return TypeInfo{CellKind::Enum, 247};
  if (data_type == "set") return TypeInfo{CellKind::Set, 248};
  if (data_type == "json") return TypeInfo{CellKind::Json, 245};
  if (data_type == "char" || data_type == "binary") return TypeInfo{binary ? CellKind::Bytes : CellKind::String, 254};
  if (data_type == "varchar" || data_type == "varbinary") return TypeInfo{binary ? CellKind::Bytes : CellKind::String, 15};
  if (data_type.ends_with("text") || data_type.ends_with("blob")) return TypeInfo{binary ? CellKind::Bytes : CellKind::String, 252};
  static const char* geometry[] = {"geometry", "point", "linestring", "polygon", "multipoint",
                                   "multilinestring", "multipolygon", "geometrycollection", "geomcollection"};
  for (const char* g : geometry) {
    if (data_type == g) return TypeInfo{CellKind::Geometry, 255};
  }
  // MariaDB's INET4, INET6, UUID: their text form is what an INSERT takes back.
  if (data_type == "inet4" || data_type == "inet6" || data_type == "uuid") return TypeInfo{CellKind::String, 254};
  return std::nullopt;
}


std::string DumpTable::qualified() const {
  std::string out;
  out += UpstreamConnection::identifier(schema);
  out.push_back('.');
  out += UpstreamConnection::identifier(table);
  return out;
}

std::string DumpTable::select_list() const {
  std::string out;
  for (uint32_t i : read_columns_) {
    if (!out.empty()) out.push_back(',');
    const DumpColumn& c = columns[i];
    // FLOAT's own text has 6 significant digits; widened to DOUBLE it prints every digit of
    // the stored value, and a DOUBLE prints the shortest text that reads back exactly.
    if (c.kind == CellKind::Float || c.kind == CellKind::Double || c.read_as_index) {
      out += "(";
      out += UpstreamConnection::identifier(c.name);
      out += c.read_as_index ? "+0)" : "+0e0)";
    } else {
      out += UpstreamConnection::identifier(c.name);
    }
  }
  return out;
}

void DumpTable::seal(const std::vector<uint32_t>& primary_key, const std::vector<std::vector<uint32_t>>& unique_keys,
                     const std::vector<std::string>& unique_names, const std::vector<uint8_t>& mysql_types,
                     const std::vector<uint8_t>& flags, const std::vector<uint16_t>& charsets) {
  read_columns_.clear();
  abi_columns_.clear();
  for (uint32_t i = 0; i < columns.size(); ++i) {
    const DumpColumn& c = columns[i];
    if (!c.generated) read_columns_.push_back(i);
    auto& members = member_views_.emplace_back();
    for (const auto& m : c.members) members.push_back(ferry_str{m.data(), static_cast<uint32_t>(m.size())});
    ferry_column col{};
    col.name = {c.name.data(), static_cast<uint32_t>(c.name.size())};
    col.column_type = {c.column_type.data(), static_cast<uint32_t>(c.column_type.size())};
    col.mysql_type = mysql_types[i];
    col.flags = flags[i];
    col.charset = charsets[i];
    col.member_count = static_cast<uint32_t>(members.size());
    col.members = members.data();
    abi_columns_.push_back(col);
  }
  pk_ = primary_key;
  unique_names_ = unique_names;
  unique_columns_ = unique_keys;
  unique_index_.clear();
  for (size_t u = 0; u < unique_columns_.size(); ++u) {
    unique_index_.push_back(ferry_index{{unique_names_[u].data(), static_cast<uint32_t>(unique_names_[u].size())},
                                        static_cast<uint32_t>(unique_columns_[u].size()), unique_columns_[u].data()});
  }
  static constexpr char kPrimary[] = "PRIMARY";
  pk_index_ = ferry_index{{kPrimary, 7}, static_cast<uint32_t>(pk_.size()), pk_.data()};
  abi_.schema = {schema.data(), static_cast<uint32_t>(schema.size())};
  abi_.table = {table.data(), static_cast<uint32_t>(table.size())};
  abi_.version = 1;
  abi_.column_count = static_cast<uint32_t>(abi_columns_.size());
  abi_.columns = abi_columns_.data();
  abi_.primary_key = pk_.empty() ? nullptr : &pk_index_;
  abi_.unique_key_count = static_cast<uint32_t>(unique_index_.size());
  abi_.unique_keys = unique_index_.data();
}

std::optional<UpstreamError> list_tables(UpstreamConnection& conn, const std::vector<std::string>& databases,
                                         const std::vector<std::string>& tables,
                                         std::vector<std::pair<std::string, std::string>>& out) {
  Rows rows;
  if (auto e = conn.query("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'"
                          " ORDER BY TABLE_SCHEMA, TABLE_NAME", rows)) {
    return e;
  }
  out.clear();
  for (const auto& r : rows) {
    const std::string s = r[0].value_or(""), t = r[1].value_or("");
    if (!databases.empty()) {
      if (std::find(databases.begin(), databases.end(), s) == databases.end()) continue;
    } else if (is_system_schema(s)) {
      continue;
    }
    if (!tables.empty() && std::find(tables.begin(), tables.end(), s + "." + t) == tables.end()) continue;
    out.emplace_back(s, t);
  }
  return std::nullopt;
}

std::optional<UpstreamError> read_create_database(UpstreamConnection& conn, const std::string& schema, std::string& out) {
  Rows rows;
  std::string sql = "SHOW CREATE DATABASE ";
  sql += UpstreamConnection::identifier(schema);
  if (auto e = conn.query(sql, rows)) return e;
  if (rows.empty() || rows[0].size() < 2 || !rows[0][1]) return UpstreamError{0, "SHOW CREATE DATABASE returned nothing for " + schema};
  out = *rows[0][1];
  if (out.starts_with("CREATE DATABASE ") && out.find("IF NOT EXISTS") == std::string::npos) {
    out.insert(16, "IF NOT EXISTS ");
  }
  return std::nullopt;
}

std::optional<UpstreamError> read_table(UpstreamConnection& conn, const std::string& schema, const std::string& table,
                                        DumpTable& out) {
  const std::string where = " WHERE TABLE_SCHEMA = " + UpstreamConnection::quote(schema) +
                            " AND TABLE_NAME = " + UpstreamConnection::quote(table);
  const std::string name = schema + "." + table;
  Rows rows;
  if (auto e = conn.query("SELECT c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, co.ID, c.IS_NULLABLE, c.EXTRA, c.COLUMN_KEY,"
                          " c.CHARACTER_SET_NAME, c.COLLATION_NAME"
                          " FROM information_schema.COLUMNS c LEFT JOIN information_schema.COLLATIONS co"
                          " ON co.COLLATION_NAME = c.COLLATION_NAME WHERE c.TABLE_SCHEMA = " +
                              UpstreamConnection::quote(schema) + " AND c.TABLE_NAME = " + UpstreamConnection::quote(table) +
                              " ORDER BY c.ORDINAL_POSITION",
                          rows)) {
    return e;
  }
  if (rows.empty()) return UpstreamError{1146, "table " + name + " has no columns in information_schema (dropped?)"};
  out.schema = schema;
  out.table = table;
  out.columns.clear();
  std::vector<uint8_t> types, flags;
  std::vector<uint16_t> charsets;
  std::vector<bool> not_null;
  std::vector<std::optional<KeyType>> key_types;
  for (const auto& r : rows) {
    DumpColumn c;
    c.name = r[0].value_or("");
    c.column_type = r[1].value_or("");
    const std::string data_type = r[2].value_or("");
    const bool is_unsigned = c.column_type.find("unsigned") != std::string::npos;
    uint16_t charset = 0;
    bool binary = false;
    if (r[3]) {
      charset = static_cast<uint16_t>(std::stoi(*r[3]));
      binary = charset == 63;
    } else if (data_type.find("binary") != std::string::npos || data_type.find("blob") != std::string::npos) {
      charset = 63;
      binary = true;
    }
    const auto info = type_info(data_type, is_unsigned, binary);
    if (!info) {
      return UpstreamError{0, "column " + name + "." + c.name + " has type " + c.column_type +
                                  ", which the dump cannot read exactly yet; leave the table out (tables:) or change its type"};
    }
    c.kind = info->kind;
    if (c.kind == CellKind::Bit) {
      const auto open = c.column_type.find('(');
      c.bit_width = open == std::string::npos ? 1 : static_cast<uint16_t>(std::stoi(c.column_type.substr(open + 1)));
    }
    if (c.kind == CellKind::Enum || c.kind == CellKind::Set) c.members = mysql::parse_enum_members(c.column_type);
    c.read_as_index = c.kind == CellKind::Enum && std::find(c.members.begin(), c.members.end(), "") != c.members.end();
    const std::string extra = r[5].value_or("");
    c.generated = extra.find("GENERATED") != std::string::npos || extra.find("VIRTUAL") != std::string::npos ||
                  extra.find("PERSISTENT") != std::string::npos || extra.find("STORED") != std::string::npos;
    uint8_t f = 0;
    if (is_unsigned) f |= FERRY_COLUMN_UNSIGNED;
    if (r[4].value_or("") == "YES") f |= FERRY_COLUMN_NULLABLE;
    if (binary) f |= FERRY_COLUMN_BINARY;
    if (r[6].value_or("") == "PRI") f |= FERRY_COLUMN_PRIMARY_KEY;
    if (c.generated) f |= FERRY_COLUMN_GENERATED;
    not_null.push_back(r[4].value_or("") != "YES");
    key_types.push_back(chunk_key_type(data_type, r[7].value_or(""), r[8].value_or("")));
    types.push_back(info->mysql_type);
    flags.push_back(f);
    charsets.push_back(charset);
    out.columns.push_back(std::move(c));
  }
  auto position = [&](const std::string& column) -> std::optional<uint32_t> {
    for (uint32_t i = 0; i < out.columns.size(); ++i) {
      if (out.columns[i].name == column) return i;
    }
    return std::nullopt;
  };
  // Keys, primary first, then unique keys by name.
  if (auto e = conn.query("SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS" + where +
                              " AND NON_UNIQUE = 0 ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX",
                          rows)) {
    return e;
  }
  std::vector<uint32_t> pk;
  std::vector<std::vector<uint32_t>> uniques;
  std::vector<std::string> unique_names;
  bool pk_whole_first = false;    // the primary key's first column is indexed whole, not a prefix
  std::vector<bool> whole_first;  // the same, per unique key
  for (const auto& r : rows) {
    const std::string index = r[0].value_or("");
    const auto pos = position(r[1].value_or(""));
    if (!pos) continue;
    const bool whole = !r[2].has_value();  // SUB_PART is set for a prefix
    if (index == "PRIMARY") {
      if (pk.empty()) pk_whole_first = whole;
      pk.push_back(*pos);
      continue;
    }
    if (unique_names.empty() || unique_names.back() != index) {
      unique_names.push_back(index);
      uniques.emplace_back();
      whole_first.push_back(whole);
    }
    uniques.back().push_back(*pos);
  }
  // The chunk key: the column leading the primary key, else the first NOT NULL unique key's,
  // when its values can be cut into ranges (chunk_key_type) by the whole column: a prefix index
  // neither orders nor bounds the column's values. NOT NULL is required (a NULL key would be in
  // no range); the planner checks the rows too.
  out.chunk_key.clear();
  out.chunk_key_type = KeyType{};
  auto choose = [&](uint32_t first, bool whole) {
    if (!whole || !not_null[first] || !key_types[first]) return false;
    out.chunk_key = out.columns[first].name;
    out.chunk_key_type = *key_types[first];
    return true;
  };
  if (!pk.empty()) {
    choose(pk[0], pk_whole_first);
  } else {
    for (size_t u = 0; u < uniques.size(); ++u) {
      const bool all_not_null = std::all_of(uniques[u].begin(), uniques[u].end(), [&](uint32_t i) { return not_null[i]; });
      if (all_not_null && choose(uniques[u][0], whole_first[u])) break;
    }
  }
  if (auto e = conn.query("SELECT TABLE_ROWS, DATA_LENGTH FROM information_schema.TABLES" + where, rows)) return e;
  out.estimated_rows = rows.empty() || !rows[0][0] ? 0 : std::stoull(*rows[0][0]);
  out.estimated_bytes = rows.empty() || !rows[0][1] ? 0 : std::stoull(*rows[0][1]);

  std::string show = "SHOW CREATE TABLE ";
  show += UpstreamConnection::identifier(schema);
  show.push_back('.');
  show += UpstreamConnection::identifier(table);
  if (auto e = conn.query(show, rows)) return e;
  if (rows.empty() || rows[0].size() < 2 || !rows[0][1]) return UpstreamError{0, "SHOW CREATE TABLE returned nothing for " + name};
  out.create_statement = *rows[0][1];
  if (out.create_statement.starts_with("CREATE TABLE ")) out.create_statement.insert(13, "IF NOT EXISTS ");
  out.seal(pk, uniques, unique_names, types, flags, charsets);
  return std::nullopt;
}

}  // namespace ferry::dump
