// MySQL's binary JSON (column type 245, MySQL 5.7+; MariaDB's JSON is a LONGTEXT and never
// this) -> JSON text, printed the way MySQL prints a JSON column (SELECT j, CAST(j AS CHAR),
// JSON_EXTRACT(j, '$')), so that the text loads into a JSON column downstream as the same value.
//
// The format (MySQL's sql-common/json_binary.h): a document is a type byte and a value.
//
//   0x00 / 0x01  small / large object: count, size, key entries (offset, u16 length), value
//                entries (type, offset or inlined value), then the keys and values
//   0x02 / 0x03  small / large array: count, size, value entries, then the values
//   0x04         literal: 0x00 null, 0x01 true, 0x02 false
//   0x05 - 0x0a  int16, uint16, int32, uint32, int64, uint64 (little-endian)
//   0x0b         double (IEEE 754, little-endian)
//   0x0c         utf8mb4 string: variable-length length, bytes
//   0x0f         opaque: a MySQL field type byte, variable-length length, bytes
//
// Small containers use 2-byte counts, sizes and offsets, large ones 4-byte; offsets count from
// the container's count field. Literals and int16/uint16 (and int32/uint32 in large containers)
// are inlined in their value entry. A variable-length length has 7 bits a byte, least
// significant first, the top bit set on every byte but the last. An empty document is null.
//
// How it prints (MySQL's Json_wrapper::to_string with json_quoted, as Field_json::val_str calls
// it): members in stored order (MySQL stores keys sorted by length, then bytes), ", " between
// elements and ": " after keys; strings quoted, with \" \\ \b \f \n \r \t and \u00XX for the other
// control characters, everything else (UTF-8 too) as is; a string at the top is quoted as well,
// so every result is a JSON document. Doubles as MySQL's my_gcvt() gives them (shortest digits
// that read back, exponent form below 1e-15 and from 1e15 up, as "1e-16", "1.5e300"), with ".0"
// added when neither a point nor an exponent shows. Opaque DECIMAL as its digits with its scale,
// unquoted; opaque DATE as "YYYY-MM-DD", DATETIME and TIMESTAMP as "YYYY-MM-DD hh:mm:ss.ffffff"
// and TIME as "[-]hh:mm:ss.ffffff" (always six fractional digits); opaque VAR_STRING as a string;
// any other opaque value as "base64:typeN:" and its bytes in base64 (a line break every 76
// characters, printed as \n).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ferry::mysql {

// MySQL refuses documents nested deeper (JSON_DOCUMENT_MAX_DEPTH).
inline constexpr size_t kMaxJsonDepth = 100;

// Appends the text of the binary JSON document `doc` to `out`. Every count, offset and length is
// checked against the document's bytes; on a corrupt document returns false with `error` saying
// what is wrong and at which byte (`out` then holds a partial text).
bool json_binary_to_text(std::string_view doc, std::string& out, std::string& error);

// Appends `s` quoted as MySQL quotes a JSON string (its double_quote(): \" \\ \b \f \n \r \t, \u00XX for
// the other control characters, every other byte as is).
void append_json_quoted(std::string& out, std::string_view s);

}  // namespace ferry::mysql
