#include "sql/tsv_rows.hpp"

#include "sql/value_literal.hpp"
#include "sql/value_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace ferry::load {
namespace {

// The bytes LOAD DATA's default format escapes (FIELDS ESCAPED BY '\\', tab and newline as
// separators, and NUL).
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>('\\')] = t[static_cast<unsigned char>('\t')] = t[static_cast<unsigned char>('\n')] = t[0] = true;
  return t;
}();
inline bool needs_escape(char c) { return kNeedsEscape[static_cast<unsigned char>(c)]; }

// Runs of plain bytes are copied whole: this is the load's hottest loop (a third of ferry's CPU
// when it went byte by byte).
void append_escaped(std::string& out, std::string_view s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p < end) {
    const char* run = p;
    while (run < end && !needs_escape(*run)) ++run;
    out.append(p, static_cast<size_t>(run - p));
    if (run == end) break;
    const char c = *run;
    out.push_back('\\');
    out.push_back(c == '\t' ? 't' : c == '\n' ? 'n' : c == '\0' ? '0' : '\\');
    p = run + 1;
  }
}

template <typename T>
void append_number(std::string& out, T v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

TsvRows::TsvRows(const ferry_table_schema& table, std::string_view target_schema, std::string_view target_table)
    : table_(table) {
  tidb::append_identifier(target_, target_schema);
  target_.push_back('.');
  tidb::append_identifier(target_, target_table);
  std::string sets;
  columns_ = "(";
  bool first = true;
  for (uint32_t i = 0; i < table.column_count; ++i) {
    const ferry_column& c = table.columns[i];
    if (c.flags & FERRY_COLUMN_GENERATED) continue;
    if (!first) columns_.push_back(',');
    first = false;
    std::string name;
    tidb::append_identifier(name, std::string_view(c.name.data ? c.name.data : "", c.name.len));
    const bool text_without_charset = c.charset == 0 && (c.mysql_type == 254 || c.mysql_type == 15) &&
                                      !(c.flags & FERRY_COLUMN_BINARY);
    if (c.mysql_type == 16) {  // BIT: the number, through a variable
      const std::string var = "@ferry_v" + std::to_string(i);
      columns_ += var;
      sets += (sets.empty() ? " SET " : ", ") + name + " = CAST(" + var + " AS UNSIGNED)";
    } else if (text_without_charset) {
      // A type whose text is not stored as text (MariaDB's INET4, INET6, UUID): read as
      // binary it would be taken for the raw value, so it goes in as the text it is.
      const std::string var = "@ferry_v" + std::to_string(i);
      columns_ += var;
      sets += (sets.empty() ? " SET " : ", ") + name + " = CONVERT(" + var + " USING utf8mb4)";
    } else {
      columns_ += name;
    }
  }
  columns_ += ")" + sets;
}

const std::string& TsvRows::statement(std::string_view verb) {
  statement_ = "LOAD DATA LOCAL INFILE 'ferry-chunk' " + std::string(verb) + " INTO TABLE " + target_ +
               " CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' " + columns_;
  return statement_;
}

bool TsvRows::append(std::string& out, const ferry_row_event& row, std::string& error) const {
  bool first = true;
  for (uint32_t i = 0; i < table_.column_count; ++i) {
    const ferry_column& c = table_.columns[i];
    if (c.flags & FERRY_COLUMN_GENERATED) continue;
    if (!first) out.push_back('\t');
    first = false;
    const ferry_value& v = row.after[i];
    switch (v.type) {
      case FERRY_VALUE_NULL: out += "\\N"; break;
      case FERRY_VALUE_INT: append_number(out, v.num.i64); break;
      case FERRY_VALUE_YEAR: append_year(out, v.num.i64); break;
      case FERRY_VALUE_UINT:
      case FERRY_VALUE_BIT: append_number(out, v.num.u64); break;
      case FERRY_VALUE_FLOAT:
      case FERRY_VALUE_DOUBLE: {
        if (!std::isfinite(v.num.f64)) {
          error = "a FLOAT/DOUBLE value that is not finite cannot be loaded";
          return false;
        }
        char buf[40];
        const int n = std::snprintf(buf, sizeof buf, "%.17g", v.num.f64);
        out.append(buf, static_cast<size_t>(n));
        break;
      }
      case FERRY_VALUE_ENUM:
        if (v.data != nullptr) append_escaped(out, value_bytes(v));
        else append_number(out, v.num.u64);  // the member's index
        break;
      case FERRY_VALUE_SET:
        if (v.data != nullptr) append_escaped(out, value_bytes(v));
        else append_number(out, v.num.u64);  // the member bitmap
        break;
      default:  // DECIMAL, temporal text, strings, bytes, JSON, geometry: their bytes
        append_escaped(out, value_bytes(v));
        break;
    }
  }
  out.push_back('\n');
  return true;
}

}  // namespace ferry::load
