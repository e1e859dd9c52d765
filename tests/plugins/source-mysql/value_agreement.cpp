#include "value_agreement.hpp"

#include "binlog/column_compression.hpp"

#include <ferry/sdk/events.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>

namespace ferry::mysql::agreement {
namespace {

// The column families mariadb-binlog's type names stand for.
enum class Family { Integer, Decimal, Float, Double, Bit, Year, Date, Datetime, Time, Timestamp, Enum, Set, Bytes, Geometry, Unknown };

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Type names as log_event_print_value writes them.
Family family_of(std::string_view type) {
  if (type == "TINYINT" || type == "SHORTINT" || type == "MEDIUMINT" || type == "INT" || type == "LONGINT") {
    return Family::Integer;
  }
  if (starts_with(type, "DECIMAL(")) return Family::Decimal;
  if (type == "FLOAT") return Family::Float;
  if (type == "DOUBLE") return Family::Double;
  if (starts_with(type, "BIT(")) return Family::Bit;
  if (type == "YEAR") return Family::Year;
  if (type == "DATE") return Family::Date;
  if (type == "DATETIME" || starts_with(type, "DATETIME(")) return Family::Datetime;
  if (type == "TIME" || starts_with(type, "TIME(")) return Family::Time;
  if (type == "TIMESTAMP" || starts_with(type, "TIMESTAMP(")) return Family::Timestamp;
  if (starts_with(type, "ENUM(")) return Family::Enum;
  if (starts_with(type, "SET(")) return Family::Set;
  if (starts_with(type, "STRING(") || starts_with(type, "VARSTRING(") || type.find("BLOB/") != std::string_view::npos) {
    return Family::Bytes;
  }
  if (type == "GEOMETRY") return Family::Geometry;
  return Family::Unknown;
}

template <typename T>
std::optional<T> number(std::string_view s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string_view> unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '\'' || s.back() != '\'') return std::nullopt;
  return s.substr(1, s.size() - 2);
}

// b'0101...' -> its bits, most significant first.
std::optional<std::string_view> bit_digits(std::string_view s) {
  if (s.size() < 3 || !starts_with(s, "b'") || s.back() != '\'') return std::nullopt;
  std::string_view bits = s.substr(2, s.size() - 3);
  if (bits.find_first_not_of("01") != std::string_view::npos) return std::nullopt;
  return bits;
}

// The "n" of "BIT(n)", "SET(n bytes)".
std::optional<unsigned> width_in(std::string_view type) {
  const size_t open = type.find('(');
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view rest = type.substr(open + 1);
  return number<unsigned>(rest.substr(0, rest.find_first_of(" )")));
}

std::string text_of(const DecodedValue& v) { return v.bytes; }

// "YYYY-MM-DD hh:mm:ss[.f]" in UTC -> "seconds[.f]" since the epoch, as mariadb-binlog prints a
// TIMESTAMP; the zero timestamp is 0.
std::optional<std::string> epoch_text(std::string_view utc) {
  if (utc.size() < 19) return std::nullopt;
  std::string whole(utc.substr(0, 19));
  std::string_view fraction = utc.substr(19);
  std::tm tm{};
  if (std::sscanf(whole.c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  std::string out;
  if (whole == "0000-00-00 00:00:00") {
    out = "0";
  } else {
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    out = std::to_string(static_cast<long long>(timegm(&tm)));
  }
  out += fraction;
  return out;
}

std::string hex(std::string_view bytes, size_t limit = 64) {
  static const char* kDigits = "0123456789abcdef";
  std::string out = "x'";
  for (size_t i = 0; i < bytes.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  out += bytes.size() > limit ? "...' (" + std::to_string(bytes.size()) + " bytes)" : "'";
  return out;
}

std::string shorten(std::string s, size_t limit = 160) {
  if (s.size() > limit) s = s.substr(0, limit) + "... (" + std::to_string(s.size()) + " bytes)";
  return s;
}


// The ferry value types a column of `family` may decode to.
bool type_fits(Family family, uint8_t type) {
  switch (family) {
    case Family::Integer: return type == FERRY_VALUE_INT || type == FERRY_VALUE_UINT;
    case Family::Decimal: return type == FERRY_VALUE_DECIMAL;
    case Family::Float: return type == FERRY_VALUE_FLOAT;
    case Family::Double: return type == FERRY_VALUE_DOUBLE;
    case Family::Bit: return type == FERRY_VALUE_BIT;
    case Family::Year: return type == FERRY_VALUE_YEAR;
    case Family::Date: return type == FERRY_VALUE_DATE;
    case Family::Datetime: return type == FERRY_VALUE_DATETIME;
    case Family::Time: return type == FERRY_VALUE_TIME;
    case Family::Timestamp: return type == FERRY_VALUE_TIMESTAMP;
    case Family::Enum: return type == FERRY_VALUE_ENUM;
    case Family::Set: return type == FERRY_VALUE_SET;
    case Family::Bytes: return type == FERRY_VALUE_STRING || type == FERRY_VALUE_BYTES;
    case Family::Geometry: return type == FERRY_VALUE_GEOMETRY;
    case Family::Unknown: return false;
  }
  return false;
}

bool is_compressed_column(std::string_view type) { return type.ends_with(" COMPRESSED"); }

// mariadb-binlog printed the stored bytes of a compressed column: decoded, they must be ferry's.
std::string compare_compressed(const DecodedValue& value, const PrintedValue& printed) {
  const auto stored = unquote_mariadb_binlog(printed.text);
  if (!stored) return "mariadb-binlog's value is not quoted";
  CompressedColumnValue v;
  std::string error;
  if (!read_compressed_column(*stored, std::numeric_limits<uint64_t>::max(), v, error)) {
    return "mariadb-binlog's stored bytes do not decode: " + error;
  }
  std::string held(v.bytes);
  if (!v.stored_as_is) {
    held.assign(v.length, '\0');
    if (!inflate_compressed_column(v, held.data(), error)) return "mariadb-binlog's stored bytes do not inflate: " + error;
  }
  if (held == value.bytes) return {};
  return std::string("the values differ (mariadb-binlog's stored ") + (v.stored_as_is ? "as is" : "compressed") +
         ", decoding to " + hex(held) + ")";
}

// Compares the value itself, both sides being non-NULL and of fitting types. Returns why they
// differ, or empty.
std::string compare_content(Family family, const DecodedValue& value, const PrintedValue& printed) {
  const ferry_value& v = value.value;
  const std::string& p = printed.text;
  const std::string unreadable = "mariadb-binlog's value is not a " + printed.type + " as expected";
  switch (family) {
    case Family::Integer: {
      // "X" or "X (Y)": X the signed reading; Y, when present, the unsigned one.
      const size_t space = p.find(" (");
      const auto as_signed = number<int64_t>(std::string_view(p).substr(0, space));
      std::optional<uint64_t> as_unsigned;
      if (space != std::string::npos && p.back() == ')') {
        as_unsigned = number<uint64_t>(std::string_view(p).substr(space + 2, p.size() - space - 3));
      } else if (as_signed && *as_signed >= 0) {
        as_unsigned = static_cast<uint64_t>(*as_signed);
      }
      if (!as_signed || !as_unsigned) return unreadable;
      if (v.type == FERRY_VALUE_INT && v.num.i64 != *as_signed) return "the signed readings differ";
      if (v.type == FERRY_VALUE_UINT && v.num.u64 != *as_unsigned) return "the unsigned readings differ";
      return {};
    }
    case Family::Decimal:
      return text_of(value) == p ? "" : "the decimals differ";
    case Family::Float: {
      char* end = nullptr;
      const double printed_value = std::strtod(p.c_str(), &end);
      if (end != p.c_str() + p.size()) return unreadable;
      // "%g" keeps 6 significant digits: the print is within half a unit of the sixth digit of
      // the stored float (the larger magnitude decides that digit when rounding crossed a power
      // of ten, as 9.999996 printing "10" does).
      const double magnitude = std::max(std::fabs(printed_value), std::fabs(v.num.f64));
      if (magnitude == 0) return {};
      const double half_unit = 0.5 * std::pow(10.0, std::floor(std::log10(magnitude)) - 5);
      return std::fabs(printed_value - v.num.f64) <= half_unit * (1 + 1e-9) ? "" : "the floats differ beyond %g's 6 digits";
    }
    case Family::Double: {
      char* end = nullptr;
      const double printed_value = std::strtod(p.c_str(), &end);
      if (end != p.c_str() + p.size()) return unreadable;
      return printed_value == v.num.f64 ? "" : "the doubles differ (20 printed digits read back exactly)";
    }
    case Family::Bit: {
      const auto bits = bit_digits(p);
      const auto width = width_in(printed.type);
      if (!bits || !width || bits->size() != *width) return unreadable;
      const uint64_t printed_value = std::stoull(std::string(*bits), nullptr, 2);
      if (v.len != *width) return "ferry's BIT width is " + std::to_string(v.len);
      return printed_value == v.num.u64 ? "" : "the bits differ";
    }
    case Family::Year: {
      const auto year = number<int64_t>(p);
      if (!year) return unreadable;
      // mariadb-binlog adds 1900 to the stored byte even for 0, the year 0000; YEAR cannot hold
      // 1900 itself.
      const int64_t printed_value = *year == 1900 ? 0 : *year;
      if (printed_value == v.num.i64) return {};
      return *year == 1900 ? "the years differ (mariadb-binlog prints the year 0000 as 1900)" : "the years differ";
    }
    case Family::Date: {
      const auto quoted = unquote(p);
      if (!quoted || quoted->size() != 10) return unreadable;
      std::string date(*quoted);
      date[4] = '-';
      date[7] = '-';
      return text_of(value) == date ? "" : "the dates differ";
    }
    case Family::Datetime:
    case Family::Time: {
      const auto quoted = unquote(p);
      if (!quoted) return unreadable;
      return text_of(value) == *quoted ? "" : "the texts differ";
    }
    case Family::Timestamp: {
      const auto epoch = epoch_text(text_of(value));
      if (!epoch) return "ferry's TIMESTAMP text is not YYYY-MM-DD hh:mm:ss[.f]";
      return *epoch == p ? "" : "the instants differ (ferry's as epoch: " + *epoch + ")";
    }
    case Family::Enum: {
      const auto index = number<uint64_t>(p);
      if (!index) return unreadable;
      return *index == v.num.u64 ? "" : "the ENUM indexes differ";
    }
    case Family::Set: {
      const auto bits = bit_digits(p);
      if (!bits || bits->size() % 8 != 0 || bits->size() > 64) return unreadable;
      // Each group of 8 printed bits is one stored byte, in storage order; SET bytes are
      // little-endian.
      uint64_t printed_value = 0;
      for (size_t byte = 0; byte < bits->size() / 8; ++byte) {
        printed_value |= std::stoull(std::string(bits->substr(byte * 8, 8)), nullptr, 2) << (8 * byte);
      }
      return printed_value == v.num.u64 ? "" : "the SET bitmaps differ";
    }
    case Family::Bytes:
      if (is_compressed_column(printed.type)) return compare_compressed(value, printed);
      return quote_like_mariadb_binlog(value.bytes) == p ? "" : "the bytes differ";
    case Family::Geometry:
      return quote_like_mariadb_binlog(value.bytes) == p ? "" : "the bytes differ";
    case Family::Unknown:
      break;
  }
  return "mariadb-binlog printed an unknown type";
}

// What ferry made of the TABLE_MAP's optional metadata, against the catalog.
std::string compare_metadata(Family family, const DecodedValue& value, const ColumnInfo& column,
                             const ColumnFacts& facts, const MetadataLogged& logged) {
  const ferry_value& v = value.value;
  if (logged.names && column.name != facts.name) {
    return "ferry names the column '" + column.name + "', the catalog '" + facts.name + "'";
  }
  if (v.type == FERRY_VALUE_NULL) return {};
  if (logged.signedness && family == Family::Integer) {
    const uint8_t expected = facts.is_unsigned ? FERRY_VALUE_UINT : FERRY_VALUE_INT;
    if (v.type != expected) return std::string("ferry decoded a ") + (facts.is_unsigned ? "UNSIGNED" : "signed") + " column as " + ferry::sdk::value_type_name(v.type);
  }
  if (logged.charsets && family == Family::Bytes) {
    const uint8_t expected = facts.is_binary ? FERRY_VALUE_BYTES : FERRY_VALUE_STRING;
    if (v.type != expected) return std::string("ferry decoded a ") + (facts.is_binary ? "binary" : "text") + " column as " + ferry::sdk::value_type_name(v.type);
  }
  if (logged.members && family == Family::Enum) {
    const uint64_t index = v.num.u64;
    const std::string expected = index >= 1 && index <= facts.members.size() ? facts.members[index - 1] : "";
    if (value.bytes != expected) return "ferry names ENUM member " + std::to_string(index) + " '" + value.bytes + "', the catalog '" + expected + "'";
  }
  if (logged.members && family == Family::Set) {
    std::string expected;
    for (size_t i = 0; i < facts.members.size(); ++i) {
      if ((v.num.u64 >> i) & 1) expected += (expected.empty() ? "" : ",") + facts.members[i];
    }
    if (value.bytes != expected) return "ferry names SET members '" + value.bytes + "', the catalog '" + expected + "'";
  }
  return {};
}

}  // namespace

std::string quote_like_mariadb_binlog(std::string_view bytes) {
  std::string out = "'";
  for (unsigned char c : bytes) {
    if (c > 0x1F) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  out += '\'';
  return out;
}

std::optional<std::string> unquote_mariadb_binlog(std::string_view printed) {
  const auto inner = unquote(printed);
  if (!inner) return std::nullopt;
  auto hex_digit = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  std::string out;
  for (size_t i = 0; i < inner->size(); ++i) {
    const std::string_view rest = inner->substr(i);
    if (rest.size() >= 4 && rest[0] == '\\' && rest[1] == 'x' && hex_digit(rest[2]) >= 0 && hex_digit(rest[2]) <= 1 &&
        hex_digit(rest[3]) >= 0) {
      out += static_cast<char>(hex_digit(rest[2]) * 16 + hex_digit(rest[3]));
      i += 3;
    } else {
      out += rest[0];
    }
  }
  return out;
}

std::string describe(const DecodedValue& value) {
  const ferry_value& v = value.value;
  std::string out = ferry::sdk::value_type_name(v.type);
  switch (v.type) {
    case FERRY_VALUE_NULL: return out;
    case FERRY_VALUE_INT:
    case FERRY_VALUE_YEAR: return out + " " + std::to_string(v.num.i64);
    case FERRY_VALUE_UINT: return out + " " + std::to_string(v.num.u64);
    case FERRY_VALUE_FLOAT:
    case FERRY_VALUE_DOUBLE: {
      char buf[40];
      std::snprintf(buf, sizeof buf, " %.17g", v.num.f64);
      return out + buf;
    }
    case FERRY_VALUE_BIT: return out + "(" + std::to_string(v.len) + ") " + std::to_string(v.num.u64);
    case FERRY_VALUE_ENUM:
    case FERRY_VALUE_SET: return out + " " + std::to_string(v.num.u64) + " '" + value.bytes + "'";
    case FERRY_VALUE_BYTES:
    case FERRY_VALUE_GEOMETRY: return out + " " + hex(value.bytes);
    case FERRY_VALUE_STRING: return out + " " + shorten(quote_like_mariadb_binlog(value.bytes)) + " = " + hex(value.bytes, 24);
    default: return out + " " + shorten(value.bytes);
  }
}

std::string compare_value(const DecodedValue& value, const ColumnInfo& column, const PrintedValue& printed,
                          const ColumnFacts* facts, const MetadataLogged& logged) {
  const Family family = family_of(printed.type);
  const ferry_value& v = value.value;
  std::string why;
  if (family == Family::Unknown) {
    why = "mariadb-binlog printed a type this comparison does not know";
  } else if (column.nullable != printed.nullable) {
    why = "the TABLE_MAP's nullability differs";
  } else if (column.metadata != printed.meta) {
    why = "the TABLE_MAP's metadata differs (ferry " + std::to_string(column.metadata) + ")";
  } else if (printed.is_null != (v.type == FERRY_VALUE_NULL)) {
    why = "only one side is NULL";
  } else if (printed.is_null && printed.text != "NULL") {
    why = "mariadb-binlog flags NULL but prints a value";
  } else if (!printed.is_null && !type_fits(family, v.type)) {
    why = std::string("ferry's value type ") + ferry::sdk::value_type_name(v.type) + " does not fit the column";
  } else if (!printed.is_null) {
    why = compare_content(family, value, printed);
  }
  if (why.empty() && facts != nullptr) why = compare_metadata(family, value, column, *facts, logged);
  if (why.empty()) return {};
  return why + ": ferry " + describe(value) + ", mariadb-binlog " + shorten(printed.text) + " /* " + printed.type +
         " meta=" + std::to_string(printed.meta) + " nullable=" + std::to_string(printed.nullable) + " */";
}

}  // namespace ferry::mysql::agreement
