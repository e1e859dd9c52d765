#include "sql/error_value_rows.hpp"

#include <cctype>

namespace ferry::load {
namespace {

constexpr uint8_t kMysqlTypeEnum = 247;

bool is_enum(const ferry_column& c) {
  if (c.mysql_type == kMysqlTypeEnum) return true;
  const std::string_view type(c.column_type.data ? c.column_type.data : "", c.column_type.len);
  if (type.size() < 5) return false;
  std::string head;
  for (char ch : type.substr(0, 5)) head.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  return head == "enum(";
}

bool is_error_value(const ferry_value& v) { return v.type == FERRY_VALUE_ENUM && v.num.u64 == 0; }

}  // namespace

ErrorValueRows::ErrorValueRows(std::string_view verb, const ferry_table_schema& table, std::string_view target_schema,
                               std::string_view target_table, const tidb::CharsetNames& charsets, tidb::LiteralStyle style,
                               size_t statement_bytes)
    : table_(table), builder_(verb, table, target_schema, target_table, charsets, style, statement_bytes) {
  for (uint32_t i = 0; i < table.column_count; ++i) {
    if (!(table.columns[i].flags & FERRY_COLUMN_GENERATED) && is_enum(table.columns[i])) enum_columns_.push_back(i);
  }
}

bool ErrorValueRows::holds_error_value(const ferry_row_event& row) const {
  for (uint32_t i : enum_columns_) {
    if (is_error_value(row.after[i])) return true;
  }
  return false;
}

bool ErrorValueRows::add(const ferry_row_event& row, std::string& error) {
  if (!builder_.add(row, error)) return false;
  ++rows_;
  for (uint32_t i : enum_columns_) {
    if (!is_error_value(row.after[i])) continue;
    const ferry_column& c = table_.columns[i];
    expected_.push_back("Data truncated for column '" + std::string(c.name.data ? c.name.data : "", c.name.len) +
                        "' at row " + std::to_string(rows_));
  }
  return true;
}

LenientStatement ErrorValueRows::take() {
  LenientStatement s{builder_.take(), std::move(expected_)};
  expected_.clear();
  rows_ = 0;
  return s;
}

}  // namespace ferry::load
