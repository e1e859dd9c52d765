// KeyBound: one end of a chunk's key range, and how it is written back into SQL.
//
// An integer key's bound is a number, ordered and cut by arithmetic here. Any other key's bound
// is a value as the server returned it (character_set_results=binary: the bytes in the column's
// own charset), and only the server can order it: under a case-insensitive collation 'a' and 'A'
// are one value, so no C++ comparison of the bytes may ever decide which range a row is in. The
// bound goes back into SQL as an exact literal of the column's kind (KeyType), so that the
// server compares it with the column as it compares two of the column's values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace ferry::dump {

// An integer key value, wide enough for both BIGINT and BIGINT UNSIGNED.
using KeyValue = __int128;
std::string key_text(KeyValue v);
std::optional<KeyValue> parse_key(const std::string& text);

// How the server orders a chunk key column's values, hence how a bound is written in SQL.
enum class KeyOrder : uint8_t {
  Integer,   // TINYINT..BIGINT (signed or not): a number
  Collated,  // CHAR/VARCHAR: _charset X'..' COLLATE collation
  Binary,    // BINARY/VARBINARY: X'..', bytewise
  Decimal,   // DECIMAL: the exact decimal literal
  Date,      // DATE: CAST('..' AS DATE)
  Datetime,  // DATETIME, and TIMESTAMP read in UTC: CAST('..' AS DATETIME(6))
  Time,      // TIME: CAST('..' AS TIME(6))
};

struct KeyType {
  KeyOrder order = KeyOrder::Integer;
  std::string charset;    // Collated only: the column's CHARACTER_SET_NAME
  std::string collation;  // Collated only: the column's COLLATION_NAME

  bool integer() const { return order == KeyOrder::Integer; }
  // "integer", "decimal", "collated utf8mb4 utf8mb4_general_ci": a token's key type, compared
  // with the table's on a restart (a range cut under one collation means nothing under another).
  std::string name() const;
  bool operator==(const KeyType&) const = default;
};
// Reads name() back; nullopt for a name this build does not know.
std::optional<KeyType> parse_key_type(const std::string& name);

// KeyValue for an Integer key; the value's bytes for any other.
using KeyBound = std::variant<KeyValue, std::string>;

// The bound as an SQL expression the server compares with the column under its own rules;
// nullopt when the bound is not of the type's kind or its text is not a value of that kind
// (a token edited by hand, or a charset or collation name that is not one).
std::optional<std::string> bound_literal(const KeyType& type, const KeyBound& bound);

// The bound in a chunk's name: the number; digits and date punctuation quoted ('2024-01-31',
// '-12.50'); any other bytes as x'..' in lower-case hex, so that names stay distinct under a
// case-insensitive collation of the loader checkpoint table. Long values are cut, with a hash
// of the whole value to keep names distinct.
std::string bound_display(const KeyBound& bound);

// Bytes <-> lower-case hex; from_hex is nullopt on an odd length or a non-hex digit.
std::string to_hex(const std::string& bytes);
std::optional<std::string> from_hex(const std::string& hex);

}  // namespace ferry::dump
