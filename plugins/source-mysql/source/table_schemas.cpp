#include "source/table_schemas.hpp"

#include "binlog/column_type.hpp"

namespace ferry::mysql {
namespace {

ferry_str str(const std::string& s) { return {s.data(), static_cast<uint32_t>(s.size())}; }

// Everything about a table map that the schema object reflects.
std::string fingerprint(const TableMap& m) {
  std::string f;
  for (const auto& c : m.columns) {
    f += std::to_string(c.type) + ":" + std::to_string(c.metadata) + ":" + c.name + ":" +
         std::to_string(c.is_unsigned.value_or(false)) + ":" + std::to_string(c.charset.value_or(0)) + ":" +
         std::to_string(c.nullable) + ":" + std::to_string(c.members.size()) + ":" + std::to_string(c.generated) + ";";
  }
  for (uint32_t k : m.primary_key) f += "pk" + std::to_string(k);
  for (const auto& uk : m.unique_keys) {
    f += "uk" + uk.name;
    for (uint32_t k : uk.columns) f += "," + std::to_string(k);
  }
  return f;
}

std::string type_text(const ColumnInfo& c) {
  // BINARY(N) says its width: the binlog drops a value's trailing 0x00 bytes, which a sink must
  // put back to address the row.
  if (c.type == column_type::kString && c.charset.value_or(0) == 63) return "BINARY(" + std::to_string(c.max_length) + ")";
  std::string t = column_type_name(c.type);
  if (c.type == column_type::kNewDecimal) t += "(" + std::to_string(c.precision) + "," + std::to_string(c.scale) + ")";
  if (c.is_unsigned.value_or(false)) t += " UNSIGNED";
  return t;
}

}  // namespace

const ferry_table_schema& TableSchemas::schema_for(const TableMap& map) {
  const std::string key = map.schema + "." + map.table;
  const std::string fp = fingerprint(map);
  auto it = latest_.find(key);
  if (it != latest_.end() && it->second->fingerprint == fp) return it->second->abi;

  Owned& o = owned_.emplace_back();
  o.fingerprint = fp;
  o.schema_name = map.schema;
  o.table_name = map.table;
  const size_t n = map.columns.size();
  o.names.resize(n);
  o.types.resize(n);
  o.member_text.resize(n);
  o.members.resize(n);
  o.columns.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const ColumnInfo& c = map.columns[i];
    o.names[i] = c.name;
    o.types[i] = type_text(c);
    o.member_text[i] = c.members;
    for (const auto& m : o.member_text[i]) o.members[i].push_back(str(m));
    ferry_column& col = o.columns[i];
    col.name = str(o.names[i]);
    col.column_type = str(o.types[i]);
    col.mysql_type = c.type;
    col.flags = static_cast<uint8_t>((c.is_unsigned.value_or(false) ? FERRY_COLUMN_UNSIGNED : 0) |
                                     (c.nullable ? FERRY_COLUMN_NULLABLE : 0) |
                                     (c.charset.value_or(0) == 63 ? FERRY_COLUMN_BINARY : 0) |
                                     (c.generated ? FERRY_COLUMN_GENERATED : 0));
    col.charset = c.charset.value_or(0);
    col.member_count = static_cast<uint32_t>(o.members[i].size());
    col.members = o.members[i].empty() ? nullptr : o.members[i].data();
  }
  for (uint32_t k : map.primary_key) {
    o.pk_columns.push_back(k);
    o.columns[k].flags |= FERRY_COLUMN_PRIMARY_KEY;
  }
  o.unique_names.reserve(map.unique_keys.size());
  o.unique_columns.reserve(map.unique_keys.size());
  for (const auto& uk : map.unique_keys) {
    o.unique_names.push_back(uk.name);
    o.unique_columns.push_back(uk.columns);
  }
  for (size_t i = 0; i < o.unique_names.size(); ++i) {
    o.unique.push_back({str(o.unique_names[i]), static_cast<uint32_t>(o.unique_columns[i].size()), o.unique_columns[i].data()});
  }
  o.abi.unique_key_count = static_cast<uint32_t>(o.unique.size());
  o.abi.unique_keys = o.unique.empty() ? nullptr : o.unique.data();
  o.abi.schema = str(o.schema_name);
  o.abi.table = str(o.table_name);
  o.abi.version = it == latest_.end() ? 1 : it->second->abi.version + 1;
  o.abi.column_count = static_cast<uint32_t>(n);
  o.abi.columns = o.columns.data();
  if (!o.pk_columns.empty()) {
    o.pk = {{"PRIMARY", 7}, static_cast<uint32_t>(o.pk_columns.size()), o.pk_columns.data()};
    o.abi.primary_key = &o.pk;
  }
  latest_[key] = &o;
  return o.abi;
}

}  // namespace ferry::mysql
