#include "sql/insert_builder.hpp"

namespace ferry::load {

InsertBuilder::InsertBuilder(std::string_view verb, const ferry_table_schema& table, std::string_view target_schema,
                             std::string_view target_table, const tidb::CharsetNames& charsets, tidb::LiteralStyle style,
                             size_t statement_bytes)
    : verb_(verb), target_table_(target_table), table_(table), charsets_(charsets), style_(style), limit_(statement_bytes) {
  head_ = std::string(verb) + " INTO ";
  tidb::append_identifier(head_, target_schema);
  head_.push_back('.');
  tidb::append_identifier(head_, target_table);
  head_ += " (";
  bool first = true;
  for (uint32_t i = 0; i < table.column_count; ++i) {
    const ferry_column& c = table.columns[i];
    if (c.flags & FERRY_COLUMN_GENERATED) continue;
    if (!first) head_.push_back(',');
    first = false;
    tidb::append_identifier(head_, std::string_view(c.name.data ? c.name.data : "", c.name.len));
  }
  head_ += ") VALUES ";
}

void InsertBuilder::omit_schema() {
  const auto columns = head_.find(" (");
  std::string head = verb_ + " INTO ";
  tidb::append_identifier(head, target_table_);
  head_ = head + head_.substr(columns);
}

bool InsertBuilder::add(const ferry_row_event& row, std::string& error) {
  if (sql_.empty()) {
    sql_.reserve(limit_ + limit_ / 8);
    sql_ = head_;
  } else {
    sql_.push_back(',');
  }
  sql_.push_back('(');
  bool first = true;
  for (uint32_t i = 0; i < table_.column_count; ++i) {
    const ferry_column& c = table_.columns[i];
    if (c.flags & FERRY_COLUMN_GENERATED) continue;
    if (!first) sql_.push_back(',');
    first = false;
    if (introduce_ && c.charset == 0 && row.after[i].type == FERRY_VALUE_STRING) sql_ += "_utf8mb4";
    if (!tidb::append_literal(sql_, row.after[i], c, charsets_, style_, error)) {
      error = "column " + std::string(c.name.data ? c.name.data : "", c.name.len) + ": " + error;
      return false;
    }
  }
  sql_.push_back(')');
  ++rows_;
  return true;
}

std::string InsertBuilder::take() {
  std::string out;
  out.swap(sql_);
  return out;
}

}  // namespace ferry::load
