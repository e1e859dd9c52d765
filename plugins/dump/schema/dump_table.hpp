// DumpTable: one table to dump, as the upstream's catalog describes it: the ferry_table_schema
// its row events point at (names, types, charsets, keys), its CREATE TABLE statement, and the
// key column its chunks are cut on, if it has one.
#pragma once

#include "chunk/key_bound.hpp"
#include "client/upstream_connection.hpp"

#include <ferry/abi/ferry_abi.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferry::dump {

// How a column's text (SELECT over a binary-charset connection) becomes a value.
enum class CellKind : uint8_t {
  Int, Uint, Float, Double, Decimal, String, Bytes, Json, Date, Time, Datetime, Timestamp, Year, Bit, Enum, Set, Geometry
};

struct TypeInfo {
  CellKind kind;
  uint8_t mysql_type;  // enum_field_types, as the binlog would carry it
};
// information_schema's DATA_TYPE (lower case: "int", "varchar", "point") -> how its text reads
// and the binlog type code; nullopt for a type ferry cannot carry exactly yet.
std::optional<TypeInfo> type_info(const std::string& data_type, bool is_unsigned, bool binary);

// How a column would order chunk bounds, from information_schema's DATA_TYPE and the column's
// CHARACTER_SET_NAME and COLLATION_NAME; nullopt for a type the dump does not cut on: FLOAT and
// DOUBLE (inexact), YEAR (a literal 0 and '0' are different years), ENUM and SET (sorted by
// number, compared with a literal as text), BIT, JSON, geometry, TEXT and BLOB (sorted by a
// prefix only), MariaDB's INET6 and UUID.
std::optional<KeyType> chunk_key_type(const std::string& data_type, const std::string& charset, const std::string& collation);

struct DumpColumn {
  std::string name;
  std::string column_type;  // information_schema COLUMN_TYPE: "int(10) unsigned"
  CellKind kind = CellKind::String;
  uint16_t bit_width = 0;  // BIT(n)
  std::vector<std::string> members;  // ENUM / SET
  bool generated = false;            // computed downstream: never read nor written
  // An ENUM with '' among its members is read as its index: its text '' would not say whether it
  // is that member or the error value (index 0, '' too) a non-strict session stores.
  bool read_as_index = false;
};

class DumpTable {
 public:
  std::string schema;
  std::string table;
  std::string create_statement;  // CREATE TABLE IF NOT EXISTS ..., unqualified (run under USE schema)
  std::vector<DumpColumn> columns;  // every column, generated ones included
  // The column leading the primary key or, without one, a NOT NULL unique key, when it is of a
  // type chunk_key_type knows and is indexed whole (not a prefix); empty: none, one chunk.
  std::string chunk_key;
  KeyType chunk_key_type;
  uint64_t estimated_rows = 0;
  uint64_t estimated_bytes = 0;  // DATA_LENGTH: the clustered index's size on disk, a rough guide

  // The SELECT list: stored columns only, FLOAT/DOUBLE widened so their text is exact.
  std::string select_list() const;
  std::string qualified() const;  // `schema`.`table`
  const ferry_table_schema& abi() const { return abi_; }
  // Positions in `columns` of the columns the SELECT reads, in order.
  const std::vector<uint32_t>& read_columns() const { return read_columns_; }

  // Builds the ferry_table_schema; called once, after the fields above are filled.
  void seal(const std::vector<uint32_t>& primary_key, const std::vector<std::vector<uint32_t>>& unique_keys,
            const std::vector<std::string>& unique_names, const std::vector<uint8_t>& mysql_types,
            const std::vector<uint8_t>& flags, const std::vector<uint16_t>& charsets);

 private:
  std::vector<uint32_t> read_columns_;
  std::deque<std::vector<ferry_str>> member_views_;
  std::vector<ferry_column> abi_columns_;
  std::vector<uint32_t> pk_;
  ferry_index pk_index_{};
  std::vector<std::string> unique_names_;
  std::vector<std::vector<uint32_t>> unique_columns_;
  std::vector<ferry_index> unique_index_;
  ferry_table_schema abi_{};
};

// The tables the options select, in schema then table order. `tables` are "schema.table" names;
// `databases` empty means every non-system schema.
std::optional<mysql::UpstreamError> list_tables(mysql::UpstreamConnection& conn, const std::vector<std::string>& databases,
                                                const std::vector<std::string>& tables,
                                                std::vector<std::pair<std::string, std::string>>& out);

// Reads one table's shape and CREATE statement.
std::optional<mysql::UpstreamError> read_table(mysql::UpstreamConnection& conn, const std::string& schema,
                                               const std::string& table, DumpTable& out);

// CREATE DATABASE IF NOT EXISTS for `schema`, with its character set.
std::optional<mysql::UpstreamError> read_create_database(mysql::UpstreamConnection& conn, const std::string& schema,
                                                         std::string& out);

}  // namespace ferry::dump
