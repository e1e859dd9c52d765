#include "sql/bulk_rows.hpp"

#include <mysql.h>

#include "sql/value_literal.hpp"
#include "sql/value_text.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace ferry::load {
namespace {

using Kind = BulkBatch::Kind;

// The kind a value binds as; NULL binds as any.
Kind kind_of(const ferry_value& v) {
  switch (v.type) {
    case FERRY_VALUE_NULL: return Kind::Unset;
    case FERRY_VALUE_INT: return Kind::Signed;
    case FERRY_VALUE_UINT:
    case FERRY_VALUE_BIT: return Kind::Unsigned;  // a BIT column stores an integer's bits
    case FERRY_VALUE_FLOAT:
    case FERRY_VALUE_DOUBLE: return Kind::Double;
    default: return Kind::Bytes;  // text, bytes, DECIMAL and temporal text, YEAR, ENUM, SET, JSON, geometry
  }
}

// The same text LOAD DATA gets for these (tsv_rows.cpp), without its escapes.
void append_bytes(std::string& out, const ferry_value& v) {
  char buf[24];
  switch (v.type) {
    case FERRY_VALUE_YEAR: append_year(out, v.num.i64); return;
    case FERRY_VALUE_ENUM:
    case FERRY_VALUE_SET:
      if (v.data != nullptr) {
        out += value_bytes(v);
      } else {  // the member index or bitmap
        const int n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v.num.u64));
        out.append(buf, static_cast<size_t>(n));
      }
      return;
    default: out += value_bytes(v); return;
  }
}

}  // namespace

BulkBatch::BulkBatch(uint32_t columns) : columns_(columns) {}

uint32_t BulkBatch::bind(st_mysql_bind* binds) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    Column& c = columns_[i];
    MYSQL_BIND& b = binds[i];
    std::memset(&b, 0, sizeof b);
    b.u.indicator = c.indicators.data();
    switch (c.kind) {
      case Kind::Signed:
      case Kind::Unsigned:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.is_unsigned = c.kind == Kind::Unsigned;
        b.buffer = c.numbers.data();
        break;
      case Kind::Double:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = c.numbers.data();
        break;
      case Kind::Unset:  // NULL in every row
      case Kind::Bytes:
        c.pointers.resize(rows_);
        for (uint32_t r = 0; r < rows_ && c.kind == Kind::Bytes; ++r) c.pointers[r] = text_.data() + c.offsets[r];
        b.buffer_type = MYSQL_TYPE_BLOB;  // binary: no conversion from the connection's charset
        b.buffer = c.pointers.data();
        c.lengths.resize(rows_);
        b.length = c.lengths.data();
        break;
    }
  }
  return rows_;
}

BulkRows::BulkRows(std::string_view verb, const ferry_table_schema& table, std::string_view target_schema,
                   std::string_view target_table)
    : table_(table) {
  statement_ = std::string(verb) + " INTO ";
  tidb::append_identifier(statement_, target_schema);
  statement_.push_back('.');
  tidb::append_identifier(statement_, target_table);
  std::string values;
  for (uint32_t i = 0; i < table.column_count; ++i) {
    const ferry_column& c = table.columns[i];
    if (c.flags & FERRY_COLUMN_GENERATED) continue;
    statement_ += bound_.empty() ? " (" : ",";
    values += bound_.empty() ? "" : ",";
    tidb::append_identifier(statement_, std::string_view(c.name.data ? c.name.data : "", c.name.len));
    // A type whose text is not stored as text (MariaDB's INET4, INET6, UUID): as binary it
    // would be taken for the raw value, so it goes in as the text it is (as in tsv_rows.cpp).
    const bool text_without_charset = c.charset == 0 && (c.mysql_type == 254 || c.mysql_type == 15) &&
                                      !(c.flags & FERRY_COLUMN_BINARY);
    values += text_without_charset ? "CONVERT(? USING utf8mb4)" : "?";
    bound_.push_back(i);
  }
  statement_ += ") VALUES (" + values + ")";
}

bool BulkRows::append(BulkBatch& batch, const ferry_row_event& row, std::string& error) const {
  error.clear();
  // First whether the row fits the batch's kinds, so that a row goes in whole or not at all.
  for (size_t p = 0; p < bound_.size(); ++p) {
    const ferry_value& v = row.after[bound_[p]];
    const Kind want = kind_of(v);
    if (want == Kind::Double && !std::isfinite(v.num.f64)) {
      error = "a FLOAT/DOUBLE value that is not finite cannot be loaded";
      return false;
    }
    const Kind have = batch.columns_[p].kind;
    if (want != Kind::Unset && have != Kind::Unset && want != have) return false;
    // A column NULL so far takes the row's kind; its earlier rows are NULL in any kind.
    if (want != Kind::Unset && have == Kind::Unset && batch.rows_ > 0) {
      // Bytes columns keep an offset per row, numbers a number: give the NULL rows theirs.
      BulkBatch::Column& c = batch.columns_[p];
      if (want == Kind::Bytes) {
        c.offsets.assign(batch.rows_, 0);
        c.lengths.assign(batch.rows_, 0);
      } else {
        c.numbers.assign(batch.rows_, 0);
      }
    }
  }
  for (size_t p = 0; p < bound_.size(); ++p) {
    const ferry_value& v = row.after[bound_[p]];
    BulkBatch::Column& c = batch.columns_[p];
    const Kind k = kind_of(v);
    if (k != Kind::Unset) c.kind = k;
    c.indicators.push_back(k == Kind::Unset ? STMT_INDICATOR_NULL : STMT_INDICATOR_NONE);
    switch (c.kind) {
      case Kind::Unset: break;
      case Kind::Signed:
      case Kind::Unsigned:
      case Kind::Double: {
        int64_t bits = 0;
        if (k == Kind::Double) std::memcpy(&bits, &v.num.f64, sizeof bits);
        else if (k != Kind::Unset) bits = v.num.i64;  // the union's 8 bytes, signed or not
        c.numbers.push_back(bits);
        batch.bytes_ += sizeof(int64_t) + 1;  // the number, its indicator
        batch.wire_bytes_ += sizeof(int64_t) + 1;
        break;
      }
      case Kind::Bytes: {
        const size_t before = batch.text_.size();
        if (k != Kind::Unset) append_bytes(batch.text_, v);
        c.offsets.push_back(before);
        c.lengths.push_back(static_cast<unsigned long>(batch.text_.size() - before));
        // The bytes, and what each row costs beside them here: offset, length, indicator, pointer.
        batch.bytes_ += batch.text_.size() - before + sizeof(uint64_t) + sizeof(unsigned long) + 1 + sizeof(char*);
        batch.wire_bytes_ += batch.text_.size() - before + 4;  // the bytes, a length of up to 3, the indicator
        break;
      }
    }
  }
  ++batch.rows_;
  return true;
}

}  // namespace ferry::load
