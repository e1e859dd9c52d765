// TABLE_MAP events: which table a table id stands for in the rows events that follow, each
// column's binlog type and metadata (lengths, precision, fractional digits), nullability, and
// with binlog_row_metadata=MINIMAL|FULL the optional metadata (signedness, charsets, names,
// ENUM/SET members, primary key).
#pragma once

#include "binlog/byte_reader.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::mysql {

struct ColumnInfo {
  uint8_t type = 0;        // binlog type; for CHAR/ENUM/SET stored as STRING, the real type
  uint16_t metadata = 0;   // as logged, for messages
  uint32_t max_length = 0; // CHAR/VARCHAR: maximum bytes; BLOB/JSON/GEOMETRY: length-prefix bytes
  uint8_t precision = 0;   // DECIMAL
  uint8_t scale = 0;       // DECIMAL
  uint8_t fsp = 0;         // TIME2/DATETIME2/TIMESTAMP2 fractional digits
  uint8_t pack_length = 0; // FLOAT/DOUBLE size; ENUM/SET storage bytes
  uint16_t bit_count = 0;  // BIT(n)
  bool nullable = false;
  bool generated = false;            // from the catalog: a VIRTUAL or STORED generated column
  std::optional<bool> is_unsigned;   // known only from optional metadata
  std::optional<uint16_t> charset;   // collation id, from optional metadata
  std::string name;                  // empty unless logged
  std::vector<std::string> members;  // ENUM/SET members when logged
};

struct TableMap {
  uint64_t table_id = 0;
  uint16_t flags = 0;
  std::string schema;
  std::string table;
  std::vector<ColumnInfo> columns;
  std::vector<uint32_t> primary_key;  // column positions, when logged
  // Unique keys other than the primary key (never logged: filled in from the catalog).
  struct UniqueKey {
    std::string name;
    std::vector<uint32_t> columns;
  };
  std::vector<UniqueKey> unique_keys;
  bool keys_known = false;  // the catalog was consulted for keys
  bool has_names = false;
};

// Parses the event body after the common header (`in` excludes any checksum). `post_header_len`
// comes from the FORMAT_DESCRIPTION event (6 for 4-byte table ids in very old servers, else 8).
// `mariadb` selects MariaDB's reading of the charset metadata, which also lists GEOMETRY
// columns (as binary), where MySQL's does not. Returns false with `error` set on a malformed
// event.
bool parse_table_map(ByteReader& in, uint8_t post_header_len, bool mariadb, TableMap& out, std::string& error);

}  // namespace ferry::mysql
