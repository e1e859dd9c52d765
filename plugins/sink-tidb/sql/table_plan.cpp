#include "sql/table_plan.hpp"

#include <ferry/sdk/events.hpp>


namespace ferry::tidb {

namespace {

bool all_not_null(const ferry_index& index, const ferry_table_schema& table) {
  for (uint32_t i = 0; i < index.column_count; ++i) {
    if (table.columns[index.columns[i]].flags & FERRY_COLUMN_NULLABLE) return false;
  }
  return index.column_count > 0;
}

std::vector<uint32_t> positions(const ferry_index& index) {
  return std::vector<uint32_t>(index.columns, index.columns + index.column_count);
}

bool is_text(const ferry_column& c) {
  switch (c.mysql_type) {
    case 15: case 253: case 254:           // VARCHAR, VAR_STRING, STRING (CHAR)
    case 249: case 250: case 251: case 252: // BLOB family (TEXT when not binary)
    case 140: case 141:                    // MariaDB's BLOB/TEXT and VARCHAR COMPRESSED
    case 247: case 248:                    // ENUM, SET
      return (c.flags & FERRY_COLUMN_BINARY) == 0 && c.charset != 63;
    default:
      return false;
  }
}

}  // namespace

std::unique_ptr<TablePlan> make_table_plan(uint32_t id, const ferry_table_schema& table, std::string_view target_schema,
                                           std::string_view target_table, const CharsetNames& charsets) {
  auto owned = std::make_unique<TablePlan>();
  TablePlan& plan = *owned;
  plan.id = id;
  plan.target_schema = std::string(target_schema);
  plan.target_table = std::string(target_table);
  append_identifier(plan.target, target_schema);
  plan.target.push_back('.');
  append_identifier(plan.target, target_table);
  plan.source_schema = std::string(sdk::view(table.schema));
  plan.source_table = std::string(sdk::view(table.table));
  plan.source = plan.source_schema + "." + plan.source_table;

  auto keep = [&](ferry_str s) -> ferry_str {
    const std::string& k = plan.owned_strings.emplace_back(sdk::view(s));
    return ferry_str{k.data(), static_cast<uint32_t>(k.size())};
  };
  plan.all_columns = "(";
  plan.owned_members.resize(table.column_count);
  for (uint32_t i = 0; i < table.column_count; ++i) {
    const ferry_column& c = table.columns[i];
    PlanColumn pc;
    pc.column = c;
    pc.column.name = keep(c.name);
    pc.column.column_type = keep(c.column_type);
    for (uint32_t m = 0; m < c.member_count; ++m) plan.owned_members[i].push_back(keep(c.members[m]));
    pc.column.members = plan.owned_members[i].data();
    const std::string_view name = sdk::view(c.name);
    append_identifier(pc.quoted, name.empty() ? "@" + std::to_string(i + 1) : std::string(name));
    pc.compares_bytes = !is_text(c) || charsets.compares_bytes(c.charset);
    pc.compares_padded_bytes = !is_text(c) || charsets.compares_padded_bytes(c.charset);
    if (i > 0) plan.all_columns.push_back(',');
    plan.all_columns += pc.quoted;
    plan.columns.push_back(std::move(pc));
  }
  plan.all_columns.push_back(')');

  if (table.primary_key != nullptr && table.primary_key->column_count > 0) {
    plan.key = RowKey::Primary;
    plan.key_columns = positions(*table.primary_key);
    plan.causality_indexes.push_back(plan.key_columns);
  }
  for (uint32_t u = 0; u < table.unique_key_count; ++u) {
    const ferry_index& uk = table.unique_keys[u];
    if (uk.column_count == 0) continue;
    if (plan.key == RowKey::AllColumns && all_not_null(uk, table)) {
      plan.key = RowKey::Unique;
      plan.key_columns = positions(uk);
    }
    plan.causality_indexes.push_back(positions(uk));
  }
  plan.partial_index.assign(plan.causality_indexes.size(), false);
  if (!plan.key_columns.empty()) {
    const bool many = plan.key_columns.size() > 1;
    if (many) plan.key_list.push_back('(');
    for (size_t i = 0; i < plan.key_columns.size(); ++i) {
      if (i > 0) plan.key_list.push_back(',');
      plan.key_list += plan.columns[plan.key_columns[i]].quoted;
    }
    if (many) plan.key_list.push_back(')');
  }
  return owned;
}

}  // namespace ferry::tidb
