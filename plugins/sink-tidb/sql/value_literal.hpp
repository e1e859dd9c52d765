// A decoded value as an exact SQL literal. Integers and DECIMAL are sent as numbers, FLOAT and
// DOUBLE with every digit of the binary value (and an exponent, so the server parses a DOUBLE and
// not a rounded DECIMAL), temporal values as quoted text, text as a literal the server reads in
// the column's own character set, and bytes as hex.
#pragma once

#include <ferry/abi/ferry_abi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ferry::tidb {

// Collation id -> character set name, read from the downstream at start (information_schema).
// Text whose charset is not utf8/utf8mb4 is sent as `_charset X'..'`, so its bytes arrive as
// they were upstream.
class CharsetNames {
 public:
  void add(uint16_t collation, std::string charset, std::string collation_name) {
    names_[collation] = Names{std::move(charset), std::move(collation_name)};
  }
  // Empty when unknown.
  std::string_view charset_of(uint16_t collation) const;
  bool is_utf8(uint16_t collation) const;
  // Whether equal strings in this collation are equal bytes: binary and the NO PAD *_bin
  // collations (utf8mb4_nopad_bin, utf8mb4_0900_bin). Unknown: false.
  bool compares_bytes(uint16_t collation) const;
  // Whether they are equal bytes once trailing spaces are dropped: also the PAD SPACE *_bin
  // collations (utf8mb4_bin, where 'a' = 'a ').
  bool compares_padded_bytes(uint16_t collation) const;

 private:
  struct Names {
    std::string charset;
    std::string collation;
  };
  std::unordered_map<uint16_t, Names> names_;
};

struct LiteralStyle {
  bool no_backslash_escapes = false;  // the session's sql_mode: quotes only, no backslashes
};

// Appends `v` (a value of `column`) to `out`. Returns false with `error` for a value that has no
// exact literal (NaN or infinity).
bool append_literal(std::string& out, const ferry_value& v, const ferry_column& column, const CharsetNames& charsets,
                    const LiteralStyle& style, std::string& error);

// `s` as a single-quoted literal.
void append_quoted(std::string& out, std::string_view s, const LiteralStyle& style);
void append_hex(std::string& out, std::string_view bytes);  // X'..'
// `name` back-quoted, with back-quotes doubled.
void append_identifier(std::string& out, std::string_view name);

}  // namespace ferry::tidb
