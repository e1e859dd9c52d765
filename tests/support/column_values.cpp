#include "support/column_values.hpp"

#include "support/sql_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <limits>

namespace ferry::testing {
namespace {

using Generator = std::function<std::string(Rng&, bool)>;

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* pattern, ...) {
  char buffer[128];
  va_list args;
  va_start(args, pattern);
  std::vsnprintf(buffer, sizeof buffer, pattern, args);
  va_end(args);
  return buffer;
}

std::string quoted(const std::string& text) { return sql_string(text); }

// `chars` characters (fewer if `max_bytes` comes first).
std::string utf8_text(Rng& rng, size_t chars, size_t max_bytes) {
  static const std::vector<std::string> kSpecial{" ", "'", "\\", "\"", "é", "ü", "€", "中", "😀", "𝄞", "🎵", "\t", "%", "_"};
  static const char* kPlain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out;
  for (size_t i = 0; i < chars; ++i) {
    std::string next = rng.percent(70) ? std::string(1, kPlain[rng.below(62)]) : rng.pick(kSpecial);
    if (out.size() + next.size() > max_bytes) break;
    out += next;
  }
  return out;
}

std::string random_bytes(Rng& rng, size_t n) {
  std::string out(n, '\0');
  for (auto& b : out) b = static_cast<char>(rng.below(256));
  return out;
}

// ---- numbers ---------------------------------------------------------------------------------

TypedColumn signed_integer(const char* name, const char* type, int bits) {
  const int64_t hi = bits == 64 ? std::numeric_limits<int64_t>::max() : (int64_t{1} << (bits - 1)) - 1;
  const int64_t lo = -hi - 1;
  return {name, type, {std::to_string(lo), std::to_string(hi), "0", "-1", "1"},
          [lo, hi](Rng& rng, bool) {
            // Half small values, half from the whole range.
            return std::to_string(rng.percent(50) ? rng.between(std::max<int64_t>(lo, -1000), std::min<int64_t>(hi, 1000))
                                                  : rng.between(lo, hi));
          }};
}

TypedColumn unsigned_integer(const char* name, const char* type, int bits) {
  const uint64_t hi = bits == 64 ? std::numeric_limits<uint64_t>::max() : (uint64_t{1} << bits) - 1;
  const uint64_t top_bit = uint64_t{1} << (bits - 1);  // where signed and unsigned readings part
  return {name, type, {"0", std::to_string(hi), std::to_string(top_bit), "1"},
          [hi, bits](Rng& rng, bool) {
            return std::to_string(rng.percent(50) ? rng.below(std::min<uint64_t>(hi, 999) + 1)
                                  : bits == 64             ? rng.bits()
                                                           : rng.below(hi + 1));
          }};
}

std::string digits(Rng& rng, size_t n, bool leading_nonzero) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += static_cast<char>('0' + (i == 0 && leading_nonzero ? 1 + rng.below(9) : rng.below(10)));
  }
  return out;
}

std::string decimal_text(const std::string& integer, const std::string& fraction) {
  return (integer.empty() ? "0" : integer) + (fraction.empty() ? "" : "." + fraction);
}

TypedColumn decimal(const char* name, int precision, int scale, bool is_unsigned) {
  const size_t int_digits = static_cast<size_t>(precision - scale);
  const size_t frac_digits = static_cast<size_t>(scale);
  const std::string max = decimal_text(std::string(int_digits, '9'), std::string(frac_digits, '9'));
  const std::string least = frac_digits ? "0." + std::string(frac_digits - 1, '0') + "1" : "1";
  std::vector<std::string> edges{max, least, "0"};
  if (!is_unsigned) edges.insert(edges.end(), {"-" + max, "-" + least});
  if (!is_unsigned && frac_digits) edges.push_back("-0.5");
  std::string type = format("DECIMAL(%d,%d)%s", precision, scale, is_unsigned ? " UNSIGNED" : "");
  return {name, type, edges, [=](Rng& rng, bool) {
            const size_t n = rng.below(int_digits + 1);
            const std::string integer = digits(rng, n, true);
            const std::string value = decimal_text(integer, digits(rng, rng.below(frac_digits + 1), false));
            return (!is_unsigned && rng.percent(40) ? "-" : "") + value;
          }};
}

// Random finite values over the whole exponent range, printed with enough digits to read back
// the same binary value.
TypedColumn floating(const char* name, const char* type, bool is_float, std::vector<std::string> edges) {
  return {name, type, std::move(edges), [is_float](Rng& rng, bool) {
            if (rng.percent(30)) return format("%.3f", static_cast<double>(rng.between(-100000, 100000)) / 8);
            const double sign = rng.percent(50) ? -1.0 : 1.0;
            if (is_float) {
              // Exponent below the top: MariaDB rejects a literal that rounds above FLT_MAX.
              const int exponent = static_cast<int>(rng.between(-126, 126));
              const float v = static_cast<float>(sign * std::ldexp(1.0 + static_cast<double>(rng.below(1u << 23)) / (1u << 23), exponent));
              return format("%.9g", static_cast<double>(v));
            }
            const int exponent = static_cast<int>(rng.between(-1022, 1023));
            const double v = sign * std::ldexp(1.0 + static_cast<double>(rng.below(uint64_t{1} << 52)) / 4503599627370496.0, exponent);
            return format("%.17g", v);
          }};
}

// ---- temporal --------------------------------------------------------------------------------

// ".123" for 3 digits of fraction, "" for none.
std::string fraction(Rng& rng, int fsp) { return fsp ? "." + digits(rng, static_cast<size_t>(fsp), false) : ""; }
std::string nines(int fsp) { return fsp ? "." + std::string(static_cast<size_t>(fsp), '9') : ""; }

// Draws in a braced list (evaluated in order), not as a call's arguments (in any order).
std::string random_date(Rng& rng) {
  const int64_t d[] = {rng.between(1000, 9999), rng.between(1, 12), rng.between(1, 28)};
  return format("%04d-%02d-%02d", static_cast<int>(d[0]), static_cast<int>(d[1]), static_cast<int>(d[2]));
}

std::string random_clock(Rng& rng) {
  const uint64_t t[] = {rng.below(24), rng.below(60), rng.below(60)};
  return format("%02d:%02d:%02d", static_cast<int>(t[0]), static_cast<int>(t[1]), static_cast<int>(t[2]));
}

TypedColumn time_column(int fsp) {
  std::vector<std::string> edges{"'838:59:59" + nines(fsp) + "'", "'-838:59:59" + nines(fsp) + "'", "'00:00:00'"};
  if (fsp) {
    edges.push_back("'-00:00:00." + std::string(static_cast<size_t>(fsp - 1), '0') + "1'");  // the least negative
    edges.push_back("'-00:00:00.5'");
  }
  return {"t" + std::to_string(fsp), "TIME(" + std::to_string(fsp) + ")", edges, [fsp](Rng& rng, bool) {
            const uint64_t t[] = {rng.below(100) < 30, rng.below(839), rng.below(60), rng.below(60)};
            const std::string clock = format("'%s%d:%02d:%02d", t[0] ? "-" : "", static_cast<int>(t[1]),
                                             static_cast<int>(t[2]), static_cast<int>(t[3]));
            return clock + fraction(rng, fsp) + "'";
          }};
}

TypedColumn datetime_column(const char* name, int fsp) {
  return {name, "DATETIME(" + std::to_string(fsp) + ")",
          {"'0000-00-00 00:00:00'", "'1000-01-01 00:00:00'", "'9999-12-31 23:59:59" + nines(fsp) + "'",
           "'2024-02-29 12:34:56" + nines(fsp) + "'"},
          [fsp](Rng& rng, bool) {
            return in_order({"'", random_date(rng), " ", random_clock(rng), fraction(rng, fsp), "'"});
          }};
}

TypedColumn timestamp_column(const char* name, int fsp) {
  return {name, "TIMESTAMP(" + std::to_string(fsp) + ")",
          {"'1970-01-01 00:00:01'", "'2038-01-19 03:14:07" + nines(fsp) + "'", "'0000-00-00 00:00:00'"},
          [fsp](Rng& rng, bool) {
            const std::time_t seconds = static_cast<std::time_t>(rng.between(1, 2147483647));
            std::tm utc{};
            gmtime_r(&seconds, &utc);
            return format("'%04d-%02d-%02d %02d:%02d:%02d", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                          utc.tm_hour, utc.tm_min, utc.tm_sec) +
                   fraction(rng, fsp) + "'";
          }};
}

// ---- strings ---------------------------------------------------------------------------------

TypedColumn utf8_column(const char* name, const char* type, size_t max_chars, size_t max_bytes, size_t large_bytes,
                        std::vector<std::string> edges) {
  return {name, type, std::move(edges), [=](Rng& rng, bool large) {
            if (large && large_bytes) return quoted(utf8_text(rng, large_bytes, large_bytes));
            return quoted(random_utf8(rng, max_chars, max_bytes));
          }};
}

// Exact bytes: latin1 text as bytes (0x80-0xFF and NUL included), binary strings, BLOBs.
TypedColumn bytes_column(const char* name, const char* type, const char* introducer, size_t max_bytes,
                         size_t large_bytes, std::vector<std::string> edges) {
  return {name, type, std::move(edges), [=](Rng& rng, bool large) {
            std::string bytes = random_bytes(rng, large && large_bytes ? large_bytes - rng.below(large_bytes / 8)
                                                                      : rng.below(max_bytes + 1));
            // Trailing zero bytes, which BINARY also pads with and a careless reader strips.
            if (!bytes.empty() && rng.percent(30)) bytes.back() = '\0';
            return introducer + sql_hex(bytes);
          }};
}

std::string every_byte() {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  return sql_hex(bytes);
}

// ---- documents, spatial, network ------------------------------------------------------------

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += format("\\u%04x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string json_value(Rng& rng, int depth) {
  switch (rng.below(depth > 0 ? 7 : 5)) {
    case 0: return std::to_string(rng.between(-1000000000000, 1000000000000));
    case 1: {  // written as digits and exponent: no libm, the same text everywhere
      const int64_t n[] = {rng.between(-99999, 99999), rng.between(-8, 12)};
      return std::to_string(n[0]) + "e" + std::to_string(n[1]);
    }
    case 2: return json_string(random_utf8(rng, 12, 48));
    case 3: return rng.pick(std::vector<std::string>{"true", "false", "null"});
    case 4: return json_string("\"quoted\" \\ back");
    case 5: {
      std::string out = "[";
      for (uint64_t i = 0, n = rng.below(4); i < n; ++i) out += (i ? ", " : "") + json_value(rng, depth - 1);
      return out + "]";
    }
    default: {
      std::string out = "{";
      for (uint64_t i = 0, n = rng.below(4); i < n; ++i) {
        out += in_order({i ? ", " : "", json_string(rng.pick(std::vector<std::string>{"a", "b", "é", "😀", "k" + std::to_string(i)})),
                         ": ", json_value(rng, depth - 1)});
      }
      return out + "}";
    }
  }
}

std::string coordinate(Rng& rng) {
  return format("%.17g", static_cast<double>(rng.between(-100000000, 100000000)) / 1024.0);
}

std::string random_wkt(Rng& rng) {
  auto point = [&] { return in_order({coordinate(rng), " ", coordinate(rng)}); };
  switch (rng.below(4)) {
    case 0: return "POINT(" + point() + ")";
    case 1: return in_order({"LINESTRING(", point(), ", ", point(), ", ", point(), ")"});
    case 2: {
      const std::string first = point();
      return in_order({"POLYGON((", first, ", ", point(), ", ", point(), ", ", first, "))"});
    }
    default: return in_order({"MULTIPOINT(", point(), ", ", point(), ")"});
  }
}

std::string hex_digits(Rng& rng, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) out += kDigits[rng.below(16)];
  return out;
}

std::vector<TypedColumn> make_columns() {
  std::vector<TypedColumn> c;
  c.push_back(signed_integer("ti", "TINYINT", 8));
  c.push_back(unsigned_integer("tiu", "TINYINT UNSIGNED", 8));
  c.push_back(signed_integer("si", "SMALLINT", 16));
  c.push_back(unsigned_integer("siu", "SMALLINT UNSIGNED", 16));
  c.push_back(signed_integer("mi", "MEDIUMINT", 24));
  c.push_back(unsigned_integer("miu", "MEDIUMINT UNSIGNED", 24));
  c.push_back(signed_integer("i", "INT", 32));
  c.push_back(unsigned_integer("iu", "INT UNSIGNED", 32));
  c.push_back(signed_integer("bi", "BIGINT", 64));
  c.push_back(unsigned_integer("biu", "BIGINT UNSIGNED", 64));
  c.push_back(decimal("d65_30", 65, 30, false));
  c.push_back(decimal("d65_0", 65, 0, false));
  c.push_back(decimal("d38_38", 38, 38, false));
  c.push_back(decimal("d10_4", 10, 4, false));
  c.push_back(decimal("d12_4u", 12, 4, true));
  c.push_back(decimal("d1_0", 1, 0, false));
  c.push_back(floating("f", "FLOAT", true,
                       {"0", "-1", "0.1", "3.4e38", "-3.4e38", "1.17549435e-38", "1.4e-45", "16777217", "123456.789"}));
  c.push_back(floating("dbl", "DOUBLE", false,
                       {"0", "-1", "0.1", "1.7976931348623157e308", "-1.7976931348623157e308", "2.2250738585072014e-308",
                        "4.9406564584124654e-324", "9007199254740993", "0.30000000000000004"}));
  c.push_back({"b1", "BIT(1)", {"b'0'", "b'1'"}, [](Rng& rng, bool) { return std::string(rng.percent(50) ? "b'1'" : "b'0'"); }});
  c.push_back({"b10", "BIT(10)", {"0", "b'1111111111'", "b'1000000000'"},
               [](Rng& rng, bool) { return std::to_string(rng.below(1024)); }});
  c.push_back({"b64", "BIT(64)", {"0", "0xFFFFFFFFFFFFFFFF", "0x8000000000000000", "0x0000000000000001"},
               [](Rng& rng, bool) { return format("0x%016llX", static_cast<unsigned long long>(rng.bits())); }});
  c.push_back({"y", "YEAR", {"0", "1901", "2155"}, [](Rng& rng, bool) { return std::to_string(1901 + rng.below(255)); }});
  c.push_back({"dt", "DATE", {"'0000-00-00'", "'1000-01-01'", "'9999-12-31'", "'2024-02-29'"},
               [](Rng& rng, bool) { return "'" + random_date(rng) + "'"; }});
  for (int fsp = 0; fsp <= 6; ++fsp) c.push_back(time_column(fsp));
  c.push_back(datetime_column("dtm0", 0));
  c.push_back(datetime_column("dtm3", 3));
  c.push_back(datetime_column("dtm6", 6));
  c.push_back(timestamp_column("ts0", 0));
  c.push_back(timestamp_column("ts6", 6));
  c.push_back(utf8_column("ch", "CHAR(10)", 10, 40, 0, {"''", "'😀😀😀😀😀😀😀😀😀😀'", "'ü'"}));
  c.push_back(utf8_column("vc", "VARCHAR(100)", 100, 400, 0,
                          {"''", "'trailing  '", "' '", "'it\\'s \\\\ \\0 nul'", "'𝄞🎵😀'"}));
  c.push_back(bytes_column("lch", "CHAR(10) CHARACTER SET latin1", "_latin1 ", 10, 0, {"_latin1 X''", "_latin1 X'E9FF80A0'", "_latin1 X'00'"}));
  c.push_back(bytes_column("lvc", "VARCHAR(100) CHARACTER SET latin1", "_latin1 ", 100, 0,
                           {"_latin1 X''", "_latin1 X'00414280FF20'", "_latin1 X'20'"}));
  c.push_back(bytes_column("bn", "BINARY(8)", "", 8, 0, {"X''", "X'00'", "X'0100'", "X'FFFFFFFFFFFFFFFF'", "X'0000000000000000'"}));
  c.push_back(bytes_column("vb", "VARBINARY(64)", "", 64, 0, {"X''", "X'00'", "X'0000'", "X'20'"}));
  c.push_back(bytes_column("tb", "TINYBLOB", "", 255, 0, {"X''", "X'00'"}));
  c.push_back(bytes_column("bl", "BLOB", "", 300, 65535, {"X''", every_byte()}));
  c.push_back(bytes_column("mb", "MEDIUMBLOB", "", 300, 100000, {"X''", "X'00'"}));
  c.push_back(bytes_column("lb", "LONGBLOB", "", 300, 120000, {"X''", "X'FF00'"}));
  c.push_back(utf8_column("tt", "TINYTEXT", 255, 255, 0, {"''", "'😀'"}));
  c.push_back(utf8_column("tx", "TEXT", 200, 800, 65000, {"''", "'line\\nbreak\\ttab'"}));
  c.push_back(utf8_column("mt", "MEDIUMTEXT", 200, 800, 90000, {"''"}));
  c.push_back(utf8_column("lt", "LONGTEXT", 200, 800, 110000, {"''"}));
  const std::vector<std::string> enum_members{"'red'", "'green'", "'blue'", "''"};
  c.push_back({"e", "ENUM('red','green','blue','')", {"''", "'red'"}, [enum_members](Rng& rng, bool) { return rng.pick(enum_members); }});
  c.push_back({"st", "SET('x','y','z','w')", {"''", "'x,y,z,w'"}, [](Rng& rng, bool) {
                 std::string out;
                 for (const char* m : {"x", "y", "z", "w"}) {
                   if (rng.percent(50)) out += (out.empty() ? "" : ",") + std::string(m);
                 }
                 return quoted(out);
               }});
  c.push_back({"j", "JSON",
               {"'{}'", "'[]'", "'null'", "'\"\"'", quoted("{\"a\": [1, {\"b\": null, \"c\": [true, false, 1.5e10]}], \"é\": \"😀\"}")},
               [](Rng& rng, bool) { return quoted(json_value(rng, 2)); }});
  c.push_back({"g", "GEOMETRY",
               {"ST_GeomFromText('POINT(0 0)')", "ST_GeomFromText('POINT(-1.5 1e300)')",
                "ST_GeomFromText('LINESTRING(0 0, 1 1, 2 3)', 4326)",
                "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 1))')"},
               [](Rng& rng, bool) { return "ST_GeomFromText('" + random_wkt(rng) + "')"; }});
  c.push_back({"pt", "POINT", {"POINT(0, 0)", "POINT(-0.5, 1e300)"},
               [](Rng& rng, bool) { return in_order({"POINT(", coordinate(rng), ", ", coordinate(rng), ")"}); }});
  c.push_back({"ip6", "INET6", {"'::'", "'::1'", "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'", "'::ffff:192.168.0.1'"},
               [](Rng& rng, bool) {
                 std::string out = "'";
                 for (int i = 0; i < 8; ++i) out += (i ? ":" : "") + hex_digits(rng, 4);
                 return out + "'";
               }});
  c.push_back({"uid", "UUID", {"'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"},
               [](Rng& rng, bool) {
                 // Versions 1-5 and the RFC 4122 variant: MariaDB rejects other random UUIDs.
                 return in_order({"'", hex_digits(rng, 8), "-", hex_digits(rng, 4), "-", std::to_string(1 + rng.below(5)),
                                  hex_digits(rng, 3), "-", std::string(1, "89ab"[rng.below(4)]), hex_digits(rng, 3), "-",
                                  hex_digits(rng, 12), "'"});
               }});
  c.push_back({"ip4", "INET4", {"'0.0.0.0'", "'255.255.255.255'"}, [](Rng& rng, bool) {
                 const uint64_t b[] = {rng.below(256), rng.below(256), rng.below(256), rng.below(256)};
                 return format("'%d.%d.%d.%d'", static_cast<int>(b[0]), static_cast<int>(b[1]), static_cast<int>(b[2]),
                               static_cast<int>(b[3]));
               }});
  return c;
}

}  // namespace

std::string random_utf8(Rng& rng, size_t max_chars, size_t max_bytes) {
  return utf8_text(rng, rng.below(max_chars + 1), max_bytes);
}

const std::vector<TypedColumn>& every_type_columns() {
  static const std::vector<TypedColumn> columns = make_columns();
  return columns;
}

std::string typed_value(const TypedColumn& column, Rng& rng, bool large_values) {
  const uint64_t roll = rng.below(100);
  if (roll < 10) return "NULL";
  if (roll < 35) return rng.pick(column.edges);
  const bool large = large_values && rng.below(200) == 0;
  return column.random(rng, large);
}

}  // namespace ferry::testing
