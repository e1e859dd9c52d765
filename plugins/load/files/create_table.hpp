// A table's shape read from its CREATE TABLE statement as SHOW CREATE TABLE writes it (one
// definition per line), for a dump directory, which has no server to ask: column names, types,
// signedness, character sets, ENUM/SET members, generated columns, primary and unique keys.
#pragma once

#include "schema/dump_table.hpp"

#include <string>

namespace ferry::load {

// Fills `out` (schema, table, columns, keys, create_statement) and seals it. False with `error`
// when the statement is not in that form or a column's type is not one ferry carries.
bool table_from_create(const std::string& schema, const std::string& statement, dump::DumpTable& out, std::string& error);

// The collation id ferry_column.charset carries for a character set or collation name
// ("latin1", "utf8mb4_bin"); 0 when unknown.
uint16_t collation_id(const std::string& charset_or_collation);

}  // namespace ferry::load
