// Whether ferry's decoded value of one column and mariadb-binlog's printed value of the same
// column say the same thing. Both sides are brought to one form per type:
//
//   integers   mariadb-binlog prints "-1 (255)": the signed reading, then the unsigned one when
//              they differ. ferry's INT must equal the first, its UINT the second.
//   DECIMAL    the same text exactly.
//   FLOAT      printed with "%g" (6 significant digits): equal within half a unit of the sixth.
//   DOUBLE     printed with "%.20g", which reads back to the exact double: equal exactly.
//   BIT        printed b'0101' (most significant bit first): the same number and width.
//   YEAR       printed as 1900 + the stored byte, so 0000 prints as 1900: 1900 means 0.
//   DATE       printed 'YYYY:MM:DD' (colons): the same date.
//   DATETIME, TIME   the same quoted text.
//   TIMESTAMP  printed as epoch seconds with the column's fraction: ferry's UTC text converted.
//   ENUM       printed as the 1-based index: ferry's index.
//   SET        printed as the bits of its bytes in storage order (little-endian): ferry's bitmap.
//   strings, BLOB, GEOMETRY   mariadb-binlog quotes the bytes and writes each byte below 0x20 as
//              \xNN, everything else raw (a quote or backslash too). That is not reversible (a
//              stored "\x0a" prints like a newline), so ferry's bytes are quoted the same way and
//              the two texts compared.
//   compressed columns (MariaDB's VARCHAR/TEXT/BLOB ... COMPRESSED, typed "VARSTRING(n) COMPRESSED",
//              "BLOB/TEXT COMPRESSED")   mariadb-binlog -vv prints what the server stores, not the
//              value: the header byte, then the bytes or the zlib stream ('\x00abc' for "abc").
//              Its quoting is undone (each \xNN is the byte NN below 0x20), the stored bytes are
//              decoded by ferry's column_compression, and the result must equal ferry's value;
//              so this checks the bytes ferry read, and the inflating is checked against the
//              server's own values by the SyncTypes tests. A stored "\x0a" (four characters)
//              would read back as one byte: the corpus's compressed values hold no such text.
//   NULL       is_null=1 on one side, FERRY_VALUE_NULL on the other.
//
// Where the binlog carries optional metadata, what ferry made of it is checked against the
// server's catalog: signedness, binary or text, names, ENUM/SET member names.
#pragma once

#include "binlog/table_map.hpp"
#include "ferry_rows.hpp"
#include "mariadb_binlog_text.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ferry::mysql::agreement {

// A column as the server's catalog (information_schema.COLUMNS) describes it.
struct ColumnFacts {
  std::string name;
  bool is_unsigned = false;
  bool is_binary = false;            // binary charset: BINARY, VARBINARY, the BLOBs
  std::vector<std::string> members;  // ENUM and SET, in definition order
};

// What binlog_row_metadata lets a TABLE_MAP carry.
struct MetadataLogged {
  bool signedness = false;  // MINIMAL and FULL
  bool charsets = false;    // MINIMAL and FULL
  bool names = false;       // FULL
  bool members = false;     // FULL: ENUM and SET member names
};

// Empty when ferry's `value` of `column` agrees with `printed`; otherwise what differs, with both
// values. `facts` may be null (a table the catalog no longer has): then only the two tools are
// compared.
std::string compare_value(const DecodedValue& value, const ColumnInfo& column, const PrintedValue& printed,
                          const ColumnFacts* facts, const MetadataLogged& logged);

// mariadb-binlog's quoting of `bytes`, as explained above: "'a\x0ab'".
std::string quote_like_mariadb_binlog(std::string_view bytes);

// The bytes of a value quoted so (every \xNN below \x20 read as that byte); nullopt when
// `printed` is not quoted.
std::optional<std::string> unquote_mariadb_binlog(std::string_view printed);

// ferry's value for messages: "UINT 255", "STRING 'abc'", "DECIMAL 1.50", "NULL".
std::string describe(const DecodedValue& value);

}  // namespace ferry::mysql::agreement
