#include "chunk/key_bound.hpp"

#include <ferry/sdk/stable_hash.hpp>

#include <algorithm>
#include <array>

namespace ferry::dump {
namespace {

constexpr std::array<std::pair<KeyOrder, const char*>, 7> kOrderNames = {{{KeyOrder::Integer, "integer"},
                                                                          {KeyOrder::Collated, "collated"},
                                                                          {KeyOrder::Binary, "binary"},
                                                                          {KeyOrder::Decimal, "decimal"},
                                                                          {KeyOrder::Date, "date"},
                                                                          {KeyOrder::Datetime, "datetime"},
                                                                          {KeyOrder::Time, "time"}}};

// Charset and collation names go into SQL unquoted (they cannot be quoted there).
bool is_sql_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "-12.5000": what the server prints for a DECIMAL, and an exact DECIMAL literal as it is.
bool is_decimal_text(const std::string& s) {
  size_t i = s.starts_with('-') ? 1 : 0;
  const size_t int_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == int_start) return false;
  if (i == s.size()) return true;
  if (s[i] != '.') return false;
  const size_t frac_start = ++i;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i == s.size() && i > frac_start;
}

// What the server prints for DATE, DATETIME, TIMESTAMP and TIME: digits and - : . and space.
bool is_temporal_text(const std::string& s) {
  return !s.empty() && (is_digit(s[0]) || s[0] == '-') &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == '-' || c == ':' || c == '.' || c == ' '; });
}

}  // namespace

std::string key_text(KeyValue v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  // Work on the negative side: it holds the most negative value too.
  std::string digits;
  KeyValue n = negative ? v : -v;
  while (n != 0) {
    digits.push_back(static_cast<char>('0' - static_cast<int>(n % 10)));
    n /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::optional<KeyValue> parse_key(const std::string& text) {
  if (text.empty() || text.size() > 40) return std::nullopt;
  size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative || text[0] == '+') i = 1;
  if (i == text.size()) return std::nullopt;
  KeyValue v = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (negative ? -(text[i] - '0') : (text[i] - '0'));
  }
  return v;
}

std::string KeyType::name() const {
  std::string out;
  for (const auto& [order_value, text] : kOrderNames) {
    if (order_value == order) out = text;
  }
  if (order == KeyOrder::Collated) out += " " + charset + " " + collation;
  return out;
}

std::optional<KeyType> parse_key_type(const std::string& name) {
  const auto space = name.find(' ');
  const std::string head = name.substr(0, space);
  for (const auto& [order, text] : kOrderNames) {
    if (head != text) continue;
    KeyType t;
    t.order = order;
    if (order != KeyOrder::Collated) return space == std::string::npos ? std::optional<KeyType>(t) : std::nullopt;
    if (space == std::string::npos) return std::nullopt;
    const auto second = name.find(' ', space + 1);
    if (second == std::string::npos) return std::nullopt;
    t.charset = name.substr(space + 1, second - space - 1);
    t.collation = name.substr(second + 1);
    if (!is_sql_name(t.charset) || !is_sql_name(t.collation)) return std::nullopt;
    return t;
  }
  return std::nullopt;
}

std::optional<std::string> bound_literal(const KeyType& type, const KeyBound& bound) {
  if (type.integer()) {
    if (!std::holds_alternative<KeyValue>(bound)) return std::nullopt;
    return key_text(std::get<KeyValue>(bound));
  }
  if (!std::holds_alternative<std::string>(bound)) return std::nullopt;
  const std::string& value = std::get<std::string>(bound);
  switch (type.order) {
    case KeyOrder::Collated:
      // The introducer keeps the bytes as they are (no conversion from the connection's charset);
      // the COLLATE makes a comparison with the column, and between two bounds, the column's.
      if (!is_sql_name(type.charset) || !is_sql_name(type.collation)) return std::nullopt;
      return "_" + type.charset + " X'" + to_hex(value) + "' COLLATE " + type.collation;
    case KeyOrder::Binary:
      return "X'" + to_hex(value) + "'";
    case KeyOrder::Decimal:
      // Unquoted: a quoted number would be compared with a DECIMAL as a DOUBLE, inexactly.
      if (!is_decimal_text(value)) return std::nullopt;
      return value;
    case KeyOrder::Date:
    case KeyOrder::Datetime:
    case KeyOrder::Time: {
      // Typed, so that two bounds compare as times too (as strings, '-2:00' < '-1:00' is wrong).
      if (!is_temporal_text(value)) return std::nullopt;
      const char* as = type.order == KeyOrder::Date ? "DATE" : type.order == KeyOrder::Time ? "TIME(6)" : "DATETIME(6)";
      return "CAST('" + value + "' AS " + as + ")";
    }
    case KeyOrder::Integer:
      break;
  }
  return std::nullopt;
}

std::string bound_display(const KeyBound& bound) {
  if (std::holds_alternative<KeyValue>(bound)) return key_text(std::get<KeyValue>(bound));
  const std::string& value = std::get<std::string>(bound);
  constexpr size_t kShownBytes = 40;
  if (value.size() <= kShownBytes && is_temporal_text(value)) return "'" + value + "'";
  if (value.size() <= kShownBytes) return "x'" + to_hex(value) + "'";
  uint64_t h = sdk::stable_hash(value);
  std::string hash(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) hash[i] = "0123456789abcdef"[h & 0xF];
  return "x'" + to_hex(value.substr(0, kShownBytes)) + "..'#" + hash;
}

std::string to_hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

std::optional<std::string> from_hex(const std::string& hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

}  // namespace ferry::dump
