#include "source/table_schemas.hpp"

#include "binlog/column_type.hpp"

namespace ferry::mysql {
namespace {

ferry_str str(const std::string& s) { return {s.data(), static_cast<uint32_t>(s.size())}; }

// Everything about a table map that the schema object reflects.
// Whether `m` describes the shape `o` was made from: every column's binlog type and metadata,
// name, signedness, charset, nullability, members and generation, and the keys. Compared field by
// field: this runs for every rows event.
bool same_shape(const TableMap& shape, const TableMap& m) {
  if (shape.columns.size() != m.columns.size() || shape.primary_key != m.primary_key ||
      shape.unique_keys.size() != m.unique_keys.size()) {
    return false;
  }
  for (size_t i = 0; i < m.columns.size(); ++i) {
    const ColumnInfo& a = shape.columns[i];
    const ColumnInfo& b = m.columns[i];
    if (a.type != b.type || a.metadata != b.metadata || a.is_unsigned.value_or(false) != b.is_unsigned.value_or(false) ||
        a.charset.value_or(0) != b.charset.value_or(0) || a.nullable != b.nullable || a.generated != b.generated ||
        a.name != b.name || a.members != b.members) {
      return false;
    }
  }
  for (size_t i = 0; i < m.unique_keys.size(); ++i) {
    if (shape.unique_keys[i].name != m.unique_keys[i].name || shape.unique_keys[i].columns != m.unique_keys[i].columns) {
      return false;
    }
  }
  return true;
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
  if (last_ != nullptr && last_->shape.schema == map.schema && last_->shape.table == map.table && same_shape(last_->shape, map)) {
    return last_->abi;  // the table of the previous rows event, as is usual
  }
  const std::string key = map.schema + "." + map.table;
  auto it = latest_.find(key);
  if (it != latest_.end() && same_shape(it->second->shape, map)) {
    last_ = it->second;
    return last_->abi;
  }

  Owned& o = owned_.emplace_back();
  o.shape.schema = map.schema;
  o.shape.table = map.table;
  o.shape.columns = map.columns;
  o.shape.primary_key = map.primary_key;
  o.shape.unique_keys = map.unique_keys;
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
  last_ = &o;
  return o.abi;
}

}  // namespace ferry::mysql
