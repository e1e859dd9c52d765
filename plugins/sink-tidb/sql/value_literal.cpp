#include "sql/value_literal.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ferry::tidb {

std::string_view CharsetNames::charset_of(uint16_t collation) const {
  auto it = names_.find(collation);
  return it == names_.end() ? std::string_view() : std::string_view(it->second.charset);
}

bool CharsetNames::compares_bytes(uint16_t collation) const {
  if (collation == 63) return true;
  auto it = names_.find(collation);
  if (it == names_.end()) return false;
  const std::string& name = it->second.collation;
  // A *_bin collation pads with spaces ('a' = 'a ') unless it is NO PAD: MariaDB's *_nopad_bin,
  // MySQL 8's utf8mb4_0900_bin.
  return name == "binary" ||
         (name.ends_with("_bin") && (name.find("_nopad_") != std::string::npos || name.ends_with("_0900_bin")));
}

bool CharsetNames::compares_padded_bytes(uint16_t collation) const {
  if (compares_bytes(collation)) return true;
  auto it = names_.find(collation);
  return it != names_.end() && it->second.collation.ends_with("_bin");
}

bool CharsetNames::is_utf8(uint16_t collation) const {
  const std::string_view cs = charset_of(collation);
  return cs == "utf8mb4" || cs == "utf8mb3" || cs == "utf8" || cs == "ascii";
}

void append_identifier(std::string& out, std::string_view name) {
  out.push_back('`');
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
}

void append_quoted(std::string& out, std::string_view s, const LiteralStyle& style) {
  out.reserve(out.size() + s.size() + 2);
  out.push_back('\'');
  for (char c : s) {
    if (c == '\'') {
      out += "''";
      continue;
    }
    if (!style.no_backslash_escapes) {
      switch (c) {
        case '\\': out += "\\\\"; continue;
        case '\0': out += "\\0"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\032': out += "\\Z"; continue;
        default: break;
      }
    }
    out.push_back(c);
  }
  out.push_back('\'');
}

void append_hex(std::string& out, std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out.reserve(out.size() + 2 * bytes.size() + 3);
  out += "X'";
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  out.push_back('\'');
}

namespace {

template <typename T>
void append_number(std::string& out, T v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

std::string_view text_of(const ferry_value& v) { return std::string_view(v.data ? v.data : "", v.len); }

}  // namespace

bool append_literal(std::string& out, const ferry_value& v, const ferry_column& column, const CharsetNames& charsets,
                    const LiteralStyle& style, std::string& error) {
  switch (v.type) {
    case FERRY_VALUE_NULL:
      out += "NULL";
      return true;
    case FERRY_VALUE_INT:
    case FERRY_VALUE_YEAR:
      append_number(out, v.num.i64);
      return true;
    case FERRY_VALUE_UINT:
    case FERRY_VALUE_BIT:
    case FERRY_VALUE_SET:  // the member bitmap: exact whatever the members' names
      append_number(out, v.num.u64);
      return true;
    case FERRY_VALUE_FLOAT:
    case FERRY_VALUE_DOUBLE: {
      if (!std::isfinite(v.num.f64)) {
        error = "a FLOAT/DOUBLE value that is not finite has no SQL literal";
        return false;
      }
      // 17 significant digits name the double exactly; the exponent makes the server parse a
      // DOUBLE (a plain 1.5 would be an exact DECIMAL rounded again on the way to FLOAT).
      char buf[40];
      const int n = std::snprintf(buf, sizeof buf, "%.17e", v.num.f64);
      out.append(buf, static_cast<size_t>(n));
      return true;
    }
    case FERRY_VALUE_DECIMAL:
      out += text_of(v);
      return true;
    case FERRY_VALUE_DATE:
    case FERRY_VALUE_TIME:
    case FERRY_VALUE_DATETIME:
    case FERRY_VALUE_TIMESTAMP:  // UTC text; the session's time_zone is +00:00
      append_quoted(out, text_of(v), style);
      return true;
    case FERRY_VALUE_ENUM:
      // The member's name when it is UTF-8 text; else its index, exact whatever the charset. The
      // error value (index 0, '') by its index too: '' names a member '' where there is one.
      if (v.data != nullptr && !(v.num.u64 == 0 && v.len == 0) && (column.charset == 0 || charsets.is_utf8(column.charset))) {
        append_quoted(out, text_of(v), style);
      } else {
        append_number(out, v.num.u64);  // the 1-based member index
      }
      return true;
    case FERRY_VALUE_JSON:
      append_quoted(out, text_of(v), style);  // JSON text is UTF-8
      return true;
    case FERRY_VALUE_STRING: {
      const std::string_view s = text_of(v);
      if (column.charset == 0 || charsets.is_utf8(column.charset)) {
        append_quoted(out, s, style);
        return true;
      }
      const std::string_view cs = charsets.charset_of(column.charset);
      if (!cs.empty() && cs != "binary") {
        out.push_back('_');
        out += cs;
        out.push_back(' ');
      }
      append_hex(out, s);
      return true;
    }
    case FERRY_VALUE_BYTES: {
      // BINARY(N): the binlog dropped the trailing 0x00 bytes; the stored value has them, and a
      // WHERE on the short value would not find the row.
      const std::string_view type(column.column_type.data ? column.column_type.data : "", column.column_type.len);
      if (type.size() > 7 && (type.starts_with("BINARY(") || type.starts_with("binary("))) {
        size_t width = 0;
        std::from_chars(type.data() + 7, type.data() + type.size(), width);
        if (width > v.len) {
          std::string padded(text_of(v));
          padded.resize(width, '\0');
          append_hex(out, padded);
          return true;
        }
      }
      append_hex(out, text_of(v));
      return true;
    }
    case FERRY_VALUE_GEOMETRY:
      append_hex(out, text_of(v));
      return true;
    default:
      error = "a value of unknown type " + std::to_string(v.type);
      return false;
  }
}

}  // namespace ferry::tidb
