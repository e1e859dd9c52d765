#include "verify/sql_text.hpp"

#include <cctype>

namespace ferry::verify {

std::string sql_identifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

std::string sql_bytes(std::string_view bytes) { return "X'" + hex(bytes) + "'"; }

std::string sql_string(std::string_view text) {
  for (unsigned char c : text) {
    if (!std::isalnum(c) && c != ' ' && c != '-' && c != ':' && c != '.' && c != '_') {
      return "_utf8mb4 " + sql_bytes(text);
    }
  }
  return "'" + std::string(text) + "'";
}

bool is_sql_number(std::string_view text) {
  if (text.empty()) return false;
  bool digit = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if ((c == '-' || c == '+') && (i == 0 || text[i - 1] == 'e' || text[i - 1] == 'E')) {
    } else if (c != '.' && c != 'e' && c != 'E') {
      return false;
    }
  }
  return digit;
}

}  // namespace ferry::verify
