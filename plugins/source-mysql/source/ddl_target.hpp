// What a DDL statement touches: its kind and the tables (or database) it names, read from the
// statement text well enough to say which cached table schemas it may have changed and to fill
// the DDL event's schema and table. Not a SQL parser: an unrecognised statement is reported as
// such, and callers then assume it may have changed anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ferry::mysql {

struct TableName {
  std::string schema;  // the statement's, or the default schema when unqualified
  std::string table;
  bool operator==(const TableName&) const = default;
};

struct DdlTarget {
  enum class Kind { Unknown, Database, Table };
  Kind kind = Kind::Unknown;
  std::string database;           // Kind::Database: the database created, altered or dropped
  std::vector<TableName> tables;  // Kind::Table: every table named, in order (RENAME: old then new)
};

DdlTarget parse_ddl_target(std::string_view statement, std::string_view default_schema);

}  // namespace ferry::mysql
